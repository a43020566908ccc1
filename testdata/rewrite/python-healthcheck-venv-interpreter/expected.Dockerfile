FROM python:3.13-slim AS builder
RUN python -m venv /opt/venv
COPY requirements.txt .
RUN /opt/venv/bin/pip install -r requirements.txt

FROM python:3.13-slim AS build
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY . .
USER 1000
HEALTHCHECK CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
CMD ["python", "-m", "uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PYTHONUSERBASE=/opt/venv
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /opt/venv /opt/venv
USER 1000
HEALTHCHECK CMD ["/usr/bin/python3.13", "-c", "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
CMD ["-m", "uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
