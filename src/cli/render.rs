//! Turning errors and findings into text for people: miette's graphical reports with a
//! source snippet and `file:line:col`, and the one-line concise form.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};

use dfslim::syntax::{Span, SyntaxError};

/// A diagnostic ready for miette: message, code, a labelled span (and other labelled places
/// that take part), help, and the source.
#[derive(Debug)]
pub struct Report {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub label: String,
    pub span: Span,
    /// Second places, each with its label (a decline's COPY that brings the binary in).
    pub related: Vec<(Span, String)>,
    pub help: Option<String>,
    pub source: NamedSource<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let main = LabeledSpan::new_with_span(Some(self.label.clone()), self.span);
        let related = self
            .related
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(main).chain(related)))
    }
}

impl Report {
    /// A report whose snippet is an [`excerpt`] of `src`: never more than the lines around
    /// the error, however large the file or long the line.
    pub fn from_syntax_error(name: &str, src: &str, error: &SyntaxError) -> Report {
        let excerpt = excerpt(src, error.span);
        Report {
            code: error.code.to_string(),
            severity: Severity::Error,
            message: error.message.clone(),
            label: "here".to_string(),
            span: excerpt.span,
            related: Vec::new(),
            help: error.help.clone(),
            source: NamedSource::new(name, excerpt.text),
        }
    }

    /// The report with nothing from the input raw: the file name, the message, the help
    /// and the labels [`printable`] (a parse error quotes an unknown keyword, an `# escape=`
    /// value, a heredoc's delimiter; a finding, an image name), the source
    /// [`same_length_visible`] so that the spans still point where they did. Every report
    /// is rendered through here, whoever built it.
    fn printable(&self) -> Report {
        let text = |t: &str| printable(t, false).into_owned();
        Report {
            code: text(&self.code),
            severity: self.severity,
            message: text(&self.message),
            label: text(&self.label),
            span: self.span,
            related: self
                .related
                .iter()
                .map(|(span, label)| (*span, text(label)))
                .collect(),
            help: self.help.as_deref().map(text),
            source: NamedSource::new(
                printable(self.source.name(), false),
                same_length_visible(self.source.inner()),
            ),
        }
    }

    /// The graphical form, with a snippet; colour only when asked for.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        // Rendering into a String cannot fail.
        let _ = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .render_report(&mut out, &self.printable());
        out
    }
}

