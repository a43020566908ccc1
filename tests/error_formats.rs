//! Files that cannot be read or parsed, in every machine format (CLI review F14, F15, F16):
//! each error has its code and, when it has a place in the file, its 1-based line and
//! column, computed from the raw bytes for a NUL byte or bytes that are not UTF-8. The exit
//! code is 2 in every format.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The files of one run: an unterminated heredoc (2:5), a NUL byte (2:11), a byte that is
/// not UTF-8 (2:10, the byte's own column), a comma and a colon in a name (escaped in
/// GitHub properties), and a clean-but-faulted file.
const FILES: &[(&str, &[u8])] = &[
    ("heredoc.Dockerfile", b"FROM alpine\nRUN <<EOF\nx\n"),
    ("nul.Dockerfile", b"FROM alpine\nRUN echo a\x00b\n"),
    ("bad8.Dockerfile", b"FROM alpine\nRUN echo \xff bad\n"),
    ("a,b:c.Dockerfile", b"FROM alpine\nFOO x\n"),
    ("ok.Dockerfile", b"FROM debian:bookworm\n"),
];

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in FILES {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn dfslim(dir: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dfslim runs");
    (
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

const INPUTS: &[&str] = &[
    "heredoc.Dockerfile",
    "nul.Dockerfile",
    "bad8.Dockerfile",
    "missing.Dockerfile",
    "ok.Dockerfile",
];

/// Line and column from 1, when the error has a place.
type Place = Option<(u64, u64)>;

/// (file, code, place) of each error of [`INPUTS`].
const EXPECTED: &[(&str, &str, Place)] = &[
    ("heredoc.Dockerfile", "unterminated-heredoc", Some((2, 5))),
    ("nul.Dockerfile", "nul-byte", Some((2, 11))),
    ("bad8.Dockerfile", "invalid-utf8", Some((2, 10))),
    ("missing.Dockerfile", "io", None),
];

fn args<'a>(command: &[&'a str]) -> Vec<&'a str> {
    command.iter().chain(INPUTS).copied().collect()
}

#[test]
fn check_json_places_every_error() {
    let dir = folder();
    let (stdout, _, code) = dfslim(dir.path(), &args(&["check", "--format", "json"]));
    assert_eq!(code, Some(2));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    for (file, code, place) in EXPECTED {
        let entry = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == *file)
            .unwrap_or_else(|| panic!("no {file} in {doc}"));
        let error = &entry["errors"][0];
        assert_eq!(error["code"], *code, "{entry}");
        assert_eq!(error["line"].as_u64(), place.map(|p| p.0), "{entry}");
        assert_eq!(error["column"].as_u64(), place.map(|p| p.1), "{entry}");
    }
}

/// F14: `status` `error` (documented, counted in `summary.failed`) with `code`, `reason`,
/// `line`, `column` and `errors`.
#[test]
fn rewrite_json_places_every_error() {
    let dir = folder();
    let (stdout, _, code) = dfslim(dir.path(), &args(&["rewrite", "--format", "json"]));
    assert_eq!(code, Some(2));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    for (file, code, place) in EXPECTED {
        let entry = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == *file)
            .unwrap_or_else(|| panic!("no {file} in {doc}"));
        assert_eq!(entry["status"], "error", "{entry}");
        assert_eq!(entry["code"], *code, "{entry}");
        assert!(entry["reason"].is_string(), "{entry}");
        assert_eq!(entry["line"].as_u64(), place.map(|p| p.0), "{entry}");
        assert_eq!(entry["column"].as_u64(), place.map(|p| p.1), "{entry}");
        assert_eq!(entry["errors"][0]["code"], *code, "{entry}");
    }
    assert_eq!(doc["summary"]["failed"], 4, "{doc}");
    assert_eq!(doc["summary"]["files"], 5, "{doc}");
}

