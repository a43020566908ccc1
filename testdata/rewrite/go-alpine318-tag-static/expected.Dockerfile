# golang:alpine3.18 carried Go 1.20 or later: the build without gcc is static.
FROM golang:alpine3.18 AS build
WORKDIR /src
COPY main.go .
RUN go build -o /app main.go
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /app /app
ENTRYPOINT ["/app"]
