//! Output that cannot be written: a full device is exit 2 with a message (the report was
//! lost, so CI must not pass), a reader that went away (`| head`) ends the run quietly.

use std::process::{Command, Stdio};

const DOCKERFILE: &str = "FROM golang:1.23-bookworm\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n";

fn dfslim_to_dev_full(args: &[&str], stream: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_dfslim"));
    command
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1");
    if stream == "stdout" {
        command.stdout(full());
    } else {
        command.stderr(full());
    }
    command.output().expect("dfslim runs")
}

#[test]
fn a_full_stdout_is_exit_2_with_a_message() {
    for args in [
        &["rewrite", "--stdout", "Dockerfile"][..],
        &["rewrite", "Dockerfile"],
        &["check", "--format", "sarif", "Dockerfile"],
        &["check", "--format", "json", "Dockerfile"],
        &["parse", "--format", "json", "Dockerfile"],
        &["rules"],
        &["--help"],
    ] {
        let out = dfslim_to_dev_full(args, "stdout");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        if args != ["--help"] {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("dfslim: error: cannot write to stdout: No space left on device"),
                "{args:?}: {stderr}"
            );
        }
    }
}

#[test]
fn a_full_stderr_is_exit_2() {
    // The rewrite's DFS004 warning goes to stderr, and is lost.
    let out = dfslim_to_dev_full(&["rewrite", "Dockerfile"], "stderr");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // Nothing to say on stderr, nothing lost: the exit code is the check's own.
    let out = dfslim_to_dev_full(&["check", "--isolated", "Dockerfile"], "stderr");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Far more JSON than a pipe buffers, so that the write meets the closed pipe.
    let big: String = std::iter::once("FROM debian:bookworm\n")
        .chain(std::iter::repeat_n("RUN echo hello world\n", 20_000))
        .collect();
    std::fs::write(dir.path().join("Dockerfile"), big).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["parse", "--format", "json", "Dockerfile"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
