//! Retargeting a runtime stage: a final stage on a full distro that only receives
//! artifacts keeps its lines, gets a slim base, and loses the RUNs that only make sense
//! with a shell — when each of them can be replaced without changing what the image does.
//!
//! Replaceable: installing packages the target already provides (CA certificates, tzdata,
//! the C and C++ runtime), creating users (the target's `nonroot` takes their place),
//! `chmod`/`chown` of a copied file (they become `COPY --chmod/--chown`), and `mkdir` of an
//! empty folder (made in a build stage and copied with its owner). Anything else blocks
//! the rewrite and is named in the decline.

use crate::analysis::shell::{self, ShellCommand};
use crate::ecosystems::build::heredoc_shell_script;
use crate::syntax::{Args, Instruction};

/// Packages a distroless target provides, by the name their package managers use.
pub const PROVIDED_PACKAGES: &[&str] = &[
    "ca-certificates",
    "tzdata",
    "netbase",
    // /etc/mime.types: every distroless image carries media-types (TARGETS.md).
    "media-types",
    "libc6",
    "libc-bin",
    "libssl3",
    "libssl3t64",
    // Headers and the unversioned `libssl.so` link beside libssl3: a program loads
    // `libssl.so.3`, which the target has (a runtime stage installs it for that).
    "libssl-dev",
    "openssl",
    "libgcc-s1",
    "libgcc",
    "libstdc++6",
    "libstdc++",
    "musl",
    "zlib1g",
];

/// Packages of shared libraries, with the `provides` name of a target that has them. A
/// runtime stage installs them for a program that loads them (libgcc for a Rust or C++
/// program linked dynamically), so a target without them cannot run it, whatever its build
/// seemed to say (`.cargo/config.toml` may turn off Rust's static musl CRT).
pub const RUNTIME_LIBRARY_PACKAGES: &[(&[&str], &str)] = &[
    (&["libgcc", "libgcc-s1"], "libgcc"),
    (&["libstdc++", "libstdc++6"], "libstdc++"),
    (
        &["libssl3", "libssl3t64", "libcrypto3", "libssl-dev"],
        "libssl",
    ),
];

/// Tools a runtime stage installs for the people who open a shell in it (or for a
/// HEALTHCHECK, which the rewrite converts or drops): when the command does not run one,
/// it can go. Libraries and servers are not here: a program may load or call them.
pub const UNUSED_TOOLS: &[&str] = &[
    "curl",
    "wget",
    "bash",
    "dash",
    "zsh",
    "busybox-extras",
    "vim",
    "vim-tiny",
    "nano",
    "less",
    "htop",
    "procps",
    "net-tools",
    "iputils-ping",
    "iproute2",
    "bind-tools",
    "dnsutils",
];

/// What a replaceable RUN did, for the edits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunEffects {
    /// `chmod MODE PATH` → the COPY that brings PATH gets `--chmod=MODE`.
    pub chmods: Vec<(String, String)>,
    /// `chown OWNER PATH`.
    pub chowns: Vec<(String, String)>,
    /// Users and groups the RUN created (mapped to `nonroot`).
    pub users: Vec<String>,
    /// Packages dropped because the target provides them.
    pub packages: Vec<String>,
    /// Folders `mkdir` made, as written (relative to the RUN's working directory).
    pub dirs: Vec<String>,
    /// Links to busybox's programs (`ln -s /busybox/sh /bin/sh`), which only give a debug
    /// image's shell another name: the image without busybox needs none of them.
    pub shell_links: Vec<String>,
    /// `update-ca-certificates` ran.
    pub ca_update: bool,
}

/// Why a RUN cannot be dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocker {
    pub command: String,
    pub why: String,
}

