FROM golang:1.23-alpine AS build

RUN apk add --no-cache git ca-certificates

WORKDIR /build
COPY . .
RUN go build -ldflags "-s -w" -o /bin/webhook .

USER 1000
ENTRYPOINT ["/bin/webhook"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /build
COPY . /build/
COPY --from=build /bin/webhook /bin/webhook
USER 1000
ENTRYPOINT ["/bin/webhook"]
