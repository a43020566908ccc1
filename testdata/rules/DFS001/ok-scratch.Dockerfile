FROM rust:1.85-alpine AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin api

FROM scratch
COPY --from=build /src/target/release/api /api
USER 65534
ENTRYPOINT ["/api"]
