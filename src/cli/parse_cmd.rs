//! `dfslim parse`: the syntax tree as JSON, or BuildKit's dump.

use clap::{Args, ValueEnum};
use serde::Serialize;

use dfslim::syntax::{self, Item, Span, SyntaxError};

use super::file_error::FileError;
use super::render::{JsonSafe, Report, error_line, line_cols, printable};
use super::source::{self, ReadError};
use super::{Out, Outcome, PathArg};

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// The Dockerfiles to parse; `-` reads standard input. With several, JSON output is one
    /// line per file (JSON Lines, with a `path`) and the BuildKit dump of each file follows
    /// a `# path` line.
    #[arg(required = true)]
    pub paths: Vec<PathArg>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
    pub format: ParseFormat,

    /// The name to use for standard input in messages.
    #[arg(long)]
    pub stdin_filename: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// `{"items": [...], "errors": [...]}` with byte spans.
    Json,
    /// BuildKit's s-expression dump, one line per instruction.
    Buildkit,
}

#[derive(Serialize)]
struct JsonTree<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    items: &'a [Item],
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    #[serde(flatten)]
    error: &'a SyntaxError,
    line: usize,
    column: usize,
}

/// At most this many errors are shown as reports on stderr: a hostile file can hold a
/// thousand (the parser's cap) and nobody reads past the first few. The JSON lists all.
const MAX_REPORTS: usize = 20;

pub fn run(args: &ParseArgs, out: &Out) -> Outcome {
    let several = args.paths.len() > 1;
    args.paths
        .iter()
        .map(|path| parse_one(path, several, args, out))
        .max()
        .unwrap_or(Outcome::Clean)
}

fn parse_one(path: &PathArg, several: bool, args: &ParseArgs, out: &Out) -> Outcome {
    let file = match source::read(path, args.stdin_filename.as_deref()) {
        Ok(file) => file,
        Err(e) => {
            // A document for every input, as for one that parses with errors: JSON Lines
            // readers count one line per file.
            if args.format == ParseFormat::Json {
                print_json(&unread_tree(&e, several), out);
            }
            return report_read_error(&e, out);
        }
    };
    let tree = syntax::parse(&file.text);
    match args.format {
        ParseFormat::Json => {
            let offsets: Vec<usize> = tree.errors.iter().map(|e| e.span.start).collect();
            let json = JsonTree {
                path: several.then_some(file.name.as_str()),
                items: &tree.items,
                errors: tree
                    .errors
                    .iter()
                    .zip(line_cols(&file.text, &offsets))
                    .map(|(error, (line, column))| JsonError {
                        error,
                        line,
                        column,
                    })
                    .collect(),
            };
            print_json(&json, out);
        }
        ParseFormat::Buildkit => {
            if several {
                out.stdout(&format!("# {}\n", printable(&file.name, false)));
            }
            out.stdout(&syntax::buildkit_dump(&tree));
        }
    }
    for error in tree.errors.iter().take(MAX_REPORTS) {
        let report = Report::from_syntax_error(&file.name, &file.text, error);
        out.stderr(&report.render(out.stderr_color));
    }
    if tree.errors.len() > MAX_REPORTS {
        out.stderr(&format!(
            "dfslim: {} more errors in {} are not shown; `--format json` lists them all\n",
            tree.errors.len() - MAX_REPORTS,
            printable(&file.name, false)
        ));
    }
    if tree.has_errors() {
        Outcome::Error
    } else {
        Outcome::Clean
    }
}

/// The document of an input that could not be read: no items, and the error, with `span`
/// in the input's bytes (null for an I/O error) and `line` and `column` as a syntax
/// error's (null when it has no place).
fn unread_tree(error: &ReadError, several: bool) -> JsonUnread<'_> {
    let (name, span) = match error {
        ReadError::Io { name, .. } => (name, None),
        ReadError::Decode {
            name, error, bytes, ..
        } => (name, (error.code != "file-too-large").then_some(*bytes)),
    };
    let error = FileError::read(error);
    JsonUnread {
        path: several.then_some(name.as_str()),
        items: [],
        errors: [JsonReadError {
            span,
            code: error.code,
            message: error.message,
            help: error.help,
            line: error.position.map(|(line, _)| line),
            column: error.position.map(|(_, column)| column),
        }],
    }
}

#[derive(Serialize)]
struct JsonUnread<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    items: [(); 0],
    errors: [JsonReadError; 1],
}

#[derive(Serialize)]
struct JsonReadError {
    span: Option<Span>,
    code: String,
    message: String,
    help: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

/// Write JSON to stdout as it is serialised: the tree of an 8 MiB file is far larger as
/// JSON, and need not be held in memory whole. A closed pipe (`| head`) stops it quietly.
fn print_json(value: &impl Serialize, out: &Out) {
    out.stdout_with(|stdout| {
        use std::io::Write as _;
        let mut stdout = JsonSafe::new(stdout);
        serde_json::to_writer(&mut stdout, value)
            .map_err(std::io::Error::from)
            .and_then(|()| stdout.write_all(b"\n"))
            .and_then(|()| stdout.flush())
    });
}

/// Print why an input could not be read; always exit 2.
pub fn report_read_error(error: &ReadError, out: &Out) -> Outcome {
    out.stderr(&read_error_text(error, out.stderr_color));
    Outcome::Error
}

/// Why an input could not be read, as shown to people.
pub fn read_error_text(error: &ReadError, color: bool) -> String {
    match error {
        ReadError::Io { name, message } => error_line(&format!("cannot read {name}: {message}")),
        ReadError::Decode {
            name, lossy, error, ..
        } => Report::from_syntax_error(name, lossy, error).render(color),
    }
}
