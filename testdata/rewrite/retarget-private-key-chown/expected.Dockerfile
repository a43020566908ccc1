FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/gw ./cmd/gw

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/gw /usr/local/bin/gw
COPY --chown=65532:65532 --chmod=600 certs/server.key /etc/gw/server.key
COPY certs/server.crt /etc/gw/server.crt
ENV GW_ADDR=:8443
EXPOSE 8443
CMD ["gw", "-cert", "/etc/gw/server.crt", "-key", "/etc/gw/server.key"]
