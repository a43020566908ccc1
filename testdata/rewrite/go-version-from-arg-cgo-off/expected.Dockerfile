ARG GO_VERSION
FROM golang:${GO_VERSION}-alpine AS builder
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go build -o /bin/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=builder /bin/server /server
ENTRYPOINT ["/server"]
