FROM busybox:musl AS busybox

FROM scratch
RUN --mount=from=busybox,dst=/bin mkdir -p /data
COPY ./bin/app /app
ENTRYPOINT ["/app"]
