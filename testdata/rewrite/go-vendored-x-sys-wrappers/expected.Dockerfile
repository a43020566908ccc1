FROM golang:1.23-bookworm AS builder
WORKDIR /app
COPY . /app/
RUN go build -o main .

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /app
COPY --from=builder /app/main /app/
EXPOSE 8080
CMD ["/app/main"]
