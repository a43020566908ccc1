FROM python:3.13-slim AS build
WORKDIR /app
ENV PYTHONPATH=/app/src
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY src/ src/
CMD ["python", "-m", "service.main"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONPATH=/app/src
ENV PYTHONUSERBASE=/usr/local
ENV PYTHONPATH=/app/src
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
CMD ["-m", "service.main"]
