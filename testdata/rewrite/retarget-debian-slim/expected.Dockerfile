FROM golang:1.23-bookworm AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/billing ./cmd/billing

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --chmod=0755 --from=builder /out/billing /usr/local/bin/billing
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/billing"]
