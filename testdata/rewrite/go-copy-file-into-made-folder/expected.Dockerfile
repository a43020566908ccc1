# The file goes into the folder RUN mkdir made (tosin2013/codeready-go-app): the new stage says so with a /.
FROM golang:1.22-alpine AS build
RUN mkdir -p /app/templates
COPY go.mod main.go /app/
COPY templates/page.html /app/templates
WORKDIR /app
RUN go build -o main .
EXPOSE 8080
ENTRYPOINT ["/app/main"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 go.mod main.go /app/
COPY --chown=65532:65532 templates/page.html /app/templates/
COPY --from=build /app/main /app/main
EXPOSE 8080
ENTRYPOINT ["/app/main"]
