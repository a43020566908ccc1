//! Phase 4's evidence from the build context: the config files a server reads at start,
//! which say what the command line does not (a port below 1024, a log file, a user to
//! switch to). `gunicorn.conf.py` (read from the working folder by default, or named by
//! `-c`), hypercorn's and streamlit's TOML, the `.env` file `node --env-file` loads,
//! Spring's `application.properties`/`.yml` and ASP.NET Core's `appsettings.json`.
//!
//! The readers are deliberately shallow (a `key = value` line, a quoted string): a setting
//! they misread can only make the rewrite decline where it need not, since every finding
//! here is one more reason to keep root, never one less.

use crate::analysis::command::basename;

use super::named::{address_port, env_ports, url_ports, written_location};
use super::*;
use crate::ecosystems::keys::{properties, yaml_keys};
use crate::ecosystems::sources::{Language, find_in_sources, program_call};

/// What a server's config files set that matters once it runs as another user.
#[derive(Default)]
pub(super) struct Settings {
    /// Ports it listens on, each with where that is written; appsettings.json's first.
    pub(super) ports: Vec<(u32, String)>,
    /// Paths it writes (relative to the working folder or absolute), with where.
    pub(super) writes: Vec<(String, String)>,
    /// A user or group it switches to itself.
    pub(super) user_switch: Option<String>,
    /// The settings module of the Django project the command runs (`mysite.settings`),
    /// found once here for its database and read again by [`Planner::check_app_module`]
    /// for its URL module.
    pub(super) django_module: Option<String>,
    /// A folder its code makes with a mode only root may enter, with where.
    pub(super) locked_folder: Option<String>,
    /// A source file that reads where a platform mounted its volume (owned by root).
    pub(super) platform_volume: Option<String>,
    /// A source file that does what only root may (a device, the Docker socket, a raw
    /// socket), with what.
    pub(super) privileged_use: Option<String>,
    /// The ports it listens on when only its image sets them, with why: an EXPOSE of
    /// another port is stale (ASP.NET Core 8's `ASPNETCORE_HTTP_PORTS=8080` beside the
    /// `EXPOSE 80` written for .NET 6).
    pub(super) listen_default: Option<(Vec<u32>, String)>,
    /// Ports below 1024 that a Kubernetes manifest declares for its container
    /// (`containerPort: 443`), with where: as EXPOSE, they say where the app listens
    /// without setting it.
    pub(super) declared_ports: Vec<(u32, String)>,
}

/// The variables servers take their listen port from (not `SMTP_PORT` or `DB_PORT`, the
/// ports of servers an app reaches): read in a `.env` and in a Compose service's
/// `environment`.
pub(super) const LISTEN_PORT_VARIABLES: &[&str] = &[
    "PORT",
    "HTTP_PORT",
    "SERVER_PORT",
    "APP_PORT",
    "WEB_PORT",
    "LISTEN_PORT",
    "UVICORN_PORT",
    "FLASK_RUN_PORT",
    "ASPNETCORE_HTTP_PORTS",
    "ASPNETCORE_HTTPS_PORTS",
    "DOTNET_HTTP_PORTS",
    "HTTP_PORTS",
    "HTTPS_PORTS",
    "STREAMLIT_SERVER_PORT",
];
/// The variables that give ASP.NET Core the URLs it listens on (`http://+:80`), read where
/// [`LISTEN_PORT_VARIABLES`] are.
pub(super) const LISTEN_URL_VARIABLES: &[&str] = &["ASPNETCORE_URLS", "DOTNET_URLS", "URLS"];

