FROM python:3.13-slim AS build
WORKDIR /srv
COPY echo.py .
EXPOSE 9000
CMD ["python3", "echo.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
WORKDIR /srv
COPY --from=build --chown=65532:65532 /srv /srv
EXPOSE 9000
CMD ["echo.py"]
