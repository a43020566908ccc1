FROM cgr.dev/chainguard/python:latest-dev AS build
WORKDIR /app
RUN python -m venv venv
COPY requirements.txt .
RUN venv/bin/pip install -r requirements.txt

FROM cgr.dev/chainguard/python:latest-dev
WORKDIR /app
COPY --from=build /app/venv /app/venv
COPY main.py .
ENTRYPOINT ["/app/venv/bin/python", "main.py"]
