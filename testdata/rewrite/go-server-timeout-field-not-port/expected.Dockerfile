# http.Server{…} names a timeout beside its address: 10 is not a port (metal-stack/rethinkdb-exporter).
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/srv .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /bin/srv /bin/srv
EXPOSE 8080
ENTRYPOINT ["/bin/srv"]
