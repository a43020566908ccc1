//! `dfslim check`: lint Dockerfiles, report findings in one of five formats, never write.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use miette::Severity as MietteSeverity;
use rayon::prelude::*;
use serde_json::json;

use dfslim::analysis::catalogue::Catalogue;
use dfslim::analysis::level::Level;
use dfslim::analysis::model::Model;
use dfslim::rules::{self, Finding, RULES, Selection, Severity};
use dfslim::syntax::{self, SyntaxError};

use super::config::Config;
use super::discover::{discover, display_path};
use super::render::{Report, line_col};
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

    /// Fail when the final stage is below this level.
    #[arg(long)]
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

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args, Debug, Default)]
pub struct ConfigArgs {
    /// Use this config file instead of the closest `.dfslim.yaml`.
    #[arg(long, conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every config file.
    #[arg(long)]
    pub isolated: bool,
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

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Info,
    None,
}

impl Threshold {
    fn parse(text: &str) -> Option<Threshold> {
        <Threshold as ValueEnum>::from_str(text, false).ok()
    }

    fn fails(self, severity: Severity) -> bool {
        match self {
            Threshold::None => false,
            Threshold::Error => severity >= Severity::Error,
            Threshold::Warning => severity >= Severity::Warning,
            Threshold::Info => true,
        }
    }
}

/// Settings for one file, after config and command line are combined.
#[derive(Clone)]
pub struct Settings {
    pub selection: Selection,
    pub threshold: Threshold,
    pub require: Option<Level>,
    pub catalogue: Arc<Catalogue>,
    pub config: Config,
}

/// The settings of a config file, shared by every file it applies to.
pub type SharedSettings = Arc<Result<Settings, String>>;

/// Resolves the config of each file once per config file.
pub struct SettingsResolver<'a> {
    args: &'a ConfigArgs,
    cache: HashMap<Option<PathBuf>, SharedSettings>,
}

impl<'a> SettingsResolver<'a> {
    pub fn new(args: &'a ConfigArgs) -> Self {
        SettingsResolver {
            args,
            cache: HashMap::new(),
        }
    }

    /// The settings for a file (`None` for stdin: the current directory's config).
    pub fn for_file(&mut self, path: Option<&Path>) -> SharedSettings {
        let config_path = if self.args.isolated {
            None
        } else if let Some(explicit) = &self.args.config {
            Some(explicit.clone())
        } else {
            let dir = path
                .and_then(Path::parent)
                .map(|p| {
                    if p.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        p
                    }
                })
                .unwrap_or(Path::new("."));
            std::path::absolute(dir)
                .ok()
                .and_then(|d| Config::find(&d))
                .map(|found| relative_to_cwd(&found))
        };
        self.cache
            .entry(config_path.clone())
            .or_insert_with(|| Arc::new(load_settings(config_path.as_deref())))
            .clone()
    }
}

/// A path below the current directory as a relative one, for shorter, stable reports.
fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

