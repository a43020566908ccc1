//! Phase 4, the user: the new image runs the application as a non-root user. This is where
//! that user is chosen (the target's `nonroot`, or a numeric one), and where the rewrite
//! declines when the original shows the application needs root (a port below 1024, a
//! volume, a home in `/root`).

use crate::analysis::catalogue::{ImageFacts, TargetFamily};
use crate::analysis::command::basename;
use crate::syntax::{Args, Keyword, Span};

use crate::ecosystems::start::{App, Provenance, covers};

use super::*;

impl<'t> Planner<'_, 't> {
    /// The USER line of the new stage: the target runs as non-root already, so only a
    /// numeric non-root user is carried.
    pub(super) fn user_line(
        &self,
        target: &ImageFacts,
        warnings: &mut Vec<Warning>,
    ) -> Option<String> {
        let scratch = self.options.family == TargetFamily::Scratch && self.options.base.is_none();
        // The target's own user when it is not root; otherwise one written out.
        let fallback = || (!runs_as_non_root(target)).then(|| non_root_user(target));
        let Some(user) = self.state().user.clone() else {
            warnings.push(root_to_non_root(target));
            return fallback();
        };
        let name = user.split(':').next().unwrap_or(&user);
        if name == "root" || name == "0" {
            // Running as non-root is part of the rewrite.
            warnings.push(root_to_non_root(target));
            return fallback();
        }
        if name.chars().all(|c| c.is_ascii_digit()) {
            return Some(user.to_string());
        }
        let known = target.has_user(name);
        if known && !scratch {
            // `nobody:nogroup`: the group may be one the target lacks.
            return Some(resolvable_owner(&user, target).unwrap_or_else(|| user.to_string()));
        }
        warnings.push(missing_user(name, target));
        fallback()
    }

    /// The owner the new stage's copies take when the original ran as a user the target
    /// lacks (`node`, `appuser`) and handed that user files (`COPY --chown`, `RUN chown`):
    /// the app writes there, and `COPY --from` keeps the old uid, which the user the new
    /// image runs as is not. `None` when nothing was handed over, or the user is kept.
    pub(super) fn handed_over_owner(
        &self,
        target: &ImageFacts,
        copies: &[(String, String)],
        argv: &[String],
    ) -> Option<String> {
        if is_root_user(self.state().user.as_deref())
            && runs_as_non_root(target)
            && self.root_wrote_in(copies, argv)
        {
            // Root could write and read anything; the new user only what it owns.
            return Some(new_owner(target));
        }
        let user = self.state().user.clone()?;
        let name = user.split(':').next().unwrap_or(&user);
        if is_root_user(Some(name)) || name.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let known = target.has_user(name);
        if known && self.options.family != TargetFamily::Scratch {
            return None;
        }
        let src = self.model.src;
        let handed = self.stage.instructions.iter().any(|i| match i.keyword {
            Keyword::Copy | Keyword::Add => i.line_span.slice(src).contains("--chown"),
            Keyword::Run => {
                let text = i.line_span.slice(src);
                text.contains("chown") && text.contains(name)
            }
            _ => false,
        });
        handed.then(|| new_owner(target))
    }

    /// Where a decline about the command points: the stage's CMD (else its ENTRYPOINT),
    /// else its FROM.
    fn command_span(&self) -> Span {
        [Keyword::Cmd, Keyword::Entrypoint]
            .iter()
            .find_map(|k| self.stage.last(*k))
            .map_or_else(|| from_span(self.stage), |i| i.line_span)
    }

    /// Ports below 1024, and volumes, of an image that ran as root. The rewrite moves the
    /// app to a non-root user, which cannot bind such a port (without
    /// CAP_NET_BIND_SERVICE, which Kubernetes does not grant by default) nor write to a
    /// volume that the engine creates owned by root: the image would break, so decline.
    /// An image that already ran as non-root keeps its user, and only gets a warning.
    /// `argv` is the command the image runs: a port it names (`--port 80`, `--urls
    /// http://+:80`, `runserver 0.0.0.0:80`) counts as much as an EXPOSE, and so does one
    /// that the stage's environment names (`ASPNETCORE_HTTP_PORTS=80`, `PORT=80`).
    pub(super) fn check_ports_and_volumes(
        &self,
        argv: &[String],
        writable: &[String],
        target: &ImageFacts,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), Decline> {
        let ran_as_root = is_root_user(self.state().user.as_deref());
        // A named user the target lacks becomes another one, whose home is not that
        // user's (`HF_HOME=/home/appuser/.cache` after `useradd -m appuser`).
        let user_replaced = self.state().user.as_deref().is_some_and(|u| {
            let name = u.split(':').next().unwrap_or(u);
            !name.chars().all(|c| c.is_ascii_digit()) && !target.has_user(name)
        });
        // Kept even for an image that ran as non-root: the user it names is one the
        // target's passwd may lack.
        let settings = self.settings(argv);
        if let Some(option) = privilege_drop(argv).or(settings.user_switch) {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("the command switches to another user itself (`{option}`): as the non-root user the rewrite runs it as, the switch fails, and the target's passwd may not have that user"),
            )
            .at(
                self.command_span(),
            )
            .help("drop the option and run as that user with `USER` in the original stage first"));
        }
        if ran_as_root || user_replaced {
            let given: Vec<&str> = writable.iter().map(String::as_str).collect();
            if let Some((path, how)) = self
                .write_paths(argv)
                .into_iter()
                .find(|(path, _)| !given.iter().any(|g| covers(g, path)))
            {
                return Err(Decline::new(
                    DeclineCode::NeedsRoot,
                    format!("the app writes {path} (`{how}`), which the user the rewrite runs it as could not create: the original ran as `{}`", self.state().user.as_deref().unwrap_or("root")),
                )
                .at(
                    self.command_span(),
                )
                .help("write it under /tmp or a folder the build gives a non-root user, or add a non-root `USER` to the original stage first"));
            }
        }
        let env = &self.state().env;
        let named = command_ports(argv)
            .into_iter()
            .chain(self.appsettings_ports())
            .chain(settings.ports)
            .map(|(port, how)| (port, how, None))
            .chain(
                env_ports(env.iter().filter_map(|(name, value)| Some((name, value?))))
                    .into_iter()
                    .map(|(port, how)| {
                        let name = how.split('=').next().unwrap_or_default().to_string();
                        (port, how, Some(name))
                    }),
            );
        for (port, how, variable) in named {
            if port >= 1024 {
                continue;
            }
            if !ran_as_root {
                warnings.push(Warning {
                    code: "DFS004",
                    message: format!("port {port} is below 1024: a non-root user needs CAP_NET_BIND_SERVICE to bind it"),
                });
                continue;
            }
            // Where the port is written: the ENV line that sets the variable, else the command.
            let span = variable
                .and_then(|name| {
                    self.stage
                        .instructions_of(Keyword::Env)
                        .filter(|env| env.line_span.slice(self.model.src).contains(name.as_str()))
                        .last()
                        .map(|env| env.line_span)
                })
                .unwrap_or_else(|| self.command_span());
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("the image runs as root and listens on port {port} (`{how}`); the rewrite runs it as a non-root user, which cannot bind a port below 1024"),
            )
            .at(span)
            .help("make the app listen on a port from 1024 up, or add a non-root `USER` to the original stage first"));
        }
        for expose in self.carried(Keyword::Expose) {
            let Args::Words { words } = &expose.args else {
                continue;
            };
            for word in words {
                let port = word.text.split('/').next().unwrap_or("");
                if !port.parse::<u32>().is_ok_and(|p| p < 1024) {
                    continue;
                }
                if ran_as_root {
                    return Err(Decline::new(
                        DeclineCode::NeedsRoot,
                        format!("the image runs as root and listens on port {port}; the rewrite runs it as a non-root user, which cannot bind a port below 1024"),
                    )
                    .at(expose.line_span)
                    .help("make the app listen on a port from 1024 up (and EXPOSE that), or add a non-root `USER` to the original stage first"));
                }
                warnings.push(Warning {
                    code: "DFS004",
                    message: format!("port {port} is below 1024: a non-root user needs CAP_NET_BIND_SERVICE to bind it"),
                });
            }
        }
        if ran_as_root && let Some(volume) = self.carried(Keyword::Volume).first() {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!(
                    "the image runs as root and declares `{}`; as a non-root user the app cannot write to a volume the engine creates owned by root",
                    volume.line_span.slice(self.model.src).trim_end()
                ),
            )
            .at(volume.line_span)
            .help("create the folder in the build stage owned by a non-root user and run as that user (`USER`) in the original stage first"));
        }
        Ok(())
    }

    /// The new image runs as non-root, which cannot enter `/root` (mode 0700): an
    /// application that lives or runs there would not start.
    pub(super) fn check_root_home(&self, app: &App<'t>) -> Result<(), Decline> {
        let states = self.model.states(self.stage.index);
        let mut places: Vec<(String, Span)> = Vec::new();
        if let Some(workdir) = &self.state().workdir {
            let span = self
                .stage
                .last(Keyword::Workdir)
                .map_or(from_span(self.stage), |w| w.line_span);
            places.push((workdir.to_string(), span));
        }
        // What a new stage would copy; a retargeted stage's own COPYs follow.
        if matches!(app.main, Provenance::Built(_)) {
            for (path, _) in &app.copies {
                places.push((path.clone(), from_span(self.stage)));
            }
        }
        for (i, copy) in self.stage.instructions.iter().enumerate() {
            if matches!(copy.keyword, Keyword::Copy | Keyword::Add)
                && let Some((dest, _)) = crate::ecosystems::start::copy_operands(
                    copy,
                    &states.before[i],
                    self.model.tree.escape,
                )
                && let Some(dest) = states.before[i].resolve_path(&dest)
            {
                places.push((dest, copy.line_span));
            }
        }
        match places.into_iter().find(|(p, _)| crate::ecosystems::start::covers("/root", p)) {
            Some((path, span)) => Err(Decline::new(
                DeclineCode::RootHome,
                format!(
                    "the application uses {path}, and /root is a folder only root may enter, while the new image runs as a non-root user"
                ),
            )
            .at(span)
            .help("put the application in a folder of its own, such as /app")),
            None => Ok(()),
        }
    }
}

