FROM python:3 AS build
RUN python -m venv /venv && /venv/bin/pip install flask

FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
ENTRYPOINT ["/venv/bin/python3", "-m", "flask", "run"]
