ARG PYTHON_VERSION=3.13-slim

FROM python:${PYTHON_VERSION} AS build

ENV PYTHONDONTWRITEBYTECODE 1
ENV PYTHONUNBUFFERED 1

RUN mkdir -p /code

WORKDIR /code

COPY requirements.txt /tmp/requirements.txt
RUN set -ex && \
    pip install --upgrade pip && \
    pip install -r /tmp/requirements.txt && \
    rm -rf /root/.cache/
COPY . /code

EXPOSE 8000

CMD ["gunicorn", "--bind", ":8000", "--workers", "2", "hello:app"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONDONTWRITEBYTECODE 1
ENV PYTHONUNBUFFERED 1
ENV PYTHONUSERBASE=/usr/local
WORKDIR /code
COPY --from=build --chown=65532:65532 /code /code
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
EXPOSE 8000
CMD ["-m", "gunicorn", "--bind", ":8000", "--workers", "2", "hello:app"]