/// What the application writes, and which user may.
impl Planner<'_, '_> {
    /// A user the new stage keeps (`USER 1001`, `USER nobody`), other than the target's
    /// own, to whom the original gave the application's folder (`chown -R app /app`,
    /// `chmod -R 777 /app`): the new stage's WORKDIR would make that folder as another
    /// user, and COPY does not change a folder that exists, so the app could no longer
    /// create files in it.
    pub(super) fn check_kept_user_folder(
        &self,
        target: &ImageFacts,
        copies: &[(String, String)],
    ) -> Result<(), Decline> {
        let Some(user) = self.state().user.clone() else {
            return Ok(());
        };
        let name = user.split(':').next().unwrap_or(&user);
        let kept = name.chars().all(|c| c.is_ascii_digit()) || target.has_user(name);
        let targets_own = matches!(name, "nonroot" | "65532")
            || target
                .user
                .as_deref()
                .is_some_and(|u| u.split(':').next() == Some(name));
        if is_root_user(Some(name)) || !kept || targets_own {
            return Ok(());
        }
        let app_folders: Vec<&str> = copies
            .iter()
            .map(|(c, _)| c.as_str())
            .filter(|c| !is_library_path(c))
            .collect();
        let given =
            super::leftovers::path_commands(self.model, self.stage.index, &["chown", "chmod"])
                .into_iter()
                .find(|c| {
                    c.paths.iter().any(|(_, path)| {
                        path.as_deref().is_some_and(|path| {
                            app_folders
                                .iter()
                                .any(|f| covers(f, path) || covers(path, f))
                        })
                    })
                });
        if let Some(c) = given {
            return Err(Decline::new(
                DeclineCode::UserFolder,
                format!("the image runs as `{user}`, to whom `{}` gave the application's folder; the new stage's WORKDIR would make that folder as another user, where `{user}` could not create files", c.command.written()),
            )
            .at(c.run.line_span)
            .help("run as the target's non-root user (drop the USER line and let dfslim hand it the folder), or write the final stage by hand"));
        }
        Ok(())
    }

