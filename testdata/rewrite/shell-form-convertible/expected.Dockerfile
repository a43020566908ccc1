FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server ./cmd/server

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /app/server /app/server
EXPOSE 8080
CMD ["/app/server", "--port", "8080"]
