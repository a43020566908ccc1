//! The rewrite from a built image (`rewrite --build`, issue 13): where the Dockerfile alone
//! cannot say what the program is (installed by `apt-get`, built by `make`, linked against
//! musl), the image the Dockerfile builds can. The program is found as the runtime finds
//! it, its loader and libraries are read from the image ([`crate::image`]), and the new
//! final stage copies exactly those, from the original final stage, onto the smallest
//! target that runs them:
//! - a static program → the static target;
//! - a glibc program → base or cc, of a Debian release at least as new as the image's,
//!   with the libraries the target lacks copied;
//! - a musl program → `scratch`, with musl's loader and the libraries copied.
//!
//! The application's own files (what the stage's COPY and ADD put in) come along, and the
//! program's package data (`/usr/share/<pkg>`) too, minus documentation, with the data of
//! the packages it depends on (`nmap-common`'s `/usr/share/nmap`, `libmagic-mgc`'s magic
//! database) that the target does not carry. Every copy says
//! what it rests on (`evidence: built`) with the file's sha256 and size.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use sha2::Digest;

use crate::analysis::catalogue::{ImageFacts, Needs, TargetFamily, TargetQuery};
use crate::analysis::copy::CopyArgs;
use crate::analysis::image_ref::ImageRef;
use crate::ecosystems::start::covers;
use crate::image::closure::{Closure, DEFAULT_LIBRARY_DIRS, inside, resolve};
use crate::image::program::{self, Linkage, Program, ProgramError};
use crate::syntax::Keyword;

use super::emit::env_value;
use super::user::{is_root_user, non_root_user, runs_as_non_root};
use super::*;
use crate::analysis::command::exec_form;

/// What `rewrite --build` and `dfslim trace` read from the built image of the final stage:
/// its root filesystem and its configuration.
#[derive(Clone, Debug, Default)]
pub struct BuiltImage {
    /// The root filesystem, mounted or unpacked.
    pub root: std::path::PathBuf,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// `NAME=value`, as the image sets them (the base image's included).
    pub env: Vec<String>,
    pub workdir: String,
    pub user: String,
    /// `80/tcp`, …
    pub exposed_ports: Vec<String>,
}

impl BuiltImage {
    /// The image's `PATH`, when it sets one.
    fn path(&self) -> Option<&str> {
        self.env.iter().find_map(|kv| kv.strip_prefix("PATH="))
    }

    /// The program the image's command starts, found and read in the image.
    pub(super) fn program(&self) -> Result<Program, ProgramError> {
        let argv: Vec<String> = self.entrypoint.iter().chain(&self.cmd).cloned().collect();
        program::program(
            &self.root,
            &program::Command {
                argv: &argv,
                path: self.path(),
                workdir: &self.workdir,
            },
        )
    }
}

/// Whether the program is Python or Node, whose applications the text plans (the runtime's
/// target, the packages to copy), leaving only the native modules' libraries to the image.
pub(super) fn is_native_runtime(program: &Result<Program, ProgramError>) -> bool {
    matches!(
        program,
        Err(ProgramError::Runtime { runtime, .. }) if runtime == "python" || runtime == "node"
    )
}

/// Folders a stage's COPY may put files in that also hold the image's own files: they are
/// copied file by file, never whole.
const SYSTEM_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/sbin",
    "/usr",
    "/usr/bin",
    "/usr/sbin",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/local/lib",
    "/lib",
    "/lib64",
    "/usr/lib",
    "/usr/lib64",
    "/etc",
    "/var",
    "/var/lib",
    "/usr/share",
    "/home",
    "/root",
    "/tmp",
    "/opt",
    "/srv",
    "/run",
];

/// One planned copy: the path in the image, where it goes, and why.
pub(super) struct Planned {
    pub(super) src: String,
    pub(super) dest_dir: bool,
    pub(super) chown: Option<String>,
    pub(super) why: String,
}

