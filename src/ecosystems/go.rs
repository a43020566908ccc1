//! Go: `go build` and `go install`, where their binaries go and how they link.
//!
//! A Go binary is static only where that is proven: cgo off (`CGO_ENABLED=0`, or Go 1.20+
//! with no C compiler, a catalogue fact), an external link with `-static`, or
//! `-tags netgo,osusergo`. Everything else links against the build image's libc. The main
//! package and the module's packages it imports are read from the build context for code
//! that runs other programs ([`super::compiled`]).

use crate::analysis::catalogue::Libc;
use crate::analysis::model::Model;
use crate::analysis::shell::{ShellCommand, ShellWord};

use super::Ecosystem;
use super::artifact::{ArtifactKind, Linkage, PackageInstall, SourceUses};
use super::build::{RunReader, shell_quote};
use super::compiled::{
    Compiled, find_in_program, forks_watching_parent, go_modules, program_call, user_lookup,
    zone_lookup,
};
use crate::analysis::copy::CopyArgs;
use crate::analysis::env::normalize_path;
use crate::syntax::Keyword;

/// Go.
#[derive(Debug)]
pub struct Go;

impl Ecosystem for Go {
    fn name(&self) -> &'static str {
        "go"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            "go" => reader.go(command, args),
            _ => return false,
        }
        true
    }
}

/// Whether the Go of a stage's image is known to turn cgo off by itself when it finds no C
/// compiler (Go 1.20 and later). Only the `golang` images say their Go version: a Go from a
/// package manager (`apk add go`), an image the catalogue does not know, or a digest that
/// may pin an old build, counts as the worse case.
fn go_cgo_off_without_compiler(model: &Model<'_>, stage: usize) -> bool {
    let Some(image) = model.root_image(stage) else {
        return false;
    };
    if image.tag.is_none() {
        return false;
    }
    let Some(facts) = model.catalogue.lookup(image) else {
        return false;
    };
    match facts.runtime {
        // A tag without a version (`golang:alpine`) is the Go current when it is built;
        // one that names an Alpine release before 3.18 (`golang:alpine3.11`) was last built
        // before Go 1.20 could be current for it (Alpine 3.18 came out in May 2023, Go
        // 1.20 in February 2023; `alpine3.17` carried 1.19, then 1.20), so it may be older.
        Some(runtime) if runtime.name == "go" && runtime.version.is_none() => {
            let tag = image.tag.as_deref().unwrap_or_default();
            let old_alpine = tag.split('-').any(|part| {
                part.strip_prefix("alpine3.")
                    .is_some_and(|minor| minor.parse::<u32>().is_ok_and(|m| m < 18))
            });
            !old_alpine && model.catalogue.go_turns_cgo_off_without_compiler(None)
        }
        Some(runtime) if runtime.name == "go" => model
            .catalogue
            .go_turns_cgo_off_without_compiler(runtime.version.as_deref()),
        _ => false,
    }
}

