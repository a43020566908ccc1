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
ENV PORT=8000
EXPOSE 8000
# Cloud Run's shape: the port comes from $PORT, through a shell. gunicorn's own default
# binds 0.0.0.0:$PORT when PORT is set, so the rewrite can leave the flag out and keep
# `docker run -e PORT=…` working.
CMD exec gunicorn --bind :$PORT --workers 2 app:app

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PORT=8000
ENV PYTHONUSERBASE=/opt/venv
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /opt/venv /opt/venv
EXPOSE 8000
CMD ["-m", "gunicorn", "--workers", "2", "app:app"]
