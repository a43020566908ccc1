FROM python:3.13-slim AS build
ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY run.py .
EXPOSE ${AGENT_PORT}
CMD ["python", "run.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUNBUFFERED=1
ENV PYTHONUSERBASE=/usr/local
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
CMD ["run.py"]
