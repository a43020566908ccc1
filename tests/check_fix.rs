//! `dfslim check --fix` and `check --diff` are aliases of `rewrite --write` and
//! `rewrite --check` (as ruff's `check --fix` and `--diff`): each must give exactly what the
//! command it stands for gives, through the binary.

use std::path::Path;
use std::process::{Command, Output};

fn dfslim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Two copies of the quickstart example, in folders of the same name.
fn two_copies() -> (tempfile::TempDir, tempfile::TempDir) {
    let original = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/quickstart/Dockerfile"
    ))
    .unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(a.path().join("Dockerfile"), &original).unwrap();
    std::fs::write(b.path().join("Dockerfile"), &original).unwrap();
    (a, b)
}

#[test]
fn check_diff_is_rewrite_check() {
    let (a, b) = two_copies();
    let alias = dfslim(a.path(), &["check", "--diff", "Dockerfile"]);
    let command = dfslim(b.path(), &["rewrite", "--check", "Dockerfile"]);
    assert_eq!(alias.status.code(), Some(1));
    assert_eq!(alias.status.code(), command.status.code());
    assert_eq!(alias.stdout, command.stdout);
    assert!(String::from_utf8_lossy(&alias.stdout).contains("+FROM gcr.io/distroless/"));
    // Nothing written.
    assert_eq!(
        std::fs::read(a.path().join("Dockerfile")).unwrap(),
        std::fs::read(b.path().join("Dockerfile")).unwrap()
    );
}

#[test]
fn check_fix_is_rewrite_write() {
    let (a, b) = two_copies();
    let before = std::fs::read(a.path().join("Dockerfile")).unwrap();
    let alias = dfslim(a.path(), &["check", "--fix", "Dockerfile"]);
    let command = dfslim(b.path(), &["rewrite", "--write", "Dockerfile"]);
    assert_eq!(alias.status.code(), command.status.code());
    let fixed = std::fs::read(a.path().join("Dockerfile")).unwrap();
    assert_ne!(fixed, before);
    assert_eq!(fixed, std::fs::read(b.path().join("Dockerfile")).unwrap());
    // What check reported before is gone.
    let after = dfslim(a.path(), &["check", "--format", "concise", "Dockerfile"]);
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stdout)
    );
}

#[test]
fn fix_takes_no_report_format() {
    let (a, _b) = two_copies();
    let out = dfslim(
        a.path(),
        &["check", "--fix", "--format", "json", "Dockerfile"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
