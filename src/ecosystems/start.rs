//! How programs are started, in general: the application behind the command a final stage
//! runs ([`AppFinder::find`]), where its files come from ([`Provenance`]), how it links or
//! which runtime it needs, and what a slim image must receive for it to run ([`App`]). The
//! interpreters and package managers of each language are the ecosystems' own
//! ([`super::Ecosystem::start`]); a compiled program is handled here. Every "don't know" is
//! a [`Decline`].

use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::is_shell;
use crate::analysis::copy::CopyArgs;
use crate::analysis::env::{State, normalize_path};
use crate::analysis::image_ref::DOCKER_HUB;
use crate::analysis::model::Model;
use crate::analysis::retag;
use crate::analysis::stages::Stage;
use crate::syntax::{Args, Instruction, Keyword, Span};

pub(crate) use super::sources::parent;
use super::sources::{
    Language, find_in_sources_aliased, js_path_aliases, js_subpath_imports, program_call,
};
use super::transfers::relayed;
use super::{
    Artifact, ArtifactKind, ContextReader, Decline, DeclineCode, ECOSYSTEMS, Ecosystem, Linkage,
    SourceUses, StageBuild, stage_build,
};

/// Where a file of the final stage comes from.
#[derive(Clone, Debug)]
pub enum Provenance<'t> {
    /// Made by a RUN of the final stage (or a stage it is built on).
    Built(Artifact<'t>),
    /// Brought in by `COPY --from=<stage>` from an artifact of that stage.
    Copied {
        stage: usize,
        copy: &'t Instruction,
        artifact: Artifact<'t>,
    },
}

impl<'t> Provenance<'t> {
    pub fn artifact(&self) -> &Artifact<'t> {
        match self {
            Provenance::Built(a) | Provenance::Copied { artifact: a, .. } => a,
        }
    }
}

/// The application, as the rewrite needs to know it.
#[derive(Clone, Debug)]
pub struct App<'t> {
    /// The ecosystem whose interpreter runs the application (`None`: a program).
    pub interpreter: Option<&'static dyn Ecosystem>,
    /// For a program that starts a runtime itself (a .NET apphost, `./App`), that runtime's
    /// ecosystem: the command stays as written, and the target must suit the runtime.
    pub launches: Option<&'static dyn Ecosystem>,
    /// What the final image must provide.
    pub needs: Needs,
    /// The artifact the command runs (the binary, the script's app folder, the jar…).
    pub main: Provenance<'t>,
    /// Paths (in the final stage's file system) to copy into a new final stage, with why.
    pub copies: Vec<(String, String)>,
    /// Extra environment the slim image needs (`PYTHONPATH` for a venv).
    pub env: Vec<(String, String)>,
    /// The Debian release the native code was built on, for the glibc check.
    pub built_on_debian: Option<u32>,
    /// The command the image really runs, when it is not the one written: `npm start`
    /// runs package.json's start script.
    pub run_argv: Option<Vec<String>>,
    /// The variables that command expands when it starts (`$PORT` in package.json's
    /// `node src/index.js --port $PORT`): written into it as their build-time values.
    pub run_expanded: Vec<String>,
    /// For a compiled program: its absolute path in the image.
    pub program: Option<String>,
}

/// Work out the application from the argv the final stage runs.
pub struct AppFinder<'m, 't> {
    pub model: &'m Model<'t>,
    pub stage: usize,
    pub state: &'m State,
    pub context: Option<ContextReader<'m>>,
    /// The instruction the command comes from, for decline spans.
    pub command_span: Span,
    /// `rewrite --build` reads the native modules' libraries from the built image after
    /// planning, so the guess from the packages the build installed is not made.
    pub libraries_from_image: bool,
}

