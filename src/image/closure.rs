//! The libraries a program maps, resolved inside an image's root filesystem as its loader
//! would resolve them: the requesting object's RPATH (when it has no RUNPATH), then its
//! RUNPATH, then the folders of the image's `/etc/ld.so.conf` (with its `include`s), then
//! the default folders. musl reads `/etc/ld-musl-ARCH.path` instead. Every path is looked up
//! inside the root, symlinks included: an absolute link target is taken from the root, never
//! from the host.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::elf::{self, ElfFacts, Executable};
use crate::analysis::env::normalize_path as normalize;

/// Symlinks followed before a path is given up on (Linux's `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// The folders glibc's and musl's loaders search with no cache and no configuration.
pub const DEFAULT_LIBRARY_DIRS: &[&str] = &[
    "/lib",
    "/usr/lib",
    "/lib64",
    "/usr/lib64",
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/local/lib",
];

/// A library of the closure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Library {
    /// The name a `DT_NEEDED` asked for (`libc.so.6`).
    pub name: String,
    /// Where the loader finds it in the image (`/lib/x86_64-linux-gnu/libc.so.6`).
    pub path: String,
    /// The file the path leads to after its symlinks, when it is a link.
    pub target: Option<String>,
}

/// A program's closure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Closure {
    pub program: ElfFacts,
    /// The loader, as the program names it, and the file it leads to in the image.
    pub loader: Option<(String, String)>,
    /// Every library, in the order the loader meets them (breadth first).
    pub libraries: Vec<Library>,
    /// Names no folder of the search holds: the program would not start.
    pub missing: Vec<String>,
}

/// Why a closure cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClosureError {
    #[error("`{0}` is not in the image")]
    NotFound(String),
    #[error("`{path}` is a script for `{interpreter}`, not a program")]
    Script { path: String, interpreter: String },
    #[error("`{0}` is not an ELF program")]
    NotElf(String),
    #[error("`{path}`: {error}")]
    Elf { path: String, error: String },
}

/// The closure of the program at `program` (a path inside the image) in the root `root`.
pub fn closure(root: &Path, program: &str) -> Result<Closure, ClosureError> {
    let (_, file) =
        resolve(root, program).ok_or_else(|| ClosureError::NotFound(program.to_string()))?;
    let facts = match read_elf(root, &file)? {
        Executable::Elf(facts) => facts,
        Executable::Script { interpreter, .. } => {
            return Err(ClosureError::Script {
                path: program.to_string(),
                interpreter,
            });
        }
        Executable::Other => return Err(ClosureError::NotElf(program.to_string())),
    };
    let mut closure = Closure {
        program: facts.clone(),
        ..Closure::default()
    };
    if let Some(loader) = &facts.interpreter {
        match resolve(root, loader) {
            Some((_, target)) => closure.loader = Some((loader.clone(), target)),
            None => closure.missing.push(loader.clone()),
        }
    }
    let system = system_dirs(root, &facts);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // (name, the object that needs it, its directory, its RPATH and RUNPATH)
    let mut queue: std::collections::VecDeque<(String, String, ElfFacts)> = facts
        .needed
        .iter()
        .map(|n| (n.clone(), parent(&file), facts.clone()))
        .collect();
    while let Some((name, origin, requester)) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if facts.is_musl() && musl_builtin(&name) {
            // musl's loader is its libc: it answers these names itself, from no file.
            continue;
        }
        let Some((path, file, lib)) = find(root, &name, &origin, &requester, &system, &facts)
        else {
            closure.missing.push(name);
            continue;
        };
        for needed in &lib.needed {
            queue.push_back((needed.clone(), parent(&file), lib.clone()));
        }
        closure.libraries.push(Library {
            name,
            target: (file != path).then_some(file),
            path,
        });
    }
    Ok(closure)
}

/// The names musl's loader maps to itself (`libc.so`, `libpthread.so.0`, …): musl has one
/// library, and `ldso/dynlink.c` (`load_library`) answers these reserved names with it.
fn musl_builtin(name: &str) -> bool {
    let Some(stem) = name.strip_prefix("lib") else {
        return false;
    };
    let Some((stem, rest)) = stem.split_once(".so") else {
        return false;
    };
    (rest.is_empty() || rest.starts_with('.'))
        && matches!(stem, "c" | "pthread" | "rt" | "m" | "dl" | "util" | "xnet")
}

