//! What the build commands of a stage produce, where, and how it links.
//!
//! Each RUN is read with [`crate::analysis::shell`] and every command a build tool is known
//! by (`go build`, `cargo build`, `gcc -o`, `mvn package`, `dotnet publish`, `npm ci`,
//! `python -m venv`, …) is turned into an [`Artifact`]: an absolute path in the stage's file
//! system, what kind of thing it is, how a binary links, and a sentence saying why. The
//! facts the tools themselves define (default output names and folders) are in
//! `build_tools.md` beside this file, with their sources.
//!
//! Only what can be established statically is reported. A value that depends on an unknown
//! variable, or a command inside a condition, produces nothing: callers decline rather than
//! guess.

use serde::Serialize;

use crate::analysis::catalogue::Libc;
use crate::analysis::env::{State, normalize_path};
use crate::analysis::model::Model;
use crate::analysis::shell::{self, ShellCommand, ShellWord};
use crate::analysis::stages::Base;
use crate::syntax::{Args, Instruction, Keyword};

/// How a binary finds its libraries at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Linkage {
    /// No shared libraries: runs on `scratch` and `static`.
    Static,
    /// glibc (and libssl, zlib, which distroless `base` carries).
    Glibc,
    /// glibc plus the GCC runtime (libgcc_s, libstdc++): Rust, C++; distroless `cc`.
    GlibcGcc,
    /// Dynamically linked against musl: no distroless image can run it.
    Musl,
}

impl Linkage {
    pub fn describe(self) -> &'static str {
        match self {
            Linkage::Static => "static",
            Linkage::Glibc => "glibc",
            Linkage::GlibcGcc => "glibc + libgcc/libstdc++",
            Linkage::Musl => "musl",
        }
    }
}

/// What a build output is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ArtifactKind {
    /// A compiled executable.
    Binary { linkage: Linkage },
    /// A folder of executables whose names the build does not say (`make install`,
    /// `cargo build` without a known crate name): any file below may be one.
    BinaryDir { linkage: Linkage },
    /// A folder holding jars (`target/` of Maven, `build/libs/` of Gradle).
    JarDir,
    /// The output folder of `dotnet publish`.
    DotnetPublish,
    /// A Node application folder with its `node_modules`.
    NodeApp,
    /// A Python virtual environment.
    Venv,
    /// Packages installed by pip outside a venv (`--target`, `--prefix`, or site-packages).
    PythonPackages,
}

/// One build output of a stage.
#[derive(Clone, Debug)]
pub struct Artifact<'t> {
    /// Absolute path in the stage's file system (a file, or a folder for folder kinds).
    pub path: String,
    pub kind: ArtifactKind,
    /// The tool that made it, e.g. `go build`.
    pub tool: &'static str,
    /// Why it is there, for the plan: "output of `go build -o /out/app` (CGO_ENABLED=0:
    /// static)".
    pub why: String,
    pub instruction: &'t Instruction,
}

impl Artifact<'_> {
    /// How a binary, or the binaries of a folder, link, when the analysis establishes it:
    /// `None` for other kinds and for `make install`, whose output is up to the Makefile.
    pub fn linkage(&self) -> Option<Linkage> {
        match self.kind {
            ArtifactKind::Binary { linkage } => Some(linkage),
            ArtifactKind::BinaryDir { linkage } if self.tool != "make install" => Some(linkage),
            _ => None,
        }
    }

    /// Whether `path` is this artifact or lies inside a folder artifact.
    pub fn covers(&self, path: &str) -> bool {
        path == self.path
            || (!matches!(self.kind, ArtifactKind::Binary { .. })
                && path.starts_with(&format!("{}/", self.path.trim_end_matches('/'))))
    }
}

/// A package installed by the stage's package manager.
#[derive(Clone, Debug)]
pub struct PackageInstall<'t> {
    pub manager: &'static str,
    pub package: String,
    pub instruction: &'t Instruction,
}

/// Everything the analysis learned about a stage's RUN instructions.
#[derive(Clone, Debug, Default)]
pub struct StageBuild<'t> {
    pub artifacts: Vec<Artifact<'t>>,
    pub packages: Vec<PackageInstall<'t>>,
    /// RUN instructions whose shell text could not be read.
    pub opaque: Vec<&'t Instruction>,
    /// Python package installs whose destination cannot be told statically (poetry,
    /// pipenv, editable installs, …), with what was run.
    pub unknown_python_installs: Vec<(&'t Instruction, String)>,
}

impl<'t> StageBuild<'t> {
    /// The artifact that `path` is, or lies in; the latest one wins.
    pub fn artifact_at(&self, path: &str) -> Option<&Artifact<'t>> {
        self.artifacts.iter().rev().find(|a| a.covers(path))
    }

    /// The artifacts a copy of `source` (an absolute path of this stage, possibly a glob)
    /// takes along: the artifact it is or lies in, and those inside it when it is a folder.
    /// Where one path was built twice, the latest build counts.
    pub fn copied_by(&self, source: &str) -> Vec<&Artifact<'t>> {
        let folder = source.trim_end_matches('/');
        let mut found: Vec<&Artifact<'t>> = Vec::new();
        for artifact in self.artifacts.iter().rev() {
            if found.iter().any(|a| a.path == artifact.path) {
                continue;
            }
            let inside = artifact
                .path
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'));
            // A glob matches the artifact or one of the folders above it.
            let by_glob = source.contains(['*', '?', '['])
                && artifact
                    .path
                    .match_indices('/')
                    .map(|(i, _)| &artifact.path[..i])
                    .chain([artifact.path.as_str()])
                    .any(|prefix| path_matches(source, prefix));
            if artifact.covers(folder) || inside || by_glob {
                found.push(artifact);
            }
        }
        found.reverse();
        found
    }

    /// Packages installed that native code may load at run time: libraries (and their
    /// `-dev` packages), anything that is not a known build tool or a library every
    /// distroless glibc image already has.
    pub fn runtime_library_packages(&self) -> impl Iterator<Item = &PackageInstall<'t>> {
        self.packages.iter().filter(|p| {
            let name = p.package.as_str();
            !HARMLESS_DEV_PACKAGES.contains(&name) && !BUILD_ONLY_PACKAGES.contains(&name)
        })
    }
}

/// Packages that build or fetch but leave nothing a program loads at run time.
const BUILD_ONLY_PACKAGES: &[&str] = &[
    "build-essential",
    "build-base",
    "gcc",
    "g++",
    "clang",
    "make",
    "cmake",
    "pkg-config",
    "pkgconf",
    "autoconf",
    "automake",
    "libtool",
    "binutils",
    "git",
    "curl",
    "wget",
    "ca-certificates",
    "tzdata",
    "unzip",
    "xz-utils",
    "tar",
    "gnupg",
    "file",
    "upx",
    "upx-ucl",
    "bash",
    "openssh-client",
    "patch",
    "protobuf-compiler",
    "protoc",
    "python3",
    "python3-pip",
    "python3-venv",
    "nodejs",
    "npm",
    "yarn",
    "mercurial",
    "bzr",
    "gettext",
    "jq",
    "netbase",
    "libc6",
    "libssl3",
    "libssl3t64",
    "openssl",
    "libgcc-s1",
    "libstdc++6",
    "zlib1g",
    "musl-tools",
];

