//! The facts of a built image that decide its rewrite, read from its filesystem and its
//! configuration: the program its command runs (found as the container runtime finds it),
//! the script and interpreter behind it, how it links, the libraries it loads, the data
//! its package ships, and the files its arguments name. Every file comes with its size and
//! sha256, so that a plan says exactly what it copies.
//!
//! A shell script is refused with a reason, as is anything the loader could not start:
//! the rewrite removes the shell, and a guess would be a broken image.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::elf::{ElfFacts, Libc, Program, read_elf, read_program, version_key};
use super::libraries::{Missing, closure};
use super::packages::{Package, owner};
use super::rootfs::{Link, Rootfs, join_path};

/// The PATH a container runtime uses when the image sets none (runc, crun, Docker).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Interpreters that are shells: a script they run needs the shell a rewrite removes.
const SHELLS: &[&str] = &[
    "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", "fish",
];

/// How many `#!` lines may chain (Linux allows a few; more is a loop).
const MAX_SCRIPTS: usize = 4;

/// The parts of an image's configuration a rewrite needs, as `inspect` reports them with
/// the base image's settings included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub workdir: String,
    /// `KEY=VALUE`, in order.
    pub env: Vec<String>,
    pub user: String,
}

impl ImageConfig {
    /// What the container runs: ENTRYPOINT, then CMD.
    pub fn argv(&self) -> Vec<String> {
        self.entrypoint.iter().chain(&self.cmd).cloned().collect()
    }

    pub fn env_var(&self, key: &str) -> Option<&str> {
        self.env.iter().rev().find_map(|kv| {
            kv.split_once('=')
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v)
        })
    }

    /// The working folder, `/` when unset.
    pub fn workdir(&self) -> &str {
        if self.workdir.is_empty() {
            "/"
        } else {
            &self.workdir
        }
    }
}

/// How the program that finally runs is linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Linking {
    Static,
    Glibc,
    Musl,
}

/// Why a file is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The command's program.
    Program,
    /// The interpreter a `#!` line names.
    Interpreter,
    /// The dynamic loader (`PT_INTERP`).
    Loader,
    Library,
    /// Another file of the program's package (data, configuration).
    Package,
    /// A file or folder an argument of the command names.
    Argument,
}

/// One file (or folder) the application needs, at the path the image uses for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileFact {
    /// The path looked up (the name a COPY gives it).
    pub path: String,
    /// What that path leads to, and the symlinks on the way (empty when none).
    pub resolved: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Bytes; a folder's is the sum of its files.
    pub size: u64,
    /// The file's sha256; a folder's is over its files' paths and sha256s.
    pub sha256: String,
    pub is_dir: bool,
    pub role: Role,
    pub why: String,
}

/// What the built image says about the application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppFacts {
    /// The command, with `argv[0]` as found.
    pub argv: Vec<String>,
    /// Where `argv[0]` was found.
    pub program: String,
    /// The script `argv[0]` is, when it is one, and the ELF interpreter that runs it.
    pub script: Option<String>,
    pub interpreter: Option<String>,
    pub linking: Linking,
    /// The ELF class and machine of what runs (`X86_64`).
    pub machine: String,
    /// The newest glibc version any file of the closure needs.
    pub glibc_needed: Option<String>,
    pub packages: Vec<Package>,
    pub files: Vec<FileFact>,
}

impl AppFacts {
    /// The sonames of the libraries the closure loads (for what a target carries).
    pub fn libraries(&self) -> impl Iterator<Item = &FileFact> {
        self.files
            .iter()
            .filter(|f| matches!(f.role, Role::Library | Role::Loader))
    }
}

/// Why the facts do not support a rewrite.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the image has no ENTRYPOINT or CMD")]
    NoCommand,
    #[error("`{name}` is not an executable file in the image (searched {searched})")]
    NotFound { name: String, searched: String },
    #[error("`{path}` is a shell script (`#!{shell}`): the shellless image has no shell to run it")]
    ShellScript { path: String, shell: String },
    #[error("the command runs the shell `{path}`: the shellless image has none")]
    Shell { path: String },
    #[error("`{0}` is neither an ELF program nor a `#!` script")]
    UnknownFormat(String),
    #[error("`{path}` loads through `{loader}`, a C library dfslim does not know")]
    UnknownLibc { path: String, loader: String },
    #[error("{} needed by {} is not in the image", .0.name, .0.needed_by)]
    MissingLibrary(Missing),
    #[error("`#!` lines chain more than {MAX_SCRIPTS} deep from `{0}`")]
    ScriptLoop(String),
}

