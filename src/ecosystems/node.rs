//! Node.js: `npm`, `yarn` and `pnpm` installs, which make an application folder with its
//! `node_modules`.

use crate::analysis::shell::ShellCommand;
use crate::analysis::stages::Base;
use crate::syntax::Keyword;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::RunReader;
use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::{basename, shell_to_argv};

use super::sources::{Language, find_in_sources};
use super::start::{App, AppFinder, Provenance, covers};
use super::{Decline, DeclineCode, stage_build};

/// Node.js.
#[derive(Debug)]
pub struct Node;

impl Ecosystem for Node {
    fn name(&self) -> &'static str {
        "node"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            "npm" | "yarn" | "pnpm" => reader.node(command, program, args),
            _ => return false,
        }
        true
    }

    fn is_interpreter(&self, name: &str) -> bool {
        matches!(name, "node" | "nodejs")
    }

    fn start<'t>(
        &self,
        finder: &AppFinder<'_, 't>,
        argv: &[String],
    ) -> Option<Result<App<'t>, Decline>> {
        let program = basename(argv.first()?);
        if self.is_interpreter(program) {
            return Some(
                finder
                    .image_runtime()
                    .and_then(|(facts, version)| finder.node(argv, &facts, version)),
            );
        }
        matches!(program, "npm" | "yarn" | "pnpm").then(|| finder.npm(argv))
    }

    fn image_runs_script(&self, runtime: &str, first: &str) -> Option<&'static str> {
        // node's entrypoint runs a file argument with node.
        (runtime == "node" && [".js", ".mjs", ".cjs"].iter().any(|s| first.ends_with(s)))
            .then_some("node")
    }
}

impl<'t> RunReader<'_, 't> {
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
}

impl AppFinder<'_, '_> {
    /// pnpm links `node_modules` into its virtual store, `node_modules/.pnpm` by default; a
    /// `virtual-store-dir` (or `modules-dir`) outside the project, set in `.npmrc` or
    /// `pnpm-workspace.yaml`, puts the packages where a copy of the application folder
    /// does not reach, and its links would dangle.
    fn check_pnpm_store(&self, script: &str) -> Result<(), Decline> {
        let dir = super::start::parent(script);
        let dir = dir.trim_end_matches('/');
        let settings = [".npmrc", "pnpm-workspace.yaml"]
            .iter()
            .filter_map(|name| Some((*name, self.image_file(&format!("{dir}/{name}"))?)));
        for (name, text) in settings {
            for line in text.lines() {
                let line = line.split('#').next().unwrap_or("").trim();
                let Some((key, value)) = line.split_once(['=', ':']) else {
                    continue;
                };
                let key = key.trim();
                let value = value.trim().trim_matches(['"', '\'']);
                let outside = value.starts_with('/')
                    || value.starts_with("~")
                    || value.split('/').any(|p| p == "..");
                if matches!(
                    key,
                    "virtual-store-dir" | "virtualStoreDir" | "modules-dir" | "modulesDir"
                ) && outside
                {
                    return Err(self
                        .decline(
                            DeclineCode::UncopiedFiles,
                            format!("{name} puts pnpm's packages in {value} (`{key}`), outside the application folder the new image copies: its node_modules links would dangle"),
                        )
                        .help("keep pnpm's default virtual store (node_modules/.pnpm), or copy that folder too in a final stage of your own"));
                }
            }
        }
        Ok(())
    }

