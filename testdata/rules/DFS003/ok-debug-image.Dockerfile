FROM gcr.io/distroless/static-debian13:debug-nonroot
COPY ./bin/app /app
CMD /app --port 8080
