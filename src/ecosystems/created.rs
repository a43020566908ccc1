//! What an application's own sources create: a folder it makes at start
//! (`os.makedirs("/data/uploads")`, `os.MkdirAll("data", …)`, `new File(BASE).mkdirs()`),
//! a file it writes or a database it opens. An image that ran as root could make them
//! anywhere, in `/` too when it had no WORKDIR; the rewrite runs the app as a non-root user,
//! who can only make them in the folders the new stage gives it, so each path is one the
//! rewrite must check (the user phase declines `needs-root` for one outside them, a
//! relative one taken from the WORKDIR).
//!
//! A shallow, line-based reading of every source file in the build context, in any of the
//! languages dfslim rewrites: a line that calls a creating or writing function, and the
//! string literals on it that name a path, or the names on it that the same file assigns
//! one (`UPLOADS = "/data/uploads"`, `File dir = new File(BASE);`). A relative literal
//! counts for a call that makes a folder, and for a write when it has a `.` or a `/` (a
//! file name, not a mode such as `"w"` or an encoding). Like the other source readings, a
//! finding can only make a rewrite decline.

use std::collections::BTreeMap;

use super::compiled::walk;

/// The calls that create or write a path, by source file extension.
fn creating_calls(file: &str) -> &'static [&'static str] {
    let extension = file.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "py" => &[
            "makedirs(",
            "mkdir(",
            ".write_text(",
            ".write_bytes(",
            ".touch(",
            "sqlite3.connect(",
            "FileHandler(",
        ],
        "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" => &[
            "mkdirSync(",
            "mkdir(",
            "writeFileSync(",
            "writeFile(",
            "appendFileSync(",
            "appendFile(",
            "createWriteStream(",
            "ensureDir(",
            "ensureDirSync(",
            "mkdirp(",
            "Database(",
        ],
        "go" => &[
            "MkdirAll(",
            "Mkdir(",
            "os.Create(",
            "WriteFile(",
            "OpenFile(",
        ],
        "java" | "kt" | "scala" => &[
            "mkdirs(",
            "mkdir(",
            "createDirectories(",
            "createDirectory(",
            "createFile(",
            "FileOutputStream(",
            "FileWriter(",
            "Files.write(",
            "Files.writeString(",
            "newBufferedWriter(",
        ],
        "rs" => &[
            "create_dir_all(",
            "create_dir(",
            "File::create(",
            "fs::write(",
        ],
        "cs" => &[
            "CreateDirectory(",
            "WriteAllText(",
            "WriteAllBytes(",
            "AppendAllText(",
            "File.Create(",
            "StreamWriter(",
        ],
        _ => &[],
    }
}

/// The calls that make a folder (the others write a file).
const MAKES_FOLDER: &[&str] = &[
    "makedirs(",
    "mkdir(",
    "mkdirSync(",
    "ensureDir(",
    "ensureDirSync(",
    "mkdirp(",
    "MkdirAll(",
    "Mkdir(",
    "mkdirs(",
    "createDirectories(",
    "createDirectory(",
    "create_dir_all(",
    "create_dir(",
    "CreateDirectory(",
];

/// Python's `open(path, "w")` writes; with a read mode, or none, it only reads.
fn python_open_writes(line: &str) -> bool {
    line.contains("open(")
        && ["\"w", "'w", "\"a", "'a", "\"x", "'x"]
            .iter()
            .any(|mode| line.contains(&format!(", {mode}")) || line.contains(&format!(",{mode}")))
}

/// Folders anyone may write, and those of the kernel: not a reason to keep root.
fn is_free(path: &str) -> bool {
    ["/tmp", "/var/tmp", "/dev", "/proc", "/sys"]
        .iter()
        .any(|dir| path == *dir || path.starts_with(&format!("{dir}/")))
}

