//! Go: `go build` and `go install`, where their binaries go and how they link.
//!
//! A Go binary is static only where that is proven: cgo off (`CGO_ENABLED=0`, or Go 1.20+
//! with no C compiler, a catalogue fact), an external link with `-static`, or
//! `-tags netgo,osusergo`. Everything else links against the build image's libc.

use crate::analysis::catalogue::Libc;
use crate::analysis::model::Model;
use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::{ArtifactKind, Linkage};
use super::build::RunReader;

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
        // A tag without a version (`golang:alpine`) is the Go current when it is built.
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
        let Some(parsed) = GoFlags::parse(&args[1..]) else {
            return;
        };
        let (linkage, reason) = self.go_linkage(command, &parsed);
        let packages = &parsed.packages;
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
        if packages.len() > 1 && parsed.output.is_none() && sub == "build" {
            // `go build a b` with no -o only checks that the packages compile.
            return;
        }
        let name = || self.go_default_name(command, packages.first().map(String::as_str));
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
        let written = command
            .words
            .iter()
            .map(|w| w.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ");
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
            _ if pie && !external_static => (
                self.cgo_linkage(),
                "-buildmode=pie: needs the dynamic loader".to_string(),
            ),
            Some("0") => (Linkage::Static, "CGO_ENABLED=0: static".to_string()),
            _ if external_static => (
                Linkage::Static,
                "linked externally with -static".to_string(),
            ),
            Some("1") => (
                self.cgo_linkage(),
                "CGO_ENABLED=1: cgo, dynamic".to_string(),
            ),
            _ if compiler => (
                self.cgo_linkage(),
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
                self.cgo_linkage(),
                "Go before 1.20, or of a version not known, links `net` and `os/user` with cgo even without a C compiler: dynamic; CGO_ENABLED=0 makes it static".to_string(),
            ),
        }
    }

    fn cgo_linkage(&self) -> Linkage {
        match self.image.libc {
            Libc::Musl => Linkage::Musl,
            _ => Linkage::Glibc,
        }
    }

    /// A C compiler installed by an earlier RUN of the stage (`apk add gcc`).
    fn installed_c_compiler(&self) -> bool {
        self.build.packages.iter().any(|p| {
            matches!(
                p.package.as_str(),
                "gcc" | "build-base" | "build-essential" | "clang" | "musl-dev"
            )
        })
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
    buildmode: Option<String>,
    /// Every `-tags` value given.
    tags: Vec<String>,
    packages: Vec<String>,
}

impl GoFlags {
    /// `None` when an argument is not known statically.
    fn parse(args: &[Option<String>]) -> Option<GoFlags> {
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
            buildmode: None,
            tags: Vec::new(),
            packages: Vec::new(),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let arg = arg.as_ref()?;
            if let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) {
                let (name, inline) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (flag, None),
                };
                if VALUE_FLAGS.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => iter.next()?.clone()?,
                    };
                    match name {
                        "o" => flags.output = Some(value),
                        "ldflags" => flags.ldflags = Some(value),
                        "buildmode" => flags.buildmode = Some(value),
                        "tags" => flags.tags.push(value),
                        _ => {}
                    }
                }
                continue;
            }
            flags.packages.push(arg.clone());
        }
        Some(flags)
    }
}
