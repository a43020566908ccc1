from golang:1.23-bookworm as build

workdir /src
copy . .
run CGO_ENABLED=0 go build -o /out/queue ./cmd/queue

expose 5672
entrypoint ["/out/queue"]

from gcr.io/distroless/static-debian13:nonroot
workdir /src
copy --chown=65532:65532 . /src/
copy --from=build /out/queue /out/queue
expose 5672
entrypoint ["/out/queue"]
