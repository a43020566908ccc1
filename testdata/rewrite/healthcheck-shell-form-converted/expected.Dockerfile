FROM rust:1.82-slim-bookworm AS build
WORKDIR /usr/src/probe
COPY . .
RUN cargo build --release --bin probe

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /usr/src/probe/target/release/probe /usr/local/bin/probe
EXPOSE 9000
HEALTHCHECK --interval=15s CMD ["probe", "check", "--quiet"]
CMD ["probe", "serve"]
