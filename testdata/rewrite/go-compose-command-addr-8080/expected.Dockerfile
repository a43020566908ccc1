FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM debian:bookworm-slim AS dev
COPY --from=build /out/app /usr/local/bin/app
RUN apt-get update && apt-get install -y curl
CMD ["app"]

FROM gcr.io/distroless/static-debian13:nonroot AS prod
WORKDIR /
COPY --from=build /out/app /usr/local/bin/app
CMD ["app"]
