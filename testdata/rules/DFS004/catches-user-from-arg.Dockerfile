FROM cgr.dev/chainguard/static:latest
ARG RUN_AS=root
COPY ./bin/app /app
USER ${RUN_AS}
ENTRYPOINT ["/app"]
