//! A build on Alpine moved to Debian. What pip or npm installs on an Alpine image is built
//! for musl, which no distroless image has, so such a rewrite declines `musl`; the same
//! install on the Debian image of the same runtime version fetches the glibc build of each
//! package instead. When every stage on that runtime's Alpine image runs only programs that
//! behave alike on both images (`toolchains.glibc_move` in the catalogue), those stages move
//! to the Debian tag (`python:3.13-alpine` → `python:3.13-slim`) and the rewrite is tried
//! again; the plan warns with both tags.

use crate::analysis::catalogue::{GlibcMoveSpec, Libc};
use crate::analysis::model::Model;
use crate::analysis::retag;
use crate::analysis::shell;
use crate::analysis::stages::{Base, Stage};
use crate::ecosystems::build::run_script;
use crate::syntax::{Keyword, line_of};

use super::Edit;

/// The edits that move the final stage's runtime from Alpine to Debian, and the sentence
/// saying so; `None` when the runtime's packages do not move this way (Go, Java), and
/// `Some(Err(why))` when a stage on Alpine runs something that may not behave alike on
/// Debian, or a tag cannot move.
pub(super) fn change(model: &Model<'_>) -> Option<Result<(Vec<Edit>, String), String>> {
    let catalogue = model.catalogue;
    let spec = catalogue.glibc_move();
    let runtime = model.facts(model.final_stage()?.index)?.runtime.clone()?;
    if !spec.runtimes.contains(&runtime.name) {
        return None;
    }
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
        // what it builds.
        if facts.runtime.as_ref() != Some(&runtime) {
            return Some(Err(format!(
                "the stage on `{image}` stays on musl, and so would what it builds"
            )));
        }
        if let Err(why) = portable(model, stage, spec) {
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
        let Some(new) = retag::on_glibc(catalogue, image) else {
            return Some(Err(format!(
                "no Debian tag of `{}` with the same version is known",
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
    Some(Ok((
        edits,
        format!(
            "the packages were installed on Alpine, for musl, which no distroless image has, so the build moves to the Debian image of {} {} ({}), where the same install fetches their glibc builds",
            runtime.name,
            runtime.version.as_deref().unwrap_or_default(),
            moved.join(", ")
        ),
    )))
}

/// Whether every `RUN` of `stage` runs only programs that behave alike on the runtime's
/// Alpine and Debian images, and nothing else makes the stage depend on which it is on;
/// otherwise what does, and its line.
fn portable(model: &Model<'_>, stage: &Stage<'_>, spec: &GlibcMoveSpec) -> Result<(), String> {
    for instruction in &stage.instructions {
        let line = line_of(model.src, instruction.span.start);
        let not_alike = |what: &str| {
            Err(format!(
                "{what} (line {line}) may not behave alike on Debian"
            ))
        };
        match instruction.keyword {
            // `SHELL ["/bin/ash", …]`; ONBUILD runs in stages this file does not show.
            Keyword::Shell => return not_alike("`SHELL`"),
            Keyword::Onbuild => return not_alike("`ONBUILD`"),
            Keyword::Run => {
                let Some(commands) = run_script(instruction).and_then(|s| shell::commands(&s))
                else {
                    return not_alike("a `RUN` that cannot be read");
                };
                for command in &commands {
                    let known = command.program_name().is_some_and(|name| {
                        let bare = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                        spec.programs.iter().any(|p| p == bare)
                    });
                    if !known {
                        let word = command.words.first().map_or("", |w| w.raw.as_str());
                        return not_alike(&format!("`{}`", word));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}
