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

CMD ["python", "app.py"]

# Python 3.13 on glibc: python3-debian13, whose ENTRYPOINT is already /usr/bin/python3.13.
FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONDONTWRITEBYTECODE=1
# what `pip install .` put in the venv (the wordstats package). Only site-packages: the venv's
# bin/python links to the build image's /usr/local/bin/python, which the target lacks, so
# the preset interpreter runs with the venv's site-packages on PYTHONPATH instead.
COPY --from=build /opt/venv/lib/python3.13/site-packages /opt/venv/lib/python3.13/site-packages
ENV PYTHONPATH=/opt/venv/lib/python3.13/site-packages
# the script CMD runs, and the file it opens relative to the working directory
WORKDIR /app
COPY --from=build /app/app.py /app/corpus.txt /app/
# not ["python", "app.py"]: the ENTRYPOINT is the interpreter
CMD ["app.py"]
