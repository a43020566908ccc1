FROM gcr.io/distroless/python3-debian13:nonroot AS runtime
RUN mkdir -p /app/data

FROM runtime
COPY app.py /app/app.py
CMD ["/app/app.py"]
