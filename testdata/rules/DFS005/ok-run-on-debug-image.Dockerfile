FROM gcr.io/distroless/base-debian13:debug
RUN mkdir -p /app/data
COPY ./bin/app /app/app
ENTRYPOINT ["/app/app"]
