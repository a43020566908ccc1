FROM golang:1.18 AS builder
WORKDIR /code
COPY main.go go.mod ./
RUN go build -trimpath -o /app main.go

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=builder /lib/x86_64-linux-gnu/ /lib/x86_64-linux-gnu/
COPY --from=builder /lib64/ld-linux-x86-64.so.2 /lib64/
CMD ["./app"]
COPY --from=builder /app .
