//! The lossless syntax tree.
//!
//! Every top-level [`Item`] has a byte span, and the spans of `Dockerfile::items` tile the
//! input exactly: concatenated, they give back every byte. Inner pieces (keyword, flags,
//! words, heredoc bodies) carry spans too, so that a rewrite can replace exactly the bytes it
//! means to and nothing else. Text values (`Word::text`) are taken from the *logical* line,
//! after line continuations have been joined, which is what BuildKit sees.

use serde::Serialize;

/// A half-open byte range `[start, end)` in the original input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn slice(self, src: &str) -> &str {
        &src[self.start..self.end]
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.len()).into()
    }
}

/// The line ending that dominates a file; new lines written by a rewrite follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// A parsed Dockerfile: the items that tile the input, and the errors found on the way.
/// Parsing is total: there is always a tree, even when there are errors.
#[derive(Clone, Debug, Serialize)]
pub struct Dockerfile {
    pub items: Vec<Item>,
    pub errors: Vec<SyntaxError>,
    /// The escape character in force: `\` or `` ` ``.
    pub escape: char,
    pub line_ending: LineEnding,
    /// Whether the input ends with a line break (a rewrite that appends must add one first).
    pub ends_with_newline: bool,
}

impl Dockerfile {
    /// The instructions at the top level, in order (ONBUILD children are inside theirs).
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.items.iter().filter_map(|item| match item {
            Item::Instruction(ins) => Some(&**ins),
            _ => None,
        })
    }

    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.items.iter().filter_map(|item| match item {
            Item::Directive(d) => Some(&**d),
            _ => None,
        })
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// A top-level piece of the file. Each one owns its trailing line break.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// A UTF-8 byte order mark at the very start.
    Bom {
        span: Span,
    },
    Directive(Box<Directive>),
    Comment(Comment),
    /// Consecutive lines holding only white space, as one item.
    Blank {
        span: Span,
    },
    /// Boxed, so that the trivia items beside it stay small.
    Instruction(Box<Instruction>),
    /// The rest of a file past [`crate::syntax::MAX_INSTRUCTIONS`], not parsed; the parse
    /// has a `too-many-instructions` error.
    Skipped {
        span: Span,
    },
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Bom { span } | Item::Blank { span } | Item::Skipped { span } => *span,
            Item::Directive(d) => d.span,
            Item::Comment(c) => c.span,
            Item::Instruction(i) => i.span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectiveKind {
    Syntax,
    Escape,
    Check,
}

/// A parser directive in the prologue: `# escape=\``, `# syntax=…`, `# check=…`.
#[derive(Clone, Debug, Serialize)]
pub struct Directive {
    pub span: Span,
    pub kind: DirectiveKind,
    /// The key as written (its case is kept).
    pub name: Word,
    pub value: Word,
}

/// A comment line: `# …`. `text_span` excludes the line break.
#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    pub span: Span,
    pub text_span: Span,
}

/// The instruction keywords BuildKit knows. Matching is case-insensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Kept in the tree with its text, and reported as an error.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    pub fn from_word(word: &str) -> Keyword {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// The upper-case spelling, as written by convention.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }

    /// Heredocs are recognised only in these (directly or under ONBUILD).
    pub fn allows_heredoc(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}

/// A piece of text from the logical line with the source bytes it came from.
///
/// `text` is what BuildKit sees: continuation markers and comment lines inside a
/// continuation are removed, quotes and escapes are kept as written. `span` covers the
/// source bytes from the first to the last character of the word (so it may include a
/// continuation marker when the word straddles lines).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Word {
    pub text: String,
    pub span: Span,
}

/// A `--name[=value]` flag before the arguments.
#[derive(Clone, Debug, Serialize)]
pub struct Flag {
    pub span: Span,
    /// The flag word after quote removal and escape processing, as BuildKit reports it
    /// (`--from=build`).
    pub processed: String,
    /// The name without the dashes (`from`).
    pub name: String,
    /// The value after `=`, if any.
    pub value: Option<String>,
}

/// The arguments of an instruction, in the form the keyword takes.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Args {
    /// No arguments at all.
    Empty,
    /// A valid JSON array of strings (exec form). `span` covers `[` to `]`.
    Exec { elements: Vec<Word>, span: Span },
    /// The rest of the line as one string (shell form of RUN, CMD, ENTRYPOINT, SHELL).
    Shell { text: Word },
    /// Whitespace-separated words (FROM, EXPOSE, and COPY/ADD/VOLUME when not JSON).
    Words { words: Vec<Word> },
    /// ENV and LABEL: key/value pairs.
    Pairs { pairs: Vec<Pair> },
    /// ARG: one or more `name[=default]`.
    ArgDecls { decls: Vec<ArgDecl> },
    /// MAINTAINER, USER, WORKDIR, STOPSIGNAL, and unknown keywords: the rest as one string.
    Text { text: Word },
    /// HEALTHCHECK: a type word (`CMD`, `NONE`) and, for CMD, a command.
    Healthcheck {
        kind: Word,
        command: Option<Box<Args>>,
    },
    /// ONBUILD: the trigger instruction, parsed again as a full instruction.
    Onbuild { trigger: Box<Instruction> },
}

