//! Phase 1 of a rewrite, with [`super::app`]: how the original final stage starts its
//! program. ENTRYPOINT and CMD as the container runs them, in exec form, with where each
//! part comes from (an instruction or the base image) so that the rewrite keeps its shape.

use crate::analysis::model::{CommandForm, Origin};
use crate::syntax::{Instruction, Keyword, Span};

use crate::analysis::catalogue::{Catalogue, RuntimeDefault};
use crate::analysis::command::shell_to_argv;
use crate::ecosystems::ECOSYSTEMS;

use super::*;

/// How the original file writes the command, so that the rewrite keeps its shape.
#[derive(Clone, Debug)]
pub(super) struct Written<'t> {
    pub(super) argv: Vec<String>,
    /// Whether an ENTRYPOINT (rather than only a CMD) starts the program.
    pub(super) entrypoint: bool,
    /// How many leading argv elements the ENTRYPOINT holds.
    pub(super) entrypoint_len: usize,
    /// The instructions that make up the command.
    pub(super) instructions: Vec<&'t Instruction>,
    /// Variables written into the argv with their build-time values.
    pub(super) expanded: Vec<String>,
    pub(super) span: Span,
}

impl<'t> Planner<'_, 't> {
    /// ENTRYPOINT and CMD as the container runs them, in exec form.
    pub(super) fn written_command(&self) -> Result<Written<'t>, Decline> {
        let facts = self.facts();
        let command = self.model.run_command(self.stage.index);
        let mut entrypoint = command.entrypoint;
        if let Some((_, Origin::Image)) = &entrypoint
            && facts.script_entrypoint
        {
            // A script that only runs the command it is given (node's, Temurin's unless its
            // variable is set) can be left behind; any other needs the image's shell. The
            // variable counts where the container gets it: a Compose file's or manifest's
            // `environment`, as much as the stage's ENV.
            let activated = facts.entrypoint_active_with.as_deref().and_then(|name| {
                if self.state().is_set(name) {
                    return Some(String::new());
                }
                self.set_at_run_time(name, &self.deploy_env_texts())
                    .map(|file| format!(", and {file} sets `{name}`, which makes it act"))
            });
            if !facts.entrypoint_passthrough || activated.is_some() {
                let ep = entrypoint
                    .as_ref()
                    .map(|(f, _)| form_text(f))
                    .unwrap_or_default();
                let activated = activated.unwrap_or_default();
                return Err(Decline::new(
                    DeclineCode::ImageEntrypointScript,
                    format!("the image starts through its own entrypoint script `{ep}`, which needs a shell{activated}"),
                )
                .at(from_span(self.stage))
                .help("servers such as nginx, httpd or redis have no distroless image: keep the official one, and put `# dfslim ignore=DFS001` above its FROM so that check and rewrite leave the stage alone"));
            }
            entrypoint = None;
        }
        let mut instructions = Vec::new();
        // The context's deploy files, read once for both ENTRYPOINT and CMD, and only when
        // a shell-form command expands a variable.
        let deploy_env = std::cell::OnceCell::new();
        let mut expanded = Vec::new();
        let mut convert = |form: &CommandForm,
                           origin: &Origin<'t>|
         -> Result<Vec<String>, Decline> {
            if let Origin::Instruction(i) = origin {
                instructions.push(*i);
            }
            match form {
                CommandForm::Exec(argv) => Ok(argv.clone()),
                CommandForm::Shell(text) => {
                    // A flag whose value is known only at run time may be one the program's
                    // own default makes the same (`gunicorn --bind :$PORT`): without it the
                    // command needs no shell.
                    // Leaving it out is better than writing its build-time value, which
                    // `docker run -e PORT=…` could no longer change; but only where nothing
                    // else (a config file, an environment variable) would set it instead.
                    let shorter = without_runtime_defaults(text, self.model.catalogue)
                        .filter(|(_, dropped)| dropped.iter().all(|d| self.not_overridden(d)))
                        .and_then(|(shorter, _)| shell_to_argv(&shorter, self.state()).ok());
                    let converted = match shorter {
                        Some(converted) => Ok(converted),
                        None => shell_to_argv(text, self.state()),
                    };
                    let converted = converted.map_err(|why| {
                        let (span, keyword) = match origin {
                            Origin::Instruction(i) => (i.line_span, i.keyword.as_str()),
                            Origin::Image => (from_span(self.stage), "CMD"),
                        };
                        Decline::new(
                            DeclineCode::ShellFormCommand,
                            format!("the shell-form {keyword} `{text}` cannot run without a shell: {why}"),
                        )
                        .at(span)
                        .help("write the command in exec form, e.g. `CMD [\"/app/server\", \"--flag\"]`")
                    })?;
                    // A variable a Compose file, manifest or `env_file` gives the container,
                    // or `PORT`, which hosting platforms (Heroku, Render) set as they start
                    // it: the original's command expanded that value, not the Dockerfile's,
                    // and its build-time value written into an exec-form command would no
                    // longer follow it.
                    let found = (!converted.expanded.is_empty())
                        .then(|| {
                            let deploy = deploy_env.get_or_init(|| self.deploy_env_texts());
                            converted.expanded.iter().find_map(|name| {
                                self.set_at_run_time(name, deploy).map(|file| (name, file))
                            })
                        })
                        .flatten();
                    if let Some((name, file)) = found {
                        let span = match origin {
                            Origin::Instruction(i) => i.line_span,
                            Origin::Image => from_span(self.stage),
                        };
                        return Err(Decline::new(
                            DeclineCode::ShellFormCommand,
                            format!("the command reads `${name}` when it starts, which {file} sets for the container; written into an exec-form command as its build-time value, it would no longer follow it"),
                        )
                        .at(span)
                        .help("write the command in exec form and let the program read the variable itself (gunicorn reads PORT), or keep the shell-form command on an image with a shell"));
                    }
                    expanded.extend(converted.expanded);
                    Ok(converted.argv)
                }
            }
        };
        let (argv, has_entrypoint, entrypoint_len) = match (&entrypoint, &command.cmd) {
            (Some((ep @ CommandForm::Exec(_), origin)), cmd) => {
                let mut argv = convert(ep, origin)?;
                let len = argv.len();
                match cmd {
                    // ENTRYPOINT clears a CMD the stage inherited (from its base image or
                    // the stage it is built on) unless this stage sets CMD itself.
                    Some((_, Origin::Instruction(c)))
                        if !self.stage.instructions.iter().any(|x| std::ptr::eq(*x, *c))
                            && self.stage.last(Keyword::Entrypoint).is_some() => {}
                    Some((cmd_form @ CommandForm::Exec(_), cmd_origin)) => {
                        argv.extend(convert(cmd_form, cmd_origin)?);
                    }
                    // Docker runs ENTRYPOINT with `/bin/sh -c TEXT` as its arguments.
                    Some((CommandForm::Shell(text), Origin::Instruction(c))) => {
                        return Err(Decline::new(
                            DeclineCode::ShellFormCommand,
                            format!("the shell-form CMD `{text}` after an exec-form ENTRYPOINT gives the program `/bin/sh -c …` as its arguments, which the new image cannot"),
                        )
                        .at(c.line_span)
                        .help("write the CMD in exec form"));
                    }
                    _ => {}
                }
                (argv, true, len)
            }
            (Some((ep @ CommandForm::Shell(_), origin)), _) => {
                let argv = convert(ep, origin)?;
                let len = argv.len();
                (argv, true, len)
            }
            (None, Some((cmd, origin))) => (convert(cmd, origin)?, false, 0),
            (None, None) => {
                return Err(Decline::new(
                    DeclineCode::NoCommand,
                    "the final stage sets no ENTRYPOINT or CMD, so what the image runs is unknown",
                )
                .at(from_span(self.stage))
                .help(
                    "if the image runs an application, name it: ENTRYPOINT [\"/app/server\"] (an image without a command is a base image, which dfslim leaves alone)",
                ));
            }
        };
        let mut argv = argv;
        // An image whose preset ENTRYPOINT runs a file argument with its interpreter.
        let runtime = facts.runtime.as_ref().map(|r| r.name.as_str());
        if let (Some(runtime), Some(first)) = (runtime, argv.first())
            && let Some(program) = ECOSYSTEMS
                .iter()
                .find_map(|e| e.image_runs_script(runtime, first))
        {
            argv.insert(0, program.to_string());
        }
        let span = instructions
            .last()
            .map_or(from_span(self.stage), |i| i.line_span);
        Ok(Written {
            argv,
            entrypoint: has_entrypoint,
            entrypoint_len,
            instructions,
            expanded,
            span,
        })
    }
}

