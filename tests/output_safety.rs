//! Nothing from an input reaches a terminal or a CI log raw: file names and Dockerfile text
//! with control characters are shown (`^[`, `^J`), never sent; a name cannot forge diff
//! headers or GitHub workflow commands. Each test runs the binary.

use std::path::Path;
use std::process::{Command, Output};

/// A Go build on a full distro, whose rewrite appends a stage, with an ESC in a comment and
/// in a LABEL the new stage carries.
const DOCKERFILE: &str = "FROM golang:1.24-bookworm\n# \x1b[2J cleared\nLABEL note=\"\x1b[31mred\"\n\
                          WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n\
                          CMD [\"/out/app\"]\n";

fn dfslim(args: &[&str], path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(args)
        .arg(path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn all_output(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_file_name_cannot_forge_diff_headers() {
    let dir = tempfile::tempdir().unwrap();
    // A name cannot hold `/`, so the forged header names a file beside it.
    let path = dir.path().join("a\n+++ pwned");
    std::fs::write(&path, DOCKERFILE).unwrap();
    let out = dfslim(&["rewrite"], &path);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.lines().any(|l| l.starts_with("+++ pwned")),
        "{stdout}"
    );
    assert!(stdout.contains("--- \"a/"), "{stdout}");
    assert!(stdout.contains("\\n+++ pwned\""), "{stdout}");
}

#[test]
fn a_file_name_cannot_forge_a_workflow_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x\n::error file=y::z.Dockerfile");
    std::fs::write(&path, DOCKERFILE).unwrap();
    for format in ["concise", "full", "github"] {
        let out = dfslim(&["check", "--format", format], &path);
        let text = all_output(&out);
        assert!(
            !text.lines().any(|l| l.starts_with("::error file=y")),
            "{format}: {text}"
        );
    }
    let out = dfslim(&["rewrite"], &path);
    let text = all_output(&out);
    assert!(
        !text.lines().any(|l| l.starts_with("::error file=y")),
        "{text}"
    );
}

#[test]
fn escape_sequences_in_the_dockerfile_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, DOCKERFILE).unwrap();
    for args in [
        &["check", "--format", "full"][..],
        &["check", "--format", "concise"],
        &["check", "--format", "github"],
        &["rewrite"],
    ] {
        let out = dfslim(args, &path);
        let text = all_output(&out);
        assert!(!text.contains('\x1b'), "{args:?} sent an ESC: {text:?}");
    }
    let diff = dfslim(&["rewrite"], &path);
    let stdout = String::from_utf8_lossy(&diff.stdout);
    assert!(stdout.contains("^[[31mred"), "{stdout}");
}

#[test]
fn an_escape_sequence_in_a_file_name_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil\x1b]0;title\x07.Dockerfile");
    std::fs::write(&path, DOCKERFILE).unwrap();
    for args in [
        &["check", "--format", "concise"][..],
        &["check", "--format", "full"],
        &["rewrite"],
    ] {
        let out = dfslim(args, &path);
        let text = all_output(&out);
        assert!(!text.contains('\x1b'), "{args:?}: {text:?}");
        assert!(!text.contains('\x07'), "{args:?}: {text:?}");
    }
}

