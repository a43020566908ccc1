FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-w -s" -o /out/api ./

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
WORKDIR /app
COPY --from=build --chown=10001:10001 /out/api /app/api
COPY --chown=10001:10001 config.yaml /app/config.yaml
USER 10001
EXPOSE 8080
ENTRYPOINT ["/app/api"]
CMD ["-config", "/app/config.yaml"]