/// The words of the command as written and, when it starts another (`npm start` runs
/// package.json's start script), of that one too: the ports and paths either names count
/// (`"start": "node server.js --port 80"`).
pub(super) fn ran_words(
    written: &Written<'_>,
    app: &crate::ecosystems::start::App<'_>,
) -> Vec<String> {
    let mut words = written.argv.clone();
    words.extend(app.run_argv.iter().flatten().cloned());
    words
}

pub(super) fn form_text(form: &CommandForm) -> String {
    match form {
        CommandForm::Exec(argv) => argv.join(" "),
        CommandForm::Shell(text) => text.clone(),
    }
}

pub(super) fn expanded_warnings(written: &Written<'_>, warnings: &mut Vec<Warning>) {
    for name in &written.expanded {
        warnings.push(Warning {
            code: "DFS003",
            message: format!(
                "`${name}` was written into the command with its build-time value; a value set with `docker run -e` no longer changes it"
            ),
        });
    }
}

/// Whether a line of a Compose file, manifest or env file sets the variable `name`
/// (`- NAME=…`, `NAME: …`, `"NAME": …`, `- name: NAME`, `NAME=…`).
fn sets_variable(line: &str, name: &str) -> bool {
    let line = line.trim().trim_start_matches("- ").trim_start();
    let line = line.strip_prefix("export ").unwrap_or(line);
    // TOML's dotted key (`env.PORT = "80"` in fly.toml).
    let line = line.strip_prefix("env.").unwrap_or(line);
    let rest = line
        .strip_prefix(name)
        .or_else(|| line.strip_prefix(&format!("\"{name}\"")))
        .or_else(|| line.strip_prefix(&format!("'{name}'")));
    // `PORT=80` (env files), `PORT: 80` (YAML), `PORT = "80"` (TOML: fly.toml's [env]);
    // `name: PORT` (Kubernetes), `key: PORT` (render.yaml's envVars).
    rest.is_some_and(|r| {
        r.starts_with('=') || r.trim_start().starts_with(':') || r.trim_start().starts_with('=')
    }) || ["name:", "key:"].iter().any(|key| {
        line.strip_prefix(key)
            .is_some_and(|n| n.trim().trim_matches(['"', '\'']) == name)
    })
}

