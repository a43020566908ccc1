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
