# The rust image's WORKDIR is `/`: the build writes /target/release, and the COPY names it
# relative to the root of the build stage.
FROM rust:1.71 AS builder
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=builder ./target/release/tally ./target/release/tally
CMD ["./target/release/tally"]
