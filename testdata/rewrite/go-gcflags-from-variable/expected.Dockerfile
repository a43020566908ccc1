FROM golang:1.22-alpine AS builder
WORKDIR /code
COPY main.go go.mod ./
ARG SKAFFOLD_GO_GCFLAGS
RUN go build -gcflags="${SKAFFOLD_GO_GCFLAGS}" -trimpath -o /app main.go

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
CMD ["./app"]
COPY --from=builder /app .