/// Development packages whose runtime library every distroless glibc image already has,
/// or that link nothing (build-only headers).
const HARMLESS_DEV_PACKAGES: &[&str] = &[
    "libc6-dev",
    "libc-dev",
    "musl-dev",
    "linux-libc-dev",
    "libssl-dev",
    "openssl-dev",
    "zlib1g-dev",
    "zlib-dev",
    "libstdc++-dev",
    "libgcc-dev",
];

/// Reads a file of the build context by its path relative to the context root.
pub type ContextReader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Analyse the RUN instructions of a stage (and the stages it is built on, whose files it
/// inherits).
pub fn stage_build<'t>(
    model: &Model<'t>,
    stage: usize,
    context: Option<ContextReader<'_>>,
) -> StageBuild<'t> {
    let (_, chain) = model.stages.root_base(stage);
    let mut build = StageBuild::default();
    // Oldest stage first, so that later outputs win in `artifact_at`.
    for &index in chain.iter().rev() {
        let facts = model.facts(index);
        let image = ImageTools {
            c_compiler: facts.as_ref().is_some_and(|f| f.c_compiler),
            libc: facts.as_ref().map_or(Libc::Glibc, |f| f.libc),
            python_version: facts
                .as_ref()
                .and_then(|f| f.runtime.as_ref())
                .filter(|r| r.name == "python")
                .and_then(|r| r.version.clone()),
        };
        let states = model.states(index);
        let stage_ref = &model.stages.stages[index];
        for (i, instruction) in stage_ref.instructions.iter().enumerate() {
            if instruction.keyword != Keyword::Run {
                continue;
            }
            let Some(script) = run_script(instruction) else {
                build.opaque.push(instruction);
                continue;
            };
            let Some(commands) = shell::commands(&script) else {
                build.opaque.push(instruction);
                continue;
            };
            let mut reader = RunReader {
                state: &states.before[i],
                instruction,
                image: &image,
                context,
                stage: stage_ref,
                build: &mut build,
            };
            for command in &commands {
                reader.command(command, &commands);
            }
        }
    }
    build
}

/// The shell script a `RUN` runs: its text, the heredoc body of `RUN <<EOF`, or the
/// exec-form words quoted as one command.
fn run_script(instruction: &Instruction) -> Option<String> {
    match (&instruction.args, instruction.heredocs.first()) {
        (_, Some(heredoc)) if run_is_heredoc_script(instruction) => {
            Some(heredoc.effective_content())
        }
        (Args::Shell { text }, _) => Some(text.text.clone()),
        // Exec form runs one program with these words: read it as that command.
        (Args::Exec { elements, .. }, _) => Some(
            elements
                .iter()
                .map(|w| shell_quote(&w.text))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => None,
    }
}

/// A build output of another stage that a `COPY --from=<stage>` takes into a stage.
#[derive(Clone, Debug)]
pub struct CopiedArtifact<'t> {
    /// The `COPY` (or `ADD`) that takes it.
    pub copy: &'t Instruction,
    /// The stage it is built in.
    pub from_stage: usize,
    pub artifact: Artifact<'t>,
}

/// The artifacts that the `COPY --from=<stage>` instructions of a stage (and of the stages
/// it is built on) take from other stages, in order. Copies from images, from unresolved
/// references and of sources not known statically give nothing.
pub fn copied_artifacts<'t>(model: &Model<'t>, stage: usize) -> Vec<CopiedArtifact<'t>> {
    let mut builds: Vec<(usize, StageBuild<'t>)> = Vec::new();
    let mut copied = Vec::new();
    for transfer in model.transfers(stage) {
        let Some(Base::Stage(from_stage)) = transfer.from else {
            continue;
        };
        if !builds.iter().any(|(i, _)| *i == from_stage) {
            builds.push((from_stage, stage_build(model, from_stage, None)));
        }
        let Some((_, build)) = builds.iter().find(|(i, _)| *i == from_stage) else {
            continue;
        };
        for source in transfer.sources.iter().flatten() {
            for artifact in build.copied_by(source) {
                copied.push(CopiedArtifact {
                    copy: transfer.instruction,
                    from_stage,
                    artifact: artifact.clone(),
                });
            }
        }
    }
    copied
}

/// The user and group names that `useradd`, `adduser`, `groupadd` and `addgroup` may create
/// in a stage and the stages it is built on, conditional commands included (`id app ||
/// useradd app`). Every operand counts, so option values may be listed too: the list errs
/// on the side of "may exist". `None` when it cannot be told: a script that does not parse,
/// a name that needs an unknown value, or a script that writes `/etc/passwd` directly.
pub fn created_accounts(model: &Model<'_>, stage: usize) -> Option<Vec<String>> {
    const CREATORS: &[&str] = &["useradd", "adduser", "groupadd", "addgroup"];
    let mut names = Vec::new();
    for index in model.chain(stage) {
        let states = model.states(index);
        for (i, instruction) in model.stages.stages[index].instructions.iter().enumerate() {
            if instruction.keyword != Keyword::Run {
                continue;
            }
            let state = &states.before[i];
            let commands = match run_script(instruction) {
                Some(script) => {
                    if script.contains("/etc/passwd") {
                        return None;
                    }
                    shell::commands(&script)?
                }
                None => match &instruction.args {
                    Args::Exec { elements, .. } => vec![ShellCommand {
                        assignments: Vec::new(),
                        words: elements
                            .iter()
                            .map(|w| ShellWord {
                                raw: format!("'{}'", w.text.replace('\'', "'\\''")),
                            })
                            .collect(),
                        conditional: false,
                        cd: None,
                        script_vars: Vec::new(),
                    }],
                    _ => continue,
                },
            };
            for command in commands {
                let Some(program) = command.program_name() else {
                    continue;
                };
                if !CREATORS.contains(&program.as_str()) {
                    continue;
                }
                let var = |name: &str| match command.assigned(name) {
                    Some(word) => word.value(&|n| state.value(n)),
                    None => state.value(name),
                };
                for word in &command.words[1..] {
                    let value = word.value(&var)?;
                    if !value.starts_with('-') && !value.is_empty() {
                        names.push(value);
                    }
                }
            }
        }
    }
    Some(names)
}

/// Whether a path or glob pattern matches a path, segment by segment, as `COPY` sources do
/// (Go's `filepath.Match`): `*` is any run of characters but `/`, `?` one character,
/// `[a-z]` / `[!a-z]` a class.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, t)| segment_matches(p.as_bytes(), t.as_bytes()))
}

fn segment_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| segment_matches(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && segment_matches(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().skip(1).position(|&c| c == b']').map(|p| p + 1) else {
                return text.first() == Some(&b'[') && segment_matches(rest, &text[1..]);
            };
            let Some((&first, text_rest)) = text.split_first() else {
                return false;
            };
            let (negated, class) = match rest[..close].split_first() {
                Some((b'!' | b'^', class)) => (true, class),
                _ => (false, &rest[..close]),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= first && first <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == first;
                    i += 1;
                }
            }
            hit != negated && segment_matches(&rest[close + 1..], text_rest)
        }
        Some((b'\\', rest)) if !rest.is_empty() => {
            text.first() == Some(&rest[0]) && segment_matches(&rest[1..], &text[1..])
        }
        Some((c, rest)) => text.first() == Some(c) && segment_matches(rest, &text[1..]),
    }
}

