# app: go-certs-slim
# caught-by: shell
# Wrong on purpose (for run.sh --self-test): a "rewrite" that only changes the user and keeps
# debian:bookworm-slim, shell and apt included. It behaves the same; the shell check must fail it.
FROM golang:1.24-trixie AS builder
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/certcheck .

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder --chmod=0755 /out/certcheck /usr/local/bin/certcheck
USER 65532
ENTRYPOINT ["/usr/local/bin/certcheck"]
CMD ["-bundle", "/etc/ssl/certs/ca-certificates.crt"]
