FROM python:3.13-slim-trixie AS builder
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.13-slim-trixie AS build
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY . .
USER 1000
CMD ["python", "-u", "bot.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PYTHONUSERBASE=/opt/venv
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /opt/venv /opt/venv
USER 1000
CMD ["-u", "bot.py"]