/// Declines, and the instructions they point at.
impl<'t> AppFinder<'_, 't> {
    pub(crate) fn decline(&self, code: DeclineCode, message: impl Into<String>) -> Decline {
        Decline::new(code, message).at(self.command_span)
    }

    /// A decline about what the image of `stage` is (its release, libc, runtime version):
    /// the cause is that stage's FROM; the command that runs the application is the
    /// second place.
    pub(crate) fn decline_at_from(
        &self,
        stage: usize,
        code: DeclineCode,
        message: impl Into<String>,
    ) -> Decline {
        Decline::new(code, message)
            .at(from_span(&self.model.stages.stages[stage]))
            .also(self.command_span, "the command that runs the application")
    }

    /// A decline caused by an instruction of the final stage (the ENV that sets a
    /// variable, the WORKDIR), with the command as second place; the command alone when no
    /// such instruction is found (it may come from a stage this one is built on).
    pub(crate) fn decline_at(
        &self,
        cause: Option<&Instruction>,
        code: DeclineCode,
        message: impl Into<String>,
    ) -> Decline {
        match cause {
            Some(instruction) => Decline::new(code, message)
                .at(instruction.line_span)
                .also(self.command_span, "the command that runs the application"),
            None => self.decline(code, message),
        }
    }

    /// The last ENV of the final stage that sets `name`.
    pub(crate) fn env_setting(&self, name: &str) -> Option<&'t Instruction> {
        let stage = &self.model.stages.stages[self.stage];
        stage
            .instructions_of(Keyword::Env)
            .filter(|i| match &i.args {
                Args::Pairs { pairs } => pairs.iter().any(|p| p.key.text == name),
                _ => false,
            })
            .last()
    }

    /// The last WORKDIR of the final stage.
    pub(crate) fn workdir_instruction(&self) -> Option<&'t Instruction> {
        self.model.stages.stages[self.stage].last(Keyword::Workdir)
    }

    /// Whether a line of the final stage's chain may put `path` in the image: a COPY or
    /// ADD whose destination holds it or lies inside it, a WORKDIR that makes it, or a
    /// RUN that names it (`mv target/*.jar app.jar`, `curl -o app.jar`, `mkdir /app`).
    pub(crate) fn chain_brings(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        let chain = self.model.chain(self.stage);
        self.model
            .chain_copies(self.stage)
            .iter()
            .any(|(_, copy, args, state)| {
                copy_sources_for(copy, state, self.model.tree.escape, path).is_some()
                    || args
                        .dest
                        .as_deref()
                        .and_then(|d| state.resolve_path(d))
                        // unknown, or inside the folder
                        .is_none_or(|dest| covers(path, &dest))
            })
            || chain.iter().any(|&i| {
                let states = self.model.states(i);
                (0..self.model.stages.stages[i].instructions.len()).any(|at| {
                    let after = states.before.get(at + 1).unwrap_or(&states.end);
                    self.model.stages.stages[i].instructions[at].keyword == Keyword::Workdir
                        && after.workdir.as_deref().is_some_and(|w| covers(path, w))
                })
            })
            || chain
                .iter()
                .flat_map(|&i| self.model.stages.stages[i].instructions_of(Keyword::Run))
                .any(|run| run.line_span.slice(self.model.src).contains(name))
    }

    /// [`Self::chain_brings`] as a decline: the application's `what` at `path`, which no
    /// line of the build puts in the image (mounted at run time), so that the new stage's
    /// COPY of it would fail the build.
    pub(crate) fn check_brought(&self, path: &str, what: &str, help: &str) -> Result<(), Decline> {
        if self.chain_brings(path) {
            return Ok(());
        }
        Err(self
            .decline(
                DeclineCode::UnknownArtifact,
                format!("no line of this Dockerfile puts {what} in the image (a volume may mount it at run time), so the new image could not copy it"),
            )
            .help(help))
    }

    /// The last COPY or ADD of the final stage that puts something at `path`.
    pub(crate) fn copy_bringing(&self, path: &str) -> Option<&'t Instruction> {
        let stage = &self.model.stages.stages[self.stage];
        let states = self.model.states(self.stage);
        stage
            .instructions
            .iter()
            .enumerate()
            .rev()
            .find(|(i, c)| {
                matches!(c.keyword, Keyword::Copy | Keyword::Add)
                    && copy_sources_for(c, &states.before[*i], self.model.tree.escape, path)
                        .is_some()
            })
            .map(|(_, c)| *c)
    }
}

