FROM python:3.13-slim AS build
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir --target=/app/deps -r requirements.txt

FROM python:3.13-slim AS build-2
WORKDIR /app
COPY --from=build /app /app
ENV PYTHONPATH=/app/deps
CMD ["python", "app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONPATH=/app/deps
ENV PYTHONPATH=/app/deps
WORKDIR /app
COPY --from=build-2 --chown=65532:65532 /app /app
CMD ["app.py"]
