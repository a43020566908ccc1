//! Helpers shared by the integration tests: where the shared corpus is, how to walk it, and
//! the properties every rewrite must have.
//!
//! The corpus (`shared/corpus`) sits next to the repository, both in a developer's checkout
//! and in a CI clone. It is read in place and never copied into the project.
#![allow(dead_code)] // each test crate uses a different subset

pub mod invariants;

use std::path::{Path, PathBuf};

use dfslim::analysis::catalogue::Catalogue;
use dfslim::analysis::model::Model;
use dfslim::rewrite::{self, Options, Status};
use dfslim::rules::{self, Selection, Severity};
use dfslim::syntax;

/// Run the dfslim binary in `dir`, without colour.
pub fn dfslim_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dfslim runs")
}

/// `../shared/corpus` relative to the crate root, or `None` (with a notice) when absent.
/// With `DFSLIM_REQUIRE_CORPUS=1` (as CI sets it) a missing corpus fails the test instead:
/// a run that skipped the corpus must not pass as one that read it.
pub fn corpus_root(test: &str) -> Option<PathBuf> {
    corpus_root_at(
        test,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        corpus_required(),
    )
}

/// [`corpus_root`] for a given place and requirement.
pub fn corpus_root_at(test: &str, root: &Path, required: bool) -> Option<PathBuf> {
    let root = root.to_path_buf();
    if root.is_dir() {
        Some(root)
    } else if required {
        panic!(
            "{test}: DFSLIM_REQUIRE_CORPUS=1, and the shared corpus is not at {} (it lives beside the repository)",
            root.display()
        );
    } else {
        eprintln!(
            "{test}: skipped, the shared corpus is not at {} (it lives beside the repository)",
            root.display()
        );
        None
    }
}

/// Whether `DFSLIM_REQUIRE_CORPUS=1` is set.
pub fn corpus_required() -> bool {
    std::env::var_os("DFSLIM_REQUIRE_CORPUS").is_some_and(|v| v == "1")
}

/// Every regular file under `dir`, recursively, sorted by path.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Whether a corpus file is Dockerfile text to parse: everything except BuildKit's
/// `result` dumps and the corpus' own documentation and shell snippets.
pub fn is_dockerfile_text(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    name != "result" && !matches!(ext, "md" | "tsv" | "sh")
}

/// The path shown in reports: relative to `base` when possible, with `/` separators.
pub fn display_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The four properties every rewritten text must have: it parses, rewriting it again
/// changes nothing, `check` on it finds no DFS001 and nothing at warning or above, and every
/// byte outside the edited spans is unchanged. Returns the problems found.
pub fn rewrite_properties(
    src: &str,
    out: &str,
    edits: &[rewrite::Edit],
    options: &Options,
    target: Option<&str>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let catalogue = Catalogue::builtin();
    let tree = syntax::parse(out);
    if !tree.errors.is_empty() {
        problems.push(format!("output does not parse: {:?}", tree.errors));
        return problems;
    }
    match rewrite::rewrite_text(out, catalogue, target, options, None) {
        Ok(again) if again.plan.status == Status::Unchanged && again.text == out => {}
        Ok(again) => problems.push(format!(
            "rewriting the output again gives {:?} ({:?})",
            again.plan.status, again.plan.reason
        )),
        Err(errors) => problems.push(format!("output does not parse again: {errors:?}")),
    }
    let model = Model::new(out, &tree, catalogue, target);
    for finding in rules::check(&model, &Selection::default()) {
        if finding.rule.code == "DFS001" || finding.rule.severity >= Severity::Warning {
            problems.push(format!(
                "check on the output: {} {}",
                finding.rule.code, finding.message
            ));
        }
    }
    // Bytes outside the edited spans: walking the sorted edits, every untouched slice of
    // the original must stand in the output at its shifted position.
    let mut sorted: Vec<&rewrite::Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let (mut pos_src, mut pos_out) = (0usize, 0usize);
    for edit in sorted {
        let gap = &src[pos_src..edit.span.start];
        if out.get(pos_out..pos_out + gap.len()) != Some(gap) {
            problems.push(format!(
                "bytes {pos_src}..{} of the original changed",
                edit.span.start
            ));
        }
        pos_out += gap.len() + edit.text.len();
        pos_src = edit.span.end;
    }
    if out.get(pos_out..) != Some(&src[pos_src..]) {
        problems.push("the tail of the original changed".to_string());
    }
    problems
}
