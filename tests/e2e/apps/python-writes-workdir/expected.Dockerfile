FROM python:3.13-slim-trixie AS build
WORKDIR /app
COPY app.py ./
# Runs as root and writes into its working folder by relative paths, as many apps do (a
# SQLite database, an uploads folder). The rewrite runs as nonroot: the new stage's
# WORKDIR makes /app before the COPY, owned by the user the image runs as.
CMD ["python", "app.py"]

FROM gcr.io/distroless/python3-debian13:nonroot
WORKDIR /app
COPY --from=build /app /app
CMD ["app.py"]
