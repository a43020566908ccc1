FROM golang:1.23 AS build
WORKDIR /workspace
COPY . .
RUN CGO_ENABLED=0 go build -o /hook8443 .
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /hook8443 /usr/local/bin/hook
ENTRYPOINT ["hook"]
