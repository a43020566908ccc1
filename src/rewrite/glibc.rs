//! A build on Alpine moved to glibc. What pip or npm installs on an Alpine image is built
//! for musl, and so is the apphost `dotnet publish` writes there; no distroless image has
//! musl, so such a rewrite declines `musl`. The same install on the glibc image of the same
//! runtime version (Debian's `-slim` for Python and Node, the default Ubuntu tag for .NET)
//! fetches or writes the glibc build instead. When every stage on that runtime family's
//! Alpine images runs only programs that behave alike on both (`toolchains.glibc_move` in
//! the catalogue), those stages move (`python:3.13-alpine` → `python:3.13-slim`,
//! `sdk:10.0-alpine` → `sdk:10.0`) and the rewrite is tried again; the plan warns with both
//! tags.

use crate::analysis::catalogue::{GlibcFamily, GlibcMoveSpec, Libc};
use crate::analysis::copy::CopyArgs;
use crate::analysis::model::Model;
use crate::analysis::retag;
use crate::analysis::shell;
use crate::analysis::stages::{Base, Stage};
use crate::ecosystems::ContextReader;
use crate::ecosystems::build::run_script;
use crate::ecosystems::compiled::walk;
use crate::syntax::{Keyword, line_of};

use super::Edit;

/// The edits that move the final stage's runtime from Alpine to glibc, and the sentence
/// saying so; `None` when the runtime's packages do not move this way (Go, Java), and
/// `Some(Err(why))` when a stage on Alpine runs something that may not behave alike on
/// glibc, or a tag cannot move.
pub(super) fn change(
    model: &Model<'_>,
    context: Option<ContextReader<'_>>,
) -> Option<Result<(Vec<Edit>, String), String>> {
    let catalogue = model.catalogue;
    let spec = catalogue.glibc_move();
    let runtime = model.facts(model.final_stage()?.index)?.runtime.clone()?;
    let family = spec.family(&runtime.name)?;
    let mut edits = Vec::new();
    let mut moved = Vec::new();
    for stage in &model.stages.stages {
        let Some(facts) = model.facts(stage.index) else {
            continue;
        };
        if facts.libc != Libc::Musl {
            continue;
        }
        let image = model
            .root_image(stage.index)
            .map_or_else(|| stage.reference(), |i| i.familiar());
        // Another image on musl (`alpine`, `golang:1.24-alpine`) stays there, and so would
        // what it builds; so would another version of the runtime.
        let same = facts.runtime.as_ref().is_some_and(|r| {
            family.runtimes.contains(&r.name) && r.version.is_some() && r.version == runtime.version
        });
        if !same {
            return Some(Err(format!(
                "the stage on `{image}` stays on musl, and so would what it builds"
            )));
        }
        if let Err(why) = portable(model, stage, spec, family, context) {
            return Some(Err(why));
        }
        // A stage built on such a stage (`FROM deps AS build`) moves with it.
        let Base::Image(image) = &stage.base else {
            continue;
        };
        let word = stage.image_word?;
        if image.digest.is_some() || word.text.contains('$') {
            return Some(Err(format!(
                "`{}` is pinned by digest or named through a variable, so its tag cannot move",
                word.text
            )));
        }
        let Some(new) = retag::on_glibc(catalogue, image, &family.alpine_becomes) else {
            return Some(Err(format!(
                "no glibc tag of `{}` with the same version is known",
                word.text
            )));
        };
        let new_word = format!("{}:{}", word.text.rsplit_once(':')?.0, new.effective_tag()?);
        moved.push(format!("`{}` → `{new_word}`", word.text));
        edits.push(Edit::replace(word.span, new_word));
    }
    if edits.is_empty() {
        return None;
    }
    if let Err(why) = context_pins_musl(&runtime.name, model.src, context) {
        return Some(Err(why));
    }
    Some(Ok((
        edits,
        format!(
            "the build ran on Alpine, for musl, which no distroless image has, so it moves to the glibc image of {} {} ({}), where the same install or publish fetches or writes glibc builds",
            runtime.name,
            runtime.version.as_deref().unwrap_or_default(),
            moved.join(", ")
        ),
    )))
}

