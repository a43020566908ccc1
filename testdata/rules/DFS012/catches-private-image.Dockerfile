FROM golang:1.24 AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM registry.example.com/platform/base:2024.06
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
