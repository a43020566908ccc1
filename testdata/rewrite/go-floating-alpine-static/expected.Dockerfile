FROM golang:alpine AS builder
WORKDIR /src
COPY . .
RUN go build -o /bin/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=builder /bin/server /server
ENTRYPOINT ["/server"]
