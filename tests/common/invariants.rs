//! What must hold for *any* input the parser is given, checked in one place so that the
//! corpus test, the stable fuzz harness (`tests/fuzz_parse.rs`) and the cargo-fuzz target
//! (`fuzz/fuzz_targets/parse.rs`, which includes this file by path) agree on it.
//!
//! The properties are the ones a rewrite relies on: the top-level items tile the input,
//! every span inside the tree lies within its item and on character boundaries (so that
//! `Span::slice` can never panic), error spans lie within the input, the BuildKit dump can
//! be produced, and parsing the same text twice gives the same tree. Panics are not caught
//! here: the callers decide whether a panic aborts (libFuzzer) or is reported (proptest).

use dfslim::syntax::{Dockerfile, buildkit_dump, input, parse};

/// Parse `bytes` the way the CLI does (decode, or a lossy view of what does not decode) and
/// check every invariant. `Err` says which one broke.
pub fn check_bytes(bytes: &[u8]) -> Result<(), String> {
    // `decode` must answer for any bytes; its error span must lie within them.
    if let Err(error) = input::decode(bytes) {
        let span = error.span;
        if span.start > span.end || span.end > bytes.len() {
            return Err(format!(
                "decode error {} has span {}..{} for {} bytes",
                error.code,
                span.start,
                span.end,
                bytes.len()
            ));
        }
    }
    check_text(&String::from_utf8_lossy(bytes))
}

/// Parse `src` and check every invariant.
pub fn check_text(src: &str) -> Result<(), String> {
    let tree = parse(src);
    if let Some(problem) = tiling_problem(&tree, src.len()) {
        return Err(format!("spans do not tile the input: {problem}"));
    }
    nested_spans_problem(&tree, src)?;
    for error in &tree.errors {
        span_problem(src, "error", error.span.start, error.span.end, 0, src.len())
            .map_err(|p| format!("{} {p}", error.code))?;
    }
    let dump = buildkit_dump(&tree);
    let again = parse(src);
    if format!("{tree:?}") != format!("{again:?}") || dump != buildkit_dump(&again) {
        return Err("parsing the same text twice gave different trees".into());
    }
    Ok(())
}

/// Why the items do not tile `len` bytes exactly, if they do not.
pub fn tiling_problem(tree: &Dockerfile, len: usize) -> Option<String> {
    let mut at = 0;
    for (i, item) in tree.items.iter().enumerate() {
        let span = item.span();
        if span.start != at {
            return Some(format!(
                "item {i} starts at byte {} but the previous one ended at {at}",
                span.start
            ));
        }
        if span.end < span.start || span.end > len {
            return Some(format!(
                "item {i} has a bad span {}..{}",
                span.start, span.end
            ));
        }
        at = span.end;
    }
    (at != len).then(|| format!("the items end at byte {at}, the input has {len} bytes"))
}

/// The keys under which the tree serialises a [`dfslim::syntax::Span`] (`inner_trivia`
/// holds a list of them).
const SPAN_KEYS: [&str; 7] = [
    "span",
    "opener",
    "body",
    "terminator",
    "text_span",
    "line_span",
    "inner_trivia",
];

/// Every span inside each item, found through the tree's JSON form so that a new field
/// is checked without touching this file.
fn nested_spans_problem(tree: &Dockerfile, src: &str) -> Result<(), String> {
    for (i, item) in tree.items.iter().enumerate() {
        let outer = item.span();
        let value = serde_json::to_value(item).map_err(|e| format!("item {i}: {e}"))?;
        walk(&value, &mut |key, start, end| {
            span_problem(src, key, start, end, outer.start, outer.end)
                .map_err(|p| format!("item {i}: {p}"))
        })?;
    }
    Ok(())
}

fn walk(
    value: &serde_json::Value,
    visit: &mut dyn FnMut(&str, usize, usize) -> Result<(), String>,
) -> Result<(), String> {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                if SPAN_KEYS.contains(&key.as_str()) {
                    for (start, end) in spans_in(child) {
                        visit(key, start, end)?;
                    }
                }
                walk(child, visit)?;
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                walk(child, visit)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `[start, end]`, or a list of them.
fn spans_in(value: &serde_json::Value) -> Vec<(usize, usize)> {
    let pair = |v: &serde_json::Value| match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => Some((a.as_u64()? as usize, b.as_u64()? as usize)),
        _ => None,
    };
    match pair(value) {
        Some(span) => vec![span],
        None => value
            .as_array()
            .map(|list| list.iter().filter_map(pair).collect())
            .unwrap_or_default(),
    }
}

fn span_problem(
    src: &str,
    key: &str,
    start: usize,
    end: usize,
    lo: usize,
    hi: usize,
) -> Result<(), String> {
    if start > end || start < lo || end > hi {
        return Err(format!("{key} {start}..{end} is not within {lo}..{hi}"));
    }
    if !src.is_char_boundary(start) || !src.is_char_boundary(end) {
        return Err(format!(
            "{key} {start}..{end} does not fall on character boundaries"
        ));
    }
    Ok(())
}
