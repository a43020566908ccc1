FROM ghcr.io/example/minimal-runtime:1.0
COPY ./bin/app /app
CMD /app --port 8080
