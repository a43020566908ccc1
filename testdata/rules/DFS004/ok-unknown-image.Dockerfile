FROM registry.example.com/base/app-runtime:2
COPY ./bin/app /app
ENTRYPOINT ["/app"]
