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
use super::keys::{properties, yaml_keys};
use crate::analysis::env::normalize_path;

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
            "basicConfig(",
            "copytree(",
            "copyfile(",
            "shutil.copy(",
            "shutil.copy2(",
            "shutil.move(",
            "TinyDB(",
            "PersistentClient(",
            "shelve.open(",
            // A file handler in a logging dict (`dictConfig`, Django's LOGGING).
            "'filename':",
            "\"filename\":",
            // Temporary files in a folder of the app's choosing.
            "NamedTemporaryFile(",
            "TemporaryFile(",
            "TemporaryDirectory(",
            "mkstemp(",
            "mkdtemp(",
            // Django stores uploads there, making the folder on the first one.
            "MEDIA_ROOT",
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
            "DatabaseSync(",
            "Datastore(",
            "cpSync(",
            "copyFileSync(",
            "copyFile(",
            "renameSync(",
            "multer(",
            "transports.File(",
            "pino.destination(",
            "JSONFile(",
        ],
        "go" => &[
            "MkdirAll(",
            "Mkdir(",
            "os.Create(",
            "WriteFile(",
            "OpenFile(",
            // Embedded stores and loggers that make their files: bbolt, badger,
            // lumberjack, zap, viper.
            "bolt.Open(",
            "DefaultOptions(",
            "Filename:",
            "OutputPaths",
            "WriteConfigAs(",
            // buntdb, pebble, storm (bbolt), goleveldb, autocert's cache, temp files in a
            // folder of the app's choosing.
            "buntdb.Open(",
            "pebble.Open(",
            "storm.Open(",
            "leveldb.OpenFile(",
            "DirCache(",
            "CreateTemp(",
            "MkdirTemp(",
            // Web frameworks' upload helpers, which write the file where they are told
            // (gin's `c.SaveUploadedFile(file, "./uploads/"+name)`, fiber's `c.SaveFile`).
            "SaveUploadedFile(",
            "SaveFile(",
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
            "Files.copy(",
            // java.util.logging, writers and files opened by name, embedded stores.
            "FileHandler(",
            "PrintWriter(",
            "PrintStream(",
            "RandomAccessFile(",
            "createNewFile(",
            "createTempFile(",
            "FSDirectory.open(",
            "DBMaker.fileDB(",
            "RocksDB.open(",
            "MVStore.open(",
        ],
        "rs" => &[
            "create_dir_all(",
            "create_dir(",
            "File::create(",
            "fs::write(",
            // tracing-appender's rolling files, embedded stores, files opened to write.
            "rolling::",
            "RollingFileAppender",
            "sled::open(",
            "Database::create(",
            "DB::open(",
            "OpenOptions::new()",
        ],
        "cs" => &[
            "CreateDirectory(",
            "WriteAllText(",
            "WriteAllBytes(",
            "AppendAllText(",
            "File.Create(",
            "StreamWriter(",
            // LiteDB, files opened to write.
            "LiteDatabase(",
            "FileStream(",
            "File.AppendText(",
            "File.CreateText(",
            "File.OpenWrite(",
        ],
        _ => &[],
    }
}

/// The source file extensions of a runtime or toolchain the catalogue names (`python`,
/// `node`, `go`, `java`, `aspnetcore`, `dotnet-sdk`, `rust`).
pub fn source_extensions(runtime: &str) -> &'static [&'static str] {
    match runtime {
        "python" => &[".py"],
        "node" | "bun" | "deno" => &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"],
        "go" => &[".go"],
        "java" => &[".java", ".kt", ".scala"],
        "rust" => &[".rs"],
        r if r.starts_with("dotnet") || r == "aspnetcore" => &[".cs"],
        _ => &[],
    }
}

/// Whether a file is in one of `languages` (any of dfslim's when there are none): a
/// .NET app's JavaScript build helpers are not its code.
pub(crate) fn in_languages(name: &str, languages: &[&str]) -> bool {
    languages.is_empty()
        || languages
            .iter()
            .any(|l| source_extensions(l).iter().any(|e| name.ends_with(e)))
}

/// Whether a reading of the context's sources goes into a folder: not the dependencies,
/// outputs, tests and assets of [`SKIPPED`], nor hidden ones.
pub(crate) fn descends(entry: &str) -> bool {
    !SKIPPED.contains(&entry) && !entry.starts_with('.')
}

/// The calls that make a folder (the others write a file).
const MAKES_FOLDER: &[&str] = &[
    "MEDIA_ROOT",
    "DefaultOptions(",
    "pebble.Open(",
    "leveldb.OpenFile(",
    "DirCache(",
    "MkdirTemp(",
    "CreateTemp(",
    "FSDirectory.open(",
    "RocksDB.open(",
    "rolling::",
    "sled::open(",
    "DB::open(",
    "TemporaryDirectory(",
    "mkdtemp(",
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
    // An upload helper is given a folder and a name (`"./uploads/"+name`), and gin's
    // makes the folder.
    "SaveUploadedFile(",
    "SaveFile(",
];

/// `open(path, "w")` (Python's, `Path.open("a")`, `mode="a"`, fs/promises' `open(path,
/// 'a')`) writes; with a read mode, or none, it only reads.
fn open_writes(line: &str) -> bool {
    line.contains("open(")
        && ["\"w", "'w", "\"a", "'a", "\"x", "'x"].iter().any(|mode| {
            [",", ", ", "(", "=", "= "]
                .iter()
                .any(|before| line.contains(&format!("{before}{mode}")))
        })
}

/// The mode a folder-making call gives, when it leaves out the owner's search bit
/// (`os.Mkdir(dir, 0666)`, `os.makedirs(p, mode=0o644)`): only root can then enter the
/// folder it made, so an app moved off root could make it but not write in it.
fn locked_mode(line: &str) -> Option<String> {
    let bytes = line.as_bytes();
    line.char_indices().find_map(|(at, c)| {
        // An octal literal: `0666`, `0o644`, as a word of its own.
        if c != '0' || at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            return None;
        }
        let rest = &line[at + 1..];
        let digits_at = usize::from(rest.starts_with(['o', 'O']));
        let digits: String = rest[digits_at..]
            .chars()
            .take_while(|d| d.is_ascii_digit())
            .collect();
        if !(3..=4).contains(&digits.len()) || digits.chars().any(|d| d > '7') {
            return None;
        }
        let owner = digits.chars().nth(digits.len() - 3)?.to_digit(8)?;
        (owner & 1 == 0).then(|| line[at..at + 1 + digits_at + digits.len()].to_string())
    })
}

/// Whether an assigned value is a locked mode and nothing else (`0o644`,
/// `os.FileMode(0600)`, `0600;`): `err := os.WriteFile(p, b, 0600)` gives `err` no mode.
fn is_mode_value(value: &str) -> bool {
    let value = value.trim().trim_end_matches(';').trim();
    let inner = ["os.FileMode(", "fs.FileMode(", "FileMode("]
        .iter()
        .find_map(|w| value.strip_prefix(w).and_then(|v| v.strip_suffix(')')))
        .unwrap_or(value)
        .trim();
    locked_mode(inner).is_some_and(|mode| mode == inner)
}