/// The library `name` for `requester`: its path in the image, the file it leads to, and
/// its facts. A library of another class or machine is passed over, as the loader does.
fn find(
    root: &Path,
    name: &str,
    origin: &str,
    requester: &ElfFacts,
    system: &[String],
    program: &ElfFacts,
) -> Option<(String, String, ElfFacts)> {
    let candidates: Vec<String> = if name.contains('/') {
        vec![name.to_string()]
    } else {
        let expand = |dir: &String| dir.replace("$ORIGIN", origin).replace("${ORIGIN}", origin);
        let rpath = if requester.runpath.is_empty() {
            requester.rpath.iter().map(expand).collect()
        } else {
            Vec::new()
        };
        rpath
            .into_iter()
            .chain(requester.runpath.iter().map(expand))
            .chain(system.iter().cloned())
            .map(|dir| format!("{}/{name}", dir.trim_end_matches('/')))
            .collect()
    };
    candidates.into_iter().find_map(|path| {
        let (path, file) = resolve(root, &path)?;
        match read_elf(root, &file).ok()? {
            Executable::Elf(lib)
                if lib.is_64 == program.is_64 && lib.machine == program.machine =>
            {
                Some((path, file, lib))
            }
            _ => None,
        }
    })
}

/// The folders searched after RPATH and RUNPATH.
fn system_dirs(root: &Path, program: &ElfFacts) -> Vec<String> {
    if program.is_musl() {
        // musl: `/etc/ld-musl-ARCH.path`, one folder per line or colon, else its defaults.
        let arch = program
            .interpreter
            .as_deref()
            .and_then(|i| i.rsplit('/').next())
            .and_then(|n| n.strip_prefix("ld-musl-"))
            .and_then(|n| n.strip_suffix(".so.1"))
            .unwrap_or("");
        if let Ok(text) =
            std::fs::read_to_string(inside(root, &format!("/etc/ld-musl-{arch}.path")))
        {
            return text
                .split(['\n', ':'])
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect();
        }
        return ["/lib", "/usr/local/lib", "/usr/lib"]
            .map(String::from)
            .to_vec();
    }
    let mut dirs = Vec::new();
    read_ld_so_conf(root, "/etc/ld.so.conf", &mut dirs, 0);
    let defaults: &[&str] = if program.is_64 {
        &["/lib64", "/usr/lib64", "/lib", "/usr/lib"]
    } else {
        &["/lib", "/usr/lib"]
    };
    dirs.extend(defaults.iter().map(|d| d.to_string()));
    dirs
}

/// The folders of an `ld.so.conf`, following `include` lines (globs in the file name).
fn read_ld_so_conf(root: &Path, path: &str, dirs: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Ok(text) = std::fs::read_to_string(inside(root, path)) else {
        return;
    };
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(pattern) = line.strip_prefix("include") {
            for pattern in pattern.split_whitespace() {
                for file in glob(root, pattern) {
                    read_ld_so_conf(root, &file, dirs, depth + 1);
                }
            }
        } else if line.starts_with('/') {
            dirs.extend(
                line.split([':', ',', ' ', '\t'])
                    .filter(|d| !d.is_empty())
                    .map(str::to_string),
            );
        }
    }
}

/// The files a pattern with `*` in its last component names, sorted (as glibc's `glob`).
fn glob(root: &Path, pattern: &str) -> Vec<String> {
    let (dir, name) = pattern.rsplit_once('/').unwrap_or(("", pattern));
    let dir = if dir.is_empty() { "/" } else { dir };
    let Some((prefix, suffix)) = name.split_once('*') else {
        return vec![pattern.to_string()];
    };
    let Ok(entries) = std::fs::read_dir(inside(root, dir)) else {
        return Vec::new();
    };
    let mut files: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            n.starts_with(prefix) && n.ends_with(suffix) && n.len() >= prefix.len() + suffix.len()
        })
        .map(|n| format!("{}/{n}", dir.trim_end_matches('/')))
        .collect();
    files.sort();
    files
}

/// A path inside the image, and the regular file it leads to after every symlink, both as
/// paths inside the image. `None` when it does not exist, is not a regular file, or loops.
pub fn resolve(root: &Path, path: &str) -> Option<(String, String)> {
    let mut current = normalize(path);
    for _ in 0..MAX_LINKS {
        // Each component may itself be a link: resolve from the top.
        let mut resolved = String::new();
        let mut changed = false;
        for part in current.trim_start_matches('/').split('/') {
            let next = format!("{resolved}/{part}");
            let on_disk = inside(root, &next);
            match std::fs::symlink_metadata(&on_disk) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    let target = std::fs::read_link(&on_disk).ok()?;
                    let target = target.to_string_lossy();
                    let base = if target.starts_with('/') {
                        String::new()
                    } else {
                        resolved.clone()
                    };
                    let rest = current
                        .trim_start_matches('/')
                        .split('/')
                        .skip(next.trim_start_matches('/').split('/').count())
                        .collect::<Vec<_>>()
                        .join("/");
                    current = normalize(&format!("{base}/{target}/{rest}"));
                    changed = true;
                    break;
                }
                Ok(_) => resolved = next,
                Err(_) => return None,
            }
        }
        if !changed {
            let meta = std::fs::metadata(inside(root, &resolved)).ok()?;
            return meta.is_file().then(|| (normalize(path), resolved));
        }
    }
    None
}