/// Reads the facts of the application `config` starts in the image at `fs`.
pub fn analyse(fs: &Rootfs, config: &ImageConfig) -> Result<AppFacts, Refusal> {
    let mut argv = config.argv();
    if argv.is_empty() {
        return Err(Refusal::NoCommand);
    }
    let path_env = config.env_var("PATH").unwrap_or(DEFAULT_PATH);
    let workdir = config.workdir();
    let program = find_program(fs, &argv[0], workdir, path_env)?;
    argv[0] = program.clone();
    let mut files = Vec::new();
    let mut packages = Vec::new();
    let mut script = None;
    // Follow `#!` lines to the ELF file that runs.
    let mut running = program.clone();
    let mut role = Role::Program;
    let elf = loop {
        let bytes = fs.read(&running).unwrap_or_default();
        let why = match role {
            Role::Program => format!("the command's program (`{}`)", argv[0]),
            _ => format!("the interpreter `{running}`'s `#!` line names"),
        };
        files.push(file_fact(fs, &running, role, why));
        packages.extend(package_files(fs, &running, &mut files));
        match read_program(&bytes) {
            Program::Elf(facts) => break *facts,
            Program::Other => return Err(Refusal::UnknownFormat(running)),
            Program::Script {
                interpreter,
                argument,
            } => {
                if files.len() > MAX_SCRIPTS {
                    return Err(Refusal::ScriptLoop(program));
                }
                let mut next = interpreter.clone();
                // `#!/usr/bin/env NAME`: env finds NAME on PATH; the rewrite runs NAME.
                if interpreter.rsplit('/').next() == Some("env")
                    && let Some(name) = argument.as_deref().filter(|a| !a.starts_with('-'))
                {
                    next = find_program(fs, name, workdir, path_env)?;
                }
                let base = next.rsplit('/').next().unwrap_or("");
                if SHELLS.contains(&base) {
                    return Err(Refusal::ShellScript {
                        path: running,
                        shell: interpreter,
                    });
                }
                script.get_or_insert(program.clone());
                running = next;
                role = Role::Interpreter;
            }
        }
    };
    if SHELLS.contains(&running.rsplit('/').next().unwrap_or("")) && role == Role::Program {
        return Err(Refusal::Shell { path: running });
    }
    let linking = match elf.libc() {
        None => Linking::Static,
        Some(Libc::Glibc) => Linking::Glibc,
        Some(Libc::Musl) => Linking::Musl,
        Some(Libc::Unknown) => {
            return Err(Refusal::UnknownLibc {
                path: running,
                loader: elf.interpreter.clone().unwrap_or_default(),
            });
        }
    };
    let loaded = closure(fs, &running, &elf, config.env_var("LD_LIBRARY_PATH"));
    if let Some(missing) = loaded.missing.first() {
        return Err(Refusal::MissingLibrary(missing.clone()));
    }
    let mut glibc_needed = elf.glibc_needed.clone();
    for object in &loaded.objects {
        let role = if Some(&object.name) == elf.interpreter.as_ref() {
            Role::Loader
        } else {
            Role::Library
        };
        let why = match role {
            Role::Loader => format!("the dynamic loader `{}` names", object.needed_by),
            _ => format!("`{}` needs {}", object.needed_by, object.name),
        };
        files.push(file_fact(fs, &object.path, role, why));
        if let Some(v) = &object.facts.glibc_needed
            && glibc_needed
                .as_deref()
                .is_none_or(|known| version_key(v) > version_key(known))
        {
            glibc_needed = Some(v.clone());
        }
    }
    for arg in argv.iter().skip(1) {
        if arg.starts_with('-') || arg.is_empty() {
            continue;
        }
        let path = join_path(workdir, arg);
        if ["/proc", "/sys", "/dev"]
            .iter()
            .any(|d| path == *d || path.starts_with(&format!("{d}/")))
            || files.iter().any(|f| f.path == path)
            || fs.metadata(&path).is_none()
        {
            continue;
        }
        let why = format!("the command's argument `{arg}` names it");
        files.push(file_fact(fs, &path, Role::Argument, why));
    }
    let mut seen = BTreeSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    Ok(AppFacts {
        argv,
        program,
        interpreter: script.is_some().then(|| running.clone()),
        script,
        linking,
        machine: elf.machine_name.to_string(),
        glibc_needed,
        packages,
        files,
    })
}

