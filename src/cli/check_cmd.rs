//! `dfslim check`: lint Dockerfiles, report findings in one of five formats, never write.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use miette::Severity as MietteSeverity;
use rayon::prelude::*;
use serde_json::json;

use dfslim::analysis::level::Level;
use dfslim::analysis::model::Model;
use dfslim::analysis::stages::TargetError;
use dfslim::rules::{self, Finding, RULES, Severity};
use dfslim::syntax::{self, SyntaxError};

use super::config::{ConfigArgs, SettingsResolver, SharedSettings, Threshold};

use super::discover::display_path;
use super::file_error::{FileError, escape_data, escape_property};
use super::render::{Report, error_line, line_col, printable};
use super::source::{self, ReadError};
use super::{Out, Outcome};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (directories are searched for Dockerfiles); `-` reads
    /// standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format (default: full on a terminal, concise otherwise).
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,

    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum)]
    pub failure_threshold: Option<Threshold>,

    /// Fail when the final stage is below this level (the levels go from the least to the
    /// most slim).
    #[arg(long, value_parser = level_parser())]
    pub require: Option<Level>,

    /// The stage to treat as final (default: the last one).
    #[arg(long)]
    pub target: Option<String>,

    /// Rule codes, prefixes or names to report (default: all).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,

    /// Rule codes, prefixes or names not to report.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// The name to use for standard input in reports.
    #[arg(long)]
    pub stdin_filename: Option<String>,

    /// Apply the rewrite in place: an alias of `dfslim rewrite --write`, as ruff's
    /// `check --fix` (the same code runs; findings are not reported).
    #[arg(long, conflicts_with_all = ["diff", "format", "require", "failure_threshold"])]
    pub fix: bool,

    /// Show the rewrite as a diff and exit 1 if a file would change: an alias of
    /// `dfslim rewrite --check`, as ruff's `check --diff`.
    #[arg(long, conflicts_with_all = ["format", "require", "failure_threshold"])]
    pub diff: bool,

    #[command(flatten)]
    pub config: ConfigArgs,
}

impl CheckArgs {
    /// `--fix` and `--diff` as the `rewrite` command they stand for.
    fn as_rewrite(&self) -> super::rewrite_cmd::RewriteArgs {
        super::rewrite_cmd::RewriteArgs {
            paths: self.paths.clone(),
            write: self.fix,
            check: self.diff,
            stdout: false,
            format: super::rewrite_cmd::RewriteFormat::Diff,
            target_family: None,
            base: None,
            stage_name: None,
            allow_version_change: false,
            context: None,
            target: self.target.clone(),
            // `check` never builds.
            build: false,
            engine: None,
            build_args: Vec::new(),
            verify: false,
            probe: Vec::new(),
            timeout: 60,
            stdin_filename: self.stdin_filename.clone(),
            config: self.config.clone(),
        }
    }
}

/// The levels `--require` takes, listed in `--help` and in its errors (`unknown` is a result,
/// never a requirement).
fn level_parser() -> impl clap::builder::TypedValueParser<Value = Level> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(
        Level::ALL
            .into_iter()
            .filter(|level| *level != Level::Unknown)
            .map(Level::as_str),
    )
    .try_map(|name| name.parse::<Level>())
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Reports with source snippets.
    Full,
    /// One line per finding: `path:line:col: CODE message`.
    Concise,
    /// Machine-readable findings and levels.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

/// What checking one file gave.
pub struct FileResult {
    pub name: String,
    pub text: String,
    pub outcome: FileOutcome,
}

pub enum FileOutcome {
    Unreadable(ReadError),
    Misconfigured(String),
    /// `--target` names no stage of this file.
    UnknownTarget(String),
    Invalid(Vec<SyntaxError>),
    Checked(Checked),
}

pub struct Checked {
    pub findings: Vec<Finding>,
    pub level: Level,
    /// The family the level comes from, when the catalogue knows the image's name but not
    /// its tag.
    pub level_family: Option<String>,
    pub final_stage: Option<String>,
    pub base: Option<String>,
    pub threshold: Threshold,
    /// `Some(false)` when `--require` is not met.
    pub require: Option<(Level, bool)>,
    /// Codes an ignore comment names that no rule has: `(line, column, code)`.
    pub unknown_suppressions: Vec<(usize, usize, String)>,
}

