//! Rust: `cargo build` and `cargo install`, the binaries they name (from `Cargo.toml`) and
//! how they link (musl targets, rustup's toolchain against Alpine's own).

use crate::analysis::catalogue::Libc;
use crate::analysis::env::normalize_path;
use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::{ArtifactKind, Linkage};
use super::build::{RunReader, parent_dir};
use super::compiled::Compiled;

/// Rust.
#[derive(Debug)]
pub struct Rust;

impl Ecosystem for Rust {
    fn name(&self) -> &'static str {
        "rust"
    }

    fn links_only_cc_libraries(&self, read: super::ContextReader<'_>) -> bool {
        lock_links_only_cc_libraries(read)
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            "cargo" => reader.cargo(command, args),
            _ => return false,
        }
        true
    }
}

impl<'t> RunReader<'_, 't> {
    /// The text of the Cargo configuration files a `cargo` command in this directory reads
    /// (`.cargo/config.toml`, or the older `.cargo/config`, in it and each folder above
    /// it), as far as the build context provides them through a COPY.
    fn cargo_config(&self, command: &ShellCommand) -> String {
        // `$CARGO_HOME` itself (the rust images set CARGO_HOME=/usr/local/cargo), then the
        // `.cargo` folder of the build folder and of each folder above it.
        let mut folders = vec![
            self.var(command, "CARGO_HOME")
                .unwrap_or_else(|| "/root/.cargo".to_string()),
        ];
        if let Some(mut dir) = self.cwd(command) {
            loop {
                folders.push(format!("{}/.cargo", dir.trim_end_matches('/')));
                if dir == "/" {
                    break;
                }
                dir = parent_dir(&dir);
            }
        }
        let mut text = String::new();
        for folder in folders {
            for name in ["config.toml", "config"] {
                let path = format!("{}/{name}", folder.trim_end_matches('/'));
                if let Some(found) = self.context_file(&path) {
                    text.push_str(&found);
                    text.push('\n');
                }
            }
        }
        text
    }

    fn cargo(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let Some(Some(sub)) = args.first() else {
            return;
        };
        let Some(flags) = CargoFlags::parse(&args[1..]) else {
            return;
        };
        let config = self.cargo_config(command);
        let target = flags
            .target
            .clone()
            .or_else(|| self.var(command, "CARGO_BUILD_TARGET"))
            .or_else(|| config_build_target(&config));
        // `-C target-feature=-crt-static` makes a musl target link dynamically, and
        // `+crt-static` makes it static: from the environment (RUSTFLAGS and Cargo's own
        // names for `build.rustflags` and `target.<triple>.rustflags`) or from a
        // `.cargo/config.toml` Cargo reads.
        let env_flags: Vec<String> = self
            .state
            .env
            .iter()
            .map(|(name, _)| name.to_string())
            .filter(|name| name.starts_with("CARGO_TARGET_") && name.ends_with("_RUSTFLAGS"))
            .chain(
                [
                    "RUSTFLAGS",
                    "CARGO_ENCODED_RUSTFLAGS",
                    "CARGO_BUILD_RUSTFLAGS",
                ]
                .map(String::from),
            )
            .filter_map(|name| self.var(command, &name))
            .collect();
        // `cargo build --config 'build.rustflags=[…]'` too.
        let command_line: String = args
            .iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let rustflags = |feature: &str| {
            env_flags.iter().any(|flags| flags.contains(feature))
                || config.contains(feature)
                || command_line.contains(feature)
        };
        let (static_crt, dynamic_crt) = (rustflags("+crt-static"), rustflags("-crt-static"));
        let linkage = match (&target, self.image.libc) {
            // rustup's `*-unknown-linux-musl` targets link statically by default; Alpine's
            // own `*-alpine-linux-musl` target links dynamically.
            (Some(t), _) if t.contains("musl") => {
                if static_crt || (!t.contains("alpine") && !dynamic_crt) {
                    Linkage::Static
                } else {
                    Linkage::Musl
                }
            }
            // rustup's default target on Alpine (the `rust:alpine` images) is musl, linked
            // statically; Alpine's own `rust` package links it dynamically.
            (None, Libc::Musl) => {
                if static_crt
                    || (self
                        .image
                        .runtime
                        .as_ref()
                        .is_some_and(|r| r.name == "rust")
                        && !dynamic_crt)
                {
                    Linkage::Static
                } else {
                    Linkage::Musl
                }
            }
            _ => Linkage::GlibcGcc,
        };
        let Some(cwd) = self.cwd(command) else { return };
        let manifest_dir = match &flags.manifest_path {
            Some(m) => match self.absolute(command, m) {
                Some(m) => parent_dir(&m),
                None => return,
            },
            None => cwd.clone(),
        };
        let names = if flags.bins.is_empty() {
            self.cargo_bin_names(&manifest_dir)
        } else {
            Some(flags.bins.clone())
        };
        let first = self.build.artifacts.len();
        match sub.as_str() {
            "build" => {
                let target_dir = match flags
                    .target_dir
                    .clone()
                    .or_else(|| self.var(command, "CARGO_TARGET_DIR"))
                {
                    Some(d) => match self.absolute(command, &d) {
                        Some(d) => d,
                        None => return,
                    },
                    // `normalize_path`: a build in `/` (the rust image's WORKDIR) writes `/target`.
                    None => normalize_path(&format!("{manifest_dir}/target")),
                };
                let profile_dir = match flags.profile.as_deref() {
                    Some("dev") | Some("test") => "debug".to_string(),
                    Some(p) => p.to_string(),
                    None if flags.release => "release".to_string(),
                    None => "debug".to_string(),
                };
                let dir = match &target {
                    Some(t) => format!("{target_dir}/{t}/{profile_dir}"),
                    None => format!("{target_dir}/{profile_dir}"),
                };
                let why = |name: &str| {
                    format!(
                        "output of `cargo build` for `{name}` ({})",
                        linkage_reason(linkage, target.as_deref())
                    )
                };
                match names {
                    Some(names) => {
                        for name in names {
                            let why = why(&name);
                            self.push(
                                format!("{dir}/{name}"),
                                ArtifactKind::Binary { linkage },
                                "cargo build",
                                why,
                            );
                        }
                    }
                    None => {
                        let why = format!(
                            "the binaries of `cargo build` in {dir} ({})",
                            linkage_reason(linkage, target.as_deref())
                        );
                        self.push(dir, ArtifactKind::BinaryDir { linkage }, "cargo build", why);
                    }
                }
            }
            "install" => {
                let root = match flags
                    .root
                    .clone()
                    .or_else(|| self.var(command, "CARGO_INSTALL_ROOT"))
                {
                    Some(r) => self.absolute(command, &r),
                    None => self.var(command, "CARGO_HOME").or_else(|| {
                        Some(format!(
                            "{}/.cargo",
                            self.var(command, "HOME").unwrap_or("/root".into())
                        ))
                    }),
                };
                let Some(root) = root else { return };
                let names = match (&names, &flags.crate_name, flags.path.is_some()) {
                    (_, Some(krate), false) if flags.bins.is_empty() => Some(vec![krate.clone()]),
                    (names, _, _) => names.clone(),
                };
                match names {
                    Some(names) => {
                        for name in names {
                            self.push(
                                format!("{root}/bin/{name}"),
                                ArtifactKind::Binary { linkage },
                                "cargo install",
                                format!(
                                    "installed by `cargo install` as `{name}` ({})",
                                    linkage_reason(linkage, target.as_deref())
                                ),
                            );
                        }
                    }
                    None => self.push(
                        format!("{root}/bin"),
                        ArtifactKind::BinaryDir { linkage },
                        "cargo install",
                        format!(
                            "the binaries of `cargo install` in {root}/bin ({})",
                            linkage_reason(linkage, target.as_deref())
                        ),
                    ),
                }
            }
            _ => {}
        }
        // `cargo install --git`/a registry crate is not in the context: nothing is read.
        if sub == "build" || flags.path.is_some() {
            let root = if sub == "build" {
                Some(manifest_dir.as_str())
            } else {
                flags.path.as_deref()
            };
            let runs = self.sources_run(command, Compiled::Rust, root);
            self.mark_runs(first, runs);
        }
    }

    /// The binary names of the package at `dir`, from its `Cargo.toml` in the context.
    fn cargo_bin_names(&self, dir: &str) -> Option<Vec<String>> {
        let manifest = self.context_file(&normalize_path(&format!("{dir}/Cargo.toml")))?;
        cargo_bin_names(&manifest)
    }
}

