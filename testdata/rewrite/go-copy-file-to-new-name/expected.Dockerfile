# No folder at the destination: the file takes that name, in both images.
FROM golang:1.22-alpine AS build
COPY go.mod main.go /app/
COPY templates/page.html /app/page.html
WORKDIR /app
RUN go build -o main .
EXPOSE 8080
ENTRYPOINT ["/app/main"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 go.mod main.go /app/
COPY --chown=65532:65532 templates/page.html /app/page.html
COPY --from=build /app/main /app/main
EXPOSE 8080
ENTRYPOINT ["/app/main"]
