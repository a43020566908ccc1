FROM python:3.13-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

ENTRYPOINT ["python", "manage.py"]
CMD ["runserver", "0.0.0.0:8000"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
ENV PYTHONUSERBASE=/usr/local
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
ENTRYPOINT ["/usr/bin/python3.13", "manage.py"]
CMD ["runserver", "0.0.0.0:8000"]
