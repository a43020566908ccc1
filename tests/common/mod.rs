//! Helpers shared by the integration tests: where the shared corpus is, and how to walk it.
//!
//! The corpus (`shared/corpus`) sits next to the repository, both in a developer's checkout
//! and in a CI clone. It is read in place and never copied into the project.
#![allow(dead_code)] // each test crate uses a different subset

pub mod invariants;

use std::path::{Path, PathBuf};

/// `../shared/corpus` relative to the crate root, or `None` (with a notice) when absent.
pub fn corpus_root(test: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!(
            "{test}: skipped, the shared corpus is not at {} (it lives beside the repository)",
            root.display()
        );
        None
    }
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
