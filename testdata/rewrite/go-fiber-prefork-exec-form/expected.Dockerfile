FROM golang:1.22 AS build

WORKDIR /fiber

COPY ./src /fiber

RUN go build -ldflags="-s -w" -o app .

EXPOSE 8080

CMD ["./app", "-prefork"]

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /fiber
COPY --chown=65532:65532 ./src /fiber/
COPY --from=build /fiber/app /fiber/app
EXPOSE 8080
CMD ["./app", "-prefork"]
