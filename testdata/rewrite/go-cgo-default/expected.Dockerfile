FROM golang:1.24-bookworm AS build

WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .

# sqlite driver needs cgo
RUN go build -o /usr/local/bin/inventory ./cmd/inventory

EXPOSE 9000
CMD ["inventory", "--addr", ":9000"]

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 . /app/
COPY --from=build /usr/local/bin/inventory /usr/local/bin/inventory
EXPOSE 9000
CMD ["inventory", "--addr", ":9000"]
