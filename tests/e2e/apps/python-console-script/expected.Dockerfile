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

COPY corpus.txt ./

# the console script pip wrote in /opt/venv/bin, whose shebang names the venv's python
CMD ["wordstats", "corpus.txt"]

# The console script's wrapper names /opt/venv/bin/python, a link to the build image's
# interpreter, which the target lacks: the same program runs as `python3 -m wordstats`,
# with the venv's site-packages on PYTHONPATH.
FROM gcr.io/distroless/python3-debian13:nonroot
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PYTHONPATH=/opt/venv/lib/python3.13/site-packages
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /opt/venv /opt/venv
CMD ["-m", "wordstats", "corpus.txt"]
