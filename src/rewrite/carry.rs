//! Phase 4 of a rewrite: the configuration the new final stage carries over. LABEL, ENV
//! and build arguments (written as the original wrote them), USER (non-root, with the
//! checks that the app can run so), HEALTHCHECK, EXPOSE and VOLUME, and the ENTRYPOINT/CMD.

use crate::analysis::catalogue::{ImageFacts, TargetFamily};
use crate::syntax::{Args, Instruction, Keyword, Span};

use super::emit::env_value;
use super::*;
use crate::analysis::command::{basename, exec_form, shell_to_argv};
use crate::ecosystems::interpreter;
use crate::ecosystems::start::{App, Provenance};

impl<'t> Planner<'_, 't> {
    /// An instruction's own text, as one line group, ending with the file's line ending.
    ///
    /// The new stage does not have the build stage's variables. A value that comes from a
    /// build argument keeps its `$NAME`, and the ARG is declared again (once, in `declared`)
    /// so that `--build-arg` still sets it; a value that comes only from ENV or the base
    /// image is written out.
    pub(super) fn verbatim(
        &self,
        instruction: &Instruction,
        declared: &mut Vec<String>,
    ) -> Result<String, Decline> {
        let src = self.model.src;
        let escape = self.model.tree.escape;
        let text = instruction.line_span.slice(src);
        let rest = &src[instruction.keyword_word.span.end..instruction.line_span.end];
        let names = crate::analysis::expand::referenced_vars(rest, escape);
        if names.is_empty() {
            return Ok(format!("{text}{}", self.style.newline));
        }
        let args = self.build_args_behind(instruction, &names)?;
        if !args.is_empty() {
            let mut out = String::new();
            for (name, default) in args {
                if declared.contains(&name) {
                    continue;
                }
                let decl = match default {
                    Some(value) => format!("{name}={}", env_value(&value)),
                    None => name.clone(),
                };
                out.push_str(&self.style.line("ARG", &decl));
                declared.push(name);
            }
            out.push_str(&format!("{text}{}", self.style.newline));
            return Ok(out);
        }
        let state = self.state_before(instruction);
        let unknown = || {
            Decline::new(
                "unknown-variable",
                format!(
                    "`{}` takes a value that is not known statically",
                    text.lines().next().unwrap_or("")
                ),
            )
            .at(instruction.line_span)
        };
        let Args::Pairs { pairs } = &instruction.args else {
            let expanded = state.expand(rest.trim(), escape).ok_or_else(unknown)?;
            return Ok(self.style.line(instruction.keyword.as_str(), &expanded));
        };
        let mut parts = Vec::new();
        for pair in pairs {
            let value = state.expand(&pair.value.text, escape).ok_or_else(unknown)?;
            parts.push(format!("{}={}", pair.key.text, env_value(&value)));
        }
        Ok(self
            .style
            .line(instruction.keyword.as_str(), &parts.join(" ")))
    }

    /// The build arguments (with their defaults as declared) that the variables `names`
    /// take their values from at `instruction`, directly or through ENVs set from them.
    pub(super) fn build_args_behind(
        &self,
        instruction: &Instruction,
        names: &[String],
    ) -> Result<Vec<(String, Option<String>)>, Decline> {
        use std::collections::{BTreeMap, BTreeSet};
        let escape = self.model.tree.escape;
        // Variable → the ARGs behind it; ARG → its default as declared.
        let mut behind: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut defaults: BTreeMap<String, Option<String>> = BTreeMap::new();
        'chain: for stage in self.chain() {
            // ARGs are scoped to their stage; ENVs set from them carry on.
            behind.retain(|name, _| !defaults.contains_key(name));
            defaults.clear();
            for x in &stage.instructions {
                if std::ptr::eq(*x, instruction) {
                    break 'chain;
                }
                match (&x.keyword, &x.args) {
                    (Keyword::Arg, Args::ArgDecls { decls }) => {
                        for decl in decls {
                            let name = decl.name.text.clone();
                            behind.insert(name.clone(), BTreeSet::from([name.clone()]));
                            defaults.insert(name, decl.default.as_ref().map(|d| d.text.clone()));
                        }
                    }
                    (Keyword::Env, Args::Pairs { pairs }) => {
                        for pair in pairs {
                            let from: BTreeSet<String> =
                                crate::analysis::expand::referenced_vars(&pair.value.text, escape)
                                    .iter()
                                    .filter_map(|n| behind.get(n))
                                    .flatten()
                                    .cloned()
                                    .collect();
                            defaults.remove(&pair.key.text);
                            behind.insert(pair.key.text.clone(), from);
                        }
                    }
                    _ => {}
                }
            }
        }
        let roots: BTreeSet<String> = names
            .iter()
            .filter_map(|n| behind.get(n))
            .flatten()
            .cloned()
            .collect();
        roots
            .into_iter()
            .map(|name| {
                let default = defaults.get(&name).cloned().flatten();
                if default.as_deref().is_some_and(|d| d.contains('$')) {
                    return Err(Decline::new(
                        "unknown-variable",
                        format!("the build argument `{name}` takes its default from other variables, which the new stage would have to declare too"),
                    )
                    .at(instruction.line_span));
                }
                Ok((name, default))
            })
            .collect()
    }

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
            return Some(user.clone());
        }
        let known = target
            .passwd_users
            .as_ref()
            .is_some_and(|users| users.iter().any(|u| u == name));
        if known && !scratch {
            return Some(user.clone());
        }
        warnings.push(missing_user(name, target));
        fallback()
    }

    /// The HEALTHCHECK of the new stage: kept when it runs the application itself in exec
    /// form (converted from shell form when safe), otherwise dropped with a warning.
    pub(super) fn healthcheck(&self, app: &App<'t>, warnings: &mut Vec<Warning>) -> Option<String> {
        let instruction = self.carried(Keyword::Healthcheck).last().copied()?;
        let Args::Healthcheck { kind, command } = &instruction.args else {
            return None;
        };
        if kind.text.eq_ignore_ascii_case("NONE") {
            return Some(format!(
                "{}{}",
                instruction.line_span.slice(self.model.src),
                self.style.newline
            ));
        }
        let argv = match command.as_deref() {
            Some(Args::Exec { elements, .. }) => {
                Some(elements.iter().map(|w| w.text.clone()).collect::<Vec<_>>())
            }
            Some(Args::Shell { text }) => {
                shell_to_argv(&text.text, self.state()).ok().map(|c| c.argv)
            }
            _ => None,
        };
        // The program, found the way the shell would (through PATH for a bare name), must
        // be one the new image has: the application's own.
        let program = argv.as_ref().and_then(|argv| {
            let first = argv.first()?;
            let state = self.state();
            let candidates: Vec<String> = if first.contains('/') {
                state.resolve_path(first).into_iter().collect()
            } else {
                state
                    .value("PATH")
                    .unwrap_or_else(|| TARGET_PATH.to_string())
                    .split(':')
                    .filter(|d| d.starts_with('/'))
                    .map(|d| crate::analysis::env::normalize_path(&format!("{d}/{first}")))
                    .collect()
            };
            candidates.into_iter().find(|p| {
                app.copies
                    .iter()
                    .any(|(c, _)| crate::ecosystems::start::covers(c, p))
            })
        });
        match (argv, program) {
            (Some(mut argv), Some(program)) => {
                let dir = program.rsplit_once('/').map_or("/", |(d, _)| d);
                if !argv[0].contains('/') && !TARGET_PATH.split(':').any(|d| d == dir) {
                    argv[0] = program;
                }
                let flags: Vec<&str> = instruction
                    .flags
                    .iter()
                    .map(|f| f.span.slice(self.model.src))
                    .collect();
                let flags = if flags.is_empty() {
                    String::new()
                } else {
                    format!("{} ", flags.join(" "))
                };
                Some(self.style.line(
                    "HEALTHCHECK",
                    &format!("{flags}{} {}", self.style.keyword("CMD"), exec_form(&argv)),
                ))
            }
            _ => {
                warnings.push(Warning {
                    code: "DFS006",
                    message: format!(
                        "HEALTHCHECK `{}` needs a shell or a program the target lacks; dropped",
                        instruction.line_span.slice(self.model.src)
                    ),
                });
                None
            }
        }
    }

    /// Ports below 1024, and volumes, of an image that ran as root. The rewrite moves the
    /// app to a non-root user, which cannot bind such a port (without
    /// CAP_NET_BIND_SERVICE, which Kubernetes does not grant by default) nor write to a
    /// volume that the engine creates owned by root: the image would break, so decline.
    /// An image that already ran as non-root keeps its user, and only gets a warning.
    pub(super) fn check_ports_and_volumes(
        &self,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), Decline> {
        let ran_as_root = self
            .state()
            .user
            .as_deref()
            .is_none_or(|u| matches!(u.split(':').next(), Some("root" | "0" | "")));
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
                        "needs-root",
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
                "needs-root",
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
            places.push((workdir.clone(), span));
        }
        // What a new stage would copy; a retargeted stage's own COPYs follow.
        if matches!(app.main, Provenance::Built(_)) {
            for (path, _) in &app.copies {
                places.push((path.clone(), from_span(self.stage)));
            }
        }
        for (i, copy) in self.stage.instructions.iter().enumerate() {
            if matches!(copy.keyword, Keyword::Copy | Keyword::Add)
                && let Some((dest, _)) =
                    crate::ecosystems::start::copy_operands(copy, &states.before[i])
                && let Some(dest) = states.before[i].resolve_path(&dest)
            {
                places.push((dest, copy.line_span));
            }
        }
        match places.into_iter().find(|(p, _)| crate::ecosystems::start::covers("/root", p)) {
            Some((path, span)) => Err(Decline::new(
                "root-home",
                format!(
                    "the application uses {path}, and /root is a folder only root may enter, while the new image runs as a non-root user"
                ),
            )
            .at(span)
            .help("put the application in a folder of its own, such as /app")),
            None => Ok(()),
        }
    }

    /// ENTRYPOINT/CMD for the new stage.
    pub(super) fn command_lines(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageFacts,
    ) -> Result<String, Decline> {
        let (entrypoint, cmd) = self.new_command(written, app, target)?;
        let mut text = String::new();
        if let Some(ep) = entrypoint {
            text.push_str(&self.style.line("ENTRYPOINT", &exec_form(&ep)));
        }
        if let Some(cmd) = cmd {
            text.push_str(&self.style.line("CMD", &exec_form(&cmd)));
        }
        Ok(text)
    }

    /// The command for the target, as (ENTRYPOINT, CMD). An interpreter that the target's
    /// preset ENTRYPOINT already runs is not repeated.
    #[allow(clippy::type_complexity)]
    pub(super) fn new_command(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageFacts,
    ) -> Result<(Option<Vec<String>>, Option<Vec<String>>), Decline> {
        // What really runs (`npm start` is its start script), split where the file split it.
        let (argv, entrypoint_len) = match &app.run_argv {
            Some(argv) => (argv, if written.entrypoint { argv.len() } else { 0 }),
            None => (&written.argv, written.entrypoint_len),
        };
        let Some(kind) = app.interpreter else {
            let mut argv = argv.clone();
            // A bare name found through the build image's PATH may not be on the target's.
            if let Some(path) = self.absolute_program(&argv[0], app) {
                argv[0] = path;
            }
            return Ok(if written.entrypoint {
                let cmd = argv.split_off(entrypoint_len.min(argv.len()));
                (Some(argv), (!cmd.is_empty()).then_some(cmd))
            } else {
                (None, Some(argv))
            });
        };
        let preset = target.entrypoint.clone().unwrap_or_default();
        // The preset starts the interpreter, possibly behind an init (`/tini --`).
        let is_init = |p: &String| p == "--" || matches!(basename(p), "tini" | "dumb-init");
        let Some(at) = preset
            .iter()
            .position(|p| !is_init(p))
            .filter(|&at| interpreter(&preset[at]).is_some_and(|e| e.name() == kind.name()))
        else {
            return Err(Decline::new(
                "unknown-interpreter-path",
                "the target's ENTRYPOINT does not start the interpreter, and where the interpreter lives in it is unknown",
            ));
        };
        if written.entrypoint {
            // The file's ENTRYPOINT started the interpreter: keep that split, so that
            // `docker run IMAGE ARGS` still passes ARGS to the application. Setting
            // ENTRYPOINT also clears the target's preset CMD (`--info` on .NET).
            let mut entrypoint = preset[..=at].to_vec();
            entrypoint.extend(argv[1..entrypoint_len.clamp(1, argv.len())].iter().cloned());
            let cmd: Vec<String> = argv[entrypoint_len.clamp(1, argv.len())..].to_vec();
            return Ok((Some(entrypoint), (!cmd.is_empty()).then_some(cmd)));
        }
        let args: Vec<String> = argv[1..].to_vec();
        Ok(kind.on_preset(&preset, args))
    }

    /// The absolute path to write for a bare program name that the target's PATH would
    /// not find; `None` when the name can stay as written.
    pub(super) fn absolute_program(&self, program: &str, app: &App<'t>) -> Option<String> {
        if program.contains('/') || app.interpreter.is_some() {
            return None;
        }
        let path = app.program.as_ref()?;
        let dir = path.rsplit_once('/').map_or("/", |(d, _)| d);
        (!TARGET_PATH.split(':').any(|d| d == dir)).then(|| path.clone())
    }
}

