FROM golang:1.22-alpine AS build
WORKDIR /app
COPY go.mod main.go ./
ADD config.yaml /app/
RUN go build -o server .
EXPOSE 8080
CMD ["./server"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 go.mod main.go /app/
COPY --chown=65532:65532 config.yaml /app/
COPY --from=build /app/server /app/server
EXPOSE 8080
CMD ["./server"]
