FROM gcr.io/distroless/static-debian13:nonroot
COPY ./bin/app /app
ENTRYPOINT ["/app"]
