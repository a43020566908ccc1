//! The libraries a dynamic ELF program loads, found the way its loader would find them in
//! the image: `DT_RPATH`, `LD_LIBRARY_PATH`, `DT_RUNPATH`, then the folders of
//! `/etc/ld.so.conf` (and what it includes) and the default ones for glibc; the
//! `/etc/ld-musl-ARCH.path` list or musl's defaults for musl. Followed recursively: the
//! result is the closure, each library with the path the loader opens and the symlinks on
//! the way to the file.
//!
//! No `ldd` and no `ld.so.cache`: the cache is a binary file built from the same
//! configuration, and running the image's own tools is what this module exists to avoid.

use std::collections::{BTreeSet, VecDeque};

use serde::Serialize;

use super::elf::{ElfFacts, Libc, read_elf};
use super::rootfs::{Resolved, Rootfs, join_path};

/// One object the loader maps: the loader itself or a needed library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    /// The name asked for (`libjq.so.1`), or the loader's path.
    pub name: String,
    /// The path the loader opens (`/usr/lib/x86_64-linux-gnu/libjq.so.1`).
    pub path: String,
    /// That path with its symlinks followed.
    pub resolved: Resolved,
    /// Who asked for it (a path); the program for the loader.
    pub needed_by: String,
    pub facts: ElfFacts,
}

/// A needed library no folder of the search holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub name: String,
    pub needed_by: String,
}

/// The loader and every library a program loads, in the order they are found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Closure {
    pub objects: Vec<Loaded>,
    pub missing: Vec<Missing>,
}

/// Computes the closure of `program` (an image path) whose facts are `facts`.
/// `ld_library_path` is the image's `LD_LIBRARY_PATH`, if it sets one.
pub fn closure(
    fs: &Rootfs,
    program: &str,
    facts: &ElfFacts,
    ld_library_path: Option<&str>,
) -> Closure {
    let mut result = Closure::default();
    if facts.is_static() {
        return result;
    }
    let libc = facts.libc().unwrap_or(Libc::Unknown);
    let system = system_dirs(fs, facts, libc);
    let env_dirs: Vec<String> = ld_library_path
        .unwrap_or("")
        .split([':', ';'])
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect();
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    if let Some(interpreter) = &facts.interpreter {
        match load(fs, interpreter, facts) {
            Some((resolved, lib)) => {
                names.insert(interpreter.rsplit('/').next().unwrap_or("").to_string());
                names.extend(lib.soname.clone());
                files.insert(resolved.path.clone());
                result.objects.push(Loaded {
                    name: interpreter.clone(),
                    path: interpreter.clone(),
                    resolved,
                    needed_by: program.to_string(),
                    facts: lib,
                });
            }
            None => result.missing.push(Missing {
                name: interpreter.clone(),
                needed_by: program.to_string(),
            }),
        }
    }
    let mut queue: VecDeque<(String, ElfFacts)> = VecDeque::from([(
        fs.resolve(program)
            .map_or(program.to_string(), |r| r.path.clone()),
        facts.clone(),
    )]);
    while let Some((who, who_facts)) = queue.pop_front() {
        for name in &who_facts.needed {
            if names.contains(name) || (libc == Libc::Musl && musl_builtin(name)) {
                continue;
            }
            let origin = who.rsplit_once('/').map_or("/", |(dir, _)| dir).to_string();
            let expand = |dirs: &[String]| -> Vec<String> {
                dirs.iter()
                    .map(|d| d.replace("${ORIGIN}", &origin).replace("$ORIGIN", &origin))
                    .collect()
            };
            let mut search = Vec::new();
            // glibc reads DT_RPATH only when there is no DT_RUNPATH, and before
            // LD_LIBRARY_PATH; musl treats both alike.
            if who_facts.runpath.is_empty() || libc == Libc::Musl {
                search.extend(expand(&who_facts.rpath));
                if who_facts.runpath.is_empty() && facts.runpath.is_empty() {
                    search.extend(expand(&facts.rpath));
                }
            }
            search.extend(env_dirs.iter().cloned());
            search.extend(expand(&who_facts.runpath));
            search.extend(system.iter().cloned());
            let found = if name.contains('/') {
                let path = join_path(&origin, name);
                load(fs, &path, &who_facts).map(|(r, f)| (path, r, f))
            } else {
                search.iter().find_map(|dir| {
                    let path = join_path(dir, name);
                    load(fs, &path, &who_facts).map(|(r, f)| (path, r, f))
                })
            };
            let Some((path, resolved, lib)) = found else {
                result.missing.push(Missing {
                    name: name.clone(),
                    needed_by: who.clone(),
                });
                names.insert(name.clone());
                continue;
            };
            names.insert(name.clone());
            names.extend(lib.soname.clone());
            if files.insert(resolved.path.clone()) {
                queue.push_back((resolved.path.clone(), lib.clone()));
                result.objects.push(Loaded {
                    name: name.clone(),
                    path,
                    resolved,
                    needed_by: who.clone(),
                    facts: lib,
                });
            }
        }
    }
    result
}