fn linkage_reason(linkage: Linkage, target: Option<&str>) -> String {
    match (linkage, target) {
        (Linkage::Static, Some(t)) => format!("--target {t}: static"),
        (Linkage::Static, None) => "musl default target: static".to_string(),
        (l, _) => format!("dynamic, {}", l.describe()),
    }
}

/// `[[bin]] name = …` entries, or else the package name (a crate with `src/main.rs`).
pub fn cargo_bin_names(manifest: &str) -> Option<Vec<String>> {
    let mut section = String::new();
    let mut package_name = None;
    let mut bins = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.trim_matches(['[', ']', ' ']).to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_string();
        match (section.as_str(), key.trim()) {
            ("package", "name") => package_name = Some(value),
            ("bin", "name") => bins.push(value),
            _ => {}
        }
    }
    if bins.is_empty() {
        package_name.map(|n| vec![n])
    } else {
        Some(bins)
    }
}

/// The flags of `cargo build`/`cargo install` that decide where binaries go.
#[derive(Default)]
struct CargoFlags {
    release: bool,
    profile: Option<String>,
    target: Option<String>,
    target_dir: Option<String>,
    manifest_path: Option<String>,
    bins: Vec<String>,
    root: Option<String>,
    path: Option<String>,
    crate_name: Option<String>,
}

