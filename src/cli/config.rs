//! `.dfslim.yaml`: settings read from the closest config file above each Dockerfile, from
//! `--config PATH`, or from nowhere with `--isolated`. Unknown keys and bad values are
//! errors with their place, never ignored. [`SettingsResolver`] gives each file its
//! [`Settings`] (config and command line combined, loaded once per config file): `check` and
//! `rewrite` both go through it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

use dfslim::analysis::catalogue::Catalogue;
use dfslim::analysis::level::Level;
use dfslim::rules::{Selection, Severity};

use super::discover::discover;
use super::{Out, Outcome};

/// The file name searched for, walking up from a Dockerfile's folder.
pub const CONFIG_NAMES: [&str; 2] = [".dfslim.yaml", ".dfslim.yml"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rule codes (or prefixes, or names) not to report.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Rule codes (or prefixes, or names) to report; empty means all.
    #[serde(default)]
    pub select: Vec<String>,
    /// `error`, `warning`, `info` or `none`.
    pub failure_threshold: Option<String>,
    /// The lowest acceptable level of a final stage.
    pub require: Option<String>,
    /// `.gitignore`-style globs, relative to the config file's folder, of paths that `check`
    /// and `rewrite` skip when searching directories.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// `distroless` (default), `scratch` or `chainguard`.
    pub target_family: Option<String>,
    /// Force the final image of a rewrite.
    pub base: Option<String>,
    /// The name given to a build stage that has none.
    pub stage_name: Option<String>,
    /// Whether a runtime version no target carries may move to the nearest one that does.
    pub allow_version_change: Option<bool>,
    /// A YAML file with extra image catalogue entries (same schema as the built-in
    /// catalogue), relative to the config file.
    pub catalogue: Option<PathBuf>,
    /// Paths `dfslim trace` keeps although its trace did not see them.
    pub keep: Option<Vec<String>>,
}

/// A config file that could not be used.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("cannot read config: {e}"),
        })?;
        // Placed at its first bad byte, lines and columns from 1 as everywhere else.
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            ConfigError {
                path: path.to_path_buf(),
                line: valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1,
                column: String::from_utf8_lossy(&valid[line_start..])
                    .chars()
                    .count() as u64
                    + 1,
                message: "cannot read config: it is not valid UTF-8".into(),
            }
        })?;
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config = serde_saphyr::from_str(&text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message: without_position(&first_line(&e.to_string())),
            }
        })?;
        config.validate(path, &text)?;
        Ok(config)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let bad = |key: &str, message: String| {
            let (line, column) = key_position(text, key);
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        for (key, patterns) in [("select", &self.select), ("ignore", &self.ignore)] {
            if let Some(e) = patterns
                .iter()
                .find_map(|p| dfslim::rules::check_pattern(p).err())
            {
                return Err(bad(key, format!("{key}: {e}")));
            }
        }
        if let Some(t) = &self.failure_threshold
            && !matches!(t.as_str(), "error" | "warning" | "info" | "none")
        {
            return Err(bad(
                "failure-threshold",
                format!("failure-threshold must be error, warning, info or none, not `{t}`"),
            ));
        }
        if let Some(level) = &self.require
            && level.parse::<dfslim::analysis::level::Level>().is_err()
        {
            return Err(bad(
                "require",
                format!(
                    "require must be full-distro, shell, shellless, binaryless or distroless, not `{level}`"
                ),
            ));
        }
        if let Some(family) = &self.target_family
            && !matches!(family.as_str(), "distroless" | "scratch" | "chainguard")
        {
            return Err(bad(
                "target-family",
                format!("target-family must be distroless, scratch or chainguard, not `{family}`"),
            ));
        }
        if let Some(why) = self
            .stage_name
            .as_deref()
            .and_then(dfslim::syntax::stage_name_error)
        {
            return Err(bad("stage-name", format!("stage-name: {why}")));
        }
        Ok(())
    }

    /// The closest config file at or above `dir`.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .flat_map(|d| CONFIG_NAMES.iter().map(move |n| d.join(n)))
            .find(|p| p.is_file())
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).to_string()
}

/// serde-saphyr's message without the `error: line 2 column 1: ` it starts with: the
/// position is reported as `path:line:col` already.
fn without_position(message: &str) -> String {
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let after_position = message
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(position, _)| position.contains(" column "))
        .map(|(_, rest)| rest);
    after_position.unwrap_or(message).to_string()
}

