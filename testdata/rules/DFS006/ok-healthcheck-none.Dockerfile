FROM gcr.io/distroless/static-debian13:nonroot AS base
HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/"]

FROM base
COPY ./bin/app /app
HEALTHCHECK NONE
ENTRYPOINT ["/app"]
