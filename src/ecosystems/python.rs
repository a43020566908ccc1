//! Python: virtual environments (`python -m venv`, `virtualenv`, `uv venv`) and what
//! `pip` and `uv pip` install, and where; installers whose destination cannot be told
//! (poetry, pipenv, conda, `setup.py`) are reported as such.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::{RunReader, first_operand, parent_dir};
use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::basename;

use super::start::{App, AppFinder, Provenance, covers};
use super::{Decline, DeclineCode, stage_build};

/// Python.
#[derive(Debug)]
pub struct Python;

impl Ecosystem for Python {
    fn name(&self) -> &'static str {
        "python"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            name if is_python_program(name) => {
                if args.first().and_then(|a| a.as_deref()) == Some("-m")
                    && args.get(1).and_then(|a| a.as_deref()) == Some("pip")
                {
                    let path = command.program().filter(|p| p.contains('/'));
                    reader.pip(command, path.as_deref(), &args[2..]);
                } else if args.get(1).and_then(|a| a.as_deref()) == Some("setup.py")
                    || args.first().and_then(|a| a.as_deref()) == Some("setup.py")
                {
                    reader.unknown_python_install(command);
                } else {
                    reader.venv(command, "python", args);
                }
            }
            "virtualenv" => reader.venv(command, program, args),
            "uv" => reader.uv(command, args),
            name if is_pip_program(name) => {
                let path = command.program().filter(|p| p.contains('/'));
                reader.pip(command, path.as_deref(), args);
            }
            "poetry" | "pipenv" | "pdm" | "conda" | "mamba" | "micromamba" | "easy_install"
            | "pipx" | "hatch" | "rye" => {
                let sub = args.first().and_then(|a| a.as_deref()).unwrap_or("");
                if matches!(
                    sub,
                    "install" | "add" | "sync" | "create" | "update" | "env" | "lock"
                ) || program == "easy_install"
                {
                    reader.unknown_python_install(command);
                }
            }
            _ => return false,
        }
        true
    }

    fn is_interpreter(&self, name: &str) -> bool {
        is_python_program(name)
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
                    .and_then(|(facts, version)| finder.python(argv, &facts, version)),
            );
        }
        // A console script pip installed (`gunicorn app:app`) runs as `python3 -m
        // gunicorn app:app`, on an image whose runtime is Python.
        let module = finder.model.catalogue.python_console_script(program)?;
        let facts = finder.model.facts(finder.stage)?;
        if facts.runtime.as_ref().is_none_or(|r| r.name != "python") {
            return None;
        }
        Some(finder.console_script(argv, module, facts))
    }
}

/// Where a `pip install` puts packages.
enum PipEnv {
    Venv(String),
    System,
}

