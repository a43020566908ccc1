//! The program an image runs, found as the runtime finds it, and what it needs: argv[0]
//! through the image's PATH (a bare name) or WORKDIR (a relative path), its symlinks
//! followed inside the image; then whether it is static, or which loader and libraries it
//! maps (the closure), and which package put it there. Scripts and language runtimes are
//! reported as such: what they load is read at run time, which only a trace sees.

use std::path::Path;

use serde::Serialize;

use super::closure::{self, Closure, ClosureError, inside, resolve};
use super::packages::{self, Package};
use crate::analysis::command::is_shell;

/// The PATH a runtime uses when the image sets none (`runc`, `crun`, and buildah's).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Language runtimes (matched on the file name without a trailing version: `python3.13` is
/// `python`): their ELF closure says nothing of the modules, scripts and classes they load
/// at run time, so a rewrite from the closure alone would drop them.
const RUNTIMES: &[&str] = &[
    "python", "node", "nodejs", "java", "ruby", "perl", "php", "bun", "deno", "dotnet", "lua",
    "luajit", "Rscript", "R", "erl", "beam.smp", "tclsh", "pwsh", "julia",
];

/// How the program links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Linkage {
    /// No loader, no libraries.
    Static,
    /// glibc's loader (`ld-linux-*`) and these libraries.
    Glibc(Closure),
    /// musl's loader (`ld-musl-*`) and these libraries.
    Musl(Closure),
}

/// The program of an image's command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The command with argv[0] replaced by the path found.
    pub argv: Vec<String>,
    /// Where argv[0] was found in the image (possibly a symlink).
    pub path: String,
    /// The file it leads to.
    pub file: String,
    pub linkage: Linkage,
    /// The package that installed it, with its data files.
    pub package: Option<Package>,
}

/// Why the program cannot be rewritten from its closure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProgramError {
    #[error("the image has no ENTRYPOINT or CMD")]
    NoCommand,
    #[error("`{name}` is not in the image (searched {searched})")]
    NotFound { name: String, searched: String },
    #[error("the command runs the shell `{path}`, which a slim image lacks")]
    Shell { path: String },
    #[error("`{path}` is a shell script (`#!{interpreter}`), which needs a shell")]
    ShellScript { path: String, interpreter: String },
    #[error(
        "`{path}` is a script for `{interpreter}`, which loads its code at run time: only a trace sees what it reads"
    )]
    Script { path: String, interpreter: String },
    #[error(
        "`{path}` is the language runtime `{runtime}`, which loads its code at run time: only a trace sees what it reads"
    )]
    Runtime { path: String, runtime: String },
    #[error("`{path}` is not an ELF program")]
    NotElf { path: String },
    #[error("`{path}` asks for the loader `{loader}`, which is neither glibc's nor musl's")]
    UnknownLoader { path: String, loader: String },
    #[error("`{path}` needs libraries the image does not have: {missing}")]
    Missing { path: String, missing: String },
    #[error("`{path}`: {error}")]
    Unreadable { path: String, error: String },
}

/// What an image's configuration says about its command.
pub struct Command<'a> {
    /// ENTRYPOINT then CMD.
    pub argv: &'a [String],
    /// The image's PATH (`None`: the runtime's default).
    pub path: Option<&'a str>,
    pub workdir: &'a str,
}

/// Finds and reads the program that `command` starts in the root `root`.
pub fn program(root: &Path, command: &Command<'_>) -> Result<Program, ProgramError> {
    let name = command.argv.first().ok_or(ProgramError::NoCommand)?;
    let (path, file) = find(root, name, command)?;
    let base = file.rsplit('/').next().unwrap_or(&file);
    if is_shell(base) {
        return Err(ProgramError::Shell { path });
    }
    let runtime = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if RUNTIMES.contains(&runtime) {
        return Err(ProgramError::Runtime {
            path,
            runtime: runtime.to_string(),
        });
    }
    let linkage = match closure::closure(root, &path) {
        Ok(c) if c.program.is_static() => Linkage::Static,
        Ok(c) if !c.missing.is_empty() => {
            return Err(ProgramError::Missing {
                path,
                missing: c.missing.join(", "),
            });
        }
        Ok(c) if c.program.is_musl() => Linkage::Musl(c),
        Ok(c) => {
            let loader = c.program.interpreter.clone().unwrap_or_default();
            let loader_name = loader.rsplit('/').next().unwrap_or(&loader);
            if !loader_name.starts_with("ld-linux") {
                return Err(ProgramError::UnknownLoader { path, loader });
            }
            Linkage::Glibc(c)
        }
        Err(ClosureError::Script { interpreter, .. }) => {
            return Err(if is_shell(&interpreter) {
                ProgramError::ShellScript { path, interpreter }
            } else {
                ProgramError::Script { path, interpreter }
            });
        }
        Err(ClosureError::NotElf(_)) => return Err(ProgramError::NotElf { path }),
        Err(error) => {
            return Err(ProgramError::Unreadable {
                path,
                error: error.to_string(),
            });
        }
    };
    let package = packages::owner(root, &path, &file);
    let mut argv = command.argv.to_vec();
    argv[0] = path.clone();
    Ok(Program {
        argv,
        path,
        file,
        linkage,
        package,
    })
}

