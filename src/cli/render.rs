//! Turning errors and findings into text for people: miette's graphical reports with a
//! source snippet and `file:line:col`, and the one-line concise form.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};

use dfslim::syntax::{Span, SyntaxError};

/// A diagnostic ready for miette: message, code, one labelled span, help, and the source.
#[derive(Debug)]
pub struct Report {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub label: String,
    pub span: Span,
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
        Some(Box::new(&self.code))
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
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

impl Report {
    pub fn from_syntax_error(name: &str, src: &str, error: &SyntaxError) -> Report {
        Report {
            code: error.code.to_string(),
            severity: Severity::Error,
            message: error.message.clone(),
            label: "here".to_string(),
            span: clamp(error.span, src),
            help: error.help.clone(),
            source: NamedSource::new(name, src.to_string()),
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
            .render_report(&mut out, self);
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

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = clamp(Span::new(offset, offset), src).start;
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let src = "FROM a\nRUN é x\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 7), (2, 1));
        assert_eq!(line_col(src, 13), (2, 6));
        assert_eq!(line_col(src, 1000), (3, 1));
    }
}
