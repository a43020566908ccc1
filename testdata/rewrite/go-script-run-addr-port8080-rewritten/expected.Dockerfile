FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /addrhigh .
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /addrhigh /addrhigh
ENTRYPOINT ["/addrhigh"]