/// The first folder the application's sources make with a mode only root can enter, as
/// `file: line`.
pub fn context_locked_folder(
    read: &dyn Fn(&str) -> Option<String>,
    languages: &[&str],
) -> Option<String> {
    let ours = |name: &str| in_languages(name, languages);
    let mut found = None;
    walk(
        read,
        vec![String::new()],
        descends,
        |name| !creating_calls(name).is_empty() && !is_test(name) && ours(name),
        |path, code, _| {
            // Names the file gives such a mode (`MODE = 0o644`).
            let locked_names: Vec<&str> = code
                .lines()
                .filter_map(|line| {
                    let (name, value) = line.split_once('=')?;
                    let name = name
                        .trim()
                        .trim_start_matches("const ")
                        .trim_end_matches(':');
                    let name = name.split_whitespace().last()?;
                    (names(name).count() == 1 && is_mode_value(value)).then_some(name)
                })
                .collect();
            for line in logical_lines(code) {
                if !MAKES_FOLDER.iter().any(|c| line.contains(c)) {
                    continue;
                }
                // The call's own text: a handler's body holds other calls and their modes.
                let line = call_scopes(&line, MAKES_FOLDER).unwrap_or(line);
                let mode = locked_mode(&line).or_else(|| {
                    names(&line)
                        .find(|n| locked_names.contains(n))
                        .map(str::to_string)
                });
                // The line holds a call that makes a folder: it was checked above, and
                // each of its scopes starts at one.
                if let Some(mode) = mode {
                    found = Some(format!("{path}: `{}` (mode {mode})", line.trim()));
                    return true;
                }
            }
            false
        },
    );
    found
}

/// A line that opens a SQLite database, which the driver creates and writes: Go's
/// `sql.Open("sqlite3", "app.db")` and gorm's `sqlite.Open("app.db")`, .NET's
/// `UseSqlite("Data Source=app.db")`, sqlx's `SqlitePool::connect("sqlite:app.db")`,
/// rusqlite's `Connection::open("app.db")`.
fn opens_sqlite(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    (lower.contains("sqlite")
        && [
            "open(",
            "connect(",
            "database(",
            "connection(",
            "usesqlite(",
            "filename(",
        ]
        .iter()
        .any(|call| lower.contains(call)))
        || line.contains("Connection::open(")
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
    // A SQLite database named by URL: `sqlite:////var/lib/app.db` (absolute),
    // `sqlite:///app.db` (relative), `jdbc:sqlite:/data/app.db`.
    // A driver's data source names it too: `file:app.db?cache=shared` (Go),
    // `sqlite://app.db` and `sqlite:app.db` (sqlx), `Data Source=app.db;` (.NET).
    let literal = literal
        .strip_prefix("sqlite:///")
        .or_else(|| literal.strip_prefix("jdbc:sqlite:"))
        .or_else(|| literal.strip_prefix("sqlite://"))
        .or_else(|| literal.strip_prefix("sqlite:"))
        .or_else(|| literal.strip_prefix("file:"))
        .or_else(|| literal.strip_prefix("Data Source="))
        .or_else(|| literal.strip_prefix("DataSource="))
        .or_else(|| literal.strip_prefix("Filename="))
        .unwrap_or(literal);
    let literal = literal.split(['?', ';']).next().unwrap_or(literal);
    let path = literal.trim_end_matches('/');
    let path = path.strip_prefix("./").unwrap_or(path);
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
        && !path.starts_with("//")
        && !path.starts_with('-')
        && !matches!(path, "." | "..");
    // A dotted name (`logging.FileHandler`, `app.models.User`) is code, not a file.
    let dotted_name = !path.contains('/')
        && path
            .rsplit_once('.')
            .is_some_and(|(_, last)| last.chars().any(|c| c.is_ascii_uppercase()));
    (plain && path != "/" && !is_free(path) && !dotted_name).then(|| path.to_string())
}

/// The names a file gives a path built from its own location (`HERE =
/// Path(__file__).parent`, `const uploads = path.join(__dirname, "..", "uploads")`) or from
/// the working folder (`process.cwd()`): each with the path it names, relative to that
/// place, and whether the place is the file's folder.
fn anchored_names(lines: &[String]) -> BTreeMap<String, (String, bool)> {
    let mut anchors = BTreeMap::new();
    // Twice: a name built from a name assigned further down.
    for _ in 0..2 {
        // The function a `return` belongs to (`def data_dir():`, `function dataDir() {`).
        let mut function: Option<String> = None;
        for line in lines {
            let trimmed = line.trim_start();
            if let Some(name) = function_name_of(trimmed) {
                function = Some(name);
            }
            let named = if let Some(value) = trimmed.strip_prefix("return ") {
                function.clone().map(|name| (name, value))
            } else if let Some((left, right)) = assignment(line) {
                names(left).last().map(|name| (name.to_string(), right))
            } else {
                // An object's or dict's key (`uploadDir: path.join(__dirname, …)`).
                trimmed.split_once(':').and_then(|(key, value)| {
                    let key = key.trim().trim_matches(['"', '\'']);
                    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                        .then(|| (key.to_string(), value))
                })
            };
            let Some((name, value)) = named else { continue };
            if let Some(anchored) = anchored_path(value, &anchors) {
                anchors.entry(name).or_insert(anchored);
            }
        }
    }
    anchors
}

