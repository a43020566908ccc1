//! Phase 2 of a rewrite: the image the new final stage runs on. Forced with `--base`, or
//! picked from the catalogue for what the application needs (static, glibc, the C++
//! runtime, or a language runtime of a version), and the platform it is pinned to.

use crate::analysis::catalogue::{ImageFacts, Needs, TargetFamily, TargetQuery};
use crate::analysis::image_ref::ImageRef;
use crate::analysis::retag;
use crate::ecosystems::Linkage;

use super::*;
use crate::ecosystems::start::App;

impl<'t> Planner<'_, 't> {
    /// The final image: forced with `--base`, or picked from the catalogue.
    pub(super) fn target(&self, app: &App<'t>) -> Result<(ImageRef, ImageFacts), Decline> {
        let catalogue = self.model.catalogue;
        if let Some(base) = &self.options.base {
            let image = ImageRef::parse(base).map_err(|e| {
                Decline::new(
                    DeclineCode::BadBase,
                    format!("--base `{base}` is not an image reference: {e}"),
                )
            })?;
            let facts = catalogue.lookup(&image).ok_or_else(|| {
                Decline::new(
                    DeclineCode::UnknownForcedBase,
                    format!("--base `{base}` is not in the image catalogue, so whether it can run the application is unknown"),
                )
                .help("describe the image in a catalogue file named by the config key `catalogue:`")
            })?;
            if let Some(why) = forced_base_misfit(&app.needs, app.built_on_debian, &facts) {
                return Err(Decline::new(
                    DeclineCode::BaseMismatch,
                    format!("--base `{base}` cannot run this application: {why}"),
                )
                .help("leave out --base to let dfslim pick an image that fits"));
            }
            return Ok((image, facts));
        }
        if self.options.family == TargetFamily::Scratch && app.needs != Needs::Static {
            return Err(Decline::new(
                DeclineCode::ScratchNeedsStatic,
                format!(
                    "`scratch` can only run a static binary, and this application needs {}",
                    describe_needs(&app.needs)
                ),
            )
            .at(from_span(self.stage))
            .help("use --target-family distroless"));
        }
        let query = TargetQuery {
            family: self.options.family,
            needs: app.needs.clone(),
            min_debian: app.built_on_debian,
        };
        match catalogue.pick_target(&query) {
            Some((target, facts)) => {
                match app
                    .interpreter
                    .or(app.launches)
                    .and_then(|e| e.target_misfit(&target.image, &facts))
                {
                    Some(misfit) => Err(misfit.at(from_span(self.stage))),
                    None => Ok((target.image.clone(), facts)),
                }
            }
            None => Err(self.no_target(&app.needs)),
        }
    }

    /// The blocker that stands whatever the command turns out to be: the final image is a
    /// language image (`python:3.10`) whose runtime version no image of the family carries.
    /// Asked only when the command cannot be followed to the application, so that the plan
    /// names this more fundamental blocker first; `None` under `--base`, where the user chose.
    pub(super) fn image_runtime_blocker(&self) -> Option<Decline> {
        if self.options.base.is_some() {
            return None;
        }
        let runtime = self.model.facts(self.stage.index)?.runtime.clone()?;
        // Only the runtimes whose targets are matched by version as the tag gives it: Bun
        // and Deno targets float (`latest`), .NET's apphost has its own rules, and a Go or
        // Rust image's version is its compiler's, which the program does not need.
        let version = match runtime.name.as_str() {
            "python" => crate::ecosystems::python::exact_version(runtime.version)?,
            "node" | "java" => runtime.version?,
            _ => return None,
        };
        let needs = Needs::Runtime {
            name: runtime.name,
            version,
        };
        let query = TargetQuery {
            family: self.options.family,
            needs: needs.clone(),
            min_debian: None,
        };
        if self.model.catalogue.pick_target(&query).is_some() {
            return None;
        }
        Some(self.no_target(&needs))
    }

    /// `no-target`: no image of the family gives what the application needs.
    fn no_target(&self, needs: &Needs) -> Decline {
        Decline::new(
            DeclineCode::NoTarget,
            format!(
                "no {} image carries {}",
                self.options.family,
                describe_needs(needs)
            ),
        )
        .at(from_span(self.stage))
        .help(self.no_target_help(needs))
    }

    /// What leads out of `no-target`: for a runtime, the versions that have an image of the
    /// family and the FROM that moves the application to the nearest newer one (`--base`
    /// would only meet `base-mismatch`); else a family that has one.
    fn no_target_help(&self, needs: &Needs) -> String {
        let catalogue = self.model.catalogue;
        let family = self.options.family;
        let Needs::Runtime { name, version } = needs else {
            return "link the program statically (CGO_ENABLED=0, -static) or use --target-family distroless".to_string();
        };
        // The runtime versions each family has an image for, with that image's Debian.
        let carried = |family: TargetFamily| -> Vec<(String, Option<String>)> {
            let mut found: Vec<_> = catalogue
                .targets()
                .filter(|t| t.family == family)
                .filter_map(|t| {
                    let facts = catalogue.lookup(&t.image)?;
                    let runtime = facts.runtime.filter(|r| r.name == *name)?;
                    let distro = facts.distro.and_then(|d| {
                        let name = runtime_name(&d.name);
                        Some(format!("{name} {}", d.version?))
                    });
                    Some((runtime.version?, distro))
                })
                .collect();
            found.sort_by_key(|(v, _)| version_key(v));
            found.dedup();
            found
        };
        let versions = carried(family);
        if versions.is_empty() {
            let others: Vec<String> = [TargetFamily::Distroless, TargetFamily::Chainguard]
                .into_iter()
                .filter(|f| *f != family && !carried(*f).is_empty())
                .map(|f| format!("--target-family {f}"))
                .collect();
            return match others.first() {
                Some(flag) => format!("no {family} image carries {name}: use {flag}"),
                None => format!(
                    "no target image carries {name}: keep this image, or write the final stage by hand"
                ),
            };
        }
        let on = match versions.first() {
            Some((_, Some(distro)))
                if versions.iter().all(|(_, d)| d.as_deref() == Some(distro)) =>
            {
                format!(" on {distro}")
            }
            _ => String::new(),
        };
        let mut names: Vec<&str> = versions.iter().map(|(v, _)| v.as_str()).collect();
        names.dedup();
        let next = names
            .iter()
            .find(|v| version_key(v) > version_key(version))
            .or(names.last())
            .copied()
            .unwrap_or_default();
        let from = self
            .model
            .root_image(self.stage.index)
            .and_then(|image| retag::with_runtime_version(catalogue, image, version, next))
            .map_or(String::new(), |image| {
                // --allow-version-change makes the same move when the tag starts with the
                // version, as this one does.
                let flag = if self.options.allow_version_change {
                    ""
                } else {
                    ", or pass --allow-version-change"
                };
                format!(" (`FROM {}`){flag}", image.familiar())
            });
        let runtime = runtime_name(name);
        let have = if names.len() == 1 {
            "has one"
        } else {
            "have one"
        };
        format!(
            "{runtime} {version} has no {family} image{on}; {runtime} {} {have}. Move the application to {runtime} {next}{from}",
            names.join(", ")
        )
    }

    /// The platform the final image is pinned to: a fixed `--platform` on its FROM, or the
    /// architecture its image's namespace names (`arm64v8/alpine`). The automatic
    /// `$BUILDPLATFORM`/`$TARGETPLATFORM` pin nothing the new stage must keep.
    pub(super) fn pinned_platform(&self) -> Result<Option<String>, Decline> {
        if let Some(platform) = &self.stage.platform {
            if !platform.contains('$') {
                return Ok(Some(platform.clone()));
            }
            let automatic = ["BUILDPLATFORM", "TARGETPLATFORM"]
                .iter()
                .any(|v| platform == &format!("${v}") || platform == &format!("${{{v}}}"));
            if !automatic {
                return Err(Decline::new(
                    DeclineCode::UnknownPlatform,
                    format!("the final stage's platform `{platform}` is not known statically"),
                )
                .at(self.stage.from.line_span));
            }
            return Ok(None);
        }
        let Some(image) = self.model.root_image(self.stage.index) else {
            return Ok(None);
        };
        if image.registry != "docker.io" {
            return Ok(None);
        }
        let namespace = image.repository.split('/').next().unwrap_or("");
        let platform = match namespace {
            "amd64" => "linux/amd64",
            "arm64v8" => "linux/arm64",
            "arm32v7" => "linux/arm/v7",
            "arm32v6" => "linux/arm/v6",
            "arm32v5" => "linux/arm/v5",
            "i386" => "linux/386",
            "ppc64le" => "linux/ppc64le",
            "s390x" => "linux/s390x",
            "riscv64" => "linux/riscv64",
            "mips64le" => "linux/mips64le",
            _ => return Ok(None),
        };
        Ok(Some(platform.to_string()))
    }
}

