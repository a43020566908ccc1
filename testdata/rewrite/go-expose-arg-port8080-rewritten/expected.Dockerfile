FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /exposer .
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /exposer /exposer
ARG HTTP_PORT=8080
EXPOSE ${HTTP_PORT}/tcp
ENTRYPOINT ["/exposer"]