impl<'t> RunReader<'_, 't> {
    fn go(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let Some(Some(sub)) = args.first() else {
            return;
        };
        if sub != "build" && sub != "install" {
            return;
        }
        // `go build -C dir …` (Go 1.20) runs in `dir`, which must be its first flag:
        // read as `cd dir && go build …`.
        let written = |i: usize| command.words.get(i).map_or("", |w| w.raw.as_str());
        if let Some(flag) = args.get(1).and_then(|a| {
            a.as_deref()
                .or(Some(written(2)).filter(|w| w.starts_with("-C")))
        }) && matches!(flag.split('=').next(), Some("-C" | "--C"))
        {
            let inline = flag.contains('=');
            let dir = if inline {
                args[1]
                    .as_deref()
                    .and_then(|f| f.split_once('='))
                    .map(|(_, d)| d.to_string())
            } else {
                args.get(2).cloned().flatten()
            };
            let Some(dir) = dir.and_then(|dir| self.absolute(command, &dir)) else {
                return;
            };
            let taken = if inline { 1 } else { 2 };
            let mut moved = command.clone();
            moved.cd = Some(ShellWord {
                raw: shell_quote(&dir),
            });
            moved.words.drain(2..(2 + taken).min(moved.words.len()));
            let mut rest = vec![args[0].clone()];
            rest.extend(args.iter().skip(1 + taken).cloned());
            self.go(&moved, &rest);
            return;
        }
        let raw: Vec<&str> = command.words[2..].iter().map(|w| w.raw.as_str()).collect();
        let Some(parsed) = GoFlags::parse(&args[1..], &raw) else {
            return;
        };
        let (linkage, reason) = self.go_linkage(command, &parsed);
        let packages = &parsed.packages;
        // A package named through an unknown value names an unknown default output.
        let first_package = match packages.first() {
            Some(None) => None,
            Some(Some(package)) => Some(Some(package.as_str())),
            None => Some(None),
        };
        let out_dir_default = if sub == "install" {
            let bin = self.var(command, "GOBIN").or_else(|| {
                let gopath = self.var(command, "GOPATH").unwrap_or_else(|| {
                    format!("{}/go", self.var(command, "HOME").unwrap_or("/root".into()))
                });
                Some(format!("{gopath}/bin"))
            });
            match bin {
                Some(bin) => bin,
                None => return,
            }
        } else {
            match self.cwd(command) {
                Some(cwd) => cwd,
                None => return,
            }
        };
        if let [Some(pattern)] = packages.as_slice()
            && sub == "install"
            && (pattern == "..." || pattern.ends_with("/..."))
        {
            self.go_install_pattern(command, pattern, &out_dir_default, linkage, &reason);
            return;
        }
        if packages.len() > 1 && parsed.output.is_none() && sub == "build" {
            // `go build a b` with no -o only checks that the packages compile.
            return;
        }
        let name = || self.go_default_name(command, first_package?);
        let path = match (&parsed.output, sub.as_str()) {
            (Some(out), "build") => {
                let Some(abs) = self.absolute(command, out) else {
                    return;
                };
                if out.ends_with('/') {
                    let Some(name) = name() else { return };
                    format!("{}/{name}", abs.trim_end_matches('/'))
                } else {
                    abs
                }
            }
            _ => {
                let Some(name) = name() else { return };
                format!("{}/{name}", out_dir_default.trim_end_matches('/'))
            }
        };
        let written = command.written();
        // `go build main.go run.go`: each file named is compiled, whatever its build
        // constraints say.
        let files: Vec<&str> = packages
            .iter()
            .flatten()
            .map(String::as_str)
            .filter(|p| p.ends_with(".go"))
            .collect();
        let sources = |test: fn(&str, Compiled) -> Option<&'static str>| {
            if files.len() > 1 {
                files
                    .iter()
                    .find_map(|file| self.go_sources(command, Some(file), test))
            } else {
                first_package.and_then(|package| self.go_sources(command, package, test))
            }
        };
        let runs = sources(program_call);
        let looks_up_user = sources(user_lookup);
        // `-tags timetzdata` embeds the zones as `import _ "time/tzdata"` does.
        let loads_zones = (!command.written().contains("timetzdata"))
            .then(|| sources(zone_lookup))
            .flatten();
        let watches_parent = sources(forks_watching_parent);
        // cgo code linking a library by name (`#cgo LDFLAGS: -lcrypt`, `pkg-config:`): the
        // program loads it at run time, like one a package installed.
        if linkage != Linkage::Static
            && let Some((file, _)) = sources(cgo_library)
        {
            self.build.packages.push(PackageInstall {
                manager: "cgo",
                package: format!("#cgo LDFLAGS of {file}"),
                instruction: self.instruction,
                known: true,
            });
        }
        self.push(
            path,
            ArtifactKind::Binary { linkage },
            if sub == "build" {
                "go build"
            } else {
                "go install"
            },
            format!("output of `{written}` ({reason})"),
        );
        if let Some(artifact) = self.build.artifacts.last_mut() {
            artifact.uses.runs = runs;
            artifact.uses.looks_up_user = looks_up_user;
            artifact.uses.loads_zones = loads_zones;
            artifact.uses.watches_parent = watches_parent;
            artifact.uses.fetched = first_package
                .flatten()
                .filter(|package| package.contains('@'))
                .map(str::to_string);
        }
    }

    /// A source file of the main package `package` (`.` by default, a folder, a file, or an
    /// import path of the module), or of a package of the module it imports, whose code
    /// passes `test` (runs another program, looks up its user): read from the build
    /// context through this stage's COPYs.
    fn go_sources(
        &self,
        command: &ShellCommand,
        package: Option<&str>,
        test: fn(&str, Compiled) -> Option<&'static str>,
    ) -> Option<(String, &'static str)> {
        let read = |path: &str| self.context_path(path);
        let cwd = self.cwd(command)?;
        let modules = go_modules(&cwd, &read);
        let package = package.unwrap_or(".");
        let local = package == "."
            || package.starts_with("./")
            || package.starts_with("../")
            || package.starts_with('/')
            || package.ends_with(".go");
        let root = if local {
            self.absolute(command, package)?
        } else {
            // An import path of this module (`example.com/svc/cmd/api`); any other is
            // fetched, not in the context.
            let (path, root) = modules.first()?;
            let rest = package.strip_prefix(path.as_str())?;
            if !(rest.is_empty() || rest.starts_with('/')) {
                return None;
            }
            normalize_path(&format!("{root}{rest}"))
        };
        find_in_program(Compiled::Go, &root, &modules, &read, test)
    }

    /// How a `go build` links, and why. Static only where that is proven: cgo off
    /// (`CGO_ENABLED=0`, or Go 1.20+ with no C compiler), an external link with `-static`,
    /// or `-tags netgo,osusergo` with no C compiler for the program's own cgo. Anything
    /// else links against the image's libc.
    fn go_linkage(&self, command: &ShellCommand, flags: &GoFlags) -> (Linkage, String) {
        let cgo = self.var(command, "CGO_ENABLED");
        let ldflags = flags.ldflags.as_deref().unwrap_or("");
        // `-extldflags -static` reaches only the external linker. Go links internally when
        // the only cgo is the standard library's (`net`, `os/user`), so without
        // `-linkmode external` the flag may be ignored and the binary stays dynamic.
        let external_static = ldflags.contains("-static")
            && (ldflags.contains("-linkmode=external")
                || ldflags
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| {
                        w[0].trim_matches(['\'', '"']) == "-linkmode"
                            && w[1].trim_matches(['\'', '"']) == "external"
                    }));
        let pie = flags.buildmode.as_deref() == Some("pie")
            || self
                .var(command, "GOFLAGS")
                .is_some_and(|f| f.split_whitespace().any(|f| f == "-buildmode=pie"));
        let compiler = self.image.c_compiler || self.installed_c_compiler();
        // `-linkmode external` hands the link to the C linker, which links dynamically
        // unless told `-static`; an `-ldflags` not known statically may hold it. Without a
        // C compiler such a build fails, so it cannot make a binary that runs wrongly.
        let external_link = compiler
            && (flags.ldflags_unknown
                || ldflags.contains("-linkmode=external")
                || ldflags.contains("-linkmode external"));
        let pure_go_tags = ["netgo", "osusergo"].iter().all(|tag| {
            flags
                .tags
                .iter()
                .flat_map(|t| t.split([',', ' ']))
                .any(|t| t == *tag)
        });
        match cgo.as_deref() {
            // A position-independent executable asks for the dynamic loader even without
            // cgo; only a libc image has one.
            // Without cgo, nothing C++ can be linked in: the loader and the C library.
            _ if pie && !external_static && cgo.as_deref() == Some("0") => (
                match self.cgo_linkage(command) {
                    Linkage::GlibcGcc => Linkage::Glibc,
                    other => other,
                },
                "-buildmode=pie: needs the dynamic loader".to_string(),
            ),
            _ if pie && !external_static => (
                self.cgo_linkage(command),
                "-buildmode=pie: needs the dynamic loader".to_string(),
            ),
            _ if external_static => (
                Linkage::Static,
                "linked externally with -static".to_string(),
            ),
            _ if external_link => (
                self.cgo_linkage(command),
                "linked by the C linker (-linkmode external, or -ldflags not known statically): dynamic".to_string(),
            ),
            Some("0") => (Linkage::Static, "CGO_ENABLED=0: static".to_string()),
            Some("1") => (
                self.cgo_linkage(command),
                "CGO_ENABLED=1: cgo, dynamic".to_string(),
            ),
            _ if compiler => (
                self.cgo_linkage(command),
                "cgo is on by default where a C compiler is present: dynamic".to_string(),
            ),
            _ if pure_go_tags => (
                Linkage::Static,
                "-tags netgo,osusergo and no C compiler, so no cgo: static".to_string(),
            ),
            _ if go_cgo_off_without_compiler(self.model, self.stage.index) => (
                Linkage::Static,
                "Go 1.20 or later with no C compiler in the image turns cgo off: static"
                    .to_string(),
            ),
            _ => (
                self.cgo_linkage(command),
                "Go before 1.20, or of a version not known, links `net` and `os/user` with cgo even without a C compiler: dynamic; CGO_ENABLED=0 makes it static".to_string(),
            ),
        }
    }

    /// `go install ./...` (or `./cmd/...`): one binary per main package under the pattern's
    /// folder, named after its directory. Which packages are main is not known, so every
    /// folder a COPY of this stage put under that folder names one, and the module itself
    /// when its go.mod can be read: a command that runs one of these names from `bin` runs
    /// that build's output, or fails in the original too.
    fn go_install_pattern(
        &mut self,
        command: &ShellCommand,
        pattern: &str,
        bin: &str,
        linkage: Linkage,
        reason: &str,
    ) {
        let prefix = pattern.trim_end_matches("...").trim_end_matches('/');
        let Some(root) = self.absolute(command, if prefix.is_empty() { "." } else { prefix })
        else {
            return;
        };
        let mut names: Vec<String> = Vec::new();
        if let Some(module) = self.context_file(&format!("{}/go.mod", root.trim_end_matches('/')))
            && let Some(path) = module
                .lines()
                .find_map(|l| l.trim().strip_prefix("module "))
        {
            names.push(last_go_element(path.trim().trim_matches('"')));
        }
        // The COPYs before this RUN, each read in the state before it.
        let states = self.model.states(self.stage.index);
        let before = self.instruction.span.start;
        for (i, copy) in self.stage.instructions.iter().enumerate() {
            if copy.span.start >= before || copy.keyword != Keyword::Copy {
                continue;
            }
            let state = &states.before[i];
            let Some(args) = CopyArgs::read(
                copy,
                state,
                self.model.tree.escape,
                &self.model.stages,
                self.stage.index,
            ) else {
                continue;
            };
            if args.from.is_some() {
                continue;
            }
            let Some(dest) = args.dest.as_deref().and_then(|d| state.resolve_path(d)) else {
                continue;
            };
            let Some(rest) = dest.strip_prefix(&format!("{}/", root.trim_end_matches('/'))) else {
                continue;
            };
            names.extend(
                rest.split('/')
                    .filter(|part| {
                        !part.is_empty() && !part.starts_with('.') && !part.contains('*')
                    })
                    .map(str::to_string),
            );
        }
        names.sort();
        names.dedup();
        let written = command.written();
        let first = self.build.artifacts.len();
        let uses = SourceUses {
            runs: self.go_sources(command, Some(pattern), program_call),
            looks_up_user: self.go_sources(command, Some(pattern), user_lookup),
            loads_zones: (!command.written().contains("timetzdata"))
                .then(|| self.go_sources(command, Some(pattern), zone_lookup))
                .flatten(),
            watches_parent: self.go_sources(command, Some(pattern), forks_watching_parent),
            ..SourceUses::default()
        };
        for name in names {
            self.push(
                format!("{}/{name}", bin.trim_end_matches('/')),
                ArtifactKind::Binary { linkage },
                "go install",
                format!("output of `{written}` for the package in `{name}` ({reason})"),
            );
        }
        self.mark_uses(first, uses);
    }

    /// Go's default executable name: the last element of the package path, or of the
    /// module path from `go.mod` for `.`.
    fn go_default_name(&self, command: &ShellCommand, package: Option<&str>) -> Option<String> {
        let package = package.unwrap_or(".");
        let package = package.split('@').next().unwrap_or(package);
        if package.ends_with(".go") {
            let file = package.rsplit('/').next()?;
            return Some(file.trim_end_matches(".go").to_string());
        }
        let trimmed = package.trim_end_matches('/');
        if trimmed == "." || trimmed == "./" || trimmed.is_empty() {
            let cwd = self.cwd(command)?;
            let module = self.context_file(&format!("{cwd}/go.mod"))?;
            let path = module
                .lines()
                .find_map(|l| l.trim().strip_prefix("module "))?
                .trim()
                .trim_matches('"');
            return Some(last_go_element(path));
        }
        if trimmed.starts_with("./") || trimmed.starts_with("../") || !trimmed.contains('.') {
            return Some(last_go_element(trimmed));
        }
        Some(last_go_element(trimmed))
    }
}

