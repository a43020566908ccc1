FROM rust:1.83-slim-bookworm AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /app/target/release/server /usr/local/bin/server
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/server"]
