FROM golang:1.22-alpine AS build
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o server .
EXPOSE 8080
CMD ["./server", "-config", "config.yaml"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 . /app/
COPY --from=build /app/server /app/server
EXPOSE 8080
CMD ["./server", "-config", "config.yaml"]
