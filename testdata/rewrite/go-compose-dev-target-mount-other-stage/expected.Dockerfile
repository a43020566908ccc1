FROM golang:1.22 AS deploy-builder
WORKDIR /app
COPY go.mod ./
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o app .

FROM gcr.io/distroless/static-debian13:nonroot AS deploy
WORKDIR /
COPY --from=deploy-builder /app/app .
CMD ["./app"]

FROM golang:1.22 AS dev
WORKDIR /app
RUN go install github.com/air-verse/air@latest
CMD ["air"]