/// Read a RUN of a runtime stage: what it does if everything in it is replaceable.
/// `droppable_packages` are extra packages the rewrite removes the need for (curl for a
/// HEALTHCHECK that is dropped).
/// `vars` gives the values the stage's ARG and ENV lines set (`--uid "${UID}"` after
/// `ARG UID=10001`).
pub fn read_run(
    run: &Instruction,
    droppable_packages: &[&str],
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<RunEffects, Blocker> {
    let text = match &run.args {
        Args::Shell { text } if run.heredocs.is_empty() => text.text.clone(),
        // `RUN <<EOF` … `EOF`: the body is the shell script.
        Args::Shell { .. } if let Some(script) = heredoc_shell_script(run) => script,
        _ => {
            return Err(Blocker {
                command: "RUN".into(),
                why: "it is not a plain shell command".into(),
            });
        }
    };
    let commands = shell::commands(&text).ok_or(Blocker {
        command: text.clone(),
        why: "the shell text cannot be read".into(),
    })?;
    let mut effects = RunEffects::default();
    for command in &commands {
        read_command(command, droppable_packages, vars, &mut effects)?;
    }
    Ok(effects)
}

fn literal_args(
    command: &ShellCommand,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, Blocker> {
    command.words[1..]
        .iter()
        .map(|w| {
            w.value(vars).ok_or_else(|| Blocker {
                command: command.written(),
                why: format!("`{}` has no value known statically", w.raw),
            })
        })
        .collect()
}

fn read_command(
    command: &ShellCommand,
    droppable: &[&str],
    vars: &dyn Fn(&str) -> Option<String>,
    effects: &mut RunEffects,
) -> Result<(), Blocker> {
    let program = command.program_name().unwrap_or_default();
    let args = literal_args(command, vars)?;
    let blocked = |why: String| Blocker {
        command: command.written(),
        why,
    };
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match program.as_str() {
        "set" | "true" | ":" => Ok(()),
        // Rebuilds the CA bundle from the certificates installed; the target carries
        // Debian's bundle, so only a certificate the stage added is lost (the caller
        // checks for one).
        "update-ca-certificates" if operands.is_empty() => {
            effects.ca_update = true;
            Ok(())
        }
        "apt-get" | "apt" | "apk" | "yum" | "dnf" | "microdnf" => {
            let verb = operands.first().map(|s| s.as_str()).unwrap_or("");
            match verb {
                "update" | "clean" | "autoremove" | "upgrade" => Ok(()),
                "install" | "add" => {
                    for package in &operands[1..] {
                        let name = package
                            .split(['=', '>', '<', '~'])
                            .next()
                            .unwrap_or(package);
                        if PROVIDED_PACKAGES.contains(&name) || droppable.contains(&name) {
                            effects.packages.push(name.to_string());
                        } else {
                            return Err(blocked(format!(
                                "it installs `{name}`, which the distroless images do not have"
                            )));
                        }
                    }
                    Ok(())
                }
                _ => Err(blocked(format!("`{program} {verb}` changes the image"))),
            }
        }
        "rm" => {
            // Cleaning the package manager's caches leaves nothing behind in the target.
            let caches = [
                "/var/lib/apt/lists",
                "/var/cache/apt",
                "/var/cache/apk",
                "/tmp/",
                "/var/tmp",
            ];
            if operands
                .iter()
                .all(|p| caches.iter().any(|c| p.starts_with(c)))
            {
                Ok(())
            } else {
                Err(blocked(
                    "it removes files the rewrite cannot account for".into(),
                ))
            }
        }
        "ln" if args.iter().any(|a| a.starts_with('-') && a.contains('s'))
            && operands.len() == 2
            && operands[0].starts_with("/busybox/") =>
        {
            effects.shell_links.push(command.written());
            Ok(())
        }
        "mkdir" => {
            // `-p` only: `-m MODE` has no COPY equivalent for the folder itself.
            let plain = args
                .iter()
                .all(|a| !a.starts_with('-') || a == "-p" || a == "--parents");
            let literal = operands
                .iter()
                .all(|d| !d.contains(['*', '?', '[', '{', '$']) && !d.trim_matches('/').is_empty());
            if !plain || !literal || operands.is_empty() {
                return Err(blocked(
                    "only `mkdir [-p] DIR…` with literal folders can be made without a shell"
                        .into(),
                ));
            }
            effects.dirs.extend(operands.iter().map(|d| (*d).clone()));
            Ok(())
        }
        "useradd" | "adduser" | "groupadd" | "addgroup" => {
            if let Some(name) = operands.last() {
                effects.users.push((*name).clone());
            }
            Ok(())
        }
        "chmod" => match operands.as_slice() {
            [mode, paths @ ..] if !paths.is_empty() && !args.iter().any(|a| a == "-R") => {
                for path in paths {
                    effects.chmods.push(((*mode).clone(), (*path).clone()));
                }
                Ok(())
            }
            _ => Err(blocked(
                "only `chmod MODE FILE` can become COPY --chmod".into(),
            )),
        },
        "chown" => match operands.as_slice() {
            [owner, paths @ ..] if !paths.is_empty() => {
                for path in paths {
                    effects.chowns.push(((*owner).clone(), (*path).clone()));
                }
                Ok(())
            }
            _ => Err(blocked(
                "only `chown OWNER FILE` can become COPY --chown".into(),
            )),
        },
        _ => Err(blocked(format!(
            "`{program}` needs a shell and programs the distroless images do not have"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn run(text: &str) -> Result<RunEffects, Blocker> {
        let tree = parse(&format!("FROM a\nRUN {text}\n"));
        let run = tree.instructions().nth(1).unwrap().clone();
        read_run(&run, &["curl"], &|name| {
            (name == "UID").then(|| "10001".to_string())
        })
    }

    #[test]
    fn replaceable_runs() {
        let e = run("apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata && rm -rf /var/lib/apt/lists/*").unwrap();
        assert_eq!(e.packages, ["ca-certificates", "tzdata"]);
        let e = run("groupadd -r app && useradd -r -g app app && chmod +x /app/server && chown app:app /app/server").unwrap();
        assert_eq!(e.users, ["app", "app"]);
        assert_eq!(e.chmods, [("+x".to_string(), "/app/server".to_string())]);
        assert_eq!(
            e.chowns,
            [("app:app".to_string(), "/app/server".to_string())]
        );
        assert!(run("apk add --no-cache curl").is_ok());
    }

    #[test]
    fn blockers_name_the_command() {
        let b = run("apt-get install -y libpq5").unwrap_err();
        assert!(b.why.contains("libpq5"), "{b:?}");
        let b = run("mkdir -m 700 /data").unwrap_err();
        assert_eq!(b.command, "mkdir -m 700 /data");
        assert!(run("mkdir -p /data/*").is_err());
        assert!(run("mkdir -p /").is_err());
        assert!(run("chmod -R 755 /app").is_err());
    }

    #[test]
    fn busybox_links_go() {
        let e = run("ln -s /busybox/sh /bin/sh").unwrap();
        assert_eq!(e.shell_links, ["ln -s /busybox/sh /bin/sh"]);
        assert!(run("ln -s /app/server /usr/bin/server").is_err());
    }

    #[test]
    fn folders_made() {
        let e = run("mkdir -p /data logs && chown 1000 /data").unwrap();
        assert_eq!(e.dirs, ["/data", "logs"]);
        assert_eq!(e.chowns, [("1000".to_string(), "/data".to_string())]);
    }
}
