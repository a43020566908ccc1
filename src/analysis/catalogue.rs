//! The image catalogue: what dfslim knows about base images (their distro, libc, shell,
//! package manager, runtime, inherited `WORKDIR`/`ENV`/`ENTRYPOINT`/`CMD`, level) and which
//! minimal images a rewrite may target.
//!
//! The knowledge is data, in `catalogue.yaml` beside this file, each fact with its source;
//! this module holds only the logic: parsing the YAML (once, for the built-in catalogue),
//! matching an [`ImageRef`] against name and tag patterns, filling in what the tag says
//! (versions, distro), and picking a target. An image the catalogue does not describe gives
//! `None`: nothing here guesses.
//!
//! # The YAML
//!
//! - `distros`: per distro, its `libc` and `package_manager` (applied when a tag names the
//!   distro through a placeholder), its `codenames` (`bookworm: "12"`) and an optional
//!   `tag_prefix` (`alpine` matches `alpine` and `alpine3.20`).
//! - `images`: entries with `names` (familiar names, see [`ImageRef::name`]), a `source`,
//!   `version_of` (`runtime`, `distro` or `product`: what `{version}` in a tag is the version
//!   of), `version_parts` (how many components of it count), `defaults` (facts) and
//!   `variants`, tried in order: the first whose `tags` patterns match (and whose optional
//!   `versions` constraint such as `">=1.24"` holds) gives its `facts` over the defaults.
//! - `targets`: the images a rewrite may end on, each with its `family`.
//! - `toolchains`: build-tool facts that decide how a program links, with a `source`; today
//!   `go.cgo_off_without_c_compiler`, the Go versions that build static binaries when the
//!   image has no C compiler; `removals`, what a runtime version removed (for
//!   `--allow-version-change`); `python.console_scripts`, the scripts pip installs that run
//!   as `python3 -m MODULE`; `python.runtime_defaults`, flags a program's default makes
//!   unnecessary (`gunicorn --bind :$PORT`); `java.output_dirs`, where Maven and Gradle put
//!   their jars; `glibc_move`, the runtimes and programs for which a build on Alpine may
//!   move to the Debian image of the same version.
//!
//! Patterns are literal text with `*` (any text) and placeholders: `{version}` (`1.23.4`,
//! `17.0.18_8`), `{runtime_version}`, `{distro_version}` (digits and dots), and `{<distro>}`
//! for a distro of `distros` (`{debian}` matches `bookworm`, `{alpine}` matches `alpine3.20`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::analysis::image_ref::ImageRef;
use crate::analysis::level::Level;

/// The built-in catalogue's text.
/// The built-in catalogue, compiled from `catalogue.yaml` to JSON by `build.rs`: parsing
/// YAML took 4 ms of every run, JSON takes 0.3 ms. The YAML stays the source people edit.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalogue.json"));

/// A catalogue: the built-in one, a user's extension, or both merged.
#[derive(Clone, Debug)]
pub struct Catalogue {
    /// `registry[/path prefix]` of registries that mirror Docker Hub.
    docker_hub_mirrors: Vec<String>,
    distros: BTreeMap<String, DistroSpec>,
    images: Vec<ImageEntry>,
    targets: Vec<TargetImage>,
    /// The Go versions whose go command turns cgo off by itself when it finds no C compiler
    /// (`toolchains.go.cgo_off_without_c_compiler`); `None`: no version is known to.
    go_cgo_off_without_compiler: Option<VersionConstraint>,
    /// Image families known by their names alone (`*/distroless/*`), for images no entry
    /// describes.
    families: Vec<Family>,
    /// Shell-level tags → the tag of the same image without its shell (`debug` → `latest`).
    without_shell: Vec<WithoutShell>,
    /// Python console scripts that run as `python3 -m MODULE`.
    console_scripts: Vec<ConsoleScript>,
    /// What each runtime version removed.
    removals: Vec<Removal>,
    /// Python packages published as one wheel per Python version (`python.compiled_packages`).
    compiled_packages: Vec<String>,
    /// Flags whose run-time value the program's default makes the same.
    runtime_defaults: Vec<RuntimeDefault>,
    /// Java build tool → where its jars land (`mvn` → `target`).
    java_output_dirs: BTreeMap<String, String>,
    /// When a build on Alpine may move to the Debian image of its runtime.
    glibc_move: GlibcMoveSpec,
    /// A `provides` name (`glibc`, `libssl`) → the sonames it stands for, for `rewrite
    /// --build`, which reads the libraries a program needs from the built image.
    shared_libraries: BTreeMap<String, Vec<String>>,
    /// A `provides` name → the Debian packages it stands for, so that `rewrite --build`
    /// does not copy a package the target already has (in its own version).
    provided_packages: BTreeMap<String, Vec<String>>,
    /// What [`Catalogue::lookup`] answered, by name and tag: a file asks about its few
    /// images many times, and matching every entry's patterns was the largest cost of
    /// `check` (issue 15).
    lookups: LookupCache,
}

/// A cache of lookups, shared by the threads that check files. A copy of the catalogue
/// starts empty: a merged catalogue answers differently.
#[derive(Default)]
struct LookupCache(std::sync::RwLock<HashMap<(String, String, bool), Option<ImageFacts>>>);

impl Clone for LookupCache {
    fn clone(&self) -> LookupCache {
        LookupCache::default()
    }
}

impl std::fmt::Debug for LookupCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LookupCache")
    }
}

/// `without_shell:` rules: for images whose name matches, the first tag rule that matches.
#[derive(Clone, Debug)]
struct WithoutShell {
    names: Vec<Pattern>,
    /// (from, to): `*` in `to` is what `*` matched in `from`.
    tags: Vec<(String, String)>,
}

/// A family of images with one level, known by a name or tag pattern.
#[derive(Clone, Debug)]
struct Family {
    name: String,
    level: Level,
    names: Vec<Pattern>,
    /// Tags the family takes; empty: any tag.
    tags: Vec<Pattern>,
    /// Tags that leave the family (`debug` variants keep a shell).
    except_tags: Vec<Pattern>,
}

/// The level an image has by the family its name belongs to, when no entry of the catalogue
/// describes its tag: `debian:forky-20270101` is a full distro whatever its release, and
/// `mcr.microsoft.com/azurelinux/distroless/base:3.0` is distroless.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FamilyLevel {
    pub level: Level,
    /// The family: an image entry's first name (`debian`) or a family's name.
    pub family: String,
}

/// Why a catalogue text was refused: bad YAML or a shape the schema does not allow (with
/// the position serde-saphyr reports), or a value that does not make sense (a bad pattern,
/// an entry that leaves a required fact unsaid), with the position of the value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("{message}")]
    Yaml {
        message: String,
        line: Option<u64>,
        column: Option<u64>,
    },
    #[error("line {line}, column {column}: {message}")]
    Invalid {
        message: String,
        line: u64,
        column: u64,
    },
}

impl CatalogueError {
    /// The 1-based line and column of the problem, when known.
    pub fn position(&self) -> Option<(u64, u64)> {
        match self {
            CatalogueError::Yaml { line, column, .. } => Some(((*line)?, (*column)?)),
            CatalogueError::Invalid { line, column, .. } => Some((*line, *column)),
        }
    }
}

/// The C library an image provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Libc {
    Glibc,
    Musl,
    /// No C library at all (`scratch`, distroless `static`): only static binaries run.
    #[serde(rename = "none")]
    Absent,
}

/// A distro and, when known, its version (`12`, `24.04`, `3.20`, `unstable`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Distro {
    pub name: String,
    pub version: Option<String>,
}

/// A language runtime (`go`, `python`, `node`, `java`, `dotnet`, …) and, when the tag or
/// the image name says it, its version, cut to the components that matter (`3.12`, `20`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Runtime {
    pub name: String,
    pub version: Option<String>,
}

/// What the catalogue knows about one image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageFacts {
    pub level: Level,
    pub distro: Option<Distro>,
    pub libc: Libc,
    /// Whether `/bin/sh` (or a busybox shell) is present.
    pub shell: bool,
    /// `apt`, `apk`, `dnf`, …; `None` when the image has none.
    pub package_manager: Option<String>,
    /// Whether a C compiler is installed (for Go: CGO is on by default exactly then).
    pub c_compiler: bool,
    /// Whether the image carries the development files of many libraries (libpq,
    /// libmysqlclient, libxml2 …), as the images built on buildpack-deps do: what is
    /// compiled there may link one of them.
    pub dev_libraries: bool,
    /// The default user (`root`, `65532`, `1654`, …); `None` when the catalogue does not say.
    pub user: Option<String>,
    /// The inherited `WORKDIR`; `None` when the catalogue does not say.
    pub workdir: Option<String>,
    /// The inherited environment that matters to a rewrite (`PATH`, `GOPATH`, …).
    pub env: BTreeMap<String, String>,
    /// The inherited `ENTRYPOINT` in exec form (empty: none); `None` when unknown.
    pub entrypoint: Option<Vec<String>>,
    /// The inherited `CMD` in exec form (empty: none); `None` when unknown.
    pub cmd: Option<Vec<String>>,
    /// Whether the program the image starts (its `ENTRYPOINT`, or its `CMD` when there is no
    /// entrypoint) is a shell script, such as node's `docker-entrypoint.sh`.
    pub script_entrypoint: bool,
    /// Whether that script, as the image ships it, only runs the command it is given (as
    /// node's and Temurin's do), so that an image without it behaves the same.
    pub entrypoint_passthrough: bool,
    /// An environment variable that makes a pass-through script do more (Temurin's
    /// `USE_SYSTEM_CA_CERTS`): when it is set, the script is not a pass-through.
    pub entrypoint_active_with: Option<String>,
    /// What the image provides for an application (`ca-certificates`, `tzdata`, `passwd`,
    /// `tmp`, `glibc`, `libssl`, `libgcc`, `libstdc++`, …), listed for minimal images.
    pub provides: Vec<String>,
    /// The users `/etc/passwd` defines, listed for minimal images (`root`, `nobody`,
    /// `nonroot`); `None` when the catalogue does not say.
    pub passwd_users: Option<Vec<String>>,
    pub runtime: Option<Runtime>,
    /// The `{version}` the tag or name carried, as written (`1.23.4`, `17.0.18_8`).
    pub image_version: Option<String>,
    /// Where these facts come from.
    pub source: String,
}

