FROM scratch
COPY ./bin/app /app
HEALTHCHECK --interval=10s CMD ["/bin/sh", "-c", "/app healthcheck"]
USER 65534
ENTRYPOINT ["/app"]
