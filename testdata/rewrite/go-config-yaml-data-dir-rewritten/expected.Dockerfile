FROM golang:1.24-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/archiver .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/archiver /usr/local/bin/archiver
COPY config/archiver.yaml /etc/archiver/archiver.yaml
EXPOSE 8080
ENTRYPOINT ["archiver"]
