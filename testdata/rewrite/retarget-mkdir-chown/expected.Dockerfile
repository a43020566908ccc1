FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/uploader ./cmd/uploader
RUN mkdir -p /dfslim-dirs/var/lib/uploader

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/uploader /usr/local/bin/uploader
COPY --from=build --chown=1000:1000 /dfslim-dirs/var/lib/ /var/lib/
USER 1000
VOLUME /var/lib/uploader
ENTRYPOINT ["uploader", "--data", "/var/lib/uploader"]
