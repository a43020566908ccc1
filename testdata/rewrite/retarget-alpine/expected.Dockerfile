FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /bin/relay ./cmd/relay

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /bin/relay /bin/relay
USER 65534
ENTRYPOINT ["/bin/relay"]
