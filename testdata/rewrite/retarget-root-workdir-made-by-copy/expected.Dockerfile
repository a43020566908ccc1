FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM gcr.io/distroless/static-debian13:nonroot
# dfslim: made here as the user the image runs as, who may write in it
WORKDIR /app
WORKDIR /
COPY --from=build /out/server /app/server
COPY --chown=65532:65532 templates /app/templates
WORKDIR /app
CMD ["/app/server"]
