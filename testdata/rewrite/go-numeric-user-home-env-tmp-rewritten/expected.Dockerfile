FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
ENV HOME=/tmp
COPY --from=build /out/server /usr/local/bin/server
USER 10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/server"]