/// F16: a document for every input, as JSON Lines with `path` when there are several, the
/// span in the input's bytes.
#[test]
fn parse_json_has_a_document_for_every_input() {
    let dir = folder();
    let inputs = &INPUTS[..4];
    let (stdout, _, code) = dfslim(dir.path(), &[&["parse"][..], inputs].concat());
    assert_eq!(code, Some(2));
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), inputs.len(), "{stdout}");
    for (line, (file, code, place)) in lines.iter().zip(EXPECTED) {
        assert_eq!(line["path"], *file);
        assert!(line["items"].is_array(), "{line}");
        let error = &line["errors"][0];
        assert_eq!(error["code"], *code, "{line}");
        assert_eq!(error["line"].as_u64(), place.map(|p| p.0), "{line}");
        assert_eq!(error["column"].as_u64(), place.map(|p| p.1), "{line}");
    }
    assert_eq!(lines[1]["errors"][0]["span"], serde_json::json!([22, 23]));
    assert_eq!(lines[2]["errors"][0]["span"], serde_json::json!([21, 22]));
    // One input: the document alone, without `path`.
    let (stdout, _, code) = dfslim(dir.path(), &["parse", "nul.Dockerfile"]);
    assert_eq!(code, Some(2));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["items"], serde_json::json!([]));
    assert_eq!(doc["errors"][0]["line"], 2);
    assert!(doc.get("path").is_none());
}

/// F15: one line per error, placed, on stdout; nothing on stderr.
#[test]
fn check_concise_gives_one_line_per_error() {
    let dir = folder();
    let (stdout, stderr, code) = dfslim(dir.path(), &args(&["check", "--format", "concise"]));
    assert_eq!(code, Some(2));
    for (file, code, place) in EXPECTED {
        let (line, column) = place.unwrap_or((1, 1));
        let start = format!("{file}:{line}:{column}: {code} [error] ");
        assert!(
            stdout.lines().any(|l| l.starts_with(&start)),
            "no {start:?} in {stdout}"
        );
    }
    assert!(stdout.contains("ok.Dockerfile:1:6: DFS001"), "{stdout}");
    assert_eq!(stderr, "", "concise keeps the errors to their lines");
}

/// F15: an `::error` annotation per error, with its place; properties escaped.
#[test]
fn check_github_annotates_every_error() {
    let dir = folder();
    let (stdout, _, code) = dfslim(
        dir.path(),
        &args(&["check", "--format", "github", "a,b:c.Dockerfile"]),
    );
    assert_eq!(code, Some(2));
    for (file, code, place) in EXPECTED {
        let start = match place {
            Some((line, column)) => format!("::error file={file},line={line},col={column},"),
            None => format!("::error file={file},title=dfslim {code}::"),
        };
        assert!(
            stdout.lines().any(|l| l.starts_with(&start)),
            "no {start:?} in {stdout}"
        );
    }
    assert!(
        stdout.contains("::error file=a%2Cb%3Ac.Dockerfile,line=2,col=1,title=dfslim "),
        "{stdout}"
    );
}

/// F15: SARIF has the errors as tool execution notifications of a failed invocation, each
/// with its file and region; a clean run's invocation succeeded.
#[test]
fn check_sarif_notifies_every_error() {
    let dir = folder();
    let (stdout, _, code) = dfslim(dir.path(), &args(&["check", "--format", "sarif"]));
    assert_eq!(code, Some(2));
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 2, "ok's findings");
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), EXPECTED.len());
    for (note, (file, code, place)) in notes.iter().zip(EXPECTED) {
        assert_eq!(note["level"], "error");
        assert_eq!(note["descriptor"]["id"], *code);
        assert!(note["message"]["text"].is_string());
        let physical = &note["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], *file);
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(physical["region"]["startLine"].as_u64(), place.map(|p| p.0));
        assert_eq!(
            physical["region"]["startColumn"].as_u64(),
            place.map(|p| p.1)
        );
    }

    // Errors only: still one document, results empty.
    let (stdout, _, code) = dfslim(
        dir.path(),
        &["check", "--format", "sarif", "nul.Dockerfile"],
    );
    assert_eq!(code, Some(2));
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );

    let (stdout, _, code) = dfslim(dir.path(), &["check", "--format", "sarif", "ok.Dockerfile"]);
    assert_eq!(code, Some(1));
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        log["runs"][0]["invocations"],
        serde_json::json!([{"executionSuccessful": true}])
    );
}