/// The function a line starts: Python's `def name(`, JavaScript's `function name(` and
/// `const name = (…) =>`, Go's `func name(`.
fn function_name_of(line: &str) -> Option<String> {
    let rest = [
        "def ",
        "async def ",
        "function ",
        "async function ",
        "export function ",
        "func ",
    ]
    .iter()
    .find_map(|k| line.strip_prefix(k))
    .or_else(|| {
        let rest = line
            .strip_prefix("const ")
            .or_else(|| line.strip_prefix("export const "))?;
        (rest.contains("=>") || rest.contains("function")).then_some(rest)
    })?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The names a file gives a path above its own folder (see [`anchored_names`]), placed
/// where the image holds the file: shared with the other files under `@name`, for a
/// write through `config.uploadDir` or `dataDir()` in another file.
fn shared_anchors(
    file: &str,
    code: &str,
    place: &dyn Fn(&str) -> Option<String>,
    out: &mut BTreeMap<String, String>,
) {
    for (name, (path, from_file)) in anchored_names(&logical_lines(code)) {
        if !path.starts_with("..") {
            continue;
        }
        out.entry(format!("@{name}"))
            .or_insert_with(|| placed(file, path, from_file, place));
    }
}

/// Where a path built from `file`'s own folder (`from_file`) lands: from the folder the
/// image holds the file in, when the Dockerfile's COPYs say; else (and for a path from the
/// working folder) from the working folder, where an app's entry file mostly is.
fn placed(
    file: &str,
    relative: String,
    from_file: bool,
    place: &dyn Fn(&str) -> Option<String>,
) -> String {
    let folder = file.rsplit_once('/').map_or("", |(folder, _)| folder);
    match from_file.then(|| place(folder)).flatten() {
        Some(image_folder) => normalize_path(&format!(
            "{}/{relative}",
            image_folder.trim_end_matches('/')
        )),
        None => relative,
    }
}

/// A path a line builds from the source file's own location (`__dirname`, `__file__`,
/// `import.meta.url`, or a name in `anchors`) or from the working folder
/// (`process.cwd()`), with what it adds: the folders it climbs (`".."`, `os.pardir`,
/// `.parent`, `dirname(`, `.parents[1]`) and the segments it joins. The path is relative
/// to that place (`../uploads`), and the flag says whether the place is the file's folder.
/// `None` when the line builds nothing from either, or joins a value not known.
fn anchored_path(line: &str, anchors: &BTreeMap<String, (String, bool)>) -> Option<(String, bool)> {
    let dir_name = line.contains("__dirname") || line.contains("import.meta.dirname");
    let file_name = line.contains("__file__")
        || line.contains("__filename")
        || line.contains("import.meta.url")
        || line.contains("import.meta.filename");
    // `path.resolve("..", "data")` resolves its relative segments from the working folder.
    let cwd = [
        "process.cwd()",
        "os.getcwd()",
        "Path.cwd()",
        "os.Getwd()",
        "resolve(\"",
        "resolve('",
    ]
    .iter()
    .any(|c| line.contains(c));
    let first_of = |tokens: &[&str]| tokens.iter().filter_map(|t| line.find(t)).min();
    // A file's name is one `dirname`/`.parent` from its folder; a folder's is none.
    let (base, from_file, first, at) = if dir_name {
        let at = first_of(&["__dirname", "import.meta.dirname"])?;
        (String::new(), true, 0, at)
    } else if file_name {
        let at = first_of(&["__file__", "__filename", "import.meta"])?;
        (String::new(), true, 1, at)
    } else if cwd {
        let at = first_of(&[
            "process.cwd()",
            "os.getcwd()",
            "Path.cwd()",
            "os.Getwd()",
            "resolve(\"",
            "resolve('",
        ])?;
        (String::new(), false, 0, at)
    } else {
        let name = names(line).find(|n| anchors.contains_key(*n))?;
        let (base, from_file) = anchors[name].clone();
        (base, from_file, 0, line.find(name)?)
    };
    // The segments joined after the place (`__dirname, "..", "uploads"`), up to the first
    // literal that is no path segment (`'utf8'` is one; `"hello world"` ends them); a URL
    // names its relative path before the base (`new URL("../data", import.meta.url)`).
    let joined = if line.contains("new URL(") {
        line
    } else {
        &line[at..]
    };
    let mut climbs = 0;
    let mut rest = Vec::new();
    'literals: for literal in literals(joined) {
        for part in literal.split('/') {
            match part {
                ".." => climbs += 1,
                "" | "." => {}
                part if path_like(part).is_some() => rest.push(part.to_string()),
                _ => break 'literals,
            }
        }
    }
    climbs += line.matches("os.pardir").count();
    climbs += line.matches("dirname(").count().saturating_sub(first);
    climbs += line
        .match_indices(".parent")
        .filter(|(at, _)| !line[at + 7..].starts_with('s'))
        .count()
        .saturating_sub(first);
    climbs += line
        .match_indices(".parents[")
        .find_map(|(at, m)| {
            let index = line[at + m.len()..].split(']').next()?;
            index.parse::<usize>().ok().map(|n| n + 1 - first)
        })
        .unwrap_or(0);
    let mut parts: Vec<&str> = Vec::new();
    let segments = base
        .split('/')
        .chain(std::iter::repeat_n("..", climbs))
        .chain(rest.iter().map(String::as_str));
    for segment in segments {
        match segment {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            segment => parts.push(segment),
        }
    }
    Some((parts.join("/"), from_file))
}

/// Whether a line joins paths: `path.join(`, `os.path.join(`, `filepath.Join(`,
/// `path.resolve(`, pathlib's `/` (`BASE / "logs"`).
fn joins(line: &str) -> bool {
    line.contains("join(")
        || line.contains("Join(")
        || line.contains("resolve(")
        || line.contains(" / \"")
        || line.contains(" / '")
}

/// How many arguments the first call `call` on `line` is given (commas outside nested
/// parentheses and quotes, plus one).
fn top_level_arguments(line: &str, call: &str) -> usize {
    line.find(call)
        .map_or(0, |at| call_arguments(line, at + call.len()).1)
}

/// The names a file assigns a path, directly (`UPLOADS = "/data/uploads"`,
/// `const dir = '/var/lib/app'`, `base := "/srv"`) or through another such name
/// (`File dir = new File(BASE);`).
/// `known` holds the names the file is given from elsewhere (Spring's `@Value`).
fn assigned_paths(code: &str, mut known: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let lines = logical_lines(code);
    // Twice: a name assigned from a name assigned further down.
    for _ in 0..2 {
        for line in &lines {
            let Some((left, right)) = assignment(line) else {
                continue;
            };
            // Go's error results (`_, err := os.Stat("/etc/app.conf")`) and the blank
            // name hold no path, and `err` is on the line of almost every call that writes;
            // `out, err := filepath.Abs("/data/out.json")` gives it to `out`.
            let holds_no_path = |n: &str| {
                n == "_"
                    || n.starts_with("err") && n.len() <= 4
                    || ["if", "for", "while", "switch", "else", "return"].contains(&n)
            };
            let Some(name) = names(left).filter(|n| !holds_no_path(n)).last() else {
                continue;
            };
            // An absolute literal first (`os.getenv("DATA_DIR", "/data")`), and not an
            // environment variable's name.
            let candidates: Vec<String> = literals(right)
                .iter()
                .filter(|l| !is_constant(l))
                .filter_map(|l| path_like(l))
                .collect();
            // A relative literal joined to a name's path (`BASE / "logs"`,
            // `os.path.join(DATA, "x")`) is a segment of it.
            let joined = || {
                let base = names(right).find_map(|n| known.get(n))?;
                let segments: Vec<&String> =
                    candidates.iter().filter(|p| !p.starts_with('/')).collect();
                (joins(right) && !segments.is_empty()).then(|| {
                    let mut path = base.trim_end_matches('/').to_string();
                    for segment in segments {
                        path = format!("{path}/{segment}");
                    }
                    path
                })
            };
            let value = candidates
                .iter()
                .find(|p| p.starts_with('/'))
                .cloned()
                .or_else(joined)
                .or_else(|| candidates.first().cloned())
                .or_else(|| names(right).find_map(|n| known.get(n).cloned()));
            if let Some(value) = value {
                known.entry(name.to_string()).or_insert(value);
            }
        }
    }
    known
}

