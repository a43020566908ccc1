FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /kusthttp .
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /kusthttp /kusthttp
USER 1000
ENTRYPOINT ["/kusthttp"]
