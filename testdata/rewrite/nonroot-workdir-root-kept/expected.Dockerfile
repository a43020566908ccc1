FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /server ./cmd/server

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /server /server
COPY --chown=65532:65532 config.yaml /config.yaml
# relative to the working directory, which is / here
CMD ["./server", "-config", "config.yaml"]
