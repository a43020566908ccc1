# escape=`
FROM golang:1.23-bookworm AS build

WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build `
      -trimpath `
      -o /out/svc `
      ./cmd/svc

ENTRYPOINT ["/out/svc"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /out/svc /out/svc
ENTRYPOINT ["/out/svc"]