/// The application: the program the command runs, and where it comes from.
impl<'t> AppFinder<'_, 't> {
    pub fn find(&self, argv: &[String]) -> Result<App<'t>, Decline> {
        let Some(program) = argv.first() else {
            return Err(self.decline(DeclineCode::NoCommand, "the final stage runs no command"));
        };
        if is_shell(program) {
            return Err(self
                .decline(
                    DeclineCode::ShellCommand,
                    format!(
                        "the command runs the shell `{program}`, which a distroless image lacks"
                    ),
                )
                .help(
                    "run the application directly in exec form, e.g. ENTRYPOINT [\"/app/server\"]",
                ));
        }
        if program.ends_with(".sh") {
            return Err(self
                .decline(
                    DeclineCode::ScriptEntrypoint,
                    format!("the command runs the shell script `{program}`, which needs a shell"),
                )
                .help("move what the script does into the build, then run the program directly"));
        }
        // An interpreter or a package manager that an ecosystem knows; else a program.
        let app = ECOSYSTEMS
            .iter()
            .find_map(|ecosystem| ecosystem.start(self, argv))
            .unwrap_or_else(|| self.binary(program))?;
        self.check_compiled_sources(&app)?;
        Ok(app)
    }

    /// The final stage's facts (its image is a full distro here).
    pub(crate) fn facts(&self) -> Result<ImageFacts, Decline> {
        self.model.facts(self.stage).cloned().ok_or_else(|| {
            self.decline_at_from(
                self.stage,
                DeclineCode::UnknownBase,
                "the final stage's image is not in the catalogue",
            )
        })
    }

    /// The final stage's image facts and the version of its runtime, for an interpreted
    /// application.
    pub(crate) fn image_runtime(&self) -> Result<(ImageFacts, Option<String>), Decline> {
        let facts = self.facts()?;
        let version = facts.runtime.as_ref().and_then(|r| r.version.clone());
        Ok((facts, version))
    }

    /// Resolve a program name through PATH and WORKDIR to an absolute path.
    pub(crate) fn resolve_program(&self, program: &str) -> Vec<String> {
        if program.contains('/') {
            return self.state.resolve_path(program).into_iter().collect();
        }
        let path = self.state.value("PATH").unwrap_or_else(|| {
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()
        });
        path.split(':')
            .filter(|d| d.starts_with('/'))
            .map(|d| normalize_path(&format!("{d}/{program}")))
            .collect()
    }

    pub(crate) fn binary(&self, program: &str) -> Result<App<'t>, Decline> {
        let candidates = self.resolve_program(program);
        let Some((path, provenance)) = candidates
            .iter()
            .find_map(|p| self.provenance(p).map(|prov| (p.clone(), prov)))
        else {
            // The COPY that brings it from the build context (or wherever) is the cause.
            let copy = candidates.iter().find_map(|p| self.copy_bringing(p));
            return Err(self
                .decline_at(
                    copy,
                    DeclineCode::UnknownArtifact,
                    format!(
                        "no build step of this Dockerfile is known to produce `{program}`, so how it links (and whether it is a script) is unknown"
                    ),
                )
                .help("build the program in this Dockerfile (go build, cargo build, gcc …), or write the final stage by hand"));
        };
        let artifact = provenance.artifact().clone();
        let linkage = match &artifact.kind {
            ArtifactKind::Binary { linkage } | ArtifactKind::BinaryDir { linkage } => *linkage,
            _ => {
                return Err(self.made_by(
                    &provenance,
                    DeclineCode::UnknownArtifact,
                    format!("`{path}` is not a compiled program ({})", artifact.why),
                ));
            }
        };
        // The runtime stage is evidence: a Go binary it starts on a musl image with no glibc
        // loader, or on one with no C library, is static whatever its build says. The
        // rewrite writes that proof above the COPY, where `check` reads it.
        let source_stage = self.source_stage(&provenance);
        let proven_static = runtime_proves_static(self.model, self.stage, source_stage, &artifact);
        let artifact = match &proven_static {
            Some(why) => Artifact {
                why: format!("{}; {why}", artifact.why),
                ..artifact
            },
            None => artifact,
        };
        let needs = match linkage {
            _ if proven_static.is_some() => Needs::Static,
            Linkage::Static => Needs::Static,
            Linkage::Glibc => Needs::Glibc,
            Linkage::GlibcGcc => Needs::Cc,
            Linkage::Musl => {
                return Err(self
                    .made_by(
                        &provenance,
                        DeclineCode::Musl,
                        format!(
                            "`{path}` is dynamically linked against musl ({}); no distroless image has musl",
                            artifact.why
                        ),
                    )
                    .help("link it statically (CGO_ENABLED=0, -static, a *-musl Rust target) or build on a glibc image"));
            }
        };
        if linkage != Linkage::Static {
            if proven_static.is_none() {
                self.check_libraries(source_stage, &path, false)?;
            }
            for name in ["LD_LIBRARY_PATH", "LD_PRELOAD"] {
                if self.state.is_set(name) {
                    return Err(self.decline_at(
                        self.env_setting(name),
                        DeclineCode::ExtraLibraries,
                        format!("the final stage sets {name}, so `{path}` may load libraries from places the new image would not have"),
                    ));
                }
            }
        }
        let copy = match &provenance {
            // `make install` puts what the program reads (share/, etc/, lib/) beside bin/:
            // the whole prefix goes, unless it is the system's own.
            Provenance::Built(a)
                if a.tool == "make install" && matches!(a.kind, ArtifactKind::BinaryDir { .. }) =>
            {
                let prefix = parent(&a.path);
                if matches!(prefix.as_str(), "/" | "/usr") {
                    return Err(self.made_by(
                        &provenance,
                        DeclineCode::UnknownArtifact,
                        format!("`make install` installed into {prefix}, mixed with the image's own files, so what the program needs cannot be told"),
                    )
                    .help("install into a prefix of its own: make install PREFIX=/opt/NAME"));
                }
                (
                    prefix.clone(),
                    format!("{} (the whole prefix {prefix})", a.why),
                )
            }
            _ => (path.clone(), artifact.why.clone()),
        };
        Ok(App {
            interpreter: None,
            launches: None,
            needs,
            copies: vec![copy],
            main: provenance,
            env: Vec::new(),
            built_on_debian: self.old_openssl(
                source_stage,
                self.debian_of(
                    source_stage,
                    linkage != Linkage::Static && proven_static.is_none(),
                )?,
            )?,
            run_argv: None,
            run_expanded: Vec::new(),
            program: Some(path),
        })
    }

    pub(crate) fn source_stage(&self, provenance: &Provenance<'t>) -> usize {
        match provenance {
            Provenance::Built(_) => self.stage,
            Provenance::Copied { stage, .. } => *stage,
        }
    }

    /// A decline caused by how a program was made: at the RUN that made it, with the COPY
    /// that brings it into the final stage (when it comes from another stage) and the
    /// command as second places.
    pub(crate) fn made_by(
        &self,
        provenance: &Provenance<'t>,
        code: DeclineCode,
        message: impl Into<String>,
    ) -> Decline {
        let decline = Decline::new(code, message).at(provenance.artifact().instruction.line_span);
        let decline = match provenance {
            Provenance::Copied { copy, .. } => {
                decline.also(copy.line_span, "this brings it into the final stage")
            }
            Provenance::Built(_) => decline,
        };
        decline.also(self.command_span, "the command that runs it")
    }

    /// Where the file at `path` of the final stage comes from.
    pub fn provenance(&self, path: &str) -> Option<Provenance<'t>> {
        let stage = &self.model.stages.stages[self.stage];
        let states = self.model.states(self.stage);
        // A later COPY replaces what an earlier step put there: look from the end.
        for (i, instruction) in stage.instructions.iter().enumerate().rev() {
            if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            // `--from` resolved through ARG defaults (`--from=${BUILDER}`).
            let escape = self.model.tree.escape;
            let Some(source_stage) = CopyArgs::read(
                instruction,
                &states.before[i],
                escape,
                &self.model.stages,
                self.stage,
            )
            .and_then(|c| c.from_stage()) else {
                continue;
            };
            let Some(sources) = copy_sources_for(instruction, &states.before[i], escape, path)
            else {
                continue;
            };
            let build = stage_build(self.model, source_stage, self.context);
            let artifact = sources
                .iter()
                .find_map(|s| build.artifact_at(s).cloned())
                .or_else(|| {
                    sources.iter().find_map(|s| {
                        relayed(self.model, source_stage, s, self.context)
                            .into_iter()
                            .find(|a| a.path == s.trim_end_matches('/'))
                    })
                });
            if let Some(artifact) = artifact {
                return Some(Provenance::Copied {
                    stage: source_stage,
                    copy: instruction,
                    artifact,
                });
            }
        }
        let build: StageBuild<'t> = stage_build(self.model, self.stage, self.context);
        build.artifact_at(path).cloned().map(Provenance::Built)
    }

    /// Declines when the application's entry file `script`, or a local module it loads
    /// (both read from the build context), runs other programs or a shell
    /// ([`program_call`]). `roots` are where Python looks for absolute imports.
    pub(crate) fn check_runs_programs(
        &self,
        script: &str,
        language: Language,
        roots: &[String],
    ) -> Result<(), Decline> {
        let read = |path: &str| self.image_file(path);
        // Compiled JavaScript (`dist/server.js`, built by tsc or babel) is read from its
        // source (`src/server.ts`), which the context holds.
        let entry = match language {
            Language::JavaScript if read(script).is_none() => compiled_source(script, &read),
            _ => None,
        }
        .unwrap_or_else(|| script.to_string());
        // tsconfig's path aliases (`@src/*`), from the project's folder (the WORKDIR).
        let aliases = match language {
            Language::JavaScript => {
                let workdir = self.state.workdir.as_deref().unwrap_or("/");
                let mut aliases = ["tsconfig.json", "jsconfig.json"]
                    .iter()
                    .find_map(|name| {
                        let config = format!("{}/{name}", workdir.trim_end_matches('/'));
                        read(&config).map(|text| js_path_aliases(&config, &text))
                    })
                    .unwrap_or_default();
                // package.json's `imports` (`#src/*`), Node's own.
                let manifest = format!("{}/package.json", workdir.trim_end_matches('/'));
                if let Some(text) = read(&manifest) {
                    aliases.extend(js_subpath_imports(&manifest, &text));
                }
                aliases
            }
            Language::Python => Vec::new(),
        };
        let Some((file, call)) =
            find_in_sources_aliased(&entry, language, roots, &aliases, &read, |code| {
                program_call(code, language)
            })
        else {
            return Ok(());
        };
        let who = if file == script {
            script.to_string()
        } else {
            format!("{file}, which {script} loads,")
        };
        Err(self
            .decline(
                DeclineCode::RunsPrograms,
                format!("{who} runs other programs (`{call}`), which the original image had and a distroless one does not (nor a shell)"),
            )
            .help("do the work in the application's language, or keep a full image"))
    }

    /// A file of the image that the build context provides: through a COPY of this stage
    /// ([`AppFinder::context_file`]), or else at the same place below the context's root
    /// as below the WORKDIR (`COPY . .` in a build stage whose folder this stage copies).
    pub(crate) fn image_file(&self, image_path: &str) -> Option<String> {
        self.context_file(image_path).or_else(|| {
            let workdir = self.state.workdir.as_deref().unwrap_or("/");
            let rel = image_path
                .strip_prefix(workdir.trim_end_matches('/'))?
                .strip_prefix('/')?;
            (self.context?)(rel)
        })
    }

    /// A file of the image that the build context provides ([`context_file_of`]).
    pub(crate) fn context_file(&self, image_path: &str) -> Option<String> {
        context_file_of(self.model, self.context?, self.stage, image_path, 1)
    }

    /// Artifacts that `COPY --from` brings into the final stage (or a stage it is built
    /// on), at the place they land, with the stage that made them.
    pub fn copied_artifacts(&self) -> Result<Vec<(Artifact<'t>, usize)>, Decline> {
        let (_, chain) = self.model.stages.root_base(self.stage);
        let mut found = Vec::new();
        for &index in chain.iter().rev() {
            let stage = &self.model.stages.stages[index];
            let states = self.model.states(index);
            for (i, copy) in stage.instructions.iter().enumerate() {
                if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) {
                    continue;
                }
                let escape = self.model.tree.escape;
                let Some(read) =
                    CopyArgs::read(copy, &states.before[i], escape, &self.model.stages, index)
                else {
                    continue;
                };
                let Some(source) = read.from_stage() else {
                    continue;
                };
                let from = copy
                    .flag("from")
                    .and_then(|f| f.value.as_deref())
                    .unwrap_or_default();
                let Some((dest, sources)) = read.operands() else {
                    continue;
                };
                let build = stage_build(self.model, source, self.context);
                let into_dir = dest.ends_with('/') || sources.len() > 1;
                let Some(dest_abs) = states.before[i].resolve_path(&dest) else {
                    continue;
                };
                for source_path in &sources {
                    let source_abs =
                        normalize_path(&format!("/{}", source_path.trim_start_matches('/')));
                    // Whole artifacts copied, or the folder that holds them.
                    for artifact in build.artifacts.iter().filter(|a| {
                        a.path == source_abs
                            || a.path
                                .starts_with(&format!("{}/", source_abs.trim_end_matches('/')))
                    }) {
                        let rest = &artifact.path[source_abs.trim_end_matches('/').len()..];
                        // A folder copied is its contents, `dest/` or not (`COPY --from=b
                        // /app/.venv .venv/` makes /app/.venv); a file goes into `dest/`.
                        let folder = !matches!(artifact.kind, ArtifactKind::Binary { .. });
                        let landed = if rest.is_empty() && into_dir && !folder {
                            format!(
                                "{}/{}",
                                dest_abs.trim_end_matches('/'),
                                file_name(&source_abs)
                            )
                        } else {
                            normalize_path(&format!("{}{rest}", dest_abs.trim_end_matches('/')))
                        };
                        let mut moved = artifact.clone();
                        moved.why = format!(
                            "{} (copied from {} by `COPY --from={from}`)",
                            artifact.why, artifact.path
                        );
                        moved.path = landed;
                        found.push((moved, source));
                    }
                }
            }
        }
        Ok(found)
    }
}