impl ImageFacts {
    /// Whether the image's `/etc/passwd` is known to define the user `name`.
    pub fn has_user(&self, name: &str) -> bool {
        self.passwd_users
            .as_ref()
            .is_some_and(|users| users.iter().any(|u| u == name))
    }
}

/// The families of minimal images a rewrite can end on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetFamily {
    Distroless,
    Chainguard,
    Scratch,
}

impl fmt::Display for TargetFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TargetFamily::Distroless => "distroless",
            TargetFamily::Chainguard => "chainguard",
            TargetFamily::Scratch => "scratch",
        })
    }
}

/// An image a rewrite may put in the final `FROM`. Its facts come from [`Catalogue::lookup`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetImage {
    pub image: ImageRef,
    pub family: TargetFamily,
}

/// What the application needs from the final image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Needs {
    /// A static binary: no libc needed.
    Static,
    /// A binary dynamically linked against glibc.
    Glibc,
    /// glibc plus libgcc/libstdc++ (Rust, C++).
    Cc,
    /// A language runtime of this name and version (`node` `22`, `python` `3.13`,
    /// `java` `21`, `dotnet`/`aspnetcore` `8.0`).
    Runtime { name: String, version: String },
}

/// A request for a target image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetQuery {
    pub family: TargetFamily,
    pub needs: Needs,
    /// The Debian release the artifact was built on: a glibc binary runs on the same or a
    /// newer glibc, so Debian targets older than this are refused.
    pub min_debian: Option<u32>,
}

impl Catalogue {
    /// The catalogue shipped with dfslim, parsed on first use.
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            serde_json::from_str::<CatalogueFile>(BUILTIN_JSON)
                .map_err(|error| CatalogueError::Yaml {
                    line: None,
                    column: None,
                    message: error.to_string(),
                })
                .and_then(|file| check_catalogue(file, &BTreeMap::new()))
                .unwrap_or_else(|error| panic!("the built-in catalogue is invalid: {error}"))
        })
    }

    /// Parses a catalogue text, for example a user's extension. Its patterns may use the
    /// built-in distros (`{debian}`) as well as its own.
    pub fn from_yaml(yaml: &str) -> Result<Catalogue, CatalogueError> {
        parse_catalogue(yaml, &Catalogue::builtin().distros)
    }

    /// This catalogue with `extra`'s entries added in front: where both describe an image,
    /// `extra`'s entries are tried first; its distros and targets replace those of the same
    /// name.
    pub fn merged(&self, extra: Catalogue) -> Catalogue {
        let mut docker_hub_mirrors = extra.docker_hub_mirrors;
        for mirror in &self.docker_hub_mirrors {
            if !docker_hub_mirrors.contains(mirror) {
                docker_hub_mirrors.push(mirror.clone());
            }
        }
        let mut distros = self.distros.clone();
        distros.extend(extra.distros);
        let mut images = extra.images;
        images.extend(self.images.iter().cloned());
        let mut targets = extra.targets;
        for target in &self.targets {
            if !targets.iter().any(|t| t.image == target.image) {
                targets.push(target.clone());
            }
        }
        Catalogue {
            lookups: LookupCache::default(),
            docker_hub_mirrors,
            distros,
            images,
            targets,
            go_cgo_off_without_compiler: extra
                .go_cgo_off_without_compiler
                .or_else(|| self.go_cgo_off_without_compiler.clone()),
            families: extra
                .families
                .into_iter()
                .chain(self.families.iter().cloned())
                .collect(),
            without_shell: extra
                .without_shell
                .into_iter()
                .chain(self.without_shell.iter().cloned())
                .collect(),
            removals: extra
                .removals
                .into_iter()
                .chain(self.removals.iter().cloned())
                .collect(),
            console_scripts: extra
                .console_scripts
                .into_iter()
                .chain(self.console_scripts.iter().cloned())
                .collect(),
            compiled_packages: extra
                .compiled_packages
                .into_iter()
                .chain(self.compiled_packages.iter().cloned())
                .collect(),
            runtime_defaults: extra
                .runtime_defaults
                .into_iter()
                .chain(self.runtime_defaults.iter().cloned())
                .collect(),
            glibc_move: {
                let mut glibc_move = self.glibc_move.clone();
                glibc_move.families.extend(extra.glibc_move.families);
                glibc_move.programs.extend(extra.glibc_move.programs);
                glibc_move
            },
            java_output_dirs: {
                let mut dirs = self.java_output_dirs.clone();
                dirs.extend(extra.java_output_dirs);
                dirs
            },
            shared_libraries: {
                let mut libraries = self.shared_libraries.clone();
                libraries.extend(extra.shared_libraries);
                libraries
            },
            provided_packages: {
                let mut packages = self.provided_packages.clone();
                packages.extend(extra.provided_packages);
                packages
            },
        }
    }

    /// The folder, below the project, in which the Java build tool `tool` (`mvn`,
    /// `gradle`) puts the jars it builds.
    pub fn java_output_dir(&self, tool: &str) -> Option<&str> {
        self.java_output_dirs.get(tool).map(String::as_str)
    }

    /// Whether an image with these `provides` carries the library `soname`
    /// (`libc.so.6` for `glibc`), by the catalogue's `shared_libraries`.
    pub fn provides_library(&self, provides: &[String], soname: &str) -> bool {
        provides.iter().any(|p| {
            self.shared_libraries
                .get(p)
                .is_some_and(|names| names.iter().any(|n| n == soname))
        })
    }

    /// Whether a target that `provides` these names has the Debian package `package`
    /// (`libc6` for `glibc`), by the catalogue's `shared_libraries`.
    pub fn provides_package(&self, provides: &[String], package: &str) -> bool {
        provides.iter().any(|p| {
            self.provided_packages
                .get(p)
                .is_some_and(|names| names.iter().any(|n| n == package))
        })
    }

    /// What the versions of `runtime` after `from`, up to `to`, removed (none when `to`
    /// is older).
    pub fn removals_between(&self, runtime: &str, from: &str, to: &str) -> Vec<&Removal> {
        let number =
            |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
        let (from, to) = (number(from), number(to));
        self.removals
            .iter()
            .filter(|r| r.runtime == runtime)
            .filter(|r| {
                let at = number(&r.version);
                at > from && at <= to
            })
            .collect()
    }

    /// The runtimes and programs for which a build on Alpine may move to the runtime's
    /// Debian image (`toolchains.glibc_move`, see [`GlibcMoveSpec`]).
    pub fn glibc_move(&self) -> &GlibcMoveSpec {
        &self.glibc_move
    }

    /// Whether the Python package `name` holds compiled code built per Python version
    /// (`numpy`), so that a pinned release may have no wheel for a newer one.
    pub fn python_compiled_package(&self, name: &str) -> bool {
        let norm = |n: &str| n.to_ascii_lowercase().replace(['_', '.'], "-");
        self.compiled_packages.iter().any(|p| norm(p) == norm(name))
    }

    /// The names of `python.compiled_packages`.
    pub fn python_compiled_names(&self) -> impl Iterator<Item = &str> {
        self.compiled_packages.iter().map(String::as_str)
    }

    /// The module that runs the Python console script `script` with `python3 -m`.
    pub fn python_console_script(&self, script: &str) -> Option<&str> {
        self.console_scripts
            .iter()
            .find(|c| c.script == script)
            .map(|c| c.module.as_str())
    }

    /// The flags of `program` that its own default makes unnecessary (see
    /// [`RuntimeDefault`]).
    pub fn runtime_defaults(&self, program: &str) -> impl Iterator<Item = &RuntimeDefault> {
        self.runtime_defaults
            .iter()
            .filter(move |d| d.script == program)
    }

    /// The level `image` has by its family, for an image [`Catalogue::lookup`] does not
    /// describe: the level of the entry its name matches when all of that entry's variants
    /// share it (a new tag of `debian` is a full distro; a new tag of `oven/bun` may be its
    /// distroless one, so it has none), or the level of a family it belongs to.
    pub fn family_level(&self, image: &ImageRef) -> Option<FamilyLevel> {
        let name = self.unmirrored(image).unwrap_or_else(|| image.name());
        if name == "scratch" {
            return None;
        }
        if let Some(entry) = self
            .images
            .iter()
            .find(|entry| entry.names.iter().any(|p| p.matches(&name, self).is_some()))
        {
            let mut levels = entry
                .variants
                .iter()
                .map(|v| v.facts.level.or(entry.defaults.level));
            // An entry whose variants differ (`oven/bun`'s distroless tags) says nothing;
            // a family pattern still may (`-chiseled` tags).
            if let Some(first) = levels.next().flatten()
                && levels.all(|l| l == Some(first))
            {
                return Some(FamilyLevel {
                    level: first,
                    family: entry.first_name.clone(),
                });
            }
        }
        let tag = image.effective_tag().unwrap_or("latest");
        self.families.iter().find_map(|family| {
            let named = family.names.is_empty()
                || family
                    .names
                    .iter()
                    .any(|p| p.matches(&name, self).is_some());
            let tagged = family.tags.is_empty()
                || family.tags.iter().any(|p| p.matches(tag, self).is_some());
            let excepted = family
                .except_tags
                .iter()
                .any(|p| p.matches(tag, self).is_some());
            (named && tagged && !excepted).then(|| FamilyLevel {
                level: family.level,
                family: family.name.clone(),
            })
        })
    }

    /// The tag of the same image without its shell, for a shell-level tag (`debug` →
    /// `latest`, `latest-dev` → `latest`): the first `without_shell:` rule for the image's
    /// name whose `from` matches the tag. `None` when no rule does.
    pub fn tag_without_shell(&self, image: &ImageRef) -> Option<String> {
        let name = self.unmirrored(image).unwrap_or_else(|| image.name());
        let tag = image.tag.as_deref().unwrap_or("latest");
        let rule = self
            .without_shell
            .iter()
            .find(|r| r.names.iter().any(|p| p.matches(&name, self).is_some()))?;
        rule.tags
            .iter()
            .find_map(|(from, to)| star_rename(from, to, tag))
    }

    /// Whether a Go of `version` turns cgo off by itself when the image has no C compiler,
    /// so that its binaries are static. `None` is a tag without a version (`golang:alpine`):
    /// the newest Go. Before Go 1.20 the standard library shipped precompiled with cgo, so
    /// `net` and `os/user` linked against the image's libc even without a compiler.
    pub fn go_turns_cgo_off_without_compiler(&self, version: Option<&str>) -> bool {
        self.go_cgo_off_without_compiler
            .as_ref()
            .is_some_and(|constraint| constraint.allows(version))
    }

    /// The facts about `image`, with what its tag says filled in; `None` when no entry
    /// describes this name and tag.
    ///
    /// No tag means `latest`. A digest without a tag is looked up as `latest`, but the
    /// distro version is then dropped unless the name itself says it, since the digest may
    /// pin an older build.
    pub fn lookup(&self, image: &ImageRef) -> Option<ImageFacts> {
        let name = self.unmirrored(image).unwrap_or_else(|| image.name());
        // Only the bare word is the empty image; `scratch:latest` would be pulled (and fail).
        if name == "scratch" && !image.is_scratch() {
            return None;
        }
        let (tag, digest_only) = match image.effective_tag() {
            Some(tag) => (tag, false),
            None => ("latest", true),
        };
        let key = (name, tag.to_string(), digest_only);
        if let Some(known) = self
            .lookups
            .0
            .read()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return known;
        }
        let facts = self.lookup_uncached(&key.0, tag, digest_only);
        if let Ok(mut cache) = self.lookups.0.write() {
            cache.insert(key, facts.clone());
        }
        facts
    }

    /// [`Catalogue::lookup`] without the cache: the first entry whose name and tag match.
    fn lookup_uncached(&self, name: &str, tag: &str, digest_only: bool) -> Option<ImageFacts> {
        self.images.iter().find_map(|entry| {
            let from_name = entry.names.iter().find_map(|p| p.matches(name, self))?;
            entry.variants.iter().find_map(|variant| {
                let from_tag = variant.tags.iter().find_map(|p| p.matches(tag, self))?;
                let version = from_tag.version.as_deref().or(from_name.version.as_deref());
                if let Some(constraint) = &variant.versions
                    && !constraint.allows(version)
                {
                    return None;
                }
                let facts = self.facts_for(entry, variant, &from_tag, &from_name, digest_only);
                facts.into_facts()
            })
        })
    }

    /// The Docker Hub name of an image pulled through a mirror of Docker Hub.
    fn unmirrored(&self, image: &ImageRef) -> Option<String> {
        let full = format!("{}/{}", image.registry, image.repository);
        self.docker_hub_mirrors.iter().find_map(|mirror| {
            let repository = full.strip_prefix(mirror.as_str())?.strip_prefix('/')?;
            let on_hub = ImageRef {
                registry: crate::analysis::image_ref::DOCKER_HUB.to_owned(),
                repository: repository.to_owned(),
                tag: None,
                digest: None,
            };
            Some(on_hub.name())
        })
    }

    /// The images a rewrite may end on, in preference order.
    pub fn targets(&self) -> impl Iterator<Item = &TargetImage> {
        self.targets.iter()
    }

    /// The first target of the family that gives the application what it needs, preferring
    /// the smallest image that does (`static` before `base` before `cc`), with its facts.
    pub fn pick_target(&self, query: &TargetQuery) -> Option<(&TargetImage, ImageFacts)> {
        let mut best: Option<(u8, &TargetImage, ImageFacts)> = None;
        for target in self.targets.iter().filter(|t| t.family == query.family) {
            let Some(facts) = self.lookup(&target.image) else {
                continue;
            };
            let Some(surplus) = query.surplus(&facts) else {
                continue;
            };
            if best.as_ref().is_none_or(|(known, ..)| surplus < *known) {
                best = Some((surplus, target, facts));
            }
        }
        best.map(|(_, target, facts)| (target, facts))
    }

    /// Overlays, in order: the entry's defaults, the facts of a distro the tag names, the
    /// variant's facts, and what the name and the tag captured.
    fn facts_for(
        &self,
        entry: &ImageEntry,
        variant: &Variant,
        from_tag: &Captures,
        from_name: &Captures,
        digest_only: bool,
    ) -> FactsSpec {
        let mut facts = entry.defaults.clone();
        if let Some((distro, _)) = &from_tag.distro
            && let Some(spec) = self.distros.get(distro)
        {
            facts.overlay(&spec.facts());
        }
        facts.overlay(&variant.facts);
        facts.source = Some(variant.source.clone().unwrap_or(entry.source.clone()));
        let mut distro_version_from_name = false;
        // `{version}` first: a distro placeholder in the same text is more specific about
        // the distro (`bullseye-20260610-slim` is Debian 11, not 20260610).
        for (captures, is_name) in [(from_name, true), (from_tag, false)] {
            if let Some(version) = &captures.version {
                facts.image_version = Some(version.clone());
                match entry.version_of {
                    VersionOf::Runtime => facts.runtime_version = Some(entry.cut(version)),
                    VersionOf::Distro => {
                        facts.distro_version = Some(entry.cut(version));
                        distro_version_from_name |= is_name;
                    }
                    VersionOf::Product => {}
                }
            }
            if let Some(version) = &captures.runtime_version {
                facts.runtime_version = Some(entry.cut(version));
            }
            if let Some((distro, version)) = &captures.distro {
                facts.distro = Some(distro.clone());
                facts.distro_version = version.clone();
                distro_version_from_name |= is_name;
            }
            if let Some(version) = &captures.distro_version {
                facts.distro_version = Some(version.clone());
                distro_version_from_name |= is_name;
            }
        }
        if digest_only && !distro_version_from_name {
            facts.distro_version = None;
        }
        facts
    }
}

