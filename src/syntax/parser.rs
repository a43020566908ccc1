//! The parser: bytes of a Dockerfile → [`Dockerfile`], following BuildKit's
//! `frontend/dockerfile/parser` step by step (see `grammar/` and GRAMMAR.md).
//!
//! It works in two layers, as BuildKit does. The *line layer* walks physical lines,
//! recognises directives, comments and blank lines, and joins continuation lines into one
//! logical line per instruction, remembering where every piece came from. The *instruction
//! layer* splits the logical line into keyword, flags and arguments with the same rules
//! BuildKit applies, then reads heredoc bodies. Parsing never stops at an error: each error
//! is recorded with its span and the walk goes on, so the tree always tiles the input.

use super::ast::{
    ArgDecl, Args, Comment, Directive, DirectiveKind, Dockerfile, Heredoc, Instruction, Item,
    Keyword, LineEnding, LogicalLine, Pair, Span, SyntaxError, Word,
};
use super::dump::go_quote;
use super::json::{self, ExecForm};

/// BuildKit reads lines with a `bufio.Scanner` whose buffer stops at 64 KiB
/// (`bufio.MaxScanTokenSize`). Its tokens keep their `\n`, so the longest line it reads is
/// one byte shorter: see [`line_too_long`].
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Parse a whole Dockerfile. Always returns a tree; problems are in `errors`.
pub fn parse(src: &str) -> Dockerfile {
    let mut parser = Parser {
        src,
        pos: 0,
        escape: '\\',
        items: Vec::new(),
        errors: Errors::default(),
        lines: 0,
        crlf_lines: 0,
        instruction_count: 0,
    };
    parser.run();
    let (crlf, lf) = (parser.crlf_lines, parser.lines);
    Dockerfile {
        items: parser.items,
        errors: parser.errors.finish(),
        escape: parser.escape,
        line_ending: if crlf * 2 > lf {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        },
        ends_with_newline: src.is_empty() || src.ends_with('\n'),
    }
}

/// Why `name` cannot name a build stage, or `None` when it can: BuildKit's
/// `parseBuildStageName` matches the lower-cased name against `^[a-z][a-z0-9-_.]*$`, and
/// its `dockerfile2llb` reserves `scratch` (`--from=scratch` is the empty image) and
/// `context`. The name is quoted as Go quotes it, so that nothing in it acts on a terminal.
pub fn stage_name_error(name: &str) -> Option<String> {
    if let Some(invalid) = invalid_stage_name(name) {
        return Some(invalid);
    }
    let lower = name.to_lowercase();
    let mut quoted = String::new();
    go_quote(name, &mut quoted);
    matches!(lower.as_str(), "scratch" | "context").then(|| {
        format!(
            "the stage name {quoted} is reserved: `--from={lower}` means something else to BuildKit"
        )
    })
}

/// BuildKit's error for a name `parseBuildStageName` refuses (a `FROM … AS` name is refused
/// by the build; the reserved names only by its linter).
fn invalid_stage_name(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    let mut bytes = lower.bytes();
    let valid = bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.'));
    (!valid).then(|| {
        let mut quoted = String::new();
        go_quote(name, &mut quoted);
        format!(
            "invalid name for build stage: {quoted}, name can't start with a number or contain symbols"
        )
    })
}

/// The most instructions one parse builds. A node costs about a kilobyte with its words,
/// so an 8 MiB file of short instructions (430,000 `LABEL` lines) held 440 MB; real files
/// have a few hundred. The text after the last one is kept as one [`Item::Skipped`], and
/// a `too-many-instructions` error is placed where it starts.
pub const MAX_INSTRUCTIONS: usize = 50_000;

/// The most errors one parse keeps. A hostile 8 MiB file can hold millions (one per
/// line or per word), each a few hundred bytes with its messages; past this many the
/// errors are only counted, and one `too-many-errors` error says how many were left out.
pub const MAX_ERRORS: usize = 1000;

/// The errors found so far: the first [`MAX_ERRORS`], then a count.
#[derive(Default)]
struct Errors {
    list: Vec<SyntaxError>,
    dropped: usize,
    first_dropped: Span,
}

impl Errors {
    fn push(&mut self, error: SyntaxError) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(error);
            return;
        }
        if self.dropped == 0 {
            self.first_dropped = error.span;
        }
        self.dropped += 1;
    }

    /// [`Errors::push`] for an error that is costly to build (a suggestion to compute):
    /// once the list is full, only the first one left out is built, for its place.
    fn push_with(&mut self, make: impl FnOnce() -> SyntaxError) {
        if self.list.len() < MAX_ERRORS || self.dropped == 0 {
            self.push(make());
        } else {
            self.dropped += 1;
        }
    }

    fn finish(mut self) -> Vec<SyntaxError> {
        if self.dropped > 0 {
            self.list.push(SyntaxError {
                span: Span::new(self.first_dropped.start, self.first_dropped.start),
                code: "too-many-errors",
                message: format!(
                    "{} more errors from here on are not listed: dfslim keeps the first {MAX_ERRORS}",
                    self.dropped
                ),
                help: Some("fix the errors listed first; this is probably not a Dockerfile".into()),
            });
        }
        self.list
    }
}

/// A physical line: `[start, content_end)` is its text without trailing `\r`/`\n`,
/// `[start, end)` includes its line break.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    escape: char,
    items: Vec<Item>,
    errors: Errors,
    /// Lines ending in `\n`, and those of them ending in `\r\n` (for the line ending a
    /// rewrite follows); counted as the lines are walked, not in a second pass.
    lines: usize,
    crlf_lines: usize,
    /// Top-level instructions built so far (see [`MAX_INSTRUCTIONS`]).
    instruction_count: usize,
}

