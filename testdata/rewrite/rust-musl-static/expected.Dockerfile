FROM rust:1.82-bookworm AS build

RUN rustup target add x86_64-unknown-linux-musl \
 && apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl --bin shortener

EXPOSE 8000
ENTRYPOINT ["/app/target/x86_64-unknown-linux-musl/release/shortener"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 . /app/
COPY --from=build /app/target/x86_64-unknown-linux-musl/release/shortener /app/target/x86_64-unknown-linux-musl/release/shortener
EXPOSE 8000
ENTRYPOINT ["/app/target/x86_64-unknown-linux-musl/release/shortener"]