pub fn run(args: &CheckArgs, out: &Out) -> Outcome {
    if args.fix || args.diff {
        return super::rewrite_cmd::run(&args.as_rewrite(), out);
    }
    // A mistyped code would select nothing (or ignore nothing) and pass CI: refuse it.
    for (flag, pattern) in args
        .select
        .iter()
        .map(|p| ("--select", p))
        .chain(args.ignore.iter().map(|p| ("--ignore", p)))
    {
        if let Err(e) = rules::check_pattern(pattern) {
            out.error(&format!("{flag}: {e}"));
            return Outcome::Error;
        }
    }
    let (jobs, walk_outcome) = SettingsResolver::new(&args.config).discover(&args.paths, out);
    let format = args.format.unwrap_or(if out.stdout_is_tty {
        CheckFormat::Full
    } else {
        CheckFormat::Concise
    });
    let progress = super::progress::Progress::on_stderr("checked", jobs.len());
    // Files go through in chunks: each chunk runs on all cores, then its report is printed
    // and dropped, so memory holds one chunk's texts and the results, whatever the number
    // of files. Output keeps the files' order.
    let mut report = Summary::new(format);
    for chunk in chunks(&jobs) {
        let rendered: Vec<Rendered> = chunk
            .par_iter()
            .map(|(file, settings)| render(&check_file(file, settings, args), format, out))
            .inspect(|_| progress.tick())
            .collect();
        report.add(rendered, out);
    }
    progress.finish();
    report.finish(out).max(walk_outcome)
}

/// How many failed files the `full` summary names; the errors above name them all.
const NAMED_FAILURES: usize = 10;

/// Files per chunk: enough to keep every core busy, few enough to bound memory.
pub const CHUNK: usize = 2048;

/// Bytes of input per chunk: a chunk of large files holds their texts (and, for `rewrite`,
/// the new texts) until it is reported, so 40 files of 7 MiB in one chunk held 780 MB.
pub const CHUNK_BYTES: u64 = 16 * 1024 * 1024;

