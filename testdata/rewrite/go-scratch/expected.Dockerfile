FROM golang:1.23-bookworm AS build

WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/exporter ./cmd/exporter

EXPOSE 9100
ENTRYPOINT ["/out/exporter"]

FROM scratch
WORKDIR /src
COPY . /src/
COPY --from=build /out/exporter /out/exporter
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build --chmod=1777 /tmp /tmp
EXPOSE 9100
USER 65532:65532
ENTRYPOINT ["/out/exporter"]
