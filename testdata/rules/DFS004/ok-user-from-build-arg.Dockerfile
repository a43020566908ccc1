FROM gcr.io/distroless/static-debian13
ARG UID
COPY ./bin/app /app
USER ${UID}
ENTRYPOINT ["/app"]
