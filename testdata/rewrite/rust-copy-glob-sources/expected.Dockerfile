FROM rust:1.82-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml ./
COPY src/*.rs ./src/
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /src/target/release/app /usr/local/bin/app
CMD ["app"]
