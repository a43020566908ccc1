//! Progress on long runs goes to stderr only when it is a terminal. In tests stderr is a
//! pipe: a run over many files must leave it empty, whatever the command. (The drawing
//! itself is unit-tested in `src/cli/progress.rs`.)

use std::path::Path;
use std::process::Command;

/// A folder with `count` clean and `count` full-distro Dockerfiles, more than the progress
/// threshold.
fn many_dockerfiles(dir: &Path, count: usize) {
    for i in 0..count {
        let app = dir.join(format!("app{i:03}"));
        std::fs::create_dir(&app).unwrap();
        std::fs::write(
            app.join("Dockerfile"),
            "FROM golang:1.24-bookworm\nWORKDIR /src\nCOPY . .\n\
             RUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n",
        )
        .unwrap();
        std::fs::write(
            app.join("clean.Dockerfile"),
            "FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
        )
        .unwrap();
    }
}

#[test]
fn no_progress_text_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    many_dockerfiles(dir.path(), 40);
    for args in [
        &["check", "--format", "concise"][..],
        &["rewrite"][..],
        &["rewrite", "--write"][..],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_dfslim"))
            .args(args)
            .arg(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("/80 files") && !stderr.contains('\r'),
            "dfslim {args:?} wrote progress to a pipe:\n{stderr}"
        );
        assert!(!output.stdout.is_empty(), "dfslim {args:?} printed nothing");
    }
}