/// The new stage, and what links the program to its target: the loader and libraries.
impl Planner<'_, '_> {
    /// The new final stage from what the built image holds.
    pub(super) fn built_stage(
        &self,
        built: &BuiltImage,
        program: Result<Program, ProgramError>,
    ) -> Result<Plan, Decline> {
        let root = built.root.as_path();
        let program = program.map_err(|e| program_decline(e).at(from_span(self.stage)))?;
        let (target, target_facts) = self.built_target(root, &program)?;
        let style = self.style;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        let name = self.name_final_stage(&mut edits)?;
        let mut planned = self.app_files(root)?;
        let in_app = |path: &str, planned: &[Planned]| {
            planned.iter().any(|p| !p.dest_dir && covers(&p.src, path))
        };
        let mut extra: Vec<Planned> = Vec::new();
        if !in_app(&program.path, &planned) {
            extra.push(Planned {
                src: program.path.clone(),
                dest_dir: true,
                chown: None,
                why: format!("the program the image runs ({})", describe(&program)),
            });
        }
        let mut library_dirs = Vec::new();
        for (path, why) in self.libraries(root, &program, &target_facts) {
            let dir = parent_of(&path);
            if !DEFAULT_LIBRARY_DIRS.contains(&dir.as_str()) && !library_dirs.contains(&dir) {
                library_dirs.push(dir);
            }
            extra.push(Planned {
                src: path,
                dest_dir: true,
                chown: None,
                why,
            });
        }
        if let Some(package) = &program.package {
            // Its data, and that of the packages it depends on (`nmap-common`'s
            // `/usr/share/nmap`), unless the target carries the package in its own version
            // (glibc's); a folder of nothing else is copied whole.
            let catalogue = self.model.catalogue;
            let mut data: Vec<(String, String)> = package
                .files
                .iter()
                .map(|file| {
                    let why = format!(
                        "a data file of the package `{}`, which installed the program",
                        package.name
                    );
                    (file.clone(), why)
                })
                .collect();
            for dependency in &package.depends {
                if catalogue.provides_package(&target_facts.provides, &dependency.name) {
                    continue;
                }
                data.extend(dependency.files.iter().map(|file| {
                    let why = format!(
                        "a data file of the package `{}`, which `{}` depends on",
                        dependency.name, package.name
                    );
                    (file.clone(), why)
                }));
            }
            data.retain(|(file, _)| {
                !in_app(file, &planned) && !extra.iter().any(|p| p.src == *file)
            });
            let paths: Vec<String> = data.iter().map(|(file, _)| file.clone()).collect();
            for (path, folder, first) in crate::image::packages::fold(root, &paths) {
                extra.push(Planned {
                    src: path,
                    dest_dir: !folder,
                    chown: None,
                    why: data[first].1.clone(),
                });
            }
            if package.left_out_docs + package.left_out_programs > 0 {
                warnings.push(Warning {
                    code: "package-files-left-out",
                    message: format!(
                        "of the package `{}`, {} documentation files and {} other programs are not copied",
                        package.name, package.left_out_docs, package.left_out_programs
                    ),
                });
            }
        }
        if target_facts.provides.is_empty() {
            // `scratch`: what a distroless image would have carried, when the image has it.
            for (path, why) in [
                (
                    "/etc/ssl/certs/ca-certificates.crt",
                    "the CA bundle, for TLS (scratch has none)",
                ),
                ("/usr/share/zoneinfo", "time zone data (scratch has none)"),
            ] {
                if std::fs::symlink_metadata(inside(root, path)).is_ok() {
                    planned.push(Planned {
                        src: path.to_string(),
                        dest_dir: false,
                        chown: None,
                        why: why.to_string(),
                    });
                }
            }
        }
        planned.extend(extra);

        let mut text = String::new();
        text.push_str(&style.line("FROM", &target.familiar()));
        let mut declared = Vec::new();
        text.push_str(&self.labels_and_envs(&mut declared)?);
        if !library_dirs.is_empty() {
            // No `ld.so.cache` names them on the target: the loader must be told.
            text.push_str(&style.line(
                "ENV",
                &format!("LD_LIBRARY_PATH={}", env_value(&library_dirs.join(":"))),
            ));
        }
        // Also `/` when the target starts elsewhere (distroless `:nonroot` in /home/nonroot).
        let workdir = if built.workdir.is_empty() {
            "/"
        } else {
            built.workdir.as_str()
        };
        if workdir != target_facts.workdir.as_deref().unwrap_or("/") {
            text.push_str(&style.line("WORKDIR", workdir));
        }
        let (copy_text, copies) = copy_lines(
            style,
            self.model.tree.escape,
            root,
            &name,
            &planned,
            "built",
        );
        text.push_str(&copy_text);
        for keyword in [Keyword::Expose, Keyword::Volume, Keyword::Stopsignal] {
            for instruction in self.carried(keyword) {
                text.push_str(&self.verbatim(instruction, &mut declared)?);
            }
        }
        if let Some(user) = self.built_user(root, built, &target_facts, &mut warnings)? {
            text.push_str(&style.line("USER", &user));
        }
        if self.carried(Keyword::Healthcheck).last().is_some() {
            return Err(Decline::new(
                DeclineCode::ShellCommand,
                "the HEALTHCHECK runs a program of the image, which the slim image would not have",
            )
            .at(self.carried(Keyword::Healthcheck).last().unwrap().line_span));
        }
        text.push_str(&self.built_command(built, &program, &target_facts));
        edits.extend(self.append_edits(text));
        Ok(self.rewritten(Some(name), &target, &target_facts, copies, warnings, edits))
    }