/// Go's `unicode.IsSpace`, which BuildKit uses to trim lines.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]+`.
fn is_word_sep(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

impl<'a> Parser<'a> {
    fn run(&mut self) {
        if self.src.starts_with('\u{feff}') {
            self.items.push(Item::Bom {
                span: Span::new(0, 3),
            });
            self.pos = 3;
        }
        self.directives();
        while let Some(line) = self.next_line() {
            let content = &self.src[line.start..line.content_end];
            let trimmed = content.trim_start_matches(is_space);
            if trimmed.is_empty() {
                // A run of blank lines is one item: a node per line made 8 million blank
                // lines (an 8 MB file) cost 1.9 GB.
                match self.items.last_mut() {
                    Some(Item::Blank { span }) if span.end == line.start => span.end = line.end,
                    _ => self.items.push(Item::Blank {
                        span: Span::new(line.start, line.end),
                    }),
                }
            } else if trimmed.starts_with('#') {
                self.items.push(Item::Comment(Comment {
                    span: Span::new(line.start, line.end),
                    text_span: Span::new(line.content_end - trimmed.len(), line.content_end),
                }));
            } else if self.instruction_count == MAX_INSTRUCTIONS {
                self.errors.push(SyntaxError {
                    span: Span::new(line.start, line.content_end),
                    code: "too-many-instructions",
                    message: format!(
                        "more than {MAX_INSTRUCTIONS} instructions; dfslim reads no further"
                    ),
                    help: Some(
                        "BuildKit has no such limit, but dfslim stops here to bound its memory; \
                         see docs/limits.md"
                            .into(),
                    ),
                });
                self.items.push(Item::Skipped {
                    span: Span::new(line.start, self.src.len()),
                });
                self.pos = self.src.len();
                break;
            } else {
                let start = line.content_end - trimmed.len();
                let instruction = self.instruction(line, start);
                self.instruction_count += 1;
                self.items.push(Item::Instruction(Box::new(instruction)));
            }
        }
        self.stage_errors();
        self.argument_errors();
        if !self.items.iter().any(|i| matches!(i, Item::Instruction(_))) {
            self.errors.push(SyntaxError {
                span: Span::new(0, self.src.len()),
                code: "no-instructions",
                message: "file with no instructions".into(),
                help: Some("a Dockerfile needs at least a FROM instruction".into()),
            });
        }
    }

    /// BuildKit's checks on the stages, made before any build: `parseBuildStageName`
    /// (`FROM image` or `FROM image AS name`, nothing else) and the duplicate-name check of
    /// `dockerfile2llb`. Names compare case-insensitively, as BuildKit lower-cases them.
    fn stage_errors(&mut self) {
        // A set, not a list: a list made 40,000 stages take a second.
        let mut names: std::collections::HashSet<String> = std::collections::HashSet::new();
        for item in &self.items {
            let Item::Instruction(instruction) = item else {
                continue;
            };
            if instruction.keyword != Keyword::From {
                continue;
            }
            let words: &[Word] = match &instruction.args {
                Args::Words { words } => words,
                _ => &[],
            };
            match words {
                [_] => {}
                [_, as_kw, name] if as_kw.text.eq_ignore_ascii_case("as") => {
                    let lower = name.text.to_lowercase();
                    if let Some(message) = invalid_stage_name(&name.text) {
                        self.errors.push(SyntaxError {
                            span: name.span,
                            code: "invalid-stage-name",
                            message,
                            help: Some(
                                "a stage name is a letter, then letters, digits, `-`, `_` or `.`"
                                    .into(),
                            ),
                        });
                    } else if names.contains(&lower) {
                        let mut message = "duplicate stage name ".to_string();
                        go_quote(&lower, &mut message);
                        self.errors.push(SyntaxError {
                            span: name.span,
                            code: "duplicate-stage-name",
                            message,
                            help: Some(
                                "give each stage its own name; stage names ignore case".into(),
                            ),
                        });
                    } else {
                        names.insert(lower);
                    }
                }
                _ => self.errors.push(SyntaxError {
                    span: instruction.line_span,
                    code: "from-arguments",
                    message: "FROM requires either one or three arguments".into(),
                    help: Some("write `FROM image` or `FROM image AS name`".into()),
                }),
            }
        }
    }

    /// BuildKit's instruction layer (`instructions/parse.go`), which runs over every
    /// instruction before any build: how many arguments each takes, SHELL in JSON form
    /// only, no empty VOLUME. The parser layer accepts `EXPOSE` alone; a build does not,
    /// so neither may a rewrite's output (verification parses it).
    fn argument_errors(&mut self) {
        let mut in_stage = false;
        for item in &self.items {
            let Item::Instruction(instruction) = item else {
                continue;
            };
            // `instructions.Parse`: before the first FROM only ARG has a place (a global
            // build argument); anything else has no stage to go in.
            in_stage |= instruction.keyword == Keyword::From;
            if !in_stage && !matches!(instruction.keyword, Keyword::Arg | Keyword::Unknown) {
                self.errors.push(SyntaxError {
                    span: instruction.line_span,
                    code: "no-build-stage",
                    message: "no build stage in current context".into(),
                    help: Some(
                        "start the file with FROM; only ARG may come before the first FROM".into(),
                    ),
                });
            }
            if let Some(error) = flag_error(instruction) {
                self.errors.push(error);
            }
            if let Some((code, message, help)) = argument_error(self.src, instruction) {
                self.errors.push(SyntaxError {
                    span: instruction.line_span,
                    code,
                    message,
                    help: Some(help),
                });
            }
        }
    }

    /// The physical line starting at `start`, if any.
    fn line_at(&self, start: usize) -> Option<Line> {
        if start >= self.src.len() {
            return None;
        }
        let end = match self.src[start..].find('\n') {
            Some(i) => start + i + 1,
            None => self.src.len(),
        };
        let mut content_end = end;
        while content_end > start && matches!(self.src.as_bytes()[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        Some(Line {
            start,
            content_end,
            end,
        })
    }

    /// The next physical line, advancing past it.
    fn next_line(&mut self) -> Option<Line> {
        let line = self.line_at(self.pos)?;
        // BuildKit's scanner counts the BOM as part of the first line.
        let scanned_from = if line.start == 3 && self.src.starts_with('\u{feff}') {
            0
        } else {
            line.start
        };
        if let Some(error) = line_too_long(&self.src[scanned_from..line.end], line) {
            self.errors.push(error);
        }
        if self.src.as_bytes()[line.end - 1] == b'\n' {
            self.lines += 1;
            if self.src[line.content_end..line.end].ends_with("\r\n") {
                self.crlf_lines += 1;
            }
        }
        self.pos = line.end;
        Some(line)
    }

    fn peek_line(&self) -> Option<Line> {
        self.line_at(self.pos)
    }

    /// Parser directives: only in the prologue, scanning stops for good at the first line
    /// that is not a known directive.
    fn directives(&mut self) {
        let mut seen: Vec<DirectiveKind> = Vec::new();
        while let Some(line) = self.peek_line() {
            let content = &self.src[line.start..line.content_end];
            let Some((kind, name, value)) = directive_of(content, line.start) else {
                return;
            };
            self.next_line();
            if seen.contains(&kind) {
                self.errors.push(SyntaxError {
                    span: Span::new(line.start, line.content_end),
                    code: "duplicate-directive",
                    message: format!(
                        "only one {} parser directive can be used",
                        name.text.to_ascii_lowercase()
                    ),
                    help: Some("remove the repeated directive".into()),
                });
            }
            seen.push(kind);
            if kind == DirectiveKind::Escape {
                match value.text.as_str() {
                    "\\" => self.escape = '\\',
                    "`" => self.escape = '`',
                    other => self.errors.push(SyntaxError {
                        span: value.span,
                        code: "bad-escape",
                        message: format!("invalid escape token '{other}' does not match ` or \\"),
                        help: Some("the escape directive takes exactly \\ or `".into()),
                    }),
                }
            }
            self.items.push(Item::Directive(Box::new(Directive {
                span: Span::new(line.start, line.end),
                kind,
                name,
                value,
            })));
        }
    }

    /// One instruction starting on `first`, whose text begins at `start` (left-trimmed).
    fn instruction(&mut self, first: Line, start: usize) -> Instruction {
        let escape = self.escape;
        let mut logical = LogicalLine::default();
        let mut inner_trivia = Vec::new();
        let (piece_end, mut continues) =
            trim_continuation(&self.src[start..first.content_end], escape);
        push_piece(&mut logical, &self.src[start..start + piece_end], start);
        let mut last_content_end = first.content_end;

        while continues {
            let Some(line) = self.next_line() else { break };
            let content = &self.src[line.start..line.content_end];
            let trimmed = content.trim_start_matches(is_space);
            // Comment lines and empty lines inside a continuation are dropped by BuildKit and
            // never end the instruction.
            if trimmed.is_empty() || trimmed.starts_with('#') {
                inner_trivia.push(Span::new(line.start, line.end));
                continue;
            }
            let (piece_end, more) = trim_continuation(content, escape);
            push_piece(&mut logical, &content[..piece_end], line.start);
            last_content_end = line.content_end;
            continues = more;
        }

        if logical.pieces.is_empty() {
            // Only escape characters up to the end of the file: BuildKit still makes an
            // (empty, unknown) instruction of it. Anchor the empty text to its first line so
            // that every offset in it maps back to the source.
            logical.pieces.push((0, start));
        }
        let mut instruction = build_instruction(logical, escape, &mut self.errors, 0);
        instruction.inner_trivia = inner_trivia;
        instruction.line_span = Span::new(start, last_content_end.max(start));

        if heredocs_possible(&instruction) && instruction.logical.text.contains("<<") {
            let openers = heredoc_openers(&instruction.logical);
            for mut heredoc in openers {
                self.heredoc_body(&mut heredoc, &instruction);
                instruction.heredocs.push(heredoc);
            }
        }
        instruction.span = Span::new(first.start, self.pos);
        instruction
    }

    /// Read one heredoc body up to its terminator line.
    fn heredoc_body(&mut self, heredoc: &mut Heredoc, instruction: &Instruction) {
        let body_start = self.pos;
        while let Some(line) = self.next_line() {
            let mut candidate = &self.src[line.start..line.content_end];
            if heredoc.chomp {
                candidate = candidate.trim_start_matches('\t');
            }
            if candidate == heredoc.name {
                heredoc.body = Span::new(body_start, line.start);
                heredoc.terminator = Span::new(line.start, line.end);
                heredoc.content = self.src[body_start..line.start].to_string();
                return;
            }
        }
        heredoc.body = Span::new(body_start, self.pos);
        heredoc.terminator = Span::new(self.pos, self.pos);
        heredoc.content = self.src[body_start..self.pos].to_string();
        self.errors.push(SyntaxError {
            span: heredoc.opener,
            code: "unterminated-heredoc",
            message: format!(
                "unterminated heredoc: no line `{}` closes the heredoc opened here",
                heredoc.name
            ),
            help: Some(format!(
                "end the {} heredoc with a line holding only `{}`",
                instruction.keyword.as_str(),
                heredoc.name
            )),
        });
    }
}

/// The `line-too-long` error for a line BuildKit cannot read. `scanned` is what BuildKit's
/// scanner holds for it: the line with its `\n`, and a BOM on the first line. Reading
/// `bufio.Scanner.Scan`: a token must fit in the 64 KiB buffer *with* its `\n`, and a last
/// line without one fails once it fills the buffer before the end of the input is seen.
/// Both come to the same rule: at most 65,535 bytes before the `\n` (a `\r` counts).
fn line_too_long(scanned: &str, line: Line) -> Option<SyntaxError> {
    let len = scanned.strip_suffix('\n').unwrap_or(scanned).len();
    if len < MAX_LINE_BYTES {
        return None;
    }
    Some(SyntaxError {
        span: Span::new(line.start, line.content_end),
        code: "line-too-long",
        message: format!(
            "line is {len} bytes long, over BuildKit's limit of {} bytes",
            MAX_LINE_BYTES - 1
        ),
        help: Some("BuildKit cannot read this line; split it with line continuations".into()),
    })
}

fn push_piece(logical: &mut LogicalLine, piece: &str, source_start: usize) {
    if piece.is_empty() {
        return;
    }
    logical.pieces.push((logical.text.len(), source_start));
    logical.text.push_str(piece);
}

/// BuildKit's continuation test, `([^E])E[ \t]*$|^E[ \t]*$`: returns the length of the text
/// to keep and whether the line continues.
fn trim_continuation(line: &str, escape: char) -> (usize, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(escape) else {
        return (line.len(), false);
    };
    if before.is_empty() || !before.ends_with(escape) {
        (before.len(), true)
    } else {
        (line.len(), false)
    }
}

/// `# key=value` in the prologue, for a known key. `offset` is the line's source offset.
fn directive_of(content: &str, offset: usize) -> Option<(DirectiveKind, Word, Word)> {
    let trimmed = content.trim_start_matches(is_space);
    let after_hash = trimmed.strip_prefix('#')?;
    let body = after_hash.trim_start_matches(is_space);
    let body_start = offset + content.len() - body.len();
    // ^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.+?)\s*$
    let key_len = body
        .char_indices()
        .take_while(|&(i, c)| {
            if i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if key_len == 0 {
        return None;
    }
    let key = &body[..key_len];
    let after_key = body[key_len..].trim_start_matches(is_space);
    let after_eq = after_key.strip_prefix('=')?;
    let value_full = after_eq.trim_start_matches(is_space);
    let value = value_full.trim_end_matches(is_space);
    if value.is_empty() {
        return None;
    }
    let kind = match key.to_ascii_lowercase().as_str() {
        "syntax" => DirectiveKind::Syntax,
        "escape" => DirectiveKind::Escape,
        "check" => DirectiveKind::Check,
        _ => return None,
    };
    let value_start = offset + content.len() - value_full.len();
    Some((
        kind,
        Word {
            text: key.to_string(),
            span: Span::new(body_start, body_start + key_len),
        },
        Word {
            text: value.to_string(),
            span: Span::new(value_start, value_start + value.len()),
        },
    ))
}

/// How many ONBUILDs may nest. BuildKit's parser nests them without end, but its next
/// layer refuses any chain (`onbuild-chain`), so real files have one level. The limit
/// bounds the recursion (a file of nothing but `ONBUILD ` would otherwise overflow the
/// stack) and the copies of the line each level makes.
pub const MAX_ONBUILD_NESTING: usize = 8;

/// Build the instruction from its logical line: BuildKit's `newNodeFromLine`. `depth` is
/// the number of ONBUILDs around it.
fn build_instruction(
    logical: LogicalLine,
    escape: char,
    errors: &mut Errors,
    depth: usize,
) -> Instruction {
    let mut instruction = read_instruction(&logical, escape, errors, depth);
    // Moved, not cloned: one logical line per instruction is allocated once.
    instruction.logical = logical;
    instruction
}

fn read_instruction(
    logical: &LogicalLine,
    escape: char,
    errors: &mut Errors,
    depth: usize,
) -> Instruction {
    let text = logical.text.as_str();
    // splitCommand: TrimSpace, then split once on reWhitespace.
    let lo = text.len() - text.trim_start_matches(is_space).len();
    let hi = text.trim_end_matches(is_space).len().max(lo);
    let keyword_end = text[lo..hi].find(is_word_sep).map_or(hi, |i| lo + i);
    let keyword_text = &text[lo..keyword_end];
    let keyword = Keyword::from_word(keyword_text);
    let keyword_word = Word {
        text: keyword_text.to_string(),
        span: logical.span_of(lo, keyword_end),
    };
    let rest_start = keyword_end
        + (text[keyword_end..hi].len()
            - text[keyword_end..hi].trim_start_matches(is_word_sep).len());

    let mut instruction = Instruction {
        span: Span::default(),
        keyword,
        keyword_word,
        flags: Vec::new(),
        args: Args::Empty,
        heredocs: Vec::new(),
        logical: LogicalLine::default(),
        inner_trivia: Vec::new(),
        line_span: Span::default(),
    };
    if rest_start >= hi {
        if keyword == Keyword::Unknown {
            errors.push_with(|| unknown_instruction(&instruction));
        }
        return instruction;
    }
    let (flags, args_start) = extract_flags(logical, rest_start, hi);
    instruction.flags = flags;
    let ctx = ArgsContext {
        logical,
        escape,
        start: args_start,
        end: hi,
    };
    match keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => {
            instruction.args = ctx.maybe_json_to_list(errors);
        }
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            instruction.args = ctx.maybe_json(errors);
        }
        Keyword::Arg => instruction.args = ctx.arg_decls(),
        Keyword::Env | Keyword::Label => instruction.args = ctx.pairs(keyword, errors),
        Keyword::Expose | Keyword::From => instruction.args = ctx.whitespace_list(),
        Keyword::Healthcheck => instruction.args = ctx.healthcheck(errors),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            instruction.args = ctx.string();
        }
        Keyword::Onbuild if args_start < hi => {
            if depth >= MAX_ONBUILD_NESTING {
                // Keep the rest as text: it still tiles, and nothing deeper is built.
                errors.push(SyntaxError {
                    span: logical.span_of(args_start, hi),
                    code: "nesting-too-deep",
                    message: format!(
                        "ONBUILD nested more than {MAX_ONBUILD_NESTING} levels deep; \
                         dfslim stops reading the nesting here"
                    ),
                    help: Some("an ONBUILD trigger cannot be another ONBUILD".into()),
                });
                instruction.args = ctx.string();
                return instruction;
            }
            let sub = logical.suffix(args_start, hi);
            let span = sub.span_of(0, sub.text.len());
            let mut trigger = build_instruction(sub, escape, errors, depth + 1);
            trigger.line_span = span;
            trigger.span = trigger.line_span;
            if depth == 0 {
                // BuildKit's instruction layer: reported once, for the outermost ONBUILD.
                if let Some(error) = forbidden_trigger(&trigger) {
                    errors.push(error);
                }
            }
            instruction.args = Args::Onbuild {
                trigger: Box::new(trigger),
            };
        }
        Keyword::Onbuild => {}
        Keyword::Unknown => {
            instruction.args = ctx.string();
            errors.push_with(|| unknown_instruction(&instruction));
        }
    }
    instruction
}

/// The instruction-layer error of one instruction, in BuildKit's words, if any.
/// The flags an instruction takes, as its `parse*` function in BuildKit's
/// `instructions/parse.go` (and the RUN hooks of `commands_run*.go`) declares them: the
/// name, and its type (`BFlags`). `None` for an instruction whose flags BuildKit never
/// parses, so never refuses (ARG, STOPSIGNAL, `HEALTHCHECK NONE`).
fn flags_taken(instruction: &Instruction) -> Option<&'static [(&'static str, FlagType)]> {
    use FlagType::{Bool, Repeated, Value};
    Some(match instruction.keyword {
        Keyword::From => &[("platform", Value)],
        Keyword::Run => &[
            ("mount", Repeated),
            ("network", Value),
            ("security", Value),
            ("device", Repeated),
        ],
        Keyword::Copy => &[
            ("chown", Value),
            ("from", Value),
            ("chmod", Value),
            ("link", Bool),
            ("exclude", Repeated),
            ("parents", Bool),
        ],
        Keyword::Add => &[
            ("chown", Value),
            ("chmod", Value),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Value),
            ("unpack", Bool),
            ("exclude", Repeated),
        ],
        Keyword::Healthcheck => match &instruction.args {
            Args::Healthcheck { kind, .. } if kind.text.eq_ignore_ascii_case("none") => {
                return None;
            }
            _ => &[
                ("interval", Value),
                ("timeout", Value),
                ("start-period", Value),
                ("start-interval", Value),
                ("retries", Value),
            ],
        },
        Keyword::Arg | Keyword::Stopsignal | Keyword::Unknown => return None,
        _ => &[],
    })
}

