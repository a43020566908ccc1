FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM debian:bookworm
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
