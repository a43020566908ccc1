//! Other tags of the same image, for advice that a user can paste: the tag that names the
//! Debian release a plain tag leaves to the image's default (`node:20-slim` →
//! `node:20-bookworm-slim`), or the tag of another runtime version (`node:20-bookworm-slim`
//! → `node:22-bookworm-slim`). A tag is only suggested when the catalogue reads it as
//! meaning what the advice says, so the advice never names a tag dfslim would not know.

use crate::analysis::catalogue::{Catalogue, ImageFacts, Libc};
use crate::analysis::image_ref::ImageRef;

/// `image` with its tag replaced, when the catalogue knows the new tag and `fits` its facts.
fn retagged(
    catalogue: &Catalogue,
    image: &ImageRef,
    tag: String,
    fits: impl Fn(&ImageFacts) -> bool,
) -> Option<ImageRef> {
    let candidate = ImageRef {
        tag: Some(tag),
        digest: None,
        ..image.clone()
    };
    catalogue
        .lookup(&candidate)
        .is_some_and(|facts| fits(&facts))
        .then_some(candidate)
}

/// The tag of `image` that names the Debian release `codename`, made by putting
/// `-{codename}` where a part of the tag ends (after the version first: `20-slim` →
/// `20-bookworm-slim`, `3.13-slim` → `3.13-slim-bookworm`), the first the catalogue reads as
/// that release.
pub fn with_release(catalogue: &Catalogue, image: &ImageRef, codename: &str) -> Option<ImageRef> {
    let tag = image.effective_tag().unwrap_or("latest");
    let parts: Vec<&str> = tag.split('-').collect();
    // After the first part (the version, usually), then later ones, then in front.
    let places = (1..=parts.len()).chain(std::iter::once(0));
    places.into_iter().find_map(|at| {
        let mut new: Vec<&str> = parts.clone();
        new.insert(at, codename);
        retagged(catalogue, image, new.join("-"), |facts| {
            facts.distro.as_ref().is_some_and(|d| d.version.is_some())
        })
    })
}

/// The tag of `image` for runtime version `to` instead of `from` (`node:20-bookworm-slim`
/// → `node:22-bookworm-slim`), if the tag starts with `from` and the catalogue reads the new
/// one as that runtime version.
pub fn with_runtime_version(
    catalogue: &Catalogue,
    image: &ImageRef,
    from: &str,
    to: &str,
) -> Option<ImageRef> {
    let rest = image.effective_tag()?.strip_prefix(from)?;
    retagged(catalogue, image, format!("{to}{rest}"), |facts| {
        facts
            .runtime
            .as_ref()
            .and_then(|r| r.version.as_deref())
            .is_some_and(|v| v == to || v.starts_with(&format!("{to}.")))
    })
}

/// The tag of `image` for the same runtime version on glibc instead of Alpine: its Alpine
/// part (`alpine`, `alpine3.20`) replaced by `becomes` (`slim`: `python:3.13-alpine` →
/// `python:3.13-slim`, `node:22-alpine3.20` → `node:22-slim`) or dropped (`sdk:10.0-alpine`
/// → `sdk:10.0`), if the catalogue reads the new tag as that runtime version on glibc.
pub fn on_glibc(catalogue: &Catalogue, image: &ImageRef, becomes: &str) -> Option<ImageRef> {
    let runtime = catalogue.lookup(image)?.runtime?;
    runtime.version.as_ref()?;
    let tag = image.effective_tag()?;
    let parts: Vec<&str> = tag.split('-').collect();
    let at = parts.iter().position(|p| p.starts_with("alpine"))?;
    let mut new = parts.clone();
    if becomes.is_empty() {
        new.remove(at);
    } else {
        new[at] = becomes;
    }
    new.dedup();
    if new.is_empty() {
        return None;
    }
    retagged(catalogue, image, new.join("-"), |facts| {
        facts.libc == Libc::Glibc && facts.runtime.as_ref() == Some(&runtime)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(text: &str) -> ImageRef {
        ImageRef::parse(text).unwrap()
    }

    #[test]
    fn a_plain_tag_gets_the_release_where_its_family_puts_it() {
        let catalogue = Catalogue::builtin();
        let node = with_release(catalogue, &image("node:20-slim"), "bookworm").unwrap();
        assert_eq!(node.familiar(), "node:20-bookworm-slim");
        let golang = with_release(catalogue, &image("golang:1.22"), "trixie").unwrap();
        assert_eq!(golang.familiar(), "golang:1.22-trixie");
    }

    #[test]
    fn another_runtime_version_keeps_the_rest_of_the_tag() {
        let catalogue = Catalogue::builtin();
        let node =
            with_runtime_version(catalogue, &image("node:20-bookworm-slim"), "20", "22").unwrap();
        assert_eq!(node.familiar(), "node:22-bookworm-slim");
        assert!(with_runtime_version(catalogue, &image("node:lts"), "20", "22").is_none());
    }

    #[test]
    fn an_alpine_tag_moves_to_the_same_version_on_debian() {
        let catalogue = Catalogue::builtin();
        let moved = |text: &str| on_glibc(catalogue, &image(text), "slim").map(|i| i.familiar());
        assert_eq!(
            moved("python:3.13-alpine").as_deref(),
            Some("python:3.13-slim")
        );
        assert_eq!(
            moved("python:3.13.5-alpine3.22").as_deref(),
            Some("python:3.13.5-slim")
        );
        assert_eq!(moved("node:22-alpine3.20").as_deref(), Some("node:22-slim"));
        assert_eq!(
            moved("node:22.11.0-alpine").as_deref(),
            Some("node:22.11.0-slim")
        );
        // No version to keep, or no Alpine part to replace.
        assert_eq!(moved("node:alpine"), None);
        assert_eq!(moved("node:22-slim"), None);
        assert_eq!(moved("alpine:3.20"), None);
        let dropped = |text: &str| on_glibc(catalogue, &image(text), "").map(|i| i.familiar());
        assert_eq!(
            dropped("mcr.microsoft.com/dotnet/sdk:10.0-alpine").as_deref(),
            Some("mcr.microsoft.com/dotnet/sdk:10.0")
        );
    }
}
