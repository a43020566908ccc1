FROM python:3.13-slim AS builder
WORKDIR /app
RUN python -m venv .venv
COPY requirements.txt .
RUN .venv/bin/pip install -r requirements.txt

FROM python:3.13-slim AS build
WORKDIR /app
# a directory source copies its contents: the venv lands in /app/.venv
COPY --from=builder /app/.venv .venv/
COPY . .
CMD ["/app/.venv/bin/gunicorn", "-b", "0.0.0.0:8080", "app:app"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/app/.venv
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
CMD ["-m", "gunicorn", "-b", "0.0.0.0:8080", "app:app"]
