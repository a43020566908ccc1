FROM golang:1.19-alpine AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=builder /bin/server /server
ENTRYPOINT ["/server"]