/// `jobs` cut into chunks of at most [`CHUNK`] files and [`CHUNK_BYTES`] of input (a file
/// larger than that is a chunk of its own), in order.
pub fn chunks<T>(jobs: &[(std::path::PathBuf, T)]) -> Vec<&[(std::path::PathBuf, T)]> {
    let mut chunks = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (file, _)) in jobs.iter().enumerate() {
        let size = std::fs::metadata(file).map_or(0, |m| m.len());
        if i > start && (i - start == CHUNK || bytes + size > CHUNK_BYTES) {
            chunks.push(&jobs[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < jobs.len() {
        chunks.push(&jobs[start..]);
    }
    chunks
}

/// One file's share of the report.
struct Rendered {
    stdout: String,
    stderr: String,
    /// The `full` format's level line(s).
    summary: String,
    json: String,
    sarif: Vec<serde_json::Value>,
    /// SARIF's tool execution notifications: why the file could not be checked.
    notifications: Vec<serde_json::Value>,
    findings: usize,
    /// Whether the file's text was read (it may still not parse).
    read: bool,
    /// The file's name when it could not be checked.
    failed: Option<String>,
    outcome: Outcome,
}

fn render(result: &FileResult, format: CheckFormat, out: &Out) -> Rendered {
    let one = std::slice::from_ref(result);
    let errors = file_errors(result);
    // `concise` is one line per problem in the file: a read or parse error is one such
    // line, placed as a finding is (at 1:1 when it has no place, as ruff's I/O errors).
    // A bad config or `--target` is about no line of the file: it stays on stderr.
    let concise_errors = format == CheckFormat::Concise
        && matches!(
            result.outcome,
            FileOutcome::Unreadable(_) | FileOutcome::Invalid(_)
        );
    let stdout = match format {
        CheckFormat::Full => full_findings(result, out.stdout_color),
        CheckFormat::Concise if concise_errors => errors
            .iter()
            .map(|e| e.concise(&result.name))
            .collect::<String>(),
        CheckFormat::Concise => concise(one),
        CheckFormat::Github => {
            github(one)
                + &errors
                    .iter()
                    .map(|e| e.github(&result.name))
                    .collect::<String>()
        }
        CheckFormat::Json | CheckFormat::Sarif => String::new(),
    };
    Rendered {
        stdout,
        // The other formats' documents (or annotations) carry the errors for tools, and
        // stderr shows them to people, with the source.
        stderr: if concise_errors {
            String::new()
        } else {
            error_text(result, out.stderr_color)
        } + &suppression_warnings(result),
        summary: if format == CheckFormat::Full {
            full_summary(result)
        } else {
            String::new()
        },
        json: if format == CheckFormat::Json {
            super::pretty(&json_file(result))
        } else {
            String::new()
        },
        sarif: if format == CheckFormat::Sarif {
            sarif_results(result)
        } else {
            Vec::new()
        },
        notifications: if format == CheckFormat::Sarif {
            let location = artifact_location(&result.name);
            errors
                .iter()
                .map(|e| e.sarif_notification(location.clone()))
                .collect()
        } else {
            Vec::new()
        },
        findings: checked(one).map(|(_, c)| c.findings.len()).sum(),
        read: matches!(
            result.outcome,
            FileOutcome::Checked(_) | FileOutcome::Invalid(_) | FileOutcome::UnknownTarget(_)
        ),
        failed: (!matches!(result.outcome, FileOutcome::Checked(_))).then(|| result.name.clone()),
        outcome: outcome(one),
    }
}

fn check_file(file: &Path, settings: &SharedSettings, args: &CheckArgs) -> FileResult {
    let name = if file.as_os_str() == "-" {
        args.stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".into())
    } else {
        display_path(file)
    };
    let settings = match settings.as_ref() {
        Ok(s) => s,
        Err(e) => {
            return FileResult {
                name,
                text: String::new(),
                outcome: FileOutcome::Misconfigured(e.clone()),
            };
        }
    };
    let source = match source::read(file, args.stdin_filename.as_deref()) {
        Ok(source) => source,
        Err(e) => {
            return FileResult {
                name,
                text: String::new(),
                outcome: FileOutcome::Unreadable(e),
            };
        }
    };
    let tree = syntax::parse(&source.text);
    if tree.has_errors() {
        return FileResult {
            name,
            outcome: FileOutcome::Invalid(tree.errors.clone()),
            text: source.text,
        };
    }
    let model = Model::new(
        &source.text,
        &tree,
        &settings.catalogue,
        args.target.as_deref(),
    );
    if !model.errors.is_empty() {
        let errors = model.errors;
        return FileResult {
            name,
            outcome: FileOutcome::Invalid(errors),
            text: source.text,
        };
    }
    if let Err(e @ TargetError::UnknownTarget { .. }) = &model.target {
        return FileResult {
            name,
            text: source.text,
            outcome: FileOutcome::UnknownTarget(e.to_string()),
        };
    }
    let mut selection = settings.selection.clone();
    if !args.select.is_empty() {
        selection.select = args.select.clone();
    }
    selection.ignore.extend(args.ignore.iter().cloned());
    let findings = rules::check(&model, &selection);
    let unknown_suppressions = rules::unknown_suppressions(&model)
        .into_iter()
        .map(|(span, code)| {
            let (line, column) = super::render::line_col(&source.text, span.start);
            (line, column, code)
        })
        .collect();
    let final_stage = model.final_stage();
    let level = final_stage.map_or(Level::Unknown, |s| model.level(s.index));
    let require = args
        .require
        .or(settings.require)
        .map(|required| (required, level.at_least(required).unwrap_or(false)));
    let checked = Checked {
        findings,
        level,
        level_family: final_stage
            .and_then(|s| model.family(s.index))
            .map(|f| f.family),
        final_stage: final_stage.map(|s| s.reference()),
        base: final_stage.and_then(|s| model.root_image(s.index).map(|i| i.familiar())),
        threshold: args.failure_threshold.unwrap_or(settings.threshold),
        require,
        unknown_suppressions,
    };
    FileResult {
        name,
        text: source.text,
        outcome: FileOutcome::Checked(checked),
    }
}

/// A warning on stderr for each code an ignore comment names that no rule has.
fn suppression_warnings(result: &FileResult) -> String {
    let FileOutcome::Checked(checked) = &result.outcome else {
        return String::new();
    };
    checked
        .unknown_suppressions
        .iter()
        .map(|(line, column, code)| {
            let text = format!(
                "dfslim: warning: {}:{line}:{column}: `# dfslim ignore` names `{code}`, which is no rule's code or name, so it suppresses nothing (`dfslim rules` lists them)\n",
                result.name
            );
            super::render::printable(&text, true).into_owned()
        })
        .collect()
}

fn outcome(results: &[FileResult]) -> Outcome {
    results
        .iter()
        .map(|r| match &r.outcome {
            FileOutcome::Unreadable(_)
            | FileOutcome::Misconfigured(_)
            | FileOutcome::UnknownTarget(_)
            | FileOutcome::Invalid(_) => Outcome::Error,
            FileOutcome::Checked(c) => {
                let failing = c
                    .findings
                    .iter()
                    .any(|f| c.threshold.fails(f.rule.severity))
                    || matches!(c.require, Some((_, false)));
                if failing {
                    Outcome::Findings
                } else {
                    Outcome::Clean
                }
            }
        })
        .max()
        .unwrap_or(Outcome::Clean)
}

/// Why a file could not be checked, for the machine formats.
fn file_errors(result: &FileResult) -> Vec<FileError> {
    match &result.outcome {
        FileOutcome::Unreadable(e) => vec![FileError::read(e)],
        FileOutcome::Misconfigured(e) => vec![FileError::new("config", format!("bad config: {e}"))],
        FileOutcome::UnknownTarget(e) => vec![FileError::new("target", e.clone())],
        FileOutcome::Invalid(errors) => FileError::syntax(&result.text, errors),
        FileOutcome::Checked(_) => Vec::new(),
    }
}

/// Errors that stop a file from being checked go to stderr, with their source, in every
/// format but `concise`.
fn error_text(result: &FileResult, color: bool) -> String {
    match &result.outcome {
        FileOutcome::Unreadable(e) => super::parse_cmd::read_error_text(e, color),
        FileOutcome::Misconfigured(e) => error_line(&format!("bad config: {e}")),
        FileOutcome::UnknownTarget(e) => error_line(&format!("{}: {e}", result.name)),
        FileOutcome::Invalid(errors) => errors
            .iter()
            .map(|error| Report::from_syntax_error(&result.name, &result.text, error).render(color))
            .collect(),
        FileOutcome::Checked(_) => String::new(),
    }
}

fn finding_report(result: &FileResult, finding: &Finding) -> Report {
    Report {
        code: finding.rule.code.to_string(),
        severity: match finding.rule.severity {
            Severity::Error => MietteSeverity::Error,
            Severity::Warning => MietteSeverity::Warning,
            Severity::Info => MietteSeverity::Advice,
        },
        // `render` shows nothing from the input raw.
        message: finding.message.clone(),
        label: finding.rule.name.to_string(),
        span: finding.span,
        related: Vec::new(),
        help: finding.help.clone(),
        source: miette::NamedSource::new(&result.name, result.text.clone()),
    }
}

/// The report as it is built, chunk by chunk: text formats are printed as they come, JSON
/// and SARIF (one document each) are kept until the end.
struct Summary {
    format: CheckFormat,
    outcome: Outcome,
    findings: usize,
    /// Files whose text was read.
    files: usize,
    /// Files that could not be checked (the first [`NAMED_FAILURES`] by name), and how many.
    failed: Vec<String>,
    failed_count: usize,
    summary: String,
    /// Files written to the JSON document so far: it is written as the files come.
    json_files: usize,
    /// The SARIF document around its results, and the results written so far: the results
    /// are written as the files come, too.
    sarif: Option<(String, String)>,
    sarif_results: usize,
    /// SARIF tool execution notifications, written after the results: few (one per error)
    /// and only known at the end.
    notifications: Vec<serde_json::Value>,
}

impl Summary {
    fn new(format: CheckFormat) -> Summary {
        Summary {
            format,
            outcome: Outcome::Clean,
            findings: 0,
            files: 0,
            failed: Vec::new(),
            failed_count: 0,
            summary: String::new(),
            json_files: 0,
            sarif: (format == CheckFormat::Sarif).then(sarif_frame),
            sarif_results: 0,
            notifications: Vec::new(),
        }
    }

    fn add(&mut self, rendered: Vec<Rendered>, out: &Out) {
        let mut stdout = String::new();
        for r in rendered {
            out.stderr(&r.stderr);
            stdout.push_str(&r.stdout);
            self.outcome = self.outcome.max(r.outcome);
            self.findings += r.findings;
            self.files += usize::from(r.read);
            if let Some(name) = r.failed {
                self.failed_count += 1;
                if self.failed.len() < NAMED_FAILURES {
                    self.failed.push(name);
                }
            }
            self.summary.push_str(&r.summary);
            self.notifications.extend(r.notifications);
            if self.format == CheckFormat::Json {
                stdout.push_str(&super::document_entry(self.json_files, &r.json));
                self.json_files += 1;
            }
            if let Some((head, _)) = &self.sarif {
                for result in r.sarif {
                    if self.sarif_results == 0 {
                        stdout.push_str(head);
                    } else {
                        stdout.push_str(",\n");
                    }
                    let text = super::pretty(&result);
                    for (i, line) in text.lines().enumerate() {
                        if i > 0 {
                            stdout.push('\n');
                        }
                        stdout.push_str("        ");
                        stdout.push_str(line);
                    }
                    self.sarif_results += 1;
                }
            }
        }
        out.stdout(&stdout);
    }

    fn finish(self, out: &Out) -> Outcome {
        let text = match self.format {
            CheckFormat::Full => {
                let (total, files) = (self.findings, self.files);
                let mut text = self.summary;
                let _ = write!(
                    text,
                    "Found {total} problem{} in {files} file{}",
                    if total == 1 { "" } else { "s" },
                    if files == 1 { "" } else { "s" }
                );
                // Files that failed have no findings, and "0 problems" alone would read
                // as a clean run: say which ones were not checked.
                if self.failed_count > 0 {
                    let _ = write!(
                        text,
                        " read; {} could not be checked: {}",
                        self.failed_count,
                        printable(&self.failed.join(", "), false)
                    );
                    if self.failed_count > self.failed.len() {
                        let _ = write!(text, " and {} more", self.failed_count - self.failed.len());
                    }
                }
                text.push_str(".\n");
                text
            }
            CheckFormat::Concise | CheckFormat::Github => String::new(),
            CheckFormat::Json => super::document_end(self.json_files, None),
            CheckFormat::Sarif => {
                let (head, tail) = self.sarif.unwrap_or_else(sarif_frame);
                let tail = with_invocation(&tail, self.notifications);
                if self.sarif_results == 0 {
                    // `"results": []`, as serde_json prints an empty array.
                    format!("{}{}", head.trim_end(), tail.trim_start())
                } else {
                    format!("\n{tail}")
                }
            }
        };
        out.stdout(&text);
        self.outcome
    }
}

fn checked(results: &[FileResult]) -> impl Iterator<Item = (&FileResult, &Checked)> {
    results.iter().filter_map(|r| match &r.outcome {
        FileOutcome::Checked(c) => Some((r, c)),
        _ => None,
    })
}

fn require_message(c: &Checked) -> Option<String> {
    match c.require {
        Some((required, false)) => Some(format!(
            "final stage is at level `{}`, below the required `{required}`",
            c.level
        )),
        _ => None,
    }
}

fn full_findings(result: &FileResult, color: bool) -> String {
    let mut text = String::new();
    for (result, c) in checked(std::slice::from_ref(result)) {
        for finding in &c.findings {
            text.push_str(&finding_report(result, finding).render(color));
            text.push('\n');
        }
    }
    text
}

fn full_summary(result: &FileResult) -> String {
    let mut text = String::new();
    for (result, c) in checked(std::slice::from_ref(result)) {
        let base = c.base.as_deref().unwrap_or("an unknown image");
        let _ = writeln!(
            text,
            "{}: final stage `{}` on {}: level {}{}",
            printable(&result.name, false),
            printable(c.final_stage.as_deref().unwrap_or("-"), false),
            printable(base, false),
            c.level,
            c.level_family
                .as_ref()
                .map_or(String::new(), |family| format!(" (by family: {family})"))
        );
        if let Some(message) = require_message(c) {
            let _ = writeln!(
                text,
                "{}: error: {}",
                printable(&result.name, false),
                printable(&message, false)
            );
        }
    }
    text
}

fn concise(results: &[FileResult]) -> String {
    let mut text = String::new();
    for (result, c) in checked(results) {
        for finding in &c.findings {
            let (line, col) = line_col(&result.text, finding.span.start);
            // As the `full` format's summary does, the level goes with DFS001, the finding
            // about it.
            let level = if finding.rule.code == "DFS001" {
                format!("; final stage level: {}", c.level)
            } else {
                String::new()
            };
            let _ = writeln!(
                text,
                "{}:{line}:{col}: {} [{}] {}{level}",
                printable(&result.name, false),
                finding.rule.code,
                finding.rule.severity.as_str(),
                printable(&finding.message, false)
            );
        }
        if let Some(message) = require_message(c) {
            let _ = writeln!(
                text,
                "{}:1:1: require {message}",
                printable(&result.name, false)
            );
        }
    }
    text
}

fn json_file(result: &FileResult) -> serde_json::Value {
    match &result.outcome {
        FileOutcome::Checked(c) => {
            let mut file = json!({
            "path": result.name,
            "final_stage": c.final_stage,
            "base": c.base,
            "level": c.level.to_string(),
            "require": c.require.map(|(level, met)| json!({"level": level.to_string(), "met": met})),
            "findings": c.findings.iter().map(|f| json!({
                "code": f.rule.code,
                "name": f.rule.name,
                "severity": f.rule.severity,
                "message": f.message,
                "fixable": f.rule.fixable,
                "span": [f.span.start, f.span.end],
                "location": super::render::location(&result.text, f.span),
                "help": f.help,
            })).collect::<Vec<_>>(),
            "errors": [],
            });
            // Only images known by their family say so.
            if let (Some(family), Some(object)) = (&c.level_family, file.as_object_mut()) {
                object.insert("level_by_family".into(), json!(family));
            }
            file
        }
        _ => json!({
            "path": result.name,
            "findings": [],
            "errors": file_errors(result).iter().map(FileError::json).collect::<Vec<_>>(),
        }),
    }
}

/// SARIF 2.1.0 with what GitHub code scanning reads: `tool.driver.rules[]` and, per result,
/// the rule, level, message and a region with start and end line and column.
/// The SARIF document as serde_json prints it whole, cut where its results go: the text up
/// to `"results": [` and the text from the `]` that closes them.
fn sarif_frame() -> (String, String) {
    const MARK: &str = "@@dfslim-results@@";
    let whole = sarif(vec![json!(MARK)]);
    let at = whole.find(&format!("\"{MARK}\"")).unwrap_or(whole.len());
    let line_start = whole[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = whole[at..].find('\n').map_or(whole.len(), |i| at + i + 1);
    (
        whole[..line_start].to_string(),
        whole[line_end..].to_string(),
    )
}

fn sarif(sarif_results: Vec<serde_json::Value>) -> String {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.description()},
                "help": {"text": r.doc, "markdown": r.doc},
                "helpUri": format!("https://github.com/dfslim/dfslim/blob/main/docs/rules.md#{}", r.code.to_lowercase()),
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"fixable": r.fixable},
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dfslim",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/dfslim/dfslim",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            // Relative artifact URIs resolve against the folder dfslim ran in.
            "originalUriBaseIds": {"%SRCROOT%": {"uri": srcroot_uri()}},
            "results": sarif_results,
        }]
    });
    let mut text = super::pretty(&document);
    text.push('\n');
    text
}

