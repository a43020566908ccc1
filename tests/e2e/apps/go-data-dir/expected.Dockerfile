# syntax=docker/dockerfile:1
FROM golang:1.24-trixie AS builder
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/spool .
RUN mkdir -p /dfslim-dirs/var/lib/spool/incoming

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=builder --chown=nonroot /dfslim-dirs/var/lib/spool/ /var/lib/spool/
COPY --from=builder /out/spool /usr/local/bin/spool
ENTRYPOINT ["/usr/local/bin/spool", "/var/lib/spool/incoming"]