/// `RUN <<EOF` with nothing else on the line runs the heredoc body as the script.
fn run_is_heredoc_script(instruction: &Instruction) -> bool {
    match &instruction.args {
        Args::Shell { text } => text.text.split_whitespace().count() == 1,
        _ => false,
    }
}

struct ImageTools {
    c_compiler: bool,
    libc: Libc,
    /// The image's own Python (`3.13` on `python:3.13-slim`), which a plain `pip install`
    /// installs into.
    python_version: Option<String>,
}

/// A word quoted for the shell so that it stands for exactly itself.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// Where a `pip install` puts packages.
enum PipEnv {
    Venv(String),
    System,
}

/// `python`, `python3`, `python3.13`.
fn is_python_program(name: &str) -> bool {
    name == "python"
        || name == "python3"
        || name
            .strip_prefix("python3.")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
}

/// `pip`, `pip3`, `pip3.13`.
fn is_pip_program(name: &str) -> bool {
    name == "pip"
        || name == "pip3"
        || name
            .strip_prefix("pip3.")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
}

struct RunReader<'r, 't> {
    state: &'r State,
    instruction: &'t Instruction,
    image: &'r ImageTools,
    context: Option<ContextReader<'r>>,
    stage: &'r crate::analysis::stages::Stage<'t>,
    build: &'r mut StageBuild<'t>,
}

