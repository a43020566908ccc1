//! BuildKit's variable expansion (`shell/lex.go`, GRAMMAR.md §1.10), restated: what a
//! Dockerfile word such as `${GO_VERSION:-1.23}-alpine` or `"$HOME"/bin` becomes once the
//! builder has substituted variables and removed quotes.
//!
//! A word is first parsed (with nom for the tokens) into segments, then evaluated against a
//! lookup function. Parsing first lets [`referenced_vars`] name every variable a word uses
//! without values, so that a caller can decline to rewrite what it cannot know statically.
//! This module owns only the expansion; which variables are in scope at an instruction (meta
//! ARGs, stage ARGs, ENV) is the stage analysis' business.
//!
//! Where BuildKit has quirks, they are kept on purpose, and said where they are: the result
//! must be what `docker build` would use, not what a shell would.

use std::borrow::Cow;

use nom::branch::alt;
use nom::bytes::complete::{take_till, take_till1, take_while1};
use nom::character::complete::{char, one_of};
use nom::combinator::recognize;
use nom::error::{ErrorKind, ParseError};
use nom::sequence::terminated;
use nom::{IResult, Parser};

/// Why a word cannot be expanded, with the byte offset in the word where the problem is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at byte {offset})")]
pub struct ExpandError {
    pub message: String,
    pub offset: usize,
    /// The error code of a dfslim limit (`docs/limits.md`) when the word is refused for its
    /// cost rather than its syntax: BuildKit would expand it, so the caller must say so.
    pub limit: Option<&'static str>,
}

/// The longest value an expansion may produce: 1 MiB. BuildKit has no cap, so 60 lines of
/// `ARG A1=${A0}${A0}`, each doubling the last, ask for 2^60 bytes; real values are paths,
/// versions and flags, far shorter than a Dockerfile line (64 KiB).
pub const MAX_EXPANDED_BYTES: usize = 1 << 20;

/// How deep `${…}` may nest inside `${…}` (or `"…"` inside it). The parser and the
/// evaluator recurse once per level, and a 64 KiB line holds 13,000 levels of `${a:-`:
/// enough to overflow a worker thread's stack. Real words nest two or three levels.
pub const MAX_EXPANSION_NESTING: usize = 64;

/// The most work one `${v#p}`, `${v%p}` or `${v/p/r}` may do: pattern tokens times value
/// characters, the size of the matcher's memo table (16 bytes a cell: 64 MiB at most).
/// A pattern of 60,000 characters against a 1 MiB value would ask for a terabyte.
pub const MAX_PATTERN_CELLS: usize = 1 << 22;

/// Error code for a value over [`MAX_EXPANDED_BYTES`].
pub const TOO_LARGE: &str = "expansion-too-large";
/// Error code for nesting over [`MAX_EXPANSION_NESTING`].
pub const TOO_DEEP: &str = "expansion-too-deep";
/// Error code for a pattern match over [`MAX_PATTERN_CELLS`].
pub const PATTERN_TOO_LARGE: &str = "pattern-too-large";

impl ExpandError {
    fn too_large(offset: usize) -> ExpandError {
        ExpandError {
            message: format!(
                "the value expands to more than {MAX_EXPANDED_BYTES} bytes (1 MiB), \
                 dfslim's limit"
            ),
            offset,
            limit: Some(TOO_LARGE),
        }
    }
}

/// Expands `word` as BuildKit's `ProcessWord` does: substitutes `$name`, `${name}` and the
/// `${name<modifier>…}` forms, removes quotes and escapes, keeps whitespace.
///
/// `vars` answers a variable's value, `None` when it is unset. An unset variable expands to
/// the empty string, as in BuildKit; use [`referenced_vars`] to find out beforehand whether
/// every value a word needs is known.
pub fn expand(
    word: &str,
    escape: char,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    let parsed = WordParser::new(word, escape).parse()?;
    let mut out = Output::default();
    evaluate(&parsed.0, vars, &mut out)?;
    Ok(out.text)
}

/// Expands `text` as BuildKit's `ProcessWords` does, then splits it into words: unquoted
/// whitespace (also whitespace that a variable's value brings in) separates words, quoted and
/// escaped whitespace does not.
pub fn expand_words(
    text: &str,
    escape: char,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, ExpandError> {
    let parsed = WordParser::new(text, escape).parse()?;
    let mut out = Output::default();
    evaluate(&parsed.0, vars, &mut out)?;
    Ok(out.words.finish())
}

/// The names of the variables `word` refers to, in order of first appearance, including
/// those in modifier words (`${A:-$B}` refers to `A` and `B`) and excluding those inside
/// single quotes or escaped. A word that does not parse refers to nothing: [`expand`]
/// reports its error.
pub fn referenced_vars(word: &str, escape: char) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(parsed) = WordParser::new(word, escape).parse() {
        collect_names(&parsed.0, &mut names);
    }
    names
}

// ---------------------------------------------------------------------------------------------
// The parsed form

/// A word: the segments it is made of, in order.
#[derive(Clone, Debug, Default, PartialEq)]
struct Word(Vec<Segment>);

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    /// Unquoted text; whitespace in it separates words.
    Plain(String),
    /// Escaped characters (and, inside patterns, the escape characters BuildKit keeps);
    /// never separates words.
    Escaped(String),
    /// The content of `'…'`; even when empty it starts a word.
    SingleQuoted(String),
    /// The content of `"…"`: literal text and parameters, never separating words.
    DoubleQuoted(Vec<Segment>),
    /// `$name` or `${…}`; whitespace in its value separates words.
    Parameter(Parameter),
}

