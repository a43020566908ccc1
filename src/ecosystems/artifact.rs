//! What a build makes: [`Artifact`]s (an absolute path in a stage's file system, what kind
//! of thing it is, how a binary links, and a sentence saying why), the packages a stage
//! installs, and [`StageBuild`], everything learned from one stage's RUN instructions.

use serde::Serialize;

use crate::analysis::glob::path_matches;
use crate::syntax::Instruction;

/// How a binary finds its libraries at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Linkage {
    /// No shared libraries: runs on `scratch` and `static`.
    Static,
    /// glibc (and libssl, zlib, which distroless `base` carries).
    Glibc,
    /// glibc plus the GCC runtime (libgcc_s, libstdc++): Rust, C++; distroless `cc`.
    GlibcGcc,
    /// Dynamically linked against musl: no distroless image can run it.
    Musl,
}

impl Linkage {
    pub fn describe(self) -> &'static str {
        match self {
            Linkage::Static => "static",
            Linkage::Glibc => "glibc",
            Linkage::GlibcGcc => "glibc + libgcc/libstdc++",
            Linkage::Musl => "musl",
        }
    }
}

/// What a build output is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ArtifactKind {
    /// A compiled executable.
    Binary { linkage: Linkage },
    /// A folder of executables whose names the build does not say (`make install`,
    /// `cargo build` without a known crate name): any file below may be one.
    BinaryDir { linkage: Linkage },
    /// A folder holding jars (`target/` of Maven, `build/libs/` of Gradle).
    JarDir,
    /// The output folder of `dotnet publish`.
    DotnetPublish,
    /// A Node application folder with its `node_modules`.
    NodeApp,
    /// A Python virtual environment.
    Venv,
    /// Packages installed by pip outside a venv (`--target`, `--prefix`, or site-packages).
    PythonPackages,
}

/// One build output of a stage.
#[derive(Clone, Debug)]
pub struct Artifact<'t> {
    /// Absolute path in the stage's file system (a file, or a folder for folder kinds).
    pub path: String,
    pub kind: ArtifactKind,
    /// The tool that made it, e.g. `go build`.
    pub tool: &'static str,
    /// Why it is there, for the plan: "output of `go build -o /out/app` (CGO_ENABLED=0:
    /// static)".
    pub why: String,
    pub instruction: &'t Instruction,
    /// What the sources compiled into it do that a slim image may not serve, when the
    /// build context shows it ([`super::compiled`]).
    pub uses: SourceUses,
}

