FROM rust:1.82-slim-bookworm AS build
WORKDIR /usr/src/ledger
COPY . .
RUN cargo build --release --bin ledger

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /usr/src/ledger/target/release/ledger /usr/local/bin/ledger
USER 1001
CMD ["ledger", "serve"]