/// A flag's type in BuildKit's `BFlags`: a boolean (`--link`, `--link=false`), a string
/// given once (`--from=build`), or strings that may repeat (`--mount=…`).
#[derive(Copy, Clone, PartialEq)]
enum FlagType {
    Bool,
    Value,
    Repeated,
}

/// BuildKit's `BFlags.Parse` on an instruction's flags: the first flag it refuses, with
/// its message (an unknown flag, one given twice that does not repeat, a string flag
/// without a value, a boolean with another value than true or false).
fn flag_error(instruction: &Instruction) -> Option<SyntaxError> {
    let taken = flags_taken(instruction)?;
    let mut used: Vec<&str> = Vec::new();
    for flag in &instruction.flags {
        // `BFlags.Parse` cuts the processed word at its first `=`.
        let written = flag.processed.split('=').next().unwrap_or_default();
        let error = |code: &'static str, message: String, help: String| SyntaxError {
            span: flag.span,
            code,
            message,
            help: Some(help),
        };
        let Some(&(name, kind)) = taken.iter().find(|(name, _)| *name == flag.name) else {
            let keyword = instruction.keyword.as_str();
            let help = match taken
                .iter()
                .min_by_key(|(name, _)| edit_distance(&flag.name, name))
            {
                None => format!("{keyword} takes no flags"),
                Some((name, _)) if edit_distance(&flag.name, name) <= 2 => {
                    format!("did you mean --{name}?")
                }
                Some(_) => {
                    let names: Vec<String> =
                        taken.iter().map(|(name, _)| format!("--{name}")).collect();
                    format!("{keyword} takes {}", names.join(", "))
                }
            };
            return Some(error(
                "unknown-flag",
                format!("unknown flag: {written}"),
                help,
            ));
        };
        if used.contains(&name) && kind != FlagType::Repeated {
            return Some(error(
                "duplicate-flag",
                format!("duplicate flag specified: {written}"),
                format!("give --{name} once"),
            ));
        }
        used.push(name);
        match (kind, flag.value.as_deref()) {
            (FlagType::Bool, Some("")) | (FlagType::Value | FlagType::Repeated, None) => {
                return Some(error(
                    "flag-value",
                    format!("missing a value on flag: {written}"),
                    format!("write --{name}=VALUE"),
                ));
            }
            (FlagType::Bool, Some(value))
                if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") =>
            {
                return Some(error(
                    "flag-value",
                    format!("expecting boolean value for flag {written}, not: {value}"),
                    format!("write --{name}, --{name}=true or --{name}=false"),
                ));
            }
            _ => {}
        }
    }
    None
}