/// argv[0] as the runtime resolves it: a path with a `/` against WORKDIR, a bare name
/// through PATH (the first folder that holds an executable file of that name).
fn find(root: &Path, name: &str, command: &Command<'_>) -> Result<(String, String), ProgramError> {
    let candidates: Vec<String> = if name.contains('/') {
        let workdir = if command.workdir.is_empty() {
            "/"
        } else {
            command.workdir
        };
        vec![if name.starts_with('/') {
            name.to_string()
        } else {
            format!("{}/{name}", workdir.trim_end_matches('/'))
        }]
    } else {
        command
            .path
            .unwrap_or(DEFAULT_PATH)
            .split(':')
            .filter(|d| d.starts_with('/'))
            .map(|d| format!("{}/{name}", d.trim_end_matches('/')))
            .collect()
    };
    for candidate in &candidates {
        if let Some((path, file)) = resolve(root, candidate) {
            use std::os::unix::fs::PermissionsExt;
            let executable = std::fs::metadata(inside(root, &file))
                .is_ok_and(|m| m.permissions().mode() & 0o111 != 0);
            if executable {
                return Ok((path, file));
            }
        }
    }
    Err(ProgramError::NotFound {
        name: name.to_string(),
        searched: candidates.join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command<'a>(argv: &'a [String], path: Option<&'a str>, workdir: &'a str) -> Command<'a> {
        Command {
            argv,
            path,
            workdir,
        }
    }

    /// The host is an image too: `ls` is found through PATH and is a glibc program here.
    #[test]
    fn a_bare_name_is_found_through_path() {
        if !Path::new("/usr/bin/ls").exists() {
            return;
        }
        let argv = vec!["ls".to_string(), "-l".to_string()];
        let p = program(
            Path::new("/"),
            &command(&argv, Some("/nowhere:/usr/bin"), "/"),
        )
        .unwrap();
        assert_eq!(p.argv, ["/usr/bin/ls", "-l"]);
        assert!(matches!(p.linkage, Linkage::Glibc(_)));
        assert_eq!(p.package.map(|p| p.name), Some("coreutils".to_string()));
    }

    #[test]
    fn shells_scripts_and_runtimes_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            use std::os::unix::fs::PermissionsExt;
            let host = root.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(host.parent().unwrap()).unwrap();
            std::fs::write(&host, text).unwrap();
            std::fs::set_permissions(&host, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        write("/bin/sh", "\x7fELF");
        write("/app/run.sh", "#!/bin/sh\necho hi\n");
        write("/app/tool.py", "#!/usr/bin/python3\nprint(1)\n");
        write("/usr/bin/python3.13", "\x7fELF");
        let run = |argv: &[&str], workdir: &str| {
            let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
            program(root, &command(&argv, Some("/usr/bin:/bin"), workdir)).unwrap_err()
        };
        assert!(matches!(
            run(&["sh", "-c", "x"], "/"),
            ProgramError::Shell { .. }
        ));
        assert!(matches!(
            run(&["./run.sh"], "/app"),
            ProgramError::ShellScript { .. }
        ));
        assert!(matches!(
            run(&["/app/tool.py"], "/"),
            ProgramError::Script { .. }
        ));
        assert_eq!(
            run(&["python3.13", "app.py"], "/"),
            ProgramError::Runtime {
                path: "/usr/bin/python3.13".into(),
                runtime: "python".into()
            }
        );
        assert!(matches!(
            run(&["missing"], "/"),
            ProgramError::NotFound { .. }
        ));
        assert_eq!(run(&[], "/"), ProgramError::NoCommand);
    }
}