/// `name` found as a container runtime finds `argv[0]`: a name with a `/` is a path (from
/// the working folder), anything else is looked up in PATH; it must be an executable file.
pub fn find_program(
    fs: &Rootfs,
    name: &str,
    workdir: &str,
    path_env: &str,
) -> Result<String, Refusal> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |path: &str| {
        fs.metadata(path)
            .is_some_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if name.contains('/') {
        let path = join_path(workdir, name);
        return if executable(&path) {
            Ok(path)
        } else {
            Err(Refusal::NotFound {
                name: name.to_string(),
                searched: path,
            })
        };
    }
    for dir in path_env.split(':') {
        let dir = if dir.is_empty() { workdir } else { dir };
        let path = join_path(workdir, &format!("{dir}/{name}"));
        if executable(&path) {
            return Ok(path);
        }
    }
    Err(Refusal::NotFound {
        name: name.to_string(),
        searched: format!("PATH={path_env}"),
    })
}

/// The other files of the package that owns `path`, added to `files`; the package.
fn package_files(fs: &Rootfs, path: &str, files: &mut Vec<FileFact>) -> Option<Package> {
    let aliases: Vec<String> = fs.resolve(path).map(|r| r.path).into_iter().collect();
    let package = owner(fs, path, &aliases)?;
    for file in &package.files {
        if *file == path || aliases.contains(file) || files.iter().any(|f| f.path == *file) {
            continue;
        }
        // A symlink whose target is gone (a dangling alternative) is not worth a COPY.
        if fs.resolve(file).is_none() {
            continue;
        }
        let why = format!(
            "a file of package {} ({}), which ships `{path}`",
            package.name, package.manager
        );
        files.push(file_fact(fs, file, Role::Package, why));
    }
    Some(package)
}

/// Size and sha256 of what `path` leads to.
fn file_fact(fs: &Rootfs, path: &str, role: Role, why: String) -> FileFact {
    let resolved = fs.resolve(path);
    let (real, links) = resolved.map_or((path.to_string(), Vec::new()), |r| (r.path, r.links));
    let is_dir = fs.metadata(path).is_some_and(|m| m.is_dir());
    let (size, sha256) = if is_dir {
        tree_digest(fs, &real)
    } else {
        let bytes = fs.read(path).unwrap_or_default();
        (bytes.len() as u64, hex(&Sha256::digest(&bytes)))
    };
    FileFact {
        path: path.to_string(),
        resolved: real,
        links,
        size,
        sha256,
        is_dir,
        role,
        why,
    }
}