impl<'t> RunReader<'_, 't> {
    /// A variable as this command sees it.
    fn var(&self, command: &ShellCommand, name: &str) -> Option<String> {
        match command.assigned(name) {
            Some(word) => word.value(&|n| self.state.value(n)),
            None => self.state.value(name),
        }
    }

    fn value(&self, command: &ShellCommand, word: &ShellWord) -> Option<String> {
        word.value(&|n| self.var(command, n))
    }

    /// The directory the command runs in.
    fn cwd(&self, command: &ShellCommand) -> Option<String> {
        match &command.cd {
            Some(dir) => self.state.resolve_path(&self.value(command, dir)?),
            None => self.state.workdir.as_deref().map(str::to_string),
        }
    }

    fn absolute(&self, command: &ShellCommand, path: &str) -> Option<String> {
        if path.starts_with('/') {
            return Some(normalize_path(path));
        }
        let path = path.strip_prefix("~/").map_or(path.to_string(), |p| {
            format!(
                "{}/{p}",
                self.var(command, "HOME").unwrap_or("/root".into())
            )
        });
        if path.starts_with('/') {
            return Some(normalize_path(&path));
        }
        Some(normalize_path(&format!("{}/{path}", self.cwd(command)?)))
    }

    fn push(&mut self, path: String, kind: ArtifactKind, tool: &'static str, why: String) {
        self.build.artifacts.push(Artifact {
            path,
            kind,
            tool,
            why,
            instruction: self.instruction,
        });
    }

    fn command(&mut self, command: &ShellCommand, all: &[ShellCommand]) {
        if command.conditional {
            return;
        }
        let Some(program) = command.program_name() else {
            return;
        };
        let args: Vec<Option<String>> = command.words[1..]
            .iter()
            .map(|w| self.value(command, w))
            .collect();
        match program.as_str() {
            "go" => self.go(command, &args),
            "cargo" => self.cargo(command, &args),
            "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" | "musl-gcc" => {
                self.c_compiler(command, &program, &args);
            }
            "make" => self.make(command, &args),
            "mvn" | "mvnw" => self.jvm(command, &args, "mvn", "target"),
            "gradle" | "gradlew" => self.jvm(command, &args, "gradle", "build/libs"),
            "dotnet" => self.dotnet(command, &args),
            "npm" | "yarn" | "pnpm" => self.node(command, &program, &args),
            name if is_python_program(name) => {
                if args.first().and_then(|a| a.as_deref()) == Some("-m")
                    && args.get(1).and_then(|a| a.as_deref()) == Some("pip")
                {
                    let path = command.program().filter(|p| p.contains('/'));
                    self.pip(command, path.as_deref(), &args[2..]);
                } else if args.get(1).and_then(|a| a.as_deref()) == Some("setup.py")
                    || args.first().and_then(|a| a.as_deref()) == Some("setup.py")
                {
                    self.unknown_python_install(command);
                } else {
                    self.venv(command, "python", &args);
                }
            }
            "virtualenv" => self.venv(command, &program, &args),
            "uv" => self.uv(command, &args),
            name if is_pip_program(name) => {
                let path = command.program().filter(|p| p.contains('/'));
                self.pip(command, path.as_deref(), &args);
            }
            "poetry" | "pipenv" | "pdm" | "conda" | "mamba" | "micromamba" | "easy_install"
            | "pipx" | "hatch" | "rye" => {
                let sub = args.first().and_then(|a| a.as_deref()).unwrap_or("");
                if matches!(
                    sub,
                    "install" | "add" | "sync" | "create" | "update" | "env" | "lock"
                ) || program == "easy_install"
                {
                    self.unknown_python_install(command);
                }
            }
            "cp" | "mv" | "install" => self.copy(command, &args),
            "apt-get" | "apt" | "apk" | "yum" | "dnf" | "microdnf" => {
                self.packages(&program, &args);
            }
            _ => {}
        }
        let _ = all;
    }

    fn go(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let Some(Some(sub)) = args.first() else {
            return;
        };
        if sub != "build" && sub != "install" {
            return;
        }
        let Some(parsed) = GoFlags::parse(&args[1..]) else {
            return;
        };
        let cgo = self.var(command, "CGO_ENABLED");
        let ldflags_static = parsed
            .ldflags
            .as_deref()
            .is_some_and(|l| l.contains("-static"));
        let pie = parsed.buildmode.as_deref() == Some("pie")
            || self
                .var(command, "GOFLAGS")
                .is_some_and(|f| f.split_whitespace().any(|f| f == "-buildmode=pie"));
        let (linkage, reason) = match cgo.as_deref() {
            // A position-independent executable asks for the dynamic loader even without
            // cgo; only a libc image has one.
            _ if pie && !ldflags_static => (
                self.cgo_linkage(),
                "-buildmode=pie: needs the dynamic loader".to_string(),
            ),
            Some("0") => (Linkage::Static, "CGO_ENABLED=0: static".to_string()),
            _ if ldflags_static => (Linkage::Static, "linked with -static".to_string()),
            Some("1") => (
                self.cgo_linkage(),
                "CGO_ENABLED=1: cgo, dynamic".to_string(),
            ),
            _ if self.image.c_compiler || self.installed_c_compiler() => (
                self.cgo_linkage(),
                "cgo is on by default where a C compiler is present: dynamic".to_string(),
            ),
            _ => (
                Linkage::Static,
                "no C compiler in the image, so cgo is off: static".to_string(),
            ),
        };
        let packages = &parsed.packages;
        let out_dir_default = if sub == "install" {
            let bin = self.var(command, "GOBIN").or_else(|| {
                let gopath = self.var(command, "GOPATH").unwrap_or_else(|| {
                    format!("{}/go", self.var(command, "HOME").unwrap_or("/root".into()))
                });
                Some(format!("{gopath}/bin"))
            });
            match bin {
                Some(bin) => bin,
                None => return,
            }
        } else {
            match self.cwd(command) {
                Some(cwd) => cwd,
                None => return,
            }
        };
        if packages.len() > 1 && parsed.output.is_none() && sub == "build" {
            // `go build a b` with no -o only checks that the packages compile.
            return;
        }
        let name = || self.go_default_name(command, packages.first().map(String::as_str));
        let path = match (&parsed.output, sub.as_str()) {
            (Some(out), "build") => {
                let Some(abs) = self.absolute(command, out) else {
                    return;
                };
                if out.ends_with('/') {
                    let Some(name) = name() else { return };
                    format!("{}/{name}", abs.trim_end_matches('/'))
                } else {
                    abs
                }
            }
            _ => {
                let Some(name) = name() else { return };
                format!("{}/{name}", out_dir_default.trim_end_matches('/'))
            }
        };
        let written = command
            .words
            .iter()
            .map(|w| w.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        self.push(
            path,
            ArtifactKind::Binary { linkage },
            if sub == "build" {
                "go build"
            } else {
                "go install"
            },
            format!("output of `{written}` ({reason})"),
        );
    }

    fn cgo_linkage(&self) -> Linkage {
        match self.image.libc {
            Libc::Musl => Linkage::Musl,
            _ => Linkage::Glibc,
        }
    }

    /// A C compiler installed by an earlier RUN of the stage (`apk add gcc`).
    fn installed_c_compiler(&self) -> bool {
        self.build.packages.iter().any(|p| {
            matches!(
                p.package.as_str(),
                "gcc" | "build-base" | "build-essential" | "clang" | "musl-dev"
            )
        })
    }

    /// Go's default executable name: the last element of the package path, or of the
    /// module path from `go.mod` for `.`.
    fn go_default_name(&self, command: &ShellCommand, package: Option<&str>) -> Option<String> {
        let package = package.unwrap_or(".");
        let package = package.split('@').next().unwrap_or(package);
        if package.ends_with(".go") {
            let file = package.rsplit('/').next()?;
            return Some(file.trim_end_matches(".go").to_string());
        }
        let trimmed = package.trim_end_matches('/');
        if trimmed == "." || trimmed == "./" || trimmed.is_empty() {
            let cwd = self.cwd(command)?;
            let module = self.context_file(&format!("{cwd}/go.mod"))?;
            let path = module
                .lines()
                .find_map(|l| l.trim().strip_prefix("module "))?
                .trim()
                .trim_matches('"');
            return Some(last_go_element(path));
        }
        if trimmed.starts_with("./") || trimmed.starts_with("../") || !trimmed.contains('.') {
            return Some(last_go_element(trimmed));
        }
        Some(last_go_element(trimmed))
    }

    /// Read a file of the image that came from the build context by a `COPY` of this stage.
    fn context_file(&self, image_path: &str) -> Option<String> {
        let read = self.context?;
        for copy in self
            .stage
            .instructions_of(Keyword::Copy)
            .chain(self.stage.instructions_of(Keyword::Add))
        {
            if copy.flag("from").is_some() {
                continue;
            }
            let Args::Words { words } = &copy.args else {
                continue;
            };
            let Some((dest, sources)) = words.split_last() else {
                continue;
            };
            let Some(dest) = self.state.resolve_path(&dest.text) else {
                continue;
            };
            for source in sources {
                let src = source.text.trim_start_matches("./");
                let candidate = if src.is_empty() || src == "." {
                    image_path
                        .strip_prefix(&format!("{}/", dest.trim_end_matches('/')))
                        .map(str::to_string)
                } else if image_path == format!("{}/{}", dest.trim_end_matches('/'), file_name(src))
                    || image_path == dest
                {
                    Some(src.to_string())
                } else {
                    None
                };
                if let Some(text) = candidate.and_then(|c| read(&c)) {
                    return Some(text);
                }
            }
        }
        None
    }

    fn cargo(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let Some(Some(sub)) = args.first() else {
            return;
        };
        let Some(flags) = CargoFlags::parse(&args[1..]) else {
            return;
        };
        let target = flags
            .target
            .clone()
            .or_else(|| self.var(command, "CARGO_BUILD_TARGET"));
        let linkage = match (&target, self.image.libc) {
            (Some(t), _) if t.contains("musl") => Linkage::Static,
            // Rust's default target on Alpine is musl, linked statically.
            (None, Libc::Musl) => Linkage::Static,
            _ => Linkage::GlibcGcc,
        };
        let Some(cwd) = self.cwd(command) else { return };
        let manifest_dir = match &flags.manifest_path {
            Some(m) => match self.absolute(command, m) {
                Some(m) => parent_dir(&m),
                None => return,
            },
            None => cwd.clone(),
        };
        let names = if flags.bins.is_empty() {
            self.cargo_bin_names(&manifest_dir)
        } else {
            Some(flags.bins.clone())
        };
        match sub.as_str() {
            "build" => {
                let target_dir = match flags
                    .target_dir
                    .clone()
                    .or_else(|| self.var(command, "CARGO_TARGET_DIR"))
                {
                    Some(d) => match self.absolute(command, &d) {
                        Some(d) => d,
                        None => return,
                    },
                    None => format!("{manifest_dir}/target"),
                };
                let profile_dir = match flags.profile.as_deref() {
                    Some("dev") | Some("test") => "debug".to_string(),
                    Some(p) => p.to_string(),
                    None if flags.release => "release".to_string(),
                    None => "debug".to_string(),
                };
                let dir = match &target {
                    Some(t) => format!("{target_dir}/{t}/{profile_dir}"),
                    None => format!("{target_dir}/{profile_dir}"),
                };
                let why = |name: &str| {
                    format!(
                        "output of `cargo build` for `{name}` ({})",
                        linkage_reason(linkage, target.as_deref())
                    )
                };
                match names {
                    Some(names) => {
                        for name in names {
                            let why = why(&name);
                            self.push(
                                format!("{dir}/{name}"),
                                ArtifactKind::Binary { linkage },
                                "cargo build",
                                why,
                            );
                        }
                    }
                    None => {
                        let why = format!(
                            "the binaries of `cargo build` in {dir} ({})",
                            linkage_reason(linkage, target.as_deref())
                        );
                        self.push(dir, ArtifactKind::BinaryDir { linkage }, "cargo build", why);
                    }
                }
            }
            "install" => {
                let root = match flags
                    .root
                    .clone()
                    .or_else(|| self.var(command, "CARGO_INSTALL_ROOT"))
                {
                    Some(r) => self.absolute(command, &r),
                    None => self.var(command, "CARGO_HOME").or_else(|| {
                        Some(format!(
                            "{}/.cargo",
                            self.var(command, "HOME").unwrap_or("/root".into())
                        ))
                    }),
                };
                let Some(root) = root else { return };
                let names = match (&names, &flags.crate_name, flags.path.is_some()) {
                    (_, Some(krate), false) if flags.bins.is_empty() => Some(vec![krate.clone()]),
                    (names, _, _) => names.clone(),
                };
                match names {
                    Some(names) => {
                        for name in names {
                            self.push(
                                format!("{root}/bin/{name}"),
                                ArtifactKind::Binary { linkage },
                                "cargo install",
                                format!(
                                    "installed by `cargo install` as `{name}` ({})",
                                    linkage_reason(linkage, target.as_deref())
                                ),
                            );
                        }
                    }
                    None => self.push(
                        format!("{root}/bin"),
                        ArtifactKind::BinaryDir { linkage },
                        "cargo install",
                        format!(
                            "the binaries of `cargo install` in {root}/bin ({})",
                            linkage_reason(linkage, target.as_deref())
                        ),
                    ),
                }
            }
            _ => {}
        }
    }

    /// The binary names of the package at `dir`, from its `Cargo.toml` in the context.
    fn cargo_bin_names(&self, dir: &str) -> Option<Vec<String>> {
        let manifest = self.context_file(&format!("{dir}/Cargo.toml"))?;
        cargo_bin_names(&manifest)
    }

    fn c_compiler(&mut self, command: &ShellCommand, program: &str, args: &[Option<String>]) {
        let mut output = None;
        let mut is_static = false;
        let mut cxx = program.contains("++");
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let Some(arg) = arg else { continue };
            match arg.as_str() {
                "-c" | "-S" | "-E" | "-M" | "-MM" | "-shared" => return,
                "-o" => output = iter.next().cloned().flatten(),
                "-static" => is_static = true,
                "-lstdc++" => cxx = true,
                a if a.starts_with("-o") && a.len() > 2 => output = Some(a[2..].to_string()),
                _ => {}
            }
        }
        let output = output.unwrap_or_else(|| "a.out".to_string());
        let Some(path) = self.absolute(command, &output) else {
            return;
        };
        let linkage = match (is_static, self.image.libc, cxx) {
            (true, _, _) => Linkage::Static,
            (false, Libc::Musl, _) => Linkage::Musl,
            (false, _, true) => Linkage::GlibcGcc,
            (false, _, false) => Linkage::Glibc,
        };
        self.push(
            path,
            ArtifactKind::Binary { linkage },
            "cc",
            format!(
                "output of `{program} -o {output}` ({})",
                if is_static {
                    "-static: static".to_string()
                } else {
                    format!("dynamic, {}", linkage.describe())
                }
            ),
        );
    }

    fn make(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        if !args.iter().any(|a| a.as_deref() == Some("install")) {
            return;
        }
        let prefix = args
            .iter()
            .flatten()
            .find_map(|a| a.strip_prefix("PREFIX=").map(str::to_string))
            .or_else(|| self.var(command, "PREFIX"))
            .unwrap_or_else(|| "/usr/local".to_string());
        let destdir = args
            .iter()
            .flatten()
            .find_map(|a| a.strip_prefix("DESTDIR=").map(str::to_string))
            .unwrap_or_default();
        let Some(bin) = self.absolute(command, &format!("{destdir}{prefix}/bin")) else {
            return;
        };
        // What make builds is up to the Makefile: C or C++, so the GCC runtime may be
        // needed; static only if the image's libc is musl-free glibc cannot be told.
        let linkage = match self.image.libc {
            Libc::Musl => Linkage::Musl,
            _ => Linkage::GlibcGcc,
        };
        self.push(
            bin.clone(),
            ArtifactKind::BinaryDir { linkage },
            "make install",
            format!("installed by `make install` into {bin} (C/C++, dynamic)"),
        );
    }

    fn jvm(
        &mut self,
        command: &ShellCommand,
        args: &[Option<String>],
        tool: &'static str,
        dir: &str,
    ) {
        let builds = args.iter().flatten().any(|a| {
            matches!(
                a.as_str(),
                "package"
                    | "install"
                    | "verify"
                    | "build"
                    | "assemble"
                    | "bootJar"
                    | "jar"
                    | "shadowJar"
                    | "installDist"
            ) || a.ends_with(":repackage")
        });
        if !builds {
            return;
        }
        let Some(cwd) = self.cwd(command) else { return };
        let path = format!("{cwd}/{dir}");
        self.push(
            path.clone(),
            ArtifactKind::JarDir,
            tool,
            format!("the jars `{tool}` builds in {path}"),
        );
    }

    fn dotnet(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        if args.first().and_then(|a| a.as_deref()) != Some("publish") {
            return;
        }
        let mut iter = args[1..].iter();
        let mut output = None;
        while let Some(arg) = iter.next() {
            match arg.as_deref() {
                Some("-o") | Some("--output") => output = iter.next().cloned().flatten(),
                Some(a) if a.starts_with("--output=") => output = Some(a[9..].to_string()),
                _ => {}
            }
        }
        let Some(output) = output else { return };
        let Some(path) = self.absolute(command, &output) else {
            return;
        };
        self.push(
            path.clone(),
            ArtifactKind::DotnetPublish,
            "dotnet publish",
            format!("output of `dotnet publish -o {output}`"),
        );
    }

    fn node(&mut self, command: &ShellCommand, program: &str, args: &[Option<String>]) {
        let sub = args.first().and_then(|a| a.as_deref()).unwrap_or("install");
        let installs = matches!(sub, "ci" | "install" | "i")
            && !args.iter().skip(1).flatten().any(|a| !a.starts_with('-'));
        if !installs {
            return;
        }
        let Some(cwd) = self.cwd(command) else { return };
        self.push(
            cwd.clone(),
            ArtifactKind::NodeApp,
            "npm",
            format!("the application in {cwd} with the node_modules `{program} {sub}` installed"),
        );
    }

    fn venv(&mut self, command: &ShellCommand, program: &str, args: &[Option<String>]) {
        let rest = match program {
            "virtualenv" => args,
            "python"
                if args.len() >= 2
                    && args[0].as_deref() == Some("-m")
                    && matches!(args[1].as_deref(), Some("venv" | "virtualenv")) =>
            {
                &args[2..]
            }
            _ => return,
        };
        // A venv made for another interpreter (`virtualenv -p python3.11`) holds packages
        // for that version, which the image's own version cannot be assumed to load.
        if rest.iter().any(|a| {
            matches!(a.as_deref(), Some("-p" | "--python"))
                || a.as_deref().is_some_and(|a| a.starts_with("--python="))
        }) {
            self.unknown_python_install(command);
            return;
        }
        let Some(dir) = first_operand(rest, &["--prompt"]) else {
            return;
        };
        self.push_venv(command, &dir);
    }

    fn push_venv(&mut self, command: &ShellCommand, dir: &str) {
        let Some(path) = self.absolute(command, dir) else {
            return;
        };
        self.push(
            path.clone(),
            ArtifactKind::Venv,
            "venv",
            format!("the virtual environment created at {path}"),
        );
    }

    fn unknown_python_install(&mut self, command: &ShellCommand) {
        let written = command
            .words
            .iter()
            .map(|w| w.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        self.build
            .unknown_python_installs
            .push((self.instruction, written));
    }

    /// `uv venv [DIR]` makes a venv; `uv pip install` installs like pip, into the active
    /// venv or, with `--system`, the image's Python. Everything else uv does (`sync`, `add`,
    /// `tool install`) installs where uv's project settings say.
    fn uv(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let words: Vec<&str> = args.iter().map(|a| a.as_deref().unwrap_or("")).collect();
        match words.as_slice() {
            ["venv", rest @ ..] => {
                if rest.iter().any(|a| *a == "-p" || a.starts_with("--python")) {
                    self.unknown_python_install(command);
                    return;
                }
                let dir = first_operand(&args[1..], &["--prompt", "--seed"])
                    .unwrap_or_else(|| ".venv".to_string());
                self.push_venv(command, &dir);
            }
            ["pip", "install", ..] => {
                let system = words.contains(&"--system")
                    || self.var(command, "UV_SYSTEM_PYTHON").as_deref() == Some("1");
                let explicit = words.iter().any(|w| {
                    ["--target", "--prefix", "-t"].contains(w)
                        || w.starts_with("--target=")
                        || w.starts_with("--prefix=")
                });
                if system && !explicit {
                    // uv's --system installs into the Python found first on PATH, like pip.
                    self.pip(command, Some("/usr/local/bin/pip"), &args[1..]);
                } else if explicit || self.var(command, "VIRTUAL_ENV").is_some() {
                    self.pip(command, None, &args[1..]);
                } else {
                    self.unknown_python_install(command);
                }
            }
            ["pip", "sync", ..] | ["sync", ..] | ["add", ..] | ["tool", "install", ..] => {
                self.unknown_python_install(command)
            }
            _ => {}
        }
    }

    /// `pip install`: into `--target`, `--prefix`, the user site (`--user`), the active
    /// venv, or the image's own site-packages. `program` is the pip as written when it has
    /// a directory (`/opt/venv/bin/pip`).
    fn pip(&mut self, command: &ShellCommand, program: Option<&str>, args: &[Option<String>]) {
        if args.first().and_then(|a| a.as_deref()) != Some("install") {
            return;
        }
        let mut user = false;
        let mut iter = args[1..].iter();
        while let Some(arg) = iter.next() {
            let Some(arg) = arg.as_deref() else {
                continue;
            };
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (arg, None),
            };
            match flag {
                "-e" | "--editable" | "--root" => {
                    // Editable installs are found through a .pth file, which PYTHONPATH
                    // entries do not read; --root relocates everything.
                    self.unknown_python_install(command);
                    return;
                }
                "--user" => user = true,
                "-t" | "--target" | "--prefix" => {
                    let value = match inline {
                        Some(v) => Some(v),
                        None => iter.next().cloned().flatten(),
                    };
                    let Some(dir) = value.and_then(|v| self.absolute(command, &v)) else {
                        self.unknown_python_install(command);
                        return;
                    };
                    let path = if flag == "--prefix" {
                        // --prefix P puts the packages in P/lib/pythonX.Y/site-packages.
                        let Some(version) = &self.image.python_version else {
                            self.unknown_python_install(command);
                            return;
                        };
                        format!("{dir}/lib/python{version}/site-packages")
                    } else {
                        dir
                    };
                    self.push_packages(path, "`pip install`");
                    return;
                }
                _ => {}
            }
        }
        let version = self.image.python_version.clone();
        if user {
            let as_root = self
                .state
                .user
                .as_deref()
                .is_none_or(|u| matches!(u.split(':').next(), Some("root" | "0")));
            let home = self
                .var(command, "HOME")
                .or_else(|| as_root.then(|| "/root".to_string()));
            let base = self
                .var(command, "PYTHONUSERBASE")
                .or_else(|| home.map(|home| format!("{}/.local", home.trim_end_matches('/'))));
            let (Some(base), Some(version)) = (base, version) else {
                self.unknown_python_install(command);
                return;
            };
            self.push_packages(
                format!("{base}/lib/python{version}/site-packages"),
                "`pip install --user`",
            );
            return;
        }
        match self.pip_environment(command, program) {
            Some(PipEnv::Venv(venv)) => {
                if self.build.artifact_at(&venv).is_none() {
                    self.push(
                        venv.clone(),
                        ArtifactKind::Venv,
                        "venv",
                        format!("the virtual environment at {venv}, which `pip install` fills"),
                    );
                }
                return;
            }
            Some(PipEnv::System) => {}
            None => {
                self.unknown_python_install(command);
                return;
            }
        }
        let Some(version) = version else {
            // A distro's pip: where it installs depends on the distro's Python.
            self.unknown_python_install(command);
            return;
        };
        self.push_packages(
            format!("/usr/local/lib/python{version}/site-packages"),
            "`pip install`",
        );
    }

    fn push_packages(&mut self, path: String, tool: &str) {
        let why = format!("packages {tool} put in {path}");
        self.push(path, ArtifactKind::PythonPackages, "pip", why);
    }

    /// Where a `pip` installs: the venv its path names, `VIRTUAL_ENV`, a known venv whose
    /// `bin` comes first on PATH, or the image's own Python. `None` when that cannot be
    /// told (an unknown folder comes first on PATH).
    fn pip_environment(&self, command: &ShellCommand, program: Option<&str>) -> Option<PipEnv> {
        const SYSTEM_BINS: &[&str] = &[
            "/usr/local/bin",
            "/usr/bin",
            "/bin",
            "/usr/local/sbin",
            "/usr/sbin",
            "/sbin",
        ];
        let is_venv = |dir: &str| {
            self.build
                .artifacts
                .iter()
                .any(|a| a.kind == ArtifactKind::Venv && a.path == dir)
        };
        if let Some(program) = program {
            let bin = parent_dir(&self.absolute(command, program)?);
            if SYSTEM_BINS.contains(&bin.as_str()) {
                return Some(PipEnv::System);
            }
            return bin
                .strip_suffix("/bin")
                .map(|v| PipEnv::Venv(v.to_string()));
        }
        if let Some(venv) = self.var(command, "VIRTUAL_ENV") {
            return self.absolute(command, &venv).map(PipEnv::Venv);
        }
        // Without a PATH the image's is the usual one, where /usr/local/bin comes first.
        let path = self
            .var(command, "PATH")
            .unwrap_or_else(|| "/usr/local/bin".to_string());
        for dir in path.split(':').map(|d| d.trim_end_matches('/')) {
            if SYSTEM_BINS.contains(&dir) {
                return Some(PipEnv::System);
            }
            match dir.strip_suffix("/bin") {
                Some(venv) if is_venv(venv) => return Some(PipEnv::Venv(venv.to_string())),
                // /go/bin, /usr/local/cargo/bin: folders of other tools, no pip.
                _ if dir.starts_with("/go/")
                    || dir.contains("cargo")
                    || dir.starts_with("/opt/java") => {}
                _ => return None,
            }
        }
        None
    }

    /// `cp SRC DST` of a known artifact makes DST that artifact too.
    fn copy(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let operands: Vec<&Option<String>> = args
            .iter()
            .filter(|a| !a.as_deref().is_some_and(|a| a.starts_with('-')))
            .collect();
        let [source, dest] = operands.as_slice() else {
            return;
        };
        let (Some(source), Some(dest)) = (source.as_deref(), dest.as_deref()) else {
            return;
        };
        let (Some(source_abs), Some(dest_abs)) =
            (self.absolute(command, source), self.absolute(command, dest))
        else {
            return;
        };
        let Some(found) = self.build.artifact_at(&source_abs).cloned() else {
            return;
        };
        let kind = match found.kind {
            ArtifactKind::BinaryDir { linkage } if found.path != source_abs => {
                ArtifactKind::Binary { linkage }
            }
            kind => kind,
        };
        let dest_path = if dest.ends_with('/') {
            format!(
                "{}/{}",
                dest_abs.trim_end_matches('/'),
                file_name(&source_abs)
            )
        } else {
            dest_abs
        };
        let program = command.program_name().unwrap_or_default();
        self.push(
            dest_path,
            kind,
            found.tool,
            format!("{} (then `{program} {source} {dest}`)", found.why),
        );
    }

    fn packages(&mut self, program: &str, args: &[Option<String>]) {
        let manager: &'static str = match program {
            "apt-get" | "apt" => "apt",
            "apk" => "apk",
            _ => "rpm",
        };
        let verb = args.iter().flatten().find(|a| !a.starts_with('-'));
        if !matches!(verb.map(String::as_str), Some("install" | "add")) {
            return;
        }
        for arg in args
            .iter()
            .flatten()
            .skip_while(|a| a.starts_with('-'))
            .skip(1)
        {
            if arg.starts_with('-') {
                continue;
            }
            let package = arg.split(['=', '>', '<', '~']).next().unwrap_or(arg);
            self.build.packages.push(PackageInstall {
                manager,
                package: package.to_string(),
                instruction: self.instruction,
            });
        }
    }
}