/// The Python version a tag names, when it names the minor that packages are installed
/// for: `python:3` floats over the 3.x minors, whose compiled wheels do not load on one
/// another. `python:2` is 2.7, the last.
pub(crate) fn exact_version(version: Option<String>) -> Option<String> {
    version.filter(|v| v.contains('.') || v == "2")
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

impl<'t> RunReader<'_, 't> {
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
        let written = command.written();
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
        // pip reads every option from `PIP_<OPTION>` too: `PIP_PREFIX=/opt/py` is
        // `--prefix /opt/py`, `PIP_USER=1` is `--user`; a config file may say the same.
        const PIP_PLACES: &[&str] = &[
            "PIP_PREFIX",
            "PIP_TARGET",
            "PIP_USER",
            "PIP_ROOT",
            "PIP_EDITABLE",
            "PIP_CONFIG_FILE",
        ];
        if PIP_PLACES
            .iter()
            .any(|name| self.var(command, name).is_some())
        {
            self.unknown_python_install(command);
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
                        let Some(version) = self.image.runtime_version("python") else {
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
        let version = self.image.runtime_version("python").map(str::to_string);
        let as_root = self
            .state
            .user
            .as_deref()
            .is_none_or(|u| matches!(u.split(':').next(), Some("root" | "0")));
        if user {
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
            // pip run as another user than root cannot write the image's site-packages
            // (root's), so it installs into that user's site (`~/.local`) instead, or
            // fails; which, only the built image shows.
            Some(PipEnv::System) if !as_root => {
                self.unknown_python_install(command);
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
}

impl<'t> AppFinder<'_, 't> {
    pub(crate) fn python(
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
        // `-c` among the interpreter's own options, not the module's (`gunicorn -c conf.py`).
        let mut i = 1;
        let mut inline = false;
        while let Some(arg) = argv.get(i) {
            match arg.as_str() {
                "-m" => break,
                "-c" => {
                    inline = true;
                    break;
                }
                "-W" | "-X" => i += 2,
                a if a.starts_with('-') => i += 1,
                _ => break,
            }
        }
        if inline {
            return Err(self.decline(
                DeclineCode::ShellCommand,
                "the command runs inline Python code (`-c`)",
            ));
        }
        let version = exact_version(version);
        if module.is_none() && script.is_none() {
            return Err(self.decline(DeclineCode::NoAppCommand, "the command starts Python with no program: an interactive interpreter, not an application"));
        }
        let Some(version) = version else {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::UnknownVersion,
                "the Python version of the image is not known from its tag",
            ));
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::Musl,
                "Python packages installed on a musl (Alpine) image do not load on glibc",
            ));
        }
        let workdir = self.state.workdir.clone().unwrap_or_else(|| "/".into());
        let file = match (script, module) {
            (Some(i), None) => self.state.resolve_path(&argv[i]).unwrap_or_default(),
            _ => format!("{}/", workdir.trim_end_matches('/')),
        };
        if !file.ends_with('/') {
            // `python app.py` puts the script's folder first on sys.path, then PYTHONPATH.
            let mut roots = vec![super::start::parent(&file)];
            roots.extend(
                self.state
                    .value("PYTHONPATH")
                    .iter()
                    .flat_map(|p| p.split(':').map(str::to_string).collect::<Vec<_>>())
                    .filter(|p| p.starts_with('/')),
            );
            self.check_runs_programs(&file, super::sources::Language::Python, &roots)?;
        }
        // An application in `/` is copied file by file when the COPY lines name each one.
        let (dir, root_files) = match self.app_dir(&file) {
            Ok(dir) => (dir, None),
            Err(decline) if decline.code == DeclineCode::AppInRoot => match self.files_in_root() {
                Some(files) => ("/".to_string(), Some(files)),
                None => return Err(decline),
            },
            Err(decline) => return Err(decline),
        };
        // A folder no line of the build makes (the app mounted at run time): the new
        // stage's COPY of it would fail the build.
        if root_files.is_none() {
            self.check_brought(
                &dir,
                &format!("the application's folder {dir}"),
                "copy the application in with a COPY",
            )?;
        }
        let build = stage_build(self.model, self.stage, self.context);
        if let Some((instruction, written)) = build.unknown_python_installs.first() {
            return Err(Decline::new(
                DeclineCode::PythonInstall,
                format!("`{written}` installs Python packages where dfslim cannot tell (or through a .pth file, which PYTHONPATH does not read), so the new image might lack them"),
            )
            .at(instruction.line_span)
            .help("install with `pip install` into a venv (`python -m venv /opt/venv`) or with `pip install --target DIR`"));
        }
        if let Some(run) = build.opaque.first() {
            return Err(Decline::new(
                DeclineCode::OpaqueRun,
                "a RUN of the final stage cannot be read, so what it installs is unknown",
            )
            .at(run.line_span));
        }
        let mut copies = match &root_files {
            Some(files) => files
                .iter()
                .map(|f| {
                    (
                        f.clone(),
                        format!("a file of the Python application, in / ({f})"),
                    )
                })
                .collect(),
            None => vec![(dir.clone(), format!("the Python application in {dir}"))],
        };
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
                    .and_then(|f| f.runtime.clone())
                    .filter(|r| r.name == "python")
                    .and_then(|r| r.version);
                if theirs.as_deref() != Some(version.as_str()) {
                    return Err(self.decline_at_from(
                        stage,
                        DeclineCode::PythonVersion,
                        format!(
                            "{} was made by a stage whose Python is not known to be {version}, the version that runs it",
                            artifact.path
                        ),
                    ));
                }
                self.check_libraries(stage, "the Python packages", true)?;
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
            self.check_libraries(self.stage, "the Python packages", true)?;
        }
        self.check_interpreter_on_path(argv, &paths)?;
        // A PYTHONPATH the image already sets keeps its entries, before the packages: in
        // the original they came before site-packages, so an application module of the
        // same name as a package still wins.
        if let Some(existing) = self.state.value("PYTHONPATH").filter(|p| !p.is_empty()) {
            let mut first: Vec<String> = Vec::new();
            for entry in existing.split(':') {
                if !first.iter().any(|p| p == entry) {
                    first.push(entry.to_string());
                }
            }
            paths.retain(|p| !first.contains(p));
            first.extend(paths);
            paths = first;
        }
        if !paths.is_empty()
            && let Some(option) = interpreter_options(argv)
                .find(|o| !o.starts_with("--") && (o.contains('E') || o.contains('I')))
        {
            // The new image shows the interpreter its packages through PYTHONUSERBASE or
            // PYTHONPATH, which `-E` (and `-I`, which implies it) make it ignore.
            return Err(self.decline(
                DeclineCode::PythonInstall,
                format!("`{option}` makes Python ignore the environment, through which the new image would show it the packages (PYTHONUSERBASE, PYTHONPATH)"),
            ).help("drop the option, or install the packages into the application's folder"));
        }
        // PYTHONHOME moves where the interpreter finds its standard library: set for the
        // build image's installation (`/usr/local`), it sends the target's, which lives
        // under `/usr`, to a folder holding only site-packages ("No module named
        // 'encodings'").
        if let Some(home) = self.state.value("PYTHONHOME") {
            return Err(self.decline(
                DeclineCode::PythonInstall,
                format!("the image sets PYTHONHOME={home}, where the build image's Python lives; the target's has its standard library under /usr/lib, so the interpreter would not start"),
            ).help("drop PYTHONHOME: Python finds its own installation without it"));
        }
        self.check_data_files(module.map(String::as_str), &paths)?;
        let env = python_env(paths, &version, argv, self.state.is_set("PYTHONNOUSERSITE"));
        Ok(App {
            interpreter: Some(&Python as &dyn Ecosystem),
            launches: None,
            needs: Needs::Runtime {
                name: "python".into(),
                version,
            },
            main: Provenance::Built(self.folder_artifact(&dir, "the Python application folder")),
            copies,
            env,
            built_on_debian: self.debian_of(self.stage, native)?,
            run_argv: None,
            run_expanded: Vec::new(),
            program: None,
        })
    }
}

