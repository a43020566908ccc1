FROM rust:1.85 AS build
WORKDIR /src
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl --bin api

FROM scratch
COPY --from=build /src/target/x86_64-unknown-linux-musl/release/api /api
USER 65534
ENTRYPOINT /api serve --config /etc/api.toml 2>&1
