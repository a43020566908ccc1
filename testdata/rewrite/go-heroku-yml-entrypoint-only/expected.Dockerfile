FROM golang:1.24-alpine AS build
COPY . /code
WORKDIR /code
ENV CGO_ENABLED=0
RUN go build -o app

FROM gcr.io/distroless/static-debian13:nonroot
# dfslim: made here as the user the image runs as, who may write in it
WORKDIR /app
WORKDIR /
COPY --from=build /code/app /app/app
WORKDIR /app
# No CMD: Heroku runs an ENTRYPOINT as it is, without a shell.
ENTRYPOINT ["/app/app"]
