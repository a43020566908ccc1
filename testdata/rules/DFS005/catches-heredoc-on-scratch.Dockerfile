# syntax=docker/dockerfile:1
FROM scratch
COPY ./bin/app /app
RUN <<EOF
mkdir -p /data
chown 65534 /data
EOF
USER 65534
ENTRYPOINT ["/app"]
