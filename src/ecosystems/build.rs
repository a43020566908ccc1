//! The driver that reads a stage's RUN instructions: each RUN is read with
//! [`crate::analysis::shell`], and every command is handed to the ecosystems (see
//! [`super::ECOSYSTEMS`]) and, when none knows it, to the generic readers here (`cp`, `mv`,
//! `install`, package managers). [`RunReader`] holds what a command is read against: the
//! variables, the working directory, the build image's tools and the build context.

use crate::analysis::catalogue::{Libc, Runtime};
use crate::analysis::command::basename;
use crate::analysis::env::{State, normalize_path};
use crate::analysis::glob::path_matches;
use crate::analysis::model::Model;
use crate::analysis::shell::{self, ShellCommand, ShellWord};
use crate::syntax::{Args, Instruction, Keyword};

use super::ECOSYSTEMS;
use super::artifact::{Artifact, ArtifactKind, PackageInstall, SourceUses, StageBuild};

/// Reads a file of the build context by its path relative to the context root. A folder's
/// path ending in `/` (or the empty path, the root) reads as its entries, one name per line,
/// a sub-folder's ending in `/`: how a walk of Go packages or a project's sources finds
/// files whose names no file gives ([`super::compiled::folder_entries`]). The files a
/// `.dockerignore` excludes are left out, since the build never sees them, except for a
/// path starting with `./`: a file that says how the image runs (a Compose file, a
/// Kubernetes manifest) is evidence wherever it is.
pub type ContextReader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A context file as the scanners read it: its text without a byte-order mark (Visual
/// Studio saves JSON and C# with one), UTF-16 decoded, and a Latin-1 or other non-UTF-8
/// source file with its odd bytes replaced, since `exec.Command(` or `"Path": "/data"`
/// reads the same in any of them. A file with a NUL byte in its first 8 KiB that is not
/// UTF-16 is binary: `None`, as before.
pub fn context_text(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Some(String::from_utf8_lossy(rest).into_owned());
    }
    let utf16 = |rest: &[u8], little: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| {
                let pair = [pair[0], pair[1]];
                if little {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        Some(String::from_utf16_lossy(&units))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(_) if bytes.iter().take(8192).any(|b| *b == 0) => None,
        Err(_) => Some(String::from_utf8_lossy(bytes).into_owned()),
    }
}

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
            runtime: facts.and_then(|f| f.runtime.clone()),
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
                model,
                state: &states.before[i],
                instruction,
                image: &image,
                context,
                stage: stage_ref,
                build: &mut build,
            };
            for command in &commands {
                reader.command(command);
            }
        }
    }
    build
}

