//! The sources of a compiled program (a Go main package and the module's packages it
//! imports; a Rust crate, a Java or Kotlin project, a .NET project), read from the build
//! context for code that runs another program or a shell: `exec.Command("sh", …)`,
//! `std::process::Command`, `ProcessBuilder`, `Process.Start`. The original image had a
//! shell and its programs; the distroless one has only the app, so such a program fails
//! at run time where the build said nothing. Like [`super::sources`] for interpreted
//! code, a shallow text reading that can only make a rewrite decline. Folders are listed
//! through the context reader's folder reading ([`folder_entries`]).

use std::collections::{BTreeSet, VecDeque};

use super::artifact::SourceUses;
use super::build::{RunReader, file_name};
use super::sources::parent;
use super::start::{App, AppFinder};
use super::{Decline, DeclineCode};
use crate::analysis::glob::path_matches;
use crate::analysis::shell::ShellCommand;

/// The most source files one walk reads, and the most folders it lists: a bound on the
/// time a large repository could take.
const MAX_FILES: usize = 2000;
const MAX_FOLDERS: usize = 400;

/// A compiled language whose sources [`find_program_call`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compiled {
    Go,
    Rust,
    Java,
    Dotnet,
}

impl Compiled {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Compiled::Go => &[".go"],
            Compiled::Rust => &[".rs"],
            Compiled::Java => &[".java", ".kt", ".scala", ".groovy"],
            Compiled::Dotnet => &[".cs", ".fs", ".vb"],
        }
    }

    /// Folders a build does not compile into the program: outputs, dependencies, tests.
    fn skipped(self, folder: &str) -> bool {
        let name = folder.trim_end_matches('/');
        if name.starts_with('.')
            || matches!(
                name,
                "node_modules" | "vendor" | "testdata" | "test" | "tests" | "examples" | "docs"
            )
        {
            return true;
        }
        match self {
            Compiled::Go => false,
            Compiled::Rust => matches!(name, "target" | "benches"),
            Compiled::Java => matches!(name, "target" | "build" | "out" | "bin"),
            Compiled::Dotnet => {
                matches!(name, "bin" | "obj") || name.ends_with("Tests") || name.ends_with(".Tests")
            }
        }
    }
}

impl RunReader<'_, '_> {
    /// A source file below `root` (a folder of the command's build, by default its working
    /// folder) that runs another program, read through this stage's COPYs from the build
    /// context.
    pub(super) fn sources_run(
        &self,
        command: &ShellCommand,
        language: Compiled,
        root: Option<&str>,
    ) -> Option<(String, &'static str)> {
        let root = match root {
            Some(root) => self.absolute(command, root)?,
            None => self.cwd(command)?,
        };
        let read = |path: &str| self.context_path(path);
        find_program_call(language, &root, &[], &read)
    }

    /// What the sources below the command's working folder do ([`SourceUses`]), for a
    /// Java or Kotlin build.
    pub(super) fn java_uses(&self, command: &ShellCommand) -> SourceUses {
        let Some(root) = self.cwd(command) else {
            return SourceUses::default();
        };
        let read = |path: &str| self.context_path(path);
        SourceUses {
            runs: find_in_program(Compiled::Java, &root, &[], &read, program_call),
            needs_jdk: find_in_program(Compiled::Java, &root, &[], &read, jdk_only),
            ..SourceUses::default()
        }
    }

    /// A file of this stage that the build context provides, or a folder's entries (a path
    /// ending in `/`, as [`super::ContextReader`] reads one).
    pub(super) fn context_path(&self, image_path: &str) -> Option<String> {
        if image_path.ends_with('/') {
            let entries = self.context_folder(image_path);
            (!entries.is_empty()).then(|| entries.into_iter().collect::<Vec<_>>().join("\n"))
        } else {
            self.context_file(image_path)
        }
    }

    /// The entries the build context gives the folder `folder` of this stage, gathered
    /// over its COPYs: a copied folder's entries where the folder is, or is below, a
    /// destination (`COPY . .`, `COPY src ./src`); the first folder on the way to a
    /// destination below it; a file copied into it.
    fn context_folder(&self, folder: &str) -> BTreeSet<String> {
        let mut entries = BTreeSet::new();
        let Some(read) = self.context else {
            return entries;
        };
        let folder = folder.trim_end_matches('/');
        for (dest, sources) in self.context_copies() {
            let dest = dest.trim_end_matches('/');
            for source in sources.iter().filter(|s| !s.starts_with("--")) {
                let src = source.trim_start_matches("./").trim_end_matches('/');
                if src.contains('$') {
                    continue;
                }
                if src.contains(['*', '?', '[']) {
                    // A pattern (`COPY *.go ./`): the files it matches, in the
                    // destination.
                    if folder == dest {
                        let (parent, listed) = match src.rsplit_once('/') {
                            Some((parent, _)) => (format!("{parent}/"), format!("{parent}/")),
                            None => (String::new(), String::new()),
                        };
                        let names = read(&listed).unwrap_or_default();
                        entries.extend(
                            names
                                .lines()
                                .filter(|name| !name.ends_with('/'))
                                .filter(|name| path_matches(src, &format!("{parent}{name}")))
                                .map(str::to_string),
                        );
                    } else if let Some(below) = dest.strip_prefix(&format!("{folder}/"))
                        && let Some(first) = below.split('/').next()
                    {
                        // The first folder on the way to the pattern's destination.
                        entries.insert(format!("{first}/"));
                    }
                    continue;
                }
                if let Some(rest) = folder.strip_prefix(dest)
                    && (rest.is_empty() || rest.starts_with('/'))
                {
                    let inner = format!("{src}{rest}");
                    let inner = inner.trim_start_matches('.').trim_start_matches('/');
                    let listed = if inner.is_empty() {
                        String::new()
                    } else {
                        format!("{inner}/")
                    };
                    match read(&listed) {
                        Some(text) => entries.extend(text.lines().map(str::to_string)),
                        // A file copied into the folder.
                        None if rest.is_empty() && !src.is_empty() => {
                            entries.insert(file_name(src).to_string());
                        }
                        None => {}
                    }
                } else if let Some(below) = dest.strip_prefix(&format!("{folder}/"))
                    && let Some(first) = below.split('/').next()
                {
                    entries.insert(format!("{first}/"));
                }
            }
        }
        entries
    }