impl TargetQuery {
    /// How much more than needed `facts` provide (0 = exactly), or `None` if not enough.
    fn surplus(&self, facts: &ImageFacts) -> Option<u8> {
        let needed = match &self.needs {
            Needs::Runtime { name, version } => {
                let runtime = facts.runtime.as_ref()?;
                let same = runtime.name == *name && runtime.version.as_deref() == Some(version);
                return (same && self.debian_ok(facts)).then_some(0);
            }
            Needs::Static => 0,
            Needs::Glibc => 1,
            Needs::Cc => 2,
        };
        if facts.runtime.is_some() {
            return None;
        }
        let provided = match facts.libc {
            Libc::Absent => 0,
            Libc::Musl => return None,
            Libc::Glibc if facts.provides.iter().any(|p| p == "libstdc++") => 2,
            Libc::Glibc => 1,
        };
        if provided < needed || (needed > 0 && !self.debian_ok(facts)) {
            return None;
        }
        Some(provided - needed)
    }

    /// Debian targets must be at least `min_debian`; other distros (Wolfi, Ubuntu for .NET)
    /// are not compared.
    fn debian_ok(&self, facts: &ImageFacts) -> bool {
        let (Some(min), Some(distro)) = (self.min_debian, &facts.distro) else {
            return true;
        };
        if distro.name != "debian" {
            return true;
        }
        let version = distro
            .version
            .as_deref()
            .and_then(|v| v.parse::<u32>().ok());
        version.is_some_and(|v| v >= min)
    }
}

// ---------------------------------------------------------------------------------------------
// The file format

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    #[serde(default)]
    docker_hub_mirrors: Vec<String>,
    #[serde(default)]
    distros: BTreeMap<String, DistroSpec>,
    #[serde(default)]
    images: Vec<ImageSpec>,
    #[serde(default)]
    targets: Vec<TargetSpec>,
    #[serde(default)]
    toolchains: ToolchainsSpec,
    #[serde(default)]
    families: Vec<FamilySpec>,
    #[serde(default)]
    without_shell: Vec<WithoutShellSpec>,
    #[serde(default)]
    shared_libraries: BTreeMap<String, SharedLibrariesSpec>,
}

/// `without_shell:` entries: for image names, how a shell-level tag names the same image
/// without its shell.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WithoutShellSpec {
    #[allow(dead_code)] // Read by people: where the facts come from.
    source: String,
    names: Vec<Spanned<String>>,
    tags: Vec<TagRenameSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TagRenameSpec {
    from: Spanned<String>,
    to: String,
}

/// `shared_libraries:` entries: the sonames and the Debian packages one `provides` name
/// stands for.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedLibrariesSpec {
    #[allow(dead_code)] // Read by people: where the facts come from.
    source: String,
    #[serde(default)]
    sonames: Vec<String>,
    #[serde(default)]
    packages: Vec<String>,
}

/// `families:` entries: a level for names (and tags) no image entry describes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FamilySpec {
    name: String,
    #[allow(dead_code)] // Read by people: where the facts come from.
    source: String,
    level: Level,
    #[serde(default)]
    names: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    except_tags: Vec<Spanned<String>>,
}

/// Facts about build tools that decide how their output links.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ToolchainsSpec {
    #[serde(default)]
    removals: Vec<Removal>,
    #[serde(default)]
    go: Option<GoToolchainSpec>,
    #[serde(default)]
    python: Option<PythonToolchainSpec>,
    #[serde(default)]
    java: Option<JavaToolchainSpec>,
    #[serde(default)]
    glibc_move: Option<GlibcMoveSpec>,
}

/// `toolchains.glibc_move`: the runtimes whose packages an Alpine build installs for musl,
/// and the programs that behave alike on that runtime's Alpine and Debian images.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlibcMoveSpec {
    #[allow(dead_code)] // Read by people: where the facts come from.
    #[serde(default)]
    source: String,
    pub families: Vec<GlibcFamily>,
    pub programs: Vec<String>,
}

/// Runtimes whose images move from Alpine together (.NET's SDK with its runtimes), and what
/// their tags' Alpine part becomes (`slim`, or nothing).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlibcFamily {
    pub runtimes: Vec<String>,
    pub alpine_becomes: String,
    #[allow(dead_code)] // Read by people: where the facts come from.
    #[serde(default)]
    source: String,
}

impl GlibcMoveSpec {
    /// The family of the runtime named `runtime`.
    pub fn family(&self, runtime: &str) -> Option<&GlibcFamily> {
        self.families
            .iter()
            .find(|f| f.runtimes.iter().any(|r| r == runtime))
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JavaToolchainSpec {
    #[allow(dead_code)] // Read by people: where the facts come from.
    source: String,
    /// Build tool (`mvn`, `gradle`) → the folder, below the project, its jars land in.
    output_dirs: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PythonToolchainSpec {
    #[allow(dead_code)] // Read by people: where the facts come from.
    source: String,
    #[serde(default)]
    console_scripts: Vec<ConsoleScript>,
    #[serde(default)]
    runtime_defaults: Vec<RuntimeDefault>,
    #[serde(default)]
    compiled_packages: Vec<String>,
}

/// What a version of a runtime removed (`toolchains.removals`): modules, command-line
/// flags, source text.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removal {
    pub runtime: String,
    pub version: String,
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub text: Vec<String>,
    /// Packages whose releases in use import one of `modules`.
    #[serde(default)]
    pub packages: Vec<RemovedModuleUser>,
    /// Whether any package pinned to a release made before this version may use what it
    /// removed (Python 3.12's distutils, and the setuptools its images stopped installing).
    #[serde(default)]
    pub pins: bool,
    #[allow(dead_code)] // Read by people: where the fact comes from.
    source: String,
}

/// A package that imports a module its runtime removed (`pydub` imports `audioop`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedModuleUser {
    pub name: String,
    pub module: String,
    /// The release from which the package no longer imports the module, if one does.
    #[serde(default)]
    pub fixed_in: Option<String>,
    #[allow(dead_code)] // Read by people: where the fact comes from.
    source: String,
}

/// A console script that pip installs, and the module that runs the same program with
/// `python3 -m`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleScript {
    pub script: String,
    pub module: String,
    #[allow(dead_code)] // Read by people: where the fact comes from.
    source: String,
}

