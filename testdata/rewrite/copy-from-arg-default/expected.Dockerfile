ARG BUILDER=build
FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
ARG BUILDER
COPY --from=${BUILDER} /out/app /usr/local/bin/app
USER 1000
ENTRYPOINT ["/usr/local/bin/app"]