    /// The original final stage's name, given one (`AS build`) when it has none: `build`
    /// for a file of one stage, which builds what it runs, `runtime` for a stage that
    /// receives it.
    pub(super) fn name_final_stage(&self, edits: &mut Vec<Edit>) -> Result<String, Decline> {
        if let Some(name) = &self.stage.name {
            return Ok(name.clone());
        }
        let name = if self.model.stages.stages.len() == 1 {
            self.unique_stage_name()
        } else {
            self.unique_name("runtime")
        };
        let word = self
            .stage
            .image_word
            .ok_or_else(|| Decline::new(DeclineCode::NoStage, "the final FROM names no image"))?;
        edits.push(Edit::insert(
            word.span.end,
            format!(" {} {name}", self.style.keyword("AS")),
        ));
        Ok(name)
    }

    /// The target for how the program links, of the family asked for (or `--base`).
    fn built_target(
        &self,
        root: &Path,
        program: &Program,
    ) -> Result<(ImageRef, ImageFacts), Decline> {
        let catalogue = self.model.catalogue;
        let needs = match &program.linkage {
            Linkage::Static => Needs::Static,
            Linkage::Glibc(closure) if needs_cc(closure) => Needs::Cc,
            Linkage::Glibc(_) => Needs::Glibc,
            Linkage::Musl(_) => {
                // Only `scratch` (or `--base` of a musl image) has no glibc to conflict
                // with musl's loader; the loader and libraries are copied.
                let image = self.options.base.as_deref().unwrap_or("scratch");
                let image = ImageRef::parse(image).map_err(|e| {
                    Decline::new(DeclineCode::BadBase, format!("--base `{image}`: {e}"))
                })?;
                let facts = catalogue.lookup(&image).ok_or_else(|| {
                    Decline::new(
                        DeclineCode::UnknownForcedBase,
                        format!("`{}` is not in the image catalogue", image.familiar()),
                    )
                })?;
                return Ok((image, facts));
            }
        };
        let min_debian = match needs {
            Needs::Static => None,
            _ => Some(debian_release(root).ok_or_else(|| {
                Decline::new(
                    DeclineCode::UnknownDistro,
                    "the built image is not Debian or Ubuntu (by its /etc/os-release), so its glibc cannot be compared with the target's",
                )
                .at(from_span(self.stage))
            })?),
        };
        if let Some(base) = &self.options.base {
            let image = ImageRef::parse(base)
                .map_err(|e| Decline::new(DeclineCode::BadBase, format!("--base `{base}`: {e}")))?;
            let facts = catalogue.lookup(&image).ok_or_else(|| {
                Decline::new(
                    DeclineCode::UnknownForcedBase,
                    format!("--base `{base}` is not in the image catalogue"),
                )
            })?;
            return Ok((image, facts));
        }
        let family = match (self.options.family, &needs) {
            // A dynamic program cannot run on `scratch` without its loader: the glibc
            // loader is not copied (it must match the libc the target would not have).
            (TargetFamily::Scratch, Needs::Static) => TargetFamily::Scratch,
            (TargetFamily::Scratch, _) => TargetFamily::Distroless,
            (family, _) => family,
        };
        let query = TargetQuery {
            family,
            needs: needs.clone(),
            min_debian,
        };
        catalogue
            .pick_target(&query)
            .map(|(t, facts)| (t.image.clone(), facts))
            .ok_or_else(|| {
                Decline::new(
                    DeclineCode::NoTarget,
                    format!(
                        "no {family} image runs a program built on Debian {}",
                        min_debian.unwrap_or_default()
                    ),
                )
                .at(from_span(self.stage))
            })
    }

