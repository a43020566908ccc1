FROM rust:1.80-slim AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin server

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /src/target/release/server /usr/local/bin/server
USER 1000
ENTRYPOINT ["/usr/local/bin/server"]
