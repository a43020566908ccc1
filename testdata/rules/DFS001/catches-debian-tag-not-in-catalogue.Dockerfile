FROM debian:forky-20270301-slim
COPY app /app
USER 1000
ENTRYPOINT ["/app"]