/// What the ecosystems' start code shares: application folders, and what native code
/// needs from the target (the libraries its build installed, the glibc it was built on).
impl<'t> AppFinder<'_, 't> {
    /// The files an application keeps in `/`, when the stage's COPY lines from the build
    /// context name each one (`COPY requirements.txt app.py /`); `None` when any COPY into
    /// `/` brings a folder, a glob, an archive or a value not known statically (`COPY . /`
    /// brings an unknown tree).
    pub(crate) fn files_in_root(&self) -> Option<Vec<String>> {
        let mut files = Vec::new();
        for (_, instruction, copy, state) in self.model.chain_copies(self.stage) {
            let dest = state.resolve_path(copy.dest.as_deref()?)?;
            if dest != "/" {
                continue;
            }
            if copy.from.is_some() || instruction.keyword == Keyword::Add {
                return None;
            }
            for source in &copy.sources {
                let source = source.as_deref()?;
                let name = source.rsplit('/').next().unwrap_or(source);
                let is_file = !source.ends_with('/')
                    && !source.contains(['*', '?', '['])
                    && name
                        .rsplit_once('.')
                        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty());
                if !is_file {
                    return None;
                }
                files.push(format!("/{name}"));
            }
        }
        (!files.is_empty()).then_some(files)
    }

    /// A dynamically linked program (or native addon) may load libraries the build
    /// installed; no distroless image has them.
    /// `interpreted`: Python packages or node_modules, which the final image's interpreter
    /// loads; a native program, by contrast, may link any library of the image it runs on
    /// (`debian:bookworm-slim` has liblzma, which `cc` lacks), so its final stage proves
    /// nothing.
    pub(crate) fn check_libraries(
        &self,
        stage: usize,
        what: &str,
        interpreted: bool,
    ) -> Result<(), Decline> {
        if self.libraries_from_image {
            return Ok(());
        }
        // A full image (`python:3.13`, `node:22`, `rust:1.85`) is built on buildpack-deps: a C compiler
        // and the development files of libpq, libmysqlclient, libxml2 and more. What pip or
        // node-gyp compiled there may link one of them, and when the original also ran on
        // such an image, nothing shows it did not. A slim build has no compiler (only
        // wheels and prebuilt addons, which carry their libraries); a slim final stage
        // proves the app runs without them (for interpreted code).
        let full = |s: usize| self.model.facts(s).is_some_and(|f| f.dev_libraries);
        // A program whose lockfile links nothing `cc` lacks took nothing from them (Rust's
        // Cargo.lock).
        let lock_clean = || {
            let runtime = self.model.facts(stage).and_then(|f| f.runtime.as_ref());
            !interpreted
                && runtime.is_some_and(|r| {
                    ECOSYSTEMS.iter().any(|e| {
                        e.name() == r.name
                            && self
                                .context
                                .is_some_and(|read| e.links_only_cc_libraries(read))
                    })
                })
        };
        if full(stage) && (full(self.stage) || !interpreted) && !lock_clean() {
            let image = self.model.root_image(stage).map_or_else(
                || "the build image".to_string(),
                |i| format!("`{}`", i.familiar()),
            );
            return Err(self
                .decline_at_from(
                    stage,
                    DeclineCode::ExtraLibraries,
                    if interpreted {
                        format!(
                            "{what} were installed on {image}, which has a C compiler and the development files of libpq, libmysqlclient, libxml2 and more: what was compiled there may load a library the distroless images do not have"
                        )
                    } else {
                        format!(
                            "`{what}` was built on {image}, which has the development files of libpq, liblzma, libxml2 and more: it may load one of those libraries, which the distroless images do not have (and its final stage may have them too)"
                        )
                    },
                )
                .help("install them on the -slim variant of the image (no compiler: only wheels and prebuilt addons, which carry their libraries), or run `dfslim rewrite --build` to read what they load"));
        }
        check_libraries(self.model, stage, self.context, what)
    }

    /// The Debian release a stage's native code was built against (glibc compatibility).
    pub(crate) fn debian_of(&self, stage: usize, native: bool) -> Result<Option<u32>, Decline> {
        if !native {
            return Ok(None);
        }
        let Some(facts) = self.model.facts(stage) else {
            return Err(self.decline_at_from(
                stage,
                DeclineCode::UnknownBase,
                "the build stage's image is not in the catalogue",
            ));
        };
        let Some(distro) = facts.distro.clone() else {
            return Err(self.decline_at_from(
                stage,
                DeclineCode::UnknownDistro,
                "the build image's distro is not known, so its glibc version cannot be compared with the target's",
            ));
        };
        let Some(version) = distro.version.as_deref() else {
            return Err(self
                .decline_at_from(
                    stage,
                    DeclineCode::UnknownDistro,
                    format!(
                        "the {} release of the build image is not known from its tag, so its glibc cannot be compared with the target's",
                        distro.name
                    ),
                )
                .help(self.release_help(stage)));
        };
        if distro.name == "ubuntu"
            && let Some(release) = ubuntu_as_debian(version)
        {
            return Ok(Some(release));
        }
        match distro.name.as_str() {
            "debian" => version.parse::<u32>().map(Some).map_err(|_| {
                self.decline_at_from(
                    stage,
                    DeclineCode::UnknownDistro,
                    format!("the build image's Debian release `{version}` is not a number"),
                )
            }),
            _ if facts.libc == Libc::Musl => Err(self.decline_at_from(
                stage,
                DeclineCode::Musl,
                format!(
                    "the build image is {} (musl); its native code does not run on glibc",
                    distro.name
                ),
            )),
            // The code's general help is about plain Debian tags; here the tag names the
            // release, and that release is the problem.
            name => Err(self
                .decline_at_from(
                    stage,
                    DeclineCode::UnknownDistro,
                    format!(
                        "native code built on {name} {version} may need a newer glibc than the target's"
                    ),
                )
                .help(
                    "build it on a release whose glibc is no newer than Debian 13's (2.41): Debian 12 or 13, or Ubuntu 25.04 or older",
                )),
        }
    }

    /// What to write instead of a tag that leaves the Debian release to the image's default:
    /// the same tag naming bookworm or trixie, and, for an official image, when its default
    /// moved from one to the other.
    fn release_help(&self, stage: usize) -> String {
        let catalogue = self.model.catalogue;
        let tags = self.model.root_image(stage).and_then(|image| {
            let old = retag::with_release(catalogue, image, "bookworm")?;
            let new = retag::with_release(catalogue, image, "trixie")?;
            Some((image, old.familiar(), new.familiar()))
        });
        match tags {
            // The catalogue's note on plain tags: docker-library made trixie the default of
            // every version it still builds when Debian 13 came out (2025-08).
            Some((image, old, new)) if image.registry == DOCKER_HUB && image.repository.starts_with("library/") => format!(
                "`{}` follows the image's default Debian release, which moves (for the versions Docker Official Images still build: bookworm, Debian 12, until August 2025; trixie, Debian 13, since): name the one the build used, `FROM {old}` or `FROM {new}`",
                image.familiar()
            ),
            Some((_, old, new)) => format!(
                "name the Debian release in the tag: `FROM {old}` (Debian 12) or `FROM {new}` (Debian 13)"
            ),
            None => "use a tag that names the Debian release, such as -bookworm (Debian 12) or -trixie (Debian 13)".to_string(),
        }
    }

    /// The first argument that is not an interpreter option.
    pub(crate) fn script_arg(argv: &[String], options_with_value: &[&str]) -> Option<usize> {
        let mut i = 1;
        while i < argv.len() {
            let arg = &argv[i];
            if options_with_value.contains(&arg.as_str()) {
                i += 2;
                continue;
            }
            if !arg.starts_with('-') {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    pub(crate) fn app_dir(&self, file: &str) -> Result<String, Decline> {
        let workdir = self.state.workdir.as_deref().unwrap_or("/").to_string();
        let dir = if workdir != "/" && covers(&workdir, file) {
            // `COPY . .` in /app, then `WORKDIR /app/server`: the app may read its
            // siblings (`path.join(__dirname, '../client/build')`), so the whole tree goes.
            self.copied_tree_above(&workdir).unwrap_or(workdir)
        } else {
            parent(file)
        };
        if dir == "/" {
            return Err(self
                .decline_at(
                    self.copy_bringing(file),
                    DeclineCode::AppInRoot,
                    "the application's files live in `/`, mixed with the image's own, so what to copy cannot be told",
                )
                .help("set a WORKDIR such as /app before copying the application"));
        }
        Ok(dir)
    }

    /// The widest folder above `workdir` that a COPY or ADD of this stage copied into
    /// (not a folder of the system's, such as `/usr` or `/opt`, which hold the image's
    /// own files).
    pub(crate) fn copied_tree_above(&self, workdir: &str) -> Option<String> {
        let stage = &self.model.stages.stages[self.stage];
        let states = self.model.states(self.stage);
        let escape = self.model.tree.escape;
        stage
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.keyword, Keyword::Copy | Keyword::Add))
            .filter_map(|(i, copy)| {
                let state = &states.before[i];
                let read = CopyArgs::read(copy, state, escape, &self.model.stages, self.stage)?;
                let (dest, _) = read.operands()?;
                state.resolve_path(&dest)
            })
            .filter(|dest| {
                dest.as_str() != workdir
                    && covers(dest, workdir)
                    && !SYSTEM_FOLDERS.contains(&dest.trim_end_matches('/'))
            })
            .min_by_key(String::len)
            .map(|dest| dest.trim_end_matches('/').to_string())
    }

    /// A stand-in artifact for an application folder that came from the build context.
    pub(crate) fn folder_artifact(&self, dir: &str, what: &str) -> Artifact<'t> {
        let stage = &self.model.stages.stages[self.stage];
        Artifact {
            path: dir.to_string(),
            kind: ArtifactKind::NodeApp,
            tool: "COPY",
            why: format!("{what} {dir}"),
            instruction: stage.from,
            uses: SourceUses::default(),
        }
    }
}