fn argument_error(src: &str, instruction: &Instruction) -> Option<(&'static str, String, String)> {
    let keyword = instruction.keyword;
    let name = keyword.as_str();
    let count = match &instruction.args {
        Args::Empty => 0,
        Args::Exec { elements, .. } => elements.len(),
        Args::Words { words } => words.len(),
        Args::Pairs { pairs } => pairs.len(),
        Args::ArgDecls { decls } => decls.len(),
        Args::Shell { .. }
        | Args::Text { .. }
        | Args::Healthcheck { .. }
        | Args::Onbuild { .. } => 1,
    };
    // `ENV PATH` is already an error of its own (`env-no-value`).
    let rest = &src[instruction.keyword_word.span.end..instruction.line_span.end];
    if matches!(keyword, Keyword::Env | Keyword::Label) && !rest.trim().is_empty() {
        return None;
    }
    match keyword {
        Keyword::Expose
        | Keyword::Volume
        | Keyword::Env
        | Keyword::Label
        | Keyword::Arg
        | Keyword::Healthcheck
        | Keyword::Onbuild
        | Keyword::Shell
            if count == 0 =>
        {
            Some((
                "missing-argument",
                format!("{name} requires at least one argument"),
                format!("give {name} its argument, or delete the line"),
            ))
        }
        Keyword::Workdir | Keyword::User | Keyword::Stopsignal | Keyword::Maintainer
            if count == 0 =>
        {
            Some((
                "missing-argument",
                format!("{name} requires exactly one argument"),
                format!("give {name} its argument, or delete the line"),
            ))
        }
        Keyword::Copy | Keyword::Add if count < 2 => Some((
            "missing-destination",
            format!(
                "{name} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
            format!("write `{name} <source>... <destination>`"),
        )),
        Keyword::Shell if matches!(instruction.args, Args::Shell { .. }) => Some((
            "shell-not-json",
            "SHELL requires the arguments to be in JSON form".into(),
            "write SHELL [\"/bin/sh\", \"-c\"]".into(),
        )),
        Keyword::Volume => match &instruction.args {
            Args::Exec { elements, .. } if elements.iter().any(|e| e.text.trim().is_empty()) => {
                Some((
                    "empty-volume",
                    "VOLUME specified can not be an empty string".into(),
                    "name the folder the volume mounts on".into(),
                ))
            }
            _ => None,
        },
        _ => None,
    }
}

/// BuildKit's `parseOnBuild`: a trigger cannot be ONBUILD, FROM or MAINTAINER.
fn forbidden_trigger(trigger: &Instruction) -> Option<SyntaxError> {
    let (code, message) = match trigger.keyword {
        Keyword::Onbuild => (
            "onbuild-chain",
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
        ),
        Keyword::From | Keyword::Maintainer => (
            "onbuild-trigger",
            format!(
                "{} isn't allowed as an ONBUILD trigger",
                trigger.keyword.as_str()
            ),
        ),
        _ => return None,
    };
    Some(SyntaxError {
        span: trigger.keyword_word.span,
        code,
        message,
        help: Some(
            "an ONBUILD trigger can be any instruction but ONBUILD, FROM and MAINTAINER".into(),
        ),
    })
}

fn unknown_instruction(instruction: &Instruction) -> SyntaxError {
    let word = &instruction.keyword_word.text;
    if word.is_empty() {
        return SyntaxError {
            span: instruction.keyword_word.span,
            code: "unknown-instruction",
            message: "empty instruction: a line continuation with nothing after it".into(),
            help: Some("remove the escape character at the end of the file".into()),
        };
    }
    let upper = word.to_ascii_uppercase();
    let suggestion = Keyword::ALL
        .into_iter()
        .map(|k| (edit_distance(&upper, k.as_str()), k))
        .min_by_key(|&(d, _)| d)
        .filter(|&(d, _)| d <= 2)
        .map(|(_, k)| k);
    SyntaxError {
        span: instruction.keyword_word.span,
        code: "unknown-instruction",
        message: format!("unknown instruction: {word}"),
        help: Some(match suggestion {
            Some(k) => format!("did you mean {}?", k.as_str()),
            None => "BuildKit will refuse this instruction".to_string(),
        }),
    }
}

/// Levenshtein distance over characters: how far a misspelt word is from a known one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// BuildKit's `extractBuilderFlags`: leading `--` words. Returns the flags and the logical
/// offset where the arguments begin.
fn extract_flags(
    logical: &LogicalLine,
    start: usize,
    end: usize,
) -> (Vec<super::ast::Flag>, usize) {
    let text = &logical.text[..end];
    let mut flags = Vec::new();
    let mut pos = start;
    loop {
        // inSpaces
        let rest = &text[pos..];
        let skipped = rest.len() - rest.trim_start_matches(is_space).len();
        pos += skipped;
        if pos >= end {
            return (flags, end);
        }
        if !text[pos..].starts_with("--") {
            return (flags, pos);
        }
        // inWord / inQuote: the flag word, with quotes removed and `\` escapes applied.
        let word_start = pos;
        let mut word = String::new();
        let mut quote: Option<char> = None;
        let mut chars = text[pos..].char_indices().peekable();
        let mut word_end = end;
        while let Some((i, c)) = chars.next() {
            match quote {
                None if is_space(c) => {
                    word_end = pos + i;
                    break;
                }
                None if c == '\'' || c == '"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ if c == '\\' => {
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    } else {
                        quote = None;
                    }
                }
                _ => word.push(c),
            }
        }
        pos = word_end;
        if word == "--" {
            // A bare `--` ends the flags; the arguments start at the next word.
            let rest = &text[pos..];
            return (
                flags,
                pos + rest.len() - rest.trim_start_matches(is_space).len(),
            );
        }
        let body = word.strip_prefix("--").unwrap_or(&word);
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (body.to_string(), None),
        };
        flags.push(super::ast::Flag {
            span: logical.span_of(word_start, word_end),
            processed: word,
            name,
            value,
        });
        if pos >= end {
            return (flags, end);
        }
    }
}

