FROM rust:1.82-slim-bookworm AS builder
# A faster linker: it makes the binary, which does not load it.
RUN apt-get update && apt-get install -y --no-install-recommends lld clang-16 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/relay
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=builder /usr/src/relay/target/release/relay /usr/local/bin/relay
EXPOSE 3000
CMD ["relay"]