/// The 1-based line and column of a top-level `key:` in a config text (`(1, 1)` when it
/// cannot be found, so that a position is always given).
fn key_position(text: &str, key: &str) -> (u64, u64) {
    text.lines()
        .enumerate()
        .find_map(|(i, line)| {
            let indent = line.len() - line.trim_start().len();
            let rest = line.trim_start().strip_prefix(key)?;
            rest.trim_start()
                .starts_with(':')
                .then_some((i as u64 + 1, indent as u64 + 1))
        })
        .unwrap_or((1, 1))
}

#[derive(Args, Clone, Debug, Default)]
pub struct ConfigArgs {
    /// Use this config file instead of the closest `.dfslim.yaml`.
    #[arg(long, conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every config file.
    #[arg(long)]
    pub isolated: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Info,
    None,
}

impl Threshold {
    pub fn parse(text: &str) -> Option<Threshold> {
        <Threshold as ValueEnum>::from_str(text, false).ok()
    }

    pub fn fails(self, severity: Severity) -> bool {
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
    /// The config's `exclude` globs, rooted at the config file's folder as `.gitignore`
    /// patterns are at theirs.
    pub exclude: Option<Gitignore>,
}

impl Settings {
    /// Whether `exclude` says not to take `path` when searching a folder.
    fn excludes(&self, path: &Path) -> bool {
        let Some(matcher) = &self.exclude else {
            return false;
        };
        let Ok(absolute) = std::path::absolute(path) else {
            return false;
        };
        // Patterns are relative to the config's folder; for a file outside it (a config
        // named with `--config`), relative to the current directory.
        let cwd = std::env::current_dir().unwrap_or_default();
        let Some(relative) = [matcher.path(), cwd.as_path()]
            .iter()
            .find_map(|root| absolute.strip_prefix(root).ok())
        else {
            return false;
        };
        matcher
            .matched_path_or_any_parents(relative, false)
            .is_ignore()
    }
}

/// The settings of a config file, shared by every file it applies to.
pub type SharedSettings = Arc<Result<Settings, String>>;

/// Resolves the config of each file once per config file.
pub struct SettingsResolver<'a> {
    args: &'a ConfigArgs,
    cache: HashMap<Option<PathBuf>, SharedSettings>,
    /// The config file of each folder seen: discovery and reading both ask for every file,
    /// and a folder's files share one answer.
    config_of_dir: HashMap<PathBuf, Option<PathBuf>>,
}

impl<'a> SettingsResolver<'a> {
    pub fn new(args: &'a ConfigArgs) -> Self {
        SettingsResolver {
            args,
            cache: HashMap::new(),
            config_of_dir: HashMap::new(),
        }
    }

    /// Whether the config that applies to `path` excludes it from folder searches.
    pub fn excluded(&mut self, path: &Path) -> bool {
        match self.for_file(Some(path)).as_ref() {
            Ok(settings) => settings.excludes(path),
            // The file is kept, so that its config error is reported with it.
            Err(_) => false,
        }
    }

