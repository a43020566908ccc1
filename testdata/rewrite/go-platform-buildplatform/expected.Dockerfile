# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM golang:1.23-bookworm AS build

ARG TARGETOS
ARG TARGETARCH

WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/agent ./cmd/agent

ENTRYPOINT ["/out/agent"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /out/agent /out/agent
ENTRYPOINT ["/out/agent"]