    /// Records on the artifacts pushed since `first` what their sources run.
    pub(super) fn mark_runs(&mut self, first: usize, runs: Option<(String, &'static str)>) {
        self.mark_uses(
            first,
            SourceUses {
                runs,
                ..SourceUses::default()
            },
        );
    }

    /// Records on the artifacts pushed since `first` what their sources do.
    pub(super) fn mark_uses(&mut self, first: usize, uses: SourceUses) {
        for artifact in self.build.artifacts.iter_mut().skip(first) {
            artifact.uses = uses.clone();
        }
    }
}

impl<'t> AppFinder<'_, 't> {
    /// Declines when the build context shows that code compiled into the program runs
    /// another program or a shell (`exec.Command("sh", …)`, `ProcessBuilder`), which the
    /// original image had and the new one does not: see [`super::compiled`].
    pub(super) fn check_compiled_sources(&self, app: &App<'t>) -> Result<(), Decline> {
        let artifact = app.main.artifact();
        if let Some((file, api)) = &artifact.uses.needs_jdk {
            return Err(self
                .made_by(
                    &app.main,
                    DeclineCode::NoTarget,
                    format!(
                        "`{file}`, compiled into `{}`, uses `{api}`, which only a JDK has; the distroless java images carry a JRE",
                        artifact.path
                    ),
                )
                .help("keep a JDK image for an application that compiles code at run time"));
        }
        // A tool fetched at build time and kept on the Go toolchain's image (gotestsum,
        // a linter, a code generator): its code cannot be read, and a Go tool kept beside
        // `go` is there to run it (`go test`, `go list`).
        let keeps_toolchain = self
            .model
            .facts(self.stage)
            .and_then(|facts| facts.runtime.as_ref())
            .is_some_and(|runtime| runtime.name == "go");
        if let Some(module) = &artifact.uses.fetched
            && keeps_toolchain
        {
            return Err(self
                .made_by(
                    &app.main,
                    DeclineCode::RunsPrograms,
                    format!(
                        "`{}` is built from `{module}`, fetched at build time, so its code cannot be read; it runs on the Go toolchain's image, which a Go tool keeps to run `go` (`go test`, `go list`), and a distroless image has no `go`",
                        artifact.path
                    ),
                )
                .help("keep the golang image for a tool that runs the Go toolchain"));
        }
        let Some((file, call)) = &artifact.uses.runs else {
            return Ok(());
        };
        Err(self
            .made_by(
                &app.main,
                DeclineCode::RunsPrograms,
                format!(
                    "`{file}`, compiled into `{}`, runs other programs (`{}`), which the original image had and a distroless one does not (nor a shell)",
                    artifact.path,
                    call.trim_end_matches('(')
                ),
            )
            .help("do the work in the program's own code, or keep a full image"))
    }
}

