FROM golang:1.18-alpine AS builder
WORKDIR /src
COPY . .
RUN go build -tags netgo,osusergo -o /bin/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=builder /bin/server /server
ENTRYPOINT ["/server"]