    /// The libraries of the closure the target lacks (for musl: the loader too), each as
    /// the path the loader looks for.
    fn libraries(
        &self,
        root: &Path,
        program: &Program,
        target: &ImageFacts,
    ) -> Vec<(String, String)> {
        let catalogue = self.model.catalogue;
        let (closure, copy_loader) = match &program.linkage {
            Linkage::Static => return Vec::new(),
            Linkage::Glibc(c) => (c, false),
            Linkage::Musl(c) => (c, true),
        };
        let mut out = Vec::new();
        if copy_loader && let Some((loader, _)) = &closure.loader {
            out.push((
                loader.clone(),
                "musl's loader, which is also its C library".to_string(),
            ));
        }
        for library in &closure.libraries {
            if !catalogue.provides_library(&target.provides, &library.name) {
                // The soname in the folder of the file it leads to, when it is there too
                // (`/usr/lib/x86_64-linux-gnu/libjq.so.1`, not `/lib/…` through a link that
                // the target may lack).
                let real = library.target.as_deref().unwrap_or(&library.path);
                let beside = format!("{}/{}", parent_of(real), library.name);
                let path = if resolve(root, &beside).is_some() {
                    beside
                } else {
                    library.path.clone()
                };
                out.push((path, format!("`{}`, which the program loads", library.name)));
            }
        }
        out
    }
}

/// What the new stage takes from the original one: the application's files, its user and
/// its command.
impl Planner<'_, '_> {
    /// What the stage's COPY and ADD put in the image, as paths of the built image.
    fn app_files(&self, root: &Path) -> Result<Vec<Planned>, Decline> {
        let mut planned: Vec<Planned> = Vec::new();
        let escape = self.model.tree.escape;
        for stage in self.chain() {
            let states = self.model.states(stage.index);
            for (i, instruction) in stage.instructions.iter().enumerate() {
                let Some(copy) = CopyArgs::read(
                    instruction,
                    &states.before[i],
                    escape,
                    &self.model.stages,
                    stage.index,
                ) else {
                    continue;
                };
                let unknown = || {
                    Decline::new(
                        DeclineCode::UnknownVariable,
                        "where this COPY puts its files depends on a value not known statically",
                    )
                    .at(instruction.line_span)
                };
                let dest = copy.dest.as_deref().ok_or_else(unknown)?;
                let dest = states.before[i].resolve_path(dest).ok_or_else(unknown)?;
                let dest = dest.trim_end_matches('/');
                let dest = if dest.is_empty() { "/" } else { dest };
                let paths: Vec<String> = if SYSTEM_DIRS.contains(&dest) {
                    // Into a folder of the image's own: the named files only.
                    let mut paths = Vec::new();
                    for source in &copy.sources {
                        let source = source.as_deref().ok_or_else(unknown)?;
                        let name = file_name(source.trim_end_matches('/'));
                        if name.is_empty() || name == "." || name.contains(['*', '?', '[']) {
                            return Err(Decline::new(
                                DeclineCode::AppInRoot,
                                format!("this COPY puts files in `{dest}`, mixed with the image's own, so which are the application's cannot be told"),
                            )
                            .at(instruction.line_span));
                        }
                        paths.push(format!("{}/{name}", dest.trim_end_matches('/')));
                    }
                    paths
                } else {
                    vec![dest.to_string()]
                };
                for path in paths {
                    let meta = std::fs::symlink_metadata(inside(root, &path)).map_err(|_| {
                        Decline::new(
                            DeclineCode::UncopiedFiles,
                            format!("`{path}`, which this COPY made, is not in the built image: a later step removed or moved it"),
                        )
                        .at(instruction.line_span)
                    })?;
                    let chown = (meta.uid() != 0 || meta.gid() != 0)
                        .then(|| format!("{}:{}", meta.uid(), meta.gid()));
                    planned.retain(|p| !covers(&path, &p.src));
                    if !planned.iter().any(|p| covers(&p.src, &path)) {
                        planned.push(Planned {
                            src: path,
                            dest_dir: false,
                            chown,
                            why:
                                "the application's files, which the original final stage copied in"
                                    .to_string(),
                        });
                    }
                }
            }
        }
        Ok(planned)
    }

