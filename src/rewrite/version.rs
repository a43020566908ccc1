//! `--allow-version-change`: when no target image carries the application's runtime version
//! (Python 3.14, Node 20, Java 11), the images of that runtime move to the nearest version
//! one does carry (a newer one first), so that what the build installs is made for the
//! target's runtime. Only tags that start with the version move (`python:3.14-slim` →
//! `python:3.13-slim`); a digest, a variable or a version elsewhere in the tag leaves the
//! rewrite declined. The user asked for it, and the plan warns with both versions.

use crate::analysis::catalogue::TargetFamily;
use crate::analysis::model::Model;
use crate::analysis::stages::Base;

use super::Edit;

/// The edits that move the runtime of the final stage's image to the nearest version a
/// target of `family` carries, and the sentence saying so; `None` when there is none, or
/// when a tag cannot be moved.
pub(super) fn change(model: &Model<'_>, family: TargetFamily) -> Option<(Vec<Edit>, String)> {
    let stage = model.final_stage()?;
    let runtime = model.facts(stage.index)?.runtime.clone()?;
    let current = runtime.version.clone()?;
    let catalogue = model.catalogue;
    let offered: Vec<String> = catalogue
        .targets()
        .filter(|t| t.family == family)
        .filter_map(|t| catalogue.lookup(&t.image)?.runtime)
        .filter(|r| r.name == runtime.name)
        .filter_map(|r| r.version)
        .collect();
    let number = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let now = number(&current);
    let newer = offered
        .iter()
        .filter(|v| number(v) > now)
        .min_by_key(|v| number(v));
    let older = offered
        .iter()
        .filter(|v| number(v) < now)
        .max_by_key(|v| number(v));
    let chosen = newer.or(older)?.clone();
    let mut edits = Vec::new();
    let mut moved = Vec::new();
    for other in &model.stages.stages {
        let Base::Image(image) = &other.base else {
            continue;
        };
        let Some(facts) = catalogue.lookup(image) else {
            continue;
        };
        let same = facts
            .runtime
            .is_some_and(|r| r.name == runtime.name && r.version.as_deref() == Some(&current));
        if !same {
            continue;
        }
        let word = other.image_word?;
        let tag = image.tag.as_deref()?;
        if image.digest.is_some() || word.text.contains('$') {
            return None;
        }
        let written = tag.split(['-', '_']).next().unwrap_or(tag);
        if number(written)[..now.len().min(number(written).len())] != now[..] {
            return None;
        }
        let new_tag = format!("{chosen}{}", &tag[written.len()..]);
        let new_word = format!("{}:{new_tag}", word.text.rsplit_once(':')?.0);
        moved.push(format!("`{}` → `{new_word}`", word.text));
        edits.push(Edit::replace(word.span, new_word));
    }
    if edits.is_empty() {
        return None;
    }
    Some((
        edits,
        format!(
            "no image carries {} {current}, so the build moves to {} {chosen} ({}); check that the application runs on {chosen}",
            runtime.name,
            runtime.name,
            moved.join(", ")
        ),
    ))
}
