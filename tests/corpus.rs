//! Robustness and losslessness over the whole shared corpus (`../shared/corpus`).
//!
//! * Every file parses without a panic.
//! * The top-level item spans tile the input byte for byte: sorted, contiguous, the first
//!   starting at 0 and the last ending at the input's length.
//! * `apps/`, `base/` and `parser/kaniko/` hold real, buildable Dockerfiles: they must parse
//!   without errors. Elsewhere (buildah's deliberately bad files, tree-sitter's snippets,
//!   BuildKit's negative files) errors are expected and only listed.

mod common;

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::invariants::tiling_problem;
use dfslim::syntax::parse;

/// Folders whose files must parse without a single error.
const CLEAN_FOLDERS: [&str; 3] = ["apps/", "base/", "parser/kaniko/"];

#[test]
fn whole_corpus_parses_losslessly() {
    let Some(root) = common::corpus_root("corpus") else {
        return;
    };
    let files: Vec<_> = common::files_under(&root)
        .into_iter()
        .filter(|p| common::is_dockerfile_text(p))
        .collect();
    assert!(
        files.len() > 1300,
        "only {} corpus files found",
        files.len()
    );

    let mut failures = String::new();
    let mut failed = 0;
    let mut informational = String::new();
    let mut with_errors = 0;
    for path in &files {
        let name = common::display_path(path, &root);
        let src = match std::fs::read_to_string(path) {
            Ok(src) => src,
            Err(e) => {
                failed += 1;
                let _ = writeln!(failures, "{name}: cannot read as UTF-8 text: {e}");
                continue;
            }
        };
        let tree = match catch_unwind(AssertUnwindSafe(|| parse(&src))) {
            Ok(tree) => tree,
            Err(_) => {
                failed += 1;
                let _ = writeln!(failures, "{name}: the parser panicked");
                continue;
            }
        };
        if let Some(problem) = tiling_problem(&tree, src.len()) {
            failed += 1;
            let _ = writeln!(failures, "{name}: spans do not tile the input: {problem}");
        }
        if tree.errors.is_empty() {
            continue;
        }
        let errors: Vec<String> = tree
            .errors
            .iter()
            .map(|e| {
                let line = dfslim::syntax::line_of(&src, e.span.start);
                format!("{} at line {line}: {}", e.code, e.message)
            })
            .collect();
        if CLEAN_FOLDERS.iter().any(|f| name.starts_with(f)) {
            failed += 1;
            let _ = writeln!(failures, "{name}: unexpected errors:");
            for e in &errors {
                let _ = writeln!(failures, "    {e}");
            }
        } else {
            with_errors += 1;
            let mut counts = std::collections::BTreeMap::<&str, usize>::new();
            for e in &tree.errors {
                *counts.entry(e.code).or_default() += 1;
            }
            let codes: Vec<String> = counts
                .into_iter()
                .map(|(code, n)| {
                    if n == 1 {
                        code.to_string()
                    } else {
                        format!("{code} ×{n}")
                    }
                })
                .collect();
            let _ = writeln!(informational, "  {name}: {}", codes.join(", "));
        }
    }
    eprintln!(
        "corpus: {} files parsed; {with_errors} outside {CLEAN_FOLDERS:?} report errors \
         (informational):\n{informational}",
        files.len()
    );
    assert!(failed == 0, "{failed} corpus file(s) failed:\n{failures}");
}

/// CI sets `DFSLIM_REQUIRE_CORPUS=1`: then a missing corpus fails the run instead of letting
/// every corpus test pass without reading a file.
#[test]
fn a_required_corpus_that_is_missing_fails() {
    let missing = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-corpus");
    assert_eq!(common::corpus_root_at("t", &missing, false), None);
    let required = std::panic::catch_unwind(|| common::corpus_root_at("t", &missing, true));
    assert!(
        required.is_err(),
        "a required corpus that is missing panics"
    );
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.lines()
            .any(|l| l.trim() == "export DFSLIM_REQUIRE_CORPUS=1"),
        ".ci/run requires the corpus"
    );
}
