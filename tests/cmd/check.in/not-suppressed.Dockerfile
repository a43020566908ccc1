FROM debian:bookworm-slim
COPY ./bin/app /usr/local/bin/app
USER root
ENTRYPOINT ["/usr/local/bin/app"]
