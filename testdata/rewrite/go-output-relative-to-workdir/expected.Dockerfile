FROM golang:1.22-bookworm AS build

WORKDIR /go/src/github.com/acme/notifier
COPY . .
RUN CGO_ENABLED=0 go build -v -o app .

CMD ["./app"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /go/src/github.com/acme/notifier
COPY --chown=65532:65532 . /go/src/github.com/acme/notifier/
COPY --from=build /go/src/github.com/acme/notifier/app /go/src/github.com/acme/notifier/app
CMD ["./app"]
