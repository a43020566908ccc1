FROM rust:1.83-slim-bookworm AS build

WORKDIR /src
COPY . .
# installs to $CARGO_HOME/bin, which is on PATH
RUN cargo install --path . --locked

USER 10001
ENTRYPOINT ["mailer"]

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /src
COPY . /src/
COPY --from=build /usr/local/cargo/bin/mailer /usr/local/cargo/bin/mailer
USER 10001
ENTRYPOINT ["/usr/local/cargo/bin/mailer"]
