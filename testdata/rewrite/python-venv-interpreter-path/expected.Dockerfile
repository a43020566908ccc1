FROM python:3.13-slim AS build
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt

FROM python:3.13-slim AS build-2
COPY --from=build /venv /venv
COPY app.py /app/app.py
CMD ["/venv/bin/python", "/app/app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/venv
WORKDIR /
COPY --from=build-2 --chown=65532:65532 /app /app
COPY --from=build-2 --chown=65532:65532 /venv /venv
CMD ["/app/app.py"]
