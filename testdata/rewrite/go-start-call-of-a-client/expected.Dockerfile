FROM golang:1.23 AS builder
WORKDIR /src
COPY go.mod ./
COPY . .
RUN go build -o app .

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
WORKDIR /work
COPY --from=builder /src/app .
ENTRYPOINT ["/work/app"]