/// The last element of a Go package path, skipping a major-version suffix (`/v2`).
fn last_go_element(path: &str) -> String {
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let last = parts.next().unwrap_or(path);
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    match (is_major, parts.next()) {
        (true, Some(previous)) => previous.to_string(),
        _ => last.to_string(),
    }
}

/// The flags of `go build`/`go install` that matter, and the package arguments.
struct GoFlags {
    output: Option<String>,
    ldflags: Option<String>,
    /// `-ldflags` was given a value not known statically (`-X main.v=${VERSION}`,
    /// `$(git rev-parse HEAD)`): it proves nothing about linkage.
    ldflags_unknown: bool,
    buildmode: Option<String>,
    /// Every `-tags` value given; an unknown one is left out (it proves nothing).
    tags: Vec<String>,
    /// The packages; `None` where the value is not known statically.
    packages: Vec<Option<String>>,
}

impl GoFlags {
    /// The flags of `go build`/`go install`, from their values (`None`: not known
    /// statically) and their written words. A value that is unknown at build time does not
    /// hide the build: only the output name (`-o`), the build mode and a flag word that is
    /// itself a variable must be known; an unknown `-ldflags` or `-tags` value just proves
    /// nothing. `None` when the build cannot be read.
    fn parse(args: &[Option<String>], raw: &[&str]) -> Option<GoFlags> {
        // Go's build flags that take a value (`-flag value` or `-flag=value`).
        const VALUE_FLAGS: &[&str] = &[
            "o",
            "ldflags",
            "gcflags",
            "asmflags",
            "gccgoflags",
            "tags",
            "mod",
            "modfile",
            "p",
            "pkgdir",
            "installsuffix",
            "overlay",
            "pgo",
            "buildmode",
            "compiler",
            "coverpkg",
            "covermode",
            "toolexec",
            "C",
            "exec",
        ];
        let mut flags = GoFlags {
            output: None,
            ldflags: None,
            ldflags_unknown: false,
            buildmode: None,
            tags: Vec::new(),
            packages: Vec::new(),
        };
        let mut i = 0;
        while i < args.len() {
            // The flag's name, from its value or, when that is unknown, from the written
            // word (`-gcflags="${FLAGS}"`); a word that starts with a variable could be any
            // flag, `-o` included.
            let written = raw.get(i).copied().unwrap_or("");
            let (name, inline): (String, Option<Option<String>>) = match &args[i] {
                Some(arg) if arg.starts_with('-') => {
                    let flag = arg.trim_start_matches('-');
                    match flag.split_once('=') {
                        Some((n, v)) => (n.to_string(), Some(Some(v.to_string()))),
                        None => (flag.to_string(), None),
                    }
                }
                Some(package) => {
                    flags.packages.push(Some(package.clone()));
                    i += 1;
                    continue;
                }
                None if written.starts_with('-') => {
                    let flag = written.trim_start_matches('-');
                    let (n, has_value) = match flag.split_once('=') {
                        Some((n, _)) => (n, true),
                        None => (flag, false),
                    };
                    if !has_value || !n.chars().all(|c| c.is_ascii_alphanumeric()) {
                        return None;
                    }
                    (n.to_string(), Some(None))
                }
                None if written.starts_with('$') => return None,
                None => {
                    flags.packages.push(None);
                    i += 1;
                    continue;
                }
            };
            i += 1;
            if !VALUE_FLAGS.contains(&name.as_str()) {
                continue;
            }
            let (value, written_value) = match inline {
                Some(value) => (value, written.split_once('=').map_or("", |(_, v)| v)),
                None => {
                    i += 1;
                    (
                        args.get(i - 1)?.clone(),
                        raw.get(i - 1).copied().unwrap_or(""),
                    )
                }
            };
            match (name.as_str(), value) {
                ("o", Some(v)) => flags.output = Some(v),
                ("buildmode", Some(v)) => flags.buildmode = Some(v),
                ("o" | "buildmode", None) => return None,
                ("ldflags", Some(v)) => flags.ldflags = Some(v),
                // Values set at build time inside `-X name=value` change no linkage.
                ("ldflags", None) if only_definitions_vary(written_value) => {
                    flags.ldflags = Some(written_value.to_string());
                }
                ("ldflags", None) => flags.ldflags_unknown = true,
                ("tags", Some(v)) => flags.tags.push(v),
                _ => {}
            }
        }
        Some(flags)
    }
}

