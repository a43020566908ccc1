FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
ARG VERSION
RUN CGO_ENABLED=0 go build -ldflags "-s -w -X main.version=${VERSION} -X main.commit=$(git rev-parse HEAD)" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/server /usr/local/bin/server
USER 1000
ENTRYPOINT ["/usr/local/bin/server"]
