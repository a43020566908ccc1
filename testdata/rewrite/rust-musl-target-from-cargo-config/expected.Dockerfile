FROM rust:1.82-slim-bookworm AS build
RUN rustup target add x86_64-unknown-linux-musl && apt-get update && apt-get install -y musl-tools
WORKDIR /src
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app
USER nobody
ENTRYPOINT ["/app"]