#[derive(Clone, Debug, PartialEq)]
struct Parameter {
    name: String,
    operation: Operation,
    /// Byte offset of the `$`, for errors found while evaluating.
    offset: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Operation {
    /// `$v`, `${v}`.
    Value,
    /// `${v-w}`, `${v:-w}` (`colon`: an empty value counts as unset).
    Default { colon: bool, word: Word },
    /// `${v+w}`, `${v:+w}`.
    Alternative { colon: bool, word: Word },
    /// `${v?msg}`, `${v:?msg}`.
    Required { colon: bool, word: Word },
    /// `${v#p}`, `${v##p}`: whether it is the greedy form is read from the expanded pattern,
    /// as BuildKit does, so `pattern` still holds the second `#`.
    TrimPrefix { pattern: Word },
    /// `${v%p}`, `${v%%p}`.
    TrimSuffix { pattern: Word },
    /// `${v/p/r}`, `${v//p/r}`.
    Replace {
        all: bool,
        pattern: Word,
        replacement: Word,
    },
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// A parse failure; nom carries it as `Err::Failure` so that no alternative swallows it.
#[derive(Debug)]
struct Failure {
    /// Length of the input left where the failure was found (nom knows only the remainder);
    /// the word's length minus this is the offset.
    remaining: usize,
    message: Cow<'static, str>,
    /// The word ended before the construct did (BuildKit reports these inside `${…}` as a
    /// missing `}`).
    at_end: bool,
    /// The code of the dfslim limit this failure is, if it is one.
    limit: Option<&'static str>,
}

impl ParseError<&str> for Failure {
    fn from_error_kind(input: &str, _kind: ErrorKind) -> Self {
        Failure {
            remaining: input.len(),
            message: Cow::Borrowed("invalid syntax"),
            at_end: input.is_empty(),
            limit: None,
        }
    }

    fn append(_input: &str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

type Lexed<'a, T> = IResult<&'a str, T, Failure>;

fn fail<T>(at: &str, message: impl Into<Cow<'static, str>>, at_end: bool) -> Lexed<'_, T> {
    Err(nom::Err::Failure(Failure {
        remaining: at.len(),
        message: message.into(),
        at_end,
        limit: None,
    }))
}

/// Where a word stops: the end of the input, or a closing character (`}` or `/`) that is
/// consumed.
type Stop = Option<char>;

struct WordParser<'s> {
    source: &'s str,
    escape: char,
    /// How many `$…` are open around the current position (see [`MAX_EXPANSION_NESTING`]).
    depth: std::cell::Cell<usize>,
}

impl<'s> WordParser<'s> {
    fn new(source: &'s str, escape: char) -> Self {
        WordParser {
            source,
            escape,
            depth: std::cell::Cell::new(0),
        }
    }

    fn parse(&self) -> Result<Word, ExpandError> {
        match self.word(self.source, None, false) {
            Ok((_, word)) => Ok(word),
            Err(nom::Err::Failure(failure) | nom::Err::Error(failure)) => Err(ExpandError {
                message: failure.message.into_owned(),
                offset: self.source.len() - failure.remaining,
                limit: failure.limit,
            }),
            Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
        }
    }

    /// Segments up to `stop`. `raw` keeps escape characters in the text, as BuildKit does for
    /// patterns, whose escapes (`\*`) the pattern compiler reads afterwards.
    fn word<'a>(&self, input: &'a str, stop: Stop, raw: bool) -> Lexed<'a, Word> {
        let mut segments = Vec::new();
        let mut rest = input;
        loop {
            let Some(first) = rest.chars().next() else {
                return match stop {
                    None => Ok((rest, Word(segments))),
                    Some(stop) => fail(
                        rest,
                        format!("unexpected end of statement while looking for matching {stop}"),
                        true,
                    ),
                };
            };
            if Some(first) == stop {
                return Ok((&rest[first.len_utf8()..], Word(segments)));
            }
            let (next, segment) = match first {
                '$' => self.dollar(rest)?,
                '\'' => self.single_quoted(rest)?,
                '"' => self.double_quoted(rest, raw)?,
                c if c == self.escape => self.escaped(rest, raw),
                _ => {
                    let escape = self.escape;
                    let (next, text) = take_till1(|c: char| {
                        matches!(c, '$' | '\'' | '"') || c == escape || Some(c) == stop
                    })
                    .parse(rest)?;
                    (next, Segment::Plain(text.to_owned()))
                }
            };
            // An escape at the very end leaves nothing (BuildKit drops it).
            if segment != Segment::Escaped(String::new()) {
                segments.push(segment);
            }
            rest = next;
        }
    }

    /// The escape character and what it escapes, outside quotes.
    fn escaped<'a>(&self, input: &'a str, raw: bool) -> (&'a str, Segment) {
        let after = &input[self.escape.len_utf8()..];
        let mut text = String::new();
        if raw {
            text.push(self.escape);
        }
        let Some(escaped) = after.chars().next() else {
            return (after, Segment::Escaped(text));
        };
        text.push(escaped);
        (&after[escaped.len_utf8()..], Segment::Escaped(text))
    }

    fn single_quoted<'a>(&self, input: &'a str) -> Lexed<'a, Segment> {
        let body = terminated(take_till(|c| c == '\''), char('\''));
        let quoted: Lexed<'a, (char, &str)> = (char('\''), body).parse(input);
        match quoted {
            Ok((rest, (_, text))) => Ok((rest, Segment::SingleQuoted(text.to_owned()))),
            Err(_) => fail(
                input,
                "unexpected end of statement while looking for matching single-quote",
                true,
            ),
        }
    }

    fn double_quoted<'a>(&self, input: &'a str, raw: bool) -> Lexed<'a, Segment> {
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut rest = &input[1..];
        loop {
            match rest.chars().next() {
                None => {
                    return fail(
                        input,
                        "unexpected end of statement while looking for matching double-quote",
                        true,
                    );
                }
                Some('"') => {
                    flush_plain(&mut text, &mut segments);
                    return Ok((&rest[1..], Segment::DoubleQuoted(segments)));
                }
                Some('$') => {
                    flush_plain(&mut text, &mut segments);
                    let (next, parameter) = self.dollar(rest)?;
                    segments.push(parameter);
                    rest = next;
                }
                Some(c) if c == self.escape => {
                    // Inside double quotes the escape only escapes `"`, `$` and itself; before
                    // anything else it stays. In raw mode BuildKit writes it once more, so
                    // `"\x"` in a pattern is `\\x`: kept as it does.
                    if raw {
                        text.push(c);
                    }
                    let after = &rest[c.len_utf8()..];
                    match after.chars().next() {
                        None => rest = after,
                        Some(next) if next == '"' || next == '$' || next == self.escape => {
                            text.push(next);
                            rest = &after[next.len_utf8()..];
                        }
                        Some(_) => {
                            text.push(c);
                            rest = after;
                        }
                    }
                }
                Some(_) => {
                    let escape = self.escape;
                    let (next, run) =
                        take_till1(|c: char| c == '"' || c == '$' || c == escape).parse(rest)?;
                    text.push_str(run);
                    rest = next;
                }
            }
        }
    }

    /// `$…` at `input`, nested no deeper than [`MAX_EXPANSION_NESTING`]: parsing and
    /// evaluating recurse once per level.
    fn dollar<'a>(&self, input: &'a str) -> Lexed<'a, Segment> {
        let depth = self.depth.get();
        if depth >= MAX_EXPANSION_NESTING {
            return Err(nom::Err::Failure(Failure {
                remaining: input.len(),
                message: Cow::Owned(format!(
                    "`${{…}}` nested more than {MAX_EXPANSION_NESTING} levels deep, \
                     dfslim's limit"
                )),
                at_end: false,
                limit: Some(TOO_DEEP),
            }));
        }
        self.depth.set(depth + 1);
        let parsed = self.parameter_at(input);
        self.depth.set(depth);
        parsed
    }

    /// `$…` at `input`: a parameter, or a literal `$` when no name follows.
    fn parameter_at<'a>(&self, input: &'a str) -> Lexed<'a, Segment> {
        let offset = self.source.len() - input.len();
        let after = &input[1..];
        let Some(braced) = after.strip_prefix('{') else {
            return Ok(match variable_name(after) {
                Ok((rest, name)) => (rest, parameter(name, Operation::Value, offset)),
                Err(_) => (after, Segment::Plain("$".to_owned())),
            });
        };
        match braced.chars().next() {
            None => return fail(input, "syntax error: missing '}'", true),
            Some('{' | '}' | ':') => return fail(input, "syntax error: bad substitution", false),
            Some(_) => {}
        }
        let (rest, name) = match variable_name(braced) {
            Ok(found) => found,
            Err(_) => (braced, ""),
        };
        let mut chars = rest.chars();
        let Some(modifier) = chars.next() else {
            return fail(input, "syntax error: missing '}'", true);
        };
        let after_modifier = chars.as_str();
        // A failure inside `${…}` caused by the end of the word is reported as BuildKit does.
        let missing = |failure: nom::Err<Failure>, message: &'static str| match failure {
            nom::Err::Failure(f) if f.at_end => nom::Err::Failure(Failure {
                remaining: input.len(),
                message: Cow::Borrowed(message),
                at_end: true,
                limit: None,
            }),
            other => other,
        };
        let unsupported = |modifier: &str| {
            fail::<Segment>(
                rest,
                format!("unsupported modifier ({modifier}) in substitution"),
                false,
            )
        };
        let (rest, operation) = match modifier {
            '}' => (after_modifier, Operation::Value),
            ':' => {
                let operator = after_modifier.chars().next();
                if let Some(operator @ ('#' | '%')) = operator {
                    return unsupported(&format!(":{operator}"));
                }
                let word_start = &after_modifier[operator.map_or(0, char::len_utf8)..];
                let (rest, word) = self
                    .word(word_start, Some('}'), false)
                    .map_err(|f| missing(f, "syntax error: missing '}'"))?;
                let operation = match operator {
                    Some('-') => Operation::Default { colon: true, word },
                    Some('+') => Operation::Alternative { colon: true, word },
                    Some('?') => Operation::Required { colon: true, word },
                    other => return unsupported(&format!(":{}", other.unwrap_or_default())),
                };
                (rest, operation)
            }
            '-' | '+' | '?' | '#' | '%' => {
                let raw = matches!(modifier, '#' | '%');
                let (rest, word) = self
                    .word(after_modifier, Some('}'), raw)
                    .map_err(|f| missing(f, "syntax error: missing '}'"))?;
                let operation = match modifier {
                    '-' => Operation::Default { colon: false, word },
                    '+' => Operation::Alternative { colon: false, word },
                    '?' => Operation::Required { colon: false, word },
                    '#' => Operation::TrimPrefix { pattern: word },
                    _ => Operation::TrimSuffix { pattern: word },
                };
                (rest, operation)
            }
            '/' => {
                let (pattern_start, all) = match after_modifier.strip_prefix('/') {
                    Some(after) => (after, true),
                    None => (after_modifier, false),
                };
                let (rest, pattern) = self
                    .word(pattern_start, Some('/'), true)
                    .map_err(|f| missing(f, "syntax error: missing '/' in ${}"))?;
                let (rest, replacement) = self
                    .word(rest, Some('}'), true)
                    .map_err(|f| missing(f, "syntax error: missing '}'"))?;
                let operation = Operation::Replace {
                    all,
                    pattern,
                    replacement,
                };
                (rest, operation)
            }
            other => return unsupported(&other.to_string()),
        };
        Ok((rest, parameter(name, operation, offset)))
    }
}

