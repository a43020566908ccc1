FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/orders ./cmd/orders

FROM debian:bookworm
COPY --from=build /out/orders /usr/local/bin/orders
USER 65532
ENTRYPOINT ["/usr/local/bin/orders"]