/// The entries of a folder of the image that the build context provides, through `read`'s
/// folder reading (`folder/` reads as one name per line, a sub-folder's ending in `/`).
pub fn folder_entries(read: &dyn Fn(&str) -> Option<String>, folder: &str) -> Vec<String> {
    // The context's root is the empty path.
    let folder = match folder.trim_end_matches('/') {
        "" if !folder.starts_with('/') => String::new(),
        trimmed => format!("{trimmed}/"),
    };
    read(&folder)
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The first source file under `root` (a folder of the image; for Go, a main package's
/// folder, one `.go` file, or `folder/...` for every package below) whose code runs another
/// program, with the call:
/// `(path, call)`. Go follows the imports of the module's own packages (`module` is the
/// module path and the folder of its `go.mod`), so a repository's other commands are not
/// read; the others read every source file below `root` but tests and outputs.
pub fn find_program_call(
    language: Compiled,
    root: &str,
    modules: &[(String, String)],
    read: &dyn Fn(&str) -> Option<String>,
) -> Option<(String, &'static str)> {
    find_in_program(language, root, modules, read, program_call)
}

/// The first source file of the program (read as [`find_program_call`] reads them) whose
/// code passes `test`, with what `test` found.
pub fn find_in_program(
    language: Compiled,
    root: &str,
    modules: &[(String, String)],
    read: &dyn Fn(&str) -> Option<String>,
    test: fn(&str, Compiled) -> Option<&'static str>,
) -> Option<(String, &'static str)> {
    // `./...`: every package below the folder.
    let every_package = language == Compiled::Go && root.ends_with("/...");
    let root = root.trim_end_matches("...");
    // `/` stays the image's root (a build in the rust image's WORKDIR); an empty path
    // would be the build context's.
    let mut start = vec![match root.trim_end_matches('/') {
        "" if root.starts_with('/') => "/".to_string(),
        trimmed => trimmed.to_string(),
    }];
    if language == Compiled::Go && root.ends_with(".go") {
        // `go build main.go`: that file, and the packages it imports.
        let code = read(root)?;
        if let Some(call) = test(&code, language) {
            return Some((root.to_string(), call));
        }
        start = go_local_imports(&code, modules);
    }
    // Go's packages are the folders the imports name; the others' sources are all the
    // folders below.
    let descend =
        |name: &str| (language != Compiled::Go || every_package) && !language.skipped(name);
    let is_source = |name: &str| {
        language.extensions().iter().any(|ext| name.ends_with(ext)) && !name.ends_with("_test.go")
    };
    let mut found = None;
    walk(read, start, descend, is_source, |path, code, queue| {
        let code = match language {
            // A file no Linux build compiles (`//go:build ignore`, `_windows.go`) holds
            // none of the program, nor do the packages only it imports.
            Compiled::Go if !go_may_build_on_linux(path, code) => return false,
            // golang.org/x/sys wraps the system calls (`unix.Exec` calls `syscall.Exec`)
            // and calls none itself: a program that runs one calls it in its own code.
            Compiled::Go if path.contains("vendor/golang.org/x/sys/") => return false,
            // A Cargo build script runs when the program is built, not in the image.
            Compiled::Rust if file_name(path) == "build.rs" && !path.contains("/src/") => {
                return false;
            }
            Compiled::Rust => without_test_modules(code),
            _ => std::borrow::Cow::Borrowed(code),
        };
        let code = code.as_ref();
        if let Some(call) = test(code, language) {
            found = Some((path.to_string(), call));
            return true;
        }
        if language == Compiled::Go {
            queue.extend(go_local_imports(code, modules));
        }
        false
    });
    found
}

/// The operating systems Go knows by name: a file named `x_windows.go` or
/// `x_darwin_arm64.go` is built only for that one (go/build's `goodOSArchFile`).
const GO_OSES: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// Whether a Linux build may compile this Go file: false only when its name is for
/// another OS, or its `//go:build` line is false whatever tags the build sets. `linux`,
/// `unix` and `go1.N` hold; `ignore` and the other OSes do not; any other tag (an architecture, `cgo`, a project's own) may hold, as `-tags` may set it.
fn go_may_build_on_linux(path: &str, code: &str) -> bool {
    let stem = file_name(path).trim_end_matches(".go");
    let parts: Vec<&str> = stem.split('_').collect();
    // `name_GOOS` or `name_GOOS_GOARCH`; a file named just `windows.go` is not constrained.
    if parts.len() > 1 {
        let last = parts[parts.len() - 1];
        let os = if GO_OSES.contains(&last) {
            Some(last)
        } else if parts.len() > 2 && GO_OSES.contains(&parts[parts.len() - 2]) {
            Some(parts[parts.len() - 2])
        } else {
            None
        };
        if os.is_some_and(|os| os != "linux") {
            return false;
        }
    }
    let atom = |tag: &str| -> Option<bool> {
        match tag {
            "linux" | "unix" | "gc" => Some(true),
            _ if tag.starts_with("go1.") => Some(true),
            "ignore" => Some(false),
            _ if GO_OSES.contains(&tag) => Some(false),
            _ => None,
        }
    };
    // Only a `//go:build` line before the package clause, outside a `/* */` comment,
    // constrains the file (Go 1.17+; gofmt writes one for every old `// +build` line). An
    // old `// +build` line alone is not read: where it counts depends on blank lines.
    let mut in_comment = false;
    for line in code.lines() {
        let line = line.trim();
        if in_comment {
            in_comment = !line.contains("*/");
            continue;
        }
        if let Some(rest) = line.strip_prefix("/*") {
            in_comment = !rest.contains("*/");
            continue;
        }
        if line.starts_with("package ") {
            break;
        }
        if let Some(expr) = line.strip_prefix("//go:build ") {
            return GoConstraint::new(expr, &atom).eval() != Some(false);
        }
    }
    true
}

/// Three-valued logic (`None`: may be either).
fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// A `//go:build` expression (`linux && (amd64 || arm64)`, `!windows`), evaluated over
/// tags that hold, do not, or may.
struct GoConstraint<'a> {
    tokens: Vec<&'a str>,
    at: usize,
    atom: &'a dyn Fn(&str) -> Option<bool>,
}

impl<'a> GoConstraint<'a> {
    fn new(expr: &'a str, atom: &'a dyn Fn(&str) -> Option<bool>) -> Self {
        let mut tokens = Vec::new();
        let mut rest = expr.trim();
        while !rest.is_empty() {
            let len = if rest.starts_with("&&") || rest.starts_with("||") {
                2
            } else if rest.starts_with(['!', '(', ')']) {
                1
            } else {
                rest.find(|c: char| c.is_whitespace() || "!()&|".contains(c))
                    .unwrap_or(rest.len())
                    .max(1)
            };
            tokens.push(&rest[..len]);
            rest = rest[len..].trim_start();
        }
        GoConstraint {
            tokens,
            at: 0,
            atom,
        }
    }

    /// The expression's value; `None` also for one that does not parse.
    fn eval(mut self) -> Option<bool> {
        let value = self.or()?;
        (self.at == self.tokens.len()).then_some(value)?
    }

    fn or(&mut self) -> Option<Option<bool>> {
        let mut value = self.and()?;
        while self.tokens.get(self.at) == Some(&"||") {
            self.at += 1;
            value = or3(value, self.and()?);
        }
        Some(value)
    }

    fn and(&mut self) -> Option<Option<bool>> {
        let mut value = self.not()?;
        while self.tokens.get(self.at) == Some(&"&&") {
            self.at += 1;
            value = and3(value, self.not()?);
        }
        Some(value)
    }

    fn not(&mut self) -> Option<Option<bool>> {
        let token = *self.tokens.get(self.at)?;
        self.at += 1;
        match token {
            "!" => Some(self.not()?.map(|v| !v)),
            "(" => {
                let value = self.or()?;
                (self.tokens.get(self.at) == Some(&")")).then_some(())?;
                self.at += 1;
                Some(value)
            }
            ")" | "&&" | "||" => None,
            tag => Some((self.atom)(tag)),
        }
    }
}

/// Rust code without its `#[cfg(test)]` modules (`#[cfg(test)] mod tests { … }`), which a
/// release build does not compile; the code as it is when the braces do not balance.
fn without_test_modules(code: &str) -> std::borrow::Cow<'_, str> {
    if !code.contains("#[cfg(test)]") {
        return std::borrow::Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let is_module = trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ");
        let open = trimmed.find('{');
        let semicolon = trimmed.find(';');
        let (true, Some(open)) = (is_module, open) else {
            out.push_str(&rest[..at + "#[cfg(test)]".len()]);
            rest = after;
            continue;
        };
        if semicolon.is_some_and(|s| s < open) {
            // `#[cfg(test)] mod tests;`: a file the walk reads on its own.
            out.push_str(&rest[..at + "#[cfg(test)]".len()]);
            rest = after;
            continue;
        }
        let body = &trimmed[open..];
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = Some(i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            return std::borrow::Cow::Borrowed(code);
        };
        out.push_str(&rest[..at]);
        rest = &body[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Reads the files below the folders `start` (bounded by [`MAX_FOLDERS`] and
/// [`MAX_FILES`]) whose names `is_source` accepts, going into the sub-folders `descend`
/// accepts, and hands each to `visit` with the queue of folders still to read (which it may
/// extend); stops when `visit` says so. Whether every such file was read: `false` when
/// `visit` stopped the walk or a bound cut it short.
pub fn walk(
    read: &dyn Fn(&str) -> Option<String>,
    start: Vec<String>,
    descend: impl Fn(&str) -> bool,
    is_source: impl Fn(&str) -> bool,
    mut visit: impl FnMut(&str, &str, &mut VecDeque<String>) -> bool,
) -> bool {
    let mut files_read = 0;
    let mut folders = 0;
    let mut complete = true;
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(start);
    while let Some(folder) = queue.pop_front() {
        if !seen.insert(folder.clone()) {
            continue;
        }
        if folders >= MAX_FOLDERS {
            complete = false;
            continue;
        }
        folders += 1;
        for entry in folder_entries(read, &folder) {
            let path = if folder.is_empty() {
                entry.trim_end_matches('/').to_string()
            } else {
                format!(
                    "{}/{}",
                    folder.trim_end_matches('/'),
                    entry.trim_end_matches('/')
                )
            };
            if entry.ends_with('/') {
                if descend(&entry) {
                    queue.push_back(path);
                }
                continue;
            }
            if !is_source(&entry) {
                continue;
            }
            if files_read >= MAX_FILES {
                complete = false;
                continue;
            }
            files_read += 1;
            let Some(code) = read(&path) else { continue };
            if visit(&path, &code, &mut queue) {
                return false;
            }
        }
    }
    complete
}

/// The first call in `code` that starts another program. Go: `os/exec`'s `Command`,
/// `syscall.Exec`/`ForkExec`, `os.StartProcess`, except a program re-running itself
/// (`exec.Command(os.Args[0], …)`); Rust: `std::process::Command` (tokio's and async-std's
/// too); Java and Kotlin: `ProcessBuilder`, `Runtime.exec`; .NET: `Process.Start`,
/// `ProcessStartInfo`, CliWrap.
pub fn program_call(code: &str, language: Compiled) -> Option<&'static str> {
    match language {
        Compiled::Go => {
            // `exec.Command(…)`, `Command(…)` after a dot import, `exec.Cmd{…}`.
            let runs_other = code
                .match_indices("Command")
                .filter(|(at, _)| {
                    let rest = &code[at + "Command".len()..];
                    rest.starts_with('(') || rest.starts_with("Context(")
                })
                .any(|(at, _)| !go_runs_itself(&code[at..]))
                || code.contains("exec.Cmd{")
                // Taken as a value (`var run = exec.CommandContext`): what it runs is not
                // on the line that calls it.
                || code.match_indices("exec.Command").any(|(at, _)| {
                    let rest = &code[at + "exec.Command".len()..];
                    let rest = rest.strip_prefix("Context").unwrap_or(rest);
                    !rest.starts_with('(')
                });
            if code.contains("\"os/exec\"") && runs_other {
                return Some("exec.Command");
            }
            // `syscall.Exec` (under any name the import gives it), x/sys/unix, cgo's
            // `system()`/`popen()`, and libraries whose work is running programs.
            let exec_call = |package: &str, calls: &[&str]| {
                go_import_name(code, package).is_some_and(|name| {
                    calls
                        .iter()
                        .any(|call| code.contains(&format!("{name}.{call}(")))
                })
            };
            if exec_call("syscall", &["Exec", "ForkExec", "StartProcess"])
                || exec_call("golang.org/x/sys/unix", &["Exec"])
            {
                return Some("syscall.Exec");
            }
            if exec_call("os", &["StartProcess"]) {
                return Some("os.StartProcess");
            }
            if code.contains("import \"C\"")
                && ["system(", "popen(", "execv", "execl"]
                    .iter()
                    .any(|c| code.contains(c))
            {
                return Some("cgo system()");
            }
            GO_RUNNERS
                .iter()
                .find(|m| code.contains(&format!("\"{m}")))
                .copied()
        }
        Compiled::Rust => {
            // `process::Command`, also inside `use std::{process::{Command, …}}` and under
            // another name (`Command as Cmd`); not `std::process::exit`.
            let process_module = ["std::process", "tokio::process", "async_std::process"]
                .iter()
                .any(|m| code.contains(m));
            let command = code.contains("process::Command")
                || (process_module && code.contains("Command::new("))
                || code.match_indices("process::{").any(|(at, _)| {
                    let rest = &code[at..];
                    let end = rest.find('}').unwrap_or(rest.len());
                    rest[..end].contains("Command")
                });
            if command {
                return Some("std::process::Command");
            }
            RUST_RUNNERS.iter().find(|m| code.contains(**m)).copied()
        }
        Compiled::Java => {
            if code.contains("Runtime.getRuntime()") && code.contains(".exec(") {
                return Some("Runtime.exec");
            }
            JAVA_RUNNERS.iter().find(|m| code.contains(**m)).copied()
        }
        // A marker that ends a name ends there: `new Process {`, not `new ProcessorContext(`
        // (an EF Core context of mlapaglia/OpenAlprWebhookProcessor).
        Compiled::Dotnet => DOTNET_RUNNERS
            .iter()
            .find(|m| {
                code.match_indices(**m).any(|(at, _)| {
                    !m.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                        || !code[at + m.len()..]
                            .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            })
            .copied(),
    }
}

/// The name a Go file uses for the package it imports from `path`: its alias
/// (`sys "syscall"`), else the path's last element; `None` when it does not import it.
fn go_import_name(code: &str, path: &str) -> Option<String> {
    let quoted = format!("\"{path}\"");
    code.lines().find_map(|line| {
        let line = line.trim();
        let at = line.find(&quoted)?;
        let before = line[..at].trim().trim_start_matches("import").trim();
        Some(match before {
            "" => path.rsplit('/').next().unwrap_or(path).to_string(),
            alias => alias.to_string(),
        })
    })
}

/// Go modules whose work is running programs: x/tools' package loader and imports (the
/// `go` command), go-getter and git wrappers (`git`), script pipelines, go-cmd, go-sh, mage's `sh`, a shell interpreter, a
/// pseudo-terminal.
const GO_RUNNERS: &[&str] = &[
    // Both run the go command (`go list`, `go env`) to find packages.
    "golang.org/x/tools/go/packages",
    "golang.org/x/tools/imports",
    // go-getter fetches with the `git`, `hg` and `gcloud` programs; gitkit and gogs'
    // git-module run `git`.
    "github.com/hashicorp/go-getter",
    "github.com/sosedoff/gitkit",
    "github.com/gogs/git-module",
    "github.com/bitfield/script",
    "github.com/go-cmd/cmd",
    "github.com/codeskyblue/go-sh",
    "github.com/magefile/mage/sh",
    "mvdan.cc/sh/v3/interp",
    "github.com/creack/pty",
];

/// Rust crates and calls that run programs: duct, xshell and cmd_lib's macros, the
/// subprocess crate, `exec*` through nix or libc, `libc::system`.
const RUST_RUNNERS: &[&str] = &[
    "duct::",
    "xshell",
    "subprocess::",
    "run_cmd!",
    "run_fun!",
    "nix::unistd::exec",
    "libc::exec",
    "libc::system",
    "libc::popen",
];

/// Java, Kotlin, Groovy and Scala ways to run programs: `ProcessBuilder`, Apache
/// commons-exec, zt-exec, jproc, Scala's `sys.process`, Groovy's `"cmd".execute()`.
const JAVA_RUNNERS: &[&str] = &[
    "ProcessBuilder(",
    "getRuntime().exec(",
    "org.apache.commons.exec",
    "org.zeroturnaround.exec",
    "org.buildobjects.process",
    "scala.sys.process",
    "\".execute()",
];

/// .NET ways to run programs: `Process` (`Process.Start`, `new Process { StartInfo … }`,
/// `ProcessStartInfo`), CliWrap, Medallion.Shell, SimpleExec.
const DOTNET_RUNNERS: &[&str] = &[
    "Process.Start(",
    "ProcessStartInfo",
    "StartInfo",
    "new Process",
    "Diagnostics.Process",
    "Cli.Wrap(",
    "CliWrap",
    "Medallion.Shell",
    "SimpleExec",
];

/// Go's lookups of a user or group by name, which fail for a name the image lacks whatever
/// user the program runs as.
pub const BY_NAME_LOOKUPS: &[&str] = &["user.Lookup(", "user.LookupGroup("];

/// The first call in `code` that looks up the user the program runs as by its passwd
/// entry: Go's `user.Current()`, `user.LookupId`. Without cgo, `user.Current()` for a uid
/// the image's `/etc/passwd` lacks fails ("user: Current requires cgo or $USER set in
/// environment", os/user/lookup_stubs.go). Also a lookup by name, `user.Lookup("www-data")`
/// or `user.LookupGroup(…)`: a name the target's passwd or group may not have
/// ([`BY_NAME_LOOKUPS`]).
pub fn user_lookup(code: &str, language: Compiled) -> Option<&'static str> {
    match language {
        Compiled::Go if code.contains("\"os/user\"") => BY_NAME_LOOKUPS
            .iter()
            .chain(&["user.Current()", "user.LookupId("])
            .copied()
            .find(|call| code.contains(call)),
        _ => None,
    }
}

/// A load of a time zone by name from the system's zone data: Go's `time.LoadLocation`
/// and `LoadLocationFromTZData`-free lookups, unless the program embeds the data
/// (`import _ "time/tzdata"`). Go falls back to `$GOROOT/lib/time/zoneinfo.zip`, which
/// the golang image has and scratch does not.
pub fn zone_lookup(code: &str, language: Compiled) -> Option<&'static str> {
    match language {
        // Also through libraries: robfig/cron's `CRON_TZ=` in a spec, the MySQL driver's
        // `loc=` in a DSN.
        Compiled::Go if !code.contains("\"time/tzdata\"") => {
            // `LoadLocation("UTC")` and `("Local")` need no zone data.
            let named = code.match_indices("time.LoadLocation(").any(|(at, _)| {
                let argument = &code[at + "time.LoadLocation(".len()..];
                !["\"UTC\")", "\"Local\")", "\"\")"]
                    .iter()
                    .any(|free| argument.starts_with(free))
            });
            if named {
                return Some("time.LoadLocation(");
            }
            ["CRON_TZ=", "&loc=", "?loc="]
                .into_iter()
                .find(|marker| code.contains(marker))
        }
        _ => None,
    }
}

/// A server that forks workers which watch for their parent's death by its pid becoming
/// 1: fiber's prefork (`Prefork: true`, v3's `EnablePrefork`) makes each child exit once
/// `os.Getppid() == 1` (gofiber/fiber#1036, #4132). Started by a shell, the master is not
/// PID 1; started as the image's exec-form command, it is, and the children exit at once.
pub fn forks_watching_parent(code: &str, language: Compiled) -> Option<&'static str> {
    match language {
        Compiled::Go if code.contains("gofiber/fiber") || code.contains("fiber.") => {
            ["EnablePrefork", "Prefork"]
                .into_iter()
                .find(|name| code.contains(name))
        }
        _ => None,
    }
}

/// The first use in Java or Kotlin `code` of what only a JDK has: the compiler behind
/// `javax.tools` (`ToolProvider.getSystemJavaCompiler()` is null on a JRE), JShell, javac's
/// own API. Distroless java images carry a JRE (Debian's `openjdk-N-jre-headless`, without
/// the `jdk.compiler` module).
pub fn jdk_only(code: &str, language: Compiled) -> Option<&'static str> {
    match language {
        Compiled::Java => ["javax.tools", "jdk.jshell", "com.sun.tools.javac"]
            .into_iter()
            .find(|api| code.contains(api)),
        _ => None,
    }
}

/// `exec.Command(os.Args[0], …)` or of the running executable: the program starting
/// itself again, which the new image holds.
fn go_runs_itself(call: &str) -> bool {
    let Some(open) = call.find('(') else {
        return false;
    };
    let args = call[open + 1..].trim_start();
    // CommandContext's first argument is the context.
    let args = if call.starts_with("CommandContext") {
        args.split_once(',')
            .map_or(args, |(_, rest)| rest.trim_start())
    } else {
        args
    };
    args.starts_with("os.Args[0]")
}

/// The folders of the module's own packages that a Go file imports: an import path under
/// the module path, placed below the folder of `go.mod`.
fn go_local_imports(code: &str, modules: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    // `;` separates specs and declarations on one line (`import ("a"; "b")`).
    for line in code.lines().flat_map(|l| l.split(';')) {
        let line = line.trim();
        let spec = if in_block {
            if let Some((spec, _)) = line.split_once(')') {
                in_block = false;
                spec
            } else {
                line
            }
        } else if let Some(rest) = line.strip_prefix("import") {
            let rest = rest.trim_start();
            if let Some(inner) = rest.strip_prefix('(') {
                match inner.split_once(')') {
                    Some((spec, _)) => spec,
                    None => {
                        in_block = true;
                        inner
                    }
                }
            } else {
                rest
            }
        } else {
            continue;
        };
        // `alias "path"`, `_ "path"`, `"path" // comment`.
        let Some(path) = spec.split('"').nth(1) else {
            continue;
        };
        for (module_path, module_root) in modules {
            let rest = if path == module_path {
                Some("")
            } else {
                path.strip_prefix(module_path.as_str())
                    .and_then(|r| r.strip_prefix('/'))
            };
            if let Some(rest) = rest {
                let root = module_root.trim_end_matches('/');
                out.push(if rest.is_empty() {
                    root.to_string()
                } else {
                    format!("{root}/{rest}")
                });
            }
        }
    }
    out
}

/// The Go modules whose packages a build in `folder` (a folder of the image) compiles from
/// the build context, as `(module path, folder)`: the module holding `folder` (its
/// `go.mod` there or above) first, then each module its `replace` directives point at a
/// local folder (`replace example.com/lib => ../lib`), the modules vendored in its
/// `vendor/`, and each folder a `go.work` beside or above it `use`s.
pub fn go_modules(folder: &str, read: &dyn Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let module_path = |go_mod: &str| {
        go_mod
            .lines()
            .find_map(|l| l.trim().strip_prefix("module "))
            .map(|p| p.trim().trim_matches('"').to_string())
    };
    let read_in = |dir: &str, name: &str| read(&format!("{}/{name}", dir.trim_end_matches('/')));
    let module_of = |dir: &str| read_in(dir, "go.mod").as_deref().and_then(module_path);
    // The folder and those above it, nearest first.
    let mut ups = vec![folder.trim_end_matches('/').to_string()];
    while let Some(dir) = ups.last().filter(|d| !(d.is_empty() || *d == "/")) {
        let up = parent(dir);
        ups.push(up);
    }
    let mut modules = Vec::new();
    let local = |base: &str, target: &str| -> Option<String> {
        let target = target.trim().trim_matches('"');
        (target.starts_with("./") || target.starts_with("../") || target == ".").then(|| {
            crate::analysis::env::normalize_path(&format!(
                "{}/{target}",
                base.trim_end_matches('/')
            ))
        })
    };
    // The nearest go.mod that names its module.
    if let Some((root, path, go_mod)) = ups.iter().find_map(|dir| {
        let text = read_in(dir, "go.mod")?;
        Some((dir.clone(), module_path(&text)?, text))
    }) {
        modules.push((path, root.clone()));
        // `replace a => ../a` and the lines of a `replace ( … )` block.
        for line in go_mod.lines() {
            let line = line.trim().trim_start_matches("replace").trim();
            if let Some((_, target)) = line.split_once("=>")
                && let Some(target_dir) =
                    local(&root, target.split_whitespace().next().unwrap_or(""))
                && let Some(path) = module_of(&target_dir)
            {
                modules.push((path, target_dir));
            }
        }
        // Vendored modules (`go mod vendor`): Go builds from `vendor/` when
        // `vendor/modules.txt` is there, so their packages are in the context; each
        // `# module version` line names one, whose packages sit under `vendor/<module>`.
        if let Some(text) = read_in(&root, "vendor/modules.txt") {
            for line in text.lines() {
                let Some(rest) = line.strip_prefix("# ") else {
                    continue;
                };
                if let Some(path) = rest.split_whitespace().next()
                    && !modules.iter().any(|(p, _)| p == path)
                {
                    let folder = format!("{}/vendor/{path}", root.trim_end_matches('/'));
                    modules.push((path.to_string(), folder));
                }
            }
        }
    }
    // go.work: in the folder or above.
    if let Some((dir, text)) = ups
        .iter()
        .find_map(|dir| read_in(dir, "go.work").map(|text| (dir, text)))
    {
        for line in text.lines() {
            let line = line
                .trim()
                .trim_start_matches("use")
                .trim()
                .trim_matches(['(', ')']);
            if let Some(use_dir) = local(dir, line)
                && let Some(path) = module_of(&use_dir)
                && !modules.iter().any(|(p, _)| *p == path)
            {
                modules.push((path, use_dir));
            }
        }
    }
    modules
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A context of `files` (image paths), read as the CLI reads one: folders as entries.
    fn reader(files: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let files: BTreeMap<String, String> = files
            .iter()
            .map(|(p, c)| ((*p).to_string(), (*c).to_string()))
            .collect();
        move |path: &str| {
            if let Some(folder) = path.strip_suffix('/') {
                let prefix = format!("{folder}/");
                let names: BTreeSet<String> = files
                    .keys()
                    .filter_map(|p| p.strip_prefix(&prefix))
                    .map(|rest| match rest.split_once('/') {
                        Some((dir, _)) => format!("{dir}/"),
                        None => rest.to_string(),
                    })
                    .collect();
                return (!names.is_empty())
                    .then(|| names.into_iter().collect::<Vec<_>>().join("\n"));
            }
            files.get(path).cloned()
        }
    }

    const MAIN: &str = "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/svc/internal/backup\"\n)\n\nfunc main() { fmt.Println(backup.Run()) }\n";

    #[test]
    fn a_go_package_the_main_package_imports_runs_a_shell() {
        let read = reader(&[
            ("/src/go.mod", "module example.com/svc\n\ngo 1.22\n"),
            ("/src/cmd/svc/main.go", MAIN),
            (
                "/src/internal/backup/backup.go",
                "package backup\n\nimport \"os/exec\"\n\nfunc Run() error { return exec.Command(\"sh\", \"-c\", \"tar c /data\").Run() }\n",
            ),
            // Another command of the repository, not built: not read.
            (
                "/src/cmd/tool/main.go",
                "package main\nimport \"os/exec\"\nfunc main() { exec.Command(\"git\").Run() }\n",
            ),
        ]);
        let modules = go_modules("/src/cmd/svc", &read);
        assert_eq!(
            modules,
            vec![("example.com/svc".to_string(), "/src".to_string())]
        );
        let found = find_program_call(Compiled::Go, "/src/cmd/svc", &modules, &read);
        assert_eq!(
            found,
            Some(("/src/internal/backup/backup.go".to_string(), "exec.Command"))
        );
    }

    #[test]
    fn a_go_program_that_only_reruns_itself_or_whose_other_commands_exec_is_clean() {
        let read = reader(&[
            ("/src/go.mod", "module example.com/svc\n"),
            (
                "/src/main.go",
                "package main\nimport \"os/exec\"\nfunc child() { exec.Command(os.Args[0], \"worker\").Start() }\n",
            ),
            (
                "/src/main_test.go",
                "package main\nimport \"os/exec\"\nvar _ = exec.Command(\"sh\")\n",
            ),
            (
                "/src/tools/gen/main.go",
                "package main\nimport \"os/exec\"\nvar _ = exec.Command(\"sh\")\n",
            ),
        ]);
        let modules = go_modules("/src", &read);
        assert_eq!(
            find_program_call(Compiled::Go, "/src", &modules, &read),
            None
        );
        // `go build main.go` reads that file.
        assert_eq!(
            find_program_call(Compiled::Go, "/src/main.go", &modules, &read),
            None
        );
    }

    #[test]
    fn local_replace_and_workspace_modules_are_followed() {
        const LIB: &str =
            "package lib\nimport \"os/exec\"\nfunc Run() { exec.Command(\"sh\").Run() }\n";
        const MAIN: &str = "package main\nimport \"example.com/lib\"\nfunc main() { lib.Run() }\n";
        // `replace example.com/lib => ../lib` in the service's go.mod.
        let read = reader(&[
            (
                "/w/svc/go.mod",
                "module example.com/svc\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
            ),
            ("/w/svc/main.go", MAIN),
            ("/w/lib/go.mod", "module example.com/lib\n"),
            ("/w/lib/lib.go", LIB),
        ]);
        let modules = go_modules("/w/svc", &read);
        assert_eq!(modules.len(), 2, "{modules:?}");
        assert_eq!(
            find_program_call(Compiled::Go, "/w/svc", &modules, &read).map(|(f, _)| f),
            Some("/w/lib/lib.go".to_string())
        );
        // A go.work above that `use`s both.
        let read = reader(&[
            ("/w/go.work", "go 1.22\n\nuse (\n\t./svc\n\t./lib\n)\n"),
            ("/w/svc/go.mod", "module example.com/svc\n"),
            ("/w/svc/main.go", MAIN),
            ("/w/lib/go.mod", "module example.com/lib\n"),
            ("/w/lib/lib.go", LIB),
        ]);
        let modules = go_modules("/w/svc", &read);
        assert_eq!(
            find_program_call(Compiled::Go, "/w/svc", &modules, &read).map(|(f, _)| f),
            Some("/w/lib/lib.go".to_string())
        );
    }

    #[test]
    fn rust_java_and_dotnet_sources_below_the_project_are_read_but_tests_are_not() {
        let read = reader(&[
            ("/app/src/main.rs", "mod jobs;\nfn main() {}\n"),
            (
                "/app/src/jobs/mod.rs",
                "use std::process::Command;\npub fn run() { Command::new(\"ffmpeg\").status().unwrap(); }\n",
            ),
            (
                "/app/target/debug/build.rs",
                "use std::process::Command; fn x() { Command::new(\"cc\"); }",
            ),
        ]);
        assert_eq!(
            find_program_call(Compiled::Rust, "/app", &[], &read),
            Some(("/app/src/jobs/mod.rs".to_string(), "std::process::Command"))
        );
        let read = reader(&[
            ("/build/src/main/java/App.java", "class App {}"),
            (
                "/build/src/test/java/AppTest.java",
                "new ProcessBuilder(\"sh\");",
            ),
        ]);
        assert_eq!(
            find_program_call(Compiled::Java, "/build", &[], &read),
            None
        );
        let read = reader(&[
            (
                "/src/Api/Program.cs",
                "var p = Process.Start(\"git\", \"pull\");",
            ),
            ("/src/Api.Tests/T.cs", "Process.Start(\"x\");"),
        ]);
        assert_eq!(
            find_program_call(Compiled::Dotnet, "/src", &[], &read),
            Some(("/src/Api/Program.cs".to_string(), "Process.Start("))
        );
    }
}

#[cfg(test)]
mod dotnet_runner_tests {
    use super::{Compiled, program_call};

    #[test]
    fn a_class_whose_name_starts_with_process_runs_nothing() {
        let run = |code| program_call(code, Compiled::Dotnet);
        assert_eq!(run("using var db = new ProcessorContext(options);"), None);
        assert_eq!(run("var q = new ProcessingQueue();"), None);
        assert_eq!(
            run("using var p = new Process { StartInfo = si };"),
            Some("StartInfo")
        );
        assert_eq!(run("var p = new Process();"), Some("new Process"));
        assert_eq!(
            run("var si = new ProcessStartInfo(\"git\");"),
            Some("ProcessStartInfo")
        );
        assert_eq!(
            run("System.Diagnostics.Process.Start(\"x\");"),
            Some("Process.Start(")
        );
    }
}

#[cfg(test)]
mod constraint_tests {
    use super::{go_may_build_on_linux, without_test_modules};

    #[test]
    fn go_files_no_linux_build_compiles_are_left_out() {
        let code = |header: &str| format!("{header}\n\npackage main\n");
        assert!(!go_may_build_on_linux("gen.go", &code("//go:build ignore")));
        assert!(!go_may_build_on_linux(
            "a.go",
            &code("//go:build windows || darwin")
        ));
        assert!(!go_may_build_on_linux("a.go", &code("//go:build !linux")));
        // An old `// +build` line alone is not read (where it counts depends on blank
        // lines), nor a `//go:build` inside a block comment.
        assert!(go_may_build_on_linux("a.go", &code("// +build ignore")));
        assert!(go_may_build_on_linux(
            "a.go",
            "/*\n//go:build ignore\n*/\npackage main\n"
        ));
        assert!(!go_may_build_on_linux(
            "a.go",
            "/* generated */\n//go:build ignore\n\npackage main\n"
        ));
        assert!(!go_may_build_on_linux("open_windows.go", "package main"));
        assert!(!go_may_build_on_linux(
            "open_darwin_arm64.go",
            "package main"
        ));
        // What a Linux build may compile: the OS itself, unknown tags (-tags may set
        // them), an architecture, a negated other OS, a name that only ends like one.
        assert!(go_may_build_on_linux(
            "a.go",
            &code("//go:build linux && amd64")
        ));
        assert!(go_may_build_on_linux(
            "a.go",
            &code("//go:build integration")
        ));
        assert!(go_may_build_on_linux("a.go", &code("//go:build !windows")));
        assert!(go_may_build_on_linux(
            "a.go",
            &code("//go:build (linux || darwin) && cgo")
        ));
        assert!(go_may_build_on_linux("open_linux.go", "package main"));
        assert!(go_may_build_on_linux("windows.go", "package main"));
        assert!(go_may_build_on_linux("a_amd64.go", "package main"));
        // A constraint that does not parse says nothing.
        assert!(go_may_build_on_linux("a.go", &code("//go:build (windows")));
        // After the package clause it is a comment.
        assert!(go_may_build_on_linux(
            "a.go",
            "package main\n//go:build ignore\n"
        ));
    }

    #[test]
    fn rust_test_modules_are_left_out_and_the_rest_is_kept() {
        let code = "fn main() { serve(); }\n#[cfg(test)]\nmod tests {\n    use std::process::Command;\n    fn t() { if true { Command::new(\"x\"); } }\n}\nfn later() { std::process::Command::new(\"sh\"); }\n";
        let kept = without_test_modules(code);
        assert!(!kept.contains("Command::new(\"x\")"), "{kept}");
        assert!(kept.contains("Command::new(\"sh\")"), "{kept}");
        // `#[cfg(test)] mod tests;` names a file; a cfg(test) function is kept.
        let declared = "#[cfg(test)]\nmod tests;\nfn main() {}\n";
        assert_eq!(without_test_modules(declared), declared);
        // Unbalanced braces: the code as it is.
        let broken = "#[cfg(test)]\nmod tests {\n fn t() {\n";
        assert_eq!(without_test_modules(broken), broken);
    }
}

#[cfg(test)]
mod import_tests {
    use super::go_local_imports;

    #[test]
    fn imports_on_one_line_are_followed() {
        let modules = vec![("example.com/app".to_string(), "/src".to_string())];
        for code in [
            "package main\n\nimport (\"net/http\"; \"example.com/app/internal/run\")\n",
            "package main\n\nimport \"net/http\"; import r \"example.com/app/internal/run\"\n",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"example.com/app/internal/run\")\n",
        ] {
            assert_eq!(
                go_local_imports(code, &modules),
                vec!["/src/internal/run".to_string()],
                "{code}"
            );
        }
    }
}
