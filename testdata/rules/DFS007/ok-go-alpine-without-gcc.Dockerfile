FROM golang:1.24-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
USER 65534
ENTRYPOINT ["/app"]
