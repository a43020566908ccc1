FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
ENV APP_USER=10001
COPY --from=build /out/app /app
USER 10001
ENTRYPOINT ["/app"]
