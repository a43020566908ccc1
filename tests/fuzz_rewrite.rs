//! Fuzzing the rewrite on stable Rust: proptest builds Dockerfiles from the pieces real ones
//! are made of (language images, build commands, runtime stages, command forms, users,
//! health checks, continuations, CRLF) and checks that the rewrite never panics and that
//! every rewrite it makes has the four properties: the output parses, rewriting it again
//! changes nothing, `check` finds nothing at warning or above, and every byte outside the
//! edits is kept.
//!
//! `DFSLIM_FUZZ_CASES` sets the number of cases (default 256, so `cargo test` stays fast);
//! `scripts/fuzz.sh` runs it longer.

use dfslim::analysis::catalogue::Catalogue;
use dfslim::rewrite::{self, Options, Status};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

mod common;

const BUILD_IMAGES: &[&str] = &[
    "golang:1.24-bookworm",
    "golang:1.23-alpine",
    "rust:1.85-bookworm",
    "python:3.13-slim",
    "python:3.12-slim",
    "node:22-bookworm-slim",
    "node:20",
    "debian:bookworm",
    "ubuntu:24.04",
    "alpine:3.20",
    "eclipse-temurin:21-jdk",
    "mcr.microsoft.com/dotnet/sdk:8.0",
    "gcr.io/distroless/static-debian13:nonroot",
    "nginx:1.27",
    "busybox",
    "${BASE}",
];

const RUNTIME_IMAGES: &[&str] = &[
    "debian:bookworm-slim",
    "alpine:3.20",
    "ubuntu:24.04",
    "gcr.io/distroless/static-debian13",
    "scratch",
];

const RUNS: &[&str] = &[
    "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app",
    "RUN go build -o app .",
    "RUN go install ./cmd/app",
    "RUN cargo build --release",
    "RUN cargo build --release --target x86_64-unknown-linux-musl",
    "RUN gcc -O2 -o /usr/local/bin/app main.c",
    "RUN g++ -o /app/app main.cpp",
    "RUN npm ci --omit=dev",
    "RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt",
    "RUN pip install --no-cache-dir -r requirements.txt",
    "RUN mvn -B package -DskipTests",
    "RUN dotnet publish -c Release -o /app/publish",
    "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*",
    "RUN apk add --no-cache ca-certificates tzdata",
    "RUN apt-get install -y libpq5",
    "RUN useradd -r app",
    "RUN mkdir -p /data",
    "RUN chmod +x /out/app",
    "RUN set -eux; \\\n    make; \\\n    make install PREFIX=/opt/app",
    "RUN <<EOF\nset -e\ngo build -o /out/app .\nEOF",
];

const COMMANDS: &[&str] = &[
    "ENTRYPOINT [\"/out/app\"]",
    "CMD [\"./app\", \"--port\", \"8080\"]",
    "CMD /out/app --port $PORT",
    "CMD ./app && echo done",
    "ENTRYPOINT [\"./docker-entrypoint.sh\"]",
    "CMD [\"node\", \"server.js\"]",
    "CMD [\"python\", \"app.py\"]",
    "CMD [\"java\", \"-Xmx256m\", \"-jar\", \"target/app.jar\"]",
    "ENTRYPOINT [\"dotnet\", \"App.dll\"]",
    "CMD [\"app\"]",
    "CMD [\"/usr/local/bin/app\"]",
    "",
];

const EXTRAS: &[&str] = &[
    "WORKDIR /src",
    "WORKDIR app",
    "ENV PORT=8080",
    "ARG VERSION=1.0",
    "LABEL org.opencontainers.image.version=$VERSION",
    "EXPOSE 80",
    "USER app",
    "USER 1000",
    "USER root",
    "COPY . .",
    "COPY go.mod go.sum ./",
    "HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1",
    "HEALTHCHECK CMD [\"/out/app\", \"health\"]",
    "# a comment",
    "",
];