    /// Yarn's Plug'n'Play (`node -r ./.pnp.cjs`, or through NODE_OPTIONS) loads packages
    /// from where `.pnp.cjs` says: with Yarn 4's default global cache, zips under the
    /// installing user's `$HOME/.yarn/berry/cache`, which the new image has not (and its
    /// user could not enter `/root`). Only a `.yarnrc.yml` that turns the global cache off
    /// keeps them in the project's `.yarn/cache`.
    fn check_plug_n_play(&self, argv: &[String], script: &str) -> Result<(), Decline> {
        let options = self.state.value("NODE_OPTIONS").unwrap_or_default();
        let pnp = argv
            .iter()
            .map(String::as_str)
            .chain(options.split_whitespace())
            .any(|a| a.contains(".pnp.cjs") || a.contains(".pnp.js"));
        if !pnp {
            return Ok(());
        }
        let dir = super::start::parent(script);
        let dir = dir.trim_end_matches('/');
        let rc = self
            .context_file(&format!("{dir}/.yarnrc.yml"))
            .unwrap_or_default();
        let manifest = self
            .context_file(&format!("{dir}/package.json"))
            .unwrap_or_default();
        // Yarn 2 and 3 kept the cache in the project by default.
        let before_4 = ["yarn@2.", "yarn@3.", "yarn-2.", "yarn-3."]
            .iter()
            .any(|v| manifest.contains(v) || rc.contains(v));
        let local_cache = before_4
            || rc.lines().any(|l| {
                let l = l.split('#').next().unwrap_or("").replace(' ', "");
                l == "enableGlobalCache:false"
            });
        if local_cache {
            return Ok(());
        }
        Err(self
            .decline(
                DeclineCode::UncopiedFiles,
                "the application loads its packages through Yarn's Plug'n'Play, whose global cache (Yarn 4's default) keeps them under the installing user's $HOME/.yarn/berry/cache, which the new image would not have",
            )
            .help("set `enableGlobalCache: false` in .yarnrc.yml (the packages then live in .yarn/cache), or `nodeLinker: node-modules`"))
    }
}

impl<'t> AppFinder<'_, 't> {
    pub(crate) fn node(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let Some(script_index) =
            Self::script_arg(argv, &["-r", "--require", "--import", "--loader"])
        else {
            return Err(self.decline(DeclineCode::NoAppCommand, "the command starts `node` with no script: an interactive interpreter, not an application"));
        };
        let Some(version) = version else {
            return Err(self
                .decline_at_from(
                    self.stage,
                    DeclineCode::UnknownVersion,
                    "the Node version of the image is not known from its tag",
                )
                .help("use a versioned tag such as node:22-bookworm-slim"));
        };
        let script = self
            .state
            .resolve_path(&argv[script_index])
            .ok_or_else(|| {
                self.decline_at(
                    self.workdir_instruction(),
                    DeclineCode::UnknownVariable,
                    "the WORKDIR depends on a value not known statically",
                )
            })?;
        // `child_process.exec` always runs `/bin/sh -c`; spawn and execFile run programs
        // by name, and a distroless image has neither a shell nor the distro's programs
        // (nor `node` on its PATH).
        self.check_runs_programs(&script, Language::JavaScript, &[])?;
        self.check_plug_n_play(argv, &script)?;
        self.check_pnpm_store(&script)?;
        if self.state.is_set("NODE_PATH") {
            return Err(self.decline_at(
                self.env_setting("NODE_PATH"),
                DeclineCode::NodePath,
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
        // The tree this stage copied in above it (`COPY . .` in /app, the install in
        // /app/server): its siblings may be read (`../client/build`).
        if let Some(tree) = self.copied_tree_above(&dir) {
            dir = tree;
        }
        if dir == "/" {
            // The install that put node_modules in `/` is the cause.
            let install = build
                .artifacts
                .iter()
                .find(|a| a.kind == ArtifactKind::NodeApp && a.path == "/")
                .map(|a| a.instruction);
            return Err(self
                .decline_at(
                    install,
                    DeclineCode::AppInRoot,
                    "the application's node_modules are installed in `/`, mixed with the image's own files, so what to copy cannot be told",
                )
                .help("set a WORKDIR such as /app before installing the dependencies"));
        }
        // A folder no line of the build makes (the app mounted at run time): the new
        // stage's COPY of it would fail the build.
        if main.is_none() {
            self.check_brought(
                &dir,
                &format!("the application's folder {dir}"),
                "copy the application in with a COPY",
            )?;
        }
        let installs = build
            .artifacts
            .iter()
            .any(|a| a.kind == ArtifactKind::NodeApp);
        // node_modules installed on Alpine run on glibc when the lockfile shows that no
        // package builds or ships native code; otherwise they may hold musl addons.
        // So may node_modules that another stage installed (`FROM base AS deps`, then
        // `COPY --from=builder /app/.next/standalone ./` on the same Alpine image).
        let copied_in = self.model.stages.stages[self.stage]
            .instructions
            .iter()
            .any(|i| {
                i.keyword == Keyword::Copy && i.line_span.slice(self.model.src).contains("--from")
            })
            || self.context_node_modules();
        let musl_install = (installs || copied_in) && facts.libc == Libc::Musl;
        if musl_install && let Err(why) = self.pure_javascript(&dir) {
            return Err(self
                .decline_at_from(
                    self.stage,
                    DeclineCode::Musl,
                    format!("node_modules were installed on a musl (Alpine) image and may hold native addons that do not load on glibc: {why}"),
                )
                .help("install the dependencies on a Debian-based node image"));
        }
        if installs {
            // A lockfile whose packages build and ship no native code leaves nothing
            // compiled against the full image's libraries; what the build installs with
            // the package manager still counts.
            if self.pure_javascript(&dir).is_ok() {
                super::start::check_libraries(
                    self.model,
                    self.stage,
                    self.context,
                    "node_modules",
                )?;
            } else {
                self.check_libraries(self.stage, "node_modules", true)?;
            }
        }
        if let Some(package) =
            self.context_file(&format!("{}/package.json", dir.trim_end_matches('/')))
            && let Some(name) = browser_dependency(&package)
        {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::ExtraLibraries,
                format!("the application depends on `{name}`, which runs Chrome: Chrome needs libraries (nss, gtk, fonts) that no distroless image has, and `{name}`'s install downloaded it into the installing user's ~/.cache, outside the application's folder"),
            ).help("keep a full image for browser automation"));
        }
        // node_modules another stage installed: what node-gyp compiled there (on a full
        // image, against libpq-dev and friends) may load a library the target lacks, and
        // needs the glibc of that stage's Debian release.
        let mut copied_debian = None;
        for copy in self.model.stages.stages[self.stage].instructions_of(Keyword::Copy) {
            let Some(from) = copy.flag("from").and_then(|f| f.value.as_deref()) else {
                continue;
            };
            if let Base::Stage(source) = self.model.stages.resolve_from_flag(from, self.stage) {
                let (_, chain) = self.model.stages.root_base(source);
                let builds = chain.iter().any(|&s| {
                    stage_build(self.model, s, self.context)
                        .artifacts
                        .iter()
                        .any(|a| a.kind == ArtifactKind::NodeApp)
                });
                if builds {
                    self.check_libraries(source, "node_modules", true)?;
                    // Only a glibc build has a Debian release to compare (a musl one is
                    // declined on its own), and only one its tag says.
                    if self
                        .model
                        .facts(source)
                        .is_some_and(|f| f.libc == Libc::Glibc)
                    {
                        copied_debian =
                            copied_debian.max(self.debian_of(source, true).ok().flatten());
                    }
                }
            }
        }
        // Pure JavaScript from Alpine needs no particular glibc.
        let installs = installs && !musl_install;
        let main = main.unwrap_or_else(|| {
            Provenance::Built(self.folder_artifact(&dir, "the Node application folder"))
        });
        Ok(App {
            interpreter: Some(&Node as &dyn Ecosystem),
            launches: None,
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
            built_on_debian: self.debian_of(self.stage, installs)?.max(copied_debian),
            run_argv: None,
            run_expanded: Vec::new(),
            program: None,
        })
    }
}

