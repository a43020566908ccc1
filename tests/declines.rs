//! Every decline code, through the binary: `dfslim rewrite --format json` on a small
//! Dockerfile produces it; `dfslim explain CODE` prints its documentation; and
//! docs/declines.md is what `dfslim declines --format markdown` prints.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use dfslim::ecosystems::DeclineCode;

use common::dfslim_in;

/// One Dockerfile that declines with `code`: the flags of the run, and other files the run
/// reads (a config, a catalogue).
struct Case {
    code: &'static str,
    /// The line of the instruction that causes the decline; 0 when the cause is a flag
    /// (`--base`), which has no place in the file.
    line: usize,
    dockerfile: &'static str,
    args: &'static [&'static str],
    files: &'static [(&'static str, &'static str)],
}

const GO_BUILD: &str = "FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .
";

/// A catalogue of one Node image whose ENTRYPOINT does not start node: the built-in
/// targets all start their interpreter, so only a catalogue of the user's own can do this.
const NODE_WITHOUT_ENTRYPOINT: &str = r#"images:
  - names: [example.com/acme/node]
    source: "a test image: Node without a preset ENTRYPOINT"
    version_of: runtime
    version_parts: 1
    defaults:
      level: distroless
      runtime: node
      distro: debian
      distro_version: "13"
      libc: glibc
      shell: false
      package_manager: none
      c_compiler: false
      user: nonroot
      workdir: /
      entrypoint: []
      provides: [ca-certificates, tzdata, passwd, tmp, glibc, libgcc, libstdc++]
    variants:
      - tags: ["{version}"]
"#;

/// Codes no input can produce, and why (their documentation says so too).
const UNPRODUCIBLE: &[(&str, &str)] = &[
    (
        "no-stage",
        "a file without FROM, or a FROM without an image, is a parse error (exit 2) first",
    ),
    (
        "needs-trace",
        "only `rewrite --build` gives it, from a built image; tests/build.rs produces it on the host's root filesystem",
    ),
    (
        "unverified",
        "a rewrite that fails its own check is a bug in dfslim; none is known",
    ),
];

