FROM python:3.13-slim AS build
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt

FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
COPY app.py /app/app.py
ENTRYPOINT ["/venv/bin/python3", "/app/app.py"]