impl CargoFlags {
    fn parse(args: &[Option<String>]) -> Option<CargoFlags> {
        const VALUE_FLAGS: &[&str] = &[
            "--profile",
            "--target",
            "--target-dir",
            "--manifest-path",
            "--bin",
            "--root",
            "--path",
            "--features",
            "-F",
            "--package",
            "-p",
            "--jobs",
            "-j",
            "--config",
            "--version",
            "--git",
            "--branch",
            "--tag",
            "--rev",
            "--index",
            "--registry",
            "--example",
            "--color",
            "-Z",
        ];
        let mut flags = CargoFlags::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let arg = arg.as_ref()?;
            if arg == "--release" || arg == "-r" {
                flags.release = true;
                continue;
            }
            if !arg.starts_with('-') {
                flags.crate_name.get_or_insert(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (arg.as_str(), None),
            };
            if !VALUE_FLAGS.contains(&name) {
                continue;
            }
            let value = match inline {
                Some(v) => v,
                None => iter.next()?.clone()?,
            };
            match name {
                "--profile" => flags.profile = Some(value),
                "--target" => flags.target = Some(value),
                "--target-dir" => flags.target_dir = Some(value),
                "--manifest-path" => flags.manifest_path = Some(value),
                "--bin" => flags.bins.push(value),
                "--root" => flags.root = Some(value),
                "--path" => flags.path = Some(value),
                _ => {}
            }
        }
        Some(flags)
    }
}

/// `[build] target = "x86_64-unknown-linux-musl"` of a Cargo configuration.
fn config_build_target(config: &str) -> Option<String> {
    let mut in_build = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_build = line == "[build]";
            continue;
        }
        let key_value = line.split_once('=');
        match key_value {
            Some((key, value)) if in_build && key.trim() == "target" => {
                return Some(value.trim().trim_matches(['"', '\'']).to_string())
                    .filter(|t| !t.is_empty() && !t.starts_with('['));
            }
            Some((key, value)) if key.trim() == "build.target" => {
                return Some(value.trim().trim_matches(['"', '\'']).to_string());
            }
            _ => {}
        }
    }
    None
}
/// The `-sys` crates (and their kin) whose native code a Rust binary built on a full `rust`
/// image cannot take from that image's development files to a library the distroless
/// `cc` image lacks: they bundle their C code (`*-src`, jemalloc, mimalloc, aws-lc, zstd),
/// link a library `cc-debian13` has (openssl-sys: libssl; libz-sys: zlib), or bind to
/// another platform than Linux. Sources: each crate's `build.rs` on docs.rs; TARGETS.md
/// for what `cc` carries.
const SYS_CRATES_SAFE_ON_CC: &[&str] = &[
    "openssl-sys",
    "libz-sys",
    "zstd-sys",
    "linux-raw-sys",
    "windows-sys",
    "js-sys",
    "web-sys",
    "core-foundation-sys",
    "security-framework-sys",
    "system-configuration-sys",
    "libmimalloc-sys",
    "tikv-jemalloc-sys",
    "jemalloc-sys",
    "aws-lc-sys",
    "aws-lc-fips-sys",
    "wasi",
];