    /// Whether the original, running as root, was seen to write into the application's
    /// folders (`copies`) or to lock files there away from others: a RUN `mkdir`, `touch`,
    /// `chmod` or `chown` of a path inside them (a logs or uploads folder, `chmod 600` on
    /// credentials), a `COPY --chmod` without read for others, or a path the command or
    /// the environment names for writing (`--access-logfile logs/access.log`).
    fn root_wrote_in(&self, copies: &[(String, String)], argv: &[String]) -> bool {
        let inside = |path: &str| copies.iter().any(|(c, _)| covers(c, path) && c != path);
        let private = self.stage.instructions.iter().any(|copy| {
            copy.flag("chmod")
                .and_then(|f| f.value.as_deref())
                .and_then(|m| u32::from_str_radix(m, 8).ok())
                .is_some_and(|m| m & 0o004 == 0)
        });
        if private {
            return true;
        }
        let touched = super::leftovers::path_commands(
            self.model,
            self.stage.index,
            &["mkdir", "touch", "chmod", "chown"],
        )
        .iter()
        .any(|c| {
            c.paths
                .iter()
                .any(|(arg, path)| !arg.starts_with('-') && path.as_deref().is_some_and(&inside))
        });
        if touched {
            return true;
        }
        self.write_paths(argv).iter().any(|(path, _)| inside(path))
    }

