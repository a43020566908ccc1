//! The exec-form scanner: a JSON array of strings, read the way Go's `encoding/json` reads
//! it, with the byte offset of every element.
//!
//! BuildKit decides between exec form and shell form by trying to decode the argument as
//! JSON. Three outcomes matter and this module keeps them apart:
//! - a valid array of strings is exec form;
//! - valid JSON whose array holds anything else (a number, a nested array) is a hard error;
//! - anything that is not valid JSON falls back to shell form (or a word list).

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while, take_while_m_n},
    character::complete::char,
    combinator::{map, map_opt, opt, recognize, value},
    multi::{fold_many0, separated_list0},
    sequence::{delimited, preceded},
};

/// One string of the array: its decoded value and its offsets in the scanned text, quotes
/// included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonString {
    pub value: String,
    pub start: usize,
    pub end: usize,
}

/// What the argument text turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecForm {
    /// A JSON array of strings; `end` is the offset just after `]`.
    Strings {
        elements: Vec<JsonString>,
        start: usize,
        end: usize,
    },
    /// Valid JSON, but the array holds something other than strings.
    NotStrings,
    /// Not a JSON array: the caller falls back to shell form.
    NotJson,
}

/// Go's `unicode.IsSpace` for the JSON white space that matters: JSON allows only these four.
fn is_json_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Scan `text` (the argument after the flags). Leading Unicode white space is skipped as
/// BuildKit does (`strings.TrimLeftFunc(rest, unicode.IsSpace)`), trailing JSON white
/// space is allowed, anything else after `]` makes it not JSON.
pub fn scan(text: &str) -> ExecForm {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return ExecForm::NotJson;
    }
    let base = text.len() - trimmed.len();
    match string_array(trimmed) {
        Ok((rest, elements)) if rest.chars().all(is_json_ws) => {
            let end = base + trimmed.len() - rest.len();
            let elements = elements
                .into_iter()
                .map(|(value, s_rest, e_rest)| JsonString {
                    value,
                    start: base + trimmed.len() - s_rest,
                    end: base + trimmed.len() - e_rest,
                })
                .collect();
            ExecForm::Strings {
                elements,
                start: base,
                end,
            }
        }
        _ => {
            // Not an array of strings. It may still be valid JSON (`[1]`, `["a", ["b"]]`),
            // which BuildKit rejects instead of falling back.
            match serde_json::from_str::<serde_json::Value>(trimmed) {
                Ok(serde_json::Value::Array(_)) => ExecForm::NotStrings,
                _ => ExecForm::NotJson,
            }
        }
    }
}

type Element = (String, usize, usize);

/// `[ "a" , "b" ]`, recording for each string the remaining length before and after it so
/// that offsets can be computed without nom_locate.
fn string_array(input: &str) -> IResult<&str, Vec<Element>> {
    delimited(
        (char('['), ws),
        separated_list0((ws, char(','), ws), located_string),
        (ws, char(']')),
    )
    .parse(input)
}

fn ws(input: &str) -> IResult<&str, &str> {
    take_while(is_json_ws).parse(input)
}

fn located_string(input: &str) -> IResult<&str, Element> {
    let before = input.len();
    let (rest, value) = json_string(input)?;
    Ok((rest, (value, before, rest.len())))
}

/// A JSON string literal with Go's decoding rules: raw control characters are invalid,
/// lone surrogates become U+FFFD.
fn json_string(input: &str) -> IResult<&str, String> {
    delimited(
        char('"'),
        fold_many0(string_piece, String::new, |mut acc, piece| {
            match piece {
                Piece::Literal(s) => acc.push_str(s),
                Piece::Char(c) => acc.push(c),
            }
            acc
        }),
        char('"'),
    )
    .parse(input)
}

enum Piece<'a> {
    Literal(&'a str),
    Char(char),
}

fn string_piece(input: &str) -> IResult<&str, Piece<'_>> {
    alt((
        map(
            recognize(take_while_m_n(1, usize::MAX, |c: char| {
                c != '"' && c != '\\' && c >= '\u{20}'
            })),
            Piece::Literal,
        ),
        map(preceded(char('\\'), escape), Piece::Char),
    ))
    .parse(input)
}

fn escape(input: &str) -> IResult<&str, char> {
    alt((
        value('"', char('"')),
        value('\\', char('\\')),
        value('/', char('/')),
        value('\u{8}', char('b')),
        value('\u{c}', char('f')),
        value('\n', char('n')),
        value('\r', char('r')),
        value('\t', char('t')),
        preceded(char('u'), unicode_escape),
    ))
    .parse(input)
}

fn hex4(input: &str) -> IResult<&str, u32> {
    map_opt(
        take_while_m_n(4, 4, |c: char| c.is_ascii_hexdigit()),
        |h: &str| u32::from_str_radix(h, 16).ok(),
    )
    .parse(input)
}

/// `\uXXXX`, joining a surrogate pair when a low surrogate follows; Go turns a lone
/// surrogate into U+FFFD rather than failing.
fn unicode_escape(input: &str) -> IResult<&str, char> {
    let (rest, hi) = hex4(input)?;
    if (0xD800..0xDC00).contains(&hi) {
        let (after, lo) = opt(preceded(tag("\\u"), hex4)).parse(rest)?;
        if let Some(lo) = lo.filter(|lo| (0xDC00..0xE000).contains(lo)) {
            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            return Ok((after, char::from_u32(c).unwrap_or('\u{FFFD}')));
        }
        return Ok((rest, '\u{FFFD}'));
    }
    Ok((rest, char::from_u32(hi).unwrap_or('\u{FFFD}')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Vec<String> {
        match scan(text) {
            ExecForm::Strings { elements, .. } => elements.into_iter().map(|e| e.value).collect(),
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings("[\"\"]"), vec![""]);
        assert_eq!(strings("[ \"a\", \"b\" ]"), vec!["a", "b"]);
        assert_eq!(strings("\t[\t\"a\",\t\"b\"\t]\t"), vec!["a", "b"]);
        assert_eq!(
            strings(r#"["\" \\ \/ \b \f \n \r \t \u0000"]"#),
            vec!["\" \\ / \u{8} \u{c} \n \r \t \u{0}"]
        );
        assert_eq!(
            strings(r#"["\ud83d\ude00", "\ud800"]"#),
            vec!["😀", "\u{FFFD}"]
        );
    }

    #[test]
    fn offsets_point_at_the_literals() {
        let text = "  [\"ab\", \"c\"] ";
        let ExecForm::Strings {
            elements,
            start,
            end,
        } = scan(text)
        else {
            panic!()
        };
        assert_eq!((start, end), (2, 13));
        assert_eq!(&text[elements[0].start..elements[0].end], "\"ab\"");
        assert_eq!(&text[elements[1].start..elements[1].end], "\"c\"");
    }

    #[test]
    fn fallbacks_and_hard_errors() {
        for text in [
            "['a']",
            r#"["c:\windows"]"#,
            r#"["a""#,
            r#"["a"] x"#,
            "echo [",
            "[\"tab\there\"]",
        ] {
            assert_eq!(scan(text), ExecForm::NotJson, "{text}");
        }
        for text in ["[1]", r#"["a", ["b"]]"#, "[null]", r#"[{"a":1}]"#] {
            assert_eq!(scan(text), ExecForm::NotStrings, "{text}");
        }
    }
}
