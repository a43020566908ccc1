FROM rust:1.80-bookworm AS build
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl --bin server

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /src/target/x86_64-unknown-linux-musl/release/server /server
ENTRYPOINT ["/server"]