/// Where an instruction's arguments lie in its logical line, for the per-keyword parsers.
struct ArgsContext<'l> {
    logical: &'l LogicalLine,
    escape: char,
    start: usize,
    end: usize,
}

impl ArgsContext<'_> {
    fn rest(&self) -> &str {
        &self.logical.text[self.start..self.end]
    }

    fn word(&self, start: usize, end: usize) -> Word {
        Word {
            text: self.logical.text[start..end].to_string(),
            span: self.logical.span_of(start, end),
        }
    }

    fn string(&self) -> Args {
        if self.start >= self.end {
            return Args::Empty;
        }
        Args::Text {
            text: self.word(self.start, self.end),
        }
    }

    /// `parseStringsWhitespaceDelimited`: split on `[\t\v\f\r ]+`.
    fn whitespace_list(&self) -> Args {
        if self.start >= self.end {
            return Args::Empty;
        }
        let rest = self.rest();
        let mut words = Vec::new();
        let mut word_start = 0;
        let mut in_sep = false;
        for (i, c) in rest.char_indices() {
            if is_word_sep(c) {
                if !in_sep {
                    words.push(self.word(self.start + word_start, self.start + i));
                    in_sep = true;
                }
            } else if in_sep {
                word_start = i;
                in_sep = false;
            }
        }
        words.push(self.word(self.start + word_start, self.start + rest.len()));
        Args::Words { words }
    }

    fn exec(&self, errors: &mut Errors) -> Option<Args> {
        match json::scan(self.rest()) {
            ExecForm::Strings {
                elements,
                start,
                end,
            } => Some(Args::Exec {
                elements: elements
                    .into_iter()
                    .map(|e| Word {
                        text: e.value,
                        span: self
                            .logical
                            .span_of(self.start + e.start, self.start + e.end),
                    })
                    .collect(),
                span: self.logical.span_of(self.start + start, self.start + end),
            }),
            ExecForm::NotStrings => {
                errors.push(SyntaxError {
                    span: self.logical.span_of(self.start, self.end),
                    code: "json-non-string",
                    message:
                        "when using JSON array syntax, arrays must be comprised of strings only"
                            .into(),
                    help: Some("quote every element of the array: [\"a\", \"1\"]".into()),
                });
                Some(Args::Empty)
            }
            ExecForm::NotJson => None,
        }
    }

    /// `parseMaybeJSON`: exec form, or the rest as one shell string.
    fn maybe_json(&self, errors: &mut Errors) -> Args {
        if self.start >= self.end {
            return Args::Empty;
        }
        self.exec(errors).unwrap_or_else(|| Args::Shell {
            text: self.word(self.start, self.end),
        })
    }

    /// `parseMaybeJSONToList`: exec form, or a whitespace list.
    fn maybe_json_to_list(&self, errors: &mut Errors) -> Args {
        if self.start >= self.end {
            return Args::Empty;
        }
        self.exec(errors).unwrap_or_else(|| self.whitespace_list())
    }

    /// BuildKit's `parseWords`: quote-aware words, quotes and escapes kept in the text.
    /// Returns logical `(start, end)` pairs.
    fn quoted_words(&self) -> Vec<(usize, usize)> {
        let rest = self.rest();
        let escape = self.escape;
        let mut words = Vec::new();
        let mut chars = rest.char_indices().peekable();
        while let Some(&(i, c)) = chars.peek() {
            if is_space(c) {
                chars.next();
                continue;
            }
            let word_start = i;
            let mut word_end = rest.len();
            let mut quote: Option<char> = None;
            while let Some((j, c)) = chars.next() {
                match quote {
                    None if is_space(c) => {
                        word_end = j;
                        break;
                    }
                    None if c == '\'' || c == '"' => quote = Some(c),
                    Some(q) if c == q => quote = None,
                    _ if c == escape && quote != Some('\'') => {
                        if chars.peek().is_none() {
                            // An escape at the very end is dropped.
                            word_end = j;
                            break;
                        }
                        chars.next();
                    }
                    _ => {}
                }
            }
            if word_end > word_start {
                words.push((self.start + word_start, self.start + word_end));
            }
        }
        words
    }

    fn arg_decls(&self) -> Args {
        let decls: Vec<ArgDecl> = self
            .quoted_words()
            .into_iter()
            .map(|(s, e)| {
                let text = &self.logical.text[s..e];
                match text.find('=') {
                    Some(eq) => ArgDecl {
                        name: self.word(s, s + eq),
                        default: Some(self.word(s + eq + 1, e)),
                    },
                    None => ArgDecl {
                        name: self.word(s, e),
                        default: None,
                    },
                }
            })
            .collect();
        if decls.is_empty() {
            Args::Empty
        } else {
            Args::ArgDecls { decls }
        }
    }

    /// `parseNameVal` for ENV and LABEL.
    fn pairs(&self, keyword: Keyword, errors: &mut Errors) -> Args {
        let words = self.quoted_words();
        let Some(&(first_start, first_end)) = words.first() else {
            return Args::Empty;
        };
        if !self.logical.text[first_start..first_end].contains('=') {
            // The legacy `KEY value…` form: the whole remainder is the value.
            let rest = self.rest();
            let Some(sep) = rest.find(is_word_sep) else {
                errors.push(SyntaxError {
                    span: self.logical.span_of(self.start, self.end),
                    code: "env-no-value",
                    message: format!("{} must have two arguments", keyword.as_str()),
                    help: Some(format!("write {} {}=value", keyword.as_str(), rest.trim())),
                });
                return Args::Empty;
            };
            let value_start = self.start
                + sep
                + (rest[sep..].len() - rest[sep..].trim_start_matches(is_word_sep).len());
            return Args::Pairs {
                pairs: vec![Pair {
                    key: self.word(self.start, self.start + sep),
                    value: self.word(value_start, self.end),
                    equals: false,
                }],
            };
        }
        let mut pairs = Vec::new();
        for (s, e) in words {
            let text = &self.logical.text[s..e];
            let Some(eq) = text.find('=') else {
                errors.push(SyntaxError {
                    span: self.logical.span_of(s, e),
                    code: "missing-equals",
                    message: format!(
                        "Syntax error - can't find = in \"{text}\". Must be of the form: name=value"
                    ),
                    help: Some("every word must be name=value once the first one is".into()),
                });
                continue;
            };
            pairs.push(Pair {
                key: self.word(s, s + eq),
                value: self.word(s + eq + 1, e),
                equals: true,
            });
        }
        Args::Pairs { pairs }
    }

    /// `parseHealthConfig`: a type word, then maybe-JSON.
    fn healthcheck(&self, errors: &mut Errors) -> Args {
        let rest = self.rest();
        let sep = rest.find(is_space).unwrap_or(rest.len());
        if sep == 0 {
            return Args::Empty;
        }
        let after = &rest[sep..];
        let next = sep + (after.len() - after.trim_start_matches(is_space).len());
        let kind = self.word(self.start, self.start + sep);
        let command_ctx = ArgsContext {
            logical: self.logical,
            escape: self.escape,
            start: self.start + next,
            end: self.end,
        };
        let command = match command_ctx.maybe_json(errors) {
            Args::Empty => None,
            args => Some(Box::new(args)),
        };
        Args::Healthcheck { kind, command }
    }
}

