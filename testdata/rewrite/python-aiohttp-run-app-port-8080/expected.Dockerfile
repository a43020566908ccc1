FROM python:3.13-slim AS build
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/usr/local
WORKDIR /srv
COPY --from=build --chown=65532:65532 /srv /srv
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
CMD ["app.py"]