/// The names Spring injects a path into: a field or parameter after
/// `@Value("${file.upload-dir}")` (on its line or the next) takes the path the
/// properties give the key, or the placeholder's default (`${upload.dir:uploads}`).
fn injected_paths(code: &str, shared: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = code.lines().peekable();
    while let Some(line) = lines.next() {
        // `@Value(…)`, or spelled in full (`@org.springframework…annotation.Value(…)`).
        // Kotlin escapes the `$` (`@Value("\\${file.upload-dir}")`).
        let Some(at) = line
            .find("Value(\"${")
            .or_else(|| line.find("Value(\"\\${"))
            .filter(|at| line[..*at].contains('@'))
        else {
            continue;
        };
        // The placeholder as written (`literals` cuts a template off at its `$`).
        let Some(placeholder) = line[at..]
            .split_once('"')
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(text, _)| text.trim_start_matches('\\').to_string())
            .filter(|text| text.starts_with("${"))
        else {
            continue;
        };
        let path = match placeholder.split_once(':') {
            Some((key, default)) => shared
                .get(&format!("{key}}}"))
                .cloned()
                .or_else(|| path_like(default.trim_end_matches('}'))),
            None => shared.get(&placeholder).cloned(),
        };
        let Some(path) = path else { continue };
        // The declaration: after the annotation's `)`, or on the next line.
        let after = line[at..].split_once(')').map_or("", |(_, rest)| rest);
        let declaration = if names(after).next().is_some() {
            after
        } else {
            lines.peek().copied().unwrap_or("")
        };
        let declaration = declaration.split(['=', ';', ',', ')']).next().unwrap_or("");
        // Kotlin names come before their type (`private val uploadDir: String`).
        let declaration = declaration.split(':').next().unwrap_or(declaration);
        if let Some(name) = names(declaration).last() {
            out.insert(name.to_string(), path);
        }
    }
    out.extend(bound_getters(code, shared));
    out.extend(env_bound_names(code, shared));
    out
}

/// The names a line assigns from an environment variable that an env file or deploy file
/// gives a path: `DB = os.getenv("DB_PATH", "bot.db")` with `DB_PATH=/var/lib/bot.db` in
/// `.env` takes that path, not the default (`load_dotenv()`, Compose's `environment:`).
fn env_bound_names(code: &str, shared: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    const READS: &[&str] = &[
        "os.getenv(",
        "os.environ.get(",
        "os.environ[",
        "os.Getenv(",
        "process.env.",
        "process.env[",
        "env::var(",
        "Environment.GetEnvironmentVariable(",
        "System.getenv(",
    ];
    let mut out = BTreeMap::new();
    for line in code.lines() {
        let Some((left, right)) = line.split_once('=') else {
            continue;
        };
        let Some(at) = READS
            .iter()
            .find_map(|r| right.find(r).map(|at| at + r.len()))
        else {
            continue;
        };
        let key: String = right[at..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let Some(path) = shared.get(&key).filter(|p| p.starts_with('/')) else {
            continue;
        };
        // `DB`, `const DB`, `let db`, `db :`, `self.db`.
        let left = left.trim_end_matches([':', ' ']);
        if let Some(name) = names(left).last() {
            out.insert(name.to_string(), path.clone());
        }
    }
    out
}

/// The getters of `@ConfigurationProperties` classes that `code` calls, with the paths
/// their keys hold: `props.getUploadDir()` reads `*.upload-dir` (or `*.uploadDir`), bound
/// to the field by Spring's relaxed binding, whatever the class's prefix.
fn bound_getters(code: &str, shared: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (at, _) in code.match_indices(".get") {
        let rest = &code[at + 4..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let field = &rest[..end];
        if !field.starts_with(|c: char| c.is_ascii_uppercase()) || !rest[end..].starts_with("()") {
            continue;
        }
        let mut kebab = String::new();
        for (i, c) in field.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                kebab.push('-');
            }
            kebab.push(c.to_ascii_lowercase());
        }
        let mut camel = field.to_string();
        camel[..1].make_ascii_lowercase();
        let bound = shared.iter().find(|(key, _)| {
            key.starts_with("${")
                && (key.ends_with(&format!(".{kebab}}}")) || key.ends_with(&format!(".{camel}}}")))
        });
        if let Some((_, path)) = bound {
            out.insert(format!("get{field}"), path.clone());
        }
    }
    out
}