/// A dynamically linked program (or native addon) made in `stage` may load libraries the
/// build installed there; no distroless image has them.
pub fn check_libraries(
    model: &Model<'_>,
    stage: usize,
    context: Option<ContextReader<'_>>,
    what: &str,
) -> Result<(), Decline> {
    let build = stage_build(model, stage, context);
    if let Some(package) = build.runtime_library_packages().next() {
        return Err(Decline::new(
            DeclineCode::ExtraLibraries,
            format!(
                "`{what}` may load a library from `{}`, installed by the build; the distroless images do not have it",
                package.package
            ),
        )
        .at(package.instruction.keyword_word.span.cover(package.instruction.line_span))
        .help("link statically, or keep a final image that installs the runtime library"));
    }
    Ok(())
}

/// Where a decline about a stage's image points: the image of its FROM (the whole line when
/// it names none).
pub fn from_span(stage: &Stage<'_>) -> Span {
    stage.image_word.map_or(stage.from.line_span, |w| w.span)
}

/// The Debian release whose glibc is at least that of an Ubuntu release: Ubuntu up to
/// 25.04 ships a glibc no newer than Debian 13's (2.41). `None` for a later or unknown one.
pub fn ubuntu_as_debian(version: &str) -> Option<u32> {
    matches!(
        version,
        "18.04" | "20.04" | "22.04" | "24.04" | "24.10" | "25.04"
    )
    .then_some(13)
}

