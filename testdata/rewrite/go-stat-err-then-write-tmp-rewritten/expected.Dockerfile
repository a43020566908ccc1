FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /cachewarm .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /cachewarm /cachewarm
CMD ["/cachewarm"]
