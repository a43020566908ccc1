//! Where an application's own files use the home folder. An image that ran as root with
//! `WORKDIR /root/` (the Docker documentation's Go example) keeps its program and files in
//! root's home, which a non-root user may not enter; the rewrite moves them to a folder of
//! their own, which is only the same image when nothing finds them through the home
//! folder: no `/root` path, no `~/`, no call that asks for the home (`os.UserHomeDir()`,
//! `Path.home()`, `os.homedir()`), in the application's sources or any other file of the
//! build context it may read.
//!
//! A shallow reading, like [`super::created`]'s: a line that names one of these makes the
//! move decline. The home of the new user is another folder, so a program that finds a
//! file there by its home would no longer find it.

use super::compiled::walk;
use super::created::{descends, is_test, source_extensions};

/// Calls and variables that give the home folder, in the languages dfslim rewrites.
const HOME_CALLS: &[&str] = &[
    // Go
    "UserHomeDir",
    "UserConfigDir",
    "UserCacheDir",
    "homedir.",
    "user.Current()",
    // Python
    "expanduser",
    "Path.home()",
    "user_config_dir",
    "user_data_dir",
    "user_cache_dir",
    // Node
    "homedir()",
    "env.HOME",
    // Java
    "user.home",
    // .NET
    "SpecialFolder.UserProfile",
    "SpecialFolder.Personal",
    "SpecialFolder.ApplicationData",
    "SpecialFolder.LocalApplicationData",
    // Rust
    "home_dir",
    "config_dir()",
    // Any: the variable itself
    "\"HOME\"",
    "'HOME'",
    "$HOME",
    "${HOME}",
    "XDG_",
];

/// Files of the context that the application does not read: its documentation, its
/// Dockerfiles (which name `WORKDIR /root/` themselves) and lockfiles. Every other file may
/// be a config, a template or data that names a path (`cert = "/root/certs/ca.pem"` in an
/// `.hcl`, a `.j2` template, a file without an extension).
fn not_read_by_the_app(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".md", ".rst", ".adoc", ".lock", ".sum"]
        .iter()
        .any(|s| lower.ends_with(s))
        || lower.starts_with("dockerfile")
        || lower.ends_with(".dockerfile")
        || lower.starts_with("license")
        || lower.starts_with("readme")
        || matches!(
            lower.as_str(),
            ".dockerignore" | ".gitignore" | "package-lock.json" | "pnpm-lock.yaml"
        )
}

/// Whether `text` names a path in `/root` (`/root`, `/root/.config`), not `/rootfs`.
pub fn names_root(text: &str) -> bool {
    names_path(text, "/root")
}

/// Whether `text` names `path` or a path below it: `/app` in `WORKDIR /app` or
/// `"/app/data"`, not in `/apps`, `./app` or `/srv/app`.
pub fn names_path(text: &str, path: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    text.match_indices(path).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + path.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(|c| part(c) && c != '/')
    })
}

/// The first use of the home folder in `line` of a file: a `/root` path, a `~/` path, or
/// (in code) a call that asks for the home.
fn home_use(line: &str, code: bool) -> Option<String> {
    if names_root(line) {
        return Some("/root".into());
    }
    if line.contains("\"~/")
        || line.contains("'~/")
        || line.contains("`~/")
        || line.contains(": ~/")
    {
        return Some("~/".into());
    }
    if code && let Some(call) = HOME_CALLS.iter().find(|c| line.contains(**c)) {
        return Some((*call).to_string());
    }
    None
}

/// What the application's files in the build context say about the home folder: the
/// number of source files read in `languages` (all of dfslim's when empty), and the first
/// use found, as `file: line`: a `/root` path in any file the app may read, a home call in
/// its code.
pub fn context_home_use(
    read: &dyn Fn(&str) -> Option<String>,
    languages: &[&str],
) -> (usize, Option<String>) {
    let extensions: Vec<&str> = if languages.is_empty() {
        ["python", "node", "go", "java", "rust", "dotnet"]
            .iter()
            .flat_map(|l| source_extensions(l).iter().copied())
            .collect()
    } else {
        languages
            .iter()
            .flat_map(|l| source_extensions(l).iter().copied())
            .collect()
    };
    let is_code = |name: &str| extensions.iter().any(|e| name.ends_with(e));
    let is_config = |name: &str| !not_read_by_the_app(name);
    let mut sources = 0;
    let mut found = None;
    walk(
        read,
        vec![String::new()],
        descends,
        |name| (is_code(name) || is_config(name)) && !is_test(name),
        |path, text, _| {
            let code = is_code(path);
            sources += usize::from(code);
            // Lock files and manifests name packages, not paths the app opens.
            let name = path.rsplit('/').next().unwrap_or(path);
            if matches!(
                name,
                "package.json" | "package-lock.json" | "composer.json" | "tsconfig.json"
            ) {
                return false;
            }
            for line in text.lines() {
                let trimmed = line.trim_start();
                if code && (trimmed.starts_with("//") || trimmed.starts_with('#')) {
                    continue;
                }
                if let Some(what) = home_use(line, code) {
                    found = Some(format!(
                        "{path}: `{what}` in `{}`",
                        first_chars(trimmed, 80)
                    ));
                    return true;
                }
            }
            false
        },
    );
    (sources, found)
}

fn first_chars(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_paths_not_rootfs() {
        assert!(names_root("WORKDIR /root/"));
        assert!(names_root("\"/root\""));
        assert!(names_root("path: /root/.config/app"));
        assert!(!names_root("/rootfs/etc"));
        assert!(!names_root("/app/root/x"));
        assert!(!names_root("/roots"));
        assert!(names_path("COPY x /app/", "/app"));
        assert!(!names_path("CMD [\"./app\"]", "/app"));
        assert!(!names_path("/srv/app", "/app"));
    }

    #[test]
    fn home_uses_in_code_and_config() {
        assert!(home_use("home, _ := os.UserHomeDir()", true).is_some());
        assert!(home_use("p = Path.home() / '.app'", true).is_some());
        assert!(home_use("const d = process.env.HOME", true).is_some());
        assert!(home_use("data_dir: ~/data", false).is_some());
        assert!(home_use("cfg := \"config.yaml\"", true).is_none());
        // A config file's `HOME` key is not a call.
        assert!(home_use("\"HOME\": \"x\"", false).is_none());
    }

    #[test]
    fn the_walk_counts_sources_and_finds_the_first_use() {
        let files = |path: &str| match path {
            "" => Some("main.go\nconfig.yaml\nmain_test.go\n".to_string()),
            "main.go" => Some("package main\n// see /root/x\nfunc main() {}\n".to_string()),
            "config.yaml" => Some("listen: :8080\n".to_string()),
            "main_test.go" => Some("os.UserHomeDir()\n".to_string()),
            _ => None,
        };
        assert_eq!(context_home_use(&files, &["go"]), (1, None));
        let with_home = |path: &str| match path {
            "config.yaml" => Some("data: /root/data\n".to_string()),
            other => files(other),
        };
        let (n, found) = context_home_use(&with_home, &["go"]);
        assert_eq!(n, 1);
        assert!(found.unwrap().starts_with("config.yaml"));
    }
}
