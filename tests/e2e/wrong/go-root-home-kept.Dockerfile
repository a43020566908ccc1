# app: go-root-home
# caught-by: behaviour
# Wrong on purpose (for run.sh --self-test): the runtime stage is retargeted but keeps
# WORKDIR /root/, root's home (mode 0700), which the nonroot user cannot enter.
FROM golang:1.24-trixie AS builder
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/greeter .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /root/
COPY --from=builder /out/greeter .
COPY templates ./templates
COPY state ./state
CMD ["./greeter"]
