FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/orders ./cmd/orders

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/orders /orders
ENTRYPOINT ["/orders"]
