//! Phase 4, the user: the new image runs the application as a non-root user. This is where
//! that user is chosen (the target's `nonroot`, or a numeric one), and where the rewrite
//! declines when the original shows the application needs root (a port below 1024, a
//! volume, a home in `/root`).

use crate::analysis::catalogue::{ImageFacts, TargetFamily};
use crate::syntax::{Args, Keyword, Span};

use crate::ecosystems::start::{App, Provenance, covers};

use super::named::{
    command_ports, command_write_paths, env_ports, option_words, privilege_drop, write_variable,
    written_location,
};
use super::settings::Settings;
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

    /// The owner the new stage's copies of the application take:
    /// - when the original ran as root and the new image does not: root could write
    ///   anywhere in the application's folders, and what it writes there is not always
    ///   visible (a library's session file, a logging config, an upload handler), so the
    ///   new user gets them, as root had them;
    /// - when the original ran as a user the target lacks (`node`, `appuser`) and handed
    ///   that user files (`COPY --chown`, `RUN chown`): the app writes there, and `COPY
    ///   --from` keeps the old uid, which the user the new image runs as is not.
    ///
    /// `None` when nothing was handed over, or the user is kept.
    pub(super) fn handed_over_owner(&self, target: &ImageFacts) -> Option<String> {
        if self.root_hands_over(target) {
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
    pub(super) fn command_span(&self) -> Span {
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
        settings: &Settings,
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
        if let Some(option) = privilege_drop(argv).or_else(|| settings.user_switch.clone()) {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("the command switches to another user itself (`{option}`): as the non-root user the rewrite runs it as, the switch fails, and the target's passwd may not have that user"),
            )
            .at(
                self.command_span(),
            )
            .help("drop the option and run as that user with `USER` in the original stage first"));
        }
        if ran_as_root && let Some(locked) = &settings.locked_folder {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("the app makes a folder only root may enter ({locked}): as the non-root user the rewrite runs it as, it could make the folder but not write in it"),
            )
            .at(self.command_span())
            .help("give the folder its owner's search bit (0755, 0700), or add a non-root `USER` to the original stage first"));
        }
        if ran_as_root && let Some(what) = &settings.privileged_use {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("{what}, which root may and the non-root user the rewrite runs it as may not (devices and the Docker socket belong to root and a group; raw sockets need CAP_NET_RAW, which only root's processes get)"),
            )
            .at(self.command_span())
            .help("keep the image's user, or run the original as a non-root user with the access it needs (`group_add`, the socket's group) first"));
        }
        let env_values: Vec<String> = self
            .state()
            .env
            .iter()
            .filter_map(|(_, value)| Some(value?.to_string()))
            .collect();
        let device = argv
            .iter()
            .chain(&env_values)
            .find_map(|word| crate::ecosystems::privileged::device_path(word));
        if ran_as_root && let Some(device) = device {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("the app opens the device {device}, which on the host belongs to root and a group (`crw-rw----`): root could open it, the non-root user the rewrite runs it as could not"),
            )
            .at(self.command_span())
            .help("keep the image's user, or run the original as a non-root user in the device's group first"));
        }
        if ran_as_root && let Some(reads) = &settings.platform_volume {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("the app keeps data on its platform's volume ({reads}), which the platform mounts owned by root: the original ran as root and could write there, the non-root user the rewrite runs it as could not"),
            )
            .at(self.command_span())
            .help("keep the image's user, or run the original as a non-root user first and set the platform's option for it (Railway: `RAILWAY_RUN_UID`)"));
        }
        if ran_as_root || user_replaced {
            let given: Vec<&str> = writable.iter().map(String::as_str).collect();
            if let Some((path, how)) = self
                .write_paths(argv, settings)
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
            .chain(settings.ports.iter().cloned())
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
        // A manifest's `containerPort`, read as EXPOSE is below.
        for (port, how) in &settings.declared_ports {
            if let Some((ports, why)) = &settings.listen_default
                && !ports.contains(port)
            {
                warnings.push(Warning {
                    code: "DFS004",
                    message: format!(
                        "`{how}` names a port the application does not listen on: {why}"
                    ),
                });
                continue;
            }
            if ran_as_root {
                return Err(Decline::new(
                    DeclineCode::NeedsRoot,
                    format!("the image runs as root and listens on port {port} (`{how}`); the rewrite runs it as a non-root user, which cannot bind a port below 1024"),
                )
                .at(self.command_span())
                .help("make the app listen on a port from 1024 up (and declare that), or add a non-root `USER` to the original stage first"));
            }
            warnings.push(Warning {
                code: "DFS004",
                message: format!("port {port} is below 1024: a non-root user needs CAP_NET_BIND_SERVICE to bind it"),
            });
        }
        for expose in self.carried(Keyword::Expose) {
            let Args::Words { words } = &expose.args else {
                continue;
            };
            let before = self.state_before(expose);
            for word in words {
                // `EXPOSE ${PORT}` takes the ARG or ENV value, as BuildKit expands it; a
                // range (`80-90/tcp`) counts by its first port.
                let Some(expanded) = before.expand(&word.text, self.model.tree.escape) else {
                    if ran_as_root {
                        return Err(Decline::new(
                            DeclineCode::NeedsRoot,
                            format!("the image runs as root and `EXPOSE {}` names a port that is not known at build time: it may be below 1024, which the rewrite's non-root user cannot bind", word.text),
                        )
                        .at(expose.line_span)
                        .help("give the port a default of 1024 or more (`ARG PORT=8080`), or add a non-root `USER` to the original stage first"));
                    }
                    continue;
                };
                let port = expanded.split('/').next().unwrap_or("");
                let first = port.split('-').next().unwrap_or("");
                let Some(number) = first.parse::<u32>().ok().filter(|p| *p < 1024) else {
                    continue;
                };
                if let Some((ports, why)) = &settings.listen_default
                    && !ports.contains(&number)
                {
                    warnings.push(Warning {
                        code: "DFS004",
                        message: format!("`EXPOSE {port}` names a port the application does not listen on: {why}; the new image sets the same port"),
                    });
                    continue;
                }
                if ran_as_root {
                    return Err(Decline::new(
                        DeclineCode::NeedsRoot,
                        format!("the image runs as root and listens on port {port}{}; the rewrite runs it as a non-root user, which cannot bind a port below 1024", if word.text == expanded { String::new() } else { format!(" (`EXPOSE {}`)", word.text) }),
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
        // A volume the engine fills from the image's folder keeps that folder's owner and
        // mode: `/tmp`, which every target has with mode 1777, stays writable to anyone.
        let tmp_only = |volume: &&Instruction| {
            volume.args.path_words().is_some_and(|words| {
                !words.is_empty() && words.iter().all(|w| w.text.trim_end_matches('/') == "/tmp")
            })
        };
        if ran_as_root
            && let Some(volume) = self
                .carried(Keyword::Volume)
                .into_iter()
                .find(|v| !tmp_only(v))
        {
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
        // A variable the stage sets to a folder under /root (`ENV HOME=/root`,
        // `ENV CONFIG_DIR=/root/.app`): the app reads or writes there.
        // (Only for an image that ran as root: a kept non-root user had no /root either.)
        let finder = self.finder(from_span(self.stage));
        let ran_as_root = is_root_user(self.state().user.as_deref());
        for (name, value) in self.state().env.iter().filter(|_| ran_as_root) {
            if let Some(value) = value
                && value.starts_with('/')
                && let Some(env) = finder.env_setting(name)
            {
                places.push((crate::analysis::env::normalize_path(value), env.line_span));
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

    /// Whether the original ran as root and the new image does not: the application's
    /// own files are then copied owned by the new user ([`Self::handed_over_owner`]).
    pub(super) fn root_hands_over(&self, target: &ImageFacts) -> bool {
        is_root_user(self.state().user.as_deref()) && runs_as_non_root(target)
    }

    /// The paths the command, the environment or the server's config file names for the
    /// program to write: a pidfile, log files, a unix socket, a data or upload folder, a
    /// database file, a cache. Made absolute against the WORKDIR; not `-` (the console),
    /// `/dev`, or `/tmp`, which anyone may write.
    /// `settings` is what the server's config files say ([`Planner::settings`]).
    pub(super) fn write_paths(
        &self,
        argv: &[String],
        settings: &Settings,
    ) -> Vec<(String, String)> {
        let state = self.state();
        let mut named = command_write_paths(argv);
        for (name, value) in state.env.iter() {
            let Some(value) = value else { continue };
            let upper = name.to_ascii_uppercase();
            if write_variable(name) || upper.starts_with("CONNECTIONSTRINGS__") {
                if let Some(path) = written_location(value) {
                    named.push((path, format!("{name}={value}")));
                }
            } else if let Some(words) = option_words(name, value) {
                // The JVM's and servers' options from the environment
                // (`JAVA_TOOL_OPTIONS=-Xlog:gc:file=/app/gc.log`).
                named.extend(
                    command_write_paths(&words)
                        .into_iter()
                        .map(|(path, _)| (path, format!("{name}={value}"))),
                );
            }
        }
        named.extend(settings.writes.iter().cloned());
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

/// Whether a path of the new image is the application's own place, which a root original
/// hands over to the new user: not the system's programs, libraries and settings
/// (`/usr/bin`, `/usr/local/lib`, `/etc`), which root's app had no business writing either;
/// `/usr/src/app`, where Node's documentation puts an app, is the app's.
pub(super) fn is_app_place(path: &str) -> bool {
    const SYSTEM: &[&str] = &[
        "/bin",
        "/sbin",
        "/lib",
        "/lib64",
        "/etc",
        "/nodejs",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/lib64",
        "/usr/libexec",
        "/usr/include",
        "/usr/share",
        "/usr/local/bin",
        "/usr/local/sbin",
        "/usr/local/lib",
        "/usr/local/include",
        "/usr/local/share",
    ];
    !is_library_path(path) && path != "/usr" && !SYSTEM.iter().any(|dir| covers(dir, path))
}

/// Whether a place a COPY fills is one the new user may write new files in once the copy
/// is handed over: not a folder the target has already, owned by root (`/`, `/var/lib`,
/// `/srv`), which a copy into it leaves as it was.
pub(super) fn handed_place_is_writable(place: &str) -> bool {
    !matches!(
        place.trim_end_matches('/'),
        "" | "/var"
            | "/var/lib"
            | "/var/log"
            | "/var/cache"
            | "/var/run"
            | "/run"
            | "/home"
            | "/root"
            | "/opt"
            | "/srv"
            | "/tmp"
    )
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
            "the image ran as root and now runs as {}: a write into a file or folder that a COPY brought (owned by root) fails with `permission denied` (a folder a WORKDIR makes is the new user's); if the app writes there, copy it in with `COPY --chown={owner}`",
            describe_user(target)
        ),
    }
}

/// [`root_to_non_root`]'s warning once the application's files are copied owned by the new
/// user: what still breaks is a write outside them.
pub(super) fn root_files_handed_over(warnings: &mut [Warning], target: &ImageFacts) {
    let plain = root_to_non_root(target);
    let owner = new_owner(target);
    for warning in warnings.iter_mut().filter(|w| **w == plain) {
        warning.message = format!(
            "the image ran as root and now runs as {}: the application's files are copied owned by {owner}, so it may write among them as root did; a write elsewhere (outside /tmp and the folders a WORKDIR makes) fails with `permission denied`",
            describe_user(target)
        );
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
