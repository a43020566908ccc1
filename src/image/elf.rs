//! What an executable file says about how it starts: an ELF file's class, machine, loader
//! (`PT_INTERP`), needed libraries (`DT_NEEDED`), search paths (`DT_RPATH`, `DT_RUNPATH`)
//! and the newest glibc symbol version it asks for; or a script's `#!` line. Read with
//! goblin from the file's bytes; nothing is executed.

use goblin::elf::Elf;
use serde::Serialize;

/// ELF's two classes: 32- or 64-bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Class {
    Elf32,
    Elf64,
}

/// The C library a dynamic ELF file is linked against, as its loader and needs show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Libc {
    Glibc,
    Musl,
    /// Dynamic, but neither loader nor needs name a C library dfslim knows.
    Unknown,
}

/// The facts of one ELF file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ElfFacts {
    pub class: Class,
    /// `e_machine`, and its name (`X86_64`, `AARCH64`).
    pub machine: u16,
    pub machine_name: &'static str,
    /// `PT_INTERP`: the dynamic loader the kernel starts (`/lib64/ld-linux-x86-64.so.2`).
    pub interpreter: Option<String>,
    /// `DT_NEEDED`, in order.
    pub needed: Vec<String>,
    /// `DT_RPATH` and `DT_RUNPATH`, each split at `:`.
    pub rpath: Vec<String>,
    pub runpath: Vec<String>,
    /// `DT_SONAME`, for a library.
    pub soname: Option<String>,
    /// The newest `GLIBC_x.y` version the file needs (`2.34`), if any.
    pub glibc_needed: Option<String>,
}

impl ElfFacts {
    /// No loader and no needed library: the kernel runs it as it is.
    pub fn is_static(&self) -> bool {
        self.interpreter.is_none() && self.needed.is_empty()
    }

    /// Which C library a dynamic file uses; `None` for a static one.
    pub fn libc(&self) -> Option<Libc> {
        if self.is_static() {
            return None;
        }
        let loader = self.interpreter.as_deref().unwrap_or("");
        if loader.contains("ld-musl") || self.needed.iter().any(|n| n.starts_with("libc.musl")) {
            Some(Libc::Musl)
        } else if loader.contains("ld-linux")
            || self.needed.iter().any(|n| n == "libc.so.6")
            || self.glibc_needed.is_some()
        {
            Some(Libc::Glibc)
        } else {
            Some(Libc::Unknown)
        }
    }

    /// Whether a library of `other`'s class and machine can be loaded with this file.
    pub fn compatible(&self, other: &ElfFacts) -> bool {
        self.class == other.class && self.machine == other.machine
    }
}

/// What an executable file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    Elf(Box<ElfFacts>),
    /// `#!interpreter [argument]`.
    Script {
        interpreter: String,
        argument: Option<String>,
    },
    /// Neither: the kernel would refuse it (`exec format error`).
    Other,
}

/// Reads an ELF file's facts; `None` when `bytes` is not one goblin can read.
pub fn read_elf(bytes: &[u8]) -> Option<ElfFacts> {
    if !bytes.starts_with(b"\x7fELF") {
        return None;
    }
    let elf = Elf::parse(bytes).ok()?;
    let split = |paths: &[&str]| -> Vec<String> {
        paths
            .iter()
            .flat_map(|p| p.split(':'))
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    Some(ElfFacts {
        class: if elf.is_64 {
            Class::Elf64
        } else {
            Class::Elf32
        },
        machine: elf.header.e_machine,
        machine_name: goblin::elf::header::machine_to_str(elf.header.e_machine),
        interpreter: elf.interpreter.map(str::to_string),
        needed: elf.libraries.iter().map(|s| s.to_string()).collect(),
        rpath: split(&elf.rpaths),
        runpath: split(&elf.runpaths),
        soname: elf.soname.map(str::to_string),
        glibc_needed: newest_glibc(&elf),
    })
}

/// The newest `GLIBC_x.y` among the versions the file needs from its libraries.
fn newest_glibc(elf: &Elf) -> Option<String> {
    let verneed = elf.verneed.as_ref()?;
    let mut newest: Option<(Vec<u32>, String)> = None;
    for need in verneed.iter() {
        for aux in need.iter() {
            let Some(name) = elf.dynstrtab.get_at(aux.vna_name) else {
                continue;
            };
            let Some(version) = name.strip_prefix("GLIBC_") else {
                continue;
            };
            let Some(key) = version_key(version) else {
                continue;
            };
            if newest.as_ref().is_none_or(|(known, _)| key > *known) {
                newest = Some((key, version.to_string()));
            }
        }
    }
    newest.map(|(_, v)| v)
}

/// `2.34` → `[2, 34]`, for comparing versions; `None` for `PRIVATE` and the like.
pub fn version_key(version: &str) -> Option<Vec<u32>> {
    version.split('.').map(|p| p.parse().ok()).collect()
}

/// What the file starting with `head` is: ELF (the whole file is needed for its facts, so
/// `read_elf` is called by the caller with all bytes), a `#!` script, or neither.
pub fn read_program(bytes: &[u8]) -> Program {
    if let Some(facts) = read_elf(bytes) {
        return Program::Elf(Box::new(facts));
    }
    let Some(rest) = bytes.strip_prefix(b"#!") else {
        return Program::Other;
    };
    let line = rest.split(|b| *b == b'\n').next().unwrap_or(b"");
    let line = String::from_utf8_lossy(line);
    // Linux splits the line once: the interpreter, then everything else as one argument.
    let line = line.trim_matches([' ', '\t', '\r']);
    let (interpreter, argument) = match line.split_once([' ', '\t']) {
        Some((i, a)) => (i, Some(a.trim().to_string()).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    if interpreter.is_empty() {
        return Program::Other;
    }
    Program::Script {
        interpreter: interpreter.to_string(),
        argument,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_host_binary() {
        // The test machine's own /bin/ls: dynamic, glibc, 64-bit on the usual hosts.
        let bytes = std::fs::read("/bin/ls").unwrap();
        let Program::Elf(facts) = read_program(&bytes) else {
            panic!("/bin/ls is not ELF");
        };
        assert!(!facts.is_static());
        assert_eq!(facts.libc(), Some(Libc::Glibc));
        assert!(facts.needed.contains(&"libc.so.6".to_string()));
        assert!(facts.interpreter.as_deref().unwrap().contains("ld-linux"));
        assert!(version_key(facts.glibc_needed.as_deref().unwrap()).unwrap() >= vec![2, 2]);
    }

    #[test]
    fn reads_scripts() {
        assert_eq!(
            read_program(b"#!/usr/bin/env python3\nprint(1)\n"),
            Program::Script {
                interpreter: "/usr/bin/env".into(),
                argument: Some("python3".into())
            }
        );
        assert_eq!(
            read_program(b"#! /bin/sh\n"),
            Program::Script {
                interpreter: "/bin/sh".into(),
                argument: None
            }
        );
        assert_eq!(read_program(b"hello"), Program::Other);
        assert_eq!(read_program(b"\x7fELF garbage"), Program::Other);
    }

    #[test]
    fn compares_versions() {
        assert!(version_key("2.34").unwrap() > version_key("2.4").unwrap());
        assert_eq!(version_key("PRIVATE"), None);
    }
}
