FROM python:3.13-slim AS build
WORKDIR /app
COPY server.py .
CMD ["python", "server.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
CMD ["server.py"]