    /// The paths the command, the environment or the server's config file names for the
    /// program to write: a pidfile, log files, a unix socket, a data or upload folder, a
    /// database file, a cache. Made absolute against the WORKDIR; not `-` (the console),
    /// `/dev`, or `/tmp`, which anyone may write.
    pub(super) fn write_paths(&self, argv: &[String]) -> Vec<(String, String)> {
        let state = self.state();
        let mut named = command_write_paths(argv);
        for (name, value) in state.env.iter() {
            let Some(value) = value else { continue };
            let upper = name.to_ascii_uppercase();
            if write_variable(name) || upper.starts_with("CONNECTIONSTRINGS__") {
                if let Some(path) = written_location(value) {
                    named.push((path, format!("{name}={value}")));
                }
            } else if upper.ends_with("_OPTS")
                || upper.ends_with("_OPTIONS")
                || upper.ends_with("_ARGS")
            {
                // The JVM's and servers' options from the environment
                // (`JAVA_TOOL_OPTIONS=-Xlog:gc:file=/app/gc.log`).
                let words: Vec<String> = value.split_whitespace().map(str::to_string).collect();
                named.extend(
                    command_write_paths(&words)
                        .into_iter()
                        .map(|(path, _)| (path, format!("{name}={value}"))),
                );
            }
        }
        named.extend(self.settings(argv).writes);
        named
            .into_iter()
            .filter_map(|(path, how)| {
                let absolute = if path.starts_with('/') {
                    path
                } else if path.is_empty() || path == "-" || path.contains("://") {
                    return None;
                } else {
                    format!(
                        "{}/{path}",
                        state
                            .workdir
                            .as_deref()
                            .unwrap_or("/")
                            .trim_end_matches('/')
                    )
                };
                let absolute = crate::analysis::env::normalize_path(&absolute);
                let free = ["/dev", "/tmp", "/proc"]
                    .iter()
                    .any(|d| covers(d, &absolute));
                (!free).then_some((absolute, how))
            })
            .collect()
    }
}

/// The paths a command's own arguments name for writing, as written (relative or
/// absolute), each with the words that say so: `--pid /run/app.pid`, `--dir=/pb/pb_data`,
/// `-b unix:/run/app.sock`, the JVM's `-Xlog:gc:file=gc.log`, Spring's
/// `--logging.file.name=logs/app.log` and `--spring.datasource.url=jdbc:sqlite:app.db`.
fn command_write_paths(argv: &[String]) -> Vec<(String, String)> {
    let mut named: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let arg = &argv[i];
        if let Some(path) = arg.strip_prefix("-Xloggc:") {
            // Java 8's GC log.
            named.push((path.to_string(), arg.clone()));
            i += 1;
            continue;
        }
        if let Some(spec) = arg.strip_prefix("-Xlog:") {
            // `-Xlog:gc*:file=/app/gc.log:time`: the output is the part after `file=`.
            if let Some(path) = spec.split(':').find_map(|part| part.strip_prefix("file=")) {
                named.push((path.trim_matches(['"', '\'']).to_string(), arg.clone()));
            }
            i += 1;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let value = inline.clone().or_else(|| argv.get(i + 1).cloned());
        // Spring's properties, as `-Dkey=value` or `--key=value`.
        let property = flag.trim_start_matches("-D").trim_start_matches("--");
        if inline.is_some()
            && matches!(
                property,
                "logging.file.name" | "logging.file.path" | "spring.datasource.url"
            )
        {
            if let Some(path) = value.as_deref().and_then(written_location) {
                named.push((path, arg.clone()));
            }
            i += 1;
            continue;
        }
        let bare = flag.trim_start_matches('-');
        let writes = flag.starts_with('-') && WRITE_FLAGS.contains(&bare);
        let socket = matches!(flag, "--bind" | "-b")
            && value.as_deref().is_some_and(|v| v.starts_with("unix:"));
        if (writes || socket)
            && let Some(value) = value
        {
            let path = value.strip_prefix("unix:").unwrap_or(&value);
            let how = if inline.is_some() {
                arg.clone()
            } else {
                format!("{arg} {value}")
            };
            if let Some(path) = written_location(path) {
                named.push((path, how));
            }
            i += if inline.is_some() { 1 } else { 2 };
            continue;
        }
        i += 1;
    }
    named
}

