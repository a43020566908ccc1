FROM golang:1.22-alpine AS builder
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -ldflags '-linkmode external -extldflags "-static"' -o /bin/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=builder /bin/server /server
ENTRYPOINT ["/server"]
