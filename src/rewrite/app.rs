//! What the final stage runs, and what that needs: the application behind the command,
//! where its files come from, how it links or which runtime it needs, and what must be
//! copied into a slim image for it to run. Every "don't know" is a [`Decline`].

use crate::analysis::artifacts::ContextReader;
use crate::analysis::artifacts::{Artifact, ArtifactKind, Linkage, StageBuild, stage_build};
use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::env::{State, normalize_path};
use crate::analysis::model::Model;
use crate::analysis::stages::Base;
use crate::rewrite::command::{Interpreter, basename, interpreter, is_shell};
use crate::rewrite::plan::Decline;
use crate::syntax::{Args, Instruction, Keyword, Span};

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
    pub interpreter: Option<Interpreter>,
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
}

impl<'t> AppFinder<'_, 't> {
    fn decline(&self, code: &'static str, message: impl Into<String>) -> Decline {
        Decline::new(code, message).at(self.command_span)
    }

    pub fn find(&self, argv: &[String]) -> Result<App<'t>, Decline> {
        let Some(program) = argv.first() else {
            return Err(self.decline("no-command", "the final stage runs no command"));
        };
        if is_shell(program) {
            return Err(self
                .decline(
                    "shell-command",
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
                    "script-entrypoint",
                    format!("the command runs the shell script `{program}`, which needs a shell"),
                )
                .help("move what the script does into the build, then run the program directly"));
        }
        match interpreter(program) {
            Some(kind) => self.interpreted(kind, argv),
            None if matches!(basename(program), "npm" | "yarn" | "pnpm") => self.npm(argv),
            None => self.binary(program),
        }
    }

    /// The final stage's facts (its image is a full distro here).
    fn facts(&self) -> Result<ImageFacts, Decline> {
        self.model.facts(self.stage).ok_or_else(|| {
            self.decline(
                "unknown-base",
                "the final stage's image is not in the catalogue",
            )
        })
    }

    /// Resolve a program name through PATH and WORKDIR to an absolute path.
    fn resolve_program(&self, program: &str) -> Vec<String> {
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

    fn binary(&self, program: &str) -> Result<App<'t>, Decline> {
        let candidates = self.resolve_program(program);
        let Some((path, provenance)) = candidates
            .iter()
            .find_map(|p| self.provenance(p).map(|prov| (p.clone(), prov)))
        else {
            return Err(self
                .decline(
                    "unknown-artifact",
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
                return Err(self.decline(
                    "unknown-artifact",
                    format!("`{path}` is not a compiled program ({})", artifact.why),
                ));
            }
        };
        let needs = match linkage {
            Linkage::Static => Needs::Static,
            Linkage::Glibc => Needs::Glibc,
            Linkage::GlibcGcc => Needs::Cc,
            Linkage::Musl => {
                return Err(self
                    .decline(
                        "musl",
                        format!(
                            "`{path}` is dynamically linked against musl ({}); no distroless image has musl",
                            artifact.why
                        ),
                    )
                    .help("link it statically (CGO_ENABLED=0, -static, a *-musl Rust target) or build on a glibc image"));
            }
        };
        let source_stage = self.source_stage(&provenance);
        if linkage != Linkage::Static {
            self.check_libraries(source_stage, &path)?;
            for name in ["LD_LIBRARY_PATH", "LD_PRELOAD"] {
                if self.state.is_set(name) {
                    return Err(self.decline(
                        "extra-libraries",
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
                    return Err(self.decline(
                        "unknown-artifact",
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
            needs,
            copies: vec![copy],
            main: provenance,
            env: Vec::new(),
            built_on_debian: self.debian_of(source_stage, linkage != Linkage::Static)?,
            run_argv: None,
            program: Some(path),
        })
    }

    fn source_stage(&self, provenance: &Provenance<'t>) -> usize {
        match provenance {
            Provenance::Built(_) => self.stage,
            Provenance::Copied { stage, .. } => *stage,
        }
    }

    /// A dynamically linked program (or native addon) may load libraries the build
    /// installed; no distroless image has them.
    fn check_libraries(&self, stage: usize, what: &str) -> Result<(), Decline> {
        check_libraries(self.model, stage, self.context, what)
    }

    /// The Debian release a stage's native code was built against (glibc compatibility).
    fn debian_of(&self, stage: usize, native: bool) -> Result<Option<u32>, Decline> {
        if !native {
            return Ok(None);
        }
        let Some(facts) = self.model.facts(stage) else {
            return Err(self.decline(
                "unknown-base",
                "the build stage's image is not in the catalogue",
            ));
        };
        let Some(distro) = facts.distro else {
            return Err(self.decline(
                "unknown-distro",
                "the build image's distro is not known, so its glibc version cannot be compared with the target's",
            ));
        };
        let Some(version) = distro.version.as_deref() else {
            return Err(self
                .decline(
                    "unknown-distro",
                    format!(
                        "the {} release of the build image is not known from its tag, so its glibc cannot be compared with the target's",
                        distro.name
                    ),
                )
                .help("use a tag that names the release, such as -bookworm or -trixie"));
        };
        match distro.name.as_str() {
            "debian" => version.parse::<u32>().map(Some).map_err(|_| {
                self.decline(
                    "unknown-distro",
                    format!("the build image's Debian release `{version}` is not a number"),
                )
            }),
            // Ubuntu up to 25.04 ships a glibc no newer than Debian 13's (2.41).
            "ubuntu"
                if matches!(
                    version,
                    "18.04" | "20.04" | "22.04" | "24.04" | "24.10" | "25.04"
                ) =>
            {
                Ok(Some(13))
            }
            _ if facts.libc == Libc::Musl => Err(self.decline(
                "musl",
                format!(
                    "the build image is {} (musl); its native code does not run on glibc",
                    distro.name
                ),
            )),
            name => Err(self.decline(
                "unknown-distro",
                format!(
                    "native code built on {name} {version} may need a newer glibc than the target's"
                ),
            )),
        }
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
            let Some(from) = instruction.flag("from").and_then(|f| f.value.as_deref()) else {
                continue;
            };
            let Base::Stage(source_stage) = self.model.stages.resolve_from_flag(from, self.stage)
            else {
                continue;
            };
            let Some(sources) = copy_sources_for(instruction, &states.before[i], path) else {
                continue;
            };
            let build = stage_build(self.model, source_stage, self.context);
            if let Some(artifact) = sources.iter().find_map(|s| build.artifact_at(s)) {
                return Some(Provenance::Copied {
                    stage: source_stage,
                    copy: instruction,
                    artifact: artifact.clone(),
                });
            }
        }
        let build: StageBuild<'t> = stage_build(self.model, self.stage, self.context);
        build.artifact_at(path).cloned().map(Provenance::Built)
    }

    fn interpreted(&self, kind: Interpreter, argv: &[String]) -> Result<App<'t>, Decline> {
        let facts = self.facts()?;
        let runtime = facts.runtime.clone();
        let version = runtime.as_ref().and_then(|r| r.version.clone());
        match kind {
            Interpreter::Node => self.node(argv, &facts, version),
            Interpreter::Python => self.python(argv, &facts, version),
            Interpreter::Java => self.java(argv, version),
            Interpreter::Dotnet => self.dotnet(argv, &facts, version),
        }
    }

    /// The first argument that is not an interpreter option.
    fn script_arg(argv: &[String], options_with_value: &[&str]) -> Option<usize> {
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

    fn app_dir(&self, file: &str) -> Result<String, Decline> {
        let workdir = self.state.workdir.as_deref().unwrap_or("/").to_string();
        let dir = if workdir != "/" && covers(&workdir, file) {
            workdir
        } else {
            parent(file)
        };
        if dir == "/" {
            return Err(self
                .decline(
                    "app-in-root",
                    "the application's files live in `/`, mixed with the image's own, so what to copy cannot be told",
                )
                .help("set a WORKDIR such as /app before copying the application"));
        }
        Ok(dir)
    }

    fn node(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let Some(script_index) =
            Self::script_arg(argv, &["-r", "--require", "--import", "--loader"])
        else {
            return Err(self.decline("no-app-command", "the command starts `node` with no script: an interactive interpreter, not an application"));
        };
        let Some(version) = version else {
            return Err(self
                .decline(
                    "unknown-version",
                    "the Node version of the image is not known from its tag",
                )
                .help("use a versioned tag such as node:22-bookworm-slim"));
        };
        let script = self
            .state
            .resolve_path(&argv[script_index])
            .ok_or_else(|| {
                self.decline(
                    "unknown-variable",
                    "the WORKDIR depends on a value not known statically",
                )
            })?;
        if self.state.is_set("NODE_PATH") {
            return Err(self.decline(
                "node-path",
                "NODE_PATH makes node load modules from folders outside the application's, which the new image would not have",
            ));
        }
        let main = self.provenance(&script);
        let mut dir = match &main {
            Some(p) if p.artifact().kind == ArtifactKind::NodeApp => p.artifact().path.clone(),
            _ => self.app_dir(&script)?,
        };
        let build = stage_build(self.model, self.stage, self.context);
        // node looks for node_modules in the script's folder and every folder above it: an
        // install in a folder above the application's goes too.
        for artifact in &build.artifacts {
            if artifact.kind == ArtifactKind::NodeApp && covers(&artifact.path, &dir) {
                dir = artifact.path.clone();
            }
        }
        if dir == "/" {
            return Err(self
                .decline(
                    "app-in-root",
                    "the application's node_modules are installed in `/`, mixed with the image's own files, so what to copy cannot be told",
                )
                .help("set a WORKDIR such as /app before installing the dependencies"));
        }
        let installs = build
            .artifacts
            .iter()
            .any(|a| a.kind == ArtifactKind::NodeApp);
        if installs && facts.libc == Libc::Musl {
            return Err(self.decline("musl", "node_modules were installed on a musl (Alpine) image and may hold native addons that do not load on glibc").help("install the dependencies on a Debian-based node image"));
        }
        if installs {
            self.check_libraries(self.stage, "node_modules")?;
        }
        let main = main.unwrap_or_else(|| {
            Provenance::Built(self.folder_artifact(&dir, "the Node application folder"))
        });
        Ok(App {
            interpreter: Some(Interpreter::Node),
            needs: Needs::Runtime {
                name: "node".into(),
                version,
            },
            copies: vec![(
                dir.clone(),
                format!(
                    "the Node application in {dir}{}",
                    if installs {
                        " with its node_modules"
                    } else {
                        ""
                    }
                ),
            )],
            main,
            env: Vec::new(),
            built_on_debian: self.debian_of(self.stage, installs)?,
            run_argv: None,
            program: None,
        })
    }

    /// A stand-in artifact for an application folder that came from the build context.
    fn folder_artifact(&self, dir: &str, what: &str) -> Artifact<'t> {
        let stage = &self.model.stages.stages[self.stage];
        Artifact {
            path: dir.to_string(),
            kind: ArtifactKind::NodeApp,
            tool: "COPY",
            why: format!("{what} {dir}"),
            instruction: stage.from,
        }
    }

    fn npm(&self, argv: &[String]) -> Result<App<'t>, Decline> {
        let sub: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        let is_start = matches!(
            sub.as_slice(),
            ["start"] | ["run", "start"] | ["run-script", "start"]
        );
        if !is_start {
            return Err(self
                .decline(
                    "npm-script",
                    format!(
                        "the command runs `{}`, a package-manager script",
                        argv.join(" ")
                    ),
                )
                .help(
                    "run the application with node directly, e.g. CMD [\"node\", \"server.js\"]",
                ));
        }
        let workdir = self.state.workdir.as_deref().unwrap_or("/").to_string();
        let package = self.context_file(&format!("{}/package.json", workdir.trim_end_matches('/')));
        let Some(package) = package else {
            return Err(self.decline("npm-script", "`npm start` runs the `start` script of package.json, which cannot be read without the build context").help("pass --context DIR, or use CMD [\"node\", \"…\"]"));
        };
        let start = serde_json::from_str::<serde_json::Value>(&package)
            .ok()
            .and_then(|v| v.get("scripts")?.get("start")?.as_str().map(str::to_string))
            .unwrap_or_else(|| "node server.js".to_string());
        let converted =
            crate::rewrite::command::shell_to_argv(&start, self.state).map_err(|why| {
                self.decline(
                    "npm-script",
                    format!(
                        "package.json's start script `{start}` cannot run without a shell: {why}"
                    ),
                )
            })?;
        if converted.argv.first().map(|p| basename(p)) != Some("node") {
            return Err(self.decline(
                "npm-script",
                format!("package.json's start script `{start}` does not run node directly"),
            ));
        }
        let mut app = self.find(&converted.argv)?;
        app.run_argv = Some(converted.argv);
        Ok(app)
    }

    fn context_file(&self, image_path: &str) -> Option<String> {
        let read = self.context?;
        let stage = &self.model.stages.stages[self.stage];
        let states = self.model.states(self.stage);
        for (i, instruction) in stage.instructions.iter().enumerate() {
            if instruction.keyword != Keyword::Copy || instruction.flag("from").is_some() {
                continue;
            }
            if let Some(sources) = copy_sources_for(instruction, &states.before[i], image_path) {
                for source in sources {
                    let rel = source.trim_start_matches('/');
                    if let Some(text) = read(rel) {
                        return Some(text);
                    }
                }
            }
        }
        None
    }

    fn python(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let module = argv
            .iter()
            .position(|a| a == "-m")
            .and_then(|i| argv.get(i + 1));
        let script = Self::script_arg(argv, &["-m", "-W", "-X", "-c"]);
        if argv.iter().any(|a| a == "-c") {
            return Err(self.decline(
                "shell-command",
                "the command runs inline Python code (`-c`)",
            ));
        }
        if module.is_none() && script.is_none() {
            return Err(self.decline("no-app-command", "the command starts Python with no program: an interactive interpreter, not an application"));
        }
        let Some(version) = version else {
            return Err(self.decline(
                "unknown-version",
                "the Python version of the image is not known from its tag",
            ));
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline(
                "musl",
                "Python packages installed on a musl (Alpine) image do not load on glibc",
            ));
        }
        let workdir = self.state.workdir.as_deref().unwrap_or("/").to_string();
        let file = match (script, module) {
            (Some(i), None) => self.state.resolve_path(&argv[i]).unwrap_or_default(),
            _ => format!("{}/", workdir.trim_end_matches('/')),
        };
        let dir = self.app_dir(&file)?;
        let build = stage_build(self.model, self.stage, self.context);
        if let Some((instruction, written)) = build.unknown_python_installs.first() {
            return Err(Decline::new(
                "python-install",
                format!("`{written}` installs Python packages where dfslim cannot tell (or through a .pth file, which PYTHONPATH does not read), so the new image might lack them"),
            )
            .at(instruction.line_span)
            .help("install with `pip install` into a venv (python -m venv /opt/venv) or with --target DIR"));
        }
        if let Some(run) = build.opaque.first() {
            return Err(Decline::new(
                "opaque-run",
                "a RUN of the final stage cannot be read, so what it installs is unknown",
            )
            .at(run.line_span));
        }
        let mut copies = vec![(dir.clone(), format!("the Python application in {dir}"))];
        let mut paths = Vec::new();
        let mut native = false;
        let found = build
            .artifacts
            .iter()
            .map(|a| (a.clone(), self.stage))
            .chain(self.copied_artifacts()?);
        for (artifact, stage) in found {
            let site = match artifact.kind {
                ArtifactKind::Venv => {
                    format!("{}/lib/python{version}/site-packages", artifact.path)
                }
                ArtifactKind::PythonPackages => artifact.path.clone(),
                _ => continue,
            };
            if stage != self.stage {
                // A venv or package folder made in another stage must be for this Python.
                let theirs = self
                    .model
                    .facts(stage)
                    .and_then(|f| f.runtime)
                    .filter(|r| r.name == "python")
                    .and_then(|r| r.version);
                if theirs.as_deref() != Some(version.as_str()) {
                    return Err(self.decline(
                        "python-version",
                        format!(
                            "{} was made by a stage whose Python is not known to be {version}, the version that runs it",
                            artifact.path
                        ),
                    ));
                }
                self.check_libraries(stage, "the Python packages")?;
                self.debian_of(stage, true)?;
            }
            native = true;
            if !copies.iter().any(|(c, _)| covers(c, &artifact.path)) {
                copies.push((artifact.path.clone(), artifact.why.clone()));
            }
            if !paths.contains(&site) {
                paths.push(site);
            }
        }
        if !paths.is_empty() {
            self.check_libraries(self.stage, "the Python packages")?;
        }
        // A PYTHONPATH the image already sets keeps its entries, after the packages.
        if let Some(existing) = self.state.value("PYTHONPATH").filter(|p| !p.is_empty()) {
            for entry in existing.split(':') {
                if !paths.iter().any(|p| p == entry) {
                    paths.push(entry.to_string());
                }
            }
        }
        let env = if paths.is_empty() {
            Vec::new()
        } else {
            vec![("PYTHONPATH".to_string(), paths.join(":"))]
        };
        Ok(App {
            interpreter: Some(Interpreter::Python),
            needs: Needs::Runtime {
                name: "python".into(),
                version,
            },
            main: Provenance::Built(self.folder_artifact(&dir, "the Python application folder")),
            copies,
            env,
            built_on_debian: self.debian_of(self.stage, native)?,
            run_argv: None,
            program: None,
        })
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
                let Some(from) = copy.flag("from").and_then(|f| f.value.as_deref()) else {
                    continue;
                };
                let Base::Stage(source) = self.model.stages.resolve_from_flag(from, index) else {
                    continue;
                };
                let Some((dest, sources)) = copy_operands(copy, &states.before[i]) else {
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
                        let landed = if rest.is_empty() && into_dir {
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

    fn java(&self, argv: &[String], version: Option<String>) -> Result<App<'t>, Decline> {
        let Some(jar_flag) = argv.iter().position(|a| a == "-jar") else {
            return Err(self
                .decline(
                    "java-classpath",
                    "the command runs java without -jar, so the classpath it needs cannot be told",
                )
                .help("package the application as an executable jar and run it with java -jar"));
        };
        let Some(jar) = argv.get(jar_flag + 1) else {
            return Err(self.decline("no-app-command", "`java -jar` names no jar"));
        };
        let Some(version) = version else {
            return Err(self.decline(
                "unknown-version",
                "the Java version of the image is not known from its tag",
            ));
        };
        let path = self.state.resolve_path(jar).ok_or_else(|| {
            self.decline(
                "unknown-variable",
                "the WORKDIR depends on a value not known statically",
            )
        })?;
        let main = self.provenance(&path).unwrap_or_else(|| {
            Provenance::Built(Artifact {
                path: path.clone(),
                kind: ArtifactKind::JarDir,
                tool: "COPY",
                why: format!("the jar {path}"),
                instruction: self.model.stages.stages[self.stage].from,
            })
        });
        // A jar built here goes with the folder it was built in: a manifest Class-Path may
        // name jars beside it (`target/lib`, `target/dependency`).
        let copy = match &main {
            Provenance::Built(a) if a.kind == ArtifactKind::JarDir && a.path != path => (
                a.path.clone(),
                format!("the folder of the jar the command runs ({})", a.why),
            ),
            _ => (
                path,
                format!("the jar the command runs ({})", main.artifact().why),
            ),
        };
        Ok(App {
            interpreter: Some(Interpreter::Java),
            needs: Needs::Runtime {
                name: "java".into(),
                version: major(&version),
            },
            main,
            copies: vec![copy],
            env: Vec::new(),
            built_on_debian: None,
            run_argv: None,
            program: None,
        })
    }

    fn dotnet(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let Some(dll) = argv.get(1).filter(|a| a.ends_with(".dll")) else {
            return Err(self.decline(
                "no-app-command",
                "the command does not run an application dll with dotnet",
            ));
        };
        let Some(version) = version else {
            return Err(self.decline(
                "unknown-version",
                "the .NET version of the image is not known from its tag",
            ));
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline(
                "musl",
                "the .NET application was published on a musl (Alpine) image",
            ));
        }
        let path = self.state.resolve_path(dll).unwrap_or_default();
        let Some(main) = self.provenance(&path) else {
            return Err(self.decline(
                "unknown-artifact",
                format!("no `dotnet publish -o` of this Dockerfile is known to produce `{dll}`"),
            ));
        };
        let dir = main.artifact().path.clone();
        let why = main.artifact().why.clone();
        Ok(App {
            interpreter: Some(Interpreter::Dotnet),
            needs: Needs::Runtime {
                name: "aspnetcore".into(),
                version,
            },
            main,
            copies: vec![(dir, why)],
            env: Vec::new(),
            built_on_debian: None,
            run_argv: None,
            program: None,
        })
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
            "extra-libraries",
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

/// Whether `path` is `dir` or lies inside it.
pub fn covers(dir: &str, path: &str) -> bool {
    path == dir || path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

fn file_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// A COPY's destination and sources, with variables expanded; `None` when one is unknown.
pub fn copy_operands(copy: &Instruction, state: &State) -> Option<(String, Vec<String>)> {
    let words: Vec<String> = match &copy.args {
        Args::Words { words } => words.iter().map(|w| w.text.clone()).collect(),
        Args::Exec { elements, .. } => elements.iter().map(|w| w.text.clone()).collect(),
        _ => return None,
    };
    let (dest, sources) = words.split_last()?;
    let dest = state.expand(dest, '\\')?;
    let sources = sources
        .iter()
        .map(|s| state.expand(s, '\\'))
        .collect::<Option<Vec<_>>>()?;
    Some((dest, sources))
}

/// The major version (`21.0.4` → `21`).
fn major(version: &str) -> String {
    version
        .split(['.', '-', '_'])
        .next()
        .unwrap_or(version)
        .to_string()
}

fn parent(path: &str) -> String {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

/// The source paths a `COPY` would have put at `path`, if it copies anything there.
pub fn copy_sources_for(copy: &Instruction, state: &State, path: &str) -> Option<Vec<String>> {
    let words: Vec<String> = match &copy.args {
        Args::Words { words } => words.iter().map(|w| w.text.clone()).collect(),
        Args::Exec { elements, .. } => elements.iter().map(|w| w.text.clone()).collect(),
        _ => return None,
    };
    let (dest, sources) = words.split_last()?;
    let dest_abs = state.resolve_path(&state.expand(dest, '\\')?)?;
    let into_dir = dest.ends_with('/') || sources.len() > 1;
    let mut found = Vec::new();
    for source in sources {
        let source = state.expand(source, '\\')?;
        let source_abs = normalize_path(&format!("/{}", source.trim_start_matches('/')));
        let name = source_abs.rsplit('/').next().unwrap_or("");
        if path == dest_abs && !into_dir {
            found.push(source_abs.clone());
        }
        if let Some(rest) = path.strip_prefix(&format!("{}/", dest_abs.trim_end_matches('/'))) {
            // A folder copied onto `dest`, or a file copied into it.
            found.push(format!("{}/{rest}", source_abs.trim_end_matches('/')));
            if rest == name {
                found.push(source_abs.clone());
            }
        }
    }
    (!found.is_empty()).then_some(found)
}
