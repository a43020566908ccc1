FROM python:3.13-slim AS build
WORKDIR /srv/fullstack
COPY . .
RUN pip install --no-cache-dir -r backend/requirements.txt
WORKDIR /srv/fullstack/backend
EXPOSE 8000
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/usr/local
WORKDIR /srv/fullstack/backend
COPY --from=build --chown=65532:65532 /srv/fullstack /srv/fullstack
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
EXPOSE 8000
CMD ["-m", "uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
