FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
# the server uses cgo (sqlite); the migrate tool does not
RUN go build -o /out/server ./cmd/server \
 && CGO_ENABLED=0 go build -o /out/migrate ./cmd/migrate

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --chown=65532:65532 --from=build /out/ /opt/bin/
ENTRYPOINT ["/opt/bin/migrate"]
CMD ["up"]