/// `npm start`, `yarn start`, `pnpm run …`: the script package.json names, run as node
/// would run it.
impl<'t> AppFinder<'_, 't> {
    pub(crate) fn npm(&self, argv: &[String]) -> Result<App<'t>, Decline> {
        let sub: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        // The script the command runs: `start`, or one named with `run` (`npm run
        // start:prod`, `yarn run serve`, `pnpm run start`).
        let name = match sub.as_slice() {
            ["start"] => Some("start"),
            ["run" | "run-script", name] if !name.starts_with('-') => Some(*name),
            _ => None,
        };
        let Some(name) = name else {
            return Err(self
                .decline(
                    DeclineCode::NpmScript,
                    format!(
                        "the command runs `{}`, a package-manager script",
                        argv.join(" ")
                    ),
                )
                .help(
                    "run the application with node directly, e.g. CMD [\"node\", \"server.js\"]",
                ));
        };
        let workdir = self.state.workdir.clone().unwrap_or_else(|| "/".into());
        let package = self.context_file(&format!("{}/package.json", workdir.trim_end_matches('/')));
        let Some(package) = package else {
            let run = format!(
                "`{}` runs the `{name}` script of package.json",
                argv.join(" ")
            );
            return Err(match self.context {
                None => self.decline(DeclineCode::NpmScript, format!("{run}, which cannot be read without the build context")).help("pass --context DIR, or use CMD [\"node\", \"…\"]"),
                Some(_) => self.decline(DeclineCode::NpmScript, format!("{run}, and no COPY from the build context puts a package.json at {workdir}")).help("use CMD [\"node\", \"…\"]"),
            });
        };
        let scripts = serde_json::from_str::<serde_json::Value>(&package)
            .ok()
            .and_then(|v| v.get("scripts").cloned());
        let script = |name: &str| {
            scripts
                .as_ref()
                .and_then(|s| s.get(name)?.as_str().map(str::to_string))
        };
        // npm runs `prestart` before and `poststart` after (migrations, a build), and so
        // `pre<name>` and `post<name>` around any script, which a direct node command would
        // skip.
        for hook in [format!("pre{name}"), format!("post{name}")] {
            if let Some(body) = script(&hook) {
                return Err(self.decline(
                    DeclineCode::NpmScript,
                    format!("`{}` also runs package.json's `{hook}` script (`{body}`), which running node directly would skip", argv.join(" ")),
                ).help("run what the hook does in the build, or start the image with node and that step yourself"));
            }
        }
        // Yarn 2 and later run a script with Plug'n'Play loaded (`-r .pnp.cjs` in
        // NODE_OPTIONS) unless `.yarnrc.yml` links a node_modules: node started directly
        // would find no package.
        if basename(&argv[0]) == "yarn"
            && let Some(rc) =
                self.context_file(&format!("{}/.yarnrc.yml", workdir.trim_end_matches('/')))
            && !rc.lines().any(|l| {
                let l = l
                    .split('#')
                    .next()
                    .unwrap_or("")
                    .replace([' ', '"', '\''], "");
                l == "nodeLinker:node-modules" || l == "nodeLinker:pnpm"
            })
        {
            return Err(self.decline(
                DeclineCode::NpmScript,
                format!("`{}` runs the script with Yarn's Plug'n'Play loaded (.yarnrc.yml sets no node_modules linker), which running node directly would not", argv.join(" ")),
            ).help("run node with `-r ./.pnp.cjs` yourself, or set `nodeLinker: node-modules`"));
        }
        // npm's `node-options` set elsewhere than the project's .npmrc: in the environment
        // (`NPM_CONFIG_NODE_OPTIONS`), or in the user's ~/.npmrc by a RUN of the build
        // (`npm config set node-options …`), both of which reach the script as NODE_OPTIONS.
        if let Some((name, _)) = self.state.env.iter().find(|(name, _)| {
            name.to_ascii_lowercase().replace('-', "_") == "npm_config_node_options"
        }) {
            return Err(self.decline(
                DeclineCode::NpmScript,
                format!("`{name}` is npm's `node-options`, which `{}` passes to node and running node directly would not", argv.join(" ")),
            ).help("set NODE_OPTIONS with ENV instead"));
        }
        let chain = self.model.stages.root_base(self.stage).1;
        if let Some(run) = chain
            .iter()
            .flat_map(|&i| self.model.stages.stages[i].instructions_of(Keyword::Run))
            .find(|run| {
                let text = run.line_span.slice(self.model.src);
                text.contains("npm config set") || text.contains(".npmrc")
            })
        {
            return Err(self
                .decline(
                    DeclineCode::NpmScript,
                    format!("the build sets npm's configuration (`{}`), which `{}` reads and running node directly would not", run.line_span.slice(self.model.src).lines().next().unwrap_or_default().trim(), argv.join(" ")),
                )
                .help("set what the configuration gives node (NODE_OPTIONS) with ENV instead"));
        }
        // `.npmrc`'s `node-options` reach the script as NODE_OPTIONS (`--max-old-space-size`).
        if self
            .context_file(&format!("{}/.npmrc", workdir.trim_end_matches('/')))
            .is_some_and(|npmrc| npmrc.contains("node-options") || npmrc.contains("node_options"))
        {
            return Err(self.decline(
                DeclineCode::NpmScript,
                "`npm start` passes the `node-options` of .npmrc to node, which running node directly would not",
            ).help("set NODE_OPTIONS with ENV instead"));
        }
        // Without a `start` script, `npm start` runs `node server.js`; another name must be
        // one package.json defines.
        let start = match script(name) {
            Some(body) => body,
            None if name == "start"
                && self
                    .context_file(&format!("{}/server.js", workdir.trim_end_matches('/')))
                    .is_some() =>
            {
                "node server.js".to_string()
            }
            None if name == "start" => {
                return Err(self.decline(
                    DeclineCode::NpmScript,
                    "package.json has no `start` script, and `npm start` would then run `node server.js`, which the build context does not have",
                ));
            }
            None => {
                return Err(self.decline(
                    DeclineCode::NpmScript,
                    format!(
                        "package.json has no `{name}` script for `{}` to run",
                        argv.join(" ")
                    ),
                ));
            }
        };
        let converted = shell_to_argv(&start, self.state).map_err(|why| {
            self.decline(
                DeclineCode::NpmScript,
                format!("package.json's {name} script `{start}` cannot run without a shell: {why}"),
            )
        })?;
        if converted.argv.first().map(|p| basename(p)) != Some("node") {
            return Err(self.decline(
                DeclineCode::NpmScript,
                format!("package.json's {name} script `{start}` does not run node directly"),
            ));
        }
        // npm gives the script `npm_package_version` and the other fields of package.json
        // as variables; node started directly does not. The sources are read as the
        // runs-programs check reads them (`image_file`): a COPY of this stage, else the same
        // place below the context's root as below the WORKDIR (the app from a build stage).
        if let Some(index) = Self::script_arg(
            &converted.argv,
            &["-r", "--require", "--import", "--loader"],
        ) && let Some(path) = self.state.resolve_path(&converted.argv[index])
            && let Some((file, ())) = find_in_sources(
                &path,
                Language::JavaScript,
                &[],
                &|p| self.image_file(p),
                |code| {
                    ["npm_package_", "npm_lifecycle_", "npm_config_"]
                        .iter()
                        .any(|v| code.contains(v))
                        .then_some(())
                },
            )
        {
            let who = if file == path {
                format!("`{}`", converted.argv[index])
            } else {
                format!("`{file}`, which `{}` loads,", converted.argv[index])
            };
            return Err(self.decline(
                DeclineCode::NpmScript,
                format!("{who} reads variables that `npm start` sets (`npm_package_…`), which running node directly would not"),
            ).help("set what the application reads with ENV, or read package.json itself"));
        }
        // TypeScript compiled in the build (`src/main.ts` → `dist/main.js`) is read from
        // its sources: the compiled file is not in the context.
        let dir = workdir.trim_end_matches('/');
        for folder in ["", "src/", "app/", "lib/", "server/"] {
            let entries = self
                .context_file(&format!("{dir}/{folder}"))
                .unwrap_or_default();
            for entry in entries.lines().filter(|e| {
                [".ts", ".mts", ".cts"].iter().any(|x| e.ends_with(x)) && !e.ends_with(".d.ts")
            }) {
                let file = format!("{folder}{entry}");
                if self
                    .context_file(&format!("{dir}/{file}"))
                    .is_some_and(|code| {
                        ["npm_package_", "npm_lifecycle_", "npm_config_"]
                            .iter()
                            .any(|v| code.contains(v))
                    })
                {
                    return Err(self.decline(
                        DeclineCode::NpmScript,
                        format!("`{file}` reads variables that `{}` sets (`npm_package_…`), which running node directly would not", argv.join(" ")),
                    ).help("set what the application reads with ENV, or read package.json itself"));
                }
            }
        }
        let mut app = self.find(&converted.argv)?;
        app.run_expanded = converted.expanded;
        app.run_argv = Some(converted.argv);
        Ok(app)
    }
}

