# syntax=docker/dockerfile:1
ARG RUST_VERSION=1.75.0
ARG APP_NAME=myapp
FROM rust:${RUST_VERSION}-slim-bullseye AS build
ARG APP_NAME
WORKDIR /app
RUN --mount=type=bind,source=src,target=src \
    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \
    --mount=type=cache,target=/app/target/ \
    --mount=type=cache,target=/usr/local/cargo/registry/ \
    <<EOF2
set -e
cargo build --locked --release
cp ./target/release/$APP_NAME /bin/server
EOF2

FROM gcr.io/distroless/cc-debian13:nonroot AS final
WORKDIR /
ARG UID=10001
USER nonroot
COPY --from=build /bin/server /bin/
EXPOSE 8000
CMD ["/bin/server"]
