FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM scratch AS binary
COPY --from=build /out/server /server

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=binary /server /usr/bin/server
ENTRYPOINT ["/usr/bin/server"]
