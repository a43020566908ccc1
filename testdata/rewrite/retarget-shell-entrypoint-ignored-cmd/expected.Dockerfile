FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/app .
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /bin/app /bin/app
ENTRYPOINT ["/bin/app", "--port", "8080"]
