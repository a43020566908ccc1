FROM golang:1.24-alpine AS builder
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o main .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
WORKDIR /app
COPY --from=builder /app/main .
COPY --chown=65532:65532 templates ./templates
EXPOSE 8080
CMD ["./main"]