/// Whether every part of a written `-ldflags` value that is not known statically (a `$`
/// variable or a command substitution) sits in the value of a `-X name=value` definition,
/// so that the flags that decide linkage (`-linkmode`, `-extldflags`) are all written out.
fn only_definitions_vary(written: &str) -> bool {
    let text = written.trim_matches(['"', '\'']);
    let mut tokens = text.split_whitespace();
    while let Some(token) = tokens.next() {
        let token = token.trim_matches(['"', '\'']);
        if token == "-X" {
            // The definition: `name=value`, whatever its value holds.
            if tokens.next().is_none() {
                return false;
            }
            continue;
        }
        if token.starts_with("-X=") {
            continue;
        }
        if token.contains(['$', '`']) {
            return false;
        }
    }
    true
}

/// What the C side of a Go build links: the C library, and whether a C compiler is there.
impl RunReader<'_, '_> {
    /// What a binary that may use cgo links against: the image's libc, or musl when the C
    /// compiler is `musl-gcc` (`CC=musl-gcc` on a Debian builder). On glibc, also the GCC
    /// runtime: cgo compiles a package's `.cpp` files with g++, and a dependency's (not in
    /// the build context: `go-libutp` under anacrolix/torrent) may be C++, which loads
    /// libstdc++ and libgcc_s: distroless `cc`, not `base`.
    fn cgo_linkage(&self, command: &ShellCommand) -> Linkage {
        let musl_cc = self
            .var(command, "CC")
            .is_some_and(|cc| cc.contains("musl"));
        match self.image.libc {
            Libc::Musl => Linkage::Musl,
            _ if musl_cc => Linkage::Musl,
            _ => Linkage::GlibcGcc,
        }
    }