/// The file or folder a value names for writing: a path as it is, or the file of a
/// database URL or connection string (`sqlite:///app.db`, `sqlite://data.db`,
/// `jdbc:sqlite:/app/app.db`, `jdbc:h2:file:./data/db`, `Data Source=/app/app.db`,
/// `file:/app/db`). `None` for a server's address (`postgres://…`, `jdbc:h2:mem:`).
pub(super) fn written_location(value: &str) -> Option<String> {
    let value = value.trim().trim_matches(['"', '\'']);
    // ADO.NET's `Data Source=app.db;Cache=Shared` (SQLite's `Filename=` too).
    for key in ["data source=", "datasource=", "filename="] {
        if let Some(at) = value.to_ascii_lowercase().find(key) {
            let rest = &value[at + key.len()..];
            let path = rest.split(';').next().unwrap_or(rest).trim();
            // SQLite's file, not a server (`Data Source=db,1433`, `tcp:host`, `//host/svc`,
            // `host.database.windows.net`).
            let file = [".db", ".sqlite", ".sqlite3", ".db3"]
                .iter()
                .any(|ext| path.to_ascii_lowercase().ends_with(ext))
                || (path.starts_with('/') && !path.starts_with("//") && !path.contains([',', ':']));
            return file.then(|| path.to_string());
        }
    }
    let path = if let Some(rest) = value.strip_prefix("jdbc:sqlite:") {
        rest
    } else if let Some(rest) = value.strip_prefix("jdbc:h2:file:").or_else(|| {
        value
            .strip_prefix("jdbc:h2:")
            .filter(|r| r.starts_with(['.', '/', '~']))
    }) {
        rest
    } else if let Some(rest) = value.strip_prefix("jdbc:") {
        // A database server's URL (`jdbc:postgresql://db/app`, `jdbc:h2:mem:x`).
        let _ = rest;
        return None;
    } else if let Some(rest) = value
        .strip_prefix("sqlite:///")
        .or_else(|| value.strip_prefix("sqlite://"))
        .or_else(|| value.strip_prefix("file:"))
    {
        // `sqlite:////data/app.db` is absolute, `sqlite:///app.db` relative (SQLAlchemy);
        // sqlx's `sqlite://data.db` is relative too.
        rest
    } else if value.contains("://") {
        return None;
    } else {
        value
    };
    let path = path.split(['?', ';']).next().unwrap_or(path);
    (looks_like_path(path) && path != ":memory:").then(|| path.to_string())
}

/// Whether a flag's or variable's value can name a file or folder: not a log level
/// (`INFO`), a switch (`false`), a number or a size or duration (`10m`, `512MB`).
fn looks_like_path(value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    if value.contains('/') {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    let switch = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "auto" | "memory"
    );
    let digits = value.trim_start_matches(|c: char| c.is_ascii_digit());
    let quantity = digits.len() < value.len()
        && digits.len() <= 3
        && digits.chars().all(|c| c.is_ascii_alphabetic());
    let level = value.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    !(switch || quantity || level)
}

/// The ports a command's own arguments make it listen on, each with the words that say so:
/// `--port 80`, `--bind 0.0.0.0:80` (`-b`), `--urls http://+:80` (a URL without a port is
/// 80 or 443), Spring's `--server.port=80`, Django's `runserver 0.0.0.0:80`. Values that
/// are not plain numbers (a variable) are passed over.
pub(crate) fn command_ports(argv: &[String]) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => (flag, Some(value)),
            _ => (arg, None),
        };
        let value = || inline.or_else(|| argv.get(i + 1).map(String::as_str));
        let lower = flag.to_ascii_lowercase();
        let found: Vec<u32> = match flag {
            // ASP.NET Core's command-line configuration, as `Kestrel__…__Url` is in the
            // environment: `--Kestrel:Endpoints:Http:Url=http://0.0.0.0:80`.
            _ if lower.trim_start_matches(['-', '/']).starts_with("kestrel:")
                && lower.ends_with(":url") =>
            {
                value().map(url_ports).unwrap_or_default()
            }
            // `--port`, `-port`, `--http-port`, CoreDNS's `-dns.port`, Spring's
            // `-Dserver.port`; the short `-p`/`-P` (flask, aiohttp, most CLIs) and a bare
            // number after `--listen` or a protocol (`-udp 514`); ASP.NET Core's
            // `--http_ports=80;8080`.
            _ if flag.starts_with('-') && lower.ends_with("port") => {
                value().and_then(|v| v.parse().ok()).into_iter().collect()
            }
            _ if flag.starts_with('-') && lower.ends_with("ports") => value()
                .map(|v| {
                    v.split([';', ','])
                        .filter_map(|p| p.trim().parse().ok())
                        .collect()
                })
                .unwrap_or_default(),
            "-p" | "-P" | "--listen" | "-listen" | "-udp" | "--udp" | "-tcp" | "--tcp" => {
                value().and_then(|v| v.parse().ok()).into_iter().collect()
            }
            "--bind" | "-b" => value().and_then(address_port).into_iter().collect(),
            // `python -m http.server [--bind ADDR] [PORT]`: the port is the operand.
            "http.server" => argv[i + 1..]
                .iter()
                .enumerate()
                .filter(|(j, w)| {
                    // Not an option, nor the value of the option before it.
                    let value_of = |before: &str| {
                        matches!(
                            before,
                            "-b" | "--bind" | "-d" | "--directory" | "-p" | "--protocol"
                        )
                    };
                    !w.starts_with('-') && (*j == 0 || !value_of(&argv[i + *j]))
                })
                .find_map(|(_, w)| w.parse().ok())
                .into_iter()
                .collect(),
            "--urls" => value().map(url_ports).unwrap_or_default(),
            "runserver" => argv
                .get(i + 1)
                .filter(|v| !v.starts_with('-'))
                .and_then(|v| v.parse().ok().or_else(|| address_port(v)))
                .into_iter()
                .collect(),
            // Any other word that is a listen address (`-listen :53`, `--addr=0.0.0.0:80`).
            _ => listen_address_port(inline.unwrap_or(arg))
                .into_iter()
                .collect(),
        };
        // A flag that took the next word as its value: that word is not read again.
        let took_next = inline.is_none()
            && !found.is_empty()
            && listen_address_port(arg).is_none()
            && flag != "http.server";
        for port in found {
            let words = if flag == "http.server" {
                format!("{arg} {port}")
            } else if took_next {
                format!("{arg} {}", argv.get(i + 1).map_or("", String::as_str))
            } else {
                arg.to_string()
            };
            out.push((port, words));
        }
        i += if took_next { 2 } else { 1 };
    }
    out
}

