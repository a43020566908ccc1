FROM golang:1.22 AS b
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=b /app /app
CMD ["/app"]
