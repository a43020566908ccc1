# app: rust-cli
# caught-by: behaviour
# Wrong on purpose (for run.sh --self-test): the Rust binary put on `base`, which has glibc
# but not libgcc_s (that is what `cc` adds); the dynamic loader refuses to start it.
FROM rust:1.85-slim-trixie AS build

WORKDIR /usr/src/primes
COPY . .

RUN cargo install --path .

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /usr/local/cargo/bin/primes /usr/local/cargo/bin/primes
CMD ["/usr/local/cargo/bin/primes"]
