//! The module map holds: layers depend one way (`syntax` ← `analysis` ← `ecosystems` ←
//! `rules`/`rewrite` ← `cli`), no two files of one layer import each other (directly or
//! around a loop), and no impl block grows past what a reader can hold in their head.
//! docs/architecture.md draws the same map.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each layer and the layers it may use (itself included).
const LAYERS: &[(&str, &[&str])] = &[
    (
        "build",
        &[
            "syntax",
            "analysis",
            "image",
            "engine",
            "ecosystems",
            "rules",
            "rewrite",
            "build",
        ],
    ),
    ("syntax", &["syntax"]),
    ("analysis", &["syntax", "analysis"]),
    ("image", &["analysis", "image"]),
    ("engine", &["engine"]),
    ("ecosystems", &["syntax", "analysis", "ecosystems"]),
    ("rules", &["syntax", "analysis", "ecosystems", "rules"]),
    (
        "rewrite",
        &[
            "syntax",
            "analysis",
            "image",
            "ecosystems",
            "rules",
            "rewrite",
        ],
    ),
];

/// Every `.rs` file below `dir`, with its text.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            files.push((path.display().to_string(), text));
        }
    }
    files
}

/// The code of a file: without comments (a doc link is no dependency) and without its
/// `#[cfg(test)]` module (tests may reach anywhere).
fn code(text: &str) -> String {
    let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or(text);
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate's top-level modules a text refers to (`crate::analysis::…` → `analysis`).
fn layers_used(text: &str) -> BTreeSet<String> {
    text.match_indices("crate::")
        .filter_map(|(i, _)| {
            let rest = &text[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[test]
fn layers_depend_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (layer, allowed) in LAYERS {
        for (file, text) in sources(&src.join(layer)) {
            for used in layers_used(&code(&text)) {
                let is_layer = LAYERS.iter().any(|(l, _)| *l == used) || used == "cli";
                if is_layer && !allowed.contains(&used.as_str()) {
                    wrong.push(format!("{file} uses crate::{used}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers used upwards:\n{}",
        wrong.join("\n")
    );
}

/// Within a layer, the files (by module name) each file imports by name. A module's
/// `mod.rs` is its root, which declares and re-exports its children: edges to and from it
/// are structure, not dependencies.
fn sibling_edges(layer_dir: &Path, layer: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in sources(layer_dir) {
        let name = Path::new(&file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        if name == "mod" {
            continue;
        }
        let text = &code(&text);
        let mut used = BTreeSet::new();
        for prefix in [format!("crate::{layer}::"), "super::".to_string()] {
            for (i, _) in text.match_indices(&prefix) {
                let target: String = text[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if target != name && layer_dir.join(format!("{target}.rs")).is_file() {
                    used.insert(target);
                }
            }
        }
        edges.insert(name, used);
    }
    edges
}

#[test]
fn no_cycles_between_files_of_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (layer, _) in LAYERS {
        let edges = sibling_edges(&src.join(layer), layer);
        // Depth-first search for a path from a module back to itself.
        for start in edges.keys() {
            let mut stack: Vec<Vec<String>> = vec![vec![start.clone()]];
            while let Some(path) = stack.pop() {
                let last = path.last().unwrap();
                for next in edges.get(last).into_iter().flatten() {
                    assert!(
                        next != start,
                        "cycle in src/{layer}: {} -> {next}",
                        path.join(" -> ")
                    );
                    if !path.contains(next) {
                        let mut longer = path.clone();
                        longer.push(next.clone());
                        stack.push(longer);
                    }
                }
            }
        }
    }
}

#[test]
fn no_impl_block_is_over_400_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    for (file, text) in sources(&src) {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with("impl") {
                continue;
            }
            let end = lines[i..].iter().position(|l| *l == "}").unwrap_or(0);
            if end > 400 {
                long.push(format!("{file}:{}: {end} lines", i + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "impl blocks over 400 lines:\n{}",
        long.join("\n")
    );
}