fn linkage_reason(linkage: Linkage, target: Option<&str>) -> String {
    match (linkage, target) {
        (Linkage::Static, Some(t)) => format!("--target {t}: static"),
        (Linkage::Static, None) => "musl default target: static".to_string(),
        (l, _) => format!("dynamic, {}", l.describe()),
    }
}

/// The last element of a Go package path, skipping a major-version suffix (`/v2`).
fn last_go_element(path: &str) -> String {
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let last = parts.next().unwrap_or(path);
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    match (is_major, parts.next()) {
        (true, Some(previous)) => previous.to_string(),
        _ => last.to_string(),
    }
}

/// The first argument that is not an option, skipping the values of `value_flags`.
fn first_operand(args: &[Option<String>], value_flags: &[&str]) -> Option<String> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let arg = arg.as_deref()?;
        if value_flags.contains(&arg) {
            iter.next();
            continue;
        }
        if !arg.starts_with('-') {
            return Some(arg.to_string());
        }
    }
    None
}

fn file_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

fn parent_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

/// `[[bin]] name = …` entries, or else the package name (a crate with `src/main.rs`).
pub fn cargo_bin_names(manifest: &str) -> Option<Vec<String>> {
    let mut section = String::new();
    let mut package_name = None;
    let mut bins = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.trim_matches(['[', ']', ' ']).to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_string();
        match (section.as_str(), key.trim()) {
            ("package", "name") => package_name = Some(value),
            ("bin", "name") => bins.push(value),
            _ => {}
        }
    }
    if bins.is_empty() {
        package_name.map(|n| vec![n])
    } else {
        Some(bins)
    }
}