/// An option by which the program switches to another user after starting as root
/// (gunicorn `--user`/`-u`, celery `--uid`, uWSGI `--uid`/`--gid`): as non-root, the
/// `setuid` fails, and gunicorn also looks the name up in a passwd the target lacks.
fn privilege_drop(argv: &[String]) -> Option<String> {
    let gunicorn = argv.iter().any(|w| basename(w) == "gunicorn");
    argv.iter().enumerate().find_map(|(i, word)| {
        let flag = word.split_once('=').map_or(word.as_str(), |(f, _)| f);
        let drops = matches!(
            flag,
            "--user" | "--group" | "--uid" | "--gid" | "--setuid" | "--setgid"
        ) || (gunicorn && matches!(flag, "-u" | "-g"));
        drops.then(|| match argv.get(i + 1) {
            Some(value) if !word.contains('=') => format!("{word} {value}"),
            _ => word.clone(),
        })
    })
}

/// The ports the environment makes a server listen on: ASP.NET Core's `ASPNETCORE_URLS`
/// (and `DOTNET_URLS`), any variable whose name ends in `PORT` or `PORTS`
/// (`ASPNETCORE_HTTP_PORTS`, Spring's `SERVER_PORT`, the `PORT` that Cloud Run, Heroku,
/// gunicorn and most Node servers read), and any that names a listen address
/// (`LISTEN_ADDR=0.0.0.0:443`, `BIND=:80`). A client's port (`SMTP_PORT=25`) is taken too:
/// the rewrite then declines where it need not, never the other way round.
pub(crate) fn env_ports<'a>(vars: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (name, value) in vars {
        let upper = name.to_ascii_uppercase();
        let how = || format!("{name}={value}");
        if matches!(upper.as_str(), "ASPNETCORE_URLS" | "DOTNET_URLS")
            || (upper.starts_with("KESTREL__") && upper.ends_with("__URL"))
        {
            // Kestrel's own endpoints (`Kestrel__Endpoints__Http__Url`) win over the rest.
            out.extend(url_ports(value).into_iter().map(|p| (p, how())));
        } else if upper.ends_with("_ARGS")
            || upper.ends_with("_OPTS")
            || upper.ends_with("_OPTIONS")
        {
            // A server's own command-line options from the environment
            // (`GUNICORN_CMD_ARGS="--bind=0.0.0.0:80"`, `JAVA_OPTS=-Dserver.port=80`).
            let words: Vec<String> = value.split_whitespace().map(str::to_string).collect();
            out.extend(command_ports(&words).into_iter().map(|(p, _)| (p, how())));
        } else if matches!(upper.as_str(), "ASPNETCORE_HTTPS_PORT" | "HTTPS_PORT") {
            // ASP.NET Core's HTTPS redirection port: where clients are sent, not a port it
            // listens on (that is `ASPNETCORE_HTTPS_PORTS`, plural).
        } else if upper.ends_with("PORT") || upper.ends_with("PORTS") {
            out.extend(
                value
                    .split([';', ','])
                    .filter_map(|p| p.trim().parse().ok())
                    .map(|p| (p, how())),
            );
        } else if ["ADDR", "LISTEN", "BIND"].iter().any(|w| upper.contains(w)) {
            out.extend(listen_address_port(value.trim()).map(|p| (p, how())));
        }
    }
    out
}

/// The port of a word that can only be a listen address: `:80`, `0.0.0.0:80`,
/// `[::]:80`, `localhost:80`, `*:80` (not `host:80`, which may be a server to reach).
fn listen_address_port(word: &str) -> Option<u32> {
    let (host, port) = word.rsplit_once(':')?;
    let listening = host.is_empty()
        || matches!(
            host,
            "0.0.0.0" | "localhost" | "127.0.0.1" | "*" | "+" | "[::]" | "::"
        );
    if !listening || port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    port.parse().ok()
}

