FROM python:3.13-slim AS build
WORKDIR /srv/notes
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 5000
CMD ["python", "app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/usr/local
WORKDIR /srv/notes
COPY --from=build --chown=65532:65532 /srv/notes /srv/notes
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
EXPOSE 5000
CMD ["app.py"]