/// The SARIF text after the results, with the run's `invocations` put just after them:
/// `executionSuccessful` is false when a file could not be read, parsed or configured, and
/// each such error is a tool execution notification with its file and place (code scanning
/// shows these as the run's errors, where a log with no results would look clean).
fn with_invocation(tail: &str, notifications: Vec<serde_json::Value>) -> String {
    let invocation = if notifications.is_empty() {
        json!({"executionSuccessful": true})
    } else {
        json!({"executionSuccessful": false, "toolExecutionNotifications": notifications})
    };
    // The tail's first line closes the results (`      ],`): the run's keys are indented
    // as deep as that bracket.
    let (first, rest) = tail.split_once('\n').unwrap_or((tail, ""));
    let indent = &first[..first.len() - first.trim_start().len()];
    let mut invocations = String::new();
    for (i, line) in super::pretty(&json!([invocation])).lines().enumerate() {
        if i > 0 {
            invocations.push('\n');
            invocations.push_str(indent);
        }
        invocations.push_str(line);
    }
    format!("{first}\n{indent}\"invocations\": {invocations},\n{rest}")
}

/// One file's SARIF results.
fn sarif_results(result: &FileResult) -> Vec<serde_json::Value> {
    let mut sarif_results = Vec::new();
    for (result, c) in checked(std::slice::from_ref(result)) {
        for f in &c.findings {
            let (line, column) = line_col(&result.text, f.span.start);
            let (end_line, end_column) = line_col(&result.text, f.span.end);
            sarif_results.push(json!({
                "ruleId": f.rule.code,
                "ruleIndex": RULES.iter().position(|r| r.code == f.rule.code),
                "level": sarif_level(f.rule.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&result.name),
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        }
                    }
                }],
            }));
        }
    }
    sarif_results
}

