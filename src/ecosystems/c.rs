//! C and C++: `gcc`/`g++`/`clang` with `-o`, and `make install` with its prefix.

use crate::analysis::catalogue::Libc;
use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::{ArtifactKind, Linkage, PackageInstall};
use super::build::RunReader;

/// C and C++.
#[derive(Debug)]
pub struct C;

impl Ecosystem for C {
    fn name(&self) -> &'static str {
        "c"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" => {
                reader.c_compiler(command, program, args);
            }
            // musl's wrappers and cross compilers link against musl whatever the image's
            // libc is: Debian's `musl-tools` gives `musl-gcc` on a glibc image.
            p if musl_compiler(p) => reader.c_compiler(command, program, args),
            "make" => reader.make(command, args),
            _ => return false,
        }
        true
    }
}

/// A compiler that links against musl: `musl-gcc`, `musl-clang`, or a cross compiler of a
/// `*-linux-musl*` triplet (`x86_64-linux-musl-gcc`).
fn musl_compiler(program: &str) -> bool {
    matches!(program, "musl-gcc" | "musl-clang")
        || (program.contains("-linux-musl")
            && ["gcc", "g++", "cc", "c++", "clang", "clang++"]
                .iter()
                .any(|c| program.ends_with(&format!("-{c}"))))
}

/// C and C++ calls that start another program (`std::system` too).
const C_PROGRAM_CALLS: &[&str] = &[
    "system(",
    "popen(",
    "execl(",
    "execlp(",
    "execle(",
    "execv(",
    "execvp(",
    "execve(",
    "posix_spawn(",
    "posix_spawnp(",
];

/// The libraries of glibc itself (libc6) and those distroless `base` adds (OpenSSL, zlib,
/// zstd): `-l` names that need nothing the targets lack. `cc`'s (libstdc++, libgomp,
/// libgcc_s) make the program need `cc`.
pub(super) const IN_EVERY_GLIBC_TARGET: &[&str] = &[
    "c", "m", "pthread", "dl", "rt", "util", "resolv", "anl", "ssl", "crypto", "z", "zstd",
];

impl<'t> RunReader<'_, 't> {
    fn c_compiler(&mut self, command: &ShellCommand, program: &str, args: &[Option<String>]) {
        let mut output = None;
        let mut is_static = false;
        let mut cxx = program.contains("++");
        let mut libraries = Vec::new();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let Some(arg) = arg else { continue };
            match arg.as_str() {
                "-c" | "-S" | "-E" | "-M" | "-MM" | "-shared" => return,
                "-l" => libraries.extend(iter.next().cloned().flatten()),
                a if a.starts_with("-l") && !matches!(a, "-lstdc++" | "-lgomp" | "-lgcc_s") => {
                    libraries.push(a[2..].to_string())
                }
                "-o" => output = iter.next().cloned().flatten(),
                "-static" => is_static = true,
                // The GCC runtime's libraries, which distroless `cc` carries and `base`
                // does not: libstdc++, and OpenMP's libgomp.
                "-lstdc++" | "-fopenmp" | "-lgomp" | "-lgcc_s" => cxx = true,
                a if a.starts_with("-o") && a.len() > 2 => output = Some(a[2..].to_string()),
                _ => {}
            }
        }
        // A library linked by name that neither glibc nor every distroless glibc image
        // has (`-lcrypt`: libxcrypt, not glibc, since Debian 11): the program loads it at
        // run time, like one a package installed.
        if !is_static {
            for library in libraries
                .iter()
                .filter(|l| !IN_EVERY_GLIBC_TARGET.contains(&l.as_str()))
            {
                self.build.packages.push(PackageInstall {
                    manager: "cc",
                    package: format!("lib{library} (-l{library})"),
                    instruction: self.instruction,
                    known: true,
                });
            }
        }
        // What its sources run: `system()` and `popen()` go through /bin/sh, the exec
        // family runs programs the target lacks.
        let runs = args.iter().flatten().find_map(|arg| {
            let source = [".c", ".cc", ".cpp", ".cxx", ".C"]
                .iter()
                .any(|e| arg.ends_with(e))
                .then_some(arg)?;
            let path = self.absolute(command, source)?;
            let code = self.context_file(&path)?;
            C_PROGRAM_CALLS
                .iter()
                .find(|call| code.contains(**call))
                .map(|call| (path, *call))
        });
        let output = output.unwrap_or_else(|| "a.out".to_string());
        let Some(path) = self.absolute(command, &output) else {
            return;
        };
        let libc = if musl_compiler(program) {
            Libc::Musl
        } else {
            self.image.libc
        };
        let linkage = match (is_static, libc, cxx) {
            (true, _, _) => Linkage::Static,
            (false, Libc::Musl, _) => Linkage::Musl,
            (false, _, true) => Linkage::GlibcGcc,
            (false, _, false) => Linkage::Glibc,
        };
        let first = self.build.artifacts.len();
        self.push(
            path,
            ArtifactKind::Binary { linkage },
            "cc",
            format!(
                "output of `{program} -o {output}` ({})",
                if is_static {
                    "-static: static".to_string()
                } else {
                    format!("dynamic, {}", linkage.describe())
                }
            ),
        );
        self.mark_runs(first, runs);
    }

    fn make(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        if !args.iter().any(|a| a.as_deref() == Some("install")) {
            return;
        }
        let prefix = args
            .iter()
            .flatten()
            .find_map(|a| a.strip_prefix("PREFIX=").map(str::to_string))
            .or_else(|| self.var(command, "PREFIX"))
            .unwrap_or_else(|| "/usr/local".to_string());
        let destdir = args
            .iter()
            .flatten()
            .find_map(|a| a.strip_prefix("DESTDIR=").map(str::to_string))
            .unwrap_or_default();
        let Some(bin) = self.absolute(command, &format!("{destdir}{prefix}/bin")) else {
            return;
        };
        // What make builds is up to the Makefile: C or C++, so the GCC runtime may be
        // needed; static only if the image's libc is musl-free glibc cannot be told.
        let linkage = match self.image.libc {
            Libc::Musl => Linkage::Musl,
            _ => Linkage::GlibcGcc,
        };
        self.push(
            bin.clone(),
            ArtifactKind::BinaryDir { linkage },
            "make install",
            format!("installed by `make install` into {bin} (C/C++, dynamic)"),
        );
    }
}
