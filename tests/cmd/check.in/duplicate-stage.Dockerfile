FROM golang:1.24-bookworm AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot AS Build
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