/// The string literals of a line (`"…"`, `'…'`, `` `…` ``), with their prefix letters
/// (`f"…"`, `r'…'`) dropped and what a template or format fills in cut off
/// (`f"/data/{name}"` → `/data/`).
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !matches!(c, '"' | '\'' | '`') {
            continue;
        }
        let mut end = None;
        let mut escaped = false;
        for (i, d) in chars.by_ref() {
            if escaped {
                escaped = false;
            } else if d == '\\' {
                escaped = true;
            } else if d == c {
                end = Some(i);
                break;
            }
        }
        let Some(end) = end else { break };
        let text = &line[start + 1..end];
        let cut = text.find(['{', '$', '%']).unwrap_or(text.len());
        out.push(text[..cut].to_string());
    }
    out
}

/// The identifiers of a line.
fn names(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
}

/// The path a literal names: absolute (`/data/uploads`, not `/` alone, a URL with a
/// scheme, or a free folder) or relative (`data`, `./logs/app.log`, without `./`); not
/// text with spaces or other marks that paths rarely have.
fn path_like(literal: &str) -> Option<String> {
    let path = literal.trim_end_matches('/');
    let path = path.strip_prefix("./").unwrap_or(path);
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
        && !path.starts_with("//")
        && !path.starts_with('-')
        && !matches!(path, "." | "..");
    (plain && path != "/" && !is_free(path)).then(|| path.to_string())
}

/// The names a file assigns a path, directly (`UPLOADS = "/data/uploads"`,
/// `const dir = '/var/lib/app'`, `base := "/srv"`) or through another such name
/// (`File dir = new File(BASE);`).
fn assigned_paths(code: &str) -> BTreeMap<String, String> {
    let mut known: BTreeMap<String, String> = BTreeMap::new();
    // Twice: a name assigned from a name assigned further down.
    for _ in 0..2 {
        for line in code.lines() {
            let Some((left, right)) = assignment(line) else {
                continue;
            };
            let Some(name) = names(left).last() else {
                continue;
            };
            let value = literals(right)
                .iter()
                .find_map(|l| path_like(l))
                .or_else(|| names(right).find_map(|n| known.get(n).cloned()));
            if let Some(value) = value {
                known.entry(name.to_string()).or_insert(value);
            }
        }
    }
    known
}

/// A line's assignment, split at its `=` (or Go's `:=`): not `==`, `!=`, `<=`, `>=` or
/// `=>`, and not inside a literal.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'' | b'`') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'=') => {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + 1).copied();
                if matches!(before, Some(b'=' | b'!' | b'<' | b'>'))
                    || matches!(after, Some(b'=' | b'>'))
                {
                    return None;
                }
                let left = line[..i].trim_end_matches(':');
                return Some((left, &line[i + 1..]));
            }
            _ => {}
        }
    }
    None
}

/// The paths `code` (the file `file`) creates or writes, each with the call: absolute,
/// or relative to the working folder.
pub fn created_paths(file: &str, code: &str) -> Vec<(String, &'static str)> {
    let calls = creating_calls(file);
    let python = file.ends_with(".py");
    if calls.is_empty() {
        return Vec::new();
    }
    let known = assigned_paths(code);
    let mut out = Vec::new();
    for line in code.lines() {
        let call = calls
            .iter()
            .find(|c| line.contains(*c))
            .copied()
            .or_else(|| (python && python_open_writes(line)).then_some("open("));
        let Some(call) = call else { continue };
        let makes_folder = MAKES_FOLDER.contains(&call);
        let counts =
            |path: &String| path.starts_with('/') || makes_folder || path.contains(['.', '/']);
        let paths = literals(line)
            .iter()
            .filter_map(|l| path_like(l))
            .chain(names(line).filter_map(|n| known.get(n).cloned()))
            .filter(counts)
            .collect::<Vec<_>>();
        for path in paths {
            if !out.iter().any(|(p, _)| *p == path) {
                out.push((path, call));
            }
        }
    }
    out
}

/// Folders of the build context that hold no code the application runs: dependencies,
/// build outputs, tests and documentation.
const SKIPPED: &[&str] = &[
    "node_modules/",
    "vendor/",
    ".git/",
    "target/",
    "dist/",
    "build/",
    "bin/",
    "obj/",
    "test/",
    "tests/",
    "__tests__/",
    "spec/",
    "e2e/",
    "docs/",
    "examples/",
    ".venv/",
    "venv/",
];

