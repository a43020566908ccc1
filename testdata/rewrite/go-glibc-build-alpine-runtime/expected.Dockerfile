FROM golang:1.18 AS builder
WORKDIR /code
COPY main.go go.mod ./
RUN go build -trimpath -o /app main.go

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
CMD ["./app"]
# dfslim ignore=DFS007 -- the original final stage runs it on `alpine:3.19` which has no glibc: it must be static
COPY --from=builder /app .
