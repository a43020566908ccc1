FROM busybox:1.36-musl AS shell

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=shell /bin/busybox /bin/sh
COPY ./bin/app /app
CMD /app --port 8080