/// Heredocs are read for RUN, COPY and ADD (also as an ONBUILD trigger), never in exec form.
fn heredocs_possible(instruction: &Instruction) -> bool {
    let target = match &instruction.args {
        Args::Onbuild { trigger } => trigger,
        _ => instruction,
    };
    target.keyword.allows_heredoc() && !matches!(target.args, Args::Exec { .. })
}

/// The heredoc openers on the logical line, in order. Words are lexed as BuildKit's
/// `heredocsFromLine` does: whitespace-split, quotes kept, `\` always the escape.
fn heredoc_openers(logical: &LogicalLine) -> Vec<Heredoc> {
    let text = logical.text.as_str();
    // BuildKit ignores the splitter's error on an unclosed quote and gets no words at all,
    // so such a line opens no heredoc.
    let Some(words) = raw_shell_words(text) else {
        return Vec::new();
    };
    let mut heredocs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (s, e) = words[i];
        let word = &text[s..e];
        i += 1;
        let Some((fd, chomp, delimiter)) = opener_parts(word) else {
            continue;
        };
        let (delimiter, opener_end) = if delimiter.is_empty() {
            // `<< EOF`: blanks right after `<<` are allowed since dockerfile/1.16; the
            // splitter joins them only there, so `<<- EOF` opens nothing.
            if chomp || word.ends_with(char::is_whitespace) {
                continue;
            }
            match words.get(i) {
                Some(&(ns, ne)) if !text[ns..ne].contains('<') => {
                    i += 1;
                    (&text[ns..ne], ne)
                }
                _ => continue,
            }
        } else {
            (delimiter, e)
        };
        let Some((name, expand)) = heredoc_name(delimiter) else {
            continue;
        };
        heredocs.push(Heredoc {
            name,
            expand,
            chomp,
            fd,
            opener: logical.span_of(s, opener_end),
            body: Span::default(),
            terminator: Span::default(),
            content: String::new(),
        });
    }
    heredocs
}

/// `^(\d*)<<(-?)\s*([^<]*)$` → (fd, chomp, delimiter text).
fn opener_parts(word: &str) -> Option<(Option<u32>, bool, &str)> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = word[digits..].strip_prefix("<<")?;
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let delimiter = after.trim_start();
    if delimiter.contains('<') {
        return None;
    }
    let fd = if digits > 0 {
        word[..digits].parse().ok()
    } else {
        None
    };
    Some((fd, chomp, delimiter))
}

/// The delimiter after quote removal, and whether the body expands (no part was quoted).
fn heredoc_name(raw: &str) -> Option<(String, bool)> {
    let mut name = String::new();
    let mut quoted = false;
    let mut quote: Option<char> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match quote {
            None if c.is_whitespace() => return None,
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                quoted = true;
            }
            Some(q) if c == q => quote = None,
            Some('\'') => name.push(c),
            _ if c == '\\' => name.push(chars.next()?),
            _ => name.push(c),
        }
    }
    if name.is_empty() {
        return None;
    }
    Some((name, !quoted))
}

