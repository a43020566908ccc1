FROM python:3.13-slim AS build
WORKDIR /srv/diskless
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/usr/local
WORKDIR /srv/diskless
COPY --from=build --chown=65532:65532 /srv/diskless /srv/diskless
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
CMD ["-m", "gunicorn", "-b", "0.0.0.0:8000", "app:app"]