fn read_elf(root: &Path, file: &str) -> Result<Executable, ClosureError> {
    let data =
        std::fs::read(inside(root, file)).map_err(|_| ClosureError::NotFound(file.to_string()))?;
    elf::read(&data).map_err(|e| ClosureError::Elf {
        path: file.to_string(),
        error: e.to_string(),
    })
}

/// The host path of a path inside the image (`..` cannot climb out: it is normalised first).
pub fn inside(root: &Path, path: &str) -> PathBuf {
    root.join(normalize(path).trim_start_matches('/'))
}

fn parent(path: &str) -> String {
    path.rsplit_once('/')
        .map_or("/", |(p, _)| if p.is_empty() { "/" } else { p })
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host is a root filesystem too: `ls` resolves through its ld.so.conf.
    #[test]
    fn the_host_ls() {
        if !Path::new("/bin/ls").exists() {
            return;
        }
        let c = closure(Path::new("/"), "/bin/ls").unwrap();
        assert!(c.missing.is_empty(), "{c:?}");
        assert!(c.loader.is_some());
        assert!(c.libraries.iter().any(|l| l.name == "libc.so.6"), "{c:?}");
    }

    /// A root made of the host's `ls`, its loader and libc only, with libc in a folder that
    /// only the root's ld.so.conf.d names: found there; a library left out is `missing`.
    #[test]
    fn a_made_root() {
        let Ok(host) = closure(Path::new("/"), "/bin/ls") else {
            return;
        };
        let root = tempfile::tempdir().unwrap();
        let put = |from: &str, to: &str| {
            let to = root.path().join(to.trim_start_matches('/'));
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
        };
        put("/bin/ls", "/usr/bin/ls");
        std::os::unix::fs::symlink("usr/bin", root.path().join("bin")).unwrap();
        let (loader, loader_file) = host.loader.clone().unwrap();
        put(&loader_file, &loader);
        let libc = host
            .libraries
            .iter()
            .find(|l| l.name == "libc.so.6")
            .unwrap();
        put(
            libc.target.as_deref().unwrap_or(&libc.path),
            "/opt/glibc/libc.so.6",
        );
        std::fs::create_dir_all(root.path().join("etc/ld.so.conf.d")).unwrap();
        std::fs::write(
            root.path().join("etc/ld.so.conf"),
            "include /etc/ld.so.conf.d/*.conf\n",
        )
        .unwrap();
        std::fs::write(
            root.path().join("etc/ld.so.conf.d/glibc.conf"),
            "# ours\n/opt/glibc\n",
        )
        .unwrap();

        let c = closure(root.path(), "/bin/ls").unwrap();
        let found = c.libraries.iter().find(|l| l.name == "libc.so.6").unwrap();
        assert_eq!(found.path, "/opt/glibc/libc.so.6");
        // What else ls needs directly (libselinux on Debian) was left out: missing, and what
        // those would need is never reached.
        for other in c.program.needed.iter().filter(|n| *n != "libc.so.6") {
            assert!(c.missing.contains(other), "{other}: {c:?}");
        }
        assert!(!c.missing.contains(&"libc.so.6".to_string()));
    }

    #[test]
    fn links_stay_inside_the_root() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("lib")).unwrap();
        std::fs::write(root.path().join("lib/real.so"), b"x").unwrap();
        std::os::unix::fs::symlink("real.so", root.path().join("lib/link.so")).unwrap();
        // An absolute target is the image's, not the host's /etc/passwd.
        std::os::unix::fs::symlink("/etc/passwd", root.path().join("lib/escape.so")).unwrap();
        std::os::unix::fs::symlink("loop.so", root.path().join("lib/loop.so")).unwrap();
        assert_eq!(
            resolve(root.path(), "/lib/link.so"),
            Some(("/lib/link.so".into(), "/lib/real.so".into()))
        );
        assert_eq!(resolve(root.path(), "/lib/escape.so"), None);
        assert_eq!(resolve(root.path(), "/lib/loop.so"), None);
        assert_eq!(
            resolve(root.path(), "/lib/../../lib/real.so").map(|r| r.1),
            Some("/lib/real.so".into())
        );
    }

    #[test]
    fn scripts_are_named() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("run.sh"), "#!/bin/sh\necho\n").unwrap();
        assert_eq!(
            closure(root.path(), "/run.sh"),
            Err(ClosureError::Script {
                path: "/run.sh".into(),
                interpreter: "/bin/sh".into()
            })
        );
        assert_eq!(
            closure(root.path(), "/nothing"),
            Err(ClosureError::NotFound("/nothing".into()))
        );
    }
}