/// A config's `catalogue:` cannot make dfslim quote another file in its YAML error: it must
/// be a regular file inside the config's folder, and YAML text (no NUL, valid UTF-8).
#[test]
fn a_catalogue_path_cannot_leak_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(&dockerfile, "FROM debian:bookworm\nCMD [\"x\"]\n").unwrap();
    for (catalogue, bytes) in [
        ("/proc/self/environ", None),
        ("../../../../etc/passwd", None),
        (
            "binary.yaml",
            Some(b"images:\n\0SECRET_DFSLIM_VALUE\n".to_vec()),
        ),
    ] {
        if let Some(bytes) = bytes {
            std::fs::write(dir.path().join(catalogue), bytes).unwrap();
        }
        std::fs::write(
            dir.path().join(".dfslim.yaml"),
            format!("catalogue: {catalogue}\n"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_dfslim"))
            .args(["check"])
            .arg(&dockerfile)
            .env("SECRET_DFSLIM", "SECRET_DFSLIM_VALUE")
            .output()
            .unwrap();
        let text = all_output(&out);
        assert_eq!(out.status.code(), Some(2), "{catalogue}: {text}");
        assert!(text.contains("catalogue refused"), "{catalogue}: {text}");
        assert!(!text.contains("SECRET_DFSLIM_VALUE"), "{catalogue}: {text}");
        assert!(!text.contains("root:"), "{catalogue}: {text}");
    }
}

/// What a forged header would do, tried with GNU patch: the file `Dockerfile` in a folder
/// named `x\n+++ b` would, unquoted, give a header `+++ b/Dockerfile` naming the top-level
/// `Dockerfile`. `patch -p1` on dfslim's diff changes the file that was named, and no other.
#[test]
fn patch_applies_a_quoted_diff_to_the_named_file_only() {
    let plain = DOCKERFILE
        .replace("# \x1b[2J cleared\n", "")
        .replace("\x1b[31m", "");
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n+++ b/Dockerfile";
    std::fs::create_dir(dir.path().join("x\n+++ b")).unwrap();
    std::fs::write(dir.path().join(name), &plain).unwrap();
    let bystander = "FROM scratch\n";
    std::fs::write(dir.path().join("Dockerfile"), bystander).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", name])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let patched = Command::new("patch")
        .args(["-p1", "--batch", "--quiet"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(&out.stdout)?;
            child.wait()
        });
    let Ok(status) = patched else {
        eprintln!("patch_applies_a_quoted_diff_to_the_named_file_only: no `patch`; skipped");
        return;
    };
    assert!(status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert!(text.contains("FROM gcr.io/distroless/"), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        bystander
    );
}

/// What an input may hold that must not reach a terminal or a log raw: ESC, an OSC 52
/// clipboard write ended by BEL, a carriage return, a right-to-left override.
const HOSTILE: &str = "x\x1b]52;c;ZXZpbA==\x07\x1b[2J\r\u{202e}";

/// Fails on any raw control (but a line break or a tab) or bidirectional override.
fn assert_no_raw_controls(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad = text.chars().find(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        assert!(bad.is_none(), "{what}: {stream} holds {bad:?}:\n{text}");
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

const FORMATS: [&str; 5] = ["full", "concise", "json", "sarif", "github"];

/// A hostile file name in parse-error headers, "cannot read" errors, the `check` summary
/// and `parse --format buildkit`'s `# path` header.
#[test]
fn a_hostile_file_name_is_escaped_in_errors_and_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{HOSTILE}.Dockerfile");
    std::fs::write(dir.path().join(&name), "FROM alpine\nFOO\n").unwrap();
    let missing = format!("m{HOSTILE}");
    for format in FORMATS {
        for file in [&name, &missing] {
            let out = run_in(dir.path(), &["check", "--format", format, file]);
            assert_eq!(out.status.code(), Some(2));
            assert_no_raw_controls(&format!("check --format {format} {file:?}"), &out);
        }
    }
    for args in [
        &["rewrite", &name][..],
        &["rewrite", "--format", "json", &name, &missing],
        &["parse", "--format", "buildkit", &name, &name],
        &["parse", &name, &missing],
    ] {
        let out = run_in(dir.path(), args);
        assert_no_raw_controls(&format!("{args:?}"), &out);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("^[]52;c;ZXZpbA==^G^[[2J^M<U+202E>"),
            "{args:?}: {out:?}"
        );
    }
}

/// Input text quoted in parse errors and their help: an unknown keyword, an `# escape=`
/// value, a heredoc delimiter, an ENV without a value; and a bidi override in JSON and
/// SARIF string values.
#[test]
fn input_text_in_parse_errors_and_json_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        format!("FROM alpine\nFO{HOSTILE}O x\n"),
        format!("# escape={HOSTILE}\nFROM alpine\n"),
        format!("FROM alpine\nRUN <<E{HOSTILE}F\nx\n"),
        format!("FROM alpine\nENV {HOSTILE}X\n"),
        "FROM debian:bookworm\u{202e}\u{2066}\nLABEL a=\"\u{85}\u{7f}\"\n".to_string(),
    ];
    for (i, text) in cases.iter().enumerate() {
        let path = dir.path().join(format!("e{i}.Dockerfile"));
        std::fs::write(&path, text).unwrap();
        for format in FORMATS {
            let out = dfslim(&["check", "--color", "never", "--format", format], &path);
            assert_no_raw_controls(&format!("case {i}, {format}"), &out);
        }
        for args in [
            &["parse"][..],
            &["rewrite", "--format", "json"],
            &["rewrite"],
        ] {
            let out = dfslim(args, &path);
            assert_no_raw_controls(&format!("case {i}, {args:?}"), &out);
        }
    }
    let out = dfslim(
        &["check", "--format", "json"],
        &dir.path().join("e4.Dockerfile"),
    );
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("\\u202e\\u2066"), "{json}");
}

/// Config values and command-line arguments echoed in error messages.
#[test]
fn config_values_and_arguments_in_errors_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.Dockerfile"), "FROM alpine\n").unwrap();
    for config in [
        "require: \"\\e[31mbad\\a\"\n",
        "ignore: [\"\\e[31mDFS001\\r\"]\n",
        "select: [\"\\e]52;c;eA==\\a\"]\n",
        "target-family: \"\\e[31m\\u202e\"\n",
        "failure-threshold: \"\\e[31m\\r\"\n",
    ] {
        std::fs::write(dir.path().join(".dfslim.yaml"), config).unwrap();
        for command in ["check", "rewrite"] {
            let out = run_in(dir.path(), &[command, "c.Dockerfile"]);
            assert_eq!(out.status.code(), Some(2), "{config}");
            assert_no_raw_controls(config, &out);
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("^["),
                "{config}: {out:?}"
            );
        }
    }
    std::fs::remove_file(dir.path().join(".dfslim.yaml")).unwrap();
    let bad = format!("X{HOSTILE}");
    for args in [
        &["check", "--select", &bad, "c.Dockerfile"][..],
        &["check", "--ignore", &bad, "c.Dockerfile"],
        &["explain", &bad],
        &["check", "--config", &bad, "c.Dockerfile"],
        &["rewrite", "--config", &bad, "c.Dockerfile"],
    ] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_no_raw_controls(&format!("{args:?}"), &out);
    }
}