/// The paths among a Spring config file's keys, relative ones too, under the placeholder a
/// `@Value` names them by (`file.upload-dir` → `${file.upload-dir}`).
fn spring_paths(keys: Vec<(String, String)>, out: &mut BTreeMap<String, String>) {
    for (key, value) in keys {
        if let Some(path) = path_like(&value) {
            out.entry(format!("${{{key}}}")).or_insert(path);
        }
    }
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

/// The logical lines of `code`: a line goes on while a parenthesis or square bracket it
/// opened is open
/// (`os.makedirs(\n    "/data",\n)`), or when the next starts with an operator
/// (`|| '/var/lib/svc'`).
fn logical_lines(code: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth: i32 = 0;
    let mut long: Option<&str> = None;
    for line in code.lines() {
        let trimmed = line.trim_start();
        let continues = ["||", "??", "&&", "+", ".", "?", ":"]
            .iter()
            .any(|op| trimmed.starts_with(op))
            && !current.is_empty();
        if depth <= 0 && long.is_none() && !continues && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            depth = 0;
        }
        // Brackets outside literals, roughly: a quote's contents are skipped.
        let mut quote = None;
        let mut rest = line;
        while !rest.is_empty() {
            if let Some(open) = long {
                // Inside a string that spans lines (`"""`, `'''`, a template literal or a
                // Go raw string): its brackets (SQL's `CREATE TABLE t (`) are text.
                match rest.find(open) {
                    Some(at) => {
                        rest = &rest[at + open.len()..];
                        long = None;
                    }
                    None => rest = "",
                }
                continue;
            }
            if quote.is_none()
                && let Some(open) = ["\"\"\"", "'''", "`"]
                    .into_iter()
                    .find(|q| rest.starts_with(q))
            {
                long = Some(open);
                rest = &rest[open.len()..];
                continue;
            }
            let Some(c) = rest.chars().next() else { break };
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                // Not braces: a function's or a block's body is many statements.
                (None, '(' | '[') => depth += 1,
                (None, ')' | ']') => depth -= 1,
                _ => {}
            }
            rest = &rest[c.len_utf8()..];
        }
        current.push_str(line);
        current.push('\n');
        // A bound on what one statement may span.
        if current.len() > 2000 {
            depth = 0;
            long = None;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The text each of `calls` on a logical line has for itself: from the start of its
/// expression (its physical line, back over lines that continue it such as `.mkdirs()`,
/// after the bracket or comma its argument starts at) to the parenthesis that closes it.
/// A handler's body is one logical line with its route (`r.POST("/files", func(c) {…
/// c.SaveUploadedFile(f, "./uploads/"+name)…})`), whose literals are not the call's.
/// `None` when a call on the line does not end in `(`: the whole line is read then.
fn call_scopes(line: &str, calls: &[&str]) -> Option<String> {
    let mut out = String::new();
    for call in calls.iter().filter(|c| line.contains(*c)) {
        if !call.ends_with('(') {
            return None;
        }
        for (at, _) in line.match_indices(call) {
            let start = expression_start(line, at);
            let (end, _) = call_arguments(line, at + call.len());
            out.push_str(&line[start..end]);
            out.push('\n');
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Where the expression holding the text at `at` starts: the start of its physical line,
/// or of the lines above that it continues (a line that starts with `.` or an operator),
/// moved past the last bracket still open before `at` and the comma after it.
fn expression_start(line: &str, at: usize) -> usize {
    let mut start = line[..at].rfind('\n').map_or(0, |i| i + 1);
    while start > 0 {
        let this = line[start..].trim_start();
        let continues = [".", "||", "??", "&&", "+", "?", ":", ")"]
            .iter()
            .any(|op| this.starts_with(op));
        if !continues {
            break;
        }
        start = line[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    // Each open bracket's segment start, innermost last.
    let mut opened: Vec<usize> = Vec::new();
    let mut segment = start;
    let mut quote = None;
    for (i, c) in line[start..at].char_indices() {
        let i = start + i;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                opened.push(segment);
                segment = i + 1;
            }
            (None, ')' | ']' | '}') => segment = opened.pop().unwrap_or(start),
            (None, ',') => segment = i + 1,
            _ => {}
        }
    }
    segment
}

/// The arguments of a call that start at `from`, just after its `(`: where they end
/// (after the closing parenthesis, or at the end of `line` when it does not close there)
/// and how many there are (commas outside nested brackets and quotes, plus one).
fn call_arguments(line: &str, from: usize) -> (usize, usize) {
    let mut depth = 1;
    let mut count = 1;
    let mut quote = None;
    for (i, c) in line[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return (from + i + 1, count);
                }
            }
            (None, ',') if depth == 1 => count += 1,
            _ => {}
        }
    }
    (line.len(), count)
}

/// Whether a name is written as a constant (`UPLOAD_DIR`): the names shared between files.
fn is_constant(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && !name.chars().any(|c| c.is_ascii_lowercase())
}

/// The paths `code` (the file `file`) creates or writes, each with the call: absolute,
/// or relative to the working folder. `shared` holds the paths that other files of the
/// context give constants and settings (`UPLOAD_DIR = "/data"` in `settings.py`,
/// `DATA_DIR=/data` in `.env`, `path: /data/files` in `config.yaml`), looked up by a
/// constant's name or by a literal key (`os.environ["DATA_DIR"]`, `cfg["path"]`).
pub fn created_paths(
    file: &str,
    code: &str,
    shared: &BTreeMap<String, String>,
    place: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, &'static str)> {
    let calls = creating_calls(file);
    if calls.is_empty() {
        return Vec::new();
    }
    let known = assigned_paths(code, injected_paths(code, shared));
    // The logical lines, read once for the names and for the calls.
    let lines = logical_lines(code);
    let anchors = anchored_names(&lines);
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let mut push = |path: String, call: &'static str| {
        if !out.iter().any(|(p, _)| *p == path) {
            out.push((path, call));
        }
    };
    for line in lines {
        // A SQLite database named by URL is made where it points, whoever opens it.
        for literal in literals(&line) {
            if (literal.starts_with("sqlite:///") || literal.starts_with("jdbc:sqlite:"))
                && let Some(path) = path_like(&literal)
            {
                push(path, "a SQLite URL");
            }
        }
        let call = calls
            .iter()
            .find(|c| line.contains(*c))
            .copied()
            .or_else(|| opens_sqlite(&line).then_some("a SQLite database"))
            .or_else(|| {
                // JavaScript's `open` that writes is fs's; a browser library's `open(` is
                // not a file's.
                let fs_open = !file.ends_with(".js") && !file.ends_with(".ts")
                    || ["fs.open(", "fsp.open(", "promises.open("]
                        .iter()
                        .any(|c| line.contains(c));
                (fs_open && open_writes(&line)).then_some("open(")
            });
        let Some(call) = call else { continue };
        // A call from the list is read in its own text, when it has one.
        let line = if calls.contains(&call) {
            call_scopes(&line, calls).unwrap_or(line)
        } else {
            line
        };
        // `File.createTempFile(prefix, suffix)` writes in java.io.tmpdir (/tmp); only the
        // three-argument form names a folder.
        if call == "createTempFile(" && top_level_arguments(&line, call) < 3 {
            continue;
        }
        let makes_folder = MAKES_FOLDER.contains(&call);
        let counts =
            |path: &String| path.starts_with('/') || makes_folder || path.contains(['.', '/']);
        let literal_values = literals(&line);
        // A literal that names a setting (`os.environ["DATA_DIR"]`, `cfg["path"]`) is a
        // key, not a path.
        let key = |l: &str| {
            is_constant(l)
                || shared.contains_key(l)
                || line.contains(&format!("[\"{l}\"]"))
                || line.contains(&format!("['{l}']"))
        };
        // A path built from the file's or the working folder that climbs above it.
        let climbed = anchored_path(&line, &anchors)
            .filter(|(path, _)| path.starts_with(".."))
            .map(|(path, from_file)| placed(file, path, from_file, place));
        let climbs = climbed.is_some();
        let paths = literal_values
            .iter()
            .filter(|_| !climbs)
            .filter(|l| l.starts_with('/') || !key(l))
            .filter_map(|l| path_like(l))
            // A name for a path built from the file's folder is read above when it climbs.
            .chain(
                names(&line)
                    .filter(|n| !(climbs && anchors.contains_key(*n)))
                    .filter_map(|n| {
                        known
                            .get(n)
                            .or_else(|| is_constant(n).then(|| shared.get(n)).flatten())
                            .cloned()
                    }),
            )
            .chain(
                literal_values
                    .iter()
                    .filter_map(|l| shared.get(l.as_str()).cloned()),
            )
            // A path above its own folder that another file gives a name or a function.
            .chain(names(&line).filter_map(|n| shared.get(&format!("@{n}")).cloned()))
            // A settings file's path, through a struct field tagged with its key.
            .chain(tagged_field_paths(&line, shared))
            .chain(climbed)
            .filter(counts)
            .collect::<Vec<_>>();
        // A relative literal joined to an absolute base (`path.join(DATA, 'x')`) is a
        // segment of it, not a path from the working folder.
        // A folder above the source file's own (`..`) is a base too.
        let base = |p: &str| p.starts_with('/') || p.starts_with("..");
        let based = joins(&line) && paths.iter().any(|p| base(p));
        for path in paths {
            if !based || base(&path) {
                push(path, call);
            }
        }
    }
    out
}

/// What a file of the context gives names to share: a source file's constants, an env
/// file's variables, a config file's keys (`key: /data` in YAML, `key = "/data"` in TOML),
/// each with an absolute path.
fn shared_paths(file: &str, code: &str, out: &mut BTreeMap<String, String>) {
    let name = file.rsplit('/').next().unwrap_or(file);
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        // Spring's `application.yml`: dotted keys, relative paths too, shared as the
        // placeholder a `@Value` names (`file:` / `  upload-dir: ./uploads` →
        // `${file.upload-dir}`).
        if name.starts_with("application") {
            spring_paths(yaml_keys(code), out);
        }
        for line in code.lines() {
            // Compose's `environment:` as a list (`- DB_PATH=/var/lib/bot.db`).
            if let Some(item) = line.trim().strip_prefix("- ")
                && let Some((key, value)) = item.trim().trim_matches(['"', '\'']).split_once('=')
                && let Some(path) = path_like(value.trim().trim_matches(['"', '\'']))
                && path.starts_with('/')
                && !key.is_empty()
                && !key.contains(char::is_whitespace)
            {
                out.entry(key.to_string()).or_insert(path);
                continue;
            }
            if let Some((key, value)) = line.split_once(':')
                && let Some(path) = path_like(value.trim().trim_matches(['"', '\'']))
                && path.starts_with('/')
            {
                let key = key.trim().trim_start_matches("- ");
                if !key.is_empty() && !key.contains(char::is_whitespace) {
                    out.entry(key.to_string()).or_insert(path);
                }
            }
        }
        return;
    }
    if name.starts_with(".env") || name.ends_with(".env") {
        // `KEY=value`, the value unquoted or quoted.
        for line in code.lines() {
            if let Some((key, value)) = line.split_once('=')
                && let Some(path) = path_like(value.trim().trim_matches(['"', '\'']))
                && path.starts_with('/')
            {
                let key = key.trim().trim_start_matches("export ").trim();
                out.entry(key.to_string()).or_insert(path);
            }
        }
        return;
    }
    if name.ends_with(".properties") {
        // Spring's `file.upload-dir=./uploads`, relative paths too (from the working
        // folder), shared as the placeholder a `@Value` names: `${file.upload-dir}`.
        spring_paths(properties(code), out);
        return;
    }
    if name.ends_with(".go") {
        struct_tag_keys(code, out);
    }
    let config = name.ends_with(".toml");
    for (key, path) in assigned_paths(code, BTreeMap::new()) {
        let key = key.trim_start_matches("export ").to_string();
        if (config && path.starts_with('/')) || (!config && is_constant(&key)) {
            out.entry(key).or_insert(path);
        }
    }
}

