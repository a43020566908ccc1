FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

# `docker build --target debug` for a shell while developing
FROM gcr.io/distroless/static-debian13:debug AS debug
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