fn load_settings(path: Option<&Path>) -> Result<Settings, String> {
    let config = match path {
        Some(path) => Config::load(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let catalogue = match (&config.catalogue, path) {
        (Some(extra), Some(config_path)) => {
            let file = config_path.parent().unwrap_or(Path::new(".")).join(extra);
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("{}: cannot read catalogue: {e}", file.display()))?;
            let extra =
                Catalogue::from_yaml(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            Arc::new(Catalogue::builtin().merged(extra))
        }
        _ => Arc::new(Catalogue::builtin().clone()),
    };
    Ok(Settings {
        selection: Selection {
            select: config.select.clone(),
            ignore: config.ignore.clone(),
        },
        threshold: config
            .failure_threshold
            .as_deref()
            .and_then(Threshold::parse)
            .unwrap_or(Threshold::Warning),
        require: config.require.as_deref().and_then(|l| l.parse().ok()),
        catalogue,
        config,
    })
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
    Invalid(Vec<SyntaxError>),
    Checked(Checked),
}

pub struct Checked {
    pub findings: Vec<Finding>,
    pub level: Level,
    pub final_stage: Option<String>,
    pub base: Option<String>,
    pub threshold: Threshold,
    /// `Some(false)` when `--require` is not met.
    pub require: Option<(Level, bool)>,
}

pub fn run(args: &CheckArgs, out: &Out) -> Outcome {
    let files = match discover(&args.paths, &[]) {
        Ok(files) => files,
        Err(e) => {
            out.stderr(&format!("dfslim: error: {e}\n"));
            return Outcome::Error;
        }
    };
    let mut resolver = SettingsResolver::new(&args.config);
    let jobs: Vec<(PathBuf, SharedSettings)> = files
        .into_iter()
        .map(|file| {
            let settings = resolver.for_file((file.as_os_str() != "-").then_some(file.as_path()));
            (file, settings)
        })
        .filter(|(file, settings)| !excluded(file, settings))
        .collect();
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
    for chunk in jobs.chunks(CHUNK) {
        let rendered: Vec<Rendered> = chunk
            .par_iter()
            .map(|(file, settings)| render(&check_file(file, settings, args), format, out))
            .inspect(|_| progress.tick())
            .collect();
        report.add(rendered, out);
    }
    progress.finish();
    report.finish(out)
}

/// Files per chunk: enough to keep every core busy, few enough to bound memory.
pub const CHUNK: usize = 2048;

/// One file's share of the report.
struct Rendered {
    stdout: String,
    stderr: String,
    /// The `full` format's level line(s).
    summary: String,
    json: String,
    sarif: Vec<serde_json::Value>,
    findings: usize,
    checked: bool,
    outcome: Outcome,
}

fn render(result: &FileResult, format: CheckFormat, out: &Out) -> Rendered {
    let one = std::slice::from_ref(result);
    let stdout = match format {
        CheckFormat::Full => full_findings(result, out.stdout_color),
        CheckFormat::Concise => concise(one),
        CheckFormat::Github => github(one),
        CheckFormat::Json | CheckFormat::Sarif => String::new(),
    };
    Rendered {
        stdout,
        stderr: error_text(result, out.stderr_color),
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
        findings: checked(one).map(|(_, c)| c.findings.len()).sum(),
        checked: checked(one).next().is_some(),
        outcome: outcome(one),
    }
}

fn excluded(file: &Path, settings: &SharedSettings) -> bool {
    let Ok(settings) = settings.as_ref() else {
        return false;
    };
    let path = display_path(file);
    settings.config.exclude.iter().any(|pattern| {
        let trimmed = pattern.trim_end_matches('/');
        path == trimmed
            || path.starts_with(&format!("{trimmed}/"))
            || path.contains(&format!("/{trimmed}/"))
    })
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
    let mut selection = settings.selection.clone();
    if !args.select.is_empty() {
        selection.select = args.select.clone();
    }
    selection.ignore.extend(args.ignore.iter().cloned());
    let findings = rules::check(&model, &selection);
    let final_stage = model.final_stage();
    let level = final_stage.map_or(Level::Unknown, |s| model.level(s.index));
    let require = args
        .require
        .or(settings.require)
        .map(|required| (required, level.at_least(required).unwrap_or(false)));
    let checked = Checked {
        findings,
        level,
        final_stage: final_stage.map(|s| s.reference()),
        base: final_stage.and_then(|s| model.root_image(s.index).map(|i| i.familiar())),
        threshold: args.failure_threshold.unwrap_or(settings.threshold),
        require,
    };
    FileResult {
        name,
        text: source.text,
        outcome: FileOutcome::Checked(checked),
    }
}

fn outcome(results: &[FileResult]) -> Outcome {
    results
        .iter()
        .map(|r| match &r.outcome {
            FileOutcome::Unreadable(_)
            | FileOutcome::Misconfigured(_)
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

/// Errors that stop a file from being checked go to stderr in every format.
fn error_text(result: &FileResult, color: bool) -> String {
    match &result.outcome {
        FileOutcome::Unreadable(e) => super::parse_cmd::read_error_text(e, color),
        FileOutcome::Misconfigured(e) => format!("dfslim: error: bad config: {e}\n"),
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
        message: finding.message.clone(),
        label: finding.rule.name.to_string(),
        span: finding.span,
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
    files: usize,
    summary: String,
    json: Vec<String>,
    sarif: Vec<serde_json::Value>,
}

impl Summary {
    fn new(format: CheckFormat) -> Summary {
        Summary {
            format,
            outcome: Outcome::Clean,
            findings: 0,
            files: 0,
            summary: String::new(),
            json: Vec::new(),
            sarif: Vec::new(),
        }
    }

    fn add(&mut self, rendered: Vec<Rendered>, out: &Out) {
        let mut stdout = String::new();
        for r in rendered {
            out.stderr(&r.stderr);
            stdout.push_str(&r.stdout);
            self.outcome = self.outcome.max(r.outcome);
            self.findings += r.findings;
            self.files += usize::from(r.checked);
            self.summary.push_str(&r.summary);
            if self.format == CheckFormat::Json {
                self.json.push(r.json);
            }
            self.sarif.extend(r.sarif);
        }
        out.stdout(&stdout);
    }

    fn finish(self, out: &Out) -> Outcome {
        let text = match self.format {
            CheckFormat::Full => {
                let (total, files) = (self.findings, self.files);
                let mut text = self.summary;
                let _ = writeln!(
                    text,
                    "Found {total} problem{} in {files} file{}.",
                    if total == 1 { "" } else { "s" },
                    if files == 1 { "" } else { "s" }
                );
                text
            }
            CheckFormat::Concise | CheckFormat::Github => String::new(),
            CheckFormat::Json => super::files_document(&self.json),
            CheckFormat::Sarif => sarif(self.sarif),
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
            "{}: final stage `{}` on {base}: level {}",
            result.name,
            c.final_stage.as_deref().unwrap_or("-"),
            c.level
        );
        if let Some(message) = require_message(c) {
            let _ = writeln!(text, "{}: error: {message}", result.name);
        }
    }
    text
}

fn concise(results: &[FileResult]) -> String {
    let mut text = String::new();
    for (result, c) in checked(results) {
        for finding in &c.findings {
            let (line, col) = line_col(&result.text, finding.span.start);
            let _ = writeln!(
                text,
                "{}:{line}:{col}: {} [{}] {}",
                result.name,
                finding.rule.code,
                finding.rule.severity.as_str(),
                finding.message
            );
        }
        if let Some(message) = require_message(c) {
            let _ = writeln!(text, "{}:1:1: require {message}", result.name);
        }
    }
    text
}

fn position(text: &str, finding: &Finding) -> serde_json::Value {
    let (line, column) = line_col(text, finding.span.start);
    let (end_line, end_column) = line_col(text, finding.span.end);
    json!({"line": line, "column": column, "end_line": end_line, "end_column": end_column})
}

fn json_file(result: &FileResult) -> serde_json::Value {
    match &result.outcome {
        FileOutcome::Checked(c) => json!({
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
                "location": position(&result.text, f),
                "help": f.help,
            })).collect::<Vec<_>>(),
            "errors": [],
        }),
        FileOutcome::Invalid(errors) => json!({
            "path": result.name,
            "findings": [],
            "errors": errors.iter().map(|e| {
                let (line, column) = line_col(&result.text, e.span.start);
                json!({"code": e.code, "message": e.message, "line": line, "column": column})
            }).collect::<Vec<_>>(),
        }),
        FileOutcome::Unreadable(ReadError::Io { message, .. }) => json!({
            "path": result.name, "findings": [], "errors": [{"code": "io", "message": message}],
        }),
        FileOutcome::Unreadable(ReadError::Decode { error, .. }) => json!({
            "path": result.name, "findings": [], "errors": [{"code": error.code, "message": error.message}],
        }),
        FileOutcome::Misconfigured(message) => json!({
            "path": result.name, "findings": [], "errors": [{"code": "config", "message": message}],
        }),
    }
}

/// SARIF 2.1.0 with what GitHub code scanning reads: `tool.driver.rules[]` and, per result,
/// the rule, level, message and a region with start and end line and column.
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
            "results": sarif_results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
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
                        "artifactLocation": {"uri": result.name.replace('\\', "/")},
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

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
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
    fn thresholds() {
        assert!(Threshold::Warning.fails(Severity::Error));
        assert!(Threshold::Warning.fails(Severity::Warning));
        assert!(!Threshold::Warning.fails(Severity::Info));
        assert!(!Threshold::None.fails(Severity::Error));
        assert!(!Threshold::Error.fails(Severity::Warning));
    }
}
