FROM gcr.io/distroless/static-debian13:nonroot
COPY ./bin/app /app
USER 0:0
ENTRYPOINT ["/app"]