    /// The files the command-line paths name, each with its settings. Folders that could
    /// not be read are reported on stderr; then the outcome is an error, but the files
    /// that were found still go through.
    pub fn discover(
        &mut self,
        paths: &[PathBuf],
        out: &Out,
    ) -> (Vec<(PathBuf, SharedSettings)>, Outcome) {
        let found = discover(paths, &mut |path| self.excluded(path));
        for error in &found.errors {
            out.error(error);
        }
        let jobs: Vec<_> = found
            .files
            .into_iter()
            .map(|file| {
                let settings = self.for_file((file.as_os_str() != "-").then_some(file.as_path()));
                (file, settings)
            })
            .collect();
        let outcome = if found.errors.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Error
        };
        // A mistyped folder in CI would pass in silence: say so, as ruff does ("No Python
        // files found under the given path(s)"). Nothing failed, so the exit code stays.
        if jobs.is_empty() && found.errors.is_empty() {
            out.stderr("dfslim: warning: no Dockerfiles found under the given paths\n");
        }
        (jobs, outcome)
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
            self.config_of_dir
                .entry(dir.to_path_buf())
                .or_insert_with(|| {
                    std::path::absolute(dir)
                        .ok()
                        .and_then(|d| Config::find(&d))
                        .map(|found| relative_to_cwd(&found))
                })
                .clone()
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

/// The text of a catalogue file a config names. Its errors quote the file, so it must be a
/// YAML text of the config's own tree: a regular file inside the config file's folder (not
/// `/proc/self/environ`, a device, or a path outside the repository), with no NUL byte and
/// valid UTF-8, checked before any parsing so that no snippet of anything else is shown.
fn read_catalogue_file(config_path: &Path, file: &Path) -> Result<String, String> {
    let refuse = |why: &str| Err(format!("{}: catalogue refused: {why}", file.display()));
    // `.dfslim.yaml` has the parent "" (here), which canonicalize does not take.
    let parent = config_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root = std::fs::canonicalize(parent)
        .map_err(|e| format!("{}: cannot read catalogue: {e}", file.display()))?;
    let resolved = std::fs::canonicalize(file)
        .map_err(|e| format!("{}: cannot read catalogue: {e}", file.display()))?;
    if !resolved.starts_with(&root) {
        return refuse("it must be a file inside the config file's folder");
    }
    let meta = std::fs::metadata(&resolved)
        .map_err(|e| format!("{}: cannot read catalogue: {e}", file.display()))?;
    if !meta.is_file() {
        return refuse("it is not a regular file");
    }
    if meta.len() > 8 << 20 {
        return refuse("it is over 8 MiB");
    }
    let bytes = std::fs::read(&resolved)
        .map_err(|e| format!("{}: cannot read catalogue: {e}", file.display()))?;
    if bytes.contains(&0) {
        return refuse("it holds a NUL byte, so it is not YAML text");
    }
    String::from_utf8(bytes).or_else(|_| refuse("it is not valid UTF-8, so it is not YAML text"))
}

fn load_settings(path: Option<&Path>) -> Result<Settings, String> {
    let config = match path {
        Some(path) => Config::load(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let catalogue = match (&config.catalogue, path) {
        (Some(extra), Some(config_path)) => {
            let file = config_path.parent().unwrap_or(Path::new(".")).join(extra);
            let text = read_catalogue_file(config_path, &file)?;
            let extra =
                Catalogue::from_yaml(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            Arc::new(Catalogue::builtin().merged(extra))
        }
        _ => Arc::new(Catalogue::builtin().clone()),
    };
    let exclude = if config.exclude.is_empty() {
        None
    } else {
        // `a/.dfslim.yaml` has the parent `a`, `.dfslim.yaml` the parent "" (here).
        let dir = path
            .and_then(Path::parent)
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let root = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut builder = GitignoreBuilder::new(root);
        for pattern in &config.exclude {
            builder
                .add_line(None, pattern)
                .map_err(|e| format!("bad exclude pattern `{pattern}`: {e}"))?;
        }
        Some(
            builder
                .build()
                .map_err(|e| format!("bad exclude patterns: {e}"))?,
        )
    };
    Ok(Settings {
        exclude,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".dfslim.yaml");
        std::fs::write(&path, yaml).unwrap();
        Config::load(&path)
    }

    #[test]
    fn reads_keys_and_refuses_unknown_ones() {
        let config =
            load("ignore: [DFS004]\nfailure-threshold: error\nrequire: distroless\n").unwrap();
        assert_eq!(config.ignore, ["DFS004"]);
        let err = load("ignore: [DFS004]\ncolour: red\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("colour"), "{err}");
        assert_eq!(err.column, 1, "{err}");
        assert!(
            !err.message.contains("line 2"),
            "the position is not repeated: {err}"
        );
        let err = load("select: [DFS001]\nrequire: tiny\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1), "{err}");
        assert!(load("failure-threshold: loud\n").is_err());
    }

    /// CLI review F17: a config that is not UTF-8 was placed at `0:0`.
    #[test]
    fn a_config_that_is_not_utf8_is_placed_from_1() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".dfslim.yaml");
        std::fs::write(&path, b"\xff\xfe\n").unwrap();
        let err = Config::load(&path).unwrap_err();
        assert_eq!((err.line, err.column), (1, 1), "{err}");
        assert!(err.message.contains("not valid UTF-8"), "{err}");
        std::fs::write(
            &path,
            "ignore: [DFS004]\n# \u{e9}t\u{e9}"
                .bytes()
                .chain([0xff])
                .collect::<Vec<u8>>(),
        )
        .unwrap();
        let err = Config::load(&path).unwrap_err();
        assert_eq!((err.line, err.column), (2, 6), "{err}");
    }
}