    /// The user of the new stage: the image's own when it was not root (numeric, since
    /// the target's `/etc/passwd` does not name it), else the target's non-root user.
    fn built_user(
        &self,
        root: &Path,
        built: &BuiltImage,
        target: &ImageFacts,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<String>, Decline> {
        if is_root_user(Some(&built.user)) {
            let argv: Vec<String> = built.entrypoint.iter().chain(&built.cmd).cloned().collect();
            let settings = self.settings(&argv);
            self.check_ports_and_volumes(&argv, &settings, &[], target, warnings)?;
            warnings.push(super::user::root_to_non_root(target));
            if target.provides.is_empty() {
                return Ok(Some("65532:65532".to_string()));
            }
            return Ok((!runs_as_non_root(target)).then(|| non_root_user(target)));
        }
        numeric_user(root, &built.user).map(Some)
    }

    /// ENTRYPOINT and CMD as the image had them, argv[0] made absolute when the target's
    /// PATH would not find it where it was copied.
    fn built_command(&self, built: &BuiltImage, program: &Program, target: &ImageFacts) -> String {
        let style = self.style;
        let argv0 = |first: &str| {
            let dir = parent_of(&program.path);
            // `scratch` sets no PATH: the engine's default then applies, which Docker and
            // podman set but a Kubernetes runtime need not; an absolute path needs none.
            // A path (`./bin/app`) resolves as before: the program is copied to where it
            // was, and WORKDIR stays.
            let has_path = !target.provides.is_empty();
            if first.contains('/') || (has_path && TARGET_PATH.split(':').any(|d| d == dir)) {
                first.to_string()
            } else {
                program.path.clone()
            }
        };
        let mut text = String::new();
        if let Some((first, rest)) = built.entrypoint.split_first() {
            let mut entrypoint = vec![argv0(first)];
            entrypoint.extend(rest.iter().cloned());
            text.push_str(&style.line("ENTRYPOINT", &exec_form(&entrypoint)));
            if !built.cmd.is_empty() {
                text.push_str(&style.line("CMD", &exec_form(&built.cmd)));
            }
        } else if let Some((first, rest)) = built.cmd.split_first() {
            let mut cmd = vec![argv0(first)];
            cmd.extend(rest.iter().cloned());
            text.push_str(&style.line("CMD", &exec_form(&cmd)));
        }
        text
    }
}

/// `uid:gid` of a user name from the image's `/etc/passwd` (numbers stay as they are).
pub(super) fn numeric_user(root: &Path, user: &str) -> Result<String, Decline> {
    if user
        .split(':')
        .all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        return Ok(user.to_string());
    }
    let name = user.split(':').next().unwrap_or(user);
    let passwd = std::fs::read_to_string(inside(root, "/etc/passwd")).unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.len() > 3 && f[0] == name).then(|| format!("{}:{}", f[2], f[3]))
        })
        .ok_or_else(|| {
            Decline::new(
                DeclineCode::NeedsRoot,
                format!("the image runs as `{user}`, which its /etc/passwd does not name"),
            )
        })
}