/// Keep a span inside the text (a decode error may point past a lossy conversion) and on
/// character boundaries.
fn clamp(span: Span, src: &str) -> Span {
    let fix = |mut i: usize| {
        i = i.min(src.len());
        while !src.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    Span::new(fix(span.start), fix(span.end.max(span.start)))
}

/// 1-based line and column (in characters) of a byte offset. For many offsets in one
/// text, [`line_cols`] reads the text once instead of once per offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = clamp(Span::new(offset, offset), src).start;
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// A span as the JSON outputs give it: where it starts and ends, lines and columns from 1
/// (a `check` finding's `location`, a `rewrite` decline's).
pub fn location(src: &str, span: Span) -> serde_json::Value {
    let (line, column) = line_col(src, span.start);
    let (end_line, end_column) = line_col(src, span.end);
    serde_json::json!({"line": line, "column": column, "end_line": end_line, "end_column": end_column})
}

/// 1-based line and column (in characters) of each byte offset, in one pass over `src`
/// however many offsets there are.
pub fn line_cols(src: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![(1, 1); offsets.len()];
    let (mut at, mut line, mut col) = (0, 1, 1);
    for i in order {
        let target = clamp(Span::new(offsets[i], offsets[i]), src).start;
        for c in src[at..target].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        at = target;
        out[i] = (line, col);
    }
    out
}

/// How many characters of a line a snippet shows past the error's start (or past the
/// start of the line, for the lines around it).
const SNIPPET_CHARS: usize = 160;

/// What a report shows of its source, and where the error's span lies in it.
pub struct Excerpt {
    pub text: String,
    pub span: Span,
}

/// The error's line and one line either side, each cut [`SNIPPET_CHARS`] on, with
/// harmful characters replaced ([`visible`]) and the lines before them left empty so that
/// miette still numbers the lines right. The span is moved into this text and kept to its
/// first line. Up to the span's start every line keeps its length in bytes, so miette's
/// `file:line:col` is what it would be for `src`, while a report costs the lines around
/// its error, not a copy of the file (a big file can have a thousand errors).
pub fn excerpt(src: &str, span: Span) -> Excerpt {
    let span = clamp(span, src);
    let line_start = src[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[span.start..]
        .find('\n')
        .map_or(src.len(), |i| span.start + i);
    let line_index = src.as_bytes()[..line_start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let previous = (line_start > 0).then(|| {
        let end = line_start - 1;
        (src[..end].rfind('\n').map_or(0, |i| i + 1), end)
    });
    let next = (line_end < src.len()).then(|| {
        let start = line_end + 1;
        (
            start,
            src[start..].find('\n').map_or(src.len(), |i| start + i),
        )
    });

    let mut text = "\n".repeat(line_index - usize::from(previous.is_some()));
    if let Some((start, end)) = previous {
        push_visible(&mut text, &src[start..end], None);
        text.push('\n');
    }
    let mark = (span.start - line_start, span.end.min(line_end) - line_start);
    let span = push_visible(&mut text, &src[line_start..line_end], Some(mark));
    if let Some((start, end)) = next {
        text.push('\n');
        push_visible(&mut text, &src[start..end], None);
    }
    Excerpt { text, span }
}

/// Append one line (without its `\n`) as a snippet shows it; returns where the `mark`
/// range of the line landed in `out`. The mark's start is always shown: the cut comes
/// [`SNIPPET_CHARS`] after it.
fn push_visible(out: &mut String, line: &str, mark: Option<(usize, usize)>) -> Span {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (mark_start, mark_end) = mark.unwrap_or((0, 0));
    let keep = SNIPPET_CHARS + line[..mark_start.min(line.len())].chars().count();
    let (mut start, mut end) = (None, None);
    for (shown, (i, c)) in line.char_indices().enumerate() {
        if i >= mark_start && start.is_none() {
            start = Some(out.len());
        }
        if i >= mark_end && end.is_none() {
            end = Some(out.len());
        }
        if shown == keep {
            out.push('…');
            break;
        }
        out.push(visible(c));
    }
    let start = start.unwrap_or(out.len());
    Span::new(start, end.unwrap_or(out.len()).max(start))
}

/// Text from an input (a file name, a message quoting the Dockerfile) as it may reach a
/// terminal or a CI log: controls in caret notation (`ESC` → `^[`, `DEL` → `^?`, as `cat -v`
/// and `git diff` show them), other invisible or reordering characters (C1 controls,
/// bidirectional overrides) as `<U+202E>`. A tab stays. Line breaks stay only with
/// `keep_lines`: a file name or a one-line message must not start a line of its own (GitHub
/// would run `::error …` there as a workflow command).
pub fn printable(text: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let harmful = |c: char| match c {
        '\t' => false,
        '\n' => !keep_lines,
        c => visible(c) != c,
    };
    if !text.chars().any(harmful) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !harmful(c) {
            out.push(c);
        } else if (c as u32) < 0x20 {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        } else if c == '\u{7f}' {
            out.push_str("^?");
        } else {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `dfslim: error: TEXT` and a line break, TEXT [`printable`]: the one form of an error
/// line, whatever it quotes (a file name, a config value, a command-line argument).
pub fn error_line(text: &str) -> String {
    format!("dfslim: error: {}\n", printable(text, false))
}

/// A JSON text as it may reach a terminal or a CI log. JSON carries every character but
/// the C0 controls raw, and serde_json writes them so; a bidirectional override (U+202E)
/// would reorder the log's text and a C1 control or DEL may act on a terminal, so those
/// become `\uXXXX` escapes. They can only stand inside strings, where an escape means the
/// same character, so the JSON is the same JSON.
pub fn json_safe(json: &str) -> std::borrow::Cow<'_, str> {
    let harmful = |c: char| c == '\u{7f}' || (!c.is_ascii() && visible(c) != c);
    if !json.chars().any(harmful) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if harmful(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A writer that passes JSON on through [`json_safe`], for JSON serialised as it goes. A
/// character cut between two writes waits for its other bytes.
pub struct JsonSafe<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> JsonSafe<W> {
    pub fn new(inner: W) -> JsonSafe<W> {
        JsonSafe {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for JsonSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let complete = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            // A character whose last bytes are still to come.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 (serde_json writes only UTF-8): passed on as it is.
            Err(_) => self.pending.len(),
        };
        match std::str::from_utf8(&self.pending[..complete]) {
            Ok(text) => self.inner.write_all(json_safe(text).as_bytes())?,
            Err(_) => self.inner.write_all(&self.pending[..complete])?,
        }
        self.pending.drain(..complete);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.inner.write_all(&rest)?;
        self.inner.flush()
    }
}

/// A whole source text for a snippet renderer that keeps its own offsets (miette): every
/// harmful character replaced by a sign of the same UTF-8 length ([`visible`]), line breaks
/// kept, so that spans still point where they did.
pub fn same_length_visible(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' { c } else { visible(c) })
        .collect()
}

/// Characters that would act on a terminal (controls, escape sequences, a lone `\r` that
/// miette would take for a line break, bidirectional overrides) are shown as a sign of the
/// same length in UTF-8, so that columns do not move: `?`, `¿` or `�`.
fn visible(c: char) -> char {
    let harmful = match c {
        '\t' => false,
        c if c.is_control() => true,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            true
        }
        _ => false,
    };
    if !harmful {
        return c;
    }
    match c.len_utf8() {
        1 => '?',
        2 => '¿',
        _ => '\u{fffd}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_shows_controls() {
        assert_eq!(printable("a\x1b[31mb", false), "a^[[31mb");
        assert_eq!(
            printable("x\n::error file=y::z", false),
            "x^J::error file=y::z"
        );
        assert_eq!(printable("two\nlines", true), "two\nlines");
        assert_eq!(printable("rtl\u{202e}txt", false), "rtl<U+202E>txt");
        assert_eq!(printable("tab\tok", false), "tab\tok");
        assert_eq!(same_length_visible("a\x1bb\nc"), "a?b\nc");
    }

    #[test]
    fn json_escapes_bidi_and_c1_controls() {
        let value = serde_json::json!({"a\u{202e}": "x\u{1b}\u{7f}\u{85}\u{2066}é"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json_safe(&text);
        assert_eq!(safe, r#"{"a\u202e":"x\u001b\u007f\u0085\u2066é"}"#);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
        // Written one byte at a time, as a streaming serialiser may.
        let mut streamed = JsonSafe::new(Vec::new());
        for byte in text.as_bytes() {
            std::io::Write::write_all(&mut streamed, &[*byte]).unwrap();
        }
        std::io::Write::flush(&mut streamed).unwrap();
        assert_eq!(String::from_utf8(streamed.inner).unwrap(), safe);
    }

    #[test]
    fn line_and_column() {
        let src = "FROM a\nRUN é x\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 7), (2, 1));
        assert_eq!(line_col(src, 13), (2, 6));
        assert_eq!(line_col(src, 1000), (3, 1));
        let offsets = [13, 0, 1000, 7, 10];
        let one_by_one: Vec<_> = offsets.iter().map(|&o| line_col(src, o)).collect();
        assert_eq!(line_cols(src, &offsets), one_by_one);
    }

    fn shown(src: &str, span: Span) -> (String, String) {
        let e = excerpt(src, span);
        (e.text.clone(), e.span.slice(&e.text).to_string())
    }

    #[test]
    fn excerpts_keep_line_numbers_and_only_nearby_lines() {
        let src = "a\nb\nc\nd\ne\n";
        assert_eq!(
            shown(src, Span::new(4, 5)),
            ("\nb\nc\nd".into(), "c".into())
        );
        assert_eq!(shown(src, Span::new(0, 3)), ("a\nb".into(), "a".into()));
        assert_eq!(
            shown("a\r\nbc\r\n", Span::new(3, 6)),
            ("a\nbc\n".into(), "bc".into())
        );
        assert_eq!(shown("", Span::new(0, 0)), (String::new(), String::new()));
    }

    #[test]
    fn excerpts_cut_long_lines_and_show_controls() {
        let long = format!("RUN {}", "x".repeat(100_000));
        let (text, marked) = shown(&long, Span::new(0, long.len()));
        assert_eq!(text.chars().count(), SNIPPET_CHARS + 1);
        assert!(text.ends_with('…') && marked.ends_with('…'));
        let (text, marked) = shown(&long, Span::new(50_000, 50_001));
        assert_eq!(text.chars().count(), 50_000 + SNIPPET_CHARS + 1);
        assert_eq!(marked, "x");
        let src = "A\u{1b}[2J\u{7}\u{202e}B\rC\u{0}\u{85}";
        let (text, marked) = shown(src, Span::new(9, 10));
        assert_eq!(text, "A?[2J?\u{fffd}B?C?¿");
        assert_eq!(text.len(), src.len());
        assert_eq!(marked, "B");
    }
}
