FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .
RUN mkdir -p /dfslim-dirs/data

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build --chown=1000:1000 /dfslim-dirs/ /
COPY --from=build /out/server /server
USER 1000
ENTRYPOINT ["/server"]
