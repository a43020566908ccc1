FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /ci-other .
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /ci-other /usr/local/bin/ci-other
ENTRYPOINT ["ci-other"]
