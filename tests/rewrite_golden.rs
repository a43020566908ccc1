//! Golden rewrite pairs: `testdata/rewrite/<case>/Dockerfile` with `expected.Dockerfile`
//! (the exact rewrite), `declined.txt` (the decline code on its first line, its message on
//! the second: a decline is advice the user reads, so its words are part of the result) or
//! `unchanged.txt`. An optional `options.txt` holds `family=…`, `base=…`, `target=…`,
//! `stage-name=…`, `allow-version-change=true` lines. The case folder is the build context.
//!
//! Every rewritten pair must also prove four things: the output parses, rewriting it again
//! changes nothing, `check` on it finds nothing at warning or above, and every byte outside
//! the edited spans is unchanged.
//!
//! `DFSLIM_BLESS=1 cargo test --test rewrite_golden` writes the expectations from the
//! current behaviour, for review.

use std::path::{Path, PathBuf};

use dfslim::analysis::catalogue::{Catalogue, TargetFamily};
use dfslim::analysis::dockerignore::DockerIgnore;
use dfslim::rewrite::{self, Options, Status};

mod common;
use common::rewrite_properties as properties;

fn options(dir: &Path) -> (Options, Option<String>) {
    let mut options = Options::default();
    let mut target = None;
    if let Ok(text) = std::fs::read_to_string(dir.join("options.txt")) {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (key, value) = line
                .split_once('=')
                .expect("options.txt lines are key=value");
            match key.trim() {
                "family" => {
                    options.family = match value.trim() {
                        "scratch" => TargetFamily::Scratch,
                        "chainguard" => TargetFamily::Chainguard,
                        _ => TargetFamily::Distroless,
                    }
                }
                "base" => options.base = Some(value.trim().to_string()),
                "target" => target = Some(value.trim().to_string()),
                "stage-name" => options.stage_name = value.trim().to_string(),
                "allow-version-change" => options.allow_version_change = value.trim() == "true",
                other => panic!("unknown option {other} in {}", dir.display()),
            }
        }
    }
    (options, target)
}

/// The CLI's reading of a context: files by relative path, a folder (`x/`, or `` for the
/// root) as its sorted entries with sub-folders ending in `/`.
fn context_reader(dir: PathBuf) -> impl Fn(&str) -> Option<String> {
    let ignore = DockerIgnore::parse(
        &std::fs::read_to_string(dir.join(".dockerignore")).unwrap_or_default(),
    );
    move |rel: &str| {
        // `./` reads what .dockerignore excludes: deployment files, as the CLI does.
        let (rel, raw) = rel.strip_prefix("./").map_or((rel, false), |r| (r, true));
        let path = dir.join(rel);
        if !raw && ignore.excludes(rel) {
            return None;
        }
        if !(rel.is_empty() || rel.ends_with('/')) {
            return dfslim::ecosystems::build::context_text(&std::fs::read(path).ok()?);
        }
        let mut names: Vec<String> = std::fs::read_dir(path)
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| {
                raw || !ignore.excludes(&format!("{rel}{}", e.file_name().to_string_lossy()))
            })
            .map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                if e.path().is_dir() {
                    format!("{name}/")
                } else {
                    name
                }
            })
            .collect();
        names.sort();
        Some(names.join("\n"))
    }
}

#[test]
fn golden_pairs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rewrite");
    let bless = std::env::var_os("DFSLIM_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/rewrite exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Dockerfile").is_file())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let src = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
        let (options, target) = options(dir);
        let reader = context_reader(dir.clone());
        let done = match rewrite::rewrite_text(
            &src,
            Catalogue::builtin(),
            target.as_deref(),
            &options,
            Some(&reader),
        ) {
            Ok(done) => done,
            Err(errors) => {
                failures.push(format!("{name}: does not parse: {errors:?}"));
                continue;
            }
        };
        let status = done.plan.status;
        let code = done
            .plan
            .reason
            .as_ref()
            .map(|r| r.code.name())
            .unwrap_or("");
        if bless {
            for f in ["expected.Dockerfile", "declined.txt", "unchanged.txt"] {
                let _ = std::fs::remove_file(dir.join(f));
            }
            match status {
                Status::Rewritten => {
                    std::fs::write(dir.join("expected.Dockerfile"), &done.text).unwrap()
                }
                Status::Declined => std::fs::write(
                    dir.join("declined.txt"),
                    format!("{code}\n{}\n", done.plan.reason.as_ref().unwrap().message),
                )
                .unwrap(),
                Status::Unchanged => {
                    std::fs::write(dir.join("unchanged.txt"), "unchanged\n").unwrap()
                }
            }
        }
        if let Ok(expected) = std::fs::read_to_string(dir.join("expected.Dockerfile")) {
            if status != Status::Rewritten {
                failures.push(format!(
                    "{name}: expected a rewrite, got {status:?} {:?}",
                    done.plan.reason
                ));
                continue;
            }
            if done.text != expected {
                failures.push(format!(
                    "{name}: rewrite differs from expected.Dockerfile\n--- got ---\n{}",
                    done.text
                ));
            }
            for problem in properties(
                &src,
                &done.text,
                &done.plan.edits,
                &options,
                target.as_deref(),
            ) {
                failures.push(format!("{name}: {problem}"));
            }
        } else if let Ok(declined) = std::fs::read_to_string(dir.join("declined.txt")) {
            let mut lines = declined.lines();
            let want = lines.next().unwrap_or("").trim();
            let want_message = lines.next().unwrap_or("").trim();
            let message = done.plan.reason.as_ref().map_or("", |r| r.message.as_str());
            if status != Status::Declined || code != want {
                failures.push(format!(
                    "{name}: expected decline `{want}`, got {status:?} `{code}` {:?}",
                    done.plan.reason
                ));
            } else if message != want_message {
                failures.push(format!(
                    "{name}: decline `{code}` says\n  {message}\nnot, as declined.txt does,\n  {want_message}"
                ));
            }
            if done.text != src {
                failures.push(format!("{name}: a declined file must stay byte-identical"));
            }
        } else if dir.join("unchanged.txt").exists() {
            if status != Status::Unchanged || done.text != src {
                failures.push(format!(
                    "{name}: expected unchanged, got {status:?} {:?}",
                    done.plan.reason
                ));
            }
        } else {
            failures.push(format!(
                "{name}: no expected.Dockerfile, declined.txt or unchanged.txt"
            ));
        }
    }
    assert!(cases.len() >= 40, "only {} golden cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