pub(super) fn describe_needs(needs: &Needs) -> String {
    match needs {
        Needs::Static => "a static binary".to_string(),
        Needs::Glibc => "a glibc binary".to_string(),
        Needs::Cc => "a binary needing glibc and libgcc/libstdc++".to_string(),
        Needs::Runtime { name, version } => format!("{name} {version}"),
    }
}

/// A runtime's name as people write it.
fn runtime_name(name: &str) -> String {
    match name {
        "node" => "Node".to_string(),
        "aspnetcore" => "ASP.NET Core".to_string(),
        "dotnet" => ".NET".to_string(),
        "dotnet-deps" => ".NET runtime-deps".to_string(),
        _ => {
            let mut chars = name.chars();
            chars
                .next()
                .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        }
    }
}

/// A version as numbers, for ordering (`3.9` before `3.12`).
fn version_key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Why a forced `--base` cannot run the application, if it cannot.
pub(super) fn forced_base_misfit(
    needs: &Needs,
    built_on: Option<u32>,
    facts: &ImageFacts,
) -> Option<String> {
    // What the application needs first, as it is what the user can least change; then the
    // level: the rewrite exists to end on an image without a shell, and one with a shell
    // would only be withdrawn by the self-check after the plan was made.
    needs_misfit(needs, built_on, facts).or_else(|| match facts.level {
        Level::FullDistro => Some(
            "it is a full distro, with a shell and a package manager, and the rewrite must end on an image without a shell".into(),
        ),
        Level::Shell => {
            Some("it has a shell, and the rewrite must end on an image without one".into())
        }
        _ => None,
    })
}