/// Whitespace-separated words with quotes kept raw, `\` escaping the next character;
/// `None` when a quote is left open.
fn raw_shell_words(text: &str) -> Option<Vec<(usize, usize)>> {
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let start = i;
        let mut end = text.len();
        let mut quote: Option<char> = None;
        while let Some((j, c)) = chars.next() {
            match quote {
                None if c.is_whitespace() => {
                    end = j;
                    break;
                }
                None if c == '\'' || c == '"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                Some('\'') => {}
                _ if c == '\\' => {
                    chars.next();
                }
                _ => {}
            }
        }
        if quote.is_some() {
            return None;
        }
        words.push((start, end));
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<&'static str> {
        parse(src)
            .items
            .iter()
            .map(|i| match i {
                Item::Bom { .. } => "bom",
                Item::Directive(_) => "directive",
                Item::Comment(_) => "comment",
                Item::Blank { .. } => "blank",
                Item::Instruction(_) => "instruction",
                Item::Skipped { .. } => "skipped",
            })
            .collect()
    }

    fn tiles(src: &str) {
        let df = parse(src);
        let mut pos = 0;
        for item in &df.items {
            assert_eq!(item.span().start, pos, "gap before {item:?}");
            pos = item.span().end;
        }
        assert_eq!(pos, src.len());
    }

    #[test]
    fn stage_names_as_buildkit_takes_them() {
        for good in ["build", "Build", "a", "b2", "x-y_z.1"] {
            assert_eq!(stage_name_error(good), None, "{good}");
        }
        for bad in ["", "2b", "-a", "a b", "a!", "b\x1b[31mx", "é", "a\u{202e}"] {
            assert!(stage_name_error(bad).is_some(), "{bad:?}");
        }
        assert_eq!(
            stage_name_error("b\x1bx").unwrap(),
            "invalid name for build stage: \"b\\x1bx\", name can't start with a number or contain symbols"
        );
        assert!(stage_name_error("Scratch").unwrap().contains("reserved"));
        assert!(stage_name_error("context").unwrap().contains("reserved"));
    }

    #[test]
    fn continuation_rule() {
        assert_eq!(trim_continuation("a \\", '\\'), (2, true));
        assert_eq!(trim_continuation("a \\  \t", '\\'), (2, true));
        assert_eq!(trim_continuation("\\", '\\'), (0, true));
        assert_eq!(trim_continuation("a\\\\", '\\'), (3, false));
        assert_eq!(trim_continuation("a\\\\\\", '\\'), (4, false));
        assert_eq!(trim_continuation("a `", '`'), (2, true));
        assert_eq!(trim_continuation("a \\", '`'), (3, false));
    }

    #[test]
    fn items_tile_the_input() {
        for src in [
            "",
            "FROM a",
            "\u{feff}# escape=`\nFROM a\r\nRUN x `\n  # c\n\n  y\n",
            "FROM a\nRUN <<EOF\nbody\nEOF\n# c\n\n",
            "FROM a\nRUN <<EOF\nbody",
        ] {
            tiles(src);
        }
    }

    /// BuildKit's limit as `bufio.Scanner` applies it: 65,535 bytes before the `\n`, with
    /// or without one, a `\r` and a leading BOM included. The last line without a `\n` and
    /// the BOM were each one byte too lenient before.
    #[test]
    fn line_length_limit_is_buildkits() {
        let x = |n: usize| "x".repeat(n);
        let too_long = |src: String| {
            let df = parse(&src);
            tiles(&src);
            df.errors.iter().any(|e| e.code == "line-too-long")
        };
        let max = MAX_LINE_BYTES - 1;
        assert!(!too_long(format!("FROM a\n#{}\n", x(max - 1))));
        assert!(too_long(format!("FROM a\n#{}\n", x(max))));
        assert!(!too_long(format!("FROM a\n#{}", x(max - 1))));
        assert!(too_long(format!("FROM a\n#{}", x(max))));
        assert!(!too_long(format!("FROM a\r\n#{}\r\n", x(max - 2))));
        assert!(too_long(format!("FROM a\r\n#{}\r\n", x(max - 1))));
        assert!(!too_long(format!("\u{feff}#{}\nFROM a\n", x(max - 4))));
        assert!(too_long(format!("\u{feff}#{}\nFROM a\n", x(max - 3))));
        let df = parse(&format!("FROM a\nRUN {}\n", x(max)));
        let error = &df.errors[0];
        assert_eq!(
            error.message,
            "line is 65539 bytes long, over BuildKit's limit of 65535 bytes"
        );
        assert_eq!(error.span, Span::new(7, 7 + 65539));
    }

    #[test]
    fn directives_only_in_prologue() {
        assert_eq!(
            kinds("# syntax=x\n# escape=`\nFROM a\n# escape=\\\n"),
            ["directive", "directive", "instruction", "comment"]
        );
        assert_eq!(
            kinds("# hello\n# escape=`\nFROM a\n"),
            ["comment", "comment", "instruction"]
        );
        assert_eq!(parse("# escape=`\nFROM a\n").escape, '`');
        let df = parse("# escape=x\nFROM a\n");
        assert_eq!(df.errors[0].code, "bad-escape");
        let df = parse("# escape=`\n# escape=`\nFROM a\n");
        assert_eq!(df.errors[0].code, "duplicate-directive");
    }

    #[test]
    fn words_keep_spans() {
        let src = "FROM a\nCOPY --from=build \\\n  /src /dst\n";
        let df = parse(src);
        let copy = df.instructions().nth(1).unwrap();
        assert_eq!(copy.flags[0].name, "from");
        assert_eq!(copy.flags[0].value.as_deref(), Some("build"));
        assert_eq!(copy.flags[0].span.slice(src), "--from=build");
        let Args::Words { words } = &copy.args else {
            panic!()
        };
        assert_eq!(words[0].span.slice(src), "/src");
        assert_eq!(words[1].span.slice(src), "/dst");
        assert_eq!(copy.line_range(src), (2, 3));
    }

    #[test]
    fn onbuild_trigger_is_an_instruction() {
        let src = "FROM a\nONBUILD RUN echo hi\n";
        let df = parse(src);
        let onbuild = df.instructions().nth(1).unwrap();
        let Args::Onbuild { trigger } = &onbuild.args else {
            panic!()
        };
        assert_eq!(trigger.keyword, Keyword::Run);
        assert_eq!(trigger.span.slice(src), "RUN echo hi");
    }

    /// BuildKit's instruction layer: what its parser layer accepts and a build rejects.
    #[test]
    fn instructions_take_their_arguments() {
        for (src, code, message) in [
            (
                "FROM a\nEXPOSE\n",
                "missing-argument",
                "EXPOSE requires at least one argument",
            ),
            (
                "FROM a\nVOLUME []\n",
                "missing-argument",
                "VOLUME requires at least one argument",
            ),
            (
                "FROM a\nHEALTHCHECK\n",
                "missing-argument",
                "HEALTHCHECK requires at least one argument",
            ),
            (
                "FROM a\nLABEL\n",
                "missing-argument",
                "LABEL requires at least one argument",
            ),
            (
                "FROM a\nUSER \n",
                "missing-argument",
                "USER requires exactly one argument",
            ),
            (
                "FROM a\nWORKDIR\n",
                "missing-argument",
                "WORKDIR requires exactly one argument",
            ),
            (
                "FROM a\nCOPY a\n",
                "missing-destination",
                "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            (
                "FROM a\nADD [\"a\"]\n",
                "missing-destination",
                "ADD requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            (
                "FROM a\nSHELL /bin/sh -c\n",
                "shell-not-json",
                "SHELL requires the arguments to be in JSON form",
            ),
            (
                "FROM a\nVOLUME [\"/a\", \" \"]\n",
                "empty-volume",
                "VOLUME specified can not be an empty string",
            ),
        ] {
            let df = parse(src);
            assert_eq!(codes(&df), [code], "{src:?}");
            assert_eq!(df.errors[0].message, message, "{src:?}");
        }
        for src in [
            "FROM a\nEXPOSE 80\nVOLUME /data\nUSER a b\nCOPY <<EOF /x\nhi\nEOF\n",
            "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nCMD\nRUN\n",
        ] {
            assert_eq!(codes(&parse(src)), Vec::<&str>::new(), "{src:?}");
        }
        // `ENV PATH` is one error, its own.
        assert_eq!(codes(&parse("FROM a\nENV PATH\n")), ["env-no-value"]);
    }

    /// BuildKit's `parseBuildStageName` and duplicate-name check, in its words.
    #[test]
    fn from_takes_one_or_three_arguments_and_names_are_unique() {
        for src in [
            "FROM\n",
            "FROM a b\n",
            "FROM a b c\n",
            "FROM a AS\n",
            "FROM a AS b c\n",
        ] {
            let df = parse(src);
            assert_eq!(codes(&df), ["from-arguments"], "{src:?}");
            assert_eq!(
                df.errors[0].message,
                "FROM requires either one or three arguments"
            );
        }
        for src in [
            "FROM a\n",
            "FROM a AS b\n",
            "FROM a as b\nFROM b AS c\n",
            "FROM --platform=x a AS b\n",
        ] {
            assert_eq!(codes(&parse(src)), Vec::<&str>::new(), "{src:?}");
        }
        let src = "FROM a AS build\nFROM b AS other\nFROM c AS Build\n";
        let df = parse(src);
        assert_eq!(codes(&df), ["duplicate-stage-name"]);
        assert_eq!(df.errors[0].message, "duplicate stage name \"build\"");
        assert_eq!(df.errors[0].span.slice(src), "Build");
    }

    fn codes(df: &Dockerfile) -> Vec<&'static str> {
        df.errors.iter().map(|e| e.code).collect()
    }

    /// ONBUILDs nested in one instruction, and the innermost trigger's keyword.
    fn nesting(instruction: &Instruction) -> (usize, Keyword) {
        match &instruction.args {
            Args::Onbuild { trigger } => {
                let (n, k) = nesting(trigger);
                (n + 1, k)
            }
            _ => (0, instruction.keyword),
        }
    }

    #[test]
    fn onbuild_nesting_is_bounded() {
        let at_limit = format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(MAX_ONBUILD_NESTING));
        let df = parse(&at_limit);
        assert_eq!(codes(&df), ["onbuild-chain"]);
        let onbuild = df.instructions().nth(1).unwrap();
        assert_eq!(nesting(onbuild), (MAX_ONBUILD_NESTING, Keyword::Run));

        // Thousands deep used to overflow the stack (and copy the line at every level).
        let deep = format!("FROM a\n{}RUN x\n", "ONBUILD \\\n".repeat(100_000));
        tiles(&deep);
        let df = parse(&deep);
        assert_eq!(codes(&df), ["nesting-too-deep", "onbuild-chain"]);
        let onbuild = df.instructions().nth(1).unwrap();
        assert_eq!(nesting(onbuild), (MAX_ONBUILD_NESTING, Keyword::Onbuild));
        let error = &df.errors[0];
        assert_eq!(error.span.start, 7 + 10 * (MAX_ONBUILD_NESTING + 1));
        assert_eq!(error.span.end, deep.len() - 1);
    }

    /// BuildKit's instruction layer refuses these triggers; its parser still nests them.
    #[test]
    fn forbidden_onbuild_triggers_are_reported() {
        let src = "FROM a\nONBUILD ONBUILD RUN x\nONBUILD FROM b\nonbuild maintainer me\n\
                   ONBUILD RUN ok\nONBUILD ONBUILD FROM c\n";
        let df = parse(src);
        assert_eq!(
            codes(&df),
            [
                "onbuild-chain",
                "onbuild-trigger",
                "onbuild-trigger",
                "onbuild-chain"
            ]
        );
        assert_eq!(df.errors[0].span.slice(src), "ONBUILD");
        assert_eq!(df.errors[0].span.start, 15);
        assert_eq!(
            df.errors[1].message,
            "FROM isn't allowed as an ONBUILD trigger"
        );
        assert_eq!(
            df.errors[2].message,
            "MAINTAINER isn't allowed as an ONBUILD trigger"
        );
        assert!(
            crate::syntax::buildkit_dump(&df)
                .starts_with("(from \"a\")\n(onbuild (onbuild (run \"x\")))\n")
        );
    }

    #[test]
    fn errors_are_capped_and_counted() {
        let src = format!("FROM a\n{}", "X\n".repeat(MAX_ERRORS + 500));
        tiles(&src);
        let df = parse(&src);
        assert_eq!(df.instructions().count(), MAX_ERRORS + 501);
        assert_eq!(df.errors.len(), MAX_ERRORS + 1);
        let last = df.errors.last().unwrap();
        assert_eq!(last.code, "too-many-errors");
        assert!(
            last.message.starts_with("500 more errors"),
            "{}",
            last.message
        );
        assert_eq!(last.span, Span::new(7 + 2 * MAX_ERRORS, 7 + 2 * MAX_ERRORS));
    }

    #[test]
    fn heredoc_bodies_belong_to_their_instruction() {
        let src = "FROM a\nCOPY <<A <<-B /d\na\nA\n\tb\n\tB\nRUN x\n";
        let df = parse(src);
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        let copy = df.instructions().nth(1).unwrap();
        assert_eq!(copy.heredocs.len(), 2);
        assert_eq!(copy.heredocs[0].content, "a\n");
        assert_eq!(copy.heredocs[1].content, "\tb\n");
        assert_eq!(copy.heredocs[1].effective_content(), "b\n");
        assert_eq!(copy.span.slice(src), "COPY <<A <<-B /d\na\nA\n\tb\n\tB\n");
    }

    #[test]
    fn unclosed_quotes_and_dash_space_open_no_heredoc() {
        let df = parse("FROM a\nRUN cat <<'FIN\nCMD [\"true\"]\n");
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        assert_eq!(df.instructions().count(), 3);
        let df = parse("FROM a\nRUN cat <<- FIN\nx\n");
        assert!(df.instructions().all(|i| i.heredocs.is_empty()));
        let df = parse("FROM a\nRUN cat << FIN\nx\nFIN\n");
        assert_eq!(df.instructions().nth(1).unwrap().heredocs[0].name, "FIN");
    }

    /// Found by the fuzz harness (fuzz/regressions/lone-escape-at-eof*): a line holding
    /// only the escape character at the end of the file made an instruction with no text,
    /// whose spans could not be mapped back to the source.
    #[test]
    fn lone_escape_at_the_end_is_an_empty_instruction() {
        for src in [
            "USER <<EOF\n\\\t",
            "FROM a\n\\\n",
            "FROM a\n\\\n\\\n# c\n",
            "\\",
        ] {
            tiles(src);
            let df = parse(src);
            let last = df.instructions().last().unwrap();
            assert_eq!(last.keyword, Keyword::Unknown, "{src:?}");
            assert_eq!(last.keyword_word.text, "");
            // `USER` before any FROM has an error of its own (`no-build-stage`).
            let error = df.errors.iter().rfind(|e| e.code == "unknown-instruction");
            assert!(error.unwrap().message.starts_with("empty instruction"));
        }
        let df = parse("FROM a\n\\\n");
        assert_eq!(crate::syntax::buildkit_dump(&df), "(from \"a\")\n(\"\")\n");
    }

    #[test]
    fn unknown_instructions_are_kept_and_reported() {
        let df = parse("FROM a\nFORM b\n");
        assert_eq!(df.instructions().count(), 2);
        assert_eq!(df.errors[0].code, "unknown-instruction");
        assert_eq!(df.errors[0].help.as_deref(), Some("did you mean FROM?"));
    }
}