fn cases() -> Vec<Case> {
    let go =
        |tail: &str| -> &'static str { Box::leak(format!("{GO_BUILD}{tail}").into_boxed_str()) };
    vec![
        Case {
            code: "app-in-root",
            line: 3,
            dockerfile: "FROM node:22-bookworm-slim\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "bad-base",
            line: 0,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
            ),
            args: &["--base", "not an image"],
            files: &[],
        },
        Case {
            code: "base-mismatch",
            line: 0,
            dockerfile: "FROM golang:1.24-bookworm\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/indexer ./cmd/indexer\nENTRYPOINT [\"/out/indexer\"]\n",
            args: &["--base", "gcr.io/distroless/static-debian13:nonroot"],
            files: &[],
        },
        Case {
            code: "deno-cache",
            line: 4,
            dockerfile: "FROM denoland/deno:2.1.4\nWORKDIR /app\nCOPY . .\nRUN deno cache main.ts\nCMD [\"run\", \"--allow-net\", \"main.ts\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "extra-libraries",
            line: 2,
            dockerfile: "FROM golang:1.24-bookworm AS build\nRUN apt-get update && apt-get install -y libpq5 libpq-dev\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=1 go build -o /out/app .\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "image-entrypoint-script",
            line: 1,
            dockerfile: "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "java-classpath",
            line: 5,
            dockerfile: "FROM eclipse-temurin:21-jre\nWORKDIR /app\nENV CLASSPATH=/opt/lib/*\nCOPY app.jar .\nCMD [\"java\", \"Main\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "musl",
            line: 5,
            dockerfile: "FROM alpine:3.20 AS build\nRUN apk add --no-cache build-base\nWORKDIR /src\nCOPY hello.c .\nRUN gcc -O2 -o /hello hello.c\nFROM alpine:3.20\nCOPY --from=build /hello /hello\nENTRYPOINT [\"/hello\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "installed-program",
            line: 2,
            dockerfile: "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y gnupg\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "user-folder",
            line: 5,
            dockerfile: "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nUSER 1001\nRUN chown -R 1001 /app\nCMD [\"python\", \"app.py\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "native-modules",
            line: 4,
            dockerfile: "FROM oven/bun:1\nWORKDIR /app\nCOPY . .\nRUN bun install\nCMD [\"bun\", \"run\", \"index.ts\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "needs-root",
            line: 7,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nEXPOSE 80\nENTRYPOINT [\"/app\"]\n",
            ),
            args: &[],
            files: &[],
        },
        Case {
            code: "no-app-command",
            line: 4,
            dockerfile: "FROM python:3.13-slim-bookworm\nWORKDIR /app\nCOPY . .\nCMD [\"python\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "no-command",
            line: 3,
            dockerfile: "FROM debian:bookworm-slim\nRUN echo hi > /x\nCMD []\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "no-target",
            line: 1,
            dockerfile: "FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "node-path",
            line: 3,
            dockerfile: "FROM node:22-bookworm-slim\nWORKDIR /app\nENV NODE_PATH=/usr/lib/node\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "npm-script",
            line: 4,
            dockerfile: "FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"run\", \"serve\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "opaque-run",
            line: 5,
            dockerfile: "FROM python:3.13-slim-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN case x in\nCMD [\"python\", \"app.py\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "python-install",
            line: 4,
            dockerfile: "FROM python:3.13-slim-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install poetry && poetry install\nCMD [\"python\", \"app.py\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "python-version",
            line: 1,
            dockerfile: "FROM python:3.12-bookworm AS build\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install -r /requirements.txt\nFROM python:3.13-slim-bookworm\nCOPY --from=build /opt/venv /opt/venv\nWORKDIR /app\nCOPY . .\nCMD [\"/opt/venv/bin/python\", \"app.py\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "onbuild",
            line: 7,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nONBUILD RUN /app --check\nENTRYPOINT [\"/app\"]\n",
            ),
            args: &[],
            files: &[],
        },
        Case {
            code: "root-home",
            line: 6,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /root/app\nENTRYPOINT [\"/root/app\"]\n",
            ),
            args: &[],
            files: &[],
        },
        Case {
            code: "run-in-runtime-stage",
            line: 7,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nRUN ln -s /app /usr/bin/app\nENTRYPOINT [\"/app\"]\n",
            ),
            args: &[],
            files: &[],
        },
        Case {
            code: "runs-programs",
            line: 4,
            dockerfile: "FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            args: &[],
            files: &[(
                "server.js",
                "const { exec } = require('child_process');\nexec('df -h /', (e, out) => console.log(out));\n",
            )],
        },
        Case {
            code: "scratch-needs-static",
            line: 1,
            dockerfile: "FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            args: &["--target-family", "scratch"],
            files: &[],
        },
        Case {
            code: "scratch-runtime-stage",
            line: 5,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
            ),
            args: &["--target-family", "scratch"],
            files: &[],
        },
        Case {
            code: "script-entrypoint",
            line: 3,
            dockerfile: "FROM debian:bookworm-slim\nCOPY run.sh /run.sh\nENTRYPOINT [\"/run.sh\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "shell-command",
            line: 2,
            dockerfile: "FROM debian:bookworm-slim\nCMD [\"sh\", \"-c\", \"echo hi\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "shell-form-command",
            line: 7,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nCMD /app | tee /log\n",
            ),
            args: &[],
            files: &[],
        },
        Case {
            code: "shell-image",
            line: 6,
            // A C program linked against glibc: a Go one would be proven static by the
            // image it runs on (no C library), and rewritten.
            dockerfile: "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc libc6-dev\nWORKDIR /src\nCOPY main.c .\nRUN gcc -O2 -o /out/app main.c\nFROM gcr.io/distroless/static-debian12:debug\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "stage-chain",
            line: 7,
            dockerfile: go(
                "FROM debian:bookworm-slim AS base\nRUN mkdir -p /data && chmod 777 /data\nFROM base\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
            ),
            args: &[],
            files: &[],
        },
        Case {
            code: "uncopied-files",
            line: 5,
            dockerfile: "FROM golang:1.24-bookworm\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nCOPY config.yaml /etc/app/config.yaml\nENTRYPOINT [\"/app\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "unknown-artifact",
            line: 2,
            dockerfile: "FROM debian:bookworm-slim\nCOPY server /usr/local/bin/server\nENTRYPOINT [\"/usr/local/bin/server\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "unknown-base",
            line: 1,
            dockerfile: "FROM example.com/acme/runtime:1\nCOPY server /server\nENTRYPOINT [\"/server\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "unknown-distro",
            line: 1,
            dockerfile: "FROM fedora:40 AS build\nWORKDIR /src\nCOPY . .\nRUN dnf install -y gcc && gcc -O2 -o /src/target/release/server main.c\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/server /usr/local/bin/server\nUSER 1000\nENTRYPOINT [\"/usr/local/bin/server\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "unknown-forced-base",
            line: 0,
            dockerfile: go(
                "FROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
            ),
            args: &["--base", "example.com/acme/base:1"],
            files: &[],
        },
        Case {
            code: "unknown-interpreter-path",
            line: 4,
            dockerfile: "FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            args: &["--base", "example.com/acme/node:22"],
            files: &[
                (".dfslim.yaml", "catalogue: catalogue.yaml\n"),
                ("catalogue.yaml", NODE_WITHOUT_ENTRYPOINT),
            ],
        },
        Case {
            code: "unknown-platform",
            line: 2,
            dockerfile: "ARG PLAT\nFROM --platform=$PLAT golang:1.24-bookworm\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "unknown-variable",
            line: 3,
            dockerfile: "FROM node:22-bookworm-slim\nARG DIR\nWORKDIR $DIR\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            args: &[],
            files: &[],
        },
        Case {
            code: "unknown-version",
            line: 1,
            dockerfile: "FROM node:latest\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            args: &[],
            files: &[],
        },
    ]
}

