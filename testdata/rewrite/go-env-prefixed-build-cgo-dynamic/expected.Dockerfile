FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN env GOOS=linux go build -o /out/server .

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