/// The listen port a JVM option or program argument in `text` sets: `-Dserver.port=80`,
/// `--server.port=80` (Spring Boot), and Quarkus' and Micronaut's keys, as in
/// `JAVA_TOOL_OPTIONS` or `JAVA_OPTS` of a deploy file.
pub(super) fn java_option_port(text: &str) -> Option<u32> {
    const KEYS: &[&str] = &[
        "server.port=",
        "quarkus.http.port=",
        "micronaut.server.port=",
    ];
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']'))
        .filter_map(|word| {
            let word = word
                .strip_prefix("-D")
                .or_else(|| word.strip_prefix("--"))?;
            let value = KEYS.iter().find_map(|key| word.strip_prefix(key))?;
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .next()
}

impl Planner<'_, '_> {
    /// A file of the image that the build context provides: through a COPY of the final
    /// stage, or else at the same place below the context's root as below the WORKDIR
    /// (`COPY . .` in a build stage whose folder the final stage copies).
    pub(super) fn image_file(&self, image_path: &str) -> Option<String> {
        self.finder(crate::ecosystems::start::from_span(self.stage))
            .image_file(image_path)
    }

    /// A path the command names, made absolute against the WORKDIR.
    pub(super) fn in_workdir(&self, path: &str) -> String {
        if path.starts_with('/') {
            return path.to_string();
        }
        let workdir = self.state().workdir.as_deref().unwrap_or("/");
        format!("{}/{path}", workdir.trim_end_matches('/'))
    }

    /// The settings of the config files the command's server reads.
    pub(super) fn settings(&self, argv: &[String]) -> Settings {
        let mut out = Settings::default();
        // ASP.NET Core's appsettings.json, read and parsed once for its listen URLs, its
        // connection strings and its log files.
        let appsettings = self.appsettings();
        out.ports.extend(appsettings_ports(&appsettings));
        let program = server_program(argv);
        let config_flag = option_value(argv, &["-c", "--config"]);
        match program {
            Some("gunicorn") => {
                // `-c python:module` names a module, which is not a file to read.
                let file = match &config_flag {
                    Some(f) if f.starts_with("python:") => None,
                    Some(f) => Some(f.trim_start_matches("file:").to_string()),
                    None => Some("gunicorn.conf.py".to_string()),
                };
                if let Some(file) = file
                    && let Some(text) = self.image_file(&self.in_workdir(&file))
                {
                    out.read_server_config(&file, &text, GUNICORN_WRITES);
                }
            }
            Some("hypercorn") => {
                if let Some(file) = &config_flag
                    && !file.starts_with("python:")
                    && let Some(text) =
                        self.image_file(&self.in_workdir(file.trim_start_matches("file:")))
                {
                    out.read_server_config(file, &text, HYPERCORN_WRITES);
                }
            }
            Some("streamlit") => {
                let file = ".streamlit/config.toml";
                if let Some(text) = self.image_file(&self.in_workdir(file)) {
                    for (key, values) in assignments(&text) {
                        if key == "port" {
                            out.ports.extend(numbers(&values, file, &key));
                        }
                    }
                }
            }
            // Beat keeps its schedule in a file, `celerybeat-schedule` in the working folder
            // unless `-s` names another.
            Some("celery")
                if argv
                    .iter()
                    .any(|w| matches!(w.as_str(), "beat" | "-B" | "--beat")) =>
            {
                let file = option_value(argv, &["-s", "--schedule"])
                    .unwrap_or_else(|| "celerybeat-schedule".to_string());
                out.writes
                    .push((file, "celery beat's schedule file".to_string()));
            }
            _ => {}
        }
        out.django_module = self.django_settings(argv);
        if let Some(module) = &out.django_module {
            out.writes.extend(self.django_database(module));
        }
        // `node --env-file=.env.production`: node sets those variables before the app runs.
        if argv.first().is_some_and(|p| basename(p) == "node")
            && let Some(file) = option_value(argv, &["--env-file"])
            && let Some(text) = self.image_file(&self.in_workdir(&file))
        {
            let vars = env_file(&text);
            out.ports.extend(
                env_ports(vars.iter().map(|(n, v)| (n.as_str(), v.as_str())))
                    .into_iter()
                    .map(|(p, how)| (p, format!("{file}: {how}"))),
            );
        }
        // A `.env` in the working folder, which dotenv libraries (python-dotenv, Node's
        // dotenv, godotenv) load at start: its listen port. Only the names servers listen
        // on: a `.env` also names the ports of servers the app reaches (`SMTP_PORT=25`).
        if let Some(text) = self.image_file(&self.in_workdir(".env")) {
            for (name, value) in env_file(&text) {
                if LISTEN_PORT_VARIABLES.contains(&name.as_str())
                    && let Ok(port) = value.parse::<u32>()
                {
                    out.ports.push((port, format!(".env: {name}={value}")));
                }
            }
        }
        if argv.first().is_some_and(|p| basename(p) == "java") {
            let (ports, writes) = self.spring_settings(argv);
            out.ports.extend(ports);
            out.writes.extend(writes);
        }
        out.writes.extend(appsettings_writes(&appsettings));
        out.writes.extend(self.logging_writes(&appsettings));
        // What the application's code creates at an absolute path (`os.makedirs("/data")`),
        // in any source file of the context: only the image's user decides who may.
        if let Some(read) = self.context {
            let languages = source_languages(self.model);
            let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
            out.writes
                .extend(crate::ecosystems::created::context_created_paths(
                    read,
                    &languages,
                    &|folder| image_folder(self.model, self.stage.index, folder, 1),
                ));
            out.locked_folder = crate::ecosystems::created::context_locked_folder(read, &languages);
            let root_uses = crate::ecosystems::privileged::context_root_uses(read, &languages);
            out.platform_volume = root_uses.platform_volume;
            out.privileged_use = root_uses.privileged;
            out.ports
                .extend(crate::ecosystems::ports::context_low_port(read, &languages));
            out.listen_default = self.aspnet_default_listen(argv, read);
        }
        out.ports.extend(self.config_ports());
        out.ports.extend(self.deploy_low_ports());
        // After the deploy files' lines, which name a port as written: the pods of the
        // context's manifests and charts, read once for their arguments' ports and their
        // declared ones.
        if let Some(read) = self.context {
            for (port, how, declared) in self.pod_low_ports(read) {
                if declared {
                    out.declared_ports.push((port, how));
                } else {
                    out.ports.push((port, how));
                }
            }
        }
        out
    }

    /// Where an ASP.NET Core application listens when only its image says so
    /// ([`crate::ecosystems::dotnet::default_listen_ports`]).
    fn aspnet_default_listen(
        &self,
        argv: &[String],
        read: super::ContextReader<'_>,
    ) -> Option<(Vec<u32>, String)> {
        let runtime = self.model.facts(self.stage.index)?.runtime.clone()?;
        let env = self.state().env.iter();
        // One that builds this Dockerfile beside the folders above has its services'
        // listen variables read by `check_compose`.
        crate::ecosystems::dotnet::default_listen_ports(
            &runtime.name,
            runtime.version.as_deref()?,
            env,
            argv,
            read,
            &self.own_deploy_texts(),
        )
    }

    /// The Python module a server loads (`gunicorn app:app` → `app.py`, `uvicorn
    /// pkg.main:app` → `pkg/main.py`) or `python -m pkg` runs (`pkg/__main__.py`): read
    /// like an entry file, for calls that run other programs. `settings` are the command's
    /// ([`Planner::settings`]), for a Django project's settings module.
    pub(super) fn check_app_module(
        &self,
        argv: &[String],
        settings: &Settings,
    ) -> Result<(), Decline> {
        let Some(program) = server_program(argv) else {
            return Ok(());
        };
        let module_python = argv
            .first()
            .is_some_and(|p| basename(p).starts_with("python"));
        let mut files = Vec::new();
        if matches!(
            program,
            "gunicorn" | "uvicorn" | "hypercorn" | "daphne" | "waitress-serve"
        ) {
            if let Some(spec) = argv
                .iter()
                .skip(1)
                .filter(|w| !w.starts_with('-') && !w.contains('/'))
                .rfind(|w| {
                    // `module.path:attr`, not an address (`0.0.0.0:8000`).
                    w.split_once(':').is_some_and(|(m, _)| {
                        m.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                            && m.chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                    })
                })
            {
                let module = spec.split(':').next().unwrap_or(spec);
                files.push(format!("{}.py", module.replace('.', "/")));
                // Importing `pkg.main` runs `pkg/__init__.py` first.
                let parts: Vec<&str> = module.split('.').collect();
                for end in 1..parts.len() {
                    files.push(format!("{}/__init__.py", parts[..end].join("/")));
                }
            }
        } else if program == "celery"
            && let Some(app) = option_value(argv, &["-A", "--app"])
        {
            // `celery -A proj` loads `proj`, or `proj.celery` when that is a package.
            let path = app.split(':').next().unwrap_or(&app).replace('.', "/");
            files.push(format!("{path}.py"));
            files.push(format!("{path}/__init__.py"));
            files.push(format!("{path}/celery.py"));
        } else if module_python {
            let path = program.replace('.', "/");
            files.push(format!("{path}/__main__.py"));
            files.push(format!("{path}.py"));
        }
        // A Django project loads its URL module and views for each request.
        if let Some(module) = &settings.django_module {
            files.extend(self.django_urls(module));
        }
        // `gunicorn --chdir src` imports the module from that folder.
        let chdir = option_value(argv, &["--chdir"]).map(|d| self.in_workdir(&d));
        // Servers and `-m` import from the working folder (and PYTHONPATH); the modules the
        // file loads in turn are read too.
        let base =
            chdir.unwrap_or_else(|| self.state().workdir.as_deref().unwrap_or("/").to_string());
        let mut roots = vec![base.clone()];
        if let Some(path) = self.state().value("PYTHONPATH") {
            roots.extend(
                path.split(':')
                    .filter(|p| p.starts_with('/'))
                    .map(str::to_string),
            );
        }
        let read = |path: &str| self.image_file(path);
        for file in files {
            let entry = format!("{}/{file}", base.trim_end_matches('/'));
            if let Some((found, call)) =
                find_in_sources(&entry, Language::Python, &roots, &read, |code| {
                    program_call(code, Language::Python)
                })
            {
                let who = if found == entry {
                    format!("{file}, which the command loads,")
                } else {
                    format!("{found}, which {file} (loaded by the command) imports,")
                };
                return Err(Decline::new(
                    DeclineCode::RunsPrograms,
                    format!("{who} runs other programs (`{call}`), which the original image had and a distroless one does not (nor a shell)"),
                )
                .at(self.command_span())
                .help("do the work in the application's language, or keep a full image"));
            }
        }
        Ok(())
    }
}

/// What Django's settings say.
impl Planner<'_, '_> {
    /// The settings module of a Django project the command runs (`manage.py …`, or a
    /// server of a `*.wsgi`/`*.asgi` module): DJANGO_SETTINGS_MODULE, or the default that
    /// `manage.py` or the wsgi module sets (`os.environ.setdefault(…, "mysite.settings")`).
    fn django_settings(&self, argv: &[String]) -> Option<String> {
        let manage = argv.iter().find(|w| basename(w) == "manage.py");
        let served = argv
            .iter()
            .filter_map(|w| w.split_once(':').map(|(m, _)| m))
            .find(|m| m.ends_with(".wsgi") || m.ends_with(".asgi"));
        if manage.is_none() && served.is_none() {
            return None;
        }
        let module = self.state().value("DJANGO_SETTINGS_MODULE").or_else(|| {
            let file = manage.map_or_else(
                || format!("{}.py", served.unwrap_or_default().replace('.', "/")),
                |m| m.clone(),
            );
            let text = self.image_file(&self.in_workdir(&file))?;
            let at = text.find("DJANGO_SETTINGS_MODULE")?;
            quoted(&text[at.saturating_sub(1)..])
                .into_iter()
                .find(|s| s != "DJANGO_SETTINGS_MODULE")
        });
        module.filter(|m| !m.is_empty())
    }

    /// The URL module a Django project's settings name (`ROOT_URLCONF = "mysite.urls"`):
    /// Django loads it, and the views it imports, for every request.
    fn django_urls(&self, module: &str) -> Option<String> {
        let workdir = self.state().workdir.as_deref().unwrap_or("/").to_string();
        let read = |path: &str| self.image_file(path);
        let (_, urls) = find_in_sources(
            &self.in_workdir(&format!("{}.py", module.replace('.', "/"))),
            Language::Python,
            &[workdir],
            &read,
            |code| {
                let at = code.find("ROOT_URLCONF")?;
                let line = code[at..].lines().next()?;
                quoted(line).into_iter().next()
            },
        )?;
        Some(format!("{}.py", urls.replace('.', "/")))
    }

    /// The SQLite database of a Django project (`startproject`'s default:
    /// `'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'`), which
    /// `runserver`, `migrate` and any request create or write: an absolute NAME as written,
    /// else the file in the working folder (where `manage.py` and so BASE_DIR are).
    /// `module` is the project's settings module ([`Planner::django_settings`]).
    fn django_database(&self, module: &str) -> Vec<(String, String)> {
        // The settings module, or one it imports (`from .base import *` of a settings
        // package), that names the SQLite engine.
        let file = format!("{}.py", module.replace('.', "/"));
        let workdir = self.state().workdir.as_deref().unwrap_or("/").to_string();
        let read = |path: &str| self.image_file(path);
        let Some((found, text)) = find_in_sources(
            &self.in_workdir(&file),
            Language::Python,
            &[workdir],
            &read,
            |code| {
                code.contains("django.db.backends.sqlite3")
                    .then(|| code.to_string())
            },
        ) else {
            return Vec::new();
        };
        let file = found;
        let Some(at) = text.find("django.db.backends.sqlite3") else {
            return Vec::new();
        };
        // The value after `'NAME'`, up to the end of its line.
        let value = text[at..]
            .find("NAME'")
            .or_else(|| text[at..].find("NAME\""))
            .map_or("", |n| {
                let rest = &text[at + n + "NAME'".len()..];
                rest.lines().next().unwrap_or("")
            });
        let path = quoted(value)
            .into_iter()
            .next()
            .unwrap_or_else(|| "db.sqlite3".to_string());
        let path = if path.starts_with('/') {
            path
        } else {
            path.rsplit('/').next().unwrap_or(&path).to_string()
        };
        vec![(path, format!("{file}: Django's SQLite database"))]
    }
}

/// What Java's and .NET's config files say.
impl Planner<'_, '_> {
    /// Spring Boot's (and Quarkus's, Micronaut's) server port in the application's
    /// `application.properties` or `application.yml`: packed into the jar from
    /// `src/main/resources`, or read from the working folder (`./config/` too) at start.
    /// Its log file and database file too (`logging.file.name`, `logging.file.path`,
    /// `spring.datasource.url=jdbc:sqlite:app.db`).
    #[allow(clippy::type_complexity)]
    fn spring_settings(&self, argv: &[String]) -> (Vec<(u32, String)>, Vec<(String, String)>) {
        let Some(read) = self.context else {
            return (Vec::new(), Vec::new());
        };
        // The active profiles' files too (`application-prod.yml` under
        // `SPRING_PROFILES_ACTIVE=prod` or `-Dspring.profiles.active=prod`).
        let profiles: Vec<String> = argv
            .iter()
            .filter_map(|a| {
                a.trim_start_matches("-D")
                    .trim_start_matches("--")
                    .strip_prefix("spring.profiles.active=")
                    .map(str::to_string)
            })
            .chain(self.state().value("SPRING_PROFILES_ACTIVE"))
            .flat_map(|p| {
                p.split(',')
                    .map(|p| p.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            })
            .collect();
        let mut names: Vec<String> = [
            "application.properties",
            "application.yml",
            "application.yaml",
        ]
        .iter()
        .map(|n| n.to_string())
        .collect();
        for profile in &profiles {
            for ext in ["properties", "yml", "yaml"] {
                names.push(format!("application-{profile}.{ext}"));
            }
        }
        const KEYS: &[&str] = &["server.port", "quarkus.http.port", "micronaut.server.port"];
        const WRITES: &[&str] = &[
            "logging.file.name",
            "logging.file.path",
            "spring.datasource.url",
            // Tomcat makes its work folders there at start.
            "server.tomcat.basedir",
            "spring.servlet.multipart.location",
        ];
        let mut out = Vec::new();
        let mut writes = Vec::new();
        for dir in ["src/main/resources/", "", "config/"] {
            // Every other profile's file too, for its port only: a profile can be made
            // active where dfslim does not look (a Kubernetes env, a Helm value, a
            // platform's settings, `spring.profiles.active` in a file read at start).
            let others: Vec<String> = crate::ecosystems::compiled::folder_entries(read, dir)
                .into_iter()
                .filter(|e| {
                    e.starts_with("application-")
                        && [".properties", ".yml", ".yaml"]
                            .iter()
                            .any(|x| e.ends_with(x))
                        && !names.contains(e)
                })
                .collect();
            // A file's settings, with its path in the context.
            let settings_of = |name: &str| {
                let file = format!("{dir}{name}");
                let text = read(&file)?;
                let settings = if name.ends_with(".properties") {
                    properties(&text)
                } else {
                    yaml_keys(&text)
                };
                Some((file, settings))
            };
            for name in &others {
                let Some((file, settings)) = settings_of(name) else {
                    continue;
                };
                for (key, value) in settings {
                    if KEYS.contains(&key.as_str())
                        && let Ok(port) = placeholder_default(&value).parse::<u32>()
                        && (1..1024).contains(&port)
                    {
                        out.push((
                            port,
                            format!("{file}: {key}={value}, under a profile that may be active"),
                        ));
                    }
                }
            }
            for name in &names {
                let Some((file, settings)) = settings_of(name) else {
                    continue;
                };
                for (key, value) in settings {
                    // Quarkus' profile prefix (`%prod.quarkus.http.port`): prod is the
                    // packaged app's default profile.
                    let key = key.strip_prefix("%prod.").unwrap_or(&key).to_string();
                    if KEYS.contains(&key.as_str())
                        && let Ok(port) = placeholder_default(&value).parse::<u32>()
                    {
                        out.push((port, format!("{file}: {key}={value}")));
                    }
                    if WRITES.contains(&key.as_str())
                        && let Some(path) = written_location(&value)
                    {
                        writes.push((path, format!("{file}: {key}={value}")));
                    }
                }
            }
        }
        (out, writes)
    }

    /// The listen port of a program's own config file, in the shapes the common ones take:
    /// a `port`/`listen`/`bind`/`addr` key at the top or under a server section of a YAML
    /// or JSON config (`listen: ":80"` of a Go service, Dropwizard's
    /// `server.applicationConnectors[].port`, node-config's `config/production.json`), Ktor's
    /// HOCON `port = 80`, and `FLASK_RUN_PORT` in `.flaskenv`. A client's port (`db.port`)
    /// sits under another section and is not read.
    fn config_ports(&self) -> Vec<(u32, String)> {
        const FILES: &[&str] = &[
            "config.yaml",
            "config.yml",
            "config.json",
            "config.toml",
            "config/config.toml",
            "config/default.toml",
            "config/production.toml",
            "config/config.yaml",
            "config/config.yml",
            "config/default.json",
            "config/production.json",
            "config/default.yaml",
            "config/production.yaml",
            "src/main/resources/application.conf",
            "application.conf",
            ".flaskenv",
        ];
        const KEYS: &[&str] = &[
            "port",
            "listen",
            "bind",
            "addr",
            "address",
            "listen_addr",
            "listen_address",
            "http_port",
        ];
        const SECTIONS: &[&str] = &[
            "server",
            "http",
            "web",
            "app",
            "api",
            "applicationConnectors",
            "connectors",
            "ktor",
            "deployment",
        ];
        let mut out = Vec::new();
        for (file, text) in self.context_files_named(FILES) {
            let pairs: Vec<(String, String)> = if file.ends_with(".flaskenv") {
                env_file(&text)
                    .into_iter()
                    .filter(|(name, _)| name == "FLASK_RUN_PORT")
                    .map(|(_, value)| ("port".to_string(), value))
                    .collect()
            } else if file.ends_with(".json") {
                serde_json::from_str::<serde_json::Value>(&text)
                    .map(|v| json_keys(&v, ""))
                    .unwrap_or_default()
            } else if file.ends_with(".toml") {
                toml_keys(&text)
            } else if file.ends_with(".conf") {
                // HOCON: `port = 80` inside `ktor { deployment { … } }`.
                text.lines()
                    .filter_map(|l| l.trim().split_once('='))
                    .map(|(k, v)| {
                        (
                            format!("ktor.deployment.{}", k.trim()),
                            v.trim().to_string(),
                        )
                    })
                    .collect()
            } else {
                yaml_keys(&text)
            };
            for (key, value) in pairs {
                let mut parts: Vec<&str> = key.split('.').collect();
                let Some(last) = parts.pop() else { continue };
                if !KEYS.contains(&last) || !parts.iter().all(|p| SECTIONS.contains(p)) {
                    continue;
                }
                let value = value.trim().trim_matches(['"', '\'']);
                let port = value.parse::<u32>().ok().or_else(|| address_port(value));
                if let Some(port) = port {
                    out.push((port, format!("{file}: {key}={value}")));
                }
            }
        }
        out
    }

    /// The log files a logging library's config file names: log4j2's and logback's (in
    /// `src/main/resources`, packed into the jar), NLog's, Serilog's sink in
    /// `appsettings.json` (already read: `appsettings`), Python's `logging.conf`
    /// (`fileConfig`). Java's and NLog's libraries report a file they cannot open and go
    /// on; Python's stops the program at start; either way the log is lost, or the app,
    /// once root becomes 65532.
    fn logging_writes(&self, appsettings: &[AppSettings]) -> Vec<(String, String)> {
        const JAVA_AND_NLOG: &[&str] = &[
            "src/main/resources/log4j2.xml",
            "src/main/resources/log4j2-spring.xml",
            "src/main/resources/logback.xml",
            "src/main/resources/logback-spring.xml",
            "log4j2.xml",
            "logback.xml",
            "nlog.config",
            "NLog.config",
        ];
        const PYTHON: &[&str] = &["logging.conf", "logging.ini"];
        let java_and_nlog = self.context_files_named(JAVA_AND_NLOG);
        let python = self.context_files_named(PYTHON);
        // In that order: the order the paths are reported in.
        let files = java_and_nlog
            .iter()
            .map(|(file, text)| (file, text))
            .chain(appsettings.iter().map(|a| (&a.file, &a.text)))
            .chain(python.iter().map(|(file, text)| (file, text)));
        let mut out = Vec::new();
        for (file, text) in files {
            for path in log_paths(text) {
                out.push((path, format!("{file}: a log file")));
            }
        }
        out
    }

    /// Each of `names` at the build context's root, and in each folder a COPY of any stage
    /// brings from the context (`COPY myapp/ .` before `dotnet publish`, which copies the
    /// project's appsettings.json beside the app): the texts found, with their context
    /// paths. The folders are found once for all the names.
    fn context_files_named(&self, names: &[&str]) -> Vec<(String, String)> {
        let Some(read) = self.context else {
            return Vec::new();
        };
        let mut dirs: Vec<String> = vec![String::new()];
        // A literal folder of the context, once.
        let mut add = |dir: &str| {
            if !dir.is_empty()
                && dir != "."
                && !dir.starts_with('/')
                && !dir.contains(['*', '?', '$', '['])
                && !dirs.iter().any(|d| d == dir)
            {
                dirs.push(dir.to_string());
            }
        };
        for stage in &self.model.stages.stages {
            for copy in stage.instructions_of(Keyword::Copy) {
                if copy.flag("from").is_some() {
                    continue;
                }
                let Some(words) = copy.args.path_words() else {
                    continue;
                };
                for word in words.iter().rev().skip(1) {
                    let source = word.text.trim_start_matches("./").trim_end_matches('/');
                    // A folder copied, or the folder of a file copied (`COPY
                    // ["WebApp/WebApp.csproj", "WebApp/"]`, the project's folder).
                    let parent = source.rsplit_once('/').map(|(dir, _)| dir);
                    std::iter::once(source).chain(parent).for_each(&mut add);
                }
            }
        }
        // The folder of a .NET project a RUN builds (`dotnet publish WebApp/WebApp.csproj`
        // after `COPY . .`), as written: publish copies its settings beside the app.
        for stage in &self.model.stages.stages {
            for run in stage.instructions_of(Keyword::Run) {
                let text = run.line_span.slice(self.model.src);
                let words: Vec<&str> = text.split_whitespace().collect();
                for (at, word) in words.iter().enumerate() {
                    let word = word.trim_matches(['"', '\'']).trim_start_matches("./");
                    if [".csproj", ".fsproj", ".vbproj"]
                        .iter()
                        .any(|e| word.ends_with(e))
                        && let Some((dir, _)) = word.rsplit_once('/')
                    {
                        add(dir);
                    }
                    // A project's folder (`dotnet publish ./Web -c Release`).
                    if at >= 2
                        && words[at - 2] == "dotnet"
                        && matches!(words[at - 1], "publish" | "build")
                        && !word.starts_with('-')
                    {
                        add(word.trim_end_matches('/'));
                    }
                }
            }
        }
        // Name by name, each in every folder: the order the callers report in.
        names
            .iter()
            .flat_map(|name| {
                dirs.iter().filter_map(move |dir| {
                    let path = if dir.is_empty() {
                        name.to_string()
                    } else {
                        format!("{dir}/{name}")
                    };
                    read(&path).map(|text| (path, text))
                })
            })
            .collect()
    }

    /// ASP.NET Core's `appsettings.json` (and its Production variant) at the root of the
    /// build context, which `dotnet publish` copies beside the app, and in the folders
    /// [`Planner::context_files_named`] looks in: each file read and parsed once.
    fn appsettings(&self) -> Vec<AppSettings> {
        self.context_files_named(&["appsettings.json", "appsettings.Production.json"])
            .into_iter()
            .map(|(file, text)| AppSettings {
                json: serde_json::from_str(&text).ok(),
                file,
                text,
            })
            .collect()
    }
}

/// One `appsettings.json` file found in the build context.
struct AppSettings {
    /// Its path in the build context.
    file: String,
    text: String,
    /// Its value, when the text is JSON.
    json: Option<serde_json::Value>,
}

/// The ports of `appsettings.json`: a Kestrel endpoint or `Urls` there
/// (`http://0.0.0.0:80`) wins over `ASPNETCORE_HTTP_PORTS`.
fn appsettings_ports(appsettings: &[AppSettings]) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for AppSettings { file, json, .. } in appsettings {
        let file = file.as_str();
        let Some(settings) = json else {
            continue;
        };
        let mut urls: Vec<String> = Vec::new();
        if let Some(value) = settings.get("Urls").and_then(|v| v.as_str()) {
            urls.push(value.to_string());
        }
        if let Some(endpoints) = settings
            .get("Kestrel")
            .and_then(|k| k.get("Endpoints"))
            .and_then(|e| e.as_object())
        {
            urls.extend(
                endpoints
                    .values()
                    .filter_map(|e| e.get("Url")?.as_str().map(str::to_string)),
            );
        }
        for url in urls {
            out.extend(
                url_ports(&url)
                    .into_iter()
                    .map(|p| (p, format!("{file}: {url}"))),
            );
        }
    }
    out
}

/// ASP.NET Core's connection strings in `appsettings.json`: a SQLite file
/// (`"Data Source=app.db"`), which EF Core creates beside the app.
fn appsettings_writes(appsettings: &[AppSettings]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for AppSettings { file, json, .. } in appsettings {
        if let Some(json) = json {
            storage_paths(json, "", &mut |key, path| {
                out.push((path.to_string(), format!("{file}: {key}={path}")));
            });
        }
        let Some(strings) = json
            .as_ref()
            .and_then(|s| s.get("ConnectionStrings"))
            .and_then(|c| c.as_object())
        else {
            continue;
        };
        for (name, value) in strings {
            if let Some(text) = value.as_str()
                && let Some(path) = written_location(text)
            {
                out.push((path, format!("{file}: ConnectionStrings:{name}={text}")));
            }
        }
    }
    out
}

/// The absolute paths a settings file gives under a key that names a place to keep
/// things (`"Data": {"Path": "/data"}`, `StorageDirectory`, `LogFolder`): the application
/// is configured to keep its data there, so it writes there. A certificate, a web root or
/// a file of a read-only kind (`.pem`, `.json`) is only read.
fn storage_paths(value: &serde_json::Value, key: &str, found: &mut dyn FnMut(&str, &str)) {
    const PLACES: &[&str] = &[
        "path",
        "dir",
        "directory",
        "folder",
        "root",
        "location",
        "file",
        "filename",
        "storage",
    ];
    const READ_ONLY: &[&str] = &[
        "cert",
        "key",
        "webroot",
        "contentroot",
        "wwwroot",
        "pathbase",
    ];
    const READ_FILES: &[&str] = &[
        ".pem", ".crt", ".cer", ".key", ".pfx", ".p12", ".json", ".xml", ".yaml", ".yml", ".conf",
        ".cfg", ".ini", ".html",
    ];
    match value {
        serde_json::Value::Object(map) => {
            for (name, inner) in map {
                let path = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}:{name}")
                };
                storage_paths(inner, &path, found);
            }
        }
        serde_json::Value::String(text) => {
            let name = key.rsplit(':').next().unwrap_or(key).to_ascii_lowercase();
            let lower = key.to_ascii_lowercase();
            if PLACES.iter().any(|p| name.ends_with(p))
                && !READ_ONLY.iter().any(|r| lower.contains(r))
                && text.starts_with('/')
                && !text.starts_with("//")
                && !text.starts_with("/tmp")
                && !READ_FILES
                    .iter()
                    .any(|x| text.to_ascii_lowercase().ends_with(x))
            {
                found(key, text);
            }
        }
        _ => {}
    }
}