/// A decline for a program the closure cannot carry.
fn program_decline(error: ProgramError) -> Decline {
    let code = match &error {
        ProgramError::NoCommand => DeclineCode::NoCommand,
        ProgramError::Shell { .. } => DeclineCode::ShellCommand,
        ProgramError::ShellScript { .. } => DeclineCode::ScriptEntrypoint,
        ProgramError::Script { .. } | ProgramError::Runtime { .. } => DeclineCode::NeedsTrace,
        ProgramError::Missing { .. } => DeclineCode::ExtraLibraries,
        ProgramError::NotFound { .. }
        | ProgramError::NotElf { .. }
        | ProgramError::UnknownLoader { .. }
        | ProgramError::Unreadable { .. } => DeclineCode::UnknownArtifact,
    };
    Decline::new(code, format!("in the built image: {error}"))
}

fn describe(program: &Program) -> String {
    match &program.linkage {
        Linkage::Static => "static".to_string(),
        Linkage::Glibc(c) => format!("glibc, {} libraries", c.libraries.len()),
        Linkage::Musl(c) => format!("musl, {} libraries", c.libraries.len()),
    }
}

/// Whether a glibc closure needs the C++ runtime or libgcc, which `cc` carries.
fn needs_cc(closure: &Closure) -> bool {
    closure.libraries.iter().any(|l| {
        matches!(
            l.name.as_str(),
            "libgcc_s.so.1" | "libstdc++.so.6" | "libgomp.so.1"
        )
    })
}

/// The Debian release whose glibc is at least the image's: Debian's own `VERSION_ID`, or
/// the one an Ubuntu release matches.
fn debian_release(root: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(inside(root, "/etc/os-release"))
        .or_else(|_| std::fs::read_to_string(inside(root, "/usr/lib/os-release")))
        .ok()?;
    let field = |key: &str| {
        text.lines().find_map(|l| {
            l.strip_prefix(key)
                .and_then(|v| v.strip_prefix('='))
                .map(|v| v.trim_matches('"').to_string())
        })
    };
    match field("ID")?.as_str() {
        "debian" => field("VERSION_ID")?.parse().ok(),
        "ubuntu" => crate::ecosystems::start::ubuntu_as_debian(&field("VERSION_ID")?),
        _ => None,
    }
}

/// The COPY lines of planned copies from the stage `name`, grouped by folder, and the plan's
/// record of each file with its `evidence`, sha256 and size.
pub(super) fn copy_lines(
    style: Style,
    escape: char,
    root: &Path,
    name: &str,
    planned: &[Planned],
    evidence: &'static str,
) -> (String, Vec<CopyPlan>) {
    let mut text = String::new();
    let mut copies = Vec::new();
    for line in group(planned) {
        let chown = line
            .chown
            .as_ref()
            .map_or(String::new(), |c| format!(" --chown={c}"));
        let dest = match &line.dest_folder {
            Some(dir) => format!("{}/", dir.trim_end_matches('/')),
            None => line.sources[0].0.clone(),
        };
        let sources: Vec<&str> = line.sources.iter().map(|(s, _)| s.as_str()).collect();
        text.push_str(&copy_line(
            style,
            escape,
            &format!("--from={name}{chown}"),
            &sources,
            &dest,
        ));
        for (src, why) in &line.sources {
            let (sha256, size) = fingerprint(root, src);
            copies.push(CopyPlan {
                from: name.to_string(),
                src: src.clone(),
                dest: line
                    .dest_folder
                    .as_ref()
                    .map_or(src.clone(), |d| format!("{d}/{}", file_name(src))),
                why: why.clone(),
                evidence,
                sha256,
                size,
                probe: None,
            });
        }
    }
    (text, copies)
}

/// A COPY instruction; with more than two sources, one per line (continued with the file's
/// escape character), so that a person can read and review it.
pub(super) fn copy_line(
    style: Style,
    escape: char,
    flags: &str,
    sources: &[&str],
    dest: &str,
) -> String {
    if sources.len() <= 2 {
        let operands = format!("{} {dest}", sources.join(" "));
        return match flags {
            "" => style.line("COPY", &operands),
            _ => style.line("COPY", &format!("{flags} {operands}")),
        };
    }
    let indent = format!(" {escape}{}    ", style.newline);
    // With no flags the first source goes on the COPY line itself.
    let mut rest = flags.to_string();
    for (i, source) in sources.iter().enumerate() {
        if !(i == 0 && rest.is_empty()) {
            rest.push_str(&indent);
        }
        rest.push_str(source);
    }
    rest.push_str(&indent);
    rest.push_str(dest);
    style.line("COPY", &rest)
}