/// Whether the target image's default user is not root.
pub(super) fn runs_as_non_root(target: &ImageFacts) -> bool {
    target
        .user
        .as_deref()
        .is_some_and(|u| !matches!(u.split(':').next(), Some("root" | "0" | "")))
}

/// The user to write for a non-root image: the target's `nonroot` when its passwd has one,
/// its own non-root default user, or else uid 65532 (no passwd entry needed).
pub(super) fn non_root_user(target: &ImageFacts) -> String {
    if target
        .passwd_users
        .as_ref()
        .is_some_and(|u| u.iter().any(|x| x == "nonroot"))
    {
        return "nonroot".to_string();
    }
    match &target.user {
        Some(user) if runs_as_non_root(target) => user.clone(),
        _ => "65532:65532".to_string(),
    }
}

pub(super) fn describe_user(target: &ImageFacts) -> String {
    let user = if runs_as_non_root(target) {
        target.user.clone().unwrap_or_default()
    } else {
        non_root_user(target)
    };
    match user.as_str() {
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

pub(super) fn root_to_non_root(target: &ImageFacts) -> Warning {
    Warning {
        code: "DFS004",
        message: format!(
            "the image ran as root; it now runs as {}, which cannot write to the root-owned folders COPY and WORKDIR make",
            describe_user(target)
        ),
    }
}

/// An owner for `COPY --chown` that `target` can resolve, when `owner` (`user[:group]`)
/// is not one: numeric ids and the target's own users stay (`None`); other names become
/// the numeric id of the user the new image runs as.
pub(super) fn resolvable_owner(owner: &str, target: &ImageFacts) -> Option<String> {
    let known = |name: &str| {
        name.chars().all(|c| c.is_ascii_digit())
            || target
                .passwd_users
                .as_ref()
                .is_some_and(|users| users.iter().any(|u| u == name))
    };
    if owner.split(':').all(known) {
        return None;
    }
    let uid = target
        .user
        .as_deref()
        .filter(|u| runs_as_non_root(target) && u.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("65532");
    Some(format!("{uid}:{uid}"))
}
