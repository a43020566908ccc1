# ---- build ----
FROM golang:1.23-bookworm AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/search ./cmd/search

# ---- runtime ----
FROM gcr.io/distroless/static-debian13:nonroot

# certificates for outbound TLS
WORKDIR /

# the binary
COPY --from=builder /out/search /usr/local/bin/search

# run as an unprivileged user
USER nonroot

EXPOSE 9200
# start the server
ENTRYPOINT ["/usr/local/bin/search"]
