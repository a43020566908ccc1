# dfslim global ignore=DFS001
FROM debian:bookworm-slim
COPY ./bin/app /usr/local/bin/app
# dfslim ignore=DFS004
USER root
ENTRYPOINT ["/usr/local/bin/app"]