/// The files a Compose file's `env_file` names (`env_file: api.env`, or a list), relative
/// to the Compose file's folder.
fn env_files(compose: &str, text: &str) -> Vec<String> {
    let folder = compose.rsplit_once('/').map_or("", |(d, _)| d);
    let join = |name: &str| {
        let name = name.trim().trim_matches(['"', '\'']);
        let name = name.strip_prefix("./").unwrap_or(name);
        if folder.is_empty() || folder == "." {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        }
    };
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(value) = line.trim().strip_prefix("env_file:") else {
            continue;
        };
        let value = value.trim();
        if !value.is_empty() {
            out.push(join(value.trim_start_matches('[').trim_end_matches(']')));
            continue;
        }
        while let Some(next) = lines.peek() {
            let item = next.trim();
            let Some(item) = item.strip_prefix("- ") else {
                break;
            };
            // The long form: `- path: api.env`.
            let item = item.strip_prefix("path:").unwrap_or(item);
            out.push(join(item));
            lines.next();
        }
    }
    out
}

/// The files of hosting platforms that give the container variables of their own
/// (fly.toml's `[env]`, render.yaml's `envVars`, app.yaml's `env_variables`).
const PLATFORM_ENV_FILES: &[&str] = &[
    "fly.toml",
    "fly.production.toml",
    "fly.staging.toml",
    "render.yaml",
    "railway.toml",
    "railway.json",
    "app.yaml",
    ".do/app.yaml",
    "app.json",
    "heroku.yml",
];

