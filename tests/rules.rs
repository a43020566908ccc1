//! Every rule against its fixtures: `testdata/rules/DFSnnn/catches*.Dockerfile` must give
//! at least one finding of that rule, `ok*.Dockerfile` none. The findings of each fixture
//! (only its rule selected) are compared with a snapshot in `tests/snapshots/`, one line a
//! finding: `line:col-line:col CODE message`.

use std::path::{Path, PathBuf};

use dfslim::analysis::catalogue::Catalogue;
use dfslim::analysis::model::Model;
use dfslim::rules::{self, Finding, RULES, Selection};
use dfslim::syntax;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules")
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        syntax::line_of(src, offset),
        before[line_start..].chars().count() + 1,
    )
}

fn render(src: &str, findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let (line, col) = line_col(src, f.span.start);
            let (end_line, end_col) = line_col(src, f.span.end);
            format!(
                "{line}:{col}-{end_line}:{end_col} {} {}\n",
                f.rule.code, f.message
            )
        })
        .collect()
}

fn check(src: &str, selection: &Selection) -> Vec<Finding> {
    let tree = syntax::parse(src);
    assert!(
        tree.errors.is_empty(),
        "fixture does not parse: {:?}",
        tree.errors
    );
    let model = Model::new(src, &tree, Catalogue::builtin(), None);
    rules::check(&model, selection)
}

#[test]
fn every_rule_has_fixtures_that_catch_and_fixtures_that_pass() {
    for rule in RULES {
        let dir = fixtures_root().join(rule.code);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("catches")),
            "{}: no catches*.Dockerfile",
            rule.code
        );
        assert!(
            names.iter().any(|n| n.starts_with("ok")),
            "{}: no ok*.Dockerfile",
            rule.code
        );
    }
}

#[test]
fn fixtures_match_their_snapshots() {
    for rule in RULES {
        let dir = fixtures_root().join(rule.code);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
            .collect();
        files.sort();
        for path in files {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let src = std::fs::read_to_string(&path).unwrap();
            let selection = Selection {
                select: vec![rule.code.to_string()],
                ignore: Vec::new(),
            };
            let findings = check(&src, &selection);
            if stem.starts_with("catches") {
                assert!(
                    !findings.is_empty(),
                    "{}/{stem}: {} found nothing",
                    rule.code,
                    rule.code
                );
            } else {
                assert!(
                    findings.is_empty(),
                    "{}/{stem}: expected no finding, got:\n{}",
                    rule.code,
                    render(&src, &findings)
                );
            }
            insta::assert_snapshot!(format!("{}__{stem}", rule.code), render(&src, &findings));
        }
    }
}

/// PRODUCT.md's acceptance case: ending on distroless `static:nonroot` with an exec-form
/// ENTRYPOINT is clean under every rule; the same on `debian:bookworm` is DFS001. The CLI
/// runs the same files in `tests/cmd/check.md`.
#[test]
fn acceptance_distroless_is_clean_and_debian_is_full_distro() {
    let distroless = include_str!("cmd/check.in/distroless.Dockerfile");
    assert_eq!(
        render(distroless, &check(distroless, &Selection::default())),
        ""
    );

    let debian = include_str!("cmd/check.in/debian.Dockerfile");
    assert_eq!(
        debian,
        distroless.replace(
            "gcr.io/distroless/static-debian13:nonroot",
            "debian:bookworm"
        ),
        "the two files differ only in the final FROM"
    );
    let codes: Vec<&str> = check(debian, &Selection::default())
        .iter()
        .map(|f| f.rule.code)
        .collect();
    assert!(codes.contains(&"DFS001"), "{codes:?}");
}

/// A code in an ignore comment that no rule has suppresses nothing: `check` says so on
/// stderr, with the place, and still reports what it did not suppress.
#[test]
fn an_ignore_comment_naming_no_rule_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    std::fs::write(
        &file,
        "# dfslim ignore=DFS999, final-stage-full-distro\nFROM debian:bookworm-slim\nCMD [\"x\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["check", "--format", "concise"])
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "Dockerfile:1:1: `# dfslim ignore` names `DFS999`, which is no rule's code or name"
        ),
        "{stderr}"
    );
    // `final-stage-full-distro` is a rule's name: no warning for it.
    assert!(!stderr.contains("`final-stage-full-distro`"), "{stderr}");
}
