FROM python:3.13-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=mysite.settings.production
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "mysite.wsgi:application"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV DJANGO_SETTINGS_MODULE=mysite.settings.production
ENV PYTHONUSERBASE=/usr/local
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
EXPOSE 8000
CMD ["-m", "gunicorn", "-b", "0.0.0.0:8000", "mysite.wsgi:application"]
