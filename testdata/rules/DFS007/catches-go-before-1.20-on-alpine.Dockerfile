FROM golang:1.19-alpine AS builder
WORKDIR /src
COPY . .
RUN go build -o /bin/server .

FROM scratch
COPY --from=builder /bin/server /server
USER 65532
ENTRYPOINT ["/server"]
