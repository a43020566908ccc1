# Orders service: build and run in one stage.
FROM golang:1.23-bookworm AS build

WORKDIR /src

# Dependencies first, for the layer cache.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/orders ./cmd/orders

ENV ORDERS_LISTEN=:8080
EXPOSE 8080
ENTRYPOINT ["/out/orders"]

FROM gcr.io/distroless/static-debian13:nonroot
ENV ORDERS_LISTEN=:8080
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /out/orders /out/orders
EXPOSE 8080
ENTRYPOINT ["/out/orders"]