/// A SARIF artifact location for a path as the user named it (RFC 3986 percent-encoding,
/// as code scanning requires): an absolute path is a `file://` URI; a relative one a
/// relative reference against `%SRCROOT%`, the folder dfslim ran in.
fn artifact_location(path: &str) -> serde_json::Value {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        json!({"uri": format!("file://{}", percent_encode(&path))})
    } else {
        json!({
            "uri": percent_encode(path.trim_start_matches("./")),
            "uriBaseId": "%SRCROOT%",
        })
    }
}

/// The current folder as a `file://` URI ending in `/`.
fn srcroot_uri() -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let cwd = cwd.to_string_lossy().replace('\\', "/");
    format!("file://{}/", percent_encode(cwd.trim_end_matches('/')))
}

/// RFC 3986: every byte but the unreserved characters and `/` as `%XX`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `::warning file=…,line=…::message`, escaped as GitHub's toolkit does.
fn github(results: &[FileResult]) -> String {
    let mut text = String::new();
    for (result, c) in checked(results) {
        for f in &c.findings {
            let (line, col) = line_col(&result.text, f.span.start);
            let (end_line, end_col) = line_col(&result.text, f.span.end);
            let command = match f.rule.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let _ = writeln!(
                text,
                "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_property(&result.name),
                escape_property(&format!("{} {}", f.rule.code, f.rule.name)),
                escape_data(&f.message)
            );
        }
        if let Some(message) = require_message(c) {
            let _ = writeln!(
                text,
                "::error file={},title={}::{}",
                escape_property(&result.name),
                escape_property("dfslim require"),
                escape_data(&message)
            );
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert!(Threshold::Warning.fails(Severity::Error));
        assert!(Threshold::Warning.fails(Severity::Warning));
        assert!(!Threshold::Warning.fails(Severity::Info));
        assert!(!Threshold::None.fails(Severity::Error));
        assert!(!Threshold::Error.fails(Severity::Warning));
    }
}
