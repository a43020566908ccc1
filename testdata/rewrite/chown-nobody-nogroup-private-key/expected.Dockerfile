FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/app /usr/local/bin/app
COPY --chown=65534:65534 --chmod=600 secrets/app.key /etc/app/app.key
USER nobody
ENTRYPOINT ["/usr/local/bin/app", "--tls-key", "/etc/app/app.key"]