/// Whether `path` is `dir` or lies inside it.
/// Folders whose contents are the image's own, not an application's tree.
const SYSTEM_FOLDERS: &[&str] = &[
    "",
    "/usr",
    "/usr/local",
    "/usr/share",
    "/usr/lib",
    "/opt",
    "/srv",
    "/home",
    "/var",
    "/var/lib",
    "/var/www",
    "/etc",
    "/root",
    "/tmp",
    "/mnt",
    "/media",
];

pub fn covers(dir: &str, path: &str) -> bool {
    path == dir || path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

pub(crate) fn file_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// A COPY's destination and sources, with variables expanded (with the file's escape
/// character); `None` when one is unknown.
pub fn copy_operands(
    copy: &Instruction,
    state: &State,
    escape: char,
) -> Option<(String, Vec<String>)> {
    let words: Vec<String> = match &copy.args {
        Args::Words { words } => words.iter().map(|w| w.text.clone()).collect(),
        Args::Exec { elements, .. } => elements.iter().map(|w| w.text.clone()).collect(),
        _ => return None,
    };
    let (dest, sources) = words.split_last()?;
    let dest = state.expand(dest, escape)?;
    let sources = sources
        .iter()
        .map(|s| state.expand(s, escape))
        .collect::<Option<Vec<_>>>()?;
    Some((dest, sources))
}

/// The major version (`21.0.4` → `21`).
pub(crate) fn major(version: &str) -> String {
    version
        .split(['.', '-', '_'])
        .next()
        .unwrap_or(version)
        .to_string()
}

/// The source paths a `COPY` would have put at `path`, if it copies anything there.
pub fn copy_sources_for(
    copy: &Instruction,
    state: &State,
    escape: char,
    path: &str,
) -> Option<Vec<String>> {
    let words: Vec<String> = match &copy.args {
        Args::Words { words } => words.iter().map(|w| w.text.clone()).collect(),
        Args::Exec { elements, .. } => elements.iter().map(|w| w.text.clone()).collect(),
        _ => return None,
    };
    let (dest, sources) = words.split_last()?;
    let dest_abs = state.resolve_path(&state.expand(dest, escape)?)?;
    let into_dir = dest.ends_with('/') || sources.len() > 1;
    let mut found = Vec::new();
    for source in sources {
        let source = state.expand(source, escape)?;
        let source_abs = normalize_path(&format!("/{}", source.trim_start_matches('/')));
        let name = source_abs.rsplit('/').next().unwrap_or("");
        if path == dest_abs && !into_dir {
            found.push(source_abs.clone());
        }
        if let Some(rest) = path.strip_prefix(&format!("{}/", dest_abs.trim_end_matches('/'))) {
            // A pattern (`COPY package*.json ./`): the files it matches land in the
            // destination under their own names.
            if source_abs.contains(['*', '?', '[']) {
                let (folder, _) = source_abs.rsplit_once('/').unwrap_or(("", ""));
                let candidate = format!("{folder}/{rest}");
                if !rest.contains('/')
                    && crate::analysis::glob::path_matches(&source_abs, &candidate)
                {
                    found.push(candidate);
                }
                continue;
            }
            // A folder copied onto `dest`, or a file copied into it.
            found.push(format!("{}/{rest}", source_abs.trim_end_matches('/')));
            if rest == name {
                found.push(source_abs.clone());
            }
        }
    }
    (!found.is_empty()).then_some(found)
}

/// A file of stage `stage`'s image that the build context provides, read back through
/// the COPYs of the stage and of the stages it is built on, the latest first (the one
/// that wins), and across `COPY --from` of another stage's files, `hops` times: the
/// Fly.io Node template's final stage copies the build stage's `/app`, where `COPY . .`
/// put package.json. What a COPY from an image brings is not the context's.
fn context_file_of(
    model: &Model<'_>,
    read: ContextReader<'_>,
    stage: usize,
    image_path: &str,
    hops: usize,
) -> Option<String> {
    for (_, instruction, args, state) in model.chain_copies(stage).into_iter().rev() {
        let Some(sources) = copy_sources_for(instruction, state, model.tree.escape, image_path)
        else {
            continue;
        };
        let found = match &args.from {
            None => sources.iter().find_map(|s| read(s.trim_start_matches('/'))),
            Some(crate::analysis::stages::Base::Stage(index)) if hops > 0 => sources
                .iter()
                .find_map(|s| context_file_of(model, read, *index, s, hops - 1)),
            Some(_) => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Packages that let a musl image run glibc programs.
const GLIBC_COMPAT_PACKAGES: &[&str] = &["gcompat", "libc6-compat", "glibc", "glibc-bin"];

/// The libraries a build's Debian release gave the program.
impl AppFinder<'_, '_> {
    /// `release` (a program's build stage's Debian release), unless that release is 11 or
    /// older and the build may have linked OpenSSL: there it is `libssl.so.1.1`, which
    /// Debian 12 replaced by `libssl.so.3`, the only one the targets have. A full image
    /// (`rust:1.75-bullseye`) carries libssl-dev; a slim one may install it.
    fn old_openssl(&self, stage: usize, release: Option<u32>) -> Result<Option<u32>, Decline> {
        let Some(old) = release.filter(|r| *r <= 11) else {
            return Ok(release);
        };
        let full = self.model.facts(stage).is_some_and(|f| f.dev_libraries);
        let build = stage_build(self.model, stage, self.context);
        let installs = build
            .packages
            .iter()
            .any(|p| !p.known || p.package.contains("ssl"));
        if full || installs {
            return Err(self
                .decline_at_from(
                    stage,
                    DeclineCode::ExtraLibraries,
                    format!(
                        "the program was built on Debian {old}, where OpenSSL is libssl.so.1.1, and may link it; the Debian 13 targets have libssl.so.3 only"
                    ),
                )
                .help("build it on Debian 12 or later (bookworm, trixie)"));
        }
        Ok(release)
    }
}

/// Why a Go binary that the analysis of its build (in stage `built_in`, on a glibc image)
/// calls glibc-linked must in fact be static: the final stage (`stage`) runs it on a musl
/// image (Alpine) or one with no C library at all (busybox's uclibc variant, distroless
/// `static:debug`) that has no glibc loader, no glibc compatibility package, and no copied
/// libraries. A Go program whose packages use no cgo links statically even with cgo on;
/// one that did use it could not start there. `None` when that is not proven.
pub fn runtime_proves_static(
    model: &Model<'_>,
    stage: usize,
    built_in: usize,
    artifact: &Artifact<'_>,
) -> Option<String> {
    let go = matches!(artifact.tool, "go build" | "go install");
    if !go || !matches!(artifact.linkage(), Some(Linkage::Glibc | Linkage::GlibcGcc)) {
        return None;
    }
    // Built where glibc is known to be the C library: not on an unknown image, which may
    // be musl-based (and then the binary may be linked against musl).
    if model.facts(built_in).is_none_or(|f| f.libc != Libc::Glibc) {
        return None;
    }
    let facts = model.facts(stage)?;
    if !matches!(facts.libc, Libc::Musl | Libc::Absent) {
        return None;
    }
    let build = stage_build(model, stage, None);
    let compat = build
        .packages
        .iter()
        .any(|p| GLIBC_COMPAT_PACKAGES.contains(&p.package.as_str()));
    if compat || !build.opaque.is_empty() {
        return None;
    }
    if super::transfers(model, stage)
        .iter()
        .any(|t| t.may_provide_libraries())
    {
        return None;
    }
    let image = model.root_image(stage).map_or_else(
        || "the final image".to_string(),
        |i| format!("`{}`", i.familiar()),
    );
    Some(format!(
        "the original final stage runs it on {image} which has no glibc: it must be static"
    ))
}

/// The source of a compiled JavaScript file, by the usual layouts: an output folder
/// (`dist`, `build`, `out`, `lib`) in place of `src`, with the TypeScript or JavaScript
/// source's extension.
fn compiled_source(script: &str, read: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let stem = script
        .strip_suffix(".js")
        .or_else(|| script.strip_suffix(".cjs"))?;
    ["/dist/", "/build/", "/out/", "/lib/"]
        .iter()
        .find_map(|out| {
            let at = stem.find(out)?;
            let source = format!("{}/src/{}", &stem[..at], &stem[at + out.len()..]);
            ["ts", "mts", "js"]
                .iter()
                .map(|ext| format!("{source}.{ext}"))
                .find(|candidate| read(candidate).is_some())
        })
}