/// Whether every `RUN` of `stage` runs only programs that behave alike on the runtime's
/// Alpine and glibc images, with no option that asks for musl's builds, and nothing else
/// makes the stage depend on which it is on; otherwise what does, and its line.
fn portable(
    model: &Model<'_>,
    stage: &Stage<'_>,
    spec: &GlibcMoveSpec,
    family: &GlibcFamily,
    context: Option<ContextReader<'_>>,
) -> Result<(), String> {
    let states = model.states(stage.index);
    let node = family.runtimes.iter().any(|r| r == "node");
    // .NET's images, Alpine's and Ubuntu's, all set APP_UID (1654, the `app` user).
    let dotnet = family.runtimes.iter().any(|r| r.starts_with("dotnet"));
    // Users and groups both images have: a name only Alpine's passwd has (`nobody:nobody`,
    // Debian's group is `nogroup`) fails the build off Alpine.
    let known_owner = |owner: &str| {
        owner.split(':').all(|part| {
            part.chars().all(|c| c.is_ascii_digit())
                || part == "root"
                || (node && part == "node")
                || (dotnet && matches!(part, "$APP_UID" | "${APP_UID}" | "app"))
        }) && !owner.is_empty()
    };
    for (i, instruction) in stage.instructions.iter().enumerate() {
        let line = line_of(model.src, instruction.span.start);
        let not_alike = |what: &str| {
            Err(format!(
                "{what} (line {line}) may not behave alike off Alpine"
            ))
        };
        match instruction.keyword {
            // `SHELL ["/bin/ash", …]`; ONBUILD runs in stages this file does not show.
            Keyword::Shell => return not_alike("`SHELL`"),
            Keyword::Onbuild => return not_alike("`ONBUILD`"),
            Keyword::User => {
                let user = instruction.line_span.slice(model.src).trim();
                let value = user.split_whitespace().nth(1).unwrap_or_default();
                if !known_owner(value) && value != "nobody" {
                    return not_alike(&format!("`USER {value}`"));
                }
            }
            Keyword::Copy | Keyword::Add => {
                let Some(copy) = CopyArgs::read(
                    instruction,
                    &states.before[i],
                    model.tree.escape,
                    &model.stages,
                    stage.index,
                ) else {
                    return not_alike("a `COPY` that cannot be read");
                };
                if let Some(owner) = &copy.chown
                    && !known_owner(owner)
                {
                    return not_alike(&format!("`--chown={owner}`"));
                }
                if copy.from.is_none() {
                    for source in &copy.sources {
                        let Some(source) = source else {
                            return not_alike("a `COPY` source not known statically");
                        };
                        if let Some(what) = built_for_a_libc(source, context) {
                            return not_alike(&format!("`COPY {source}`, which brings {what},"));
                        }
                    }
                }
            }
            Keyword::Run => {
                let Some(commands) = run_script(instruction).and_then(|s| shell::commands(&s))
                else {
                    return not_alike("a `RUN` that cannot be read");
                };
                for command in &commands {
                    let word = command.words.first().map_or("", |w| w.raw.as_str());
                    let Some(name) = command.program_name() else {
                        return not_alike(&format!("`{word}`"));
                    };
                    let bare = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                    if !spec.programs.iter().any(|p| p == bare) {
                        return not_alike(&format!("`{word}`"));
                    }
                    let args: Vec<String> = command
                        .words
                        .iter()
                        .skip(1)
                        .map(|w| w.literal().unwrap_or_else(|| w.raw.clone()))
                        .collect();
                    // An option that picks a platform's builds, or wheels from elsewhere.
                    if let Some(arg) = args.iter().find(|a| pins_platform(a)) {
                        return not_alike(&format!("`{word} … {arg}`"));
                    }
                    if bare == "chown"
                        && let Some(owner) = args.iter().find(|a| !a.starts_with('-'))
                        && !known_owner(owner)
                    {
                        return not_alike(&format!("`chown {owner}`"));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// An option or operand that asks a package manager for one platform's builds, or for
/// packages from somewhere other than its index: pip's `--platform`, `--find-links`,
/// `--only-binary`, a `.whl` file; npm's, yarn's and pnpm's `--libc`, `--os`, `--cpu`;
/// `dotnet publish -r linux-musl-x64`.
fn pins_platform(arg: &str) -> bool {
    const OPTIONS: &[&str] = &[
        "--platform",
        "--find-links",
        "-f",
        "--no-index",
        "--only-binary",
        "--abi",
        "--implementation",
        "--libc",
        "--os",
        "--cpu",
        "--target_libc",
        "--target_platform",
        "--target_arch",
    ];
    let option = arg.split('=').next().unwrap_or(arg);
    OPTIONS.contains(&option) || arg.ends_with(".whl") || arg.contains("musl")
}

/// What a COPY from the build context brings that was made for one libc: wheels, a
/// virtual environment, `node_modules`, or a package manager's settings. Named in the
/// source, or found in the folder it copies (`COPY . .`).
fn built_for_a_libc(source: &str, context: Option<ContextReader<'_>>) -> Option<String> {
    const MADE: &[&str] = &[
        "node_modules",
        ".venv",
        "venv",
        "site-packages",
        "wheels",
        ".npmrc",
        ".yarnrc.yml",
        "pip.conf",
    ];
    let path = source.trim_start_matches("./").trim_end_matches('/');
    let name = path.rsplit('/').next().unwrap_or(path);
    if MADE.contains(&name) || name.ends_with(".whl") {
        return Some(format!("`{name}`"));
    }
    let folder = match path {
        "" | "." => String::new(),
        folder => format!("{folder}/"),
    };
    let entries = context.and_then(|read| read(&folder))?;
    entries
        .lines()
        .map(|e| e.trim_end_matches('/'))
        .find(|e| MADE.contains(e) || e.ends_with(".whl"))
        .map(|e| format!("`{e}`"))
}

/// Files of the build context that pin musl's builds whatever the image: a lockfile
/// written on Alpine (npm lists only the platform's optional packages it was made on),
/// Yarn's `supportedArchitectures`, Prisma's `binaryTargets`, a requirements file with
/// musllinux wheels. Node's packages move only when the context shows its lockfile.
fn context_pins_musl(
    runtime: &str,
    src: &str,
    context: Option<ContextReader<'_>>,
) -> Result<(), String> {
    const NODE_LOCKFILES: &[&str] = &[
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
    ];
    let settings: &[&str] = match runtime {
        "node" => &[
            ".npmrc",
            ".yarnrc.yml",
            "prisma/schema.prisma",
            "schema.prisma",
        ],
        "python" => &["requirements.txt", "pip.conf", "pyproject.toml"],
        _ => &[],
    };
    let lockfiles = if runtime == "node" {
        NODE_LOCKFILES
    } else {
        &[]
    };
    let dotnet = !matches!(runtime, "node" | "python");
    let Some(read) = context else {
        return match runtime {
            "node" => Err("without the build context, its lockfile cannot show that it was not written on Alpine, listing only musl's packages".to_string()),
            // A project file may name a musl runtime identifier, which the command line's
            // `-a`/`-r` overrides.
            _ if dotnet && !rid_given(src) => Err("without the build context, the project file may name a musl runtime identifier (`linux-musl-x64`), which no `-a` or `-r` of `dotnet publish` overrides".to_string()),
            _ => Ok(()),
        };
    };
    if dotnet {
        let mut found = None;
        walk(
            read,
            vec![String::new()],
            |entry| !entry.starts_with('.') && !matches!(entry, "bin/" | "obj/" | "node_modules/"),
            |name| {
                name.ends_with(".csproj")
                    || name.ends_with(".fsproj")
                    || name == "Directory.Build.props"
            },
            |path, text, _| {
                if text.contains("musl") {
                    found = Some(path.to_string());
                }
                found.is_some()
            },
        );
        if let Some(file) = found {
            return Err(format!("`{file}` names a musl runtime identifier"));
        }
    }
    for file in lockfiles.iter().chain(settings) {
        let Some(text) = read(file) else { continue };
        // A lockfile names every platform's build of a package with optional builds per
        // platform: a musl one beside its glibc twin pins nothing, since the install on
        // Debian takes the twin (local-falcon/mcp's lightningcss-linux-x64-musl).
        let musl = if lockfiles.contains(file) {
            unpaired_musl(&text).is_some()
        } else {
            text.contains("musl")
        };
        let pins = musl
            || text.contains("supportedArchitectures")
            || text.contains("binaryTargets")
            || text.contains("--find-links")
            || text.contains(".whl")
            || text.contains("--platform");
        if pins {
            return Err(format!(
                "`{file}` names builds for one platform (musl, or a wheel or platform of its own)"
            ));
        }
    }
    if runtime == "node" {
        let package = read("package.json").unwrap_or_default();
        // npm runs package.json's scripts with `/bin/sh`: BusyBox's ash on Alpine, dash on
        // Debian, which lacks what ash borrowed from bash.
        const BASHISMS: &[&str] = &["source ", "[[", "${", "echo -e", "function ", "$'", "<("];
        if let Some(b) = BASHISMS.iter().find(|b| package.contains(*b)) {
            return Err(format!(
                "package.json's scripts use `{}`, which Debian's /bin/sh (dash) lacks",
                b.trim()
            ));
        }
        // `prisma generate` picks its engine by the libssl it finds, and the slim images of
        // Debian 12 have none: it falls back to OpenSSL 1.1's engine, which the target
        // (OpenSSL 3) does not load (mksotto/ToDo-list-api; nodejs/docker-node#1919).
        if package.contains("\"prisma\"") || package.contains("\"@prisma/client\"") {
            return Err("the project uses Prisma, whose `prisma generate` picks its query engine by the libssl of the build image: the slim image has none, and the engine it falls back to (OpenSSL 1.1) does not load on the target".to_string());
        }
        if NODE_LOCKFILES.iter().all(|f| read(f).is_none()) {
            return Err("no lockfile in the build context shows that the install would take the same packages".to_string());
        }
    }
    Ok(())
}

/// The first name in a Node lockfile of a build for musl whose glibc twin the lockfile
/// lacks: `rollup-linux-x64-musl` beside `rollup-linux-x64-gnu`, sharp's `linuxmusl-x64`
/// beside `linux-x64`. A lockfile written on Alpine by an npm that records only the
/// platform's own optional packages names the musl ones alone. The libc field
/// (`"libc": ["musl"]`) is no name.
fn unpaired_musl(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "@/._-".contains(c)))
        .filter(|word| word.contains("musl") && *word != "musl")
        .find(|word| {
            let twin = word.replace("linuxmusl", "linux").replace("-musl", "-gnu");
            twin == *word || !text.contains(&twin)
        })
}

/// Whether every `dotnet publish`, `build` and `restore` line of the file names its
/// architecture or runtime identifier (`-a $TARGETARCH`, `-r linux-x64`): the SDK then
/// picks the identifier for the image it runs on, whatever the project file says.
fn rid_given(src: &str) -> bool {
    src.lines()
        .filter(|l| {
            ["dotnet publish", "dotnet build", "dotnet restore"]
                .iter()
                .any(|c| l.contains(c))
        })
        .all(|l| {
            l.split_whitespace().any(|w| {
                matches!(w, "-a" | "--arch" | "-r" | "--runtime")
                    || w.starts_with("--arch=")
                    || w.starts_with("--runtime=")
            })
        })
}

#[cfg(test)]
mod tests {
    use super::unpaired_musl;

    #[test]
    fn a_musl_build_beside_its_glibc_twin_pins_nothing() {
        let both = r#""node_modules/@rollup/rollup-linux-x64-gnu": {"cpu": ["x64"], "libc": ["glibc"]},
"node_modules/@rollup/rollup-linux-x64-musl": {"cpu": ["x64"], "libc": ["musl"]},
"node_modules/@img/sharp-linux-x64": {}, "node_modules/@img/sharp-linuxmusl-x64": {}"#;
        assert_eq!(unpaired_musl(both), None);
        let alone = r#""node_modules/@rollup/rollup-linux-x64-musl": {"libc": ["musl"]}"#;
        assert_eq!(
            unpaired_musl(alone),
            Some("node_modules/@rollup/rollup-linux-x64-musl")
        );
        // pnpm's and yarn's spellings.
        assert_eq!(
            unpaired_musl("  '@img/sharp-linuxmusl-arm64@0.33.5':\n    libc: [musl]\n"),
            Some("@img/sharp-linuxmusl-arm64@0.33.5")
        );
        assert_eq!(
            unpaired_musl("some-musl-tool@1.0.0:\n"),
            Some("some-musl-tool@1.0.0")
        );
    }
}
