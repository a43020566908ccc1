FROM rust:1.85-slim-trixie AS build

WORKDIR /usr/src/primes
COPY . .

RUN cargo install --path .

# A Rust binary on glibc links libgcc_s (unwinding): `cc`.
FROM gcr.io/distroless/cc-debian13:nonroot
# the one artifact: `cargo install --path .` puts the `primes` binary (Cargo.toml's package
# name) in $CARGO_HOME/bin, /usr/local/cargo/bin in the rust image; CMD found it through PATH
COPY --from=build /usr/local/cargo/bin/primes /usr/local/cargo/bin/primes
CMD ["/usr/local/cargo/bin/primes"]
