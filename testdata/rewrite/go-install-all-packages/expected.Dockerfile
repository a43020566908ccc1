FROM golang:1.24-bookworm AS build

ENV CGO_ENABLED=0
WORKDIR /go/src/app
COPY go.mod go.sum ./
COPY cmd/api/ ./cmd/api/
COPY internal/ ./internal/
# one binary per main package, in $GOPATH/bin, named after its folder
RUN go install ./...

CMD ["api"]

FROM gcr.io/distroless/static-debian13:nonroot
ENV CGO_ENABLED=0
WORKDIR /go/src/app
COPY --chown=65532:65532 go.mod go.sum /go/src/app/
COPY --chown=65532:65532 cmd/api/ /go/src/app/cmd/api/
COPY --chown=65532:65532 internal/ /go/src/app/internal/
COPY --from=build /go/bin/api /go/bin/api
CMD ["/go/bin/api"]
