//! COPY source patterns, matched as BuildKit matches them (Go's `filepath.Match`).

/// Whether a path or glob pattern matches a path, segment by segment, as `COPY` sources do
/// (Go's `filepath.Match`): `*` is any run of characters but `/`, `?` one character,
/// `[a-z]` / `[!a-z]` a class.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, t)| segment_matches(p.as_bytes(), t.as_bytes()))
}

fn segment_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| segment_matches(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && segment_matches(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().skip(1).position(|&c| c == b']').map(|p| p + 1) else {
                return text.first() == Some(&b'[') && segment_matches(rest, &text[1..]);
            };
            let Some((&first, text_rest)) = text.split_first() else {
                return false;
            };
            let (negated, class) = match rest[..close].split_first() {
                Some((b'!' | b'^', class)) => (true, class),
                _ => (false, &rest[..close]),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= first && first <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == first;
                    i += 1;
                }
            }
            hit != negated && segment_matches(&rest[close + 1..], text_rest)
        }
        Some((b'\\', rest)) if !rest.is_empty() => {
            text.first() == Some(&rest[0]) && segment_matches(&rest[1..], &text[1..])
        }
        Some((c, rest)) => text.first() == Some(c) && segment_matches(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        assert!(path_matches("/out/app", "/out/app"));
        assert!(path_matches("/out/app/", "/out/app"));
        assert!(path_matches("/out/*", "/out/app"));
        assert!(path_matches("/out/a?p", "/out/app"));
        assert!(path_matches("/out/[a-c]pp", "/out/app"));
        assert!(!path_matches("/out/[!a]pp", "/out/app"));
        assert!(!path_matches("/out/*", "/out/bin/app"), "`*` stops at `/`");
        assert!(!path_matches("/out/*.txt", "/out/app"));
    }
}
