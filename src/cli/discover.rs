//! Finding Dockerfiles: explicit files as given, directories searched recursively for
//! every Dockerfile name, honouring `.gitignore` and the config's `exclude` globs.

use std::path::{Path, PathBuf};

/// Whether a file name is one of the Dockerfile names dfslim looks for.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

/// Expand the command-line paths into the files to check, in a stable order. Files named
/// explicitly are always taken; directories contribute their Dockerfiles. `-` is kept as is.
pub fn discover(paths: &[PathBuf], exclude: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(path);
        for pattern in exclude {
            overrides
                .add(&format!("!{pattern}"))
                .map_err(|e| format!("bad exclude pattern `{pattern}`: {e}"))?;
        }
        let overrides = overrides
            .build()
            .map_err(|e| format!("bad exclude patterns: {e}"))?;
        let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
            // Hidden folders such as `.devcontainer` hold Dockerfiles too; `.git` is
            // still skipped by the git filters.
            .hidden(false)
            // `.gitignore` files count outside a git repository too: a checkout exported
            // without `.git`, or a folder under another VCS, keeps its ignores.
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .overrides(overrides)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .filter(|e| is_dockerfile_name(&e.file_name().to_string_lossy()))
            .map(|e| e.into_path())
            .collect();
        found.sort();
        files.extend(found);
    }
    Ok(files)
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
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "FROM scratch\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "vendor/\n").unwrap();
        assert!(!root.join(".git").exists());
        let found: Vec<String> = discover(&[root.to_path_buf()], &[])
            .unwrap()
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
