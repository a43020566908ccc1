FROM debian:bookworm-slim
RUN useradd --system --uid 10001 app
USER app
COPY --chown=app ./bin/app /usr/local/bin/app
USER root
ENTRYPOINT ["/usr/local/bin/app"]
