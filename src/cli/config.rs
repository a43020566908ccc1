//! `.dfslim.yaml`: settings read from the closest config file above each Dockerfile, from
//! `--config PATH`, or from nowhere with `--isolated`. Unknown keys and bad values are
//! errors with their place, never ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

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
    /// A YAML file with extra image catalogue entries (same schema as the built-in
    /// catalogue), relative to the config file.
    pub catalogue: Option<PathBuf>,
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
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read config: {e}"),
        })?;
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config = serde_saphyr::from_str(&text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
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
}