/// A folder's size (its files') and a sha256 over each file's path and sha256, in order.
fn tree_digest(fs: &Rootfs, dir: &str) -> (u64, String) {
    let mut hasher = Sha256::new();
    let mut size = 0;
    let mut stack = vec![dir.to_string()];
    let mut count = 0;
    while let Some(here) = stack.pop() {
        for name in fs.read_dir(&here).into_iter().rev() {
            let path = join_path(&here, &name);
            let Some(meta) = fs.entry_metadata(&path) else {
                continue;
            };
            count += 1;
            if count > 100_000 {
                break;
            }
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = std::fs::read(fs.host_path(&path)).unwrap_or_default();
                size += bytes.len() as u64;
                hasher.update(path.as_bytes());
                hasher.update(hex(&Sha256::digest(&bytes)).as_bytes());
            }
        }
    }
    (size, hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The facts of an ELF file in the image, for callers that only need those.
pub fn elf_facts(fs: &Rootfs, path: &str) -> Option<ElfFacts> {
    read_elf(&fs.read(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::testing::{host_tree, write};

    fn config(argv: &[&str], env: &[&str], workdir: &str) -> ImageConfig {
        ImageConfig {
            entrypoint: Vec::new(),
            cmd: argv.iter().map(|s| s.to_string()).collect(),
            workdir: workdir.into(),
            env: env.iter().map(|s| s.to_string()).collect(),
            user: String::new(),
        }
    }

    #[test]
    fn a_dynamic_program_on_path_with_its_libraries_package_and_argument() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        host_tree(root, "/bin/ls");
        write(root, "/data/input.txt", "hello", 0o644);
        write(
            root,
            "/var/lib/dpkg/info/coreutils.list",
            "/usr/bin/ls\n/usr/share/doc/coreutils/README\n/usr/lib/coreutils/data\n",
            0o644,
        );
        write(root, "/usr/share/doc/coreutils/README", "doc", 0o644);
        write(root, "/usr/lib/coreutils/data", "data", 0o644);
        let fs = Rootfs::new(root);
        let facts = analyse(
            &fs,
            &config(
                &["ls", "-l", "input.txt", "missing"],
                &["PATH=/usr/bin"],
                "/data",
            ),
        )
        .unwrap();
        assert_eq!(facts.program, "/usr/bin/ls");
        assert_eq!(facts.argv[0], "/usr/bin/ls");
        assert_eq!(facts.linking, Linking::Glibc);
        assert!(facts.glibc_needed.is_some());
        let roles: Vec<(Role, &str)> = facts
            .files
            .iter()
            .map(|f| (f.role, f.path.as_str()))
            .collect();
        assert_eq!(roles[0], (Role::Program, "/usr/bin/ls"));
        assert!(roles.contains(&(Role::Package, "/usr/lib/coreutils/data")));
        assert!(roles.contains(&(Role::Argument, "/data/input.txt")));
        assert!(
            roles
                .iter()
                .any(|(r, p)| *r == Role::Loader && p.contains("ld-linux"))
        );
        assert!(
            roles
                .iter()
                .any(|(r, p)| *r == Role::Library && p.ends_with("/libc.so.6"))
        );
        assert!(
            !roles
                .iter()
                .any(|(_, p)| p.contains("README") || p.contains("missing"))
        );
        let input = facts
            .files
            .iter()
            .find(|f| f.path == "/data/input.txt")
            .unwrap();
        assert_eq!(input.size, 5);
        // sha256("hello")
        assert_eq!(
            input.sha256,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        let libc = facts
            .files
            .iter()
            .find(|f| f.path.ends_with("/libc.so.6"))
            .unwrap();
        assert!(libc.resolved.ends_with(".real") && libc.links.len() == 1);
        assert_eq!(facts.packages[0].name, "coreutils");
    }

    #[test]
    fn shell_scripts_and_shells_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        host_tree(root, "/bin/ls");
        write(root, "/app/start.sh", "#!/bin/sh\nexec ls\n", 0o755);
        write(root, "/app/tool", "#!/usr/bin/env bash\nls\n", 0o755);
        write(root, "/usr/bin/bash", "", 0o755);
        write(root, "/app/noexec", "#!/usr/bin/ls\n", 0o644);
        let fs = Rootfs::new(root);
        let err = analyse(&fs, &config(&["/app/start.sh"], &[], "/")).unwrap_err();
        assert!(matches!(err, Refusal::ShellScript { ref shell, .. } if shell == "/bin/sh"));
        assert!(err.to_string().contains("shell script"));
        let err = analyse(&fs, &config(&["./tool"], &[], "/app")).unwrap_err();
        assert!(matches!(err, Refusal::ShellScript { .. }), "{err}");
        let err = analyse(&fs, &config(&["/app/noexec"], &[], "/")).unwrap_err();
        assert!(matches!(err, Refusal::NotFound { .. }), "{err}");
        let err = analyse(&fs, &config(&[], &[], "/")).unwrap_err();
        assert_eq!(err, Refusal::NoCommand);
    }

    #[test]
    fn a_script_runs_on_its_interpreter() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        host_tree(root, "/bin/ls");
        write(root, "/app/run", "#!/usr/bin/env ls\n", 0o755);
        let fs = Rootfs::new(root);
        let facts = analyse(&fs, &config(&["/app/run"], &[], "/")).unwrap();
        assert_eq!(facts.script.as_deref(), Some("/app/run"));
        assert_eq!(facts.interpreter.as_deref(), Some("/usr/bin/ls"));
        assert_eq!(facts.files[1].role, Role::Interpreter);
    }

    #[test]
    fn a_missing_library_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        host_tree(root, "/bin/ls");
        let lib = format!("usr/lib/{}/libc.so.6", crate::image::testing::triplet());
        std::fs::remove_file(root.join(lib)).unwrap();
        let err = analyse(&Rootfs::new(root), &config(&["/usr/bin/ls"], &[], "/")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("libc.so.6 needed by /usr/bin/ls"),
            "{err}"
        );
    }
}
