FROM golang:1.24-trixie AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server
RUN mkdir -p /dfslim-dirs/data/uploads /dfslim-dirs/srv/cache

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build --chown=nonroot /dfslim-dirs/data/ /data/
WORKDIR /srv
COPY --from=build --chown=nonroot /dfslim-dirs/srv/ /srv/
COPY --from=build /out/server /usr/local/bin/server
ENTRYPOINT ["/usr/local/bin/server", "--data", "/data/uploads", "--cache", "/srv/cache"]