/// The [`PLATFORM_ENV_FILES`] of the folder `up`, with their text.
fn platform_env_texts(read: &dyn Fn(&str) -> Option<String>, up: &str) -> Vec<(String, String)> {
    PLATFORM_ENV_FILES
        .iter()
        .map(|name| format!("{up}{name}"))
        .filter_map(|file| read(&file).map(|text| (file, text)))
        .collect()
}

/// The files of platforms that give the container its port in `PORT` when they start it
/// (Cloud Run: its service's YAML, or a Cloud Build file that deploys to it).
const PORT_PLATFORM_FILES: &[&str] = &[
    "fly.toml",
    "service.yaml",
    "cloudrun/service.yaml",
    ".cloudrun/service.yaml",
    "knative/service.yaml",
    // App Engine's flexible environment sets PORT=8080.
    "app.yaml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
    "Procfile",
    "app.json",
    "heroku.yml",
    "render.yaml",
    "railway.json",
    "railway.toml",
    ".do/app.yaml",
];

impl Planner<'_, '_> {
    /// Declines when the program forks workers that exit once their parent is PID 1
    /// (fiber's prefork) and the original started it behind another PID 1 (a shell-form
    /// command's `/bin/sh`, an entrypoint script or init): the new image runs it as PID 1,
    /// and its workers would exit at once.
    pub(super) fn check_parent_watch(
        &self,
        app: &crate::ecosystems::start::App<'_>,
    ) -> Result<(), Decline> {
        let Some((file, name)) = &app.main.artifact().uses.watches_parent else {
            return Ok(());
        };
        let command = self.model.run_command(self.stage.index);
        let first = |form: &CommandForm| match form {
            CommandForm::Exec(argv) => argv.first().cloned().unwrap_or_default(),
            CommandForm::Shell(_) => "/bin/sh".to_string(),
        };
        let pid1 = match (&command.entrypoint, &command.cmd) {
            (Some((form, _)), _) | (None, Some((form, _))) => first(form),
            (None, None) => return Ok(()),
        };
        let program = &app.main.artifact().path;
        if crate::analysis::command::basename(&pid1) == crate::analysis::command::basename(program)
        {
            return Ok(());
        }
        Err(Decline::new(
            DeclineCode::ShellFormCommand,
            format!("`{file}` forks workers with `{name}`, which exit when their parent is PID 1; the original ran `{pid1}` as PID 1 and the program under it, and the new image would run the program itself as PID 1"),
        )
        .at(from_span(self.stage))
        .help("turn prefork off, or keep an init or shell as PID 1 on an image that has one"))
    }

    /// The Compose files and manifests of the context and the `env_file`s they name, with
    /// their text: what gives the container its variables at run time.
    pub(super) fn deploy_env_texts(&self) -> Vec<(String, String)> {
        let Some(read) = self.context else {
            return Vec::new();
        };
        let mut texts = Vec::new();
        for (file, text) in super::deploy::deploy_texts(read) {
            let file = file.trim_start_matches("./").to_string();
            let envs = env_files(&file, &text);
            texts.push((file, text));
            texts.extend(
                envs.into_iter()
                    .filter_map(|env| read(&env).map(|t| (env, t))),
            );
        }
        for up in ["", "../", "../../"] {
            texts.extend(platform_env_texts(read, up));
        }
        texts
    }

