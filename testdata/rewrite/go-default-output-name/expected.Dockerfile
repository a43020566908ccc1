FROM golang:1.23-bookworm AS build
WORKDIR /usr/src/app

COPY go.mod ./
RUN go mod download && go mod verify

COPY . .
RUN CGO_ENABLED=0 go build -v

CMD ["/usr/src/app/pinger"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /usr/src/app
COPY --chown=65532:65532 . /usr/src/app/
COPY --from=build /usr/src/app/pinger /usr/src/app/pinger
CMD ["/usr/src/app/pinger"]
