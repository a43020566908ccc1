//! `.pre-commit-hooks.yaml`: the two hooks exist with the right commands, and their file
//! pattern takes every Dockerfile name dfslim searches a folder for, in any folder, and
//! nothing else. pre-commit matches with Python's `re.search`; the pattern uses only syntax
//! that Python and the `regex` crate read the same way (a leading `(?i)`, groups,
//! alternation, classes, `^` and `$`). `tests/precommit/run.sh` runs the hooks for real.

use regex::Regex;
use serde::Deserialize;

#[derive(Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
    files: String,
    exclude: String,
}

fn hooks() -> Vec<Hook> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// Whether pre-commit hands `path` to the hook: `files` matches and `exclude` does not.
fn selects(hook: &Hook, path: &str) -> bool {
    let files = Regex::new(&hook.files).unwrap();
    let exclude = Regex::new(&hook.exclude).unwrap();
    files.is_match(path) && !exclude.is_match(path)
}

#[test]
fn both_hooks_run_dfslim_built_by_cargo() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["dfslim-check", "dfslim-rewrite"]);
    assert_eq!(hooks[0].entry, "dfslim check --format concise");
    assert_eq!(hooks[1].entry, "dfslim rewrite --write");
    assert!(hooks.iter().all(|h| h.language == "rust"));
}

#[test]
fn file_pattern_takes_every_dockerfile_name() {
    for hook in hooks() {
        for path in [
            "Dockerfile",
            "Containerfile",
            "dockerfile",
            "Dockerfile.prod",
            "Containerfile.dev",
            "api.Dockerfile",
            "api.dockerfile",
            "db.Containerfile",
            "services/api/Dockerfile",
            ".devcontainer/Dockerfile",
            "deploy/Dockerfile.prod",
            "deploy/prod/Containerfile.arm64",
            "svc/api.dockerfile",
            "a/b/c/web.Dockerfile",
        ] {
            assert!(selects(&hook, path), "{}: should take {path}", hook.id);
        }
    }
}

#[test]
fn file_pattern_leaves_other_files() {
    for hook in hooks() {
        for path in [
            "README.md",
            "Makefile",
            "docs/Dockerfile.md/readme.txt",
            "dockerfiles/build.sh",
            "Dockerfile/notes.txt",
            "notDockerfile",
            "Dockerfiles",
            // A dash or an underscore is not one of the names dfslim searches a folder
            // for, so these are left alone on commit as in `dfslim check .`.
            "Dockerfile-old.txt",
            "Dockerfile_dev",
            // BuildKit's per-Dockerfile ignore files.
            "Dockerfile.dockerignore",
            "svc/api.Dockerfile.dockerignore",
            ".dockerignore",
        ] {
            assert!(!selects(&hook, path), "{}: should leave {path}", hook.id);
        }
    }
}
