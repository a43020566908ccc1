FROM golang:1.18 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/server ./cmd/server

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /out/server /usr/local/bin/server
USER 1000
ENTRYPOINT ["/usr/local/bin/server"]
