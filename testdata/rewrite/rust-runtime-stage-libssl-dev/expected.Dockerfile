# The runtime stage installs libssl-dev (headers and the libssl.so link beside libssl3)
# and CA certificates for a program linked against libssl.so.3: distroless cc has both.
FROM rust:1.75-slim-bookworm AS builder
WORKDIR /usr/src/app
COPY . .
RUN apt-get update && apt-get install -y pkg-config libssl-dev && rm -rf /var/lib/apt/lists/*
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=builder /usr/src/app/target/release/notifier /usr/local/bin/notifier
CMD ["notifier"]
