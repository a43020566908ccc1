FROM golang:1.24-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /bin/notifier .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /bin/notifier /bin/notifier
EXPOSE 8080
ENTRYPOINT ["/bin/notifier"]