impl<'t> AppFinder<'_, 't> {
    /// Whether a COPY from the build context brings a `node_modules` folder, installed
    /// wherever the context was (`COPY node_modules ./node_modules`, or `COPY . .` of a
    /// context that holds one and no `.dockerignore` line for it).
    fn context_node_modules(&self) -> bool {
        let states = self.model.states(self.stage);
        let stage = &self.model.stages.stages[self.stage];
        stage.instructions.iter().enumerate().any(|(i, copy)| {
            let Some(read) = crate::analysis::copy::CopyArgs::read(
                copy,
                &states.before[i],
                self.model.tree.escape,
                &self.model.stages,
                self.stage,
            ) else {
                return false;
            };
            read.from.is_none()
                && read.sources.iter().flatten().any(|source| {
                    let path = source.trim_start_matches("./").trim_end_matches('/');
                    if path.rsplit('/').next() == Some("node_modules") {
                        return true;
                    }
                    let folder = match path {
                        "" | "." => String::new(),
                        folder => format!("{folder}/"),
                    };
                    self.context
                        .and_then(|read| read(&folder))
                        .is_some_and(|entries| entries.lines().any(|e| e == "node_modules/"))
                })
        })
    }

    /// Whether the lockfile of the application in `dir` (from the build context) shows
    /// that no installed package builds native code (`hasInstallScript`, `gypfile`) or
    /// ships it for a platform (`os`, `cpu`, `libc`). `Err` says why that cannot be told,
    /// naming the first such package.
    fn pure_javascript(&self, dir: &str) -> Result<(), String> {
        let dir = dir.trim_end_matches('/');
        // `npm install sharp` beside `npm ci`: packages no lockfile lists.
        if let Some(named) = self.installs_by_name() {
            return Err(format!(
                "`{named}` installs packages the lockfile does not list"
            ));
        }
        if let Some(text) = self.context_file(&format!("{dir}/package-lock.json")) {
            return lockfile_is_pure(&text);
        }
        if self.context_file(&format!("{dir}/yarn.lock")).is_some() {
            return Err("yarn.lock does not say which packages build native code".into());
        }
        if self
            .context_file(&format!("{dir}/pnpm-lock.yaml"))
            .is_some()
        {
            return Err("pnpm-lock.yaml does not say which packages build native code".into());
        }
        Err("no package-lock.json in the build context says which packages they are".into())
    }
}