/// Builds that fit their command, so that most cases get as far as a rewrite.
const COHERENT: &[(&str, &str, &str)] = &[
    (
        "golang:1.24-bookworm",
        "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app",
        "ENTRYPOINT [\"/out/app\"]",
    ),
    (
        "golang:1.24-bookworm",
        "RUN go build -o /out/app .",
        "CMD [\"/out/app\", \"--port\", \"8080\"]",
    ),
    (
        "golang:1.23-alpine",
        "RUN go build -o /out/app .",
        "ENTRYPOINT [\"/out/app\"]",
    ),
    (
        "rust:1.85-bookworm",
        "RUN cargo build --release --bin app && cp target/release/app /out/app",
        "ENTRYPOINT [\"/out/app\"]",
    ),
    (
        "debian:bookworm",
        "RUN gcc -O2 -o /out/app main.c",
        "CMD /out/app --verbose",
    ),
    (
        "node:22-bookworm-slim",
        "RUN npm ci --omit=dev",
        "CMD [\"node\", \"server.js\"]",
    ),
    (
        "python:3.13-slim",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "CMD [\"python\", \"app.py\"]",
    ),
];

prop_compose! {
    fn coherent()(
        template in (0..COHERENT.len()).prop_map(|i| COHERENT[i]),
        extras in prop::collection::vec(pick(EXTRAS), 0..6),
        runtime in any::<bool>(),
        crlf in prop::bool::weighted(0.2),
        final_newline in prop::bool::weighted(0.8),
    ) -> String {
        let (image, build, command) = template;
        let mut lines = vec![format!("FROM {image} AS builder"), "WORKDIR /src".to_string(), "COPY . .".to_string(), build.to_string()];
        if runtime {
            lines.push("FROM debian:bookworm-slim".to_string());
            lines.push("COPY --from=builder /out/app /out/app".to_string());
        }
        lines.extend(extras.iter().map(|s| s.to_string()));
        lines.push(command.to_string());
        let mut text = lines.join("\n");
        if final_newline {
            text.push('\n');
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        text
    }
}

fn pick<'a>(list: &'a [&'a str]) -> impl Strategy<Value = &'a str> + 'a {
    (0..list.len()).prop_map(move |i| list[i])
}

prop_compose! {
    fn dockerfile()(
        build in pick(BUILD_IMAGES),
        named in any::<bool>(),
        body in prop::collection::vec(prop_oneof![pick(RUNS), pick(EXTRAS)], 0..7),
        runtime in prop::option::of((pick(RUNTIME_IMAGES), prop::collection::vec(pick(EXTRAS), 0..4), pick(RUNS))),
        command in pick(COMMANDS),
        crlf in prop::bool::weighted(0.1),
        final_newline in prop::bool::weighted(0.9),
        lowercase in prop::bool::weighted(0.1),
    ) -> String {
        let mut lines = vec!["ARG BASE=debian:bookworm".to_string()];
        lines.push(format!("FROM {build}{}", if named { " AS builder" } else { "" }));
        lines.extend(body.iter().map(|s| s.to_string()));
        if let Some((image, extras, run)) = runtime {
            lines.push(format!("FROM {image}"));
            lines.push(format!("COPY --from={} /out/app /out/app", if named { "builder" } else { "0" }));
            lines.extend(extras.iter().map(|s| s.to_string()));
            lines.push(run.to_string());
        }
        lines.push(command.to_string());
        let mut text = lines.join("\n");
        if lowercase {
            text = text.replace("FROM ", "from ").replace("RUN ", "run ").replace("CMD ", "cmd ");
        }
        if final_newline {
            text.push('\n');
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        text
    }
}

#[test]
fn rewrite_never_breaks_its_properties() {
    let cases = std::env::var("DFSLIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let options = Options::default();
    let rewritten = std::cell::Cell::new(0u32);
    let result = runner.run(&prop_oneof![1 => dockerfile(), 2 => coherent()], |src| {
        let Ok(done) = rewrite::rewrite_text(&src, Catalogue::builtin(), None, &options, None)
        else {
            return Ok(());
        };
        if done.plan.status != Status::Rewritten {
            prop_assert_eq!(
                &done.text,
                &src,
                "a declined or unchanged file stays byte-identical"
            );
            return Ok(());
        }
        rewritten.set(rewritten.get() + 1);
        let problems =
            common::rewrite_properties(&src, &done.text, &done.plan.edits, &options, None);
        prop_assert!(
            problems.is_empty(),
            "{problems:?}\n--- input ---\n{src}\n--- output ---\n{}",
            done.text
        );
        Ok(())
    });
    println!("fuzz_rewrite: {cases} cases, {} rewritten", rewritten.get());
    if let Err(e) = result {
        panic!("{e}");
    }
}