/// Whether the build context's `Cargo.lock` shows that nothing in the program links a
/// library of the full `rust` image that the distroless `cc` image lacks: every `-sys`
/// crate it locks is in [`SYS_CRATES_SAFE_ON_CC`], and no build script of the project
/// itself links one (`cargo:rustc-link-lib`). `false` without a `Cargo.lock`.
pub fn lock_links_only_cc_libraries(read: &dyn Fn(&str) -> Option<String>) -> bool {
    let Some(lock) = read("Cargo.lock") else {
        return false;
    };
    let names = lock.lines().filter_map(|line| {
        line.trim()
            .strip_prefix("name = \"")
            .and_then(|rest| rest.strip_suffix('"'))
    });
    let mut any = false;
    for name in names {
        any = true;
        if name.ends_with("-sys") && !SYS_CRATES_SAFE_ON_CC.contains(&name) {
            return false;
        }
    }
    // A binding that is not named `-sys` but finds a system library itself (the `libxml`
    // crate: libxml2 through pkg-config) depends on the crates that look for one.
    if lock_packages(&lock).iter().any(|(name, dependencies)| {
        !SYS_CRATES_SAFE_ON_CC.contains(&name.as_str())
            && dependencies.iter().any(|d| {
                matches!(
                    d.as_str(),
                    "pkg-config" | "vcpkg" | "system-deps" | "metadeps"
                )
            })
    }) {
        return false;
    }
    // The project's own build scripts: at the root and in its workspace members.
    let scripts = std::iter::once("build.rs".to_string()).chain(
        // The context's root listing (a folder reads as its entries, one per line).
        read("")
            .unwrap_or_default()
            .lines()
            .filter(|e| e.ends_with('/'))
            .map(|e| format!("{e}build.rs"))
            .collect::<Vec<_>>(),
    );
    let own_links = scripts
        .filter_map(|file| read(&file))
        .any(|code| code.contains("rustc-link-lib") || code.contains("pkg_config"));
    any && !own_links
}

/// The packages of a `Cargo.lock`, each with the names of its dependencies (without
/// their versions).
fn lock_packages(lock: &str) -> Vec<(String, Vec<String>)> {
    let mut packages: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_dependencies = false;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            packages.push((String::new(), Vec::new()));
            in_dependencies = false;
            continue;
        }
        let Some((name, dependencies)) = packages.last_mut() else {
            continue;
        };
        if let Some(rest) = line.strip_prefix("name = \"") {
            *name = rest.trim_end_matches('"').to_string();
        } else if let Some(rest) = line.strip_prefix("dependencies = [") {
            in_dependencies = !rest.contains(']');
            dependencies.extend(
                rest.trim_end_matches(']')
                    .split(',')
                    .filter_map(|d| d.trim().trim_matches('"').split(' ').next())
                    .filter(|d| !d.is_empty())
                    .map(str::to_string),
            );
        } else if in_dependencies {
            if line.starts_with(']') {
                in_dependencies = false;
            } else if let Some(dependency) = line
                .trim_matches([',', '"'])
                .split(' ')
                .next()
                .filter(|d| !d.is_empty())
            {
                dependencies.push(dependency.to_string());
            }
        }
    }
    packages
}

#[cfg(test)]
mod lock_tests {
    use super::*;

    fn context(lock: &'static str) -> impl Fn(&str) -> Option<String> {
        move |path: &str| match path {
            "Cargo.lock" => Some(lock.to_string()),
            "" => Some("Cargo.lock\nsrc/\n".to_string()),
            _ => None,
        }
    }

    #[test]
    fn a_lock_with_only_safe_sys_crates_is_clean() {
        let lock = "version = 3\n\n[[package]]\nname = \"app\"\n\n[[package]]\nname = \"openssl-sys\"\nversion = \"0.9\"\n";
        assert!(lock_links_only_cc_libraries(&context(lock)));
        let pq = "version = 3\n\n[[package]]\nname = \"app\"\n\n[[package]]\nname = \"pq-sys\"\n";
        assert!(!lock_links_only_cc_libraries(&context(pq)));
        assert!(!lock_links_only_cc_libraries(&|_: &str| None));
    }

    #[test]
    fn a_binding_that_finds_a_system_library_is_not_clean() {
        let libxml = "version = 3\n\n[[package]]\nname = \"app\"\ndependencies = [\n \"libxml\",\n]\n\n[[package]]\nname = \"libxml\"\nversion = \"0.3.3\"\ndependencies = [\n \"bindgen\",\n \"libc\",\n \"pkg-config\",\n \"vcpkg\",\n]\n\n[[package]]\nname = \"pkg-config\"\n";
        assert!(!lock_links_only_cc_libraries(&context(libxml)));
        let openssl = "version = 3\n\n[[package]]\nname = \"openssl-sys\"\ndependencies = [\n \"cc\",\n \"pkg-config\",\n \"vcpkg\",\n]\n";
        assert!(lock_links_only_cc_libraries(&context(openssl)));
    }
}