/// `0.0.0.0:80`, `:80`, `[::]:80` → 80; a unix socket or no port → none.
pub(super) fn address_port(address: &str) -> Option<u32> {
    if address.starts_with("unix:") || address.starts_with("fd:") {
        return None;
    }
    address.rsplit_once(':')?.1.parse().ok()
}

/// `http://+:80;https://*:443` → [80, 443]; `http://localhost` → [80].
pub(super) fn url_ports(urls: &str) -> Vec<u32> {
    urls.split([';', ','])
        .filter_map(|url| {
            let (scheme, rest) = url.trim().split_once("://")?;
            let host = rest.split('/').next().unwrap_or(rest);
            match host.rsplit_once(':') {
                Some((_, port)) if !host.ends_with(']') => port.parse().ok(),
                _ => match scheme {
                    "http" => Some(80),
                    "https" => Some(443),
                    _ => None,
                },
            }
        })
        .collect()
}

/// Whether a copied path holds libraries installed for the app (site-packages, global
/// node_modules, shared data), which stay root's, rather than the app's own folder: an app
/// folder under /usr (`/usr/src/app`, the Node.js guide's) is the app's.
pub(super) fn is_library_path(path: &str) -> bool {
    [
        "/usr/lib/",
        "/usr/local/lib/",
        "/usr/share/",
        "/usr/local/share/",
    ]
    .iter()
    .any(|dir| path.starts_with(dir))
}

/// Whether the target image's default user is not root.
/// Whether a `USER` value (`None`: none was set) names root: `root`, uid 0, or no name.
pub(super) fn is_root_user(user: Option<&str>) -> bool {
    user.is_none_or(|u| matches!(u.split(':').next(), Some("root" | "0" | "")))
}

pub(super) fn runs_as_non_root(target: &ImageFacts) -> bool {
    target
        .user
        .as_deref()
        .is_some_and(|u| !matches!(u.split(':').next(), Some("root" | "0" | "")))
}

/// The user to write for a non-root image: the target's `nonroot` when its passwd has one,
/// its own non-root default user, or else uid 65532 (no passwd entry needed).
pub(super) fn non_root_user(target: &ImageFacts) -> String {
    if target.has_user("nonroot") {
        return "nonroot".to_string();
    }
    match &target.user {
        Some(user) if runs_as_non_root(target) => user.clone(),
        _ => "65532:65532".to_string(),
    }
}

/// The user the new image runs as, as the target names it.
fn new_user(target: &ImageFacts) -> String {
    if runs_as_non_root(target) {
        target.user.clone().unwrap_or_default()
    } else {
        non_root_user(target)
    }
}

pub(super) fn describe_user(target: &ImageFacts) -> String {
    match new_user(target).as_str() {
        "nonroot" | "65532" | "65532:65532" => "nonroot (65532)".to_string(),
        other => format!("user {other}"),
    }
}

pub(super) fn missing_user(name: &str, target: &ImageFacts) -> Warning {
    Warning {
        code: "DFS008",
        message: format!(
            "user `{name}` does not exist in the target; the image runs as {}, which cannot write where `{name}` could",
            describe_user(target)
        ),
    }
}

/// The user the new image runs as, as `COPY --chown` writes it: numeric, since a name may
/// be one the build stage does not know.
pub(super) fn new_owner(target: &ImageFacts) -> String {
    match new_user(target).as_str() {
        "nonroot" | "65532" | "65532:65532" => "65532:65532".to_string(),
        other => other.to_string(),
    }
}

/// What breaks when root becomes a non-root user, and the one line that fixes it.
pub(super) fn root_to_non_root(target: &ImageFacts) -> Warning {
    let owner = new_owner(target);
    Warning {
        code: "DFS004",
        message: format!(
            "the image ran as root and now runs as {}: a write into a folder that COPY or WORKDIR created (owned by root) fails with `permission denied`; if the app writes there, copy it in with `COPY --chown={owner}`",
            describe_user(target)
        ),
    }
}

/// An owner for `COPY --chown` that `target` can resolve, when `owner` (`user[:group]`)
/// is not one: numeric ids and the target's own users stay (`None`); other names become
/// the numeric id of the user the new image runs as.
/// The ids of the users every distroless and Chainguard image has (their `/etc/passwd`
/// and `/etc/group` give each its own group of the same id); numeric ids stand for
/// themselves.
fn user_id(name: &str) -> Option<String> {
    match name {
        "root" => Some("0".into()),
        "nobody" => Some("65534".into()),
        "nonroot" => Some("65532".into()),
        n if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => Some(n.into()),
        _ => None,
    }
}

