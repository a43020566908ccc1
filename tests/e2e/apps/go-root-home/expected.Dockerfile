# syntax=docker/dockerfile:1
# The Docker documentation's multi-stage Go example: the program and its files live in
# root's home, which a non-root user may not enter.
FROM golang:1.24-trixie AS builder
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/greeter .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
WORKDIR /app
COPY --from=builder /out/greeter .
COPY --chown=65532:65532 templates ./templates
COPY --chown=65532:65532 state ./state
CMD ["./greeter"]
