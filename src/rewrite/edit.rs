//! Edits as data against the original text: each replaces one span with new text. Applying
//! them walks the source once, copying untouched bytes as they are, so a rewrite can never
//! disturb what it did not mean to change.

use serde::Serialize;

use crate::syntax::Span;

/// Replace `span` of the original with `text` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            span: Span::new(at, at),
            text: text.into(),
        }
    }

    pub fn replace(span: Span, text: impl Into<String>) -> Edit {
        Edit {
            span,
            text: text.into(),
        }
    }

    pub fn delete(span: Span) -> Edit {
        Edit {
            span,
            text: String::new(),
        }
    }
}

/// Two edits touch the same bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("edits overlap at bytes {0}..{1}")]
pub struct Overlap(pub usize, pub usize);

/// Apply `edits` to `src`. Edits are sorted by position; insertions at the same offset keep
/// their order; overlapping replacements are refused.
pub fn apply(src: &str, edits: &[Edit]) -> Result<String, Overlap> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out =
        String::with_capacity(src.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut pos = 0;
    for edit in sorted {
        if edit.span.start < pos {
            return Err(Overlap(edit.span.start, pos));
        }
        out.push_str(&src[pos..edit.span.start]);
        out.push_str(&edit.text);
        pos = edit.span.end;
    }
    out.push_str(&src[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_one_pass_and_keeps_the_rest() {
        let src = "FROM a\nRUN x\nCMD y\n";
        let edits = [
            Edit::insert(src.len(), "FROM b\n"),
            Edit::delete(Span::new(7, 13)),
            Edit::insert(6, " AS build"),
        ];
        assert_eq!(
            apply(src, &edits).unwrap(),
            "FROM a AS build\nCMD y\nFROM b\n"
        );
    }

    #[test]
    fn refuses_overlaps() {
        let edits = [
            Edit::replace(Span::new(0, 4), "x"),
            Edit::replace(Span::new(2, 6), "y"),
        ];
        assert!(apply("FROM a", &edits).is_err());
    }
}
