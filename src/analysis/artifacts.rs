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
        };
        let states = model.states(index);
        let stage_ref = &model.stages.stages[index];
        for (i, instruction) in stage_ref.instructions.iter().enumerate() {
            if instruction.keyword != Keyword::Run {
                continue;
            }
            let Some(script) = run_script(instruction) else {
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

/// The shell script a shell-form `RUN` runs: its text, or the heredoc body of `RUN <<EOF`.
/// `None` for exec form.
fn run_script(instruction: &Instruction) -> Option<String> {
    match (&instruction.args, instruction.heredocs.first()) {
        (_, Some(heredoc)) if run_is_heredoc_script(instruction) => {
            Some(heredoc.effective_content())
        }
        (Args::Shell { text }, _) => Some(text.text.clone()),
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
            None => self.state.workdir.clone(),
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
            "python" | "python3" | "virtualenv" | "uv" => self.venv(command, &program, &args),
            "pip" | "pip3" => self.pip(command, &args),
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
        let (linkage, reason) = match cgo.as_deref() {
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
        let dir = match program {
            "virtualenv" => args.iter().flatten().find(|a| !a.starts_with('-')).cloned(),
            "uv" if args.first().and_then(|a| a.as_deref()) == Some("venv") => args
                .iter()
                .skip(1)
                .flatten()
                .find(|a| !a.starts_with('-'))
                .cloned()
                .or(Some(".venv".to_string())),
            "python" | "python3"
                if args.len() >= 2
                    && args[0].as_deref() == Some("-m")
                    && args[1].as_deref() == Some("venv") =>
            {
                args.iter()
                    .skip(2)
                    .flatten()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
            }
            _ => None,
        };
        let Some(dir) = dir else { return };
        let Some(path) = self.absolute(command, &dir) else {
            return;
        };
        self.push(
            path.clone(),
            ArtifactKind::Venv,
            "venv",
            format!("the virtual environment created at {path}"),
        );
    }

    fn pip(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        if args.first().and_then(|a| a.as_deref()) != Some("install") {
            return;
        }
        let mut iter = args[1..].iter();
        while let Some(arg) = iter.next() {
            let target = match arg.as_deref() {
                Some("-t") | Some("--target") | Some("--prefix") => iter.next().cloned().flatten(),
                Some(a) if a.starts_with("--target=") || a.starts_with("--prefix=") => {
                    a.split_once('=').map(|(_, v)| v.to_string())
                }
                _ => continue,
            };
            let Some(path) = target.and_then(|t| self.absolute(command, &t)) else {
                return;
            };
            self.push(
                path.clone(),
                ArtifactKind::PythonPackages,
                "pip",
                format!("packages `pip install` put in {path}"),
            );
            return;
        }
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