/// What a compiled program's own sources show it does, each as the first source file that
/// does it and the call: `(path, call)`.
#[derive(Clone, Debug, Default)]
pub struct SourceUses {
    /// Runs another program (`exec.Command`, `ProcessBuilder`).
    pub runs: Option<(String, &'static str)>,
    /// Looks up the user it runs as (Go's `user.Current()`), which fails for a uid the
    /// image's passwd lacks.
    pub looks_up_user: Option<(String, &'static str)>,
    /// Uses what only a JDK has (`javax.tools`' compiler): distroless java is a JRE.
    pub needs_jdk: Option<(String, &'static str)>,
    /// Loads time zones by name (Go's `time.LoadLocation`) from the system's zone data,
    /// which scratch lacks.
    pub loads_zones: Option<(String, &'static str)>,
    /// Forks workers that exit when their parent is PID 1 (fiber's prefork).
    pub watches_parent: Option<(String, &'static str)>,
    /// Built from a module fetched at build time (`go install example.com/tool@v1`), whose
    /// code is not in the build context: what it runs cannot be read.
    pub fetched: Option<String>,
}

impl Artifact<'_> {
    /// How a binary, or the binaries of a folder, link, when the analysis establishes it:
    /// `None` for other kinds and for `make install`, whose output is up to the Makefile.
    pub fn linkage(&self) -> Option<Linkage> {
        match self.kind {
            ArtifactKind::Binary { linkage } => Some(linkage),
            ArtifactKind::BinaryDir { linkage } if self.tool != "make install" => Some(linkage),
            _ => None,
        }
    }

    /// Whether `path` is this artifact or lies inside a folder artifact.
    pub fn covers(&self, path: &str) -> bool {
        path == self.path
            || (!matches!(self.kind, ArtifactKind::Binary { .. })
                && path.starts_with(&format!("{}/", self.path.trim_end_matches('/'))))
    }
}

/// A package installed by the stage's package manager.
#[derive(Clone, Debug)]
pub struct PackageInstall<'t> {
    pub manager: &'static str,
    /// The package's name; for an install whose packages cannot be read (`apk add
    /// $(cat deps.txt)`, `xargs apt-get install < list`), the words as written.
    pub package: String,
    pub instruction: &'t Instruction,
    /// Whether `package` is a name read from the command. An unread install may have
    /// installed anything: a C compiler, a library.
    pub known: bool,
}

/// Everything the analysis learned about a stage's RUN instructions.
#[derive(Clone, Debug, Default)]
pub struct StageBuild<'t> {
    pub artifacts: Vec<Artifact<'t>>,
    pub packages: Vec<PackageInstall<'t>>,
    /// RUN instructions whose shell text could not be read.
    pub opaque: Vec<&'t Instruction>,
    /// Python package installs whose destination cannot be told statically (poetry,
    /// pipenv, editable installs, …), with what was run.
    pub unknown_python_installs: Vec<(&'t Instruction, String)>,
    /// Commands an ecosystem noted for its own later use, by its name (`deno`), with what
    /// was run: `deno cache` fills a folder the application needs at run time.
    pub noted: Vec<(&'static str, &'t Instruction, String)>,
}

impl<'t> StageBuild<'t> {
    /// The artifact that `path` is, or lies in; the latest one wins.
    pub fn artifact_at(&self, path: &str) -> Option<&Artifact<'t>> {
        self.artifacts.iter().rev().find(|a| a.covers(path))
    }

    /// The artifacts a copy of `source` (an absolute path of this stage, possibly a glob)
    /// takes along: the artifact it is or lies in, and those inside it when it is a folder.
    /// Where one path was built twice, the latest build counts.
    pub fn copied_by(&self, source: &str) -> Vec<&Artifact<'t>> {
        let folder = source.trim_end_matches('/');
        let mut found: Vec<&Artifact<'t>> = Vec::new();
        for artifact in self.artifacts.iter().rev() {
            if found.iter().any(|a| a.path == artifact.path) {
                continue;
            }
            let inside = artifact
                .path
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'));
            // A glob matches the artifact or one of the folders above it.
            let by_glob = source.contains(['*', '?', '['])
                && artifact
                    .path
                    .match_indices('/')
                    .map(|(i, _)| &artifact.path[..i])
                    .chain([artifact.path.as_str()])
                    .any(|prefix| path_matches(source, prefix));
            if artifact.covers(folder) || inside || by_glob {
                found.push(artifact);
            }
        }
        found.reverse();
        found
    }

    /// Packages installed that native code may load at run time: libraries (and their
    /// `-dev` packages), anything that is not a known build tool or a library every
    /// distroless glibc image already has.
    pub fn runtime_library_packages(&self) -> impl Iterator<Item = &PackageInstall<'t>> {
        self.packages.iter().filter(|p| {
            let name = p.package.as_str();
            // Debian's versioned compilers and linkers (`clang-17`, `lld-18`) are the same.
            let unversioned = match name.rsplit_once('-') {
                Some((tool, version))
                    if matches!(tool, "clang" | "lld" | "gcc" | "g++")
                        && version.chars().all(|c| c.is_ascii_digit() || c == '.') =>
                {
                    tool
                }
                _ => name,
            };
            !HARMLESS_DEV_PACKAGES.contains(&name) && !BUILD_ONLY_PACKAGES.contains(&unversioned)
        })
    }
}

/// Packages that build or fetch but leave nothing a program loads at run time.
const BUILD_ONLY_PACKAGES: &[&str] = &[
    "build-essential",
    "build-base",
    "gcc",
    "g++",
    "clang",
    "make",
    "cmake",
    "pkg-config",
    "pkgconf",
    "autoconf",
    "automake",
    "libtool",
    "binutils",
    "git",
    "curl",
    "wget",
    "ca-certificates",
    "tzdata",
    "unzip",
    "xz-utils",
    "tar",
    "gnupg",
    "file",
    "upx",
    "upx-ucl",
    "bash",
    "openssh-client",
    "patch",
    "protobuf-compiler",
    "protoc",
    "python3",
    "python3-pip",
    "python3-venv",
    // A symlink to python3; and Debian's node-gyp, which the Fly.io Node template installs
    // for the compiler and Python it depends on (npm runs its own node-gyp; an addon
    // resolves node's symbols from the running node, not from a library).
    "python-is-python3",
    "node-gyp",
    "nodejs",
    "npm",
    "yarn",
    "mercurial",
    "bzr",
    "gettext",
    "jq",
    "netbase",
    "libc6",
    "libssl3",
    "libssl3t64",
    "openssl",
    "libgcc-s1",
    "libstdc++6",
    "zlib1g",
    "musl-tools",
    // Linkers and build drivers: they make the program and are not loaded by it (not flex
    // or bison, which bring libfl and liby to link against).
    "lld",
    "mold",
    "ninja-build",
    "meson",
    "nasm",
    "yasm",
    "ccache",
    "m4",
];

/// Development packages whose runtime library every distroless glibc image already has,
/// or that link nothing (build-only headers).
const HARMLESS_DEV_PACKAGES: &[&str] = &[
    "libc6-dev",
    "libc-dev",
    "musl-dev",
    "linux-libc-dev",
    "libssl-dev",
    "openssl-dev",
    "zlib1g-dev",
    "zlib-dev",
    "libstdc++-dev",
    "libgcc-dev",
];
