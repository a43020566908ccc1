//! `dfslim rewrite`: plan the slim rewrite of each file and show it as a diff (default),
//! write it (`--write`), test for it (`--check`), print the new file (`--stdout`) or print
//! the plan (`--format json`).
//!
//! Before any output, each rewritten text is parsed again and checked: if it had a syntax
//! error or still ended on a full distro, the rewrite is withdrawn as a decline. A wrong
//! rewrite must never reach the user's file.

use std::path::{Path, PathBuf};

use clap::{ArgGroup, Args, ValueEnum};
use miette::Severity as MietteSeverity;
use rayon::prelude::*;
use serde_json::json;

use dfslim::analysis::catalogue::TargetFamily;
use dfslim::analysis::dockerignore::DockerIgnore;
use dfslim::analysis::stages::{Stages, TargetError};
use dfslim::rewrite::{self, Decline, Options, Plan, Status};
use dfslim::syntax;

use super::config::{ConfigArgs, SettingsResolver, SharedSettings};
use super::discover::display_path;
use super::file_error::FileError;
use super::render::Report;
use super::render::printable;
use super::source::{self, ReadError};
use super::{Out, Outcome};

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("mode").args(["write", "check", "stdout"])))]
pub struct RewriteArgs {
    /// Files or directories (searched for Dockerfiles); `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Apply the rewrite in place (atomically, keeping the file's mode). With `-` (standard
    /// input), print the new text alone, as --stdout does.
    #[arg(long)]
    pub write: bool,

    /// Print the diff and exit 1 if any file would change.
    #[arg(long)]
    pub check: bool,

    /// Print the whole rewritten file (one input only).
    #[arg(long)]
    pub stdout: bool,

    /// Output: a unified diff, or the plan as JSON.
    #[arg(long, value_enum, default_value_t = RewriteFormat::Diff)]
    pub format: RewriteFormat,

    /// The family of the final image.
    #[arg(long, value_enum)]
    pub target_family: Option<Family>,

    /// Force the final image (it must be in the catalogue).
    #[arg(long)]
    pub base: Option<String>,

    /// The name given to the build stage when it has none.
    #[arg(long)]
    pub stage_name: Option<String>,

    /// When no distroless image carries the runtime's version (Python 3.14, Node 20), move
    /// the build to the nearest version one does, with a warning naming both.
    #[arg(long)]
    pub allow_version_change: bool,

    /// The build context, read for Cargo.toml, go.mod and package.json (default: the
    /// Dockerfile's folder).
    #[arg(long)]
    pub context: Option<PathBuf>,

    /// The stage to treat as final (default: the last one).
    #[arg(long)]
    pub target: Option<String>,

    /// Build the Dockerfile with buildah, podman or docker, and read its final image for
    /// what the text alone cannot say: a program installed by a package manager or built
    /// by make, how it links, which libraries it loads. Static mode needs no engine.
    #[arg(long, help_heading = "Build")]
    pub build: bool,

    /// The engine for --build (default: the first of buildah, podman and docker on PATH).
    #[arg(long, value_enum, requires = "build", help_heading = "Build")]
    pub engine: Option<EngineName>,

