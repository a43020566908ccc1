FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/orders ./cmd/orders

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/orders /orders
ENTRYPOINT ["/orders"]