fn needs_misfit(needs: &Needs, built_on: Option<u32>, facts: &ImageFacts) -> Option<String> {
    use crate::analysis::catalogue::Libc;
    let debian = facts
        .distro
        .as_ref()
        .filter(|d| d.name == "debian")
        .and_then(|d| d.version.as_deref()?.parse::<u32>().ok());
    match needs {
        Needs::Static => None,
        Needs::Glibc | Needs::Cc if facts.libc == Libc::Musl => {
            Some("it has musl, and the program is a glibc binary".into())
        }
        Needs::Glibc | Needs::Cc if facts.libc != Libc::Glibc => {
            Some("it has no glibc, and the program is linked against it".into())
        }
        Needs::Cc
            if !facts
                .provides
                .iter()
                .any(|p| p == "libstdc++" || p == "libgcc") =>
        {
            Some("it has no libgcc/libstdc++, which the program needs".into())
        }
        Needs::Glibc | Needs::Cc => match (built_on, debian) {
            (Some(built), Some(debian)) if debian < built => Some(format!(
                "its Debian {debian} glibc is older than that of Debian {built}, where the program was built"
            )),
            _ => None,
        },
        Needs::Runtime { name, version } => {
            let runtime = facts.runtime.as_ref();
            let same_name = runtime
                .is_some_and(|r| r.name == *name || (name == "dotnet" && r.name == "aspnetcore"));
            let same_version = runtime.and_then(|r| r.version.as_deref()) == Some(version.as_str());
            if !(same_name && same_version) {
                return Some(format!("it does not carry {name} {version}"));
            }
            // Native modules (a node-gyp addon, a wheel compiled from source) need the
            // glibc of the release they were built on.
            match (built_on, debian) {
                (Some(built), Some(debian)) if debian < built => Some(format!(
                    "its Debian {debian} glibc is older than that of Debian {built}, where the application's native modules were built"
                )),
                _ => None,
            }
        }
    }
}