/// The shell script a `RUN` runs: its text, the heredoc body of `RUN <<EOF`, or the
/// exec-form words quoted as one command.
pub fn run_script(instruction: &Instruction) -> Option<String> {
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
                        writes: Vec::new(),
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

/// The shell script of `RUN <<EOF` with nothing else on the line: the heredoc's body,
/// unless it names its own interpreter (`#!/usr/bin/env python3`).
pub fn heredoc_shell_script(instruction: &Instruction) -> Option<String> {
    let body = instruction.heredocs.first()?.effective_content();
    (run_is_heredoc_script(instruction)
        && instruction.heredocs.len() == 1
        && !body.starts_with("#!"))
    .then_some(body)
}

/// `RUN <<EOF` with nothing else on the line runs the heredoc body as the script.
fn run_is_heredoc_script(instruction: &Instruction) -> bool {
    match &instruction.args {
        Args::Shell { text } => text.text.split_whitespace().count() == 1,
        _ => false,
    }
}

/// What the build image has, as far as the catalogue knows.
pub(super) struct ImageTools {
    pub(super) c_compiler: bool,
    pub(super) libc: Libc,
    /// The image's language runtime (`python 3.13` on `python:3.13-slim`, `rust` on
    /// `rust:1.80-alpine`).
    pub(super) runtime: Option<Runtime>,
}

impl ImageTools {
    /// The version of the image's runtime, when it is `name`.
    pub(super) fn runtime_version(&self, name: &str) -> Option<&str> {
        self.runtime
            .as_ref()
            .filter(|r| r.name == name)
            .and_then(|r| r.version.as_deref())
    }
}

/// Whether `name` can be a shell variable's name (`CGO_ENABLED`, `_x1`).
fn is_variable_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A word quoted for the shell so that it stands for exactly itself.
pub(super) fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

pub struct RunReader<'r, 't> {
    pub(super) model: &'r Model<'t>,
    pub(super) state: &'r State,
    pub(super) instruction: &'t Instruction,
    pub(super) image: &'r ImageTools,
    pub(super) context: Option<ContextReader<'r>>,
    pub(super) stage: &'r crate::analysis::stages::Stage<'t>,
    pub(super) build: &'r mut StageBuild<'t>,
}

impl<'t> RunReader<'_, 't> {
    /// A variable as this command sees it.
    pub(super) fn var(&self, command: &ShellCommand, name: &str) -> Option<String> {
        match command.assigned(name) {
            Some(word) => word.value(&|n| self.state.value(n)),
            None => self.state.value(name),
        }
    }

    pub(super) fn value(&self, command: &ShellCommand, word: &ShellWord) -> Option<String> {
        word.value(&|n| self.var(command, n))
    }

    /// The directory the command runs in.
    pub(super) fn cwd(&self, command: &ShellCommand) -> Option<String> {
        match &command.cd {
            Some(dir) => self.state.resolve_path(&self.value(command, dir)?),
            None => self.state.workdir.as_deref().map(str::to_string),
        }
    }

    pub(super) fn absolute(&self, command: &ShellCommand, path: &str) -> Option<String> {
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

    pub(super) fn push(
        &mut self,
        path: String,
        kind: ArtifactKind,
        tool: &'static str,
        why: String,
    ) {
        self.build.artifacts.push(Artifact {
            path,
            kind,
            tool,
            why,
            instruction: self.instruction,
            uses: SourceUses::default(),
        });
    }

    /// Read one command: the ecosystem whose tool it runs, or a generic reader.
    fn command(&mut self, command: &ShellCommand) {
        let Some(program) = command.program_name() else {
            return;
        };
        // `env CGO_ENABLED=0 go build …`: the assignments are the command's own, as written
        // before it; `env` with options (`-i`, `-u`) changes more than that, and stays.
        if program == "env" {
            let assigned = command.words[1..]
                .iter()
                .take_while(|w| {
                    w.raw
                        .split_once('=')
                        .is_some_and(|(name, _)| is_variable_name(name))
                })
                .count();
            if assigned > 0 && command.words.len() > 1 + assigned {
                let mut inner = command.clone();
                for word in inner.words.drain(1..=assigned) {
                    let (name, value) = word.raw.split_once('=').unwrap_or_default();
                    inner.assignments.push((
                        name.to_string(),
                        ShellWord {
                            raw: value.to_string(),
                        },
                    ));
                }
                inner.words.remove(0);
                self.command(&inner);
                return;
            }
        }
        let args: Vec<Option<String>> = command.words[1..]
            .iter()
            .map(|w| self.value(command, w))
            .collect();
        // A package install that may or may not run (`if`, `||`) counts as run: what it
        // may install can only add to what the checks see (a compiler, a library).
        if command.conditional {
            if let Some(manager) = package_manager(&program) {
                self.packages(command, manager, &args);
            }
            return;
        }
        // `xargs apt-get install -y < packages.txt`: packages from a list not read here.
        if program == "xargs"
            && let Some(manager) = args
                .iter()
                .flatten()
                .find_map(|a| package_manager(basename(a)))
        {
            self.unread_packages(command, manager);
            return;
        }
        // A script (`bash docker/install-deps.sh`, `./setup.sh`) that installs packages, or
        // whose text cannot be read from the build context, may install anything.
        let script = if crate::analysis::command::is_shell(&program) {
            args.first()
                .and_then(|a| a.clone())
                .filter(|a| !a.starts_with('-'))
        } else if program.ends_with(".sh") {
            command.words.first().and_then(|w| self.value(command, w))
        } else {
            None
        };
        if let Some(script) = script {
            let text = self
                .absolute(command, &script)
                .and_then(|path| self.context_file(&path));
            let installs = text.as_deref().is_none_or(|t| {
                ["apt-get", "apt ", "apk ", "yum ", "dnf ", "microdnf "]
                    .iter()
                    .any(|m| t.contains(m))
            });
            if installs {
                self.unread_packages(command, "apt");
            }
            return;
        }
        if ECOSYSTEMS
            .iter()
            .any(|ecosystem| ecosystem.read_build(self, command, &program, &args))
        {
            return;
        }
        if matches!(program.as_str(), "cp" | "mv" | "install") {
            self.copy(command, &args);
        } else if let Some(manager) = package_manager(&program) {
            self.packages(command, manager, &args);
        }
    }

    /// This stage's COPY and ADD from the build context before the RUN being read: each
    /// destination, resolved against the WORKDIR of its own line (a later `WORKDIR
    /// /src/cmd/server` does not move what `COPY . .` put in `/src`), with its sources as
    /// written; and the context's bind mounts of the RUN (`RUN --mount=type=bind,target=.
    /// go build`, Docker's `docker init` templates), which put the sources there for that
    /// command only.
    pub(super) fn context_copies(&self) -> Vec<(String, Vec<&'t str>)> {
        // The stages this one is built on (`FROM build AS publish`) hold what their COPYs
        // put there too, oldest first.
        let mut copies: Vec<(String, Vec<&'t str>)> = Vec::new();
        for index in self.model.chain(self.stage.index) {
            let stage = &self.model.stages.stages[index];
            let states = self.model.states(index);
            copies.extend(
                stage
                    .instructions
                    .iter()
                    .enumerate()
                    .take_while(|(_, i)| !std::ptr::eq(**i, self.instruction))
                    .filter(|(_, i)| matches!(i.keyword, Keyword::Copy | Keyword::Add))
                    .filter(|(_, copy)| copy.flag("from").is_none())
                    .filter_map(|(at, copy)| {
                        let words = copy.args.path_words()?;
                        let (dest, sources) = words.split_last()?;
                        let dest = states.before.get(at)?.resolve_path(&dest.text)?;
                        Some((dest, sources.iter().map(|s| s.text.as_str()).collect()))
                    }),
            );
        }
        for mount in self.instruction.flags.iter().filter(|f| f.name == "mount") {
            let Some(value) = mount.value.as_deref() else {
                continue;
            };
            let field = |key: &str| {
                value.split(',').find_map(|part| {
                    let (k, v) = part.split_once('=')?;
                    (k.trim() == key).then_some(v.trim())
                })
            };
            let is_bind = field("type") == Some("bind");
            let from_context = field("from").is_none();
            if let (true, true, Some(target)) = (
                is_bind,
                from_context,
                field("target").or(field("dst")).or(field("destination")),
            ) && let Some(dest) = self.state.resolve_path(target)
            {
                copies.push((dest, vec![field("source").or(field("src")).unwrap_or(".")]));
            }
        }
        copies
    }

    /// Read a file of the image that came from the build context by a `COPY` of this stage.
    pub(super) fn context_file(&self, image_path: &str) -> Option<String> {
        let read = self.context?;
        for (dest, sources) in self.context_copies() {
            for source in sources {
                let src = source.trim_start_matches("./");
                let candidate = if src.contains(['*', '?', '[']) {
                    // A pattern (`COPY *.go ./`): the files it matches land in the
                    // destination under their own names.
                    image_path
                        .strip_prefix(&format!("{}/", dest.trim_end_matches('/')))
                        .filter(|name| !name.contains('/'))
                        .map(|name| match src.rsplit_once('/') {
                            Some((folder, _)) => format!("{folder}/{name}"),
                            None => name.to_string(),
                        })
                        .filter(|candidate| path_matches(src, candidate))
                } else if src.is_empty() || src == "." {
                    image_path
                        .strip_prefix(&format!("{}/", dest.trim_end_matches('/')))
                        .map(str::to_string)
                } else if image_path == format!("{}/{}", dest.trim_end_matches('/'), file_name(src))
                    || image_path == dest
                {
                    Some(src.to_string())
                } else {
                    // A file inside a copied folder (`COPY src ./src`): the folder's
                    // contents land in the destination. Nothing is read when SRC is a file.
                    image_path
                        .strip_prefix(&format!("{}/", dest.trim_end_matches('/')))
                        .map(|rest| format!("{}/{rest}", src.trim_end_matches('/')))
                };
                if let Some(text) = candidate.and_then(|c| read(&c)) {
                    return Some(text);
                }
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

    /// The packages `manager` installs (`apt-get install -y gcc`).
    fn packages(&mut self, command: &ShellCommand, manager: &'static str, args: &[Option<String>]) {
        let verb = args.iter().flatten().find(|a| !a.starts_with('-'));
        if !matches!(verb.map(String::as_str), Some("install" | "add")) {
            return;
        }
        let verb_at = args
            .iter()
            .position(|a| a.as_deref().is_some_and(|a| !a.starts_with('-')))
            .unwrap_or(0);
        for (i, arg) in args.iter().enumerate().skip(verb_at + 1) {
            let Some(arg) = arg else {
                // A word whose value is not known statically (`$(cat deps.txt)`).
                self.build.packages.push(PackageInstall {
                    manager,
                    package: command.words[i + 1].raw.clone(),
                    instruction: self.instruction,
                    known: false,
                });
                continue;
            };
            // A variable's value holds several names (`ARG BUILD_DEPS="gcc musl-dev"`).
            for word in arg.split_whitespace() {
                if word.starts_with('-') {
                    continue;
                }
                let package = word.split(['=', '>', '<', '~']).next().unwrap_or(word);
                self.build.packages.push(PackageInstall {
                    manager,
                    package: package.to_string(),
                    instruction: self.instruction,
                    known: true,
                });
            }
        }
    }

    /// An install whose packages come from where this reader does not look.
    fn unread_packages(&mut self, command: &ShellCommand, manager: &'static str) {
        self.build.packages.push(PackageInstall {
            manager,
            package: command
                .words
                .iter()
                .map(|w| w.raw.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            instruction: self.instruction,
            known: false,
        });
    }
}

/// The family of packages a package manager installs (`apt`, `apk`, `rpm`), or `None` when
/// `program` is not one: the one list of the package managers a RUN is read for.
fn package_manager(program: &str) -> Option<&'static str> {
    match program {
        "apt-get" | "apt" => Some("apt"),
        "apk" => Some("apk"),
        "yum" | "dnf" | "microdnf" => Some("rpm"),
        _ => None,
    }
}

/// The first argument that is not an option, skipping the values of `value_flags`.
pub(super) fn first_operand(args: &[Option<String>], value_flags: &[&str]) -> Option<String> {
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

pub(super) fn file_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

pub(super) fn parent_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

#[cfg(test)]
mod accounts_tests {
    use super::*;
    use crate::analysis::catalogue::Catalogue;
    use crate::syntax::parse;

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
    use super::stage_build;
    use crate::analysis::catalogue::Catalogue;
    use crate::analysis::model::Model;
    use crate::ecosystems::artifact::ArtifactKind;

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
                    linkage: crate::ecosystems::Linkage::Glibc
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
