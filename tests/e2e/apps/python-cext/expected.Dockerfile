FROM python:3.13-slim-trixie AS build

RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev python3.13-dev libyaml-dev \
    && rm -rf /var/lib/apt/lists/*

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

COPY pyproject.toml ./
COPY _build/ ./_build/
COPY src/ ./src/
RUN pip install --no-cache-dir --no-index .

COPY app.py catalogue.yaml ./

CMD ["python", "app.py"]

# Python 3.13 on glibc: python3-debian13. The C extension loads libyaml, which the target
# lacks: read from the built image (its ELF closure), and copied from the same release.
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /usr/lib/x86_64-linux-gnu/libyaml-0.so.2 /usr/lib/x86_64-linux-gnu/
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PYTHONPATH=/opt/venv/lib/python3.13/site-packages
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /opt/venv /opt/venv
CMD ["app.py"]
