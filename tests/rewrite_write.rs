//! `dfslim rewrite --write` through the real binary: the file is replaced by its rewrite,
//! keeps its permissions and its CRLF line endings, and nothing else is left in the folder.
//! A second run changes nothing (and `--check` then exits 0).

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

const CRLF_DOCKERFILE: &str = "# built on Windows\r\nFROM golang:1.23-bookworm\r\nWORKDIR /src\r\nCOPY . .\r\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\r\nENTRYPOINT [\"/out/app\"]\r\n";

fn dfslim(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dfslim runs")
}

#[test]
fn write_replaces_the_file_keeping_mode_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, CRLF_DOCKERFILE).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();

    let out = dfslim(&["rewrite", "--write", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "# built on Windows\r\nFROM golang:1.23-bookworm AS build\r\nWORKDIR /src\r\nCOPY . .\r\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\r\nENTRYPOINT [\"/out/app\"]\r\n\r\nFROM gcr.io/distroless/static-debian13:nonroot\r\nWORKDIR /src\r\nCOPY --chown=65532:65532 . /src/\r\nCOPY --from=build /out/app /out/app\r\nENTRYPOINT [\"/out/app\"]\r\n"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file keeps its permissions");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["Dockerfile"], "no temporary file is left behind");

    // Idempotent: nothing more to do.
    let again = dfslim(&["rewrite", "--check", "Dockerfile"], dir.path());
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    assert!(again.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn write_leaves_a_declined_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    let src = "FROM redis:7.4-bookworm\nCOPY redis.conf /usr/local/etc/redis/redis.conf\nCMD [\"redis-server\", \"/usr/local/etc/redis/redis.conf\"]\n";
    std::fs::write(&path, src).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();

    let out = dfslim(&["rewrite", "--write", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Dockerfile: declined (image-entrypoint-script): ")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), src);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
}

/// `--stage-name` and the config's `stage-name` are checked as BuildKit checks a stage
/// name (and `scratch` and `context` are reserved) before any file is read: exit 2, the
/// value quoted with its controls escaped, and the file as it was.
#[test]
fn a_stage_name_buildkit_refuses_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, CRLF_DOCKERFILE).unwrap();
    for (name, why) in [
        (
            "b\x1b[31mx",
            "invalid name for build stage: \"b\\x1b[31mx\"",
        ),
        ("Bad Name!", "invalid name for build stage: \"Bad Name!\""),
        ("1st", "name can't start with a number"),
        ("a\u{202e}b", "\"a\\u202eb\""),
        ("scratch", "the stage name \"scratch\" is reserved"),
        ("Context", "the stage name \"Context\" is reserved"),
    ] {
        let out = dfslim(
            &["rewrite", "--write", "--stage-name", name, "Dockerfile"],
            dir.path(),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name:?}: {stderr}");
        assert!(
            stderr.contains("--stage-name: ") && stderr.contains(why),
            "{stderr}"
        );
        assert!(
            !stderr.contains('\x1b') && !stderr.contains('\u{202e}'),
            "{stderr}"
        );
        assert!(out.stdout.is_empty(), "{name:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), CRLF_DOCKERFILE);
    }
    std::fs::write(
        dir.path().join(".dfslim.yaml"),
        "stage-name: \"b\\e[31mx\"\n",
    )
    .unwrap();
    let out = dfslim(&["rewrite", "--write", "Dockerfile"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("stage-name: invalid name for build stage"),
        "{stderr}"
    );
    assert!(!stderr.contains('\x1b'), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CRLF_DOCKERFILE);
    // A good name is taken.
    std::fs::write(dir.path().join(".dfslim.yaml"), "stage-name: Builder\n").unwrap();
    let out = dfslim(&["rewrite", "--write", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains(" AS builder\r\n")
    );
}

/// `--write -` prints stdin's new text alone; with another input it is a usage error
/// (stdout was stdin's text followed by the other file's diff), and nothing is written.
#[test]
fn write_stdin_takes_no_other_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), CRLF_DOCKERFILE).unwrap();
    for args in [
        &["rewrite", "--write", "-", "Dockerfile"][..],
        &["rewrite", "--write", "Dockerfile", "-"],
        &["check", "--fix", "-", "Dockerfile"],
    ] {
        let out = dfslim(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--write - takes no other input"),
            "{out:?}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
            CRLF_DOCKERFILE
        );
    }
}

/// A write that is refused (a file with two hard links) prints no diff: a diff says the
/// change was made.
#[test]
fn a_refused_write_prints_no_diff() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, CRLF_DOCKERFILE).unwrap();
    std::fs::hard_link(&path, dir.path().join("link")).unwrap();
    for args in [
        &["rewrite", "--write", "Dockerfile"][..],
        &["check", "--fix", "Dockerfile"],
    ] {
        let out = dfslim(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("hard links"),
            "{out:?}"
        );
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CRLF_DOCKERFILE);
}

/// CLI review F4: a file that ends without a line ending still does after `--write` appends
/// a stage or adds lines to the final stage; CRLF and a BOM are kept; the result is
/// idempotent.
#[test]
fn write_keeps_a_missing_final_newline_missing() {
    let cases = [
        (
            "FROM golang:1.23\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]",
            "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n\nFROM gcr.io/distroless/static-debian13:nonroot\nWORKDIR /go\nCOPY --from=build /out/app /out/app\nENTRYPOINT [\"/out/app\"]",
        ),
        (
            "\u{feff}FROM golang:1.23\r\nRUN CGO_ENABLED=0 go build -o /out/app .\r\nENTRYPOINT [\"/out/app\"]",
            "\u{feff}FROM golang:1.23 AS build\r\nRUN CGO_ENABLED=0 go build -o /out/app .\r\nENTRYPOINT [\"/out/app\"]\r\n\r\nFROM gcr.io/distroless/static-debian13:nonroot\r\nWORKDIR /go\r\nCOPY --from=build /out/app /out/app\r\nENTRYPOINT [\"/out/app\"]",
        ),
        // A runtime stage retargeted in place, its shell-form CMD the file's last line.
        (
            "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nCMD /app",
            "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM gcr.io/distroless/static-debian13:nonroot\nWORKDIR /\nCOPY --from=build /out/app /app\nCMD [\"/app\"]",
        ),
    ];
    for (src, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, src).unwrap();
        let out = dfslim(&["rewrite", "--write", "Dockerfile"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, expected);
        let again = dfslim(&["rewrite", "--check", "Dockerfile"], dir.path());
        assert_eq!(again.status.code(), Some(0), "{again:?}");
        assert!(again.stdout.is_empty(), "{again:?}");
    }
}
