//! One ELF file's dynamic-linking facts, read with the `object` crate: whether it is
//! static, which loader it asks for, which libraries it needs and where it says to look.
//! A shebang script names its interpreter instead.

use object::elf::{DT_NEEDED, DT_RPATH, DT_RUNPATH, PT_INTERP};
use object::read::elf::{Dyn, FileHeader, ProgramHeader};
use object::{Endianness, elf};

/// What a file in the image is, for the purpose of running it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Executable {
    Elf(ElfFacts),
    /// `#!INTERPRETER [ARG]`: the interpreter's path and its optional argument.
    Script {
        interpreter: String,
        argument: Option<String>,
    },
    /// Neither: data, or a format dfslim does not read.
    Other,
}

/// The dynamic-linking facts of an ELF file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ElfFacts {
    /// 64-bit (`ELFCLASS64`) or 32-bit.
    pub is_64: bool,
    /// `e_machine` (`EM_X86_64` is 62, `EM_AARCH64` 183).
    pub machine: u16,
    /// `PT_INTERP`: the loader the kernel starts, `None` for a static executable.
    pub interpreter: Option<String>,
    /// `DT_NEEDED`, in order.
    pub needed: Vec<String>,
    /// `DT_RPATH` entries (searched before `LD_LIBRARY_PATH`, unless a RUNPATH exists).
    pub rpath: Vec<String>,
    /// `DT_RUNPATH` entries.
    pub runpath: Vec<String>,
}

impl ElfFacts {
    /// A static executable: no loader, no libraries.
    pub fn is_static(&self) -> bool {
        self.interpreter.is_none() && self.needed.is_empty()
    }

    /// Whether the loader is musl's (`/lib/ld-musl-x86_64.so.1`).
    pub fn is_musl(&self) -> bool {
        self.interpreter
            .as_deref()
            .is_some_and(|i| i.rsplit('/').next().unwrap_or(i).starts_with("ld-musl-"))
    }
}

/// Why a file could not be read as what its header says.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a readable ELF file: {0}")]
pub struct ElfError(pub String);

/// What `data` (a whole file) is.
pub fn read(data: &[u8]) -> Result<Executable, ElfError> {
    if let Some(rest) = data.strip_prefix(b"#!") {
        let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = String::from_utf8_lossy(line);
        let mut words = line.trim().splitn(2, [' ', '\t']);
        let interpreter = words.next().unwrap_or_default().to_string();
        let argument = words
            .next()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
        return Ok(Executable::Script {
            interpreter,
            argument,
        });
    }
    if !data.starts_with(&elf::ELFMAG) {
        return Ok(Executable::Other);
    }
    // e_ident[EI_CLASS], the fifth byte.
    match data.get(4) {
        Some(&elf::ELFCLASS64) => facts::<elf::FileHeader64<Endianness>>(data).map(Executable::Elf),
        Some(&elf::ELFCLASS32) => facts::<elf::FileHeader32<Endianness>>(data).map(Executable::Elf),
        _ => Err(ElfError("unknown ELF class".into())),
    }
}

fn facts<H: FileHeader<Endian = Endianness>>(data: &[u8]) -> Result<ElfFacts, ElfError> {
    let error = |e: object::Error| ElfError(e.to_string());
    let header = H::parse(data).map_err(error)?;
    let endian = header.endian().map_err(error)?;
    let mut facts = ElfFacts {
        is_64: header.is_type_64(),
        machine: header.e_machine(endian),
        ..ElfFacts::default()
    };
    for segment in header.program_headers(endian, data).map_err(error)? {
        if segment.p_type(endian) == PT_INTERP {
            let bytes = segment
                .data(endian, data)
                .map_err(|()| ElfError("PT_INTERP is outside the file".into()))?;
            let path = bytes.split(|&b| b == 0).next().unwrap_or_default();
            facts.interpreter = Some(String::from_utf8_lossy(path).into_owned());
        }
    }
    let sections = header.sections(endian, data).map_err(error)?;
    if let Some((entries, index)) = sections.dynamic(endian, data).map_err(error)? {
        // `dynamic` gives the index of the string table it links to.
        let strings = sections.strings(endian, data, index).map_err(error)?;
        for entry in entries {
            let tag = entry.tag32(endian);
            let list = match tag {
                Some(DT_NEEDED) => None,
                Some(DT_RPATH) => Some(&mut facts.rpath),
                Some(DT_RUNPATH) => Some(&mut facts.runpath),
                _ => continue,
            };
            let value = entry.string(endian, strings).map_err(error)?;
            let value = String::from_utf8_lossy(value).into_owned();
            match list {
                None => facts.needed.push(value),
                Some(list) => list.extend(value.split(':').map(str::to_string)),
            }
        }
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(path: &str) -> Option<Vec<u8>> {
        std::fs::read(path).ok()
    }

    #[test]
    fn a_dynamic_host_program() {
        // Debian's `ls` links against glibc through the x86-64 or arm64 loader.
        let Some(data) = host("/bin/ls") else { return };
        let Executable::Elf(facts) = read(&data).unwrap() else {
            panic!("/bin/ls is not ELF")
        };
        assert!(facts.is_64);
        assert!(facts.interpreter.as_deref().unwrap().contains("ld-linux"));
        assert!(
            facts.needed.iter().any(|n| n.starts_with("libc.so")),
            "{facts:?}"
        );
        assert!(!facts.is_static() && !facts.is_musl());
    }

    #[test]
    fn scripts_and_data() {
        assert_eq!(
            read(b"#!/usr/bin/env python3\nprint(1)\n").unwrap(),
            Executable::Script {
                interpreter: "/usr/bin/env".into(),
                argument: Some("python3".into())
            }
        );
        assert_eq!(
            read(b"#!/bin/sh\necho\n").unwrap(),
            Executable::Script {
                interpreter: "/bin/sh".into(),
                argument: None
            }
        );
        assert_eq!(read(b"hello").unwrap(), Executable::Other);
        assert!(read(b"\x7fELF\x09rest").is_err());
        assert!(read(b"\x7fELF\x02\x01\x01").is_err());
    }

    #[test]
    fn musl_loader() {
        let facts = ElfFacts {
            interpreter: Some("/lib/ld-musl-x86_64.so.1".into()),
            needed: vec!["libc.musl-x86_64.so.1".into()],
            ..ElfFacts::default()
        };
        assert!(facts.is_musl() && !facts.is_static());
    }
}
