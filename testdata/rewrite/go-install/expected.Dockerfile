FROM golang:1.23-bookworm AS build

ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
# installs into $GOPATH/bin, which is /go/bin in the golang image
RUN go install ./cmd/gateway

EXPOSE 8443
ENTRYPOINT ["gateway"]
CMD ["-config", "/etc/gateway/config.yaml"]

FROM gcr.io/distroless/static-debian13:nonroot
ENV CGO_ENABLED=0
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /go/bin/gateway /go/bin/gateway
EXPOSE 8443
ENTRYPOINT ["/go/bin/gateway"]
CMD ["-config", "/etc/gateway/config.yaml"]
