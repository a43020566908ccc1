FROM rust:1.82-slim-bookworm AS build

WORKDIR /usr/src/relay
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked

ENV RUST_LOG=info
EXPOSE 3000
CMD ["/usr/src/relay/target/release/relay"]

FROM gcr.io/distroless/cc-debian13:nonroot
ENV RUST_LOG=info
WORKDIR /usr/src/relay
COPY --chown=65532:65532 Cargo.toml Cargo.lock /usr/src/relay/
COPY --chown=65532:65532 src /usr/src/relay/src
COPY --from=build /usr/src/relay/target/release/relay /usr/src/relay/target/release/relay
EXPOSE 3000
CMD ["/usr/src/relay/target/release/relay"]
