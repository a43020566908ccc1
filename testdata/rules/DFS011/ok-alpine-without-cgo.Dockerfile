FROM golang:1.24-alpine AS build
RUN apk add --no-cache git
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