/// The flags of `go build`/`go install` that matter, and the package arguments.
struct GoFlags {
    output: Option<String>,
    ldflags: Option<String>,
    buildmode: Option<String>,
    packages: Vec<String>,
}

impl GoFlags {
    /// `None` when an argument is not known statically.
    fn parse(args: &[Option<String>]) -> Option<GoFlags> {
        // Go's build flags that take a value (`-flag value` or `-flag=value`).
        const VALUE_FLAGS: &[&str] = &[
            "o",
            "ldflags",
            "gcflags",
            "asmflags",
            "gccgoflags",
            "tags",
            "mod",
            "modfile",
            "p",
            "pkgdir",
            "installsuffix",
            "overlay",
            "pgo",
            "buildmode",
            "compiler",
            "coverpkg",
            "covermode",
            "toolexec",
            "C",
            "exec",
        ];
        let mut flags = GoFlags {
            output: None,
            ldflags: None,
            buildmode: None,
            packages: Vec::new(),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let arg = arg.as_ref()?;
            if let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) {
                let (name, inline) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (flag, None),
                };
                if VALUE_FLAGS.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => iter.next()?.clone()?,
                    };
                    match name {
                        "o" => flags.output = Some(value),
                        "ldflags" => flags.ldflags = Some(value),
                        "buildmode" => flags.buildmode = Some(value),
                        _ => {}
                    }
                }
                continue;
            }
            flags.packages.push(arg.clone());
        }
        Some(flags)
    }
}

