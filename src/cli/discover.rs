//! Finding Dockerfiles: explicit files as given, directories searched recursively for
//! every Dockerfile name, honouring `.gitignore` and the config's `exclude` globs. `check`
//! and `rewrite` both find their files here, so that they never disagree on which files a
//! folder holds.

use std::path::{Path, PathBuf};

/// Whether a file name is one of the Dockerfile names dfslim looks for. BuildKit's
/// per-Dockerfile ignore files (`Dockerfile.dockerignore`, `api.Dockerfile.dockerignore`)
/// match the `Dockerfile.*` shape but are not Dockerfiles.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

/// What the command-line paths expand to.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files to read, in a stable order.
    pub files: Vec<PathBuf>,
    /// Folders (or entries) the walk could not read, as `cannot read PATH: why`. A run
    /// with any of these has not seen every file, so it ends with exit 2.
    pub errors: Vec<String>,
}

/// Expand the command-line paths into the files to check, in a stable order. Files named
/// explicitly are always taken; directories contribute their Dockerfiles, except those
/// `excluded` says no to (the config's `exclude`, which each file's own config decides).
/// `-` is kept as is.
pub fn discover(paths: &[PathBuf], excluded: &mut dyn FnMut(&Path) -> bool) -> Discovered {
    let mut discovered = Discovered::default();
    for path in paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            discovered.files.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        let walk = ignore::WalkBuilder::new(path)
            // Hidden folders such as `.devcontainer` hold Dockerfiles too; `.git` is
            // still skipped by the git filters.
            .hidden(false)
            // `.gitignore` files count outside a git repository too: a checkout exported
            // without `.git`, or a folder under another VCS, keeps its ignores.
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walk {
            match entry {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file())
                        && is_dockerfile_name(&e.file_name().to_string_lossy())
                        && !excluded(e.path())
                    {
                        found.push(e.into_path());
                    }
                }
                // An excluded folder that cannot be read was not wanted anyway.
                Err(e) => match walk_error(&e) {
                    (Some(where_), _) if excluded(&where_) => {}
                    (where_, why) => discovered.errors.push(format!(
                        "cannot read {}: {why}",
                        where_
                            .as_deref()
                            .map_or_else(|| path.display().to_string(), display_path)
                    )),
                },
            }
        }
        found.sort();
        discovered.files.extend(found);
    }
    // One file named twice (`Dockerfile ./Dockerfile`, a symlink and its target, a file and
    // its folder) is read once: a second `--write` would find the file changed by the first.
    let mut seen = std::collections::HashSet::new();
    discovered
        .files
        .retain(|file| match std::fs::metadata(file) {
            Ok(meta) if file.as_os_str() != "-" => {
                use std::os::unix::fs::MetadataExt;
                seen.insert((meta.dev(), meta.ino()))
            }
            _ => true,
        });
    discovered
}

/// The path a walk error is about, and why, in words (`Permission denied`, without the
/// `(os error 13)` that means nothing to a user).
fn walk_error(error: &ignore::Error) -> (Option<PathBuf>, String) {
    match error {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), walk_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::Loop { child, ancestor } => (
            Some(child.clone()),
            format!("a symlink loop back to {}", ancestor.display()),
        ),
        ignore::Error::Io(io) => {
            // The walker's own text repeats the path (`IO error for operation on DIR: …`);
            // the OS error alone says why.
            let os_error =
                std::iter::successors(Some(io as &(dyn std::error::Error + 'static)), |e| {
                    e.downcast_ref::<std::io::Error>()
                        .and_then(|io| io.get_ref().map(|inner| inner as _))
                        .or_else(|| e.source())
                })
                .find_map(|e| e.downcast_ref::<std::io::Error>()?.raw_os_error());
            let text = match os_error {
                Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
                None => io.to_string(),
            };
            let why = match text.find(" (os error") {
                Some(end) => text[..end].to_string(),
                None => text,
            };
            (None, why)
        }
        other => (None, other.to_string()),
    }
}

/// A path relative to the current directory when it is below it, for shorter reports.
pub fn display_path(path: &Path) -> String {
    path.strip_prefix("./")
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "Dockerfile.prod",
            "Containerfile.dev",
            "api.Dockerfile",
            "api.dockerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in ["Dockerfile-old", "README.md", "dockerfiles", "Makefile"] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }

    #[test]
    fn gitignore_is_honoured_outside_a_git_repository() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "Dockerfile",
            "svc/Containerfile",
            "svc/Dockerfile.prod",
            "api/api.dockerfile",
            "vendor/lib/Dockerfile",
            "notes/Dockerfile-old",
            "Dockerfile.dockerignore",
            "api/api.Dockerfile.dockerignore",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "FROM scratch\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "vendor/\n").unwrap();
        assert!(!root.join(".git").exists());
        let found: Vec<String> = discover(&[root.to_path_buf()], &mut |_| false)
            .files
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(
            found,
            [
                "Dockerfile",
                "api/api.dockerfile",
                "svc/Containerfile",
                "svc/Dockerfile.prod"
            ]
        );
    }
}
