FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/orders ./cmd/orders

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/orders /orders
ENTRYPOINT ["/orders"]