/// A flag of a program whose value is only known at run time (`--bind :$PORT`) but which
/// the program's own default makes the same, so that it can be left out.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeDefault {
    /// The program (`gunicorn`), by its base name.
    pub script: String,
    /// The flag's spellings (`--bind`, `-b`).
    pub flags: Vec<String>,
    /// The written values it may be left out with.
    pub values: Vec<String>,
    /// What would set the flag instead once the command leaves it out.
    #[serde(default)]
    pub overridden_by: Overrides,
    #[allow(dead_code)] // Read by people: where the fact comes from.
    source: String,
}

/// The other places a program reads a setting from, below its command line.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Flags that name a config file (`-c`, `--config`).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Config files read by default from the working directory.
    #[serde(default)]
    pub files: Vec<String>,
    /// Environment variables that carry more arguments.
    #[serde(default)]
    pub env: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoToolchainSpec {
    #[allow(dead_code)] // Read by people: where the facts come from.
    source: String,
    /// A version constraint (`">=1.20"`).
    cgo_off_without_c_compiler: Spanned<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistroSpec {
    #[expect(
        dead_code,
        reason = "the YAML states where its facts come from; no code reads it"
    )]
    source: String,
    libc: Option<Libc>,
    package_manager: Option<String>,
    #[serde(default)]
    codenames: BTreeMap<String, String>,
    tag_prefix: Option<String>,
}