impl<'t> AppFinder<'_, 't> {
    /// A console script of a package pip installed, run as `python3 -m MODULE` with the
    /// same arguments: its own wrapper names the build image's interpreter by path. The
    /// package must come from a pip install dfslim follows (into site-packages or a venv,
    /// which the new image gets), not from the distro's packages.
    fn console_script(
        &self,
        argv: &[String],
        module: &str,
        facts: &ImageFacts,
    ) -> Result<App<'t>, Decline> {
        let script = basename(&argv[0]).to_string();
        let build = stage_build(self.model, self.stage, self.context);
        if let Some(package) = build
            .packages
            .iter()
            .find(|p| p.package.contains(script.as_str()))
        {
            return Err(Decline::new(
                DeclineCode::UnknownArtifact,
                format!(
                    "`{script}` may come from the distro's package `{}`, which the new image would not have",
                    package.package
                ),
            )
            .at(package.instruction.line_span)
            .help(format!("install it with pip (`pip install {script}`)")));
        }
        let installed = build
            .artifacts
            .iter()
            .map(|a| a.kind.clone())
            .chain(self.copied_artifacts()?.into_iter().map(|(a, _)| a.kind))
            .any(|kind| matches!(kind, ArtifactKind::Venv | ArtifactKind::PythonPackages));
        if !installed {
            return Err(self
                .decline(
                    DeclineCode::UnknownArtifact,
                    format!("no pip install of this Dockerfile is known to provide `{script}`"),
                )
                .help(format!(
                    "install it with pip in the Dockerfile (`pip install {script}`)"
                )));
        }
        let mut python_argv = vec!["python3".to_string(), "-m".to_string(), module.to_string()];
        python_argv.extend(argv[1..].iter().cloned());
        let version = facts.runtime.as_ref().and_then(|r| r.version.clone());
        let mut app = self.python(&python_argv, facts, version)?;
        app.run_argv = Some(python_argv);
        Ok(app)
    }
}

