//! BuildKit's own parser test files, read in place from `../shared/corpus/parser/buildkit`.
//!
//! * `testfiles/<case>/Dockerfile` must dump (BuildKit's `Node.Dump()` format) to exactly the
//!   bytes of `testfiles/<case>/result`.
//! * `testfiles-negative/<case>/Dockerfile` must be reported as broken, with the right code.
//! * `testfile-line/Dockerfile` pins the line ranges of its three instructions.
//!
//! The files are BuildKit's (Apache-2.0) and are never copied into this repository.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dfslim::syntax::{buildkit_dump, parse};

fn buildkit_dir() -> Option<PathBuf> {
    common::corpus_root("buildkit_conformance").map(|root| root.join("parser/buildkit"))
}

fn case_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn testfiles_dump_matches_result() {
    let Some(dir) = buildkit_dir() else { return };
    let dirs = case_dirs(&dir.join("testfiles"));
    assert_eq!(
        dirs.len(),
        33,
        "expected BuildKit's 33 testfiles directories"
    );

    let mut report = String::new();
    let mut failed = Vec::new();
    for case in &dirs {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let src = read(&case.join("Dockerfile"));
        let expected = read(&case.join("result"));
        let tree = parse(&src);
        let got = buildkit_dump(&tree);
        if got != expected {
            let diff = similar::TextDiff::from_lines(&expected, &got)
                .unified_diff()
                .context_radius(2)
                .header("result (BuildKit)", "buildkit_dump (dfslim)")
                .to_string();
            let _ = writeln!(report, "\n=== {name}\n{diff}");
            if !tree.errors.is_empty() {
                let codes: Vec<&str> = tree.errors.iter().map(|e| e.code).collect();
                let _ = writeln!(report, "    (parser errors: {codes:?})");
            }
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} testfiles differ from their `result`: {failed:?}\n{report}",
        failed.len(),
        dirs.len()
    );
}

#[test]
fn negative_testfiles_are_rejected() {
    let Some(dir) = buildkit_dir() else { return };
    // The code each negative file must produce (GRAMMAR.md §1.11).
    let expected: [(&str, &str); 4] = [
        ("empty_dockerfile", "no-instructions"),
        ("env_no_value", "env-no-value"),
        ("only_comments", "no-instructions"),
        ("shykes-nested-json", "json-non-string"),
    ];
    let dirs = case_dirs(&dir.join("testfiles-negative"));
    let names: Vec<String> = dirs
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        expected
            .iter()
            .map(|(n, _)| n.to_string())
            .collect::<Vec<_>>(),
        "the negative set changed"
    );

    let mut problems = Vec::new();
    for (case, (name, code)) in dirs.iter().zip(expected) {
        let src = read(&case.join("Dockerfile"));
        let tree = parse(&src);
        let found = tree
            .errors
            .iter()
            .find(|e| e.code == code && !e.message.trim().is_empty());
        if found.is_none() {
            let got: Vec<String> = tree
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.code, e.message))
                .collect();
            problems.push(format!("{name}: expected an error `{code}`, got {got:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn testfile_line_ranges() {
    let Some(dir) = buildkit_dir() else { return };
    let src = read(&dir.join("testfile-line/Dockerfile"));
    let tree = parse(&src);
    let got: Vec<(&str, (usize, usize))> = tree
        .instructions()
        .map(|i| (i.keyword.as_str(), i.line_range(&src)))
        .collect();
    let expected = vec![("FROM", (5, 5)), ("ENV", (11, 12)), ("RUN", (17, 31))];
    assert_eq!(got, expected, "instruction line ranges of testfile-line");
}
