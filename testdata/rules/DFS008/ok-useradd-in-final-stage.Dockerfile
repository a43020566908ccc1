FROM debian:bookworm-slim AS build
RUN useradd --system app

FROM debian:bookworm-slim
RUN useradd --system app
COPY ./bin/app /usr/local/bin/app
USER app
ENTRYPOINT ["/usr/local/bin/app"]
