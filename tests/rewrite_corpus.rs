//! The rewrite over the real Dockerfiles of `../shared/corpus`: it never panics, every
//! rewritten output has the four properties, and the base-image files in `base/` are never
//! rewritten. Prints the counts of rewritten, unchanged and declined files (by reason).

use std::collections::BTreeMap;

use dfslim::analysis::catalogue::Catalogue;
use dfslim::rewrite::{self, Options, Status};

mod common;

#[test]
fn rewrite_over_the_corpus() {
    let Some(root) = common::corpus_root("rewrite_corpus") else {
        return;
    };
    let options = Options::default();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for folder in ["apps", "base"] {
        for path in common::files_under(&root.join(folder)) {
            let bytes = std::fs::read(&path).unwrap();
            let Ok(src) = dfslim::syntax::input::decode(&bytes) else {
                continue;
            };
            let result = std::panic::catch_unwind(|| {
                rewrite::rewrite_text(src, Catalogue::builtin(), None, &options, None)
            });
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            let done = match result {
                Err(_) => {
                    failures.push(format!("{name}: panicked"));
                    continue;
                }
                Ok(Err(errors)) => {
                    failures.push(format!("{name}: parse errors {errors:?}"));
                    continue;
                }
                Ok(Ok(done)) => done,
            };
            let key = match (&done.plan.status, &done.plan.reason) {
                (Status::Declined, Some(reason)) => format!("{folder}: declined {}", reason.code),
                (status, _) => format!("{folder}: {status:?}").to_lowercase(),
            };
            *counts.entry(key).or_default() += 1;
            // Every decline lists its blockers, the first being the plan's own reason.
            if let Some(reason) = &done.plan.reason {
                match done.plan.blockers.first() {
                    Some(first) if first.code == reason.code && first.message == reason.message => {
                    }
                    _ => failures.push(format!("{name}: the first blocker is not the reason")),
                }
            }
            if done.plan.status == Status::Rewritten {
                if folder == "base" {
                    failures.push(format!("{name}: a base image was rewritten"));
                }
                for problem in
                    common::rewrite_properties(src, &done.text, &done.plan.edits, &options, None)
                {
                    failures.push(format!("{name}: {problem}"));
                }
            }
        }
    }
    println!("rewrite over the corpus:");
    for (key, count) in &counts {
        println!("  {count:5}  {key}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
