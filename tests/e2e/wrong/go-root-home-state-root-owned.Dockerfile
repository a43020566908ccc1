# app: go-root-home
# caught-by: behaviour
# Wrong on purpose (for run.sh --self-test): moved to /app, but the state folder is copied
# without --chown, so it is root's and the nonroot program cannot count its runs there.
FROM golang:1.24-trixie AS builder
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/greeter .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --from=builder /out/greeter .
COPY templates ./templates
COPY state ./state
CMD ["./greeter"]
