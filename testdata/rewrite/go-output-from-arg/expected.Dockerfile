FROM golang:1.23-bookworm AS build

ARG OUT=/out/app
ARG VERSION=dev

WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=${VERSION}" -o $OUT ./cmd/server

ENTRYPOINT ["/out/app"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /out/app /out/app
ENTRYPOINT ["/out/app"]