/// The flags of `cargo build`/`cargo install` that decide where binaries go.
#[derive(Default)]
struct CargoFlags {
    release: bool,
    profile: Option<String>,
    target: Option<String>,
    target_dir: Option<String>,
    manifest_path: Option<String>,
    bins: Vec<String>,
    root: Option<String>,
    path: Option<String>,
    crate_name: Option<String>,
}

impl CargoFlags {
    fn parse(args: &[Option<String>]) -> Option<CargoFlags> {
        const VALUE_FLAGS: &[&str] = &[
            "--profile",
            "--target",
            "--target-dir",
            "--manifest-path",
            "--bin",
            "--root",
            "--path",
            "--features",
            "-F",
            "--package",
            "-p",
            "--jobs",
            "-j",
            "--config",
            "--version",
            "--git",
            "--branch",
            "--tag",
            "--rev",
            "--index",
            "--registry",
            "--example",
            "--color",
            "-Z",
        ];
        let mut flags = CargoFlags::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let arg = arg.as_ref()?;
            if arg == "--release" || arg == "-r" {
                flags.release = true;
                continue;
            }
            if !arg.starts_with('-') {
                flags.crate_name.get_or_insert(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (arg.as_str(), None),
            };
            if !VALUE_FLAGS.contains(&name) {
                continue;
            }
            let value = match inline {
                Some(v) => v,
                None => iter.next()?.clone()?,
            };
            match name {
                "--profile" => flags.profile = Some(value),
                "--target" => flags.target = Some(value),
                "--target-dir" => flags.target_dir = Some(value),
                "--manifest-path" => flags.manifest_path = Some(value),
                "--bin" => flags.bins.push(value),
                "--root" => flags.root = Some(value),
                "--path" => flags.path = Some(value),
                _ => {}
            }
        }
        Some(flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::catalogue::Catalogue;
    use crate::syntax::parse;

    #[test]
    fn path_patterns() {
        assert!(path_matches("/out/app", "/out/app"));
        assert!(path_matches("/out/app/", "/out/app"));
        assert!(path_matches("/out/*", "/out/app"));
        assert!(path_matches("/out/a?p", "/out/app"));
        assert!(path_matches("/out/[a-c]pp", "/out/app"));
        assert!(!path_matches("/out/[!a]pp", "/out/app"));
        assert!(!path_matches("/out/*", "/out/bin/app"), "`*` stops at `/`");
        assert!(!path_matches("/out/*.txt", "/out/app"));
    }

    #[test]
    fn what_a_copy_takes_from_a_stage() {
        let src = "FROM golang:1.24 AS build\nWORKDIR /src\n\
                   RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n\
                   RUN go build -o /out/tool ./cmd/tool\n\
                   FROM scratch\nCOPY --from=build /out/app /app\n\
                   COPY --from=build /out/ /bin/\nCOPY --from=build /out/t* /\n\
                   COPY --from=build /src/README.md /\nCOPY --from=alpine /bin/sh /bin/sh\n";
        let tree = parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let build = stage_build(&model, 0, None);
        let paths = |found: Vec<&Artifact<'_>>| -> Vec<String> {
            found.iter().map(|a| a.path.clone()).collect()
        };
        assert_eq!(paths(build.copied_by("/out/app")), ["/out/app"]);
        assert_eq!(paths(build.copied_by("/out/")), ["/out/app", "/out/tool"]);
        assert_eq!(paths(build.copied_by("/out/t*")), ["/out/tool"]);
        assert!(build.copied_by("/src/README.md").is_empty());

        let copied = copied_artifacts(&model, 1);
        let summary: Vec<(String, Linkage)> = copied
            .iter()
            .map(|c| match c.artifact.kind {
                ArtifactKind::Binary { linkage } => (c.artifact.path.clone(), linkage),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("/out/app".to_string(), Linkage::Static),
                ("/out/app".to_string(), Linkage::Static),
                ("/out/tool".to_string(), Linkage::Glibc),
                ("/out/tool".to_string(), Linkage::Glibc),
            ]
        );
        assert!(copied.iter().all(|c| c.from_stage == 0));
    }

    #[test]
    fn accounts_created_by_run() {
        let src = "FROM debian AS a\n\
                   RUN groupadd -r app && useradd -r -g app -d /home/app web\n\
                   FROM alpine AS b\nARG NAME=svc\nRUN addgroup -S $NAME && adduser -S -G $NAME $NAME\n\
                   FROM a AS c\nRUN [\"useradd\", \"exec-user\"]\n\
                   FROM debian AS d\nRUN echo 'x:x:1:1::/:/bin/sh' >> /etc/passwd\n\
                   FROM debian AS e\nARG WHO\nRUN id app || useradd $WHO\n";
        let tree = parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let a = created_accounts(&model, 0).unwrap();
        assert!(a.contains(&"app".to_string()) && a.contains(&"web".to_string()));
        assert_eq!(created_accounts(&model, 1).unwrap(), ["svc", "svc", "svc"]);
        let c = created_accounts(&model, 2).unwrap();
        assert!(c.contains(&"web".to_string()) && c.contains(&"exec-user".to_string()));
        assert_eq!(created_accounts(&model, 3), None, "writes /etc/passwd");
        assert_eq!(
            created_accounts(&model, 4),
            None,
            "a name not known statically"
        );
    }
}

#[cfg(test)]
mod build_output_tests {
    use crate::analysis::artifacts::{ArtifactKind, stage_build};
    use crate::analysis::catalogue::Catalogue;
    use crate::analysis::model::Model;