impl Args {
    /// The words of a COPY, ADD or VOLUME in either form: whitespace-separated, or the
    /// elements of a JSON array (`COPY ["WebApp/WebApp.csproj", "WebApp/"]`).
    pub fn path_words(&self) -> Option<&[Word]> {
        match self {
            Args::Words { words } => Some(words),
            Args::Exec { elements, .. } => Some(elements),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub key: Word,
    pub value: Word,
    /// `true` for `key=value`, `false` for the legacy `KEY value…` form.
    pub equals: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ArgDecl {
    pub name: Word,
    pub default: Option<Word>,
}

/// A heredoc opened on the instruction line (`<<EOF`, `<<-"EOF"`, `3<<EOF`).
#[derive(Clone, Debug, Serialize)]
pub struct Heredoc {
    /// The delimiter after quote removal.
    pub name: String,
    /// False when any part of the delimiter was quoted: the body is not expanded.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body lines.
    pub chomp: bool,
    pub fd: Option<u32>,
    /// The opener word on the instruction line.
    pub opener: Span,
    /// The body lines, without the terminator line.
    pub body: Span,
    /// The terminator line, with its line break.
    pub terminator: Span,
    /// The body exactly as BuildKit's parser stores it: every body line with its line
    /// break, tabs *not* yet stripped (see [`Heredoc::effective_content`]).
    pub content: String,
}

impl Heredoc {
    /// The body as the builder finally uses it: with `<<-`, leading tabs are stripped from
    /// every line.
    pub fn effective_content(&self) -> String {
        if !self.chomp {
            return self.content.clone();
        }
        self.content
            .split_inclusive('\n')
            .map(|line| line.trim_start_matches('\t'))
            .collect()
    }
}

/// One instruction with everything that belongs to it: continuation lines, comment and
/// blank lines inside the continuation, heredoc bodies and the final line break.
#[derive(Clone, Debug, Serialize)]
pub struct Instruction {
    pub span: Span,
    pub keyword: Keyword,
    /// The keyword as written (its case is kept).
    pub keyword_word: Word,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// The logical line after continuations are joined, from the keyword to the end.
    #[serde(skip)]
    pub logical: LogicalLine,
    /// Comment and blank lines inside the continuation (dropped by BuildKit).
    pub inner_trivia: Vec<Span>,
    /// The source span of the instruction's own lines, without heredoc bodies or the final
    /// line break.
    pub line_span: Span,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// The 1-based line range in `src` that the instruction occupies, heredocs included.
    pub fn line_range(&self, src: &str) -> (usize, usize) {
        let start = line_of(src, self.span.start);
        let mut end_byte = self.span.end;
        // The span owns its trailing line break; the last line is the one before it.
        while end_byte > self.span.start && matches!(src.as_bytes()[end_byte - 1], b'\n' | b'\r') {
            end_byte -= 1;
        }
        (start, line_of(src, end_byte.max(self.span.start)))
    }
}

/// 1-based line number of a byte offset.
pub fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The logical text of an instruction and the map from its offsets back to the source.
#[derive(Clone, Debug, Default)]
pub struct LogicalLine {
    pub text: String,
    /// `(logical_offset, source_offset)` at the start of each contiguous piece.
    pub pieces: Vec<(usize, usize)>,
}

impl LogicalLine {
    /// The source offset of a logical offset (an end offset maps to just after the
    /// previous character's source byte).
    pub fn to_source(&self, logical: usize) -> usize {
        let idx = match self.pieces.binary_search_by_key(&logical, |p| p.0) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let (l, s) = self.pieces[idx];
        s + (logical - l)
    }

    /// The source span of a logical range: from the first character to just after the last.
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        if start >= end {
            let s = self.to_source(start);
            return Span::new(s, s);
        }
        Span::new(self.to_source(start), self.to_source(end - 1) + 1)
    }

    /// The part `[from, to)` of this line as a line of its own, still mapped to the source.
    pub fn suffix(&self, from: usize, to: usize) -> LogicalLine {
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        for (idx, &(l, s)) in self.pieces.iter().enumerate() {
            let piece_end = self.pieces.get(idx + 1).map_or(self.text.len(), |p| p.0);
            if piece_end <= from || l >= to {
                continue;
            }
            let start = l.max(from);
            pieces.push((start - from, s + (start - l)));
        }
        LogicalLine {
            text: self.text[from..to].to_string(),
            pieces,
        }
    }
}

/// An error found while parsing, anchored to the bytes that cause it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub span: Span,
    /// A stable short id, e.g. `unterminated-heredoc`.
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}
