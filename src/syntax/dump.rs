//! BuildKit's s-expression dump of a parse (`Node.Dump()`), used for conformance with
//! BuildKit's own parser tests and by `dfslim parse --format buildkit`.
//!
//! Format: one line per instruction, `(keyword ["--flag" …] "arg" …)`, keyword lower-case,
//! flags as Go's `%q` of a string slice, each argument as Go's `strconv.Quote`. ENV and
//! LABEL pairs come as triples `"k" "v" "="` (`""` for the legacy form), ONBUILD nests.

use std::fmt::Write;

use super::ast::{Args, Dockerfile, Instruction, Keyword};

/// The dump of every top-level instruction, as BuildKit's `result` files hold it.
pub fn buildkit_dump(df: &Dockerfile) -> String {
    let mut out = String::new();
    for instruction in df.instructions() {
        out.push('(');
        dump_instruction(instruction, &mut out);
        out.push_str(")\n");
    }
    let mut trimmed = out.trim().to_string();
    trimmed.push('\n');
    trimmed
}

fn dump_instruction(instruction: &Instruction, out: &mut String) {
    // Go's `Node.Dump` trims its result, so an empty keyword leaves no leading blank.
    let mut own = String::new();
    dump_untrimmed(instruction, &mut own);
    out.push_str(own.trim());
}

fn dump_untrimmed(instruction: &Instruction, out: &mut String) {
    // Go's `strings.ToLower` maps rune by rune; Rust's `to_lowercase` would also apply the
    // final-sigma rule (`AΣ` → `aς`, where Go gives `aσ`).
    out.extend(
        instruction
            .keyword_word
            .text
            .chars()
            .map(|c| c.to_lowercase().next().unwrap_or(c)),
    );
    if !instruction.flags.is_empty() {
        out.push_str(" [");
        for (i, flag) in instruction.flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            go_quote(&flag.processed, out);
        }
        out.push(']');
    }
    if instruction.keyword == Keyword::Unknown {
        // BuildKit's parseIgnore leaves one empty node behind.
        out.push_str(" \"\"");
        return;
    }
    dump_args(&instruction.args, out);
}

fn dump_args(args: &Args, out: &mut String) {
    let mut value = |text: &str| {
        out.push(' ');
        go_quote(text, out);
    };
    match args {
        Args::Empty => {}
        Args::Exec { elements, .. } => elements.iter().for_each(|w| value(&w.text)),
        Args::Words { words } => words.iter().for_each(|w| value(&w.text)),
        Args::Shell { text } | Args::Text { text } => value(&text.text),
        Args::Pairs { pairs } => {
            for pair in pairs {
                value(&pair.key.text);
                value(&pair.value.text);
                value(if pair.equals { "=" } else { "" });
            }
        }
        Args::ArgDecls { decls } => {
            for decl in decls {
                match &decl.default {
                    Some(default) => value(&format!("{}={}", decl.name.text, default.text)),
                    None => value(&decl.name.text),
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            value(&kind.text);
            if let Some(command) = command {
                dump_args(command, out);
            }
        }
        Args::Onbuild { trigger } => {
            out.push_str(" (");
            dump_instruction(trigger, out);
            out.push(')');
        }
    }
}

/// Go's `strconv.Quote`: escapes `"`, `\` and what Go deems non-printable.
pub fn go_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII
/// space. This approximates the categories Go excludes (controls, format characters,
/// private use, spaces other than U+0020).
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(s: &str) -> String {
        let mut out = String::new();
        go_quote(s, &mut out);
        out
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("\u{0}\t\u{1b}"), r#""\x00\t\x1b""#);
        assert_eq!(quote("♥ ☃"), "\"♥ ☃\"");
        assert_eq!(quote("\u{a0}\u{2028}"), r#""\u00a0\u2028""#);
    }

    #[test]
    fn keywords_are_lowered_rune_by_rune_as_go_does() {
        let df = crate::syntax::parse("FROM a\nAΣ b\nİX\n");
        assert_eq!(buildkit_dump(&df), "(from \"a\")\n(aσ \"\")\n(ix \"\")\n");
    }

    #[test]
    fn dumps_instructions() {
        let df = crate::syntax::parse(
            "FROM a\nCOPY --from=b x y\nENV k=v\nENV K v w\nONBUILD RUN [\"echo\", \"hi\"]\nARG A=1 B\n",
        );
        assert_eq!(
            buildkit_dump(&df),
            "(from \"a\")\n(copy [\"--from=b\"] \"x\" \"y\")\n(env \"k\" \"v\" \"=\")\n\
             (env \"K\" \"v w\" \"\")\n(onbuild (run \"echo\" \"hi\"))\n(arg \"A=1\" \"B\")\n"
        );
    }
}
