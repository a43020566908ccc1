FROM debian:bookworm-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 app
USER app
COPY ./bin/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