    /// A C compiler installed by an earlier RUN of the stage (`apk add gcc`, `alpine-sdk`,
    /// `g++`), or possibly installed: an install whose packages cannot be read.
    fn installed_c_compiler(&self) -> bool {
        self.build.packages.iter().any(|p| {
            !p.known
                || matches!(
                    p.package.as_str(),
                    "gcc"
                        | "g++"
                        | "build-base"
                        | "build-essential"
                        | "alpine-sdk"
                        | "clang"
                        | "musl-dev"
                        | "tcc"
                )
        })
    }
}

/// A `#cgo LDFLAGS` (or `#cgo pkg-config`) line naming a library beyond glibc and what
/// every distroless glibc image has.
fn cgo_library(code: &str, _: Compiled) -> Option<&'static str> {
    code.lines().find_map(|line| {
        // In the comment above `import "C"`, of either form (`// #cgo …` too).
        let line = line.trim_start();
        let line = line.strip_prefix("//").unwrap_or(line).trim_start();
        let rest = line.strip_prefix("#cgo")?;
        let (_, flags) = rest.split_once(':')?;
        let names_library = rest.contains("pkg-config")
            || flags.split_whitespace().any(|flag| {
                flag.strip_prefix("-l")
                    .is_some_and(|l| !super::c::IN_EVERY_GLIBC_TARGET.contains(&l))
            });
        names_library.then_some("#cgo")
    })
}
