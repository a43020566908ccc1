FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/exporter .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/exporter /bin/exporter
USER 65534:65534
EXPOSE 9100
ENTRYPOINT ["/bin/exporter"]
