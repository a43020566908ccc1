from golang:1.23-bookworm as build
workdir /src
copy . .
run CGO_ENABLED=0 go build -o /out/api ./cmd/api

from gcr.io/distroless/static-debian13:nonroot
workdir /
copy --from=build /out/api /usr/local/bin/api
user nonroot
entrypoint ["/usr/local/bin/api"]
