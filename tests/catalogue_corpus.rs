//! Measures how many of the real final-stage images in the shared corpus the built-in
//! catalogue describes. The corpus lives beside the project (`../shared/corpus/apps`); where
//! it is absent the test says so and passes, unless `DFSLIM_REQUIRE_CORPUS=1`.

use std::collections::HashMap;

use dfslim::analysis::catalogue::Catalogue;
use dfslim::analysis::image_ref::ImageRef;

mod common;

/// The share of literal final-stage images that must resolve to facts.
const FLOOR_PERCENT: f64 = 87.0;

/// The image a Dockerfile's last stage is built on, following `FROM <earlier stage>` back to
/// an image. A rough reader (no heredocs, no escape directive): enough for FROM lines.
fn final_image(text: &str) -> Option<String> {
    let mut logical_lines = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim_start().starts_with('#') {
            continue;
        }
        match line.trim_end().strip_suffix('\\') {
            Some(continued) => {
                current.push_str(continued);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                logical_lines.push(std::mem::take(&mut current));
            }
        }
    }
    logical_lines.push(current);

    let mut stages: HashMap<String, String> = HashMap::new();
    let mut last = None;
    for line in &logical_lines {
        let mut words = line.split_whitespace();
        let Some(keyword) = words.next() else {
            continue;
        };
        if !keyword.eq_ignore_ascii_case("from") {
            continue;
        }
        let args: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
        let Some(image) = args.first() else { continue };
        let base = stages
            .get(&image.to_lowercase())
            .cloned()
            .unwrap_or_else(|| image.to_string());
        if args.len() >= 3 && args[1].eq_ignore_ascii_case("as") {
            stages.insert(args[2].to_lowercase(), base.clone());
        }
        last = Some(base);
    }
    last
}

#[test]
fn most_literal_final_images_in_the_corpus_resolve() {
    let Some(root) = common::corpus_root("catalogue_corpus") else {
        return;
    };
    let apps = root.join("apps");
    let entries = std::fs::read_dir(&apps).unwrap_or_else(|e| panic!("{}: {e}", apps.display()));
    let catalogue = Catalogue::builtin();
    let (mut literal, mut resolved) = (0usize, 0usize);
    let mut unresolved: HashMap<String, usize> = HashMap::new();
    for entry in entries.flatten() {
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let Some(image) = final_image(&text) else {
            continue;
        };
        if image.contains('$') {
            continue;
        }
        literal += 1;
        let facts = ImageRef::parse(&image)
            .ok()
            .and_then(|r| catalogue.lookup(&r));
        if facts.is_some() {
            resolved += 1;
        } else {
            *unresolved.entry(image).or_default() += 1;
        }
    }
    let percent = 100.0 * resolved as f64 / literal.max(1) as f64;
    let mut misses: Vec<_> = unresolved.into_iter().collect();
    misses.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!("{resolved} of {literal} literal final images resolve ({percent:.1}%)");
    for (image, count) in &misses {
        eprintln!("  unresolved: {count} {image}");
    }
    assert!(
        literal > 0,
        "no literal final images found under {}",
        apps.display()
    );
    assert!(
        percent >= FLOOR_PERCENT,
        "{percent:.1}% of literal final images resolve, below the {FLOOR_PERCENT}% floor"
    );
}
