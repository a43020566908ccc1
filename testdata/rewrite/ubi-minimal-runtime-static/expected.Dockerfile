FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/server /usr/local/bin/server
USER 1001
ENTRYPOINT ["/usr/local/bin/server"]