    /// The artifacts of the last stage as `(path, kind)`, and the unknown Python installs.
    fn outputs(src: &str) -> (Vec<(String, ArtifactKind)>, Vec<String>) {
        let tree = crate::syntax::parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let stage = model.final_stage().unwrap().index;
        let build = stage_build(&model, stage, None);
        (
            build
                .artifacts
                .iter()
                .map(|a| (a.path.clone(), a.kind.clone()))
                .collect(),
            build
                .unknown_python_installs
                .iter()
                .map(|(_, w)| w.clone())
                .collect(),
        )
    }

    fn packages(path: &str) -> (String, ArtifactKind) {
        (path.to_string(), ArtifactKind::PythonPackages)
    }

    #[test]
    fn pip_installs_where_its_python_says() {
        let site = "/usr/local/lib/python3.13/site-packages";
        // The image's own pip, however it is called.
        for run in [
            "pip install -r r.txt",
            "python -m pip install x",
            "pip3.13 install x",
            "/usr/local/bin/pip install x",
        ] {
            let (found, unknown) = outputs(&format!("FROM python:3.13-slim\nRUN {run}\n"));
            assert_eq!(found, [packages(site)], "{run}");
            assert!(unknown.is_empty(), "{run}");
        }
        // --prefix P puts packages in P/lib/pythonX.Y/site-packages, not in P.
        let (found, _) = outputs("FROM python:3.13-slim\nRUN pip install --prefix=/install x\n");
        assert_eq!(found, [packages("/install/lib/python3.13/site-packages")]);
        let (found, _) = outputs("FROM python:3.13-slim\nRUN pip install --user x\n");
        assert_eq!(
            found,
            [packages("/root/.local/lib/python3.13/site-packages")]
        );
        // Exec form is read too.
        let (found, _) = outputs("FROM python:3.13-slim\nRUN [\"pip\", \"install\", \"x\"]\n");
        assert_eq!(found, [packages(site)]);
    }

    #[test]
    fn pip_in_a_venv_fills_the_venv() {
        let venv = ("/opt/venv".to_string(), ArtifactKind::Venv);
        for src in [
            "FROM python:3.13-slim\nRUN python -m venv /opt/venv\nRUN /opt/venv/bin/pip install x\n",
            "FROM python:3.13-slim\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install x\n",
            "FROM python:3.13-slim\nENV VIRTUAL_ENV=/opt/venv\nRUN python3 -m venv $VIRTUAL_ENV && pip install x\n",
        ] {
            let (found, unknown) = outputs(src);
            assert_eq!(found, std::slice::from_ref(&venv), "{src}");
            assert!(unknown.is_empty(), "{src}");
        }
    }

    #[test]
    fn installs_that_cannot_be_followed_are_reported() {
        for run in [
            "pip install -e .",
            "poetry install --no-root",
            "pipenv install --system --deploy",
            "uv sync --frozen",
            "python setup.py install",
            "virtualenv -p python3.11 /venv",
        ] {
            let (_, unknown) = outputs(&format!("FROM python:3.13-slim\nRUN {run}\n"));
            assert_eq!(unknown.len(), 1, "{run}");
        }
        // A distro's pip installs where the distro's Python looks: not followed.
        let (found, unknown) = outputs("FROM debian:bookworm\nRUN pip3 install x\n");
        assert!(found.is_empty() && unknown.len() == 1);
    }

    #[test]
    fn go_pie_needs_the_loader() {
        let (found, _) = outputs(
            "FROM golang:1.23-bookworm\nRUN CGO_ENABLED=0 go build -buildmode=pie -o /app .\n",
        );
        assert_eq!(
            found,
            [(
                "/app".to_string(),
                ArtifactKind::Binary {
                    linkage: crate::analysis::artifacts::Linkage::Glibc
                }
            )]
        );
    }

    #[test]
    fn make_install_goes_under_its_prefix() {
        let (found, _) =
            outputs("FROM debian:trixie\nWORKDIR /src\nRUN make && make install PREFIX=/opt/app\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "/opt/app/bin");
    }
}
