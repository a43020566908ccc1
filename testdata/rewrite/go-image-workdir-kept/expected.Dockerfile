FROM golang:1.23-alpine AS build
# no WORKDIR: the golang image's own /go is where this builds and runs
COPY main.go go.mod ./
RUN go build -o app .
EXPOSE 8000
CMD ["./app"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /go
COPY --chown=65532:65532 main.go go.mod /go/
COPY --from=build /go/app /go/app
EXPOSE 8000
CMD ["./app"]
