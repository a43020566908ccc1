FROM golang:1.24 AS builder
WORKDIR /code
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /app main.go

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
ENV GOTRACEBACK=single
COPY --chown=65532:65532 templates/ /templates/
COPY --from=builder /app /app
CMD ["/app"]
