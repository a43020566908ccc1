FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/web .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/web /usr/local/bin/web
EXPOSE 80
USER 1000
CMD ["web"]
