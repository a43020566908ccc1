//! The command line: clap definitions, dispatch, output and exit codes. This is the only
//! module that touches the terminal, the file system and the process exit status.
//!
//! Exit codes follow ruff: 0 clean, 1 findings (or `rewrite --check` would change a file),
//! 2 usage, config, I/O or parse error. They never depend on the output format.

mod check_cmd;
mod completions_cmd;
mod config;
mod declines_cmd;
mod discover;
mod file_error;
mod guard;
mod lsp_transport;
mod man_cmd;
mod parse_cmd;
mod progress;
mod render;
mod rewrite_cmd;
mod rules_cmd;
mod server;
mod source;
mod trace_cmd;
mod write;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "dfslim",
    version,
    about = "Make container images shellless, binaryless and distroless, starting from the Dockerfile",
    propagate_version = true
)]
pub struct Cli {
    /// When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint Dockerfiles: report findings, never write.
    Check(check_cmd::CheckArgs),
    /// Propose the slim rewrite: print a unified diff, or write it with --write.
    Rewrite(rewrite_cmd::RewriteArgs),
    /// Build the Dockerfile, run its image under strace while probes exercise it, and
    /// propose a binaryless final stage of the files it used (buildah and strace).
    Trace(trace_cmd::TraceArgs),
    /// List every rule: code, name, severity, whether rewrite fixes it.
    Rules(rules_cmd::RulesArgs),
    /// Show the documentation of a rule or of a decline code.
    Explain(rules_cmd::ExplainArgs),
    /// List every reason a rewrite can decline, with what to do about it.
    Declines(declines_cmd::DeclinesArgs),
    /// Print the syntax tree of a Dockerfile.
    Parse(parse_cmd::ParseArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    Completions(completions_cmd::CompletionsArgs),
    /// Print the man page (roff) to stdout.
    Man,
    /// Run a language server over stdin and stdout: diagnostics as you type, a code action
    /// that applies the rewrite, hover on FROM.
    Server,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The process outcome, mapped to an exit code once, at the end.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Clean = 0,
    Findings = 1,
    Error = 2,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(outcome as u8)
    }
}

/// Whether a stream gets colour.
pub fn use_color(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Where commands write. A closed pipe (`dfslim … | head`) is not an error: nobody wants
/// the rest, so later output to that stream is dropped and the run goes on (files still
/// get written). Any other failed write (a full disk, `> /dev/full`) would silently lose
/// the report, so it is remembered and the run exits 2.
pub struct Out {
    pub stdout_is_tty: bool,
    pub stdout_color: bool,
    pub stderr_color: bool,
    /// Set once a write to stdout or stderr failed for a reason other than a closed pipe.
    pub failed: AtomicBool,
    stdout_closed: AtomicBool,
    stderr_closed: AtomicBool,
}

impl Out {
    pub fn new(stdout_is_tty: bool, stdout_color: bool, stderr_color: bool) -> Out {
        Out {
            stdout_is_tty,
            stdout_color,
            stderr_color,
            failed: AtomicBool::new(false),
            stdout_closed: AtomicBool::new(false),
            stderr_closed: AtomicBool::new(false),
        }
    }

    pub fn stdout(&self, text: &str) {
        self.stdout_with(|w| w.write_all(text.as_bytes()));
    }

    /// Write to stdout through `write` (for output serialised as it goes), then flush.
    pub fn stdout_with(&self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if self.stdout_closed.load(Ordering::Relaxed) {
            return;
        }
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let result = write(&mut stdout).and_then(|()| stdout.flush());
        if let Err(e) = result {
            self.stdout_closed.store(true, Ordering::Relaxed);
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                self.failed.store(true, Ordering::Relaxed);
                self.stderr(&format!("dfslim: error: cannot write to stdout: {e}\n"));
            }
        }
    }

    pub fn stderr(&self, text: &str) {
        if self.stderr_closed.load(Ordering::Relaxed) || text.is_empty() {
            return;
        }
        let mut stderr = std::io::stderr().lock();
        if let Err(e) = stderr
            .write_all(text.as_bytes())
            .and_then(|()| stderr.flush())
        {
            self.stderr_closed.store(true, Ordering::Relaxed);
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                self.failed.store(true, Ordering::Relaxed);
            }
        }
    }

    /// `dfslim: error: TEXT` on stderr, with nothing in TEXT (a file name, a value from a
    /// config or the command line) shown raw: [`render::error_line`].
    pub fn error(&self, text: &str) {
        self.stderr(&render::error_line(text));
    }

    /// The outcome of a run whose commands gave `outcome`: an error if any output was lost.
    pub fn outcome(&self, outcome: Outcome) -> Outcome {
        if self.failed.load(Ordering::Relaxed) {
            Outcome::Error
        } else {
            outcome
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's --help and --version are successes, unless they could not be printed
            // (a closed pipe aside); usage errors exit 2.
            let printed = e
                .print()
                .or_else(|io| match io.kind() {
                    std::io::ErrorKind::BrokenPipe => Ok(()),
                    _ => Err(io),
                })
                .is_ok();
            return if e.use_stderr() || !printed {
                Outcome::Error.into()
            } else {
                Outcome::Clean.into()
            };
        }
    };
    let stdout_is_tty = std::io::stdout().is_terminal();
    let out = Out::new(
        stdout_is_tty,
        use_color(cli.color, stdout_is_tty),
        use_color(cli.color, std::io::stderr().is_terminal()),
    );
    let outcome = match cli.command {
        Command::Check(args) => check_cmd::run(&args, &out),
        Command::Rewrite(args) => rewrite_cmd::run(&args, &out),
        Command::Trace(args) => trace_cmd::run(&args, &out),
        Command::Rules(args) => rules_cmd::rules(&args, &out),
        Command::Explain(args) => rules_cmd::explain(&args, &out),
        Command::Declines(args) => declines_cmd::run(&args, &out),
        Command::Parse(args) => parse_cmd::run(&args, &out),
        Command::Completions(args) => completions_cmd::run(&args, &out),
        Command::Man => man_cmd::run(&out),
        Command::Server => server::run(),
    };
    out.outcome(outcome).into()
}

