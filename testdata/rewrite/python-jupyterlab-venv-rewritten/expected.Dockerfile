FROM python:3.13-slim AS build
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install jupyterlab==4.3.1
FROM python:3.13-slim AS build-2
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /work
CMD ["python", "-m", "jupyterlab", "--ip=0.0.0.0", "--no-browser"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PYTHONUSERBASE=/opt/venv
WORKDIR /work
COPY --from=build-2 --chown=65532:65532 /work /work
COPY --from=build-2 --chown=65532:65532 /opt/venv /opt/venv
CMD ["-m", "jupyterlab", "--ip=0.0.0.0", "--no-browser"]
