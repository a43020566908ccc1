FROM python:3.13-slim-trixie AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
# the wheels come from the build context (no index is reachable during the build)
RUN --mount=type=bind,source=wheels,target=/tmp/wheels \
    pip install --no-cache-dir --no-index --find-links /tmp/wheels gunicorn
COPY app.py ./
EXPOSE 8000
# gunicorn is the console script pip wrote in /opt/venv/bin: its shebang names the venv's
# python, which a distroless image does not have at that path
CMD ["gunicorn", "--bind", "127.0.0.1:8000", "--workers", "2", "app:app"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PYTHONPATH=/opt/venv/lib/python3.13/site-packages
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /opt/venv /opt/venv
EXPOSE 8000
CMD ["-m", "gunicorn", "--bind", "127.0.0.1:8000", "--workers", "2", "app:app"]