/// Packages whose wheels install data files beside site-packages, under the prefix
/// (`/usr/local/share/jupyter`: JupyterLab's front end, nbconvert's templates), which a
/// copy of site-packages leaves behind.
const DATA_FILE_PACKAGES: &[&str] = &[
    "jupyter",
    "jupyterlab",
    "notebook",
    "nbclassic",
    "nbconvert",
    "voila",
    "jupyter-server",
    "jupyter_server",
];

impl AppFinder<'_, '_> {
    /// Declines when packages installed into the image's own Python (site-packages under
    /// `/usr/local`, which the rewrite copies alone) include one that keeps data files
    /// under the prefix: the command runs it as a module, or the requirements file beside
    /// the application names it.
    fn check_data_files(&self, module: Option<&str>, sites: &[String]) -> Result<(), Decline> {
        if !sites.iter().any(|s| s.starts_with("/usr/local/lib/")) {
            return Ok(());
        }
        let workdir = self.state.workdir.as_deref().unwrap_or("/");
        let requirements = self
            .context_file(&format!(
                "{}/requirements.txt",
                workdir.trim_end_matches('/')
            ))
            .unwrap_or_default();
        let named = requirements.lines().find_map(|line| {
            let name = line
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            DATA_FILE_PACKAGES.contains(&name.as_str()).then_some(name)
        });
        let Some(package) = module
            .map(|m| m.split('.').next().unwrap_or(m).to_string())
            .filter(|m| DATA_FILE_PACKAGES.contains(&m.as_str()))
            .or(named)
        else {
            return Ok(());
        };
        Err(self
            .decline(
                DeclineCode::PythonInstall,
                format!("`{package}` installs data files beside site-packages (/usr/local/share/jupyter), which a copy of site-packages leaves behind"),
            )
            .help("install the packages into a venv (`python -m venv /opt/venv`), which the rewrite copies whole"))
    }

    /// A bare `python` is found through PATH, and a folder put before the system's
    /// (`ENV PATH=/app/.venv/bin:$PATH`, a Poetry or uv venv) holds the interpreter the
    /// original ran, with its packages. The new image runs its own interpreter, so that
    /// folder must be a venv whose site-packages the rewrite already carries (`sites`).
    ///
    /// An interpreter named by its path (`/app/.venv/bin/python`, `.venv/bin/python`) is
    /// held to the same: outside the system's folders it is a venv's, and a venv that no
    /// step dfslim follows made (`uv sync`, `poetry install`) would leave the new image's
    /// interpreter without its packages.
    fn check_interpreter_on_path(&self, argv: &[String], sites: &[String]) -> Result<(), Decline> {
        let Some(program) = argv.first() else {
            return Ok(());
        };
        let path = if program.contains('/') {
            match self.state.resolve_path(program) {
                Some(resolved) => super::start::parent(&resolved),
                None => return Ok(()),
            }
        } else {
            match self.state.value("PATH") {
                Some(path) => path,
                None => return Ok(()),
            }
        };
        const SYSTEM: &[&str] = &[
            "/usr/local/sbin",
            "/usr/local/bin",
            "/usr/sbin",
            "/usr/bin",
            "/sbin",
            "/bin",
        ];
        for dir in path.split(':').map(|d| d.trim_end_matches('/')) {
            if SYSTEM.contains(&dir) {
                return Ok(());
            }
            let venv = dir.strip_suffix("/bin").unwrap_or(dir);
            if sites
                .iter()
                .any(|site| site.starts_with(&format!("{venv}/lib/python")))
            {
                return Ok(());
            }
            if dir.is_empty() {
                continue;
            }
            return Err(self
                .decline_at(
                    self.env_setting("PATH"),
                    DeclineCode::PythonInstall,
                    if program.contains('/') {
                        format!(
                            "`{program}` is an interpreter in {dir}, outside the system's folders: a virtual environment there, with the packages it sees, that no step of this file is known to make"
                        )
                    } else {
                        format!(
                            "`{program}` is looked up through PATH, which puts {dir} before the system's folders: the interpreter the original ran, and the packages it sees, may be a virtual environment there that no step of this file is known to make"
                        )
                    },
                )
                .help("make the venv with `python -m venv DIR` in the build stage, so that dfslim knows its packages"));
        }
        Ok(())
    }
}

