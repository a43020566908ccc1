FROM golang:1.23 AS builder
WORKDIR /app
COPY go.mod ./
COPY main.go .
RUN CGO_ENABLED=0 GOOS=linux go build -o main main.go

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --chown=65532:65532 --from=builder /app/main ./app
CMD [ "./app" ]
