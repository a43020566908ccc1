FROM python:3.12-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt

FROM python:3.12-slim
COPY --from=build /venv /venv
COPY app.py /app/app.py
USER nobody
CMD ["/venv/bin/python", "/app/app.py"]
