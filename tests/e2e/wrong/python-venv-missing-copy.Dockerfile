# app: python-venv
# caught-by: behaviour
# Wrong on purpose (for run.sh --self-test): the COPY of the venv's site-packages is missing,
# so `import wordstats` fails at run time.
FROM python:3.13-slim-trixie AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

COPY pyproject.toml ./
COPY _build/ ./_build/
COPY src/ ./src/
RUN pip install --no-cache-dir --no-index .

COPY app.py corpus.txt ./

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONPATH=/opt/venv/lib/python3.13/site-packages
WORKDIR /app
COPY --from=build /app/app.py /app/corpus.txt /app/
CMD ["app.py"]
