FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /pinger .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /pinger /pinger
EXPOSE 8080
# Exec form, not shell form, so that the app gets the signals.
CMD ["/pinger"]