/// The stronger of two binary needs; a musl binary fits none.
pub(super) fn stronger(needs: Needs, linkage: Linkage) -> Result<Needs, Linkage> {
    let rank = |n: &Needs| match n {
        Needs::Static => 0,
        Needs::Glibc => 1,
        Needs::Cc => 2,
        Needs::Runtime { .. } => 3,
    };
    let from_linkage = match linkage {
        Linkage::Static => Needs::Static,
        Linkage::Glibc => Needs::Glibc,
        Linkage::GlibcGcc => Needs::Cc,
        Linkage::Musl => return Err(linkage),
    };
    Ok(if rank(&from_linkage) > rank(&needs) {
        from_linkage
    } else {
        needs
    })
}

/// What else the final stage runs than the application.
impl Planner<'_, '_> {
    /// A program the final stage copies from another image (`COPY --from=redis:7.2-alpine
    /// /usr/local/bin/redis-cli …`), which the rewrite would keep: how it links (musl,
    /// glibc, static), and so whether the new image can run it, is not in the file. The
    /// target is chosen for the application alone.
    pub(super) fn check_copied_programs(&self, app: &App<'_>) -> Result<(), Decline> {
        // Only a retargeted stage keeps its COPY lines; a new stage copies the app alone.
        let main_copy = match &app.main {
            crate::ecosystems::start::Provenance::Copied { copy, .. } => copy.line_span,
            _ => return Ok(()),
        };
        let in_bin = |path: &str| {
            path.split('/')
                .any(|part| matches!(part, "bin" | "sbin" | "libexec"))
        };
        for (_, copy, args, _) in self.model.chain_copies(self.stage.index) {
            if copy.line_span == main_copy {
                continue;
            }
            // An image, or a stage that only names one (`FROM redis:7-alpine AS redis`)
            // or installs the program with a package manager (`apk add ffmpeg`): not a
            // build whose output dfslim can follow.
            let from = match &args.from {
                Some(Base::Image(image)) => format!("the image `{image}`"),
                Some(Base::Stage(stage)) => {
                    let build =
                        crate::ecosystems::build::stage_build(self.model, *stage, self.context);
                    let followed = args
                        .sources
                        .iter()
                        .flatten()
                        .all(|source| build.artifact_at(source).is_some());
                    if followed {
                        continue;
                    }
                    let name = self.model.stages.stages[*stage]
                        .name
                        .clone()
                        .unwrap_or_else(|| stage.to_string());
                    format!("the stage `{name}`, whose build does not show how it was made")
                }
                _ => continue,
            };
            let dest = args.dest.as_deref().unwrap_or("");
            let program = args
                .sources
                .iter()
                .flatten()
                .find(|source| in_bin(source) || in_bin(dest));
            if let Some(program) = program {
                return Err(Decline::new(
                    DeclineCode::UnknownArtifact,
                    format!("the final stage copies the program `{program}` from {from}, and the rewrite would keep it: how it links (musl, glibc or static), and so whether the new image can run it, is not in the file"),
                )
                .at(copy.line_span)
                .help("copy it from a build stage that shows how it was built, or drop it if the application does not run it"));
            }
        }
        Ok(())
    }
}
