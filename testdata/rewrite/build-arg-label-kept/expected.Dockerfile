ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}-bookworm AS build

ARG VERSION=dev
ARG COMMIT

WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=${VERSION}" -o /out/api ./cmd/api

LABEL org.opencontainers.image.version=$VERSION \
      org.opencontainers.image.revision=$COMMIT
ENV API_VERSION=${VERSION}
ENTRYPOINT ["/out/api"]

FROM gcr.io/distroless/static-debian13:nonroot
ARG COMMIT
ARG VERSION=dev
LABEL org.opencontainers.image.version=$VERSION \
      org.opencontainers.image.revision=$COMMIT
ENV API_VERSION=${VERSION}
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /out/api /out/api
ENTRYPOINT ["/out/api"]
