FROM golang:1.24 AS build
WORKDIR /app
COPY . /app/
RUN CGO_ENABLED=0 go build -o tracker .
EXPOSE 8080
CMD ["./tracker"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 . /app/
COPY --from=build /app/tracker /app/tracker
EXPOSE 8080
CMD ["./tracker"]