/// Installs that name their packages.
impl AppFinder<'_, '_> {
    /// The first command of a RUN in the stage's chain that installs packages by name
    /// into the project (`npm install sharp`, `npm i -S bcrypt`, `yarn add`, `pnpm add`),
    /// not a global one (`npm install -g pm2`, whose files are not the application's).
    fn installs_by_name(&self) -> Option<String> {
        let (_, chain) = self.model.stages.root_base(self.stage);
        for index in chain {
            let stage = &self.model.stages.stages[index];
            for instruction in stage.instructions_of(Keyword::Run) {
                let Some(script) = super::build::run_script(instruction) else {
                    continue;
                };
                for command in crate::analysis::shell::commands(&script).unwrap_or_default() {
                    let words: Vec<String> = command
                        .words
                        .iter()
                        .map(|w| w.literal().unwrap_or_else(|| w.raw.clone()))
                        .collect();
                    let Some(program) = words.first().map(|w| basename(w)) else {
                        continue;
                    };
                    let adds = matches!(
                        (program, words.get(1).map(String::as_str)),
                        ("npm", Some("install" | "i" | "add" | "isntall" | "in"))
                            | ("yarn" | "pnpm" | "bun", Some("add"))
                            | ("pnpm", Some("install" | "i"))
                    );
                    let rest = &words[2.min(words.len())..];
                    let global = rest.iter().any(|w| matches!(w.as_str(), "-g" | "--global"));
                    let named = rest.iter().any(|w| !w.starts_with('-'));
                    if adds && named && !global {
                        return Some(words.join(" "));
                    }
                }
            }
        }
        None
    }
}

