FROM python:3.13-slim AS build
WORKDIR /srv/runs
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1000
CMD ["python", "pages.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/usr/local
WORKDIR /srv/runs
COPY --from=build /srv/runs /srv/runs
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
USER 1000
CMD ["pages.py"]
