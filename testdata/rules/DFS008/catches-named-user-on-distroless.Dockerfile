FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .
RUN adduser --disabled-password --gecos "" appuser

FROM gcr.io/distroless/static-debian13
COPY --from=build /out/app /app
USER appuser
ENTRYPOINT ["/app"]