/// A path argument as clap gives it.
pub type PathArg = PathBuf;

/// One JSON value pretty-printed, as an element of the `files` array of a report.
/// Every JSON document dfslim prints goes through here (or through [`render::JsonSafe`]),
/// so that no bidirectional override or C1 control reaches a log raw.
pub fn pretty(value: &serde_json::Value) -> String {
    render::json_safe(&serde_json::to_string_pretty(value).unwrap_or_default()).into_owned()
}

// `{"files": [...], "summary": …}` is printed as serde_json would print it whole, from the
// files' own pretty texts, as the files come: `document_entry` for each, then
// `document_end`. A long run keeps no file's text or JSON tree.

/// The text of the document before and including file `index` (its pretty JSON, indented).
pub(crate) fn document_entry(index: usize, file: &str) -> String {
    let mut text = String::from(if index == 0 {
        "{\n  \"files\": [\n"
    } else {
        ",\n"
    });
    for (j, line) in file.lines().enumerate() {
        if j > 0 {
            text.push('\n');
        }
        text.push_str("    ");
        text.push_str(line);
    }
    text
}

/// The text of the document after its `count` files.
pub(crate) fn document_end(count: usize, summary: Option<&serde_json::Value>) -> String {
    let summary_text = summary.map(|value| {
        let indented: Vec<String> = pretty(value).lines().map(str::to_string).collect();
        format!(",\n  \"summary\": {}\n", indented.join("\n  "))
    });
    let end = summary_text.as_deref().unwrap_or("\n");
    if count == 0 {
        format!("{{\n  \"files\": []{end}}}\n")
    } else {
        format!("\n  ]{end}}}\n")
    }
}

/// The files document (`document_entry`, `document_end`), written to stdout file by file as the files
/// come: memory holds one file's JSON, whatever the number of files (issue 15). Disabled,
/// it writes nothing, so that a run in another format can push to it all the same.
pub struct JsonStream<'o> {
    out: &'o Out,
    enabled: bool,
    count: usize,
}

impl<'o> JsonStream<'o> {
    pub fn new(out: &'o Out, enabled: bool) -> JsonStream<'o> {
        JsonStream {
            out,
            enabled,
            count: 0,
        }
    }

    /// One file's pretty JSON.
    pub fn push(&mut self, file: &str) {
        if self.enabled {
            self.out.stdout(&document_entry(self.count, file));
            self.count += 1;
        }
    }

    pub fn finish(self, summary: Option<&serde_json::Value>) {
        if self.enabled {
            self.out.stdout(&document_end(self.count, summary));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_document_with(files: &[String], summary: Option<&serde_json::Value>) -> String {
        let mut text: String = files
            .iter()
            .enumerate()
            .map(|(i, file)| document_entry(i, file))
            .collect();
        text.push_str(&document_end(files.len(), summary));
        text
    }

    #[test]
    fn files_document_prints_like_serde_json() {
        for files in [
            vec![],
            vec![serde_json::json!({"a": 1, "b": [1, 2], "c": {"d": null}})],
            vec![
                serde_json::json!({"a": "x\ny"}),
                serde_json::json!({"b": []}),
            ],
        ] {
            let whole = serde_json::to_string_pretty(&serde_json::json!({ "files": files }))
                .unwrap()
                + "\n";
            let parts: Vec<String> = files.iter().map(pretty).collect();
            assert_eq!(files_document_with(&parts, None), whole);
            let summary = serde_json::json!({"files": 2, "declined": 1});
            let whole = serde_json::to_string_pretty(
                &serde_json::json!({ "files": files, "summary": summary }),
            )
            .unwrap()
                + "\n";
            assert_eq!(files_document_with(&parts, Some(&summary)), whole);
        }
    }
}
