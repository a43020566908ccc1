FROM scratch
COPY ./bin/app /app
USER 65534:65534
ENTRYPOINT ["/app"]
