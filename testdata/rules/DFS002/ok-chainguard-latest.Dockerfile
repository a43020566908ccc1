FROM cgr.dev/chainguard/python:latest-dev AS build
WORKDIR /app
RUN python -m venv venv && venv/bin/pip install flask

FROM cgr.dev/chainguard/python:latest
WORKDIR /app
COPY --from=build /app/venv /app/venv
COPY main.py .
ENTRYPOINT ["/app/venv/bin/python", "main.py"]
