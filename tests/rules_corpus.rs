//! Runs every rule over the shared corpus of real Dockerfiles (`../shared/corpus/apps` and
//! `base`): no rule may panic on any of them. Prints how many final stages are at each
//! level and how many findings each rule gives, to watch for false positives; with
//! `DFSLIM_CORPUS_FINDINGS=1` it also prints every finding as `file:line:col CODE message`.
//! Where the corpus is absent the test says so and passes.

mod common;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dfslim::analysis::catalogue::Catalogue;
use dfslim::analysis::level::Level;
use dfslim::analysis::model::Model;
use dfslim::rules::{self, RULES, Selection};
use dfslim::syntax::{self, line_of};

#[test]
fn rules_run_over_the_corpus_without_panicking() {
    let Some(root) = common::corpus_root("rules_corpus") else {
        return;
    };
    let verbose = std::env::var_os("DFSLIM_CORPUS_FINDINGS").is_some();
    let mut levels: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_rule: BTreeMap<&str, usize> = RULES.iter().map(|r| (r.code, 0)).collect();
    let mut panicked = Vec::new();
    let mut files = 0;
    for dir in ["apps", "base"] {
        for path in common::files_under(&root.join(dir)) {
            if !common::is_dockerfile_text(&path) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            files += 1;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let name = common::display_path(&path, &root);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let tree = syntax::parse(&text);
                let model = Model::new(&text, &tree, Catalogue::builtin(), None);
                let level = model
                    .final_stage()
                    .map_or(Level::Unknown, |s| model.level(s.index));
                let findings = rules::check(&model, &Selection::default());
                let findings: Vec<(&'static str, usize, String)> = findings
                    .iter()
                    .map(|f| (f.rule.code, f.span.start, f.message.clone()))
                    .collect();
                (level, findings)
            }));
            let Ok((level, findings)) = outcome else {
                panicked.push(name);
                continue;
            };
            *levels.entry(level.as_str()).or_default() += 1;
            for (code, start, message) in findings {
                *per_rule.entry(code).or_default() += 1;
                if verbose {
                    let line = line_of(&text, start);
                    println!("{name}:{line} {code} {message}");
                }
            }
        }
    }
    println!("rules_corpus: {files} files");
    println!("final stages per level:");
    for (level, count) in &levels {
        println!("  {level:<12} {count}");
    }
    println!("findings per rule:");
    for rule in RULES {
        println!("  {} {:<36} {}", rule.code, rule.name, per_rule[rule.code]);
    }
    assert!(panicked.is_empty(), "rules panicked on: {panicked:#?}");
}
