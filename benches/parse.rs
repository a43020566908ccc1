//! In-process throughput of the parser, the model and the rules over the real Dockerfiles of
//! `../shared/corpus/apps` and `base`: `cargo bench --bench parse`. Files are read first, so
//! the figures are for the work alone, without I/O or process start-up.

use std::time::{Duration, Instant};

use dfslim::analysis::catalogue::Catalogue;
use dfslim::analysis::model::Model;
use dfslim::rewrite::{self, Options};
use dfslim::rules::{self, Selection};

fn corpus() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut files = Vec::new();
    for folder in ["apps", "base"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            eprintln!("notice: {} is absent", root.join(folder).display());
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                files.push(text);
            }
        }
    }
    files
}

/// The median of `runs` timings of `work`.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    // What every `check` or `rewrite` pays once at start-up: reading the catalogue.
    let yaml = include_str!("../src/analysis/catalogue.yaml");
    let load = median(11, || {
        std::hint::black_box(Catalogue::from_yaml(yaml).ok());
    });
    println!("catalogue load: {:.2} ms", load.as_secs_f64() * 1e3);
    let files = corpus();
    if files.is_empty() {
        return;
    }
    let bytes: usize = files.iter().map(String::len).sum();
    let catalogue = Catalogue::builtin();
    let report = |what: &str, time: Duration| {
        let secs = time.as_secs_f64();
        println!(
            "{what:<8} {:>8.2} ms  {:>9.0} files/s  {:>7.1} MB/s",
            secs * 1e3,
            files.len() as f64 / secs,
            bytes as f64 / 1e6 / secs
        );
    };
    println!(
        "{} files, {:.2} MB, median of 11 runs",
        files.len(),
        bytes as f64 / 1e6
    );
    report(
        "parse",
        median(11, || {
            for src in &files {
                std::hint::black_box(dfslim::syntax::parse(src));
            }
        }),
    );
    report(
        "check",
        median(11, || {
            for src in &files {
                let tree = dfslim::syntax::parse(src);
                let model = Model::new(src, &tree, catalogue, None);
                std::hint::black_box(rules::check(&model, &Selection::default()));
            }
        }),
    );
    report(
        "rewrite",
        median(11, || {
            for src in &files {
                std::hint::black_box(
                    rewrite::rewrite_text(src, catalogue, None, &Options::default(), None).ok(),
                );
            }
        }),
    );
}
