FROM golang:1.18 AS builder
WORKDIR /code
COPY main.go go.mod ./
RUN go build -trimpath -o /app main.go

FROM gcr.io/distroless/base-debian13:nonroot
CMD ["./app"]
COPY --from=builder /app .
