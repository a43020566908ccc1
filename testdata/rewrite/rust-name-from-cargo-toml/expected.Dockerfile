FROM rust:1.82-slim-bookworm AS build

WORKDIR /build
COPY . .
RUN cargo build --release \
 && cp target/release/tilecache /usr/local/bin/

EXPOSE 7070
CMD ["tilecache", "--listen", "0.0.0.0:7070"]

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /build
COPY --chown=65532:65532 . /build/
COPY --from=build /usr/local/bin/tilecache /usr/local/bin/tilecache
EXPOSE 7070
CMD ["tilecache", "--listen", "0.0.0.0:7070"]