/// The interpreter's own options (`-u`, `-sE`, `-X dev` as its words), before `-m`, `-c`
/// or the script.
fn interpreter_options(argv: &[String]) -> impl Iterator<Item = &String> {
    argv.iter()
        .skip(1)
        .take_while(|a| a.starts_with('-') && *a != "-m" && *a != "-c")
}

/// The environment that shows the interpreter of the new image the packages. The first
/// `PREFIX/lib/pythonX.Y/site-packages` (the image's own, or a venv's) becomes the user site
/// (`PYTHONUSERBASE=PREFIX`): like site-packages in the original, it comes after the
/// standard library and its `.pth` files are read (namespace packages, `distutils-precedence`),
/// which a PYTHONPATH entry would do neither of. The other folders (an image's own
/// PYTHONPATH, `pip install --target`) stay on PYTHONPATH. Not when `-s`, `-I` or
/// PYTHONNOUSERSITE turn the user site off.
fn python_env(
    paths: Vec<String>,
    version: &str,
    argv: &[String],
    no_user_site: bool,
) -> Vec<(String, String)> {
    let suffix = format!("/lib/python{version}/site-packages");
    let user_site_off = no_user_site
        || interpreter_options(argv)
            .any(|a| a.len() > 1 && !a.starts_with("--") && (a.contains('s') || a.contains('I')));
    let user_base = (!user_site_off)
        .then(|| {
            paths
                .iter()
                .position(|p| p.ends_with(&suffix) && p.len() > suffix.len())
        })
        .flatten();
    let mut env = Vec::new();
    let mut rest = paths;
    if let Some(i) = user_base {
        let site = rest.remove(i);
        env.push((
            "PYTHONUSERBASE".to_string(),
            site.trim_end_matches(&suffix).to_string(),
        ));
    }
    if !rest.is_empty() {
        env.push(("PYTHONPATH".to_string(), rest.join(":")));
    }
    env
}

#[cfg(test)]
mod env_tests {
    use super::python_env;

    fn env(paths: &[&str], argv: &[&str], no_user_site: bool) -> Vec<(String, String)> {
        let paths = paths.iter().map(|p| p.to_string()).collect();
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        python_env(paths, "3.13", &argv, no_user_site)
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn site_packages_become_the_user_site() {
        let site = "/usr/local/lib/python3.13/site-packages";
        assert_eq!(
            env(&[site], &["python", "app.py"], false),
            [pair("PYTHONUSERBASE", "/usr/local")]
        );
        // An image's own entries stay on PYTHONPATH, before the packages as in the original.
        assert_eq!(
            env(
                &["/app/src", "/opt/venv/lib/python3.13/site-packages"],
                &["python", "-m", "svc"],
                false
            ),
            [
                pair("PYTHONUSERBASE", "/opt/venv"),
                pair("PYTHONPATH", "/app/src")
            ]
        );
        // `pip install --target` folders are no site.
        assert_eq!(
            env(&["/deps"], &["python", "app.py"], false),
            [pair("PYTHONPATH", "/deps")]
        );
        // -s, -I and PYTHONNOUSERSITE turn the user site off: PYTHONPATH it is.
        for (argv, off) in [
            (&["python", "-s", "app.py"][..], false),
            (&["python", "-I", "app.py"][..], false),
            (&["python", "app.py"][..], true),
        ] {
            assert_eq!(env(&[site], argv, off), [pair("PYTHONPATH", site)]);
        }
    }
}
