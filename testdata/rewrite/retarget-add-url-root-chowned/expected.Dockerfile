FROM golang:1.24-bookworm AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /src/geo .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
ADD --chown=65532:65532 https://example.com/GeoLite2-City.mmdb /usr/share/GeoIP/GeoLite2-City.mmdb
COPY --from=builder /src/geo /usr/local/bin/geo
CMD ["geo"]
