FROM rust:1.85-bookworm AS builder
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=builder /usr/src/app/target/release/notify-bot /usr/local/bin/notify-bot
CMD ["notify-bot"]
