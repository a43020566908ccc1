FROM debian:bookworm-slim
COPY app /app
ENTRYPOINT ["/app"]
