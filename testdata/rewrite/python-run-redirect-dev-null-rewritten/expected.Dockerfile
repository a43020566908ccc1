FROM python:3.13-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN mkdir -p ~/.cache/pip && echo "built" > /dev/null && pip --version | tee ~/.cache/pip/version.txt
COPY . .
EXPOSE 8080
CMD ["streamlit", "run", "app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUSERBASE=/usr/local
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
EXPOSE 8080
CMD ["-m", "streamlit", "run", "app.py"]