/// The case of `code`.
fn case(code: &str) -> Case {
    cases().into_iter().find(|c| c.code == code).unwrap()
}

/// `dfslim rewrite --format json ARGS Dockerfile` in a folder holding the case's files:
/// the one file entry of the output.
fn run(case: &Case) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), case.dockerfile).unwrap();
    for (name, text) in case.files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut args = vec!["rewrite", "--format", "json"];
    args.extend(case.args);
    args.push("Dockerfile");
    let output = dfslim_in(dir.path(), &args);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON ({e}): {}",
            case.code,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    json["files"][0].clone()
}

#[test]
fn every_decline_code_is_produced_through_the_binary() {
    let mut failures = Vec::new();
    let mut produced = BTreeSet::new();
    for case in cases() {
        let file = run(&case);
        if file["code"] != case.code {
            failures.push(format!(
                "{}: got {} ({})",
                case.code, file["code"], file["reason"]
            ));
        }
        let line = &file["location"]["line"];
        if (case.line == 0 && !file["location"].is_null()) || (case.line != 0 && *line != case.line)
        {
            failures.push(format!(
                "{}: points at line {line}, not at line {} (the instruction that causes it)",
                case.code, case.line
            ));
        }
        produced.insert(case.code);
    }
    let unproducible: BTreeSet<_> = UNPRODUCIBLE.iter().map(|(c, _)| *c).collect();
    for code in DeclineCode::ALL {
        let name = code.name();
        if !produced.contains(name) && !unproducible.contains(name) {
            failures.push(format!("{name}: no case produces it"));
        }
        if unproducible.contains(name) && !code.doc().explanation.contains("input produces it") {
            failures.push(format!(
                "{name}: its documentation does not say that no input produces it"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn docs_declines_md_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(root.join("docs/declines.md")).unwrap();
    let output = dfslim_in(root, &["declines", "--format", "markdown"]);
    assert!(output.status.success());
    assert_eq!(
        committed,
        String::from_utf8(output.stdout).unwrap(),
        "docs/declines.md is out of date: run `cargo run -q -- declines --format markdown > docs/declines.md`"
    );
}

#[test]
fn explain_prints_a_decline_code_as_it_does_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let musl = dfslim_in(root, &["explain", "musl"]);
    assert_eq!(musl.status.code(), Some(0));
    let text = String::from_utf8(musl.stdout).unwrap();
    assert!(text.starts_with("# `musl` (decline)\n"), "{text}");
    assert!(text.contains("## What you can do\n- "), "{text}");
    let rule = dfslim_in(root, &["explain", "DFS001"]);
    assert_eq!(rule.status.code(), Some(0));
    let unknown = dfslim_in(root, &["explain", "muzl"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no rule or decline code `muzl`"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

#[test]
fn every_decline_code_has_an_explanation_and_a_row() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = dfslim_in(root, &["declines", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), DeclineCode::ALL.len());
    for code in DeclineCode::ALL {
        let output = dfslim_in(root, &["explain", code.name()]);
        assert_eq!(output.status.code(), Some(0), "{code}");
    }
}

/// No decline code is also a rule's name: `dfslim explain NAME` would be ambiguous.
#[test]
fn decline_codes_and_rule_names_do_not_collide() {
    for rule in dfslim::rules::RULES {
        assert!(DeclineCode::from_name(rule.name).is_none(), "{}", rule.name);
        assert!(DeclineCode::from_name(rule.code).is_none(), "{}", rule.code);
    }
}

/// A blocker with a second place gets a second label: the musl binary is built by a RUN,
/// brought in by a COPY and run by the ENTRYPOINT; JSON gives all three, and the snippet of
/// a single-file run labels them.
#[test]
fn a_musl_binary_is_shown_where_it_is_built_brought_in_and_run() {
    let case = case("musl");
    let file = run(&case);
    assert_eq!(file["location"]["line"], 5, "{file}");
    let related: Vec<_> = file["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        related,
        [
            (7, "this brings it into the final stage"),
            (8, "the command that runs it")
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), case.dockerfile).unwrap();
    let output = dfslim_in(dir.path(), &["rewrite", "Dockerfile"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    for expected in [
        " 5 │ RUN gcc -O2 -o /hello hello.c",
        "this blocks the rewrite",
        "this brings it into the final stage",
        "the command that runs it",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
}

/// A build on Fedora declines for its image (its glibc is not compared with Debian's), so
/// the snippet shows the FROM, not the ENTRYPOINT (which is the second place).
#[test]
fn unknown_distro_points_at_the_from() {
    let case = case("unknown-distro");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), case.dockerfile).unwrap();
    let output = dfslim_in(dir.path(), &["rewrite", "Dockerfile"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("[Dockerfile:1:6]"), "{stderr}");
    assert!(
        stderr.contains("the command that runs the application"),
        "{stderr}"
    );
}

/// The image of the first `FROM …` that a help line suggests, in backquotes.
fn suggested_image(help: &str) -> Option<&str> {
    let start = help.find("`FROM ")? + "`FROM ".len();
    let end = start + help[start..].find('`')?;
    Some(&help[start..end])
}

/// The Dockerfile with the image the decline points at replaced by `image`: what a user
/// following a "`FROM …`" advice does.
fn with_image(dockerfile: &str, file: &serde_json::Value, image: &str) -> String {
    let location = &file["location"];
    let line = location["line"].as_u64().unwrap() as usize;
    let (start, end) = (
        location["column"].as_u64().unwrap() as usize - 1,
        location["end_column"].as_u64().unwrap() as usize - 1,
    );
    dockerfile
        .lines()
        .enumerate()
        .map(|(i, text)| {
            if i + 1 == line {
                format!("{}{image}{}\n", &text[..start], &text[end..])
            } else {
                format!("{text}\n")
            }
        })
        .collect()
}

fn rerun(dockerfile: &str, like: &Case) -> serde_json::Value {
    let text: &'static str = Box::leak(dockerfile.to_string().into_boxed_str());
    run(&Case {
        dockerfile: text,
        ..*like
    })
}

/// The issue's example, followed to the end: `FROM node:20-slim` declines `no-target`
/// (Node 20 has no distroless image) and names Node 22's tag, not `--base` (which would
/// meet `base-mismatch`); with that tag the file is rewritten.
#[test]
fn following_the_advice_from_node_20_slim_leads_to_a_rewrite() {
    let case = case("no-target");
    let mut dockerfile =
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n"
            .to_string();
    let mut codes = Vec::new();
    for _ in 0..4 {
        let file = rerun(&dockerfile, &case);
        if file["status"] == "rewritten" {
            break;
        }
        codes.push(file["code"].as_str().unwrap().to_string());
        let help = file["help"].as_str().unwrap();
        assert!(!help.contains("--base"), "{help}");
        let image = suggested_image(help).unwrap_or_else(|| panic!("no FROM in: {help}"));
        dockerfile = with_image(&dockerfile, &file, image);
    }
    assert_eq!(codes, ["no-target"]);
    assert!(
        dockerfile.starts_with("FROM node:22-slim\n"),
        "{dockerfile}"
    );
    assert_eq!(rerun(&dockerfile, &case)["status"], "rewritten");
}

/// Wherever a help line names a `FROM`, writing that FROM moves the run forward: a rewrite,
/// or another decline.
#[test]
fn every_suggested_from_moves_the_run_forward() {
    let mut followed = 0;
    for case in cases() {
        let file = run(&case);
        let Some(image) = file["help"].as_str().and_then(suggested_image) else {
            continue;
        };
        let next = rerun(&with_image(case.dockerfile, &file, image), &case);
        assert!(
            next["status"] == "rewritten" || next["code"] != case.code,
            "{}: after `FROM {image}` still {} ({})",
            case.code,
            next["code"],
            next["help"]
        );
        followed += 1;
    }
    assert!(followed >= 2, "only {followed} helps name a FROM");
}

/// Every decline says what to do, and a flag it names is one `dfslim rewrite` has.
#[test]
fn every_help_names_a_flag_that_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let usage = String::from_utf8(dfslim_in(root, &["rewrite", "--help"]).stdout).unwrap();
    for case in cases() {
        let file = run(&case);
        if file["status"] == "error" {
            // A `--base` that cannot work is a usage error, with its own message.
            continue;
        }
        let help = file["help"].as_str().unwrap_or_default();
        assert!(!help.is_empty(), "{}: no help", case.code);
        // Flags in backquotes belong to the command quoted (`bun build --compile`).
        let prose: String = help.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        for flag in prose
            .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == '"')
            .filter(|w| w.starts_with("--"))
        {
            let name = flag.split('=').next().unwrap();
            assert!(
                usage
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .any(|w| w == name),
                "{}: `{name}` is not a flag of dfslim rewrite ({help})",
                case.code
            );
        }
    }
}

/// nginx has no distroless image: the help says to mark the stage with the pragma, and
/// with it the next run leaves the file unchanged.
#[test]
fn marking_an_image_with_its_own_entrypoint_as_kept_ends_the_decline() {
    let case = case("image-entrypoint-script");
    let file = run(&case);
    assert!(
        file["help"]
            .as_str()
            .unwrap()
            .contains("`# dfslim ignore=DFS001` above its FROM"),
        "{file}"
    );
    let next = rerun(
        &format!("# dfslim ignore=DFS001\n{}", case.dockerfile),
        &case,
    );
    assert_eq!(next["status"], "unchanged", "{next}");
}