pub(super) fn resolvable_owner(owner: &str, target: &ImageFacts) -> Option<String> {
    let known = |name: &str| name.chars().all(|c| c.is_ascii_digit()) || target.has_user(name);
    if owner.split(':').all(known) {
        return None;
    }
    // A user the target has, with a group it lacks (`nobody:nogroup`): that user's own ids,
    // so that files and the process (`USER nobody:nogroup`, made the same way) agree.
    let user = owner.split(':').next().unwrap_or(owner);
    if known(user)
        && let Some(id) = user_id(user)
    {
        return Some(format!("{id}:{id}"));
    }
    let uid = target
        .user
        .as_deref()
        .filter(|u| runs_as_non_root(target) && u.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("65532");
    Some(format!("{uid}:{uid}"))
}

/// Options that name a file or folder the program writes, without their dashes (`--pid`,
/// `-pidfile`, PocketBase's `--dir`, `-logdir`, `-sqlite`): gunicorn's pidfile and logs,
/// data, database, cache and log folders.
const WRITE_FLAGS: &[&str] = &[
    "pid",
    "pidfile",
    "pid-file",
    "access-logfile",
    "error-logfile",
    "log-file",
    "logfile",
    "log-dir",
    "logdir",
    "log-path",
    "data-dir",
    "datadir",
    "data",
    "dir",
    "db",
    "database",
    "db-path",
    "db-file",
    "sqlite",
    "sqlite-path",
    "storage",
    "storage-dir",
    "state-dir",
    "cache",
    "cache-dir",
    "cachedir",
    "upload-dir",
    "uploads",
    "worker-tmp-dir",
];

/// A variable that names where the program writes: a data, upload, log, database, cache
/// or state folder or file (`UPLOAD_DIR`, `DB_PATH`, `LOG_FILE`, `HF_HOME`).
fn write_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let place = [
        "_DIR", "_PATH", "_FILE", "_HOME", "_ROOT", "_FOLDER", "_URL", "_URI",
    ]
    .iter()
    .any(|s| upper.ends_with(s));
    let written = [
        "DATA",
        "UPLOAD",
        "UPLOADS",
        "LOG",
        "LOGS",
        "LOGGING",
        "DB",
        "DATABASE",
        "DATASOURCE",
        "CACHE",
        "STORAGE",
        "MEDIA",
        "STATE",
        "SQLITE",
        "SPOOL",
        "QUEUE",
    ]
    .iter()
    .any(|w| upper.split('_').any(|part| part == *w));
    // ko's KO_DATA_PATH names the read-only `kodata` files it ships with the binary.
    (place && written && upper != "KO_DATA_PATH")
        || matches!(
            upper.as_str(),
            "HF_HOME"
                | "TRANSFORMERS_CACHE"
                | "XDG_CACHE_HOME"
                | "XDG_DATA_HOME"
                | "XDG_STATE_HOME"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn ports_the_command_names() {
        let ports = |words: &[&str]| -> Vec<u32> {
            command_ports(&argv(words))
                .into_iter()
                .map(|(p, _)| p)
                .collect()
        };
        assert_eq!(ports(&["uvicorn", "app:app", "--port", "80"]), [80]);
        assert_eq!(ports(&["gunicorn", "-b", "0.0.0.0:443", "app:app"]), [443]);
        assert_eq!(ports(&["gunicorn", "--bind=:8000"]), [8000]);
        assert_eq!(
            ports(&["dotnet", "A.dll", "--urls", "http://+:80;https://*"]),
            [80, 443]
        );
        assert_eq!(
            ports(&["python", "manage.py", "runserver", "0.0.0.0:80"]),
            [80]
        );
        assert_eq!(
            ports(&["dnsd", "-listen", ":53", "-http", "localhost:8080"]),
            [53, 8080]
        );
        assert_eq!(ports(&["java", "-Dserver.port=80", "-jar", "a.jar"]), [80]);
        // A server to reach, a unix socket, a variable: none.
        assert!(
            ports(&[
                "app",
                "--db",
                "db:5432",
                "-b",
                "unix:/run/app.sock",
                "--port",
                "$PORT"
            ])
            .is_empty()
        );
    }

    #[test]
    fn ports_the_environment_names() {
        let ports = |vars: &[(&'static str, &'static str)]| -> Vec<u32> {
            env_ports(vars.iter().copied())
                .into_iter()
                .map(|(p, _)| p)
                .collect()
        };
        assert_eq!(ports(&[("ASPNETCORE_HTTP_PORTS", "80;8081")]), [80, 8081]);
        assert_eq!(ports(&[("ASPNETCORE_URLS", "http://0.0.0.0:5000")]), [5000]);
        assert_eq!(
            ports(&[("PORT", "80"), ("LISTEN_ADDR", "0.0.0.0:443")]),
            [80, 443]
        );
        assert!(
            ports(&[
                ("DATABASE_URL", "postgres://db:5432/x"),
                ("UPSTREAM_ADDR", "api:80")
            ])
            .is_empty()
        );
    }
}
