# syntax=docker/dockerfile:1
FROM golang:1.24-trixie AS builder
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/certcheck .

# The runtime stage only receives the binary: its base changes in place. CGO_ENABLED=0, so
# `static`, which already holds the CA bundle (the apt-get install is dropped) and a non-root
# user (the useradd is dropped; certcheck becomes nonroot).
FROM gcr.io/distroless/static-debian13:nonroot
# the one artifact, from the builder stage; the RUN chmod becomes COPY --chmod
COPY --from=builder --chmod=0755 /out/certcheck /usr/local/bin/certcheck
USER nonroot
ENTRYPOINT ["/usr/local/bin/certcheck"]
CMD ["-bundle", "/etc/ssl/certs/ca-certificates.crt"]
