FROM registry.internal.example.com/platform/runtime:4.2
COPY app /app
CMD ["/app"]
