FROM curlimages/curl:8.11.1 AS curl

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=curl /usr/bin/curl /usr/bin/curl
COPY ./bin/app /app
HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/healthz"]
ENTRYPOINT ["/app"]