impl DistroSpec {
    fn facts(&self) -> FactsSpec {
        FactsSpec {
            libc: self.libc,
            package_manager: self.package_manager.clone(),
            ..FactsSpec::default()
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageSpec {
    names: Vec<Spanned<String>>,
    source: String,
    #[serde(default)]
    version_of: VersionOf,
    version_parts: Option<usize>,
    #[serde(default)]
    defaults: FactsSpec,
    variants: Vec<VariantSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantSpec {
    tags: Vec<Spanned<String>>,
    versions: Option<Spanned<String>>,
    source: Option<String>,
    #[serde(default)]
    facts: FactsSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetSpec {
    image: Spanned<String>,
    family: TargetFamily,
}

/// What `{version}` in a pattern is the version of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum VersionOf {
    Runtime,
    Distro,
    /// The image's own product (`nginx 1.27`, `maven 3.9`): kept as `image_version` only.
    #[default]
    Product,
}

/// Facts as the YAML states them: every field optional, overlaid in order.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsSpec {
    level: Option<Level>,
    distro: Option<String>,
    distro_version: Option<String>,
    libc: Option<Libc>,
    shell: Option<bool>,
    /// `none` for an image without one.
    package_manager: Option<String>,
    c_compiler: Option<bool>,
    dev_libraries: Option<bool>,
    user: Option<String>,
    workdir: Option<String>,
    /// Overlaid key by key.
    env: Option<BTreeMap<String, String>>,
    entrypoint: Option<Vec<String>>,
    cmd: Option<Vec<String>>,
    script_entrypoint: Option<bool>,
    entrypoint_passthrough: Option<bool>,
    entrypoint_active_with: Option<String>,
    provides: Option<Vec<String>>,
    passwd_users: Option<Vec<String>>,
    runtime: Option<String>,
    runtime_version: Option<String>,
    /// Filled from the captures, never written in the YAML.
    #[serde(skip)]
    image_version: Option<String>,
    #[serde(skip)]
    source: Option<String>,
}

impl FactsSpec {
    fn overlay(&mut self, over: &FactsSpec) {
        fn take<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
        take(&mut self.level, &over.level);
        take(&mut self.distro, &over.distro);
        take(&mut self.distro_version, &over.distro_version);
        take(&mut self.libc, &over.libc);
        take(&mut self.shell, &over.shell);
        take(&mut self.package_manager, &over.package_manager);
        take(&mut self.c_compiler, &over.c_compiler);
        take(&mut self.dev_libraries, &over.dev_libraries);
        take(&mut self.user, &over.user);
        take(&mut self.workdir, &over.workdir);
        take(&mut self.entrypoint, &over.entrypoint);
        take(&mut self.cmd, &over.cmd);
        take(&mut self.script_entrypoint, &over.script_entrypoint);
        take(
            &mut self.entrypoint_passthrough,
            &over.entrypoint_passthrough,
        );
        take(
            &mut self.entrypoint_active_with,
            &over.entrypoint_active_with,
        );
        take(&mut self.provides, &over.provides);
        take(&mut self.passwd_users, &over.passwd_users);
        take(&mut self.runtime, &over.runtime);
        take(&mut self.runtime_version, &over.runtime_version);
        take(&mut self.image_version, &over.image_version);
        take(&mut self.source, &over.source);
        if let Some(env) = &over.env {
            let mine = self.env.get_or_insert_with(BTreeMap::new);
            mine.extend(env.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }

    /// The facts every entry must state, directly or through its variants.
    fn missing_required(&self) -> Option<&'static str> {
        [
            ("level", self.level.is_none()),
            ("libc", self.libc.is_none()),
            ("shell", self.shell.is_none()),
            ("package_manager", self.package_manager.is_none()),
            ("c_compiler", self.c_compiler.is_none()),
        ]
        .into_iter()
        .find_map(|(name, missing)| missing.then_some(name))
    }

    fn into_facts(self) -> Option<ImageFacts> {
        let package_manager = self.package_manager?;
        let distro = self.distro.map(|name| Distro {
            name,
            version: self.distro_version,
        });
        let runtime = self.runtime.map(|name| Runtime {
            name,
            version: self.runtime_version,
        });
        Some(ImageFacts {
            level: self.level?,
            distro,
            libc: self.libc?,
            shell: self.shell?,
            package_manager: (package_manager != "none").then_some(package_manager),
            c_compiler: self.c_compiler?,
            dev_libraries: self.dev_libraries.unwrap_or(false),
            user: self.user,
            workdir: self.workdir,
            env: self.env.unwrap_or_default(),
            entrypoint: self.entrypoint,
            cmd: self.cmd,
            script_entrypoint: self.script_entrypoint.unwrap_or(false),
            entrypoint_passthrough: self.entrypoint_passthrough.unwrap_or(false),
            entrypoint_active_with: self.entrypoint_active_with,
            provides: self.provides.unwrap_or_default(),
            passwd_users: self.passwd_users,
            runtime,
            image_version: self.image_version,
            source: self.source.unwrap_or_default(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The checked form

#[derive(Clone, Debug)]
struct ImageEntry {
    names: Vec<Pattern>,
    /// The first name as written (`debian`), to name the family.
    first_name: String,
    source: String,
    version_of: VersionOf,
    version_parts: Option<usize>,
    defaults: FactsSpec,
    variants: Vec<Variant>,
}

impl ImageEntry {
    /// `version` cut to the components that count for this entry (`3.12.4` → `3.12`).
    fn cut(&self, version: &str) -> String {
        let numeric = version.split('_').next().unwrap_or(version);
        match self.version_parts {
            Some(parts) => numeric.split('.').take(parts).collect::<Vec<_>>().join("."),
            None => numeric.to_owned(),
        }
    }
}

#[derive(Clone, Debug)]
struct Variant {
    tags: Vec<Pattern>,
    versions: Option<VersionConstraint>,
    source: Option<String>,
    facts: FactsSpec,
}

fn parse_catalogue(
    yaml: &str,
    outside_distros: &BTreeMap<String, DistroSpec>,
) -> Result<Catalogue, CatalogueError> {
    let file: CatalogueFile =
        serde_saphyr::from_str(yaml).map_err(|error| CatalogueError::Yaml {
            line: error.location().map(|l| l.line()),
            column: error.location().map(|l| l.column()),
            message: error.to_string(),
        })?;
    check_catalogue(file, outside_distros)
}

/// Check a parsed catalogue file and build the catalogue from it.
fn check_catalogue(
    file: CatalogueFile,
    outside_distros: &BTreeMap<String, DistroSpec>,
) -> Result<Catalogue, CatalogueError> {
    let mut known_distros = outside_distros.clone();
    known_distros.extend(file.distros.clone());
    let mut images = Vec::with_capacity(file.images.len());
    for spec in file.images {
        images.push(check_entry(spec, &known_distros)?);
    }
    let mut targets = Vec::with_capacity(file.targets.len());
    for spec in file.targets {
        let image = ImageRef::parse(&spec.image.value)
            .map_err(|error| invalid(&spec.image, format!("target image: {error}")))?;
        targets.push(TargetImage {
            image,
            family: spec.family,
        });
    }
    let go_cgo_off_without_compiler = match &file.toolchains.go {
        Some(go) => Some(
            VersionConstraint::parse(&go.cgo_off_without_c_compiler.value).ok_or_else(|| {
                invalid(
                    &go.cgo_off_without_c_compiler,
                    "not a version constraint such as \">=1.20\"".to_string(),
                )
            })?,
        ),
        None => None,
    };
    let compile = |patterns: &[Spanned<String>]| {
        patterns
            .iter()
            .map(|p| Pattern::compile(p, &known_distros))
            .collect::<Result<Vec<_>, _>>()
    };
    let mut families = Vec::with_capacity(file.families.len());
    for spec in &file.families {
        families.push(Family {
            name: spec.name.clone(),
            level: spec.level,
            names: compile(&spec.names)?,
            tags: compile(&spec.tags)?,
            except_tags: compile(&spec.except_tags)?,
        });
    }
    let mut without_shell = Vec::with_capacity(file.without_shell.len());
    for spec in &file.without_shell {
        let mut tags = Vec::with_capacity(spec.tags.len());
        for rule in &spec.tags {
            let stars = rule.from.value.matches('*').count();
            if stars > 1 || rule.to.matches('*').count() > stars {
                return Err(invalid(
                    &rule.from,
                    format!(
                        "`{}` → `{}`: `from` takes one `*` at most, and `to` no more than `from`",
                        rule.from.value, rule.to
                    ),
                ));
            }
            tags.push((rule.from.value.clone(), rule.to.clone()));
        }
        without_shell.push(WithoutShell {
            names: compile(&spec.names)?,
            tags,
        });
    }
    let python = file.toolchains.python.clone();
    Ok(Catalogue {
        lookups: LookupCache::default(),
        docker_hub_mirrors: file.docker_hub_mirrors,
        distros: file.distros,
        images,
        targets,
        go_cgo_off_without_compiler,
        families,
        without_shell,
        removals: file.toolchains.removals.clone(),
        console_scripts: python
            .as_ref()
            .map(|p| p.console_scripts.clone())
            .unwrap_or_default(),
        compiled_packages: python
            .as_ref()
            .map(|p| p.compiled_packages.clone())
            .unwrap_or_default(),
        runtime_defaults: python.map(|p| p.runtime_defaults).unwrap_or_default(),
        glibc_move: file.toolchains.glibc_move.clone().unwrap_or_default(),
        java_output_dirs: file
            .toolchains
            .java
            .map(|j| j.output_dirs)
            .unwrap_or_default(),
        provided_packages: file
            .shared_libraries
            .iter()
            .map(|(name, spec)| (name.clone(), spec.packages.clone()))
            .collect(),
        shared_libraries: file
            .shared_libraries
            .into_iter()
            .map(|(name, spec)| (name, spec.sonames))
            .collect(),
    })
}

/// `tag` renamed by a `without_shell:` rule, if `from` matches it: `*` matches any text,
/// which `to`'s `*` repeats (`debug-*` → `latest-*` makes `debug-arm64` `latest-arm64`).
fn star_rename(from: &str, to: &str, tag: &str) -> Option<String> {
    let Some((before, after)) = from.split_once('*') else {
        return (tag == from).then(|| to.to_string());
    };
    if tag.len() < before.len() + after.len() {
        return None;
    }
    let middle = tag.strip_prefix(before)?.strip_suffix(after)?;
    Some(to.replacen('*', middle, 1))
}

fn invalid(at: &Spanned<String>, message: String) -> CatalogueError {
    CatalogueError::Invalid {
        message,
        line: at.referenced.line(),
        column: at.referenced.column(),
    }
}

/// Compiles an entry's patterns and checks that each of its variants, whatever pattern
/// matches, states the required facts.
fn check_entry(
    spec: ImageSpec,
    distros: &BTreeMap<String, DistroSpec>,
) -> Result<ImageEntry, CatalogueError> {
    let first_name = spec.names.first().cloned();
    let names = spec
        .names
        .iter()
        .map(|name| Pattern::compile(name, distros))
        .collect::<Result<Vec<_>, _>>()?;
    if names.is_empty() || spec.variants.is_empty() {
        let message = "an image entry needs `names` and `variants`".to_owned();
        return Err(match first_name {
            Some(name) => invalid(&name, message),
            None => CatalogueError::Yaml {
                message,
                line: None,
                column: None,
            },
        });
    }
    let mut variants = Vec::with_capacity(spec.variants.len());
    for variant in spec.variants {
        let tags = variant
            .tags
            .iter()
            .map(|tag| Pattern::compile(tag, distros))
            .collect::<Result<Vec<_>, _>>()?;
        for (pattern, written) in tags.iter().zip(&variant.tags) {
            let mut facts = spec.defaults.clone();
            for distro in pattern.distros() {
                facts.overlay(&distros[distro].facts());
            }
            facts.overlay(&variant.facts);
            if let Some(field) = facts.missing_required() {
                let message = format!("this variant leaves `{field}` unsaid");
                return Err(invalid(written, message));
            }
        }
        let versions = match &variant.versions {
            Some(written) => Some(
                VersionConstraint::parse(&written.value)
                    .ok_or_else(|| invalid(written, format!("bad version constraint `{}`: expected an operator (>=, >, <=, <, =) and a version", written.value)))?,
            ),
            None => None,
        };
        variants.push(Variant {
            tags,
            versions,
            source: variant.source,
            facts: variant.facts,
        });
    }
    Ok(ImageEntry {
        names,
        first_name: first_name.map(|n| n.value).unwrap_or_default(),
        source: spec.source,
        version_of: spec.version_of,
        version_parts: spec.version_parts,
        defaults: spec.defaults,
        variants,
    })
}

// ---------------------------------------------------------------------------------------------
// Patterns

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(String),
    /// `*`
    Anything,
    /// `{version}`
    Version,
    /// `{runtime_version}`
    RuntimeVersion,
    /// `{distro_version}`
    DistroVersion,
    /// `{debian}`, `{alpine}`, …
    Distro(String),
}

#[derive(Clone, Debug)]
struct Pattern {
    parts: Vec<Part>,
}

/// What a pattern's placeholders matched.
#[derive(Clone, Debug, Default)]
struct Captures {
    version: Option<String>,
    runtime_version: Option<String>,
    distro_version: Option<String>,
    /// The distro a `{<distro>}` placeholder named, and its version if the text said it.
    distro: Option<(String, Option<String>)>,
}

impl Pattern {
    fn compile(
        written: &Spanned<String>,
        distros: &BTreeMap<String, DistroSpec>,
    ) -> Result<Pattern, CatalogueError> {
        let text = written.value.as_str();
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('*') {
                parts.push(Part::Anything);
                rest = after;
            } else if let Some(after) = rest.strip_prefix('{') {
                let Some((name, after)) = after.split_once('}') else {
                    return Err(invalid(written, format!("`{text}`: a `{{` is not closed")));
                };
                parts.push(match name {
                    "version" => Part::Version,
                    "runtime_version" => Part::RuntimeVersion,
                    "distro_version" => Part::DistroVersion,
                    distro if distros.contains_key(distro) => Part::Distro(distro.to_owned()),
                    other => {
                        let message = format!(
                            "`{text}`: unknown placeholder `{{{other}}}` (expected version, runtime_version, distro_version or a distro name)"
                        );
                        return Err(invalid(written, message));
                    }
                });
                rest = after;
            } else {
                let end = rest.find(['*', '{', '}']).unwrap_or(rest.len());
                if end == 0 {
                    return Err(invalid(written, format!("`{text}`: a `}}` without `{{`")));
                }
                parts.push(Part::Literal(rest[..end].to_owned()));
                rest = &rest[end..];
            }
        }
        Ok(Pattern { parts })
    }

    fn distros(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Distro(name) => Some(name.as_str()),
            _ => None,
        })
    }

    fn matches(&self, text: &str, catalogue: &Catalogue) -> Option<Captures> {
        match_parts(&self.parts, text, &catalogue.distros, Captures::default())
    }
}

/// Backtracking match: placeholders try their longest candidates first, `*` its shortest.
fn match_parts(
    parts: &[Part],
    text: &str,
    distros: &BTreeMap<String, DistroSpec>,
    captures: Captures,
) -> Option<Captures> {
    let Some((part, rest)) = parts.split_first() else {
        return text.is_empty().then_some(captures);
    };
    if let Part::Literal(literal) = part {
        let after = text.strip_prefix(literal.as_str())?;
        return match_parts(rest, after, distros, captures);
    }
    let mut ends: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([text.len()])
        .collect();
    if *part == Part::Anything {
        ends.insert(0, 0);
    } else {
        ends.reverse();
    }
    ends.into_iter().find_map(|end| {
        let candidate = &text[..end];
        let mut captures = captures.clone();
        match part {
            Part::Literal(_) => unreachable!("handled above"),
            Part::Anything => {}
            Part::Version => captures.version = Some(version_text(candidate)?.to_owned()),
            Part::RuntimeVersion => {
                captures.runtime_version = Some(version_text(candidate)?.to_owned());
            }
            Part::DistroVersion => {
                captures.distro_version = Some(dotted_number(candidate)?.to_owned());
            }
            Part::Distro(name) => {
                let spec = &distros[name];
                let version = match spec.codenames.get(candidate) {
                    Some(version) => Some(version.clone()),
                    None => {
                        let prefix = spec.tag_prefix.as_deref()?;
                        let after = candidate.strip_prefix(prefix)?;
                        if after.is_empty() {
                            None
                        } else {
                            Some(dotted_number(after)?.to_owned())
                        }
                    }
                };
                captures.distro = Some((name.clone(), version));
            }
        }
        match_parts(rest, &text[end..], distros, captures)
    })
}

/// `1`, `1.23.4`, `17.0.18_8`: digits and dots, optionally `_` and a build number.
fn version_text(text: &str) -> Option<&str> {
    let (numbers, build) = match text.split_once('_') {
        Some((numbers, build)) => (numbers, Some(build)),
        None => (text, None),
    };
    dotted_number(numbers)?;
    if let Some(build) = build
        && (build.is_empty() || !build.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(text)
}

/// `3`, `3.20`, `24.04`.
fn dotted_number(text: &str) -> Option<&str> {
    let ok = !text.is_empty()
        && text
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    ok.then_some(text)
}

// ---------------------------------------------------------------------------------------------
// Version constraints

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comparison {
    AtLeast,
    Above,
    AtMost,
    Below,
    Exactly,
}

/// `>=1.24`, `<3`, `=8`: compared component by component, over the constraint's
/// components only (`1.23.4` is `<1.24` and `=1.23`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct VersionConstraint {
    comparison: Comparison,
    version: Vec<u64>,
}

impl VersionConstraint {
    fn parse(text: &str) -> Option<VersionConstraint> {
        let text = text.trim();
        let (comparison, version) = [
            (">=", Comparison::AtLeast),
            ("<=", Comparison::AtMost),
            (">", Comparison::Above),
            ("<", Comparison::Below),
            ("=", Comparison::Exactly),
        ]
        .into_iter()
        .find_map(|(op, comparison)| Some((comparison, text.strip_prefix(op)?)))?;
        let version = dotted_number(version.trim())?
            .split('.')
            .map(|part| part.parse().ok())
            .collect::<Option<Vec<u64>>>()?;
        Some(VersionConstraint {
            comparison,
            version,
        })
    }

    /// Whether `version` satisfies the constraint. A tag without a version (`latest`,
    /// `alpine`) is the newest: it satisfies lower bounds only.
    fn allows(&self, version: Option<&str>) -> bool {
        let Some(version) = version else {
            return matches!(self.comparison, Comparison::AtLeast | Comparison::Above);
        };
        let numeric = version.split('_').next().unwrap_or(version);
        let mut components: Vec<u64> = numeric
            .split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect();
        components.resize(self.version.len(), 0);
        let ordering = components.cmp(&self.version);
        match self.comparison {
            Comparison::AtLeast => ordering.is_ge(),
            Comparison::Above => ordering.is_gt(),
            Comparison::AtMost => ordering.is_le(),
            Comparison::Below => ordering.is_lt(),
            Comparison::Exactly => ordering.is_eq(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(reference: &str) -> Option<ImageFacts> {
        let image = ImageRef::parse(reference).unwrap_or_else(|e| panic!("{reference}: {e}"));
        Catalogue::builtin().lookup(&image)
    }

    fn facts(reference: &str) -> ImageFacts {
        lookup(reference).unwrap_or_else(|| panic!("{reference} is not in the catalogue"))
    }

    /// One line per fact that the tests compare: level, distro[ version], libc, runtime
    /// [version], `cc` when a C compiler is present, `sh` when a shell is.
    fn summary(facts: &ImageFacts) -> String {
        let mut parts = vec![facts.level.to_string()];
        if let Some(distro) = &facts.distro {
            match &distro.version {
                Some(version) => parts.push(format!("{} {version}", distro.name)),
                None => parts.push(distro.name.clone()),
            }
        }
        parts.push(
            match facts.libc {
                Libc::Glibc => "glibc",
                Libc::Musl => "musl",
                Libc::Absent => "no-libc",
            }
            .to_owned(),
        );
        if let Some(runtime) = &facts.runtime {
            match &runtime.version {
                Some(version) => parts.push(format!("{} {version}", runtime.name)),
                None => parts.push(runtime.name.clone()),
            }
        }
        if facts.c_compiler {
            parts.push("cc".to_owned());
        }
        if facts.shell {
            parts.push("sh".to_owned());
        }
        parts.join(", ")
    }

    #[test]
    fn builtin_catalogue_parses() {
        let catalogue = Catalogue::builtin();
        assert!(catalogue.images.len() > 30);
        assert!(catalogue.targets().count() > 10);
    }

    #[test]
    fn real_tags_resolve_to_their_facts() {
        let cases = [
            // Distros
            ("debian:bookworm-slim", "full-distro, debian 12, glibc, sh"),
            ("debian:bullseye-slim", "full-distro, debian 11, glibc, sh"),
            ("debian:sid-slim", "full-distro, debian unstable, glibc, sh"),
            ("debian:12-slim", "full-distro, debian 12, glibc, sh"),
            ("debian:12.5", "full-distro, debian 12, glibc, sh"),
            ("debian", "full-distro, debian 13, glibc, sh"),
            (
                "docker.io/debian:bullseye-20260610-slim",
                "full-distro, debian 11, glibc, sh",
            ),
            ("ubuntu:16.04", "full-distro, ubuntu 16.04, glibc, sh"),
            ("ubuntu:jammy", "full-distro, ubuntu 22.04, glibc, sh"),
            (
                "ubuntu:noble-20240801",
                "full-distro, ubuntu 24.04, glibc, sh",
            ),
            ("ubuntu", "full-distro, ubuntu, glibc, sh"),
            (
                "mirror.gcr.io/library/ubuntu:24.04",
                "full-distro, ubuntu 24.04, glibc, sh",
            ),
            ("alpine:3.20", "full-distro, alpine 3.20, musl, sh"),
            ("alpine:3.24.1", "full-distro, alpine 3.24, musl, sh"),
            ("alpine", "full-distro, alpine, musl, sh"),
            ("arm64v8/alpine", "full-distro, alpine, musl, sh"),
            ("fedora:30", "full-distro, fedora 30, glibc, sh"),
            ("rockylinux:8.9", "full-distro, rockylinux 8, glibc, sh"),
            ("centos", "full-distro, centos, glibc, sh"),
            (
                "amazonlinux:2023",
                "full-distro, amazonlinux 2023, glibc, sh",
            ),
            ("busybox", "shell, busybox, glibc, sh"),
            ("busybox:1.36-musl", "shell, busybox, musl, sh"),
            // Other full distros
            (
                "registry.access.redhat.com/ubi9/ubi-minimal",
                "full-distro, rhel 9, glibc, sh",
            ),
            (
                "registry.access.redhat.com/ubi8/ubi:8.10",
                "full-distro, rhel 8, glibc, sh",
            ),
            (
                "opensuse/leap:15.6",
                "full-distro, opensuse 15.6, glibc, sh",
            ),
            ("archlinux:base-devel", "full-distro, arch, glibc, cc, sh"),
            (
                "oraclelinux:9-slim",
                "full-distro, oraclelinux 9, glibc, sh",
            ),
            ("oraclelinux:7", "full-distro, oraclelinux 7, glibc, sh"),
            (
                "mcr.microsoft.com/cbl-mariner/base/core:2.0",
                "full-distro, mariner 2.0, glibc, sh",
            ),
            (
                "mcr.microsoft.com/azurelinux/base/core:3.0",
                "full-distro, azurelinux 3.0, glibc, sh",
            ),
            ("r-base:4.4.1", "full-distro, debian, glibc, cc, sh"),
            (
                "public.ecr.aws/lambda/python:3.12",
                "full-distro, amazonlinux, glibc, sh",
            ),
            (
                "public.ecr.aws/lambda/provided:al2023",
                "full-distro, amazonlinux 2023, glibc, sh",
            ),
            (
                "eclipse-temurin:21-jre-ubi9-minimal",
                "full-distro, rhel 9, glibc, java 21, sh",
            ),
            // Go
            (
                "golang:1.23-bookworm",
                "full-distro, debian 12, glibc, go 1.23, cc, sh",
            ),
            (
                "docker.io/library/golang:1.23.4-bookworm",
                "full-distro, debian 12, glibc, go 1.23, cc, sh",
            ),
            (
                "golang:1.23-alpine",
                "full-distro, alpine, musl, go 1.23, sh",
            ),
            (
                "golang:1.22-alpine3.20",
                "full-distro, alpine 3.20, musl, go 1.22, sh",
            ),
            (
                "golang:1.25",
                "full-distro, debian 13, glibc, go 1.25, cc, sh",
            ),
            (
                "golang:1.24.3",
                "full-distro, debian 13, glibc, go 1.24, cc, sh",
            ),
            (
                "golang:1.23",
                "full-distro, debian 13, glibc, go 1.23, cc, sh",
            ),
            (
                "golang:1.19",
                "full-distro, debian 12, glibc, go 1.19, cc, sh",
            ),
            ("golang:latest", "full-distro, debian 13, glibc, go, cc, sh"),
            ("golang", "full-distro, debian 13, glibc, go, cc, sh"),
            ("golang:alpine", "full-distro, alpine, musl, go, sh"),
            // `1` is the newest 1.x, not Go 1.0.
            ("golang:1", "full-distro, debian 13, glibc, go, cc, sh"),
            (
                "golang:1-buster",
                "full-distro, debian 10, glibc, go 1, cc, sh",
            ),
            (
                "golang:1.26-trixie",
                "full-distro, debian 13, glibc, go 1.26, cc, sh",
            ),
            // Rust
            // A tag without a release: the default of the newest build of that version.
            (
                "rust:1.83",
                "full-distro, debian 12, glibc, rust 1.83, cc, sh",
            ),
            (
                "rust:1.89",
                "full-distro, debian 13, glibc, rust 1.89, cc, sh",
            ),
            (
                "rust:1.71-slim",
                "full-distro, debian 12, glibc, rust 1.71, cc, sh",
            ),
            (
                "rust:1.70.0",
                "full-distro, debian 11, glibc, rust 1.70, cc, sh",
            ),
            (
                "rust:1.54",
                "full-distro, debian 10, glibc, rust 1.54, cc, sh",
            ),
            ("rust:1", "full-distro, debian 13, glibc, rust, cc, sh"),
            ("rust:1-slim", "full-distro, debian 13, glibc, rust, cc, sh"),
            ("rust:latest", "full-distro, debian 13, glibc, rust, cc, sh"),
            (
                "rust:1.83-slim-bookworm",
                "full-distro, debian 12, glibc, rust 1.83, cc, sh",
            ),
            (
                "rust:alpine3.20",
                "full-distro, alpine 3.20, musl, rust, cc, sh",
            ),
            // Python
            (
                "python:3.12-slim-bookworm",
                "full-distro, debian 12, glibc, python 3.12, sh",
            ),
            (
                "python:3.14-slim",
                "full-distro, debian 13, glibc, python 3.14, sh",
            ),
            (
                "python:3.14",
                "full-distro, debian 13, glibc, python 3.14, cc, sh",
            ),
            (
                "python:3.13-alpine",
                "full-distro, alpine, musl, python 3.13, sh",
            ),
            (
                "python:3.13.3-alpine3.20",
                "full-distro, alpine 3.20, musl, python 3.13, sh",
            ),
            ("python:2-alpine", "full-distro, alpine, musl, python 2, sh"),
            (
                "python:3.9-slim",
                "full-distro, debian 13, glibc, python 3.9, sh",
            ),
            (
                "python:2.7-slim",
                "full-distro, debian 10, glibc, python 2.7, sh",
            ),
            ("python", "full-distro, debian 13, glibc, python, cc, sh"),
            (
                "python:3.14-slim@sha256:ce40764625a4ff50df3548277632e7f96c4e77fe75fa848aae9885476e7df5a4",
                "full-distro, debian 13, glibc, python 3.14, sh",
            ),
            // Node
            ("node:20-alpine", "full-distro, alpine, musl, node 20, sh"),
            (
                "node:24-alpine3.22",
                "full-distro, alpine 3.22, musl, node 24, sh",
            ),
            ("node:20-slim", "full-distro, debian 12, glibc, node 20, sh"),
            (
                "node:20-bookworm",
                "full-distro, debian 12, glibc, node 20, cc, sh",
            ),
            (
                "node:17.0.1-bullseye-slim",
                "full-distro, debian 11, glibc, node 17, sh",
            ),
            ("node:lts", "full-distro, debian 13, glibc, node, cc, sh"),
            (
                "node:lts-buster-slim",
                "full-distro, debian 10, glibc, node, sh",
            ),
            // Java
            (
                "eclipse-temurin:21-jre",
                "full-distro, ubuntu, glibc, java 21, sh",
            ),
            (
                "eclipse-temurin:17.0.18_8-jre",
                "full-distro, ubuntu, glibc, java 17, sh",
            ),
            (
                "eclipse-temurin:17.0.18_8-jre-alpine",
                "full-distro, alpine, musl, java 17, sh",
            ),
            (
                "eclipse-temurin:17-jre-focal",
                "full-distro, ubuntu 20.04, glibc, java 17, sh",
            ),
            (
                "eclipse-temurin:21-jdk-noble",
                "full-distro, ubuntu 24.04, glibc, java 21, sh",
            ),
            (
                "eclipse-temurin:8u432-b06-jre",
                "full-distro, ubuntu, glibc, java 8, sh",
            ),
            ("openjdk:8-alpine", "full-distro, alpine, musl, java 8, sh"),
            (
                "openjdk:11.0.16-jre-slim",
                "full-distro, debian, glibc, java 11, sh",
            ),
            ("openjdk:17", "full-distro, oraclelinux, glibc, java 17, sh"),
            (
                "amazoncorretto:21",
                "full-distro, amazonlinux, glibc, java 21, sh",
            ),
            (
                "amazoncorretto:21-al2023",
                "full-distro, amazonlinux 2023, glibc, java 21, sh",
            ),
            (
                "maven:3-openjdk-11-slim",
                "full-distro, debian, glibc, java 11, sh",
            ),
            (
                "maven:3.9-eclipse-temurin-21-alpine",
                "full-distro, alpine, musl, java 21, sh",
            ),
            (
                "gradle:8.5-jdk21",
                "full-distro, ubuntu, glibc, java 21, sh",
            ),
            // .NET
            (
                "mcr.microsoft.com/dotnet/sdk:8.0",
                "full-distro, debian 12, glibc, dotnet-sdk 8.0, sh",
            ),
            (
                "mcr.microsoft.com/dotnet/aspnet:8.0",
                "full-distro, debian 12, glibc, aspnetcore 8.0, sh",
            ),
            (
                "mcr.microsoft.com/dotnet/aspnet:10.0",
                "full-distro, ubuntu 24.04, glibc, aspnetcore 10.0, sh",
            ),
            (
                "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
                "distroless, ubuntu 24.04, glibc, aspnetcore 10.0",
            ),
            (
                // what a self-contained .NET program needs, named as a runtime
                "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra",
                "distroless, ubuntu 24.04, glibc, dotnet-deps 10.0",
            ),
            (
                "mcr.microsoft.com/dotnet/runtime-deps:10.0.0-noble-chiseled@sha256:b857c8cb8d929183cfe4c6dd9994abba92a2639dd2dbaf06005379f815991604",
                "distroless, ubuntu 24.04, glibc, dotnet-deps 10.0",
            ),
            (
                "mcr.microsoft.com/dotnet/runtime:10.0-alpine",
                "full-distro, alpine, musl, dotnet 10.0, sh",
            ),
            (
                "mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0-distroless",
                "distroless, azurelinux 3.0, glibc, aspnetcore 10.0",
            ),
            (
                "mcr.microsoft.com/dotnet/core/aspnet:3.1-buster-slim",
                "full-distro, debian 10, glibc, aspnetcore 3.1, sh",
            ),
            // Other languages and servers
            ("ruby:3.3-slim", "full-distro, debian, glibc, ruby 3.3, sh"),
            ("ruby:alpine", "full-distro, alpine, musl, ruby, sh"),
            (
                "docker.io/library/ruby:4.0.5-alpine3.22@sha256:fae3127404cb61d6897d7eed08e65ec7ccc96ba0542dc7c44712efa9b2ef78f0",
                "full-distro, alpine 3.22, musl, ruby 4.0, sh",
            ),
            ("php:8.3-cli", "full-distro, debian, glibc, php 8.3, sh"),
            (
                "php:7.4-apache-buster",
                "full-distro, debian 10, glibc, php 7.4, sh",
            ),
            (
                "php:8.3-fpm-alpine",
                "full-distro, alpine, musl, php 8.3, sh",
            ),
            ("nginx:1.19.7-alpine", "full-distro, alpine, musl, sh"),
            ("nginx", "full-distro, debian, glibc, sh"),
            ("httpd:2.4", "full-distro, debian, glibc, sh"),
            ("redis:6.2.17", "full-distro, debian, glibc, sh"),
            ("postgres:16-alpine", "full-distro, alpine, musl, sh"),
            (
                "ghcr.io/astral-sh/uv:python3.12-trixie-slim",
                "full-distro, debian 13, glibc, python 3.12, sh",
            ),
            // Minimal images
            ("scratch", "distroless, no-libc"),
            (
                "gcr.io/distroless/static-debian13:nonroot",
                "distroless, debian 13, no-libc",
            ),
            ("gcr.io/distroless/static", "distroless, debian, no-libc"),
            (
                "gcr.io/distroless/base-debian11",
                "distroless, debian 11, glibc",
            ),
            (
                "gcr.io/distroless/cc-debian12",
                "distroless, debian 12, glibc",
            ),
            (
                "gcr.io/distroless/static-debian13:debug",
                "shell, debian 13, no-libc, sh",
            ),
            (
                "gcr.io/distroless/base-debian12:debug-nonroot",
                "shell, debian 12, glibc, sh",
            ),
            (
                "gcr.io/distroless/nodejs22-debian13",
                "distroless, debian 13, glibc, node 22",
            ),
            (
                "gcr.io/distroless/nodejs24-debian13:nonroot@sha256:fbbdda866ea71aef98c4abece17e3d61fbf820cc2ef3961522caa2478716171a",
                "distroless, debian 13, glibc, node 24",
            ),
            (
                "gcr.io/distroless/java21-debian13:nonroot",
                "distroless, debian 13, glibc, java 21",
            ),
            (
                "gcr.io/distroless/python3-debian13",
                "distroless, debian 13, glibc, python 3.13",
            ),
            (
                "gcr.io/distroless/python3-debian12",
                "distroless, debian 12, glibc, python 3.11",
            ),
            (
                "gcr.io/distroless/python3",
                "distroless, debian, glibc, python",
            ),
            (
                "cgr.dev/chainguard/static:latest",
                "distroless, wolfi, no-libc",
            ),
            (
                // the -dev busybox and apk-tools are Wolfi's, linked against glibc
                "cgr.dev/chainguard/static:latest-dev",
                "shell, wolfi, glibc, sh",
            ),
            (
                "cgr.dev/chainguard/node:latest",
                "distroless, wolfi, glibc, node",
            ),
        ];
        let mut failures = Vec::new();
        for (reference, expected) in cases {
            let got = lookup(reference).map(|f| summary(&f));
            if got.as_deref() != Some(expected) {
                failures.push(format!("{reference}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn inherited_defaults_come_with_the_facts() {
        let go = facts("golang:1.23-bookworm");
        assert_eq!(go.workdir.as_deref(), Some("/go"));
        assert_eq!(go.env["GOPATH"], "/go");
        assert!(go.env["PATH"].starts_with("/go/bin:/usr/local/go/bin:"));
        assert_eq!(go.cmd, Some(vec!["bash".to_owned()]));
        assert_eq!(go.package_manager.as_deref(), Some("apt"));

        let node = facts("node:22-bookworm-slim");
        assert_eq!(
            node.entrypoint,
            Some(vec!["docker-entrypoint.sh".to_owned()])
        );
        assert_eq!(node.cmd, Some(vec!["node".to_owned()]));
        assert!(node.script_entrypoint);

        let temurin = facts("eclipse-temurin:21-jre");
        assert_eq!(temurin.env["JAVA_HOME"], "/opt/java/openjdk");
        assert!(temurin.script_entrypoint);
        assert_eq!(temurin.cmd, Some(vec![]));
        assert_eq!(
            facts("eclipse-temurin:21").cmd,
            Some(vec!["jshell".to_owned()])
        );

        let rust = facts("rust:1-slim-bookworm");
        assert_eq!(rust.env["CARGO_HOME"], "/usr/local/cargo");

        let php = facts("php:8.3-apache");
        assert_eq!(php.workdir.as_deref(), Some("/var/www/html"));
        assert_eq!(php.cmd, Some(vec!["apache2-foreground".to_owned()]));

        let nodejs = facts("gcr.io/distroless/nodejs22-debian13:nonroot");
        assert_eq!(nodejs.entrypoint, Some(vec!["/nodejs/bin/node".to_owned()]));
        assert_eq!(nodejs.user.as_deref(), Some("65532"));
        assert!(nodejs.provides.iter().any(|p| p == "libstdc++"));
        assert_eq!(
            facts("gcr.io/distroless/nodejs22-debian13").user.as_deref(),
            Some("root")
        );

        let java = facts("gcr.io/distroless/java21-debian13");
        let java_entrypoint = ["/usr/bin/java", "-jar"].map(str::to_owned).to_vec();
        assert_eq!(java.entrypoint, Some(java_entrypoint));

        let chiseled = facts("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled");
        assert_eq!(chiseled.user.as_deref(), Some("1654"));
        assert_eq!(
            chiseled.entrypoint,
            Some(vec!["/usr/bin/dotnet".to_owned()])
        );
        assert_eq!(chiseled.package_manager, None);

        let users = ["root", "nobody", "nonroot"].map(str::to_owned).to_vec();
        assert_eq!(nodejs.passwd_users, Some(users));
        assert_eq!(go.passwd_users, None);

        // The non-chiseled .NET images keep their distro's CMD.
        let bash = |name: &str| Some(vec![name.to_owned()]);
        assert_eq!(
            facts("mcr.microsoft.com/dotnet/aspnet:8.0").cmd,
            bash("bash")
        );
        assert_eq!(
            facts("mcr.microsoft.com/dotnet/aspnet:10.0").cmd,
            bash("/bin/bash")
        );
        assert_eq!(
            facts("mcr.microsoft.com/dotnet/runtime:9.0-alpine").cmd,
            bash("/bin/sh")
        );
        let deps = facts("mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled");
        assert_eq!((deps.entrypoint, deps.cmd), (Some(vec![]), Some(vec![])));

        let scratch = facts("scratch");
        assert!(scratch.provides.is_empty());
        assert_eq!(scratch.entrypoint, Some(vec![]));
        // openjdk's entry does not state an entrypoint: unknown, not empty.
        assert_eq!(facts("openjdk:17").entrypoint, None);
    }

    #[test]
    fn facts_say_where_they_come_from() {
        for reference in [
            "golang",
            "scratch",
            "gcr.io/distroless/cc-debian13",
            "node:20",
        ] {
            assert!(!facts(reference).source.is_empty(), "{reference}");
        }
    }

    #[test]
    fn unknown_images_and_tags_give_none() {
        for reference in [
            "mycompany/app:1.0",
            "gcr.io/google_appengine/python",
            "golang:onbuild",
            "golang:1.23-windowsservercore-ltsc2022",
            "mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022",
            "python:3.13-rc-weird",
            "scratch:latest",
            "node:twenty",
            "gcr.io/distroless/static-debian13:unknown-tag",
        ] {
            assert_eq!(lookup(reference), None, "{reference}");
        }
    }

    #[test]
    fn digest_without_tag_drops_the_distro_version_the_tag_would_give() {
        let digest = "sha256:3889b425f035be855a72fb4755265311293b6d414521f0a519d819df32222d83";
        let pinned = facts(&format!("golang@{digest}"));
        assert_eq!(
            pinned.distro.map(|d| (d.name, d.version)),
            Some(("debian".to_owned(), None))
        );
        let named = facts(&format!("gcr.io/distroless/static-debian12@{digest}"));
        assert_eq!(named.distro.and_then(|d| d.version).as_deref(), Some("12"));
        let tagged = facts(&format!("golang:1.26.6-alpine@{digest}"));
        assert_eq!(
            tagged.runtime.and_then(|r| r.version).as_deref(),
            Some("1.26")
        );
    }

    fn pick(family: TargetFamily, needs: Needs, min_debian: Option<u32>) -> Option<String> {
        let query = TargetQuery {
            family,
            needs,
            min_debian,
        };
        let (target, _) = Catalogue::builtin().pick_target(&query)?;
        Some(target.image.familiar())
    }

    fn runtime(name: &str, version: &str) -> Needs {
        Needs::Runtime {
            name: name.to_owned(),
            version: version.to_owned(),
        }
    }

    #[test]
    fn picks_the_smallest_target_that_gives_what_is_needed() {
        use TargetFamily::{Chainguard, Distroless, Scratch};
        let cases = [
            (
                Distroless,
                Needs::Static,
                None,
                Some("gcr.io/distroless/static-debian13:nonroot"),
            ),
            (
                Distroless,
                Needs::Glibc,
                Some(12),
                Some("gcr.io/distroless/base-debian13:nonroot"),
            ),
            (
                Distroless,
                Needs::Cc,
                None,
                Some("gcr.io/distroless/cc-debian13:nonroot"),
            ),
            (Distroless, Needs::Cc, Some(14), None),
            (
                Distroless,
                runtime("node", "22"),
                None,
                Some("gcr.io/distroless/nodejs22-debian13:nonroot"),
            ),
            (
                Distroless,
                runtime("node", "26"),
                None,
                Some("gcr.io/distroless/nodejs26-debian13:nonroot"),
            ),
            (Distroless, runtime("node", "18"), None, None),
            (
                Distroless,
                runtime("python", "3.13"),
                None,
                Some("gcr.io/distroless/python3-debian13:nonroot"),
            ),
            (Distroless, runtime("python", "3.10"), None, None),
            (
                Distroless,
                runtime("java", "21"),
                None,
                Some("gcr.io/distroless/java21-debian13:nonroot"),
            ),
            (Distroless, runtime("java", "11"), None, None),
            (
                Distroless,
                runtime("dotnet", "8.0"),
                None,
                Some("mcr.microsoft.com/dotnet/runtime:8.0-noble-chiseled-extra"),
            ),
            (
                Distroless,
                runtime("aspnetcore", "10.0"),
                None,
                Some("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra"),
            ),
            (
                Chainguard,
                Needs::Static,
                None,
                Some("cgr.dev/chainguard/static:latest"),
            ),
            (
                Chainguard,
                Needs::Glibc,
                Some(13),
                Some("cgr.dev/chainguard/glibc-dynamic:latest"),
            ),
            // Chainguard's free tier floats: no version can be promised.
            (Chainguard, runtime("node", "22"), None, None),
            (Scratch, Needs::Static, Some(13), Some("scratch")),
            (Scratch, Needs::Glibc, None, None),
        ];
        for (family, needs, min_debian, expected) in cases {
            let label = format!("{family} {needs:?} {min_debian:?}");
            assert_eq!(
                pick(family, needs, min_debian).as_deref(),
                expected,
                "{label}"
            );
        }
    }

    #[test]
    fn every_builtin_target_resolves_to_a_distroless_image() {
        let catalogue = Catalogue::builtin();
        for target in catalogue.targets() {
            let facts = catalogue
                .lookup(&target.image)
                .unwrap_or_else(|| panic!("{} has no facts", target.image));
            assert_eq!(facts.level, Level::Distroless, "{}", target.image);
            assert!(
                !facts.shell && facts.package_manager.is_none(),
                "{}",
                target.image
            );
        }
    }

    #[test]
    fn user_entries_take_precedence_and_extend() {
        let extra = Catalogue::from_yaml(
            r#"
images:
  - names: [golang]
    source: our build team
    version_of: runtime
    version_parts: 2
    defaults: {level: full-distro, distro: debian, libc: glibc, shell: true, package_manager: apt, c_compiler: false, runtime: go}
    variants:
      - tags: ["{version}-ourbuild"]
  - names: [registry.example.com/base/runtime]
    source: platform docs
    defaults: {level: distroless, libc: glibc, shell: false, package_manager: none, c_compiler: false, provides: [glibc]}
    variants:
      - tags: ["*"]
targets:
  - {image: "registry.example.com/base/runtime:1", family: distroless}
"#,
        )
        .unwrap();
        let merged = Catalogue::builtin().merged(extra);
        let get = |reference: &str| merged.lookup(&ImageRef::parse(reference).unwrap());

        let ours = get("golang:1.23-ourbuild").unwrap();
        assert_eq!(ours.source, "our build team");
        assert!(!ours.c_compiler);
        // Tags the user entry does not describe still come from the built-in entry.
        assert!(get("golang:1.23-bookworm").unwrap().c_compiler);
        assert_eq!(
            get("registry.example.com/base/runtime:7").unwrap().level,
            Level::Distroless
        );

        let query = TargetQuery {
            family: TargetFamily::Distroless,
            needs: Needs::Glibc,
            min_debian: None,
        };
        let (target, _) = merged.pick_target(&query).unwrap();
        assert_eq!(
            target.image.familiar(),
            "registry.example.com/base/runtime:1"
        );
    }

    #[test]
    fn bad_catalogues_are_refused_with_a_position() {
        let cases = [
            // An unknown field, caught by the schema.
            ("images: []\nimagez: []\n", 2),
            // An unknown placeholder.
            (
                r#"images:
  - names: [x]
    source: s
    variants:
      - tags: ["{versoin}"]
"#,
                5,
            ),
            // A variant that leaves a required fact unsaid.
            (
                r#"images:
  - names: [x]
    source: s
    defaults: {level: shell}
    variants:
      - tags: [latest]
"#,
                6,
            ),
            // A constraint without an operator.
            (
                r#"images:
  - names: [x]
    source: s
    defaults: {level: shell, libc: musl, shell: true, package_manager: none, c_compiler: false}
    variants:
      - tags: ["{version}"]
        versions: "1.2"
"#,
                7,
            ),
            // A target that is not an image reference.
            (
                "targets:\n  - {image: \"Bad Ref\", family: distroless}\n",
                2,
            ),
            // An unknown family.
            ("targets:\n  - {image: scratch, family: distro}\n", 2),
            // A tag rule with two `*`.
            (
                "without_shell:\n  - names: [a]\n    source: s\n    tags:\n      - {from: \"*-x-*\", to: \"*\"}\n",
                5,
            ),
        ];
        for (yaml, line) in cases {
            let error = Catalogue::from_yaml(yaml).expect_err(yaml);
            assert_eq!(
                error.position().map(|(l, _)| l),
                Some(line),
                "{yaml}\n{error}"
            );
        }
    }

    #[test]
    fn shell_level_tags_name_their_plain_tag() {
        let plain = |reference: &str| {
            Catalogue::builtin().tag_without_shell(&ImageRef::parse(reference).unwrap())
        };
        let cases = [
            ("gcr.io/distroless/static-debian12:debug", Some("latest")),
            (
                "gcr.io/distroless/base-debian13:debug-nonroot",
                Some("nonroot"),
            ),
            (
                "gcr.io/distroless/cc-debian13:debug-nonroot-arm64",
                Some("nonroot-arm64"),
            ),
            (
                "gcr.io/distroless/java21-debian13:debug-arm64",
                Some("latest-arm64"),
            ),
            ("gcr.io/distroless/static-debian13:debugger", None),
            ("gcr.io/distroless/static-debian13:nonroot", None),
            ("cgr.dev/chainguard/python:latest-dev", Some("latest")),
            ("cgr.dev/chainguard/node:latest", None),
            ("busybox:1.37", None),
        ];
        for (reference, want) in cases {
            assert_eq!(plain(reference).as_deref(), want, "{reference}");
        }
    }

    #[test]
    fn version_constraints() {
        let allows = |constraint: &str, version: Option<&str>| {
            VersionConstraint::parse(constraint)
                .unwrap()
                .allows(version)
        };
        assert!(allows(">=1.24", Some("1.24")));
        assert!(allows(">=1.24", Some("1.24.3")));
        assert!(allows(">=1.24", Some("1.30")));
        assert!(!allows(">=1.24", Some("1.23.9")));
        assert!(allows("<3", Some("2.7")));
        assert!(!allows("<3", Some("3")));
        assert!(allows("=17", Some("17.0.18_8")));
        assert!(allows(">10", Some("11")));
        assert!(allows("<=8", Some("8.0")));
        // No version (`latest`) is the newest: lower bounds only.
        assert!(allows(">=1.24", None));
        assert!(!allows("<1.24", None));
        for bad in ["1.2", ">=", ">=x", "~1"] {
            assert_eq!(VersionConstraint::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn version_texts() {
        for good in ["1", "1.23.4", "17.0.18_8", "20260610"] {
            assert_eq!(version_text(good), Some(good));
        }
        for bad in ["", "v1", "1.", ".1", "1..2", "1_", "1_b2", "1-2"] {
            assert_eq!(version_text(bad), None, "{bad}");
        }
    }
}