/// Whether an npm lockfile (version 2 or 3, with `packages`) lists no package that builds
/// native code or ships it for a platform.
fn lockfile_is_pure(text: &str) -> Result<(), String> {
    let lock: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| "package-lock.json is not valid JSON".to_string())?;
    let packages = lock
        .get("packages")
        .and_then(|p| p.as_object())
        .ok_or("package-lock.json has no `packages` (lockfile version 1)")?;
    for (path, package) in packages {
        // The application itself (the "" entry) may run install scripts or build a
        // binding.gyp too; its `os`/`cpu` only restrict where it installs.
        let builds = ["hasInstallScript", "gypfile"]
            .iter()
            .any(|key| package.get(key).and_then(|v| v.as_bool()) == Some(true));
        let ships = !path.is_empty()
            && ["os", "cpu", "libc"]
                .iter()
                .any(|key| package.get(key).is_some());
        if builds || ships {
            let name = match path.rsplit("node_modules/").next() {
                Some("") | None => "the application",
                Some(name) => name,
            };
            return Err(format!("`{name}` builds or ships native code"));
        }
    }
    Ok(())
}

/// The package of package.json's dependencies that drives a browser it downloaded on
/// install (puppeteer, not puppeteer-core, which brings none).
fn browser_dependency(package: &str) -> Option<&'static str> {
    let package: serde_json::Value = serde_json::from_str(package).ok()?;
    ["dependencies", "optionalDependencies"]
        .iter()
        .filter_map(|key| package.get(key)?.as_object())
        .find_map(|deps| {
            ["puppeteer"]
                .into_iter()
                .find(|name| deps.contains_key(*name))
        })
}
