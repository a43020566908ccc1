FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
# hardened build: position-independent, no cgo
RUN CGO_ENABLED=0 go build -buildmode=pie -trimpath -o /usr/local/bin/authd ./cmd/authd
USER 65532
ENTRYPOINT ["authd"]

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /src
COPY . /src/
COPY --from=build /usr/local/bin/authd /usr/local/bin/authd
USER 65532
ENTRYPOINT ["authd"]
