FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/server .
RUN mkdir -p /dfslim-dirs/data

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build --chown=1000:1000 /dfslim-dirs/ /
USER 1000
COPY --from=build /out/server /usr/local/bin/server
WORKDIR /data
ENTRYPOINT ["server"]
