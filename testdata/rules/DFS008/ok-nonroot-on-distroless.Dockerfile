FROM gcr.io/distroless/static-debian13
COPY ./bin/app /app
USER nonroot:nonroot
ENTRYPOINT ["/app"]