/// The keys a Go struct's tags give its fields (`DataDir string \`yaml:"data_dir"\``),
/// shared as `~DataDir` → `data_dir`, so that a call on `cfg.DataDir` takes the path a
/// settings file gives that key (`data_dir: /var/lib/app` in config.yaml, `DATA_DIR=` in
/// .env for an `env:"DATA_DIR"` tag). Several structs may tag one field name: the keys
/// are kept one per line.
fn struct_tag_keys(code: &str, out: &mut BTreeMap<String, String>) {
    const TAGS: &[&str] = &[
        "yaml:\"",
        "json:\"",
        "toml:\"",
        "mapstructure:\"",
        "koanf:\"",
        "env:\"",
    ];
    for line in code.lines() {
        let trimmed = line.trim_start();
        let Some(field) = trimmed.split_whitespace().next() else {
            continue;
        };
        if !field.starts_with(|c: char| c.is_ascii_uppercase()) || !trimmed.contains('`') {
            continue;
        }
        for tag in TAGS {
            let Some((before, rest)) = trimmed.split_once(tag) else {
                continue;
            };
            // `env:"…"`, not the end of another tag's name (`xenv:"…"`).
            if before.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                continue;
            }
            let Some(key) = rest
                .split(['"', ','])
                .next()
                .filter(|k| !k.is_empty() && *k != "-")
            else {
                continue;
            };
            let keys = out.entry(format!("~{field}")).or_default();
            if !keys.lines().any(|k| k == key) {
                if !keys.is_empty() {
                    keys.push('\n');
                }
                keys.push_str(key);
            }
        }
    }
}

/// The paths settings files give the keys a struct field is tagged with
/// ([`struct_tag_keys`]), for a field the line selects (`c.DataDir`).
fn tagged_field_paths(line: &str, shared: &BTreeMap<String, String>) -> Vec<String> {
    names(line)
        .filter(|n| line.contains(&format!(".{n}")))
        .filter_map(|n| shared.get(&format!("~{n}")))
        .flat_map(|keys| keys.lines())
        .filter_map(|key| shared.get(key).cloned())
        .collect()
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
    // What a browser loads: static assets, not the server's code.
    "static/",
    "public/",
    "assets/",
    "wwwroot/",
    ".venv/",
    "venv/",
];

/// Whether a file is not the application's running code: a test's (`main_test.go`,
/// `test_app.py`, `app.test.js`, `AppTest.java`), a build tool's or a browser bundle.
pub(crate) fn is_test(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // Build tools' files (a Gulpfile, webpack's config) run in the build, and minified
    // bundles in the browser.
    let build_or_browser = lower.starts_with("gulpfile")
        || lower.starts_with("gruntfile")
        || [
            ".config.js",
            ".config.ts",
            ".config.mjs",
            ".config.cjs",
            ".min.js",
            ".bundle.js",
        ]
        .iter()
        .any(|s| lower.ends_with(s));
    build_or_browser
        || name.ends_with("_test.go")
        || name.starts_with("test_")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.ends_with("Test.java")
        || name.ends_with("Tests.java")
        || name.ends_with("Test.kt")
}

/// Whether a file of the context holds settings another file may read: an env file, or
/// a YAML or TOML config.
fn is_settings(name: &str) -> bool {
    name.ends_with(".properties")
        || name.starts_with(".env")
        || name.ends_with(".env")
        || name.ends_with(".yaml")
        || name.ends_with(".yml")
        || name.ends_with(".toml")
}

