FROM alpine:3.20 AS users
RUN adduser -D -H -u 10001 appuser

FROM scratch
COPY --from=users /etc/passwd /etc/passwd
COPY --from=users /etc/group /etc/group
COPY ./bin/app /app
USER appuser
ENTRYPOINT ["/app"]
