FROM python:3.13-slim AS build
WORKDIR /
COPY requirements.txt app.py /
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/usr/local
WORKDIR /
COPY --from=build --chown=65532:65532 /requirements.txt /requirements.txt
COPY --from=build --chown=65532:65532 /app.py /app.py
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
CMD ["app.py"]