/// The file at `path` if it is an ELF object `who` can load (same class and machine).
fn load(fs: &Rootfs, path: &str, who: &ElfFacts) -> Option<(Resolved, ElfFacts)> {
    let resolved = fs.resolve(path)?;
    if !fs.is_file(&resolved.path) {
        return None;
    }
    let lib = read_elf(&fs.read(&resolved.path)?)?;
    who.compatible(&lib).then_some((resolved, lib))
}

/// Names musl's loader answers itself: its libc stands in for libc, libm, libpthread, …
fn musl_builtin(name: &str) -> bool {
    let stem = name.split(".so").next().unwrap_or(name);
    name.starts_with("libc.musl-")
        || ([
            "libc",
            "libdl",
            "libm",
            "libpthread",
            "librt",
            "libutil",
            "libxnet",
            "libresolv",
            "libcrypt",
        ]
        .contains(&stem)
            && name.contains(".so"))
}

/// The folders searched after the object's own paths, in order.
fn system_dirs(fs: &Rootfs, facts: &ElfFacts, libc: Libc) -> Vec<String> {
    let arch = match facts.machine {
        goblin::elf::header::EM_X86_64 => "x86_64",
        goblin::elf::header::EM_AARCH64 => "aarch64",
        goblin::elf::header::EM_386 => "i386",
        goblin::elf::header::EM_ARM => "arm",
        goblin::elf::header::EM_PPC64 => "powerpc64le",
        goblin::elf::header::EM_S390 => "s390x",
        goblin::elf::header::EM_RISCV => "riscv64",
        _ => "",
    };
    let mut dirs = Vec::new();
    if libc == Libc::Musl {
        let listed = fs.read_to_string(&format!("/etc/ld-musl-{arch}.path"));
        match listed {
            Some(text) => dirs.extend(
                text.split(['\n', ':'])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string),
            ),
            None => dirs.extend(["/lib", "/usr/local/lib", "/usr/lib"].map(str::to_string)),
        }
        return dirs;
    }
    read_ld_so_conf(fs, "/etc/ld.so.conf", &mut dirs, 0);
    // glibc's built-in folders: Debian's multiarch ones, then lib64 or lib.
    let triplet = match arch {
        "arm" => "arm-linux-gnueabihf".to_string(),
        "" => String::new(),
        a => format!("{a}-linux-gnu"),
    };
    if !triplet.is_empty() {
        dirs.push(format!("/lib/{triplet}"));
        dirs.push(format!("/usr/lib/{triplet}"));
    }
    if facts.class == super::elf::Class::Elf64 {
        dirs.extend(["/lib64", "/usr/lib64"].map(str::to_string));
    }
    dirs.extend(["/lib", "/usr/lib"].map(str::to_string));
    let mut seen = BTreeSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    dirs
}

/// The folders an `ld.so.conf` file lists, following `include` lines (globs in the last
/// part of a path, as glibc's `ldconfig` allows).
fn read_ld_so_conf(fs: &Rootfs, path: &str, dirs: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Some(text) = fs.read_to_string(path) else {
        return;
    };
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with("hwcap ") {
            continue;
        }
        if let Some(pattern) = line.strip_prefix("include") {
            for pattern in pattern.split_whitespace() {
                let pattern = join_path("/etc", pattern);
                for file in glob(fs, &pattern) {
                    read_ld_so_conf(fs, &file, dirs, depth + 1);
                }
            }
            continue;
        }
        dirs.extend(
            line.split([' ', '\t', ',', ':'])
                .filter(|d| d.starts_with('/'))
                .map(str::to_string),
        );
    }
}