/// Whether a file name is a test's (`main_test.go`, `test_app.py`, `app.test.js`,
/// `AppTest.java`).
fn is_test(name: &str) -> bool {
    name.ends_with("_test.go")
        || name.starts_with("test_")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.ends_with("Test.java")
        || name.ends_with("Tests.java")
        || name.ends_with("Test.kt")
}

/// The paths the application's sources in the build context create, each with the file
/// and the call: `(path, "file: call")`.
pub fn context_created_paths(read: &dyn Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    walk(
        read,
        vec![String::new()],
        |entry| !SKIPPED.contains(&entry) && !entry.starts_with('.'),
        |name| !creating_calls(name).is_empty() && !is_test(name),
        |path, code, _| {
            for (created, call) in created_paths(path, code) {
                if !out.iter().any(|(p, _)| *p == created) {
                    out.push((created, format!("{path}: {}", call.trim_end_matches('('))));
                }
            }
            false
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(file: &str, code: &str) -> Vec<String> {
        created_paths(file, code)
            .into_iter()
            .map(|(p, _)| p)
            .collect()
    }

    #[test]
    fn literal_and_named_paths_on_creating_lines() {
        let python = "import os\nUPLOADS = \"/data/uploads\"\nos.makedirs(UPLOADS, exist_ok=True)\n@app.route(\"/upload\")\ndef f(): pass\n";
        assert_eq!(paths("app.py", python), ["/data/uploads"]);
        let go =
            "func main() {\n\tif err := os.MkdirAll(\"/var/lib/app\", 0o755); err != nil {}\n}\n";
        assert_eq!(paths("main.go", go), ["/var/lib/app"]);
        let java =
            "static final String BASE = \"/code\";\nFile dir = new File(BASE);\ndir.mkdirs();\n";
        assert_eq!(paths("FileService.java", java), ["/code"]);
        let node = "const dir = process.env.DIR || '/var/lib/myapp';\nfs.mkdirSync(dir, { recursive: true });\n";
        assert_eq!(paths("server.js", node), ["/var/lib/myapp"]);
        let open = "with open(\"/srv/state.json\", \"w\") as f:\n    pass\nopen('/etc/app.conf')\n";
        assert_eq!(paths("app.py", open), ["/srv/state.json"]);
    }

    #[test]
    fn relative_folders_and_files_from_the_working_folder() {
        let go = "const dataDir = \"data\"\nos.MkdirAll(dataDir, 0o700)\nos.WriteFile(\"./links.json\", b, 0o600)\n";
        assert_eq!(paths("main.go", go), ["data", "links.json"]);
        let python = "os.makedirs(os.path.join(BASE_DIR, \"media\"), exist_ok=True)\nlogging.FileHandler(\"app.log\")\n";
        assert_eq!(paths("settings.py", python), ["media", "app.log"]);
    }

    #[test]
    fn free_folders_relative_paths_and_reads_are_not_creations() {
        let python = "os.makedirs(\"/tmp/cache\")\nopen(\"/data/x\")\nos.mkdir(b)\nopen(name, \"w\", encoding=\"utf-8\")\n";
        assert!(paths("app.py", python).is_empty());
        assert!(paths("README.md", "os.makedirs(\"/data\")").is_empty());
    }

    #[test]
    fn the_context_walk_skips_tests_and_dependencies() {
        let files: BTreeMap<&str, &str> = BTreeMap::from([
            ("", "app.py\ntests/\nnode_modules/\ntest_app.py\n"),
            ("app.py", "os.makedirs('/data/uploads')\n"),
            ("tests/", "conftest.py\n"),
            ("tests/conftest.py", "os.makedirs('/srv/fixtures')\n"),
            ("node_modules/", "x.js\n"),
            ("node_modules/x.js", "fs.mkdirSync('/opt/x')\n"),
            ("test_app.py", "os.makedirs('/srv/test')\n"),
        ]);
        let read = |path: &str| files.get(path).map(|s| s.to_string());
        let found = context_created_paths(&read);
        assert_eq!(
            found,
            [("/data/uploads".to_string(), "app.py: makedirs".to_string())]
        );
    }
}