fn parameter(name: &str, operation: Operation, offset: usize) -> Segment {
    Segment::Parameter(Parameter {
        name: name.to_owned(),
        operation,
        offset,
    })
}

fn flush_plain(text: &mut String, segments: &mut Vec<Segment>) {
    if !text.is_empty() {
        segments.push(Segment::Plain(std::mem::take(text)));
    }
}

/// A name after `$`: all the digits when it starts with one (`$12` is `12`), one special
/// parameter character, or letters, digits and `_` (Unicode letters too).
fn variable_name(input: &str) -> IResult<&str, &str> {
    alt((
        take_while1(|c: char| c.is_ascii_digit()),
        recognize(one_of("@*#?-$!0")),
        take_while1(|c: char| c.is_alphanumeric() || c == '_'),
    ))
    .parse(input)
}

fn collect_names(segments: &[Segment], names: &mut Vec<String>) {
    for segment in segments {
        match segment {
            Segment::Plain(_) | Segment::Escaped(_) | Segment::SingleQuoted(_) => {}
            Segment::DoubleQuoted(inner) => collect_names(inner, names),
            Segment::Parameter(parameter) => {
                if !names.contains(&parameter.name) {
                    names.push(parameter.name.clone());
                }
                match &parameter.operation {
                    Operation::Value => {}
                    Operation::Default { word, .. }
                    | Operation::Alternative { word, .. }
                    | Operation::Required { word, .. } => collect_names(&word.0, names),
                    Operation::TrimPrefix { pattern } | Operation::TrimSuffix { pattern } => {
                        collect_names(&pattern.0, names)
                    }
                    Operation::Replace {
                        pattern,
                        replacement,
                        ..
                    } => {
                        collect_names(&pattern.0, names);
                        collect_names(&replacement.0, names);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// The expanded text and, alongside, its split into words.
#[derive(Default)]
struct Output {
    text: String,
    words: WordSplitter,
}

/// BuildKit's `wordsStruct`: whitespace ends a word only when it comes from unquoted text or
/// a variable's value; an empty quoted string marks a word as started without adding one.
#[derive(Default)]
struct WordSplitter {
    words: Vec<String>,
    current: String,
    in_word: bool,
}

impl WordSplitter {
    fn push_splitting(&mut self, text: &str) {
        for c in text.chars() {
            if !c.is_whitespace() {
                self.current.push(c);
                self.in_word = true;
            } else if self.in_word && !self.current.is_empty() {
                self.words.push(std::mem::take(&mut self.current));
                self.in_word = false;
            }
        }
    }

    fn push_unsplit(&mut self, text: &str) {
        self.current.push_str(text);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.current.is_empty() {
            self.words.push(self.current);
        }
        self.words
    }
}

// Note: newer BuildKit shares one word buffer between nested `${…:-…}` words, so that
// `ProcessWords("a${x:-b}")` loses the `a`; the words here keep it, as older BuildKit and
// every shell do.
fn evaluate(
    segments: &[Segment],
    vars: &dyn Fn(&str) -> Option<String>,
    out: &mut Output,
) -> Result<(), ExpandError> {
    for segment in segments {
        // Checked after each piece: a piece is at most a value (itself within the budget)
        // or text from the file, so the output never gets far past the budget.
        if out.text.len() > MAX_EXPANDED_BYTES {
            let offset = match segment {
                Segment::Parameter(parameter) => parameter.offset,
                _ => 0,
            };
            return Err(ExpandError::too_large(offset));
        }
        match segment {
            Segment::Plain(text) => {
                out.text.push_str(text);
                out.words.push_splitting(text);
            }
            Segment::Escaped(text) | Segment::SingleQuoted(text) => {
                out.text.push_str(text);
                out.words.push_unsplit(text);
            }
            Segment::DoubleQuoted(inner) => {
                let mut quoted = Output::default();
                evaluate(inner, vars, &mut quoted)?;
                out.text.push_str(&quoted.text);
                out.words.push_unsplit(&quoted.text);
            }
            Segment::Parameter(parameter) => {
                let value = evaluate_parameter(parameter, vars)?;
                out.text.push_str(&value);
                out.words.push_splitting(&value);
            }
        }
    }
    if out.text.len() > MAX_EXPANDED_BYTES {
        let offset = match segments.last() {
            Some(Segment::Parameter(parameter)) => parameter.offset,
            _ => 0,
        };
        return Err(ExpandError::too_large(offset));
    }
    Ok(())
}

fn expand_to_string(
    word: &Word,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    let mut out = Output::default();
    evaluate(&word.0, vars, &mut out)?;
    Ok(out.text)
}

fn evaluate_parameter(
    parameter: &Parameter,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    let value = vars(&parameter.name);
    // BuildKit expands the modifier's word before it looks at the value, so an error in
    // the word is an error even when the word is not used.
    let unset_or_null = |colon: bool| match &value {
        None => true,
        Some(v) => colon && v.is_empty(),
    };
    let error = |message: String| ExpandError {
        message,
        offset: parameter.offset,
        limit: None,
    };
    Ok(match &parameter.operation {
        Operation::Value => value.unwrap_or_default(),
        Operation::Default { colon, word } => {
            let word = expand_to_string(word, vars)?;
            if unset_or_null(*colon) {
                word
            } else {
                value.unwrap_or_default()
            }
        }
        Operation::Alternative { colon, word } => {
            let word = expand_to_string(word, vars)?;
            if unset_or_null(*colon) {
                String::new()
            } else {
                word
            }
        }
        Operation::Required { colon, word } => {
            let message = expand_to_string(word, vars)?;
            let or_default = |default: &str| {
                if message.is_empty() {
                    default.to_owned()
                } else {
                    message.clone()
                }
            };
            match &value {
                None => {
                    let message = or_default("is not allowed to be unset");
                    return Err(error(format!("{}: {message}", parameter.name)));
                }
                Some(v) if *colon && v.is_empty() => {
                    let message = or_default("is not allowed to be empty");
                    return Err(error(format!("{}: {message}", parameter.name)));
                }
                Some(v) => v.clone(),
            }
        }
        Operation::TrimPrefix { pattern } | Operation::TrimSuffix { pattern } => {
            let suffix = matches!(parameter.operation, Operation::TrimSuffix { .. });
            let marker = if suffix { '%' } else { '#' };
            let pattern = expand_to_string(pattern, vars)?;
            let (greedy, pattern) = match pattern.strip_prefix(marker) {
                Some(rest) => (true, rest),
                None => (false, pattern.as_str()),
            };
            let glob = Glob::compile(pattern).map_err(error)?;
            let value = value.unwrap_or_default();
            glob.within_budget(&value, parameter.offset)?;
            if suffix {
                glob.trim_suffix(&value, greedy)
            } else {
                glob.trim_prefix(&value, greedy)
            }
        }
        Operation::Replace {
            all,
            pattern,
            replacement,
        } => {
            let pattern = expand_to_string(pattern, vars)?;
            let replacement = expand_to_string(replacement, vars)?;
            let glob = Glob::compile(&pattern).map_err(error)?;
            let value = value.unwrap_or_default();
            glob.within_budget(&value, parameter.offset)?;
            glob.replace(&value, &replacement, *all)
                .ok_or_else(|| ExpandError::too_large(parameter.offset))?
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Patterns

#[derive(Clone, Copy, Debug, PartialEq)]
enum GlobToken {
    Literal(char),
    /// `?`: any one character.
    AnyChar,
    /// `*`: any run of characters, shortest or longest first by the caller's choice.
    AnyRun,
}

/// BuildKit's patterns: `*` and `?` only (brackets are literal), `\*`, `\?` and `\\` escape,
/// `\}` and `\/` are the character itself, any other `\x` is an error. The escape is always
/// the backslash, whatever the file's escape character. Matching follows Go's regexp
/// (leftmost, then first in priority order), which these patterns compile to in BuildKit.
struct Glob {
    tokens: Vec<GlobToken>,
}

impl Glob {
    fn compile(pattern: &str) -> Result<Glob, String> {
        let mut tokens = Vec::new();
        let mut chars = pattern.chars().peekable();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' => GlobToken::AnyRun,
                '?' => GlobToken::AnyChar,
                '\\' => match chars.peek() {
                    // The escape only protected the `}` or `/` from ending the `${…}`.
                    Some('}' | '/') => continue,
                    Some(&escaped @ ('*' | '?' | '\\')) => {
                        chars.next();
                        GlobToken::Literal(escaped)
                    }
                    other => {
                        let shown = other.map(|c| c.to_string()).unwrap_or_default();
                        return Err(format!(
                            "invalid pattern ({pattern}) in substitution: invalid escape '\\{shown}'"
                        ));
                    }
                },
                other => GlobToken::Literal(other),
            });
        }
        Ok(Glob { tokens })
    }

    /// Refuses a match whose memo table would pass [`MAX_PATTERN_CELLS`], or whose pattern
    /// has more `*` than [`MAX_EXPANSION_NESTING`]: the matcher recurses once per `*`.
    fn within_budget(&self, value: &str, offset: usize) -> Result<(), ExpandError> {
        let cells = (self.tokens.len() + 1).saturating_mul(value.chars().count() + 1);
        let stars = self
            .tokens
            .iter()
            .filter(|t| **t == GlobToken::AnyRun)
            .count();
        if cells <= MAX_PATTERN_CELLS && stars <= MAX_EXPANSION_NESTING {
            return Ok(());
        }
        Err(ExpandError {
            message: format!(
                "a pattern of {} characters (with {stars} `*`) matched against a value of {} \
                 bytes is more work than dfslim's limit",
                self.tokens.len(),
                value.len()
            ),
            offset,
            limit: Some(PATTERN_TOO_LARGE),
        })
    }

    /// `${v#p}` / `${v##p}`: the value without its shortest (longest) matching prefix.
    fn trim_prefix(&self, value: &str, greedy: bool) -> String {
        let text: Vec<char> = value.chars().collect();
        let mut matcher = Matcher::new(&self.tokens, &text, greedy);
        match matcher.match_from(0) {
            Some(end) => text[end..].iter().collect(),
            None => value.to_owned(),
        }
    }

    /// `${v%p}` / `${v%%p}`: as BuildKit, the prefix trim of the reversed value by the
    /// reversed pattern.
    fn trim_suffix(&self, value: &str, greedy: bool) -> String {
        let reversed_tokens: Vec<GlobToken> = self.tokens.iter().rev().copied().collect();
        let reversed = Glob {
            tokens: reversed_tokens,
        };
        let reversed_value: String = value.chars().rev().collect();
        reversed
            .trim_prefix(&reversed_value, greedy)
            .chars()
            .rev()
            .collect()
    }

    /// `${v/p/r}` / `${v//p/r}`, with Go's `ReplaceAllString` rules for empty matches and
    /// its template syntax in the replacement (`$$` is `$`, `$0` the match, other `$names`
    /// nothing: the pattern has no groups).
    /// `None` when the result would pass [`MAX_EXPANDED_BYTES`] (each of a million matches
    /// can bring in a replacement of 64 KiB).
    fn replace(&self, value: &str, replacement: &str, all: bool) -> Option<String> {
        let text: Vec<char> = value.chars().collect();
        let mut matcher = Matcher::new(&self.tokens, &text, true);
        let mut out = String::new();
        let mut last_end = 0;
        let mut search = 0;
        while search <= text.len() {
            let Some((start, end)) = matcher.find_from(search) else {
                break;
            };
            out.extend(&text[last_end..start]);
            // No replacement for an empty match right after the previous match.
            if end > last_end || start == 0 {
                let matched: String = text[start..end].iter().collect();
                out.push_str(&expand_template(replacement, &matched));
                if out.len() > MAX_EXPANDED_BYTES {
                    return None;
                }
            }
            last_end = end;
            if !all {
                break;
            }
            search = if end > search { end } else { search + 1 };
        }
        out.extend(&text[last_end..]);
        (out.len() <= MAX_EXPANDED_BYTES).then_some(out)
    }
}

/// Backtracking match of glob tokens against characters, memoised on (token, position) so
/// that patterns with many `*` stay polynomial.
struct Matcher<'a> {
    tokens: &'a [GlobToken],
    text: &'a [char],
    greedy: bool,
    memo: Vec<Option<Option<usize>>>,
}

impl<'a> Matcher<'a> {
    fn new(tokens: &'a [GlobToken], text: &'a [char], greedy: bool) -> Self {
        let memo = vec![None; (tokens.len() + 1) * (text.len() + 1)];
        Matcher {
            tokens,
            text,
            greedy,
            memo,
        }
    }

    /// The leftmost match starting at or after `from`: (start, end).
    fn find_from(&mut self, from: usize) -> Option<(usize, usize)> {
        (from..=self.text.len()).find_map(|start| Some((start, self.match_from(start)?)))
    }

    /// The end of the preferred match anchored at `start`.
    fn match_from(&mut self, start: usize) -> Option<usize> {
        self.match_tokens(0, start)
    }

    fn match_tokens(&mut self, token: usize, position: usize) -> Option<usize> {
        let slot = token * (self.text.len() + 1) + position;
        if let Some(known) = self.memo[slot] {
            return known;
        }
        // Literals and `?` advance in this loop; only `*` recurses, so the stack grows with
        // the number of `*` (capped by `Glob::within_budget`), not with the pattern's length.
        let (mut token, mut position) = (token, position);
        let found = loop {
            match self.tokens.get(token) {
                None => break Some(position),
                Some(GlobToken::Literal(c)) => match self.text.get(position) {
                    Some(t) if t == c => {}
                    _ => break None,
                },
                Some(GlobToken::AnyChar) => {
                    if position >= self.text.len() {
                        break None;
                    }
                }
                Some(GlobToken::AnyRun) => {
                    let ends = position..=self.text.len();
                    break if self.greedy {
                        ends.rev().find_map(|end| self.match_tokens(token + 1, end))
                    } else {
                        ends.into_iter()
                            .find_map(|end| self.match_tokens(token + 1, end))
                    };
                }
            }
            token += 1;
            position += 1;
        };
        self.memo[slot] = Some(found);
        found
    }
}

/// Go's `regexp.Expand` for a pattern without groups.
fn expand_template(template: &str, matched: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let is_name_char = |c: char| c.is_alphanumeric() || c == '_';
        let reference = match rest.strip_prefix('{') {
            Some(braced) => braced
                .split_once('}')
                .filter(|(name, _)| !name.is_empty() && name.chars().all(is_name_char)),
            None => {
                let end = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
                (end > 0).then(|| rest.split_at(end))
            }
        };
        match reference {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            // Malformed: Go keeps the `$` as text.
            None => out.push('$'),
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expand_with(word: &str, vars: &HashMap<String, String>) -> Result<String, ExpandError> {
        expand(word, '\\', &|name| vars.get(name).cloned())
    }

    /// Runs `(word, expected)` cases; an expected value of `None` means an error.
    fn check(vars: &HashMap<String, String>, cases: &[(&str, Option<&str>)]) {
        for (word, expected) in cases {
            let got = expand_with(word, vars);
            match expected {
                Some(expected) => assert_eq!(got.as_deref(), Ok(*expected), "word {word:?}"),
                None => assert!(got.is_err(), "word {word:?} should fail, gave {got:?}"),
            }
        }
    }

    /// The environment of BuildKit's envVarTest fixture.
    fn fixture_env() -> HashMap<String, String> {
        env(&[
            ("PWD", "/home"),
            ("SHELL", "bash"),
            ("KOREAN", "한국어"),
            ("NULL", ""),
        ])
    }

    #[test]
    fn quotes_are_removed_and_escapes_applied() {
        check(
            &fixture_env(),
            &[
                ("hello", Some("hello")),
                ("he'll'o", Some("hello")),
                ("he\\'llo", Some("he'llo")),
                ("abc\\tdef", Some("abctdef")),
                ("\"abc\\tdef\"", Some("abc\\tdef")),
                ("\"abc\\\\tdef\"", Some("abc\\tdef")),
                ("'abc\\tdef'", Some("abc\\tdef")),
                ("hello\\", Some("hello")),
                ("hello\\\\", Some("hello\\")),
                ("\"hel'lo\"", Some("hel'lo")),
                ("'hello\\'", Some("hello\\")),
                ("'hello\\\\there'", Some("hello\\\\there")),
                ("\"''\"", Some("''")),
                ("'\"hello\"'", Some("\"hello\"")),
                ("안'녕'하세요", Some("안녕하세요")),
                ("안녕\\'하세요", Some("안녕'하세요")),
                ("\"안녕\\t하세요\"", Some("안녕\\t하세요")),
            ],
        );
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        check(
            &fixture_env(),
            &[
                ("he'llo", None),
                ("he\\\\'llo", None),
                ("\"hello", None),
                ("\"hello\\\"", None),
                ("'hello", None),
                ("안'녕하세요", None),
                ("\"안녕하세요\\\"", None),
            ],
        );
    }

    #[test]
    fn plain_parameters() {
        check(
            &fixture_env(),
            &[
                ("$.", Some("$.")),
                ("$1", Some("")),
                ("he$1x", Some("hex")),
                ("he$.x", Some("he$.x")),
                ("he$pwd.", Some("he.")),
                ("he$PWD", Some("he/home")),
                ("he$PWDx", Some("he")),
                ("he\\$PWD", Some("he$PWD")),
                ("he\\\\$PWD", Some("he\\/home")),
                ("\"he\\$PWD\"", Some("he$PWD")),
                ("\"he\\\\$PWD\"", Some("he\\/home")),
                ("'he\\$PWD'", Some("he\\$PWD")),
                ("he${hi}xx", Some("hexx")),
                ("he${PWD}", Some("he/home")),
                ("'he${XX}'", Some("he${XX}")),
                ("\"he${PWD}\"", Some("he/home")),
                ("\"he'$PWD'\"", Some("he'/home'")),
                ("'$PWD'", Some("$PWD")),
                ("'\\$PWD'", Some("\\$PWD")),
                ("안녕$KOREAN", Some("안녕한국어")),
                ("${aaa}}", Some("}")),
                ("$", Some("$")),
                ("a$", Some("a$")),
            ],
        );
    }

    #[test]
    fn digit_and_special_names() {
        let vars = env(&[
            ("1", "one"),
            ("12", "twelve"),
            ("@", "at"),
            ("$", "pid"),
            ("0", "zero"),
        ]);
        check(
            &vars,
            &[
                ("$1x", Some("onex")),
                // BuildKit reads every digit of a leading-digit name.
                ("$12x", Some("twelvex")),
                ("$@x", Some("atx")),
                ("$$", Some("pid")),
                ("$0a", Some("zeroa")),
                ("${12}", Some("twelve")),
                ("$_a", Some("")),
            ],
        );
    }

    #[test]
    fn malformed_substitutions_are_errors() {
        check(
            &fixture_env(),
            &[
                ("${}", None),
                ("${}aaa", None),
                ("he${}xx", None),
                ("he${.}", None),
                ("he${PWD", None),
                ("${{aaa}", None),
                ("${aaa", None),
                ("${{aaa:-bbb}", None),
                ("${aaa:-bbb", None),
                ("${aaa:-bbb ${foo}", None),
                ("${:}", None),
                ("${:-bbb}", None),
                ("${:+bbb}", None),
                ("he${XXX:YYY}", None),
                ("he${PWD:=000}xx", None),
                ("${FOO=aaa}", None),
                ("${FOO=:aaa}", None),
                ("${FOO:#x}", None),
                ("${FOO:%x}", None),
                ("${FOO//ww}", None),
                ("${FOO//}", None),
                ("${", None),
                ("${PWD:", None),
                // Escaping the dollar keeps the braces literal.
                ("\\${}", Some("${}")),
                ("he\\${}xx", Some("he${}xx")),
            ],
        );
    }

    #[test]
    fn default_and_alternative_values() {
        check(
            &fixture_env(),
            &[
                ("he${XXX:-000}xx", Some("he000xx")),
                ("he${PWD:-000}xx", Some("he/homexx")),
                ("he${XXX:-$PWD}xx", Some("he/homexx")),
                ("he${XXX:-${PWD:-yyy}}xx", Some("he/homexx")),
                ("he${XXX:-${YYY:-yyy}}xx", Some("heyyyxx")),
                ("he${XXX:+${PWD}}xx", Some("hexx")),
                ("he${PWD:+${XXX}}xx", Some("hexx")),
                ("he${PWD:+${SHELL}}xx", Some("hebashxx")),
                ("he${XXX:+000}xx", Some("hexx")),
                ("he${PWD:+000}xx", Some("he000xx")),
                ("he${PWD:+${PWD}:}xx", Some("he/home:xx")),
                ("he${XXX:-\\$PWD:}xx", Some("he$PWD:xx")),
                ("he${XXX:-\\${PWD}z}xx", Some("he${PWDz}xx")),
                ("${aaa:-bbb}}", Some("bbb}")),
                ("${aaa:-${bbb:-ccc}}", Some("ccc")),
                ("${aaa:-bbb {foo}", Some("bbb {foo")),
                ("${aaa:-'a}b'}", Some("a}b")),
                ("${aaa:-\"$PWD}\"}", Some("/home}")),
                // Without the colon a set-but-empty value counts as set.
                ("${NULL-x}|${NULL:-x}", Some("|x")),
                ("${NULL+x}|${NULL:+x}", Some("x|")),
                ("${UNSET+x}|${UNSET-x}", Some("|x")),
            ],
        );
    }

    #[test]
    fn set_empty_and_unset_differ_as_in_buildkit() {
        let vars = env(&[("FOO", "xxx"), ("BAR", "")]);
        check(
            &vars,
            &[
                ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", Some("xxx  ccc")),
                ("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", Some("xxx bbb ccc")),
                ("${FOO:-}", Some("xxx")),
                ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", Some("aaa bbb ")),
                ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", Some("aaa  ")),
                ("${FOO?aaa}", Some("xxx")),
                ("${BAR?bbb}", Some("")),
                ("${BAZ?ccc}", None),
                ("${FOO:?aaa}", Some("xxx")),
                ("${BAR:?bbb}", None),
                ("${BAZ:?ccc}", None),
                ("${BAZ:?}", None),
            ],
        );
    }

    #[test]
    fn required_values_report_the_message_and_where() {
        let set = env(&[("VAR", "plain"), ("ARG", "x")]);
        let empty = env(&[("VAR", ""), ("ARG", "x")]);
        let unset = env(&[("ARG", "x")]);
        let no_empty = "a ${VAR:?message here$ARG}";
        let no_unset = "a ${VAR?message here$ARG}";

        assert_eq!(expand_with(no_empty, &set).as_deref(), Ok("a plain"));
        for vars in [&empty, &unset] {
            let err = expand_with(no_empty, vars).unwrap_err();
            assert_eq!(err.message, "VAR: message herex");
            assert_eq!(err.offset, 2);
        }
        assert_eq!(expand_with(no_unset, &set).as_deref(), Ok("a plain"));
        assert_eq!(expand_with(no_unset, &empty).as_deref(), Ok("a "));
        let err = expand_with(no_unset, &unset).unwrap_err();
        assert_eq!(err.message, "VAR: message herex");

        let err = expand_with("${NOPE:?}", &unset).unwrap_err();
        assert_eq!(err.message, "NOPE: is not allowed to be unset");
        let err = expand_with("${VAR:?}", &empty).unwrap_err();
        assert_eq!(err.message, "VAR: is not allowed to be empty");
    }

    #[test]
    fn prefix_and_suffix_trimming() {
        let vars = env(&[
            ("FOO", "xxyy"),
            ("SPECIAL", "()[]{}^$.*?|\\x"),
            ("STARS", "xx**"),
            ("MANY", "a***yy*"),
            ("QUESTIONS", "???y"),
            ("X", "x"),
            ("EMPTY", ""),
            ("FILE", "archive.tar.gz"),
        ]);
        check(
            &vars,
            &[
                ("${SPECIAL#()[]{\\}^$.\\*\\?|\\\\}", Some("x")),
                ("${STARS%%\\**}", Some("xx")),
                ("${FOO#*x*y}", Some("y")),
                ("${FOO#*}", Some("xxyy")),
                ("${FOO##*}", Some("")),
                ("${FOO#$X}", Some("xyy")),
                ("${FOO#$EMPTY}", Some("xxyy")),
                ("${FOO#}", Some("xxyy")),
                ("${FOO##*x}", Some("yy")),
                ("${FOO##}", Some("xxyy")),
                ("${QUESTIONS#?\\?}", Some("?y")),
                ("${ABC:-.}${FOO%x}${ABC:-.}", Some(".xxyy.")),
                ("${MANY%%\\**\\*}", Some("a")),
                ("${FOO%}", Some("xxyy")),
                ("${FOO%%$EMPTY}", Some("xxyy")),
                ("${FOO%y}", Some("xxy")),
                ("${FOO%?y}", Some("xx")),
                ("${FILE%.*}", Some("archive.tar")),
                ("${FILE%%.*}", Some("archive")),
                ("${FILE#*.}", Some("tar.gz")),
                ("${FILE##*.}", Some("gz")),
                ("${UNSET#x}", Some("")),
                // Brackets are literal, and so is a backtick escape in patterns.
                ("${FOO#[x]}", Some("xxyy")),
                // Any other escape is an error in a pattern.
                ("${FOO#\\x}", None),
                ("${FOO%\\a}", None),
            ],
        );
    }

    #[test]
    fn replacement() {
        let vars = env(&[
            ("GLOBS", "/foo*/*/*.txt"),
            ("STAR_SLASH", "\\*/"),
            ("PATHS", "/tmp/tmp/bar.txt"),
            ("TMP", "/tmp"),
            ("LETTERS", "/a/foo/b/c.txt"),
            ("ONE_DIR", "/?/"),
            ("SLASH", "/"),
            ("URL", "http://google.de"),
            ("HTTP", "http://"),
            ("HTTPS", "https://"),
            ("FILE", "/tmp/foo.txt"),
            ("FOO", "xxyy"),
            ("EMPTY", ""),
        ]);
        check(
            &vars,
            &[
                (
                    "${GLOBS/$STAR_SLASH/.} - ${GLOBS//$STAR_SLASH/.}",
                    Some("/foo.*/*.txt - /foo..*.txt"),
                ),
                (
                    "${PATHS/$TMP/} - ${PATHS//$TMP/}",
                    Some("/tmp/bar.txt - /bar.txt"),
                ),
                (
                    "${LETTERS/$ONE_DIR/$SLASH} - ${LETTERS//$ONE_DIR/$SLASH}",
                    Some("/foo/b/c.txt - /foo/c.txt"),
                ),
                ("${URL/$HTTP/$HTTPS}", Some("https://google.de")),
                ("${FILE//\\//\\/}", Some("\\/tmp\\/foo.txt")),
                ("${FOO/$EMPTY/ww}", Some("wwxxyy")),
                ("${FOO//$EMPTY/-}", Some("-x-x-y-y-")),
                ("${FOO///}", Some("xxyy")),
                ("${UNSET///}", Some("")),
                ("${FOO/x*/z}", Some("z")),
                // `$$` in the word is the special parameter `$` (unset here), not Go's `$$`.
                ("${FOO//x/[$$0]}", Some("[0][0]yy")),
                // Replacements keep their escapes (raw), and Go then reads `$0` as the match.
                ("${FOO//x/<\\$0>}", Some("<\\x><\\x>yy")),
                ("${FOO/?/$SLASH$SLASH}", Some("//xyy")),
            ],
        );
    }

    #[test]
    fn go_template_rules_in_replacements() {
        assert_eq!(expand_template("a${0}b", "X"), "aXb");
        // `$0b` names the group `0b`, which does not exist.
        assert_eq!(expand_template("a$0b", "X"), "a");
        assert_eq!(expand_template("${0}", "X"), "X");
        assert_eq!(expand_template("$1$name${x}", "X"), "");
        assert_eq!(expand_template("$$", "X"), "$");
        assert_eq!(expand_template("$", "X"), "$");
        assert_eq!(expand_template("${", "X"), "${");
        assert_eq!(expand_template("$-", "X"), "$-");
        assert_eq!(expand_template("${}x", "X"), "${}x");
    }

    #[test]
    fn realistic_dockerfile_words() {
        let vars = env(&[
            ("TARGETOS", "linux"),
            ("TARGETARCH", "arm"),
            ("TARGETVARIANT", "v7"),
            ("VERSION", "v1.2.3"),
            ("GO_VERSION", "1.23"),
        ]);
        let release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        check(
            &vars,
            &[
                (release, Some("something-v1.2.3.linux-arm-v7.tar.gz")),
                ("golang:${GO_VERSION}-alpine", Some("golang:1.23-alpine")),
                ("golang:${GO_VERSION:-1.22}", Some("golang:1.23")),
                ("node:${NODE_VERSION:-20}-slim", Some("node:20-slim")),
                ("/out/${APP:-app}", Some("/out/app")),
            ],
        );
    }

    #[test]
    fn backtick_escape() {
        let vars = env(&[("PWD", "C:\\home")]);
        let expand_bt = |word: &str| expand(word, '`', &|name| vars.get(name).cloned());
        assert_eq!(
            expand_bt("C:\\dir\\$PWD").as_deref(),
            Ok("C:\\dir\\C:\\home")
        );
        assert_eq!(expand_bt("a`$PWD").as_deref(), Ok("a$PWD"));
        assert_eq!(expand_bt("\"a`\"b\"").as_deref(), Ok("a\"b"));
        assert_eq!(expand_bt("a``b").as_deref(), Ok("a`b"));
    }

    #[test]
    fn error_offsets_point_into_the_word() {
        let vars = env(&[]);
        let offset = |word: &str| expand_with(word, &vars).unwrap_err().offset;
        assert_eq!(offset("abc${}"), 3);
        assert_eq!(offset("ab${x"), 2);
        assert_eq!(offset("x'abc"), 1);
        assert_eq!(offset("x\"abc"), 1);
        assert_eq!(offset("ab${x:#y}"), 5);
        assert_eq!(offset("a${x:-'}"), 1);
        assert_eq!(offset("a${x#\\q}"), 1);
        let err = expand_with("${x:-${}}", &vars).unwrap_err();
        assert_eq!(
            (err.offset, err.message.as_str()),
            (5, "syntax error: bad substitution")
        );
    }

    #[test]
    fn word_splitting() {
        // (environment, text, words); `None` for an error.
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, Option<&'a [&'a str]>);
        let cases: &[Case] = &[
            (&[], "hello", Some(&["hello"])),
            (&[], "hello${hi}bye", Some(&["hellobye"])),
            (&[("hi", "hi")], "hello${hi}bye", Some(&["hellohibye"])),
            (
                &[("space", "abc  def")],
                "hello${space}bye",
                Some(&["helloabc", "defbye"]),
            ),
            (
                &[("space", "abc  def")],
                "hello\"${space}\"bye",
                Some(&["helloabc  defbye"]),
            ),
            (
                &[("space", "abc  def")],
                "hello \"${space}\"bye",
                Some(&["hello", "abc  defbye"]),
            ),
            (
                &[("leading", "  ab c")],
                "hello${leading}def",
                Some(&["hello", "ab", "cdef"]),
            ),
            (
                &[("leading", "  ab c")],
                "hello\"${leading}\" def",
                Some(&["hello  ab c", "def"]),
            ),
            (
                &[("leading", "  ab c")],
                "hello\"${leading}\"",
                Some(&["hello  ab c"]),
            ),
            (
                &[("leading", "  ab c")],
                "hello${leading}",
                Some(&["hello", "ab", "c"]),
            ),
            (
                &[("trailing", "ab c   ")],
                "hello${trailing}",
                Some(&["helloab", "c"]),
            ),
            (
                &[("trailing", "ab c   ")],
                "hello${trailing}d",
                Some(&["helloab", "c", "d"]),
            ),
            (
                &[("trailing", "ab c   ")],
                "hello\"${trailing}\"d",
                Some(&["helloab c   d"]),
            ),
            (
                &[("trailing", "ab c   ")],
                "hel\"lo${trailing}\"",
                Some(&["helloab c   "]),
            ),
            (&[], "hello\" there  \"", Some(&["hello there  "])),
            (&[], "hello there     ", Some(&["hello", "there"])),
            (&[], "hello\\ there", Some(&["hello there"])),
            (&[], "hello\" there", None),
            (&[], "hello\\\" there", Some(&["hello\"", "there"])),
            (&[], "hello\"\\\\there\"", Some(&["hello\\there"])),
            (&[], "hello\"\\there\"", Some(&["hello\\there"])),
            (&[], "hello'\\\\there'", Some(&["hello\\\\there"])),
            (&[], "hello'\\there'", Some(&["hello\\there"])),
            (&[], "hello'$there'", Some(&["hello$there"])),
            (&[], "  80/tcp   443  ", Some(&["80/tcp", "443"])),
            (&[], "'' a '' b", Some(&["a", "b"])),
            (&[("x", "")], "a${x:-b c}", Some(&["ab", "c"])),
        ];
        for (pairs, text, expected) in cases {
            let vars = env(pairs);
            let got = expand_words(text, '\\', &|name| vars.get(name).cloned());
            match expected {
                Some(words) => {
                    let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                    assert_eq!(got, Ok(words), "text {text:?}");
                }
                None => assert!(got.is_err(), "text {text:?} gave {got:?}"),
            }
        }
    }

    #[test]
    fn referenced_variables() {
        let cases: &[(&str, &[&str])] = &[
            ("plain", &[]),
            ("$A", &["A"]),
            ("${A}-${B}-$A", &["A", "B"]),
            ("${A:-$B}", &["A", "B"]),
            ("${A:+${B:-${C}}}", &["A", "B", "C"]),
            ("${A#$P}${B%%x}${C/$D/$E}", &["A", "P", "B", "C", "D", "E"]),
            ("'$A'\\$B\"$C\"", &["C"]),
            ("$1$@", &["1", "@"]),
            ("${broken", &[]),
            ("$.", &[]),
        ];
        for (word, expected) in cases {
            let names = referenced_vars(word, '\\');
            assert_eq!(names, expected.to_vec(), "word {word:?}");
        }
        assert_eq!(referenced_vars("`$A$B", '`'), vec!["B"]);
    }

    #[test]
    fn pathological_patterns_stay_fast() {
        let long = "a".repeat(400);
        let vars = env(&[("LONG", &long)]);
        let pattern = "${LONG//*a*a*a*a*a*a*a*a*b/x}";
        assert_eq!(expand_with(pattern, &vars).as_deref(), Ok(long.as_str()));
    }
}