/// A TOML file's `key = value` lines, each key under its `[table]` header as
/// `table.key` (enough for a config's `[server]` / `port = 80`; arrays and inline tables
/// are left as their text).
fn toml_keys(text: &str) -> Vec<(String, String)> {
    let mut table = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or(line).trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            table = header.trim_matches(['[', ']']).trim().to_string();
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim().trim_matches('"');
            let key = if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            };
            out.push((key, value.trim().to_string()));
        }
    }
    out
}

/// gunicorn's settings that name files it writes.
/// <https://docs.gunicorn.org/en/stable/settings.html>
const GUNICORN_WRITES: &[&str] = &["accesslog", "errorlog", "pidfile", "worker_tmp_dir"];
/// hypercorn's. <https://hypercorn.readthedocs.io/en/latest/how_to_guides/configuring.html>
const HYPERCORN_WRITES: &[&str] = &["accesslog", "errorlog", "pid_path"];

impl Settings {
    /// gunicorn's or hypercorn's config: `bind` (addresses, or a unix socket it creates),
    /// the files it writes, and `user`/`group`, which it switches to.
    fn read_server_config(&mut self, file: &str, text: &str, writes: &[&str]) {
        for (key, values) in assignments(text) {
            let how = |value: &str| format!("{file}: {key} = {value}");
            match key.as_str() {
                "bind" | "insecure_bind" | "quic_bind" => {
                    for value in &values {
                        if let Some(path) = value.strip_prefix("unix:") {
                            self.writes.push((path.to_string(), how(value)));
                        } else if let Some(port) = address_port(value) {
                            self.ports.push((port, how(value)));
                        }
                    }
                }
                "user" | "group" => {
                    if let Some(value) = values.first()
                        && self.user_switch.is_none()
                    {
                        self.user_switch = Some(how(value));
                    }
                }
                k if writes.contains(&k) => {
                    for value in values.iter().filter(|v| *v != "-" && !v.is_empty()) {
                        self.writes.push((value.clone(), how(value)));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The `NAME=value` lines of a `.env` file (`export` and quotes allowed, comments
/// skipped), as node's `--env-file` and the dotenv libraries read them.
fn env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim().trim_start_matches("export ");
            let (name, value) = line.split_once('=')?;
            let value = value.trim().trim_matches(['"', '\'']);
            (!name.starts_with('#')).then(|| (name.trim().to_string(), value.to_string()))
        })
        .collect()
}

/// The server a command starts, by name: `gunicorn …`, `python -m gunicorn …`.
fn server_program(argv: &[String]) -> Option<&str> {
    let first = basename(argv.first()?);
    if first.starts_with("python") {
        let at = argv.iter().position(|w| w == "-m")?;
        return argv.get(at + 1).map(String::as_str);
    }
    Some(first)
}

/// The value of the first of `flags` in `argv` (`-c FILE`, `--config=FILE`).
fn option_value(argv: &[String], flags: &[&str]) -> Option<String> {
    argv.iter().enumerate().find_map(|(i, word)| {
        if flags.contains(&word.as_str()) {
            return argv.get(i + 1).cloned();
        }
        let (flag, value) = word.split_once('=')?;
        flags.contains(&flag).then(|| value.to_string())
    })
}

/// The value a Spring property takes when the variable of its placeholder is unset
/// (`${PORT:80}` → `80`); the value itself when it is no placeholder. (Paths go through
/// `written_location`, which reads placeholders its own way.)
fn placeholder_default(value: &str) -> &str {
    let value = value.trim();
    value
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .and_then(|inner| inner.split_once(':'))
        .map_or(value, |(_, default)| default.trim())
}

/// The scalar values of a JSON document, each with its dotted key (`server.port`); an
/// array's items take their array's key.
fn json_keys(value: &serde_json::Value, prefix: &str) -> Vec<(String, String)> {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| json_keys(v, &key(k)))
            .collect(),
        serde_json::Value::Array(items) => {
            items.iter().flat_map(|v| json_keys(v, prefix)).collect()
        }
        serde_json::Value::String(s) => vec![(prefix.to_string(), s.clone())],
        serde_json::Value::Number(n) => vec![(prefix.to_string(), n.to_string())],
        _ => Vec::new(),
    }
}

/// The log files a config text names: quoted values and XML element texts that look like
/// a log file's path (`/var/log/shop/app.log`, `logs/app.log`, `/var/log/api/${shortdate}.log`
/// cut to its folder before the first variable or date pattern). Patterns of log lines
/// (with spaces) and URLs are not paths.
fn log_paths(text: &str) -> Vec<String> {
    let elements = text
        .split('>')
        .filter_map(|part| part.split('<').next())
        .map(str::trim)
        .map(str::to_string);
    let mut out = Vec::new();
    for value in quoted(text).into_iter().chain(elements) {
        let value = value.trim();
        if value.is_empty() || value.contains(char::is_whitespace) || value.contains("://") {
            continue;
        }
        let fixed = value.split(['$', '%', '{']).next().unwrap_or("");
        let looks_like_log = value.ends_with(".log")
            || value.ends_with(".txt") && value.contains("log")
            || value.starts_with("/var/log");
        if !looks_like_log || fixed.is_empty() {
            continue;
        }
        // A name cut by a variable leaves its folder: `/var/log/api/` as it is,
        // `/var/log/shop/app-` up to the last slash.
        let path = if fixed.len() == value.len() {
            fixed
        } else if fixed.ends_with('/') {
            fixed.trim_end_matches('/')
        } else {
            fixed.rsplit_once('/').map_or("", |(dir, _)| dir)
        };
        if !path.is_empty() && !out.iter().any(|p: &String| p == path) {
            out.push(path.to_string());
        }
    }
    out
}

/// The quoted strings of `text`, in order (`'a'`, `"b"`).
fn quoted(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['\'', '"']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// `key = value` lines of a Python or TOML config (section headers and comments skipped),
/// each with the strings (quoted) or the bare word its value holds: `bind = ["0.0.0.0:80",
/// "unix:/run/app.sock"]` → `bind`, [`0.0.0.0:80`, `unix:/run/app.sock`].
fn assignments(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with('[') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let value = value.trim();
        let mut values = Vec::new();
        let mut rest = value;
        while let Some(open) = rest.find(['"', '\'']) {
            let quote = rest.as_bytes()[open] as char;
            let after = &rest[open + 1..];
            let Some(close) = after.find(quote) else {
                break;
            };
            values.push(after[..close].to_string());
            rest = &after[close + 1..];
        }
        if values.is_empty() {
            let bare = value.split('#').next().unwrap_or("").trim();
            if !bare.is_empty() {
                values.push(bare.to_string());
            }
        }
        out.push((key.to_string(), values));
    }
    out
}

fn numbers(values: &[String], file: &str, key: &str) -> Vec<(u32, String)> {
    values
        .iter()
        .filter_map(|v| v.parse().ok())
        .map(|p| (p, format!("{file}: {key} = {p}")))
        .collect()
}

/// The languages of the file's images whose sources dfslim reads (a `golang` build, a
/// `python` runtime).
pub(super) fn source_languages(model: &Model<'_>) -> Vec<String> {
    let mut languages: Vec<String> = model
        .stages
        .stages
        .iter()
        .filter_map(|s| model.facts(s.index)?.runtime.clone())
        .map(|r| r.name)
        .filter(|name| !crate::ecosystems::created::source_extensions(name).is_empty())
        .collect();
    languages.sort();
    languages.dedup();
    languages
}

/// The folder of the image of stage `stage` that holds the build context's folder
/// `folder` (`""` for the context's root), as its COPYs put it there: `COPY . /app`
/// gives `mysite` → `/app/mysite`, `COPY app/ .` (in `/srv`) gives `app` → `/srv`. Through
/// `COPY --from` of another stage's folder, `hops` times. The last COPY that brings it
/// counts; `None` when none does, or a source is not known.
fn image_folder(
    model: &crate::analysis::model::Model<'_>,
    stage: usize,
    folder: &str,
    hops: usize,
) -> Option<String> {
    let folder = folder.trim_start_matches("./").trim_end_matches('/');
    let mut found = None;
    for (_, _, copy, state) in model.chain_copies(stage) {
        let Some(dest) = copy.dest.as_deref().and_then(|d| state.resolve_path(d)) else {
            continue;
        };
        let dest = dest.trim_end_matches('/');
        for source in copy.sources.iter().flatten() {
            let source = source.trim_start_matches("./").trim_end_matches('/');
            let source = if source == "." { "" } else { source };
            if source.contains(['*', '?', '[']) {
                continue;
            }
            let image_source = match &copy.from {
                None => source.to_string(),
                // What another stage holds at `source`, read back to the context.
                Some(crate::analysis::stages::Base::Stage(index)) if hops > 0 => {
                    // A stage that does not hold the folder (a deps or venv stage) says
                    // nothing of it.
                    let Some(theirs) = image_folder(model, *index, folder, hops - 1) else {
                        continue;
                    };
                    let Some(rest) = theirs
                        .strip_prefix(source)
                        .filter(|r| r.is_empty() || r.starts_with('/'))
                    else {
                        continue;
                    };
                    found = Some(format!("{dest}{rest}"));
                    continue;
                }
                Some(_) => continue,
            };
            // A folder's contents go into the destination.
            let rest = if image_source.is_empty() {
                Some(if folder.is_empty() {
                    String::new()
                } else {
                    format!("/{folder}")
                })
            } else {
                folder
                    .strip_prefix(image_source.as_str())
                    .filter(|r| r.is_empty() || r.starts_with('/'))
                    .map(str::to_string)
            };
            if let Some(rest) = rest {
                found = Some(format!("{dest}{rest}"));
            }
        }
    }
    found.map(|f| if f.is_empty() { "/".to_string() } else { f })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_name_storage_places() {
        let json = serde_json::json!({
            "Data": {"Path": "/data"},
            "Logging": {"LogFolder": "/var/log/app", "LogLevel": {"Default": "Information"}},
            "Kestrel": {"Certificates": {"Default": {"Path": "/etc/certs/app.pfx"}}},
            "PathBase": "/api",
            "Cache": {"Directory": "/tmp/cache"},
        });
        let mut found = Vec::new();
        storage_paths(&json, "", &mut |key, path| {
            found.push(format!("{key}={path}"))
        });
        found.sort();
        assert_eq!(
            found,
            vec!["Data:Path=/data", "Logging:LogFolder=/var/log/app"]
        );
    }

    #[test]
    fn toml_tables_prefix_keys() {
        let text = "title = \"x\"\n[server]\nport = 80 # http\n[db]\nport = 5432\n";
        assert_eq!(
            toml_keys(text),
            vec![
                ("title".to_string(), "\"x\"".to_string()),
                ("server.port".to_string(), "80".to_string()),
                ("db.port".to_string(), "5432".to_string()),
            ]
        );
    }

    #[test]
    fn jvm_options_name_ports() {
        assert_eq!(java_option_port("-Xmx512m -Dserver.port=80"), Some(80));
        assert_eq!(java_option_port("[\"--server.port=8443\"]"), Some(8443));
        assert_eq!(java_option_port("-Dquarkus.http.port=81"), Some(81));
        assert_eq!(java_option_port("-Dmanagement.server.port=80"), None);
        assert_eq!(java_option_port("-Xmx512m"), None);
    }

    #[test]
    fn log_paths_of_logging_configs() {
        let log4j = r#"<RollingFile name="file" fileName="/var/log/shop/app.log" filePattern="/var/log/shop/app-%d{yyyy-MM-dd}.log.gz"><PatternLayout pattern="%d %p %c - %m%n"/></RollingFile>"#;
        assert_eq!(
            log_paths(log4j),
            vec!["/var/log/shop/app.log", "/var/log/shop"]
        );
        assert_eq!(
            log_paths("<file>/var/log/app/application.log</file>"),
            vec!["/var/log/app/application.log"]
        );
        assert_eq!(
            log_paths(r#"<target xsi:type="File" fileName="/var/log/api/${shortdate}.log" />"#),
            vec!["/var/log/api"]
        );
        assert_eq!(
            log_paths("args=('logs/app.log', 'a')"),
            vec!["logs/app.log"]
        );
        assert!(log_paths(r#"{"Url": "http://+:8080", "pattern": "%d %p %m"}"#).is_empty());
    }

    #[test]
    fn reads_assignments_of_python_and_toml() {
        let text = "# comment\nbind = ['0.0.0.0:80', \"unix:/run/a.sock\"]\nworkers = 4\n[server]\nport = 80\nuser='www-data'\n";
        let got = assignments(text);
        assert_eq!(
            got[0],
            (
                "bind".into(),
                vec!["0.0.0.0:80".into(), "unix:/run/a.sock".into()]
            )
        );
        assert_eq!(got[1], ("workers".into(), vec!["4".into()]));
        assert_eq!(got[2], ("port".into(), vec!["80".into()]));
        assert_eq!(got[3], ("user".into(), vec!["www-data".into()]));
    }

    #[test]
    fn finds_the_server_of_a_command() {
        let argv = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            server_program(&argv(&["gunicorn", "app:app"])),
            Some("gunicorn")
        );
        assert_eq!(
            server_program(&argv(&["/usr/bin/python3.13", "-m", "hypercorn", "x"])),
            Some("hypercorn")
        );
        assert_eq!(
            option_value(
                &argv(&["hypercorn", "--config=h.toml"]),
                &["-c", "--config"]
            ),
            Some("h.toml".into())
        );
    }
}
