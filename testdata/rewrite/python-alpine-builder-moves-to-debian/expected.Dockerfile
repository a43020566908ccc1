FROM python:3.13.5-slim AS deps
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt

FROM python:3.13.5-slim AS build
WORKDIR /app
COPY --from=deps /venv /venv
COPY app.py .
ENV PATH=/venv/bin:$PATH
CMD ["python", "app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PATH=/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PYTHONUSERBASE=/venv
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build --chown=65532:65532 /venv /venv
CMD ["app.py"]
