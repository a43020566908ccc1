FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN env CGO_ENABLED=0 go build -o /out/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
