FROM python:3.13-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV PORT=8080
CMD exec gunicorn --bind :$PORT --workers 1 app:app

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PORT=8080
ENV PYTHONUSERBASE=/usr/local
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
CMD ["-m", "gunicorn", "--workers", "1", "app:app"]