/// One COPY line: files of one folder together, or one path on its own.
pub(super) struct Line {
    pub(super) sources: Vec<(String, String)>,
    /// The folder the sources go into, or `None` for a path copied onto itself.
    pub(super) dest_folder: Option<String>,
    pub(super) chown: Option<String>,
}

/// Groups file copies by their folder, in the order first met; whole paths stay alone.
pub(super) fn group(planned: &[Planned]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut by_dir: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    for p in planned {
        if !p.dest_dir {
            lines.push(Line {
                sources: vec![(p.src.clone(), p.why.clone())],
                dest_folder: None,
                chown: p.chown.clone(),
            });
            continue;
        }
        let dir = parent_of(&p.src);
        match by_dir.get(&(dir.clone(), p.chown.clone())) {
            Some(&at) if !lines[at].sources.iter().any(|(s, _)| s == &p.src) => {
                lines[at].sources.push((p.src.clone(), p.why.clone()));
            }
            Some(_) => {}
            None => {
                by_dir.insert((dir.clone(), p.chown.clone()), lines.len());
                lines.push(Line {
                    sources: vec![(p.src.clone(), p.why.clone())],
                    dest_folder: Some(dir),
                    chown: p.chown.clone(),
                });
            }
        }
    }
    lines
}

/// The sha256 and size of a file of the image (after its symlinks); `None` for a folder.
pub(super) fn fingerprint(root: &Path, path: &str) -> (Option<String>, Option<u64>) {
    let Some((_, file)) = resolve(root, path) else {
        return (None, None);
    };
    let Ok(data) = std::fs::read(inside(root, &file)) else {
        return (None, None);
    };
    let digest = sha2::Sha256::digest(&data);
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    (Some(hex), Some(data.len() as u64))
}

