FROM rust:1.85 AS build
WORKDIR /usr/src/api
COPY . .
RUN cargo build --release --bin api

FROM scratch
COPY --from=build /usr/src/api/target/release/api /api
USER 65534
ENTRYPOINT ["/api"]