/// The files matching `pattern`, whose last part may hold `*` and `?`.
fn glob(fs: &Rootfs, pattern: &str) -> Vec<String> {
    let (dir, name) = pattern.rsplit_once('/').unwrap_or(("", pattern));
    let dir = if dir.is_empty() { "/" } else { dir };
    if !name.contains(['*', '?']) {
        return vec![pattern.to_string()];
    }
    fs.read_dir(dir)
        .into_iter()
        .filter(|n| wildcard(name.as_bytes(), n.as_bytes()))
        .map(|n| join_path(dir, &n))
        .collect()
}

fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            wildcard(&pattern[1..], text) || (!text.is_empty() && wildcard(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => wildcard(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => wildcard(&pattern[1..], &text[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::testing::{copy_host_program, host_tree};

    #[test]
    fn finds_the_closure_of_a_host_program_through_ld_so_conf() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // ls and its libraries, in an image that keeps them in a folder only ld.so.conf.d
        // names: the default folders hold nothing.
        let facts = copy_host_program(root, "/bin/ls", "/usr/bin/ls", "/opt/libs");
        std::fs::create_dir_all(root.join("etc/ld.so.conf.d")).unwrap();
        std::fs::write(
            root.join("etc/ld.so.conf"),
            "include /etc/ld.so.conf.d/*.conf\n",
        )
        .unwrap();
        std::fs::write(
            root.join("etc/ld.so.conf.d/opt.conf"),
            "# ours\n/opt/libs\n",
        )
        .unwrap();
        let fs = Rootfs::new(root);
        let closure = closure(&fs, "/usr/bin/ls", &facts, None);
        assert!(closure.missing.is_empty(), "{:?}", closure.missing);
        let names: Vec<&str> = closure.objects.iter().map(|o| o.name.as_str()).collect();
        assert!(names[0].contains("ld-linux"), "{names:?}");
        assert!(names.contains(&"libc.so.6"), "{names:?}");
        let libc = closure
            .objects
            .iter()
            .find(|o| o.name == "libc.so.6")
            .unwrap();
        assert_eq!(libc.path, "/opt/libs/libc.so.6");
        // Without the configuration, the libraries are not found.
        std::fs::remove_file(root.join("etc/ld.so.conf")).unwrap();
        let closure = super::closure(&fs, "/usr/bin/ls", &facts, None);
        assert!(closure.missing.iter().any(|m| m.name == "libc.so.6"));
        // LD_LIBRARY_PATH from the image's environment finds them again.
        let closure = super::closure(&fs, "/usr/bin/ls", &facts, Some("/opt/libs"));
        assert!(closure.missing.is_empty());
    }

    #[test]
    fn keeps_the_symlinks_on_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let facts = host_tree(root, "/bin/ls");
        let fs = Rootfs::new(root);
        let closure = closure(&fs, "/usr/bin/ls", &facts, None);
        assert!(closure.missing.is_empty(), "{:?}", closure.missing);
        let libc = closure
            .objects
            .iter()
            .find(|o| o.name == "libc.so.6")
            .unwrap();
        let dir = format!("/usr/lib/{}", crate::image::testing::triplet());
        assert_eq!(libc.path, format!("{dir}/libc.so.6"));
        assert_eq!(libc.resolved.path, format!("{dir}/libc.so.6.real"));
        assert_eq!(libc.resolved.links.len(), 1);
    }

    #[test]
    fn wildcards() {
        assert!(wildcard(b"*.conf", b"x86_64-linux-gnu.conf"));
        assert!(!wildcard(b"*.conf", b"x.confx"));
        assert!(wildcard(b"a?c", b"abc"));
    }

    #[test]
    fn musl_answers_libc_itself() {
        assert!(musl_builtin("libc.so"));
        assert!(musl_builtin("libc.musl-x86_64.so.1"));
        assert!(!musl_builtin("libz.so.1"));
    }
}
