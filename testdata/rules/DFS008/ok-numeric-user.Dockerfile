FROM scratch
COPY ./bin/app /app
USER 10001:10001
ENTRYPOINT ["/app"]
