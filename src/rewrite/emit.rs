//! Writing new lines the way the file is written: its line ending and its keyword case.

use crate::syntax::{Dockerfile, LineEnding};

/// How the file writes instructions.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub lowercase: bool,
    pub newline: &'static str,
}

impl Style {
    /// Follow the file: lower-case keywords if its FROM is written so; its dominant line
    /// ending.
    pub fn of(tree: &Dockerfile) -> Style {
        let lowercase = tree
            .instructions()
            .find(|i| i.keyword == crate::syntax::Keyword::From)
            .is_some_and(|i| i.keyword_word.text.chars().all(|c| c.is_ascii_lowercase()));
        Style {
            lowercase,
            newline: match tree.line_ending {
                LineEnding::Lf => "\n",
                LineEnding::CrLf => "\r\n",
            },
        }
    }

    pub fn keyword(&self, keyword: &str) -> String {
        if self.lowercase {
            keyword.to_ascii_lowercase()
        } else {
            keyword.to_ascii_uppercase()
        }
    }

    /// One instruction line: keyword, a space, the rest, the line ending.
    pub fn line(&self, keyword: &str, rest: &str) -> String {
        format!("{} {rest}{}", self.keyword(keyword), self.newline)
    }
}

/// A value for `ENV k=v`, double-quoted when it holds anything but plain characters.
pub fn env_value(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:,+@%=".contains(c));
    if plain {
        value.to_string()
    } else {
        let escaped = value
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('$', "\\$");
        format!("\"{escaped}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_file() {
        let style = Style::of(&crate::syntax::parse("from a\r\nrun x\r\n"));
        assert!(style.lowercase);
        assert_eq!(style.line("COPY", "a b"), "copy a b\r\n");
        assert_eq!(env_value("/opt/venv/lib"), "/opt/venv/lib");
        assert_eq!(env_value("a b$c"), "\"a b\\$c\"");
    }
}
