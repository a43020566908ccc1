# Windows checkout, CRLF line endings
FROM golang:1.23-bookworm AS build

WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/scheduler \
    ./cmd/scheduler

EXPOSE 8080
ENTRYPOINT ["/out/scheduler"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /out/scheduler /out/scheduler
EXPOSE 8080
ENTRYPOINT ["/out/scheduler"]