    /// [`Planner::deploy_env_texts`] without the Compose files beside the folders above
    /// (`../other/compose.yaml`), which are mostly other projects'.
    pub(super) fn own_deploy_texts(&self) -> Vec<(String, String)> {
        let mut texts = self.deploy_env_texts();
        texts.retain(|(file, _)| {
            let name = file.rsplit('/').next().unwrap_or(file);
            let beside = file.starts_with("../") && file.trim_start_matches("../").contains('/');
            !(beside && name.contains("compose"))
        });
        texts
    }

    /// The ports below 1024 a deploy or platform file gives the app: `PORT` set to one
    /// (Compose's or a manifest's `env`, fly.toml's `[env]`, render.yaml's `envVars`, an
    /// env file), and where a platform sends the traffic (fly.toml's `internal_port`, App
    /// Platform's `http_port`).
    /// Compose files are read per service in [`super::deploy`]; here only the platform
    /// files and the context's own manifests, which are this image's.
    pub(super) fn deploy_low_ports(&self) -> Vec<(u32, String)> {
        let Some(read) = self.context else {
            return Vec::new();
        };
        let mut texts = super::deploy::manifest_files(read, "./");
        for up in ["", "../", "../../"] {
            // Fly's per-environment files (`fly.prod.toml`).
            for name in super::platforms::fly_files(read, up) {
                if !PLATFORM_ENV_FILES.contains(&name.as_str()) {
                    let file = format!("{up}{name}");
                    if let Some(text) = read(&file) {
                        texts.push((file, text));
                    }
                }
            }
            texts.extend(platform_env_texts(read, up));
        }
        let mut out = Vec::new();
        for (file, text) in texts {
            let file = file.trim_start_matches("./").to_string();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let trimmed = line.trim();
                // ASP.NET Core's URLs (`ASPNETCORE_URLS: http://+:80`), on the line or the
                // next (`- name: ASPNETCORE_URLS` / `value: …`).
                let url_variable = super::settings::LISTEN_URL_VARIABLES
                    .iter()
                    .any(|name| sets_variable(line, name));
                // A JVM option in any value (`JAVA_TOOL_OPTIONS: -Dserver.port=80`).
                if let Some(port) = super::settings::java_option_port(trimmed)
                    && (1..1024).contains(&port)
                {
                    out.push((port, format!("{file}: {trimmed}")));
                    continue;
                }
                let port_variable = super::settings::LISTEN_PORT_VARIABLES
                    .iter()
                    .find(|name| sets_variable(line, name));
                let value = if port_variable.is_some() || url_variable {
                    // On the line (`PORT=80`, `PORT: 80`, `PORT = "80"`), or the next for
                    // `name: PORT` / `key: PORT` (`value: "80"`).
                    let own = trimmed
                        .split_once(['=', ':'])
                        .map(|(_, v)| v.trim())
                        .filter(|v| {
                            let v = v.trim_matches(['"', '\'']);
                            !v.is_empty()
                                && !v.ends_with("PORT")
                                && !v.ends_with("PORTS")
                                && !v.ends_with("URLS")
                        });
                    own.map(str::to_string).or_else(|| {
                        lines.get(i + 1).and_then(|next| {
                            next.trim()
                                .trim_start_matches("- ")
                                .strip_prefix("value:")
                                .map(|v| v.trim().to_string())
                        })
                    })
                } else {
                    // Where the platform sends the traffic: fly.toml's `internal_port`,
                    // App Platform's `http_port` (not a manifest's `containerPort`, which
                    // a sidecar's or another Deployment's may be).
                    ["internal_port", "http_port"]
                        .iter()
                        .find_map(|key| trimmed.trim_start_matches("- ").strip_prefix(key))
                        .and_then(|r| {
                            let r = r.trim_start();
                            r.strip_prefix('=').or_else(|| r.strip_prefix(':'))
                        })
                        .map(|v| v.trim().to_string())
                };
                // A manifest's or Compose file's arguments (`args: ["-addr", ":80"]`).
                if let Some(list) = ["args:", "command:"]
                    .iter()
                    .find_map(|k| trimmed.trim_start_matches("- ").strip_prefix(k))
                    .map(str::trim)
                    .filter(|l| l.starts_with('['))
                {
                    let words: Vec<String> = list
                        .trim_matches(['[', ']'])
                        .split(',')
                        .map(|w| w.trim().trim_matches(['"', '\'']).to_string())
                        .collect();
                    out.extend(
                        super::named::command_ports(&words)
                            .into_iter()
                            .filter(|(port, _)| (1..1024).contains(port))
                            .map(|(port, _)| (port, format!("{file}: {trimmed}"))),
                    );
                }
                let Some(value) = value else { continue };
                if url_variable {
                    let urls = value.trim_matches(['"', '\'', ' ']);
                    out.extend(
                        super::named::url_ports(urls)
                            .into_iter()
                            .filter(|port| (1..1024).contains(port))
                            .map(|port| (port, format!("{file}: {trimmed}"))),
                    );
                    continue;
                }
                let digits: String = value
                    .trim_matches(['"', '\'', ' '])
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Ok(port) = digits.parse::<u32>()
                    && (1..1024).contains(&port)
                {
                    out.push((port, format!("{file}: {trimmed}")));
                }
            }
        }
        out
    }

    /// The ports below 1024 of the context's Kubernetes manifests and its own Helm charts
    /// (rendered with their values), read as Kubernetes reads them: see
    /// [`super::deploy::manifest_low_ports`].
    pub(super) fn pod_low_ports(&self, read: super::ContextReader<'_>) -> Vec<(u32, String, bool)> {
        let charts = super::deploy::helm_charts(read, super::deploy::HERE);
        let rendered = charts
            .iter()
            .flat_map(|(chart, _)| super::deploy::chart_manifests(read, chart));
        let mut out = Vec::new();
        for (file, text) in super::deploy::manifest_files(read, "./")
            .into_iter()
            .chain(rendered)
        {
            let file = file.trim_start_matches("./");
            out.extend(
                super::deploy::manifest_low_ports(&text)
                    .into_iter()
                    .map(|(port, how, declared)| (port, format!("{file}: {how}"), declared)),
            );
        }
        out
    }

    /// Declines when the command that `npm start` really runs expands a variable that a
    /// deploy or platform file sets when the container starts (`node src/index.js --port
    /// $PORT` beside a heroku.yml): as for the Dockerfile's own command, its build-time
    /// value written into the new command would no longer follow it.
    pub(super) fn check_run_expanded(
        &self,
        app: &crate::ecosystems::start::App<'_>,
    ) -> Result<(), Decline> {
        if app.run_expanded.is_empty() {
            return Ok(());
        }
        let deploy = self.deploy_env_texts();
        let found = app
            .run_expanded
            .iter()
            .find_map(|name| self.set_at_run_time(name, &deploy).map(|file| (name, file)));
        let Some((name, file)) = found else {
            return Ok(());
        };
        let shown = app.run_argv.as_deref().unwrap_or_default().join(" ");
        Err(Decline::new(
            DeclineCode::ShellFormCommand,
            format!("the command `{shown}` reads `${name}` when it starts, which {file} sets for the container; written into an exec-form command as its build-time value, it would no longer follow it"),
        )
        .at(from_span(self.stage))
        .help("let the program read the variable itself (`process.env.PORT`), or keep an image with a shell"))
    }

    /// The file that sets the variable `name` when the container starts, if one does: a
    /// Compose file, manifest or env file of `deploy`; for `PORT` with a build-time value,
    /// also the file of a platform that sets it (Heroku, Render, Railway, DigitalOcean's
    /// App Platform).
    fn set_at_run_time(&self, name: &str, deploy: &[(String, String)]) -> Option<String> {
        if let Some((file, _)) = deploy
            .iter()
            .find(|(_, text)| text.lines().any(|line| sets_variable(line, name)))
        {
            return Some(file.clone());
        }
        let read = self.context?;
        if name != "PORT" || !self.state().env.iter().any(|(n, _)| n == "PORT") {
            return None;
        }
        ["", "../", "../../"].iter().find_map(|up| {
            PORT_PLATFORM_FILES
                .iter()
                .map(|f| format!("{up}{f}"))
                .find(|f| read(f).is_some())
        })
    }

    /// Whether nothing but the command line sets what `default` leaves out: no config file
    /// named by a flag or found in the working directory, no variable with more arguments.
    /// Without the build context whether such a file is there cannot be told.
    fn not_overridden(&self, default: &RuntimeDefault) -> bool {
        let by = &default.overridden_by;
        let command = self.model.run_command(self.stage.index);
        let words: Vec<String> = [command.entrypoint, command.cmd]
            .into_iter()
            .flatten()
            .flat_map(|(form, _)| match form {
                CommandForm::Exec(argv) => argv,
                CommandForm::Shell(text) => text.split_whitespace().map(str::to_string).collect(),
            })
            .collect();
        let names_config = words.iter().any(|w| {
            by.flags.iter().any(|f| {
                w == f
                    || w.strip_prefix(f.as_str())
                        .is_some_and(|r| r.starts_with('='))
            })
        });
        if names_config || by.env.iter().any(|name| self.state().is_set(name)) {
            return false;
        }
        if self.context.is_none() {
            return by.files.is_empty();
        }
        // `image_file` also looks at the context's root: a build stage may have copied the
        // file there (`COPY . .`) before the final stage copied the folder over.
        by.files
            .iter()
            .all(|file| self.image_file(&self.in_workdir(file)).is_none())
    }
}

