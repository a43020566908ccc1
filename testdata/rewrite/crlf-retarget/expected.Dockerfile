FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --chmod=755 --from=build /out/api /usr/local/bin/api
HEALTHCHECK CMD ["api", "ping"]
CMD ["api", "serve", "--port", "8080"]
