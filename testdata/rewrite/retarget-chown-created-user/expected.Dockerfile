FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/worker ./cmd/worker

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build --chown=65532:65532 /out/worker /usr/local/bin/worker
USER nonroot
ENTRYPOINT ["worker"]
