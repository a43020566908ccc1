FROM busybox:1.36-musl AS tools

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=tools /bin/busybox /busybox/sh
SHELL ["/busybox/sh", "-c"]
RUN mkdir -p /data
COPY ./bin/app /app
ENTRYPOINT ["/app"]