    /// A build argument for --build, `NAME=VALUE`; repeatable.
    #[arg(
        long = "build-arg",
        value_name = "NAME=VALUE",
        requires = "build",
        help_heading = "Build"
    )]
    pub build_args: Vec<String>,

    /// With --build: build the rewrite too, run both images with their own command and
    /// compare exit codes and output, and check the rewrite has no shell. Only a verified
    /// rewrite is written.
    #[arg(long, requires = "build", help_heading = "Build")]
    pub verify: bool,

    /// A command run on the host while each image runs (`curl -fsS http://127.0.0.1:8080/`);
    /// its exit code and output are compared. Repeatable.
    #[arg(long, value_name = "CMD", requires = "verify", help_heading = "Build")]
    pub probe: Vec<String>,

    /// How long each image may run under --verify, in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 60,
        help_heading = "Build"
    )]
    pub timeout: u64,

    /// The name to use for standard input in messages.
    #[arg(long)]
    pub stdin_filename: Option<String>,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RewriteFormat {
    Diff,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineName {
    Buildah,
    Podman,
    Docker,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Family {
    Distroless,
    Scratch,
    Chainguard,
}

impl From<Family> for TargetFamily {
    fn from(f: Family) -> TargetFamily {
        match f {
            Family::Distroless => TargetFamily::Distroless,
            Family::Scratch => TargetFamily::Scratch,
            Family::Chainguard => TargetFamily::Chainguard,
        }
    }
}

/// What rewriting one file gave.
struct FileResult {
    name: String,
    path: Option<PathBuf>,
    text: String,
    outcome: FileOutcome,
}

enum FileOutcome {
    Unreadable(ReadError),
    Misconfigured(String),
    /// `--target` names no stage of this file.
    UnknownTarget(String),
    Invalid(Vec<syntax::SyntaxError>),
    /// `--build` could not build, open or run an image.
    BuildFailed(String),
    /// dfslim panicked while planning: its own bug ([`super::guard`]).
    Internal(String),
    Planned {
        plan: Box<Plan>,
        new_text: String,
        /// Whether `--base` (or the config's `base`) forced the final image.
        forced_base: bool,
        /// What `--verify` found.
        verification: Option<Box<dfslim::build::Verification>>,
    },
}

pub fn run(args: &RewriteArgs, out: &Out) -> Outcome {
    // A name BuildKit refuses would be written into every file: refuse it before any is read.
    if let Some(why) = args
        .stage_name
        .as_deref()
        .and_then(syntax::stage_name_error)
    {
        out.error(&format!("--stage-name: {why}"));
        return Outcome::Error;
    }
    // `--write -` prints stdin's new text, the whole of stdout: a diff of another file after
    // it would make it neither a Dockerfile nor a diff.
    if args.write && args.paths.len() > 1 && args.paths.iter().any(|p| p.as_os_str() == "-") {
        out.error("--write - takes no other input: standard input cannot be written back, so its new text is printed alone");
        return Outcome::Error;
    }
    let (jobs, walk_outcome) = SettingsResolver::new(&args.config).discover(&args.paths, out);
    if args.stdout && jobs.len() != 1 {
        out.error("--stdout takes exactly one input file");
        return Outcome::Error;
    }
    let progress = super::progress::Progress::on_stderr("planned", jobs.len());
    let mut outcome = walk_outcome;
    let mut json_files = super::JsonStream::new(out, args.format == RewriteFormat::Json);
    let mut tally = Tally {
        // A lone file's decline is shown with its place and advice; in a folder run, one
        // line per file keeps the report readable.
        snippets: jobs.len() == 1,
        ..Tally::default()
    };
    // As `check` does: plan a chunk on all cores, report and write it in file order, drop
    // its texts, go on. Memory holds one chunk (bounded in files and in bytes) and the plans.
    for chunk in super::check_cmd::chunks(&jobs) {
        // Builds run one at a time: an engine already uses every core.
        let results: Vec<FileResult> = if args.build {
            chunk
                .iter()
                .map(|(file, settings)| rewrite_file(file, settings, args))
                .inspect(|_| progress.tick())
                .collect()
        } else {
            chunk
                .par_iter()
                .map(|(file, settings)| rewrite_file(file, settings, args))
                .inspect(|_| progress.tick())
                .collect()
        };
        for result in &results {
            let file_outcome = report(result, args, out, &mut json_files, &mut tally);
            outcome = outcome.max(file_outcome);
        }
    }
    progress.finish();
    if args.format == RewriteFormat::Json {
        json_files.finish(Some(&json!({
            "files": tally.files(),
            "rewritten": tally.rewritten,
            "declined": tally.declined,
            "unchanged": tally.unchanged,
            "failed": tally.failed,
        })));
    } else {
        out.stderr(&tally.line(args));
    }
    outcome
}

/// What the files of a run came to, for the summary line and the JSON `summary`.
#[derive(Default)]
struct Tally {
    rewritten: usize,
    declined: usize,
    unchanged: usize,
    /// Files that could not be read, parsed, configured or written.
    failed: usize,
    snippets: bool,
}

impl Tally {
    fn files(&self) -> usize {
        self.rewritten + self.declined + self.unchanged + self.failed
    }

    /// `12 files: 3 rewritten, 7 declined, 2 unchanged; run with --write to apply`.
    fn line(&self, args: &RewriteArgs) -> String {
        let files = self.files();
        let mut line = format!(
            "{files} file{}: {} rewritten, {} declined, {} unchanged",
            if files == 1 { "" } else { "s" },
            self.rewritten,
            self.declined,
            self.unchanged
        );
        if self.failed > 0 {
            line.push_str(&format!(", {} failed", self.failed));
        }
        if self.rewritten > 0 && !args.write && !args.stdout {
            line.push_str("; run with --write to apply");
        }
        line.push('\n');
        line
    }
}

fn rewrite_file(file: &Path, settings: &SharedSettings, args: &RewriteArgs) -> FileResult {
    let is_stdin = file.as_os_str() == "-";
    let name = if is_stdin {
        args.stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".into())
    } else {
        display_path(file)
    };
    let path = (!is_stdin).then(|| file.to_path_buf());
    let settings = match settings.as_ref() {
        Ok(s) => s,
        Err(e) => {
            return FileResult {
                name,
                path,
                text: String::new(),
                outcome: FileOutcome::Misconfigured(e.clone()),
            };
        }
    };
    let source = match source::read(file, args.stdin_filename.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            return FileResult {
                name,
                path,
                text: String::new(),
                outcome: FileOutcome::Unreadable(e),
            };
        }
    };
    let options = Options {
        family: args
            .target_family
            .map(TargetFamily::from)
            .or_else(|| {
                settings
                    .config
                    .target_family
                    .as_deref()
                    .and_then(parse_family)
            })
            .unwrap_or(TargetFamily::Distroless),
        base: args.base.clone().or_else(|| settings.config.base.clone()),
        stage_name: args
            .stage_name
            .clone()
            .or_else(|| settings.config.stage_name.clone())
            .unwrap_or_else(|| "build".to_string()),
        allow_version_change: args.allow_version_change
            || settings.config.allow_version_change.unwrap_or(false),
        libraries_from_image: false,
    };
    let context_dir = args.context.clone().or_else(|| {
        path.as_ref()
            .map(|p| p.parent().map(Path::to_path_buf).unwrap_or_default())
    });
    // What the build never sees is not evidence: `Dockerfile.dockerignore` beside the
    // Dockerfile, else the context's `.dockerignore` (BuildKit's order).
    let ignore = context_dir.as_ref().map(|dir| {
        let beside = path.as_ref().and_then(|p| {
            let name = p.file_name()?.to_str()?;
            std::fs::read_to_string(p.with_file_name(format!("{name}.dockerignore"))).ok()
        });
        let text = beside
            .or_else(|| std::fs::read_to_string(dir.join(".dockerignore")).ok())
            .unwrap_or_default();
        DockerIgnore::parse(&text)
    });
    let reader = context_dir.map(|dir| {
        let ignore = ignore.unwrap_or_default();
        move |rel: &str| -> Option<String> {
            // Only files inside the context, and small ones: manifests, not data. The two
            // folders above it too, where a project's Compose file names this folder as a
            // service's build (`../compose.yaml`, then `../backend/Dockerfile`).
            let inner = rel
                .strip_prefix("../../")
                .or_else(|| rel.strip_prefix("../"))
                .unwrap_or(rel);
            // An absolute path would join to itself, outside the context.
            if inner.starts_with('/') || inner.split('/').any(|part| part == "..") {
                return None;
            }
            // `./` asks for the file whatever `.dockerignore` says (see ContextReader).
            let (rel, inside) = match rel.strip_prefix("./") {
                Some(rest) => (rest, false),
                None => (rel, !rel.starts_with("../")),
            };
            if inside && ignore.excludes(rel) {
                return None;
            }
            let path = if dir.as_os_str().is_empty() {
                PathBuf::from(if rel.is_empty() { "." } else { rel })
            } else {
                dir.join(rel)
            };
            if rel.is_empty() || rel.ends_with('/') {
                let entries = folder_entries(&path)?;
                if !inside {
                    return Some(entries);
                }
                let kept: Vec<&str> = entries
                    .lines()
                    .filter(|name| !ignore.excludes(&format!("{rel}{name}")))
                    .collect();
                return Some(kept.join("\n"));
            }
            let meta = std::fs::metadata(&path).ok()?;
            if !meta.is_file() || meta.len() > 1024 * 1024 {
                return None;
            }
            dfslim::ecosystems::build::context_text(&std::fs::read(path).ok()?)
        }
    });
    let context = reader
        .as_ref()
        .map(|r| r as &dyn Fn(&str) -> Option<String>);
    if let Some(target) = args.target.as_deref()
        && let Some(e) = unknown_target(&source.text, target)
    {
        return FileResult {
            name,
            path,
            text: source.text,
            outcome: FileOutcome::UnknownTarget(e),
        };
    }
    let forced_base = options.base.is_some();
    let planned = super::guard::guarded(|| {
        rewrite::rewrite_text(
            &source.text,
            &settings.catalogue,
            args.target.as_deref(),
            &options,
            context,
        )
    });
    let planned = match planned {
        Ok(planned) => planned,
        Err(e) => {
            return FileResult {
                name,
                path,
                outcome: FileOutcome::Internal(format!(
                    "internal error while planning the rewrite: {e}; the file is left as it is (please report this)"
                )),
                text: source.text,
            };
        }
    };
    let outcome = match planned {
        Ok(done) if args.build => {
            match build(
                &source.text,
                done,
                path.as_deref(),
                args,
                &settings.catalogue,
                &options,
            ) {
                Ok(built) => FileOutcome::Planned {
                    plan: Box::new(built.rewritten.plan),
                    new_text: built.rewritten.text,
                    forced_base,
                    verification: built.verification.map(Box::new),
                },
                Err(e) => FileOutcome::BuildFailed(e),
            }
        }
        Ok(done) => FileOutcome::Planned {
            plan: Box::new(done.plan),
            new_text: done.text,
            forced_base,
            verification: None,
        },
        Err(errors) => FileOutcome::Invalid(errors),
    };
    FileResult {
        name,
        path,
        outcome,
        text: source.text,
    }
}

/// `--build`: the static result verified, or a decline planned again from the built image.
fn build(
    text: &str,
    done: rewrite::Rewritten,
    path: Option<&Path>,
    args: &RewriteArgs,
    catalogue: &dfslim::analysis::catalogue::Catalogue,
    options: &Options,
) -> Result<dfslim::build::Built, String> {
    let Some(dockerfile) = path else {
        return Err("--build needs a Dockerfile on disk, not standard input".into());
    };
    let folder = dockerfile
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut build_args = Vec::new();
    for arg in &args.build_args {
        let (k, v) = arg
            .split_once('=')
            .ok_or_else(|| format!("--build-arg `{arg}` is not NAME=VALUE"))?;
        build_args.push((k.to_string(), v.to_string()));
    }
    let request = dfslim::build::Request {
        dockerfile: dockerfile.to_path_buf(),
        context: args.context.clone().unwrap_or_else(|| folder.to_path_buf()),
        build_args,
        engine: args.engine.map(|e| {
            match e {
                EngineName::Buildah => "buildah",
                EngineName::Podman => "podman",
                EngineName::Docker => "docker",
            }
            .to_string()
        }),
        verify: args.verify,
        probes: args.probe.clone(),
        timeout: std::time::Duration::from_secs(args.timeout),
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        target: args.target.clone(),
    };
    dfslim::build::rewrite(text, done, catalogue, options, &request).map_err(|e| e.to_string())
}

/// Why `--target` names no stage of `text`, if it does not. A file that does not parse is
/// left to the rewrite, which reports its syntax errors.
fn unknown_target(text: &str, target: &str) -> Option<String> {
    let tree = syntax::parse(text);
    if tree.has_errors() {
        return None;
    }
    match Stages::new(&tree).target(Some(target)) {
        Err(e @ TargetError::UnknownTarget { .. }) => Some(e.to_string()),
        _ => None,
    }
}

pub(super) fn parse_family(text: &str) -> Option<TargetFamily> {
    match text {
        "distroless" => Some(TargetFamily::Distroless),
        "scratch" => Some(TargetFamily::Scratch),
        "chainguard" => Some(TargetFamily::Chainguard),
        _ => None,
    }
}

fn report(
    result: &FileResult,
    args: &RewriteArgs,
    out: &Out,
    json_files: &mut super::JsonStream<'_>,
    tally: &mut Tally,
) -> Outcome {
    if !matches!(result.outcome, FileOutcome::Planned { .. }) {
        tally.failed += 1;
    }
    let note_base;
    let verified;
    let (plan, new_text) = match &result.outcome {
        FileOutcome::Unreadable(e) => {
            json_files.push(&error_entry(&result.name, &[FileError::read(e)]));
            return super::parse_cmd::report_read_error(e, out);
        }
        FileOutcome::Misconfigured(e) => {
            out.error(&format!("bad config: {e}"));
            json_files.push(&error_entry(
                &result.name,
                &[FileError::new("config", format!("bad config: {e}"))],
            ));
            return Outcome::Error;
        }
        FileOutcome::UnknownTarget(e) => {
            out.stderr(&format!(
                "dfslim: error: {}: {}\n",
                printable(&result.name, false),
                printable(&e.to_string(), false)
            ));
            json_files.push(&error_entry(
                &result.name,
                &[FileError::new("target", e.clone())],
            ));
            return Outcome::Error;
        }
        FileOutcome::Invalid(errors) => {
            for error in errors {
                out.stderr(
                    &Report::from_syntax_error(&result.name, &result.text, error)
                        .render(out.stderr_color),
                );
            }
            json_files.push(&error_entry(
                &result.name,
                &FileError::syntax(&result.text, errors),
            ));
            return Outcome::Error;
        }
        FileOutcome::BuildFailed(e) | FileOutcome::Internal(e) => {
            out.stderr(&format!(
                "dfslim: error: {}: {}\n",
                printable(&result.name, false),
                printable(e, false)
            ));
            let kind = match &result.outcome {
                FileOutcome::BuildFailed(_) => "build",
                _ => "internal",
            };
            json_files.push(&error_entry(
                &result.name,
                &[FileError::new(kind, e.clone())],
            ));
            return Outcome::Error;
        }
        FileOutcome::Planned {
            plan,
            new_text,
            forced_base,
            verification,
        } => {
            // A `--base` that cannot work is a usage error: the user asked for it.
            if let Some(decline) = plan.reason.as_ref().filter(|d| d.is_about_forced_base()) {
                let mut text = format!(
                    "dfslim: error: {}: {}\n",
                    printable(&result.name, false),
                    printable(&decline.message, false)
                );
                if let Some(help) = &decline.help {
                    text.push_str(&format!("  help: {}\n", printable(help, false)));
                }
                out.stderr(&text);
                tally.failed += 1;
                let mut error = FileError::new(decline.code.name(), decline.message.clone());
                error.help = decline.help.clone();
                json_files.push(&error_entry(&result.name, &[error]));
                return Outcome::Error;
            }
            // The decline holds whatever image is forced: say so, or the user tries another.
            note_base = *forced_base && plan.status == Status::Declined;
            verified = verification.as_deref();
            (plan, new_text)
        }
    };
    if args.format == RewriteFormat::Json {
        let mut value = serde_json::to_value(plan.as_ref()).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("path".into(), json!(result.name));
            // PRODUCT.md's schema: `reason` is the sentence, `code` its short id; both null
            // unless the file was declined.
            object.insert(
                "reason".into(),
                json!(plan.reason.as_ref().map(|r| &r.message)),
            );
            object.insert("code".into(), json!(plan.reason.as_ref().map(|r| r.code)));
            if let Some(verification) = verified {
                object.insert("verified".into(), json!(verification.verified));
                object.insert("verification".into(), json!(verification));
            }
            // Where the decline comes from, as `check` gives a finding's location, and
            // what to do about it.
            if let Some(decline) = &plan.reason {
                object.insert("help".into(), json!(decline.help));
                object.insert(
                    "location".into(),
                    json!(
                        decline
                            .span
                            .map(|s| super::render::location(&result.text, s))
                    ),
                );
                let related: Vec<_> = decline
                    .related
                    .iter()
                    .map(|(span, label)| {
                        let mut place = super::render::location(&result.text, *span);
                        place["label"] = json!(label);
                        place
                    })
                    .collect();
                object.insert("related".into(), json!(related));
            }
            // Every blocker, the most fundamental first; the first is `code`/`reason`.
            let blockers: Vec<_> = plan
                .blockers
                .iter()
                .map(|b| {
                    json!({
                        "code": b.code,
                        "message": b.message,
                        "help": b.help,
                        "location": b.span.map(|s| super::render::location(&result.text, s)),
                    })
                })
                .collect();
            object.insert("blockers".into(), json!(blockers));
        }
        json_files.push(&super::pretty(&value));
    } else if let Some(decline) = &plan.reason {
        out.stderr(&decline_text(
            result,
            decline,
            args,
            tally.snippets,
            note_base,
            out.stderr_color,
        ));
        out.stderr(&more_blockers(
            result,
            plan.blockers.get(1..).unwrap_or_default(),
        ));
    }
    if args.format != RewriteFormat::Json {
        for warning in &plan.warnings {
            out.stderr(&format!(
                "{}: warning[{}]: {}\n",
                printable(&result.name, false),
                warning.code,
                printable(&warning.message, false)
            ));
        }
    }
    let changed = plan.status == Status::Rewritten && *new_text != result.text;
    if plan.status == Status::Declined {
        tally.declined += 1;
    } else if !changed {
        tally.unchanged += 1;
    }
    // `--write -` has nowhere to write back but stdout: it means what `--stdout` means (the
    // new text alone, a filter), not a diff followed by the text.
    if args.stdout || (args.write && result.path.is_none()) {
        tally.rewritten += usize::from(changed);
        out.stdout(new_text);
        return Outcome::Clean;
    }
    if args.write
        && changed
        && let Some(path) = &result.path
        && let Err(e) = super::write::write_back(path, &result.text, new_text)
    {
        let message = match e {
            super::write::WriteError::Changed => format!(
                "dfslim: error: {} changed while dfslim was rewriting it; run again\n",
                printable(&result.name, false)
            ),
            e => format!(
                "dfslim: error: cannot write {}: {e}\n",
                printable(&result.name, false)
            ),
        };
        out.stderr(&message);
        tally.failed += 1;
        return Outcome::Error;
    }
    // After the write: a diff on stdout says the change was made, so a refused write has
    // none.
    if args.format == RewriteFormat::Diff && changed {
        out.stdout(&diff(
            &result.name,
            &result.text,
            new_text,
            out.stdout_color,
        ));
    }
    if changed {
        tally.rewritten += 1;
    }
    if args.check && changed {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// A file that could not be rewritten, in `--format json`: `status` `error` (counted in the
/// summary's `failed`), the first error's `code`, `reason`, `help`, `line` and `column`
/// (null when it has no place in the file), and every error in `errors`, as `check`'s
/// JSON gives them.
fn error_entry(path: &str, errors: &[FileError]) -> String {
    let first = errors.first().map(FileError::json).unwrap_or_default();
    super::pretty(&json!({
        "path": path,
        "status": "error",
        "code": first["code"],
        "reason": first["message"],
        "help": first["help"],
        "line": first["line"],
        "column": first["column"],
        "errors": errors.iter().map(FileError::json).collect::<Vec<_>>(),
    }))
}

/// `path: declined (code): message`, one line per declined file. With `--check`, it says
/// that the file does not count as a change (nothing would be written, so the exit code
/// stays 0). With `snippets`, the instruction that blocks the rewrite and the advice follow.
fn decline_text(
    result: &FileResult,
    decline: &Decline,
    args: &RewriteArgs,
    snippets: bool,
    note_base: bool,
    color: bool,
) -> String {
    let mut text = format!(
        "{}: declined ({}): {}",
        printable(&result.name, false),
        decline.code,
        printable(&decline.message, false)
    );
    if note_base {
        text.push_str(" (--base does not change this)");
    }
    if args.check {
        text.push_str(" — not counted as a change");
    }
    text.push('\n');
    if !snippets {
        return text;
    }
    match decline.span {
        Some(span) => {
            let report = Report {
                code: String::new(),
                severity: MietteSeverity::Warning,
                message: String::new(),
                label: "this blocks the rewrite".to_string(),
                span,
                related: decline.related.clone(),
                help: decline.help.clone(),
                source: miette::NamedSource::new(&result.name, result.text.clone()),
            };
            // The line above already says what and why: keep miette's snippet and help,
            // not its header.
            let rendered = report.render(color);
            let snippet_start = rendered
                .lines()
                .position(|line| line.contains('╭'))
                .unwrap_or(0);
            for line in rendered.lines().skip(snippet_start) {
                text.push_str(line);
                text.push('\n');
            }
        }
        None => {
            if let Some(help) = &decline.help {
                text.push_str(&format!("  help: {}\n", printable(help, false)));
            }
        }
    }
    text
}

/// The blockers after the first, one line each with its place and what to do: the first
/// is [`decline_text`]'s.
fn more_blockers(result: &FileResult, others: &[Decline]) -> String {
    let mut text = String::new();
    for blocker in others {
        let place = blocker.span.map_or(String::new(), |span| {
            let (line, column) = super::render::line_col(&result.text, span.start);
            format!(":{line}:{column}")
        });
        text.push_str(&format!(
            "{}{place}: also blocked ({}): {}\n",
            printable(&result.name, false),
            blocker.code,
            printable(&blocker.message, false)
        ));
        if let Some(help) = &blocker.help {
            text.push_str(&format!("  help: {}\n", printable(help, false)));
        }
    }
    text
}

/// A unified diff, coloured on a terminal.
pub fn diff(name: &str, old: &str, new: &str, color: bool) -> String {
    let text = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&diff_name("a/", name), &diff_name("b/", name))
        .to_string();
    // The diff quotes the input: its controls are shown (`^[`, as git does), never sent.
    text.split_inclusive('\n')
        .map(|raw| {
            // The line's own ending stays (a CRLF file's diff applies to it).
            let content = raw.trim_end_matches(['\n', '\r']);
            let ending = &raw[content.len()..];
            let line = printable(content, false);
            let code = if line.starts_with("+++") || line.starts_with("---") {
                "1"
            } else if line.starts_with('+') {
                "32"
            } else if line.starts_with('-') {
                "31"
            } else if line.starts_with("@@") {
                "36"
            } else {
                return format!("{line}{ending}");
            };
            if color {
                format!("\x1b[{code}m{line}\x1b[0m{ending}")
            } else {
                format!("{line}{ending}")
            }
        })
        .collect()
}

/// A path in a diff header, quoted the way git quotes it when it holds a control
/// character, a quote or a backslash (`"a/x\n+++ b/pwned"`), so that no name can forge a
/// header line that `patch` would follow.
fn diff_name(prefix: &str, name: &str) -> String {
    let path = format!("{prefix}{}", name.trim_start_matches('/'));
    if !path
        .chars()
        .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        return path;
    }
    let mut quoted = String::from("\"");
    for c in path.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    quoted.push_str(&format!("\\{byte:03o}"));
                }
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A context folder read as its entries (see [`dfslim::ecosystems::ContextReader`]): one
/// name per line, sorted, a folder's with a trailing `/`; symbolic links are left out, so
/// a walk stays inside the context. At most 2,000 entries: a source folder, not data.
fn folder_entries(path: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let kind = entry.file_type().ok()?;
            let name = entry.file_name().into_string().ok()?;
            if kind.is_dir() {
                Some(format!("{name}/"))
            } else if kind.is_file() {
                Some(name)
            } else {
                None
            }
        })
        .collect();
    names.sort();
    names.truncate(2000);
    Some(names.join("\n"))
}
