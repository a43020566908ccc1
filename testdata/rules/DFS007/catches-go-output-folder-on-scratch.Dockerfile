FROM golang:1.23 AS builder
ENV CGO_ENABLED=1
WORKDIR /go/src/github.com/example/api
COPY . .
RUN go build -o /go/bin/ ./cmd/api

FROM scratch
COPY --from=builder /go/bin/ /usr/local/bin/
USER 65534
ENTRYPOINT ["/usr/local/bin/api"]