/// `text` without the flags its program's own default makes unnecessary (the catalogue's
/// `runtime_defaults`): `exec gunicorn --bind :$PORT app:app` → `exec gunicorn app:app`,
/// with the defaults it leaves out. `None` when nothing is left out.
fn without_runtime_defaults<'c>(
    text: &str,
    catalogue: &'c Catalogue,
) -> Option<(String, Vec<&'c RuntimeDefault>)> {
    let commands = crate::analysis::shell::commands(text)?;
    let [command] = commands.as_slice() else {
        return None;
    };
    let words: Vec<&str> = command.words.iter().map(|w| w.raw.as_str()).collect();
    let at = usize::from(words.first() == Some(&"exec"));
    let program = crate::analysis::command::basename(words.get(at)?);
    let defaults: Vec<_> = catalogue.runtime_defaults(program).collect();
    let unquoted = |word: &str| word.trim_matches(['"', '\'']).to_string();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        // The default whose flag `flag` is and whose values hold `value`.
        let drops = |flag: &str, value: &str| {
            defaults.iter().copied().find(|d| {
                d.flags.iter().any(|f| f == flag) && d.values.iter().any(|v| *v == unquoted(value))
            })
        };
        if i > at
            && let Some(default) = words.get(i + 1).and_then(|v| drops(word, v))
        {
            i += 2;
            dropped.push(default);
            continue;
        }
        if let Some((flag, value)) = word.split_once('=')
            && i > at
            && let Some(default) = drops(flag, value)
        {
            i += 1;
            dropped.push(default);
            continue;
        }
        kept.push(word);
        i += 1;
    }
    (!dropped.is_empty()).then(|| (kept.join(" "), dropped))
}
