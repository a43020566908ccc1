FROM golang:1.24-alpine AS build
RUN apk add --no-cache gcc musl-dev sqlite-dev
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 go build -o /out/app .

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