fn parent_of(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The libraries that the native modules of a planned rewrite load (Python extensions,
/// Node addons), read from the built image: what the target lacks is copied in, beside the
/// plan's own copies. `plan` is a rewrite planned from the text with the library guess
/// left to this step ([`Options::libraries_from_image`]).
pub(super) fn native_libraries(
    catalogue: &crate::analysis::catalogue::Catalogue,
    mut plan: Plan,
    root: &Path,
    src_len: usize,
    style: Style,
    escape: char,
) -> Result<Plan, Decline> {
    let Some(target) = plan
        .base_after
        .as_deref()
        .and_then(|b| ImageRef::parse(b).ok())
    else {
        return Ok(plan);
    };
    let Some(target_facts) = catalogue.lookup(&target) else {
        return Ok(plan);
    };
    // The paths the plan copies, as they are in the built image.
    let copied: Vec<String> = plan
        .copies
        .iter()
        .map(|c| {
            if std::fs::symlink_metadata(inside(root, &c.dest)).is_ok() {
                c.dest.clone()
            } else {
                c.src.clone()
            }
        })
        .collect();
    let mut needed: BTreeMap<String, String> = BTreeMap::new();
    let mut modules = 0;
    for top in &copied {
        for file in elf_files(root, top) {
            modules += 1;
            let closure = crate::image::closure::closure(root, &file).map_err(|e| {
                Decline::new(
                    DeclineCode::UnknownArtifact,
                    format!("in the built image: {e}"),
                )
            })?;
            if closure.program.is_musl()
                || closure
                    .libraries
                    .iter()
                    .any(|l| l.name.starts_with("libc.musl"))
            {
                return Err(Decline::new(
                    DeclineCode::Musl,
                    format!("in the built image, `{file}` is linked against musl"),
                ));
            }
            if let Some(missing) = closure.missing.first() {
                return Err(Decline::new(
                    DeclineCode::ExtraLibraries,
                    format!(
                        "in the built image, `{file}` needs `{missing}`, which the image does not have"
                    ),
                ));
            }
            for library in closure.libraries {
                let real = library.target.as_deref().unwrap_or(&library.path);
                let bundled = copied
                    .iter()
                    .any(|c| covers(c, &library.path) || covers(c, real));
                if bundled
                    || library.name.starts_with("libpython")
                    || catalogue.provides_library(&target_facts.provides, &library.name)
                {
                    continue;
                }
                let beside = format!("{}/{}", parent_of(real), library.name);
                let path = if resolve(root, &beside).is_some() {
                    beside
                } else {
                    library.path.clone()
                };
                needed.entry(path).or_insert_with(|| {
                    format!(
                        "`{}`, which the native module `{}` loads",
                        library.name,
                        file_name(&file)
                    )
                });
            }
        }
    }
    if needed.is_empty() {
        return Ok(plan);
    }
    // A library copied onto the target may replace the target's own copy: only the same
    // Debian release gives the same package, so that nothing the target runs changes.
    let release = debian_release(root);
    let target_release = target_facts
        .distro
        .as_ref()
        .and_then(|d| d.version.as_deref())
        .and_then(|v| v.parse::<u32>().ok());
    if release.is_none() || release != target_release {
        return Err(Decline::new(
            DeclineCode::ExtraLibraries,
            format!(
                "the native modules load {}, which `{}` does not carry, and the built image is not of its Debian release ({}), so copying them could replace the target's own",
                needed.keys().map(|k| format!("`{}`", file_name(k))).collect::<Vec<_>>().join(", "),
                target.familiar(),
                target_release.map_or("unknown".into(), |r| r.to_string())
            ),
        )
        .help("build on the target's Debian release, or keep a final image that installs the libraries"));
    }
    let name = plan.stage.clone().unwrap_or_else(|| "build".into());
    let planned: Vec<Planned> = needed
        .into_iter()
        .map(|(src, why)| Planned {
            src,
            dest_dir: true,
            chown: None,
            why,
        })
        .collect();
    let mut lines = String::new();
    for line in group(&planned) {
        let dir = line.dest_folder.clone().unwrap_or_default();
        let sources: Vec<&str> = line.sources.iter().map(|(s, _)| s.as_str()).collect();
        lines.push_str(&copy_line(
            style,
            escape,
            &format!("--from={name}"),
            &sources,
            &format!("{dir}/"),
        ));
        for (src, why) in &line.sources {
            let (sha256, size) = fingerprint(root, src);
            plan.copies.push(CopyPlan {
                from: name.clone(),
                src: src.clone(),
                dest: format!("{dir}/{}", file_name(src)),
                why: why.clone(),
                evidence: "built",
                sha256,
                size,
                probe: None,
            });
        }
    }
    // After the new stage's FROM line.
    let Some(edit) = plan
        .edits
        .iter_mut()
        .find(|e| e.span.start == src_len && e.span.end == src_len)
    else {
        return Err(Decline::new(
            DeclineCode::ExtraLibraries,
            "the native modules load libraries the target lacks, and this rewrite keeps the runtime stage in place, where dfslim does not add them",
        ));
    };
    let from = edit
        .text
        .find(&style.line("FROM", &target.familiar()))
        .map(|at| at + style.line("FROM", &target.familiar()).len());
    let Some(at) = from else {
        return Ok(plan);
    };
    edit.text.insert_str(at, &lines);
    plan.warnings.push(Warning {
        code: "native-libraries",
        message: format!(
            "{modules} native module{} read in the built image; the libraries the target lacks are copied",
            if modules == 1 { "" } else { "s" }
        ),
    });
    Ok(plan)
}

/// The ELF files below `top` in the image (not following symlinks), at most 10,000.
fn elf_files(root: &Path, top: &str) -> Vec<String> {
    let mut found: Vec<String> = crate::image::walk::files(root, top, &[])
        .filter(|(path, meta)| {
            let mut magic = [0u8; 4];
            meta.len() > 4
                && std::fs::File::open(inside(root, path))
                    .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
                    .is_ok()
                && magic == *b"\x7fELF"
        })
        .map(|(path, _)| path)
        .take(10_000)
        .collect();
    found.sort();
    found
}
