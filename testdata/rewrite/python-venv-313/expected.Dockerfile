FROM python:3.13-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

WORKDIR /app

RUN python -m venv /opt/venv
COPY requirements.txt .
RUN /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

COPY . .

EXPOSE 8000
CMD ["/opt/venv/bin/python", "-m", "gunicorn_app"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
ENV PYTHONUSERBASE=/opt/venv
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build --chown=65532:65532 /opt/venv /opt/venv
EXPOSE 8000
CMD ["-m", "gunicorn_app"]
