FROM golang:1.24-alpine AS builder
WORKDIR /app
COPY go.mod hello.go ./
RUN GOARCH=arm64 go build -o /hello

# The runtime image is pinned to arm64 by its namespace.
FROM --platform=linux/arm64 gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=builder /hello /hello
CMD ["/hello"]