/// The paths the application's sources in the build context create, each with the file
/// and the call: `(path, "file: call")`. Two passes: the names files share, then the
/// calls. `place` gives the image's folder for a folder of the context, where the
/// Dockerfile's COPYs say (`mysite` → `/app/mysite` after `COPY . /app`).
pub fn context_created_paths(
    read: &dyn Fn(&str) -> Option<String>,
    languages: &[&str],
    place: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let descend = descends;
    // Only the languages the Dockerfile builds or runs (a .NET app's JavaScript build
    // helpers are not its code); all when none is known.
    let ours = |name: &str| in_languages(name, languages);
    let mut shared = BTreeMap::new();
    walk(
        read,
        vec![String::new()],
        descend,
        |name| {
            ((!creating_calls(name).is_empty() && ours(name)) || is_settings(name))
                && !is_test(name)
        },
        |path, code, _| {
            shared_paths(path, code, &mut shared);
            if !creating_calls(path).is_empty() {
                shared_anchors(path, code, place, &mut shared);
            }
            false
        },
    );
    let mut out: Vec<(String, String)> = Vec::new();
    walk(
        read,
        vec![String::new()],
        descend,
        |name| !creating_calls(name).is_empty() && !is_test(name) && ours(name),
        |path, code, _| {
            for (created, call) in created_paths(path, code, &shared, place) {
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

    #[test]
    fn a_tagged_field_takes_its_key_s_path() {
        let mut shared = BTreeMap::new();
        shared_paths(
            "config.yaml",
            "store:\n  data_dir: /var/lib/app\n",
            &mut shared,
        );
        shared_paths(
            "config.go",
            "type C struct {\n\tDataDir string `yaml:\"data_dir\" json:\"dataDir,omitempty\"`\n\tSkip string `json:\"-\"`\n}\n",
            &mut shared,
        );
        assert_eq!(
            shared.get("~DataDir").map(String::as_str),
            Some("data_dir\ndataDir")
        );
        assert!(!shared.contains_key("~Skip"));
        assert_eq!(
            tagged_field_paths("os.MkdirAll(c.DataDir, 0o755)", &shared),
            vec!["/var/lib/app".to_string()]
        );
        // A bare name is a variable of its own, not the field.
        assert!(tagged_field_paths("os.MkdirAll(DataDir, 0o755)", &shared).is_empty());
    }

    #[test]
    fn a_string_spanning_lines_keeps_its_brackets_to_itself() {
        let code = "with sqlite3.connect(DB) as conn:\n    conn.execute(\"\"\"\n        CREATE TABLE t (\n        id INTEGER)\"\"\")\n\n@app.route(\"/add\")\ndef add():\n    pass\n";
        let lines = logical_lines(code);
        assert_eq!(lines.len(), 6, "{lines:?}");
        assert!(lines[1].contains("CREATE TABLE") && !lines[1].contains("/add"));
    }

    #[test]
    fn a_call_is_read_in_its_own_text() {
        let handler = "r.POST(\"/files\", func(c *gin.Context) {\n\tc.SaveUploadedFile(f, \"./uploads/\"+f.Filename)\n\tc.String(200, \"/done\")\n})\n";
        let scope = call_scopes(handler, &["SaveUploadedFile("]).unwrap();
        assert_eq!(
            scope.trim(),
            "c.SaveUploadedFile(f, \"./uploads/\"+f.Filename)"
        );
        // What comes before the call on its line, and the lines it continues, are its own.
        let chained = "File dir = new File(\"/data/x\")\n    .mkdirs();\n";
        assert!(
            call_scopes(chained, &["mkdirs("])
                .unwrap()
                .contains("/data/x")
        );
        assert!(
            call_scopes("Path(\"/data\").mkdir(parents=True)", &["mkdir("])
                .unwrap()
                .contains("/data")
        );
        // Another argument of an enclosing call is not.
        let route = "app.post('/upload', multer({ dest: 'uploads/' }).single('f'))";
        assert_eq!(
            call_scopes(route, &["multer("]).unwrap().trim(),
            "multer({ dest: 'uploads/' })"
        );
        // A call without its own parenthesis is read in the whole line.
        assert_eq!(
            call_scopes("LOGGING = {'filename': '/var/log/x'}", &["'filename':"]),
            None
        );
    }

    #[test]
    fn only_a_locked_mode_makes_a_locked_mode_name() {
        assert!(is_mode_value(" 0o600"));
        assert!(is_mode_value(" os.FileMode(0644);"));
        assert!(!is_mode_value(" os.WriteFile(path, data, 0600)"));
        assert!(!is_mode_value(" 0755"));
    }

    #[test]
    fn env_reads_take_the_shared_path() {
        let mut shared = BTreeMap::new();
        shared_paths(".env", "NOTES_DB=/var/lib/notes.db\n", &mut shared);
        shared_paths(
            "compose.yaml",
            "    environment:\n      - SEEN_DB=/var/lib/seen.db\n",
            &mut shared,
        );
        let code = "NOTES = os.getenv(\"NOTES_DB\", \"notes.db\")\nconst seen = process.env.SEEN_DB || 'seen.db';\nOTHER = os.getenv(\"OTHER\", \"x.db\")\n";
        let got = env_bound_names(code, &shared);
        assert_eq!(
            got.get("NOTES").map(String::as_str),
            Some("/var/lib/notes.db")
        );
        assert_eq!(
            got.get("seen").map(String::as_str),
            Some("/var/lib/seen.db")
        );
        assert_eq!(got.get("OTHER"), None);
    }

    fn paths(file: &str, code: &str) -> Vec<String> {
        created_paths(file, code, &BTreeMap::new(), &|_| None)
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
    fn paths_that_climb_above_the_source_files_folder() {
        let node = "const uploads = path.join(__dirname, \"..\", \"uploads\");\nfs.mkdirSync(uploads, { recursive: true });\n";
        assert_eq!(paths("server.ts", node), ["../uploads"]);
        let node = "fs.mkdirSync(path.resolve(__dirname, '../../data/cache'))\n";
        assert_eq!(paths("server.js", node), ["../../data/cache"]);
        // The source file's own folder does not climb.
        let node = "fs.mkdirSync(path.join(__dirname, 'uploads'))\n";
        assert_eq!(paths("server.js", node), ["uploads"]);
        let python = "BASE_DIR = Path(__file__).resolve().parent.parent\nLOGS = BASE_DIR / \"logs\"\nLOGS.mkdir(exist_ok=True)\n";
        assert_eq!(paths("main.py", python), ["../logs"]);
        let python = "ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nos.makedirs(os.path.join(ROOT, \"media\"))\n";
        assert_eq!(paths("main.py", python), ["../media"]);
        // The climb on a later line than the file's own location.
        let python = "HERE = os.path.dirname(os.path.abspath(__file__))\nDATA = os.path.join(HERE, os.pardir, 'data')\nos.makedirs(DATA, exist_ok=True)\n";
        assert_eq!(paths("app.py", python), ["../data"]);
        let python = "HERE = Path(__file__).resolve().parent\n(HERE.parent / 'data').mkdir()\n";
        assert_eq!(paths("app.py", python), ["../data"]);
        let node = "const here = dirname(fileURLToPath(import.meta.url));\nmkdirSync(join(here, '..', '..', 'data'));\n";
        assert_eq!(paths("src/index.js", node), ["../../data"]);
        let node = "fs.mkdirSync(path.join(process.cwd(), '..', 'uploads'));\n";
        assert_eq!(paths("index.js", node), ["../uploads"]);
        let python = "(Path(__file__).parents[1] / 'out').mkdir()\n";
        assert_eq!(paths("main.py", python), ["../out"]);
        let python = "HERE = Path(__file__).parent\n(HERE / 'out').mkdir()\n";
        assert_eq!(paths("main.py", python), ["out"]);
    }

    #[test]
    fn a_climb_lands_where_the_image_holds_the_file() {
        // Django's startproject layout: `mysite/settings.py` in `/app/mysite`.
        let settings = "BASE_DIR = Path(__file__).resolve().parent.parent\nLOGS = BASE_DIR / 'logs'\nLOGS.mkdir(exist_ok=True)\n";
        let place = |folder: &str| (folder == "mysite").then(|| "/app/mysite".to_string());
        let found: Vec<String> =
            created_paths("mysite/settings.py", settings, &BTreeMap::new(), &place)
                .into_iter()
                .map(|(p, _)| p)
                .collect();
        assert_eq!(found, ["/app/logs"]);
        // A working-folder climb does not depend on where the file is.
        let node = "fs.mkdirSync(path.join(process.cwd(), '..', 'uploads'));\n";
        let found: Vec<String> = created_paths("mysite/index.js", node, &BTreeMap::new(), &place)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found, ["../uploads"]);
    }

    #[test]
    fn sqlite_databases_the_drivers_open() {
        let go = "db, err := sql.Open(\"sqlite\", \"tracker.db\")\n";
        assert_eq!(paths("main.go", go), ["tracker.db"]);
        let gorm = "db, _ := gorm.Open(sqlite.Open(\"data/test.db\"), &gorm.Config{})\n";
        assert_eq!(paths("main.go", gorm), ["data/test.db"]);
        let dsn = "sql.Open(\"sqlite3\", \"file:/var/lib/app/app.db?cache=shared\")\n";
        assert_eq!(paths("main.go", dsn), ["/var/lib/app/app.db"]);
        let dotnet = "options.UseSqlite(\"Data Source=app.db\");\n";
        assert_eq!(paths("Program.cs", dotnet), ["app.db"]);
        let rust = "let conn = Connection::open(\"state.db\")?;\n";
        assert_eq!(paths("main.rs", rust), ["state.db"]);
        let sqlx = "let pool = SqlitePool::connect(\"sqlite://data.db\").await?;\n";
        assert_eq!(paths("main.rs", sqlx), ["data.db"]);
        // In memory, or another database's DSN: nothing on disk.
        let options = "let o = SqliteConnectOptions::new().filename(\"/data/app.db\");\n";
        assert_eq!(paths("main.rs", options), ["/data/app.db"]);
        assert!(paths("main.go", "sql.Open(\"sqlite3\", \":memory:\")\n").is_empty());
        assert!(paths("main.go", "sql.Open(\"postgres\", \"host=db user=x\")\n").is_empty());
    }

    #[test]
    fn folder_modes_only_root_can_enter() {
        assert_eq!(locked_mode("os.Mkdir(dir, 0666)").as_deref(), Some("0666"));
        assert_eq!(
            locked_mode("os.makedirs(p, mode=0o644)").as_deref(),
            Some("0o644")
        );
        assert_eq!(locked_mode("os.MkdirAll(dir, 0755)"), None);
        assert_eq!(locked_mode("os.MkdirAll(dir, 0o700)"), None);
        assert_eq!(locked_mode("os.MkdirAll(dir, os.ModePerm)"), None);
        assert_eq!(locked_mode("x := v1066"), None);
    }

    #[test]
    fn logging_dicts_temporary_files_and_media() {
        let dict =
            "    'file': {'class': 'logging.FileHandler', 'filename': '/var/log/myapp.log'},\n";
        assert_eq!(paths("app.py", dict), ["/var/log/myapp.log"]);
        let temp = "with tempfile.NamedTemporaryFile(dir=\"/var/cache/app\") as f:\n";
        assert_eq!(paths("app.py", temp), ["/var/cache/app"]);
        let media = "MEDIA_ROOT = \"/var/www/media\"\n";
        assert_eq!(paths("settings.py", media), ["/var/www/media"]);
    }

    #[test]
    fn a_locked_mode_through_a_name() {
        let files = |path: &str| match path {
            "" => Some("app.py\n".to_string()),
            "app.py" => {
                Some("MODE = 0o644\nCACHE = 'cache'\nos.makedirs(CACHE, mode=MODE)\n".to_string())
            }
            _ => None,
        };
        assert!(context_locked_folder(&files, &["python"]).is_some());
    }

    #[test]
    fn embedded_stores_and_log_files() {
        let bolt = "db, err := bolt.Open(\"/var/lib/myapp/my.db\", 0600, nil)\n";
        assert_eq!(paths("main.go", bolt), ["/var/lib/myapp/my.db"]);
        let badger = "db, err := badger.Open(badger.DefaultOptions(\"/data/badger\"))\n";
        assert_eq!(paths("main.go", badger), ["/data/badger"]);
        let lumberjack =
            "log.SetOutput(&lumberjack.Logger{Filename: \"/var/log/myapp/app.log\"})\n";
        assert_eq!(paths("main.go", lumberjack), ["/var/log/myapp/app.log"]);
        let zap = "cfg.OutputPaths = []string{\"/var/log/app.log\"}\n";
        assert_eq!(paths("main.go", zap), ["/var/log/app.log"]);
        let viper = "viper.SafeWriteConfigAs(\"/etc/myapp/config.yaml\")\n";
        assert_eq!(paths("main.go", viper), ["/etc/myapp/config.yaml"]);
        let node = "const db = new DatabaseSync('/data/app.db');\n";
        assert_eq!(paths("server.js", node), ["/data/app.db"]);
        let nedb = "const db = new Datastore({ filename: 'data/users.db', autoload: true });\n";
        assert_eq!(paths("server.js", nedb), ["data/users.db"]);
    }

    #[test]
    fn free_folders_relative_paths_and_reads_are_not_creations() {
        let python = "os.makedirs(\"/tmp/cache\")\nopen(\"/data/x\")\nos.mkdir(b)\nopen(name, \"w\", encoding=\"utf-8\")\n";
        assert!(paths("app.py", python).is_empty());
        assert!(paths("README.md", "os.makedirs(\"/data\")").is_empty());
    }

    #[test]
    fn calls_over_lines_library_files_and_sqlite_urls() {
        let python = "os.makedirs(\n    \"/data/uploads\",\n    exist_ok=True,\n)\nlogging.basicConfig(filename=\"/var/log/app.log\")\nURI = \"sqlite:////var/lib/notes.db\"\nwith STATE.open(\"w\") as f: pass\n";
        assert_eq!(
            paths("app.py", python),
            ["/data/uploads", "/var/log/app.log", "/var/lib/notes.db"]
        );
        let node = "const DATA = process.env.DATA_DIR\n  || '/var/lib/svc';\nfs.mkdirSync(path.join(DATA, 'x'));\nmulter({ dest: '/var/uploads' });\n";
        assert_eq!(paths("server.js", node), ["/var/lib/svc", "/var/uploads"]);
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
        let found = context_created_paths(&read, &[], &|_| None);
        assert_eq!(
            found,
            [("/data/uploads".to_string(), "app.py: makedirs".to_string())]
        );
    }

    #[test]
    fn spring_injects_paths_from_the_properties() {
        let mut shared = BTreeMap::new();
        shared_paths(
            "src/main/resources/application.properties",
            "# uploads\nfile.upload-dir=./uploads\nserver.port=8080\n",
            &mut shared,
        );
        assert_eq!(shared.get("${file.upload-dir}").unwrap(), "uploads");
        let java = "class A {\n  @Value(\"${file.upload-dir}\")\n  private String dir;\n  void f() throws Exception { Files.createDirectories(Path.of(dir)); }\n}\n";
        let got: Vec<String> = created_paths("A.java", java, &shared, &|_| None)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(got, ["uploads"]);
        let defaulted =
            "A(@Value(\"${store.dir:/var/lib/store}\") String root) { new File(root).mkdirs(); }\n";
        let got: Vec<String> = created_paths("A.java", defaulted, &BTreeMap::new(), &|_| None)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(got, ["/var/lib/store"]);
    }

    #[test]
    fn names_other_files_give() {
        let files: BTreeMap<&str, &str> = BTreeMap::from([
            ("", "app.py\nsettings.py\n.env\nconfig.yaml\n"),
            (
                "settings.py",
                "UPLOAD_DIR = \"/data/uploads\"\npath = \"/api\"\n",
            ),
            (".env", "STATE_DIR=/var/lib/state\n"),
            ("config.yaml", "storage:\n  path: /data/files\n"),
            (
                "app.py",
                "os.makedirs(UPLOAD_DIR)\nos.makedirs(os.environ[\"STATE_DIR\"])\nos.makedirs(cfg[\"storage\"][\"path\"])\nos.mkdir(os.path.join(path, \"x\"))\n",
            ),
        ]);
        let read = |path: &str| files.get(path).map(|s| s.to_string());
        let found: Vec<String> = context_created_paths(&read, &["python"], &|_| None)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        // A lower-case name of another file (`path`) is not shared; a literal joined to a
        // base not known is taken from the working folder.
        assert_eq!(
            found,
            ["/data/uploads", "/var/lib/state", "/data/files", "x"]
        );
    }
}
