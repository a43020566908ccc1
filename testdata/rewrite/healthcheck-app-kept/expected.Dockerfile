FROM golang:1.23-bookworm AS build

WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server ./cmd/server

EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=2s --retries=3 CMD ["/app/server", "health"]
ENTRYPOINT ["/app/server"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /app/server /app/server
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=2s --retries=3 CMD ["/app/server", "health"]
ENTRYPOINT ["/app/server"]
