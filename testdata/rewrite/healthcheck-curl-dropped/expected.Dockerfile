FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/catalog ./cmd/catalog

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/catalog /usr/local/bin/catalog
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/catalog"]
