//! Why a file could not be checked or rewritten, as one record that every output format
//! shows in its own way: a short code, the message, the help, and the 1-based line and
//! column when the error has a place in the file (a syntax error, a NUL byte, bytes that
//! are not UTF-8). An I/O, config or `--target` error has none.
//!
//! The human formats print these with source snippets (`render::Report`); this module
//! gives the machine ones theirs: JSON, SARIF's tool execution notifications, GitHub
//! annotations and `concise` lines. Nothing from the input reaches a terminal raw: text
//! formats go through [`printable`], JSON through the writers' `json_safe`.

use std::fmt::Write as _;

use serde_json::{Value, json};

use dfslim::syntax::SyntaxError;

use super::render::{line_cols, printable};
use super::source::ReadError;

/// One error that stopped a file.
#[derive(Clone, Debug)]
pub struct FileError {
    /// A stable short id: the syntax error's (`unterminated-heredoc`, `nul-byte`,
    /// `invalid-utf8`), or `io`, `config`, `target`, `base`, `build`.
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    /// Line and column from 1 (columns in characters), when the error has a place.
    pub position: Option<(usize, usize)>,
}

impl FileError {
    /// An error with no place in the file.
    pub fn new(code: &str, message: impl Into<String>) -> FileError {
        FileError {
            code: code.to_string(),
            message: message.into(),
            help: None,
            position: None,
        }
    }

    /// The syntax errors of `text`, placed in it (one pass however many there are).
    pub fn syntax(text: &str, errors: &[SyntaxError]) -> Vec<FileError> {
        let offsets: Vec<usize> = errors.iter().map(|e| e.span.start).collect();
        errors
            .iter()
            .zip(line_cols(text, &offsets))
            .map(|(error, position)| FileError {
                code: error.code.to_string(),
                message: error.message.clone(),
                help: error.help.clone(),
                position: Some(position),
            })
            .collect()
    }

    /// Why an input could not be read. A decoding error is placed by its byte offset: the
    /// span of [`ReadError::Decode`] is in the text the bytes show as, where everything
    /// before the first bad byte is the bytes themselves, so its line and column are the
    /// raw bytes' (a file over the size limit was not read, and has no place).
    pub fn read(error: &ReadError) -> FileError {
        match error {
            ReadError::Io { message, .. } => FileError::new("io", message.clone()),
            ReadError::Decode { lossy, error, .. } => {
                let mut placed = FileError::syntax(lossy, std::slice::from_ref(error))
                    .pop()
                    .unwrap_or_else(|| FileError::new(error.code, error.message.clone()));
                if error.code == "file-too-large" {
                    placed.position = None;
                }
                placed
            }
        }
    }

    /// `{"code", "message", "help", "line", "column"}`, `line` and `column` null when the
    /// error has no place.
    pub fn json(&self) -> Value {
        json!({
            "code": self.code,
            "message": self.message,
            "help": self.help,
            "line": self.position.map(|(line, _)| line),
            "column": self.position.map(|(_, column)| column),
        })
    }

    /// `path:line:col: code [error] message`, as a `concise` finding is written; an error
    /// with no place is at `1:1`, as ruff places its I/O errors.
    pub fn concise(&self, path: &str) -> String {
        let (line, column) = self.position.unwrap_or((1, 1));
        format!(
            "{}:{line}:{column}: {} [error] {}\n",
            printable(path, false),
            printable(&self.code, false),
            printable(&self.message, false)
        )
    }

    /// `::error file=…,line=…,col=…,title=…::message`, escaped as GitHub's toolkit does; a
    /// file-level annotation when the error has no place.
    pub fn github(&self, path: &str) -> String {
        let mut text = format!("::error file={}", escape_property(path));
        if let Some((line, column)) = self.position {
            let _ = write!(text, ",line={line},col={column}");
        }
        let _ = writeln!(
            text,
            ",title={}::{}",
            escape_property(&format!("dfslim {}", self.code)),
            escape_data(&self.message)
        );
        text
    }

    /// A SARIF `notification` for `invocations[].toolExecutionNotifications`: the file (and
    /// the region's start, when the error has a place) as its location.
    pub fn sarif_notification(&self, artifact_location: Value) -> Value {
        let mut physical = json!({"artifactLocation": artifact_location});
        if let Some((line, column)) = self.position {
            physical["region"] = json!({"startLine": line, "startColumn": column});
        }
        json!({
            "level": "error",
            "descriptor": {"id": self.code},
            "message": {"text": self.message},
            "locations": [{"physicalLocation": physical}],
        })
    }
}

/// The text of a GitHub workflow command's message: `%`, CR and LF escaped (`%` first, so
/// that the escapes are not escaped again), other controls shown, not sent.
pub fn escape_data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    printable(&escaped, false).into_owned()
}

/// A GitHub workflow command's property value: [`escape_data`] and `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As @actions/core's `escapeData` and `escapeProperty` (toolkit `command.ts`): `%`
    /// first, so that the escapes themselves are not escaped again.
    #[test]
    fn github_escaping() {
        let text = "50% done\r\nnext: a, b %0A";
        assert_eq!(escape_data(text), "50%25 done%0D%0Anext: a, b %250A");
        assert_eq!(
            escape_property(text),
            "50%25 done%0D%0Anext%3A a%2C b %250A"
        );
    }

    #[test]
    fn every_format_places_the_error() {
        let text = "FROM alpine\nRUN <<EOF\nx\n";
        let tree = dfslim::syntax::parse(text);
        let error = &FileError::syntax(text, &tree.errors)[0];
        assert_eq!(error.position, Some((2, 5)));
        assert_eq!(
            error.concise("a\u{1b}b"),
            format!("a^[b:2:5: unterminated-heredoc [error] {}\n", error.message)
        );
        assert!(
            error
                .github("a,b")
                .starts_with("::error file=a%2Cb,line=2,col=5,title=dfslim unterminated-heredoc::")
        );
        assert_eq!(error.json()["line"], 2);
        let io = FileError::new("io", "no such file or directory");
        assert_eq!(io.json()["line"], Value::Null);
        assert_eq!(
            io.github("x"),
            "::error file=x,title=dfslim io::no such file or directory\n"
        );
    }
}
