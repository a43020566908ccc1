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

/// Keep a missing final newline missing: when `src` does not end with one, the edit that
/// ends the new text (the last applied at the end of `src`, such as an appended stage) loses
/// its own trailing line ending, so that every new line still follows the file's way of
/// ending and the last one ends as the original's did. PRODUCT.md §8: every byte outside
/// the edited spans stays as it was, and that includes the absence of a byte.
pub fn keep_missing_final_newline(src: &str, edits: &mut [Edit]) {
    if src.is_empty() || src.ends_with('\n') {
        return;
    }
    // `apply` sorts stably by (start, end): of the edits ending at `src.len()`, the one it
    // applies last is the last in that order.
    let last = edits
        .iter_mut()
        .enumerate()
        .filter(|(_, e)| e.span.end == src.len())
        .max_by_key(|(i, e)| (e.span.start, *i))
        .map(|(_, e)| e);
    if let Some(edit) = last {
        let kept = edit
            .text
            .strip_suffix("\r\n")
            .or_else(|| edit.text.strip_suffix('\n'))
            .map(str::len);
        if let Some(len) = kept {
            edit.text.truncate(len);
        }
    }
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
    fn keeps_a_missing_final_newline_missing() {
        let src = "FROM a\r\nCMD y";
        let mut edits = vec![
            Edit::insert(src.len(), "\r\n\r\nFROM b\r\nCMD z\r\n"),
            Edit::insert(4, " x"),
        ];
        keep_missing_final_newline(src, &mut edits);
        assert_eq!(
            apply(src, &edits).unwrap(),
            "FROM x a\r\nCMD y\r\n\r\nFROM b\r\nCMD z"
        );
        // A file that ends with a newline keeps it, and so do the edits.
        let mut edits = vec![Edit::insert(5, "CMD z\n")];
        keep_missing_final_newline("FROM\n", &mut edits);
        assert_eq!(edits[0].text, "CMD z\n");
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
