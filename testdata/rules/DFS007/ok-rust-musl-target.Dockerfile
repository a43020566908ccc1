FROM rust:1.85 AS build
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /usr/src/api
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl --bin api

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /usr/src/api/target/x86_64-unknown-linux-musl/release/api /api
ENTRYPOINT ["/api"]
