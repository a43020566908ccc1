//! Phase 2's evidence from CI jobs that run inside the image the project builds: a GitLab
//! job whose `image:` is the one an earlier job built (`docker build -t
//! $CI_REGISTRY_IMAGE .`, then `image: $CI_REGISTRY_IMAGE` with a `script:`), or a GitHub
//! Actions job whose `container:` is. The runner executes the job's script with a shell
//! inside that image; the new image has none, so the job would fail where it passed.
//!
//! The image is matched as written, without its tag (`$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA`
//! is `$CI_REGISTRY_IMAGE`), against the names the same file builds.

use serde_json::Value;

use super::Planner;
use super::deploy::HERE;
use crate::ecosystems::build::ContextReader;
use crate::ecosystems::compiled::folder_entries;
use crate::ecosystems::decline::Decline;

/// GitLab's top-level keys that are not jobs.
const GITLAB_KEYWORDS: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
];

impl Planner<'_, '_> {
    /// Declines when a CI job runs its script inside the image its pipeline builds.
    pub(super) fn check_ci_jobs(&self) -> Result<(), Decline> {
        let Some(read) = self.context else {
            return Ok(());
        };
        match job_in_built_image(read) {
            Some(why) => Err(self.runs_in_container(
                why,
                "run the job in the full image (a `target` that keeps a shell), or in another image",
            )),
            None => Ok(()),
        }
    }
}

/// The first CI job, in the context's folder or the two above it, that runs a script in
/// an image its file builds, with where and why.
pub(super) fn job_in_built_image(read: ContextReader<'_>) -> Option<String> {
    for up in [HERE, "../", "../../"] {
        let gitlab = format!("{up}.gitlab-ci.yml");
        if let Some(text) = read(&gitlab)
            && let Some(why) = gitlab_job(&text)
        {
            return Some(format!("{}: {why}", gitlab.trim_start_matches(HERE)));
        }
        let workflows = format!("{up}.github/workflows/");
        for entry in folder_entries(read, &workflows).into_iter().take(50) {
            if !(entry.ends_with(".yml") || entry.ends_with(".yaml")) {
                continue;
            }
            let file = format!("{workflows}{entry}");
            if let Some(text) = read(&file)
                && let Some(why) = github_job(&text)
            {
                return Some(format!("{}: {why}", file.trim_start_matches(HERE)));
            }
        }
    }
    None
}

/// A GitLab job with a `script` whose image (its own, or the file's default) is one the
/// file builds.
fn gitlab_job(text: &str) -> Option<String> {
    let built = built_tags(text);
    if built.is_empty() {
        return None;
    }
    let doc: Value = serde_saphyr::from_str(text).ok()?;
    let jobs = doc.as_object()?;
    let default_image = jobs
        .get("default")
        .and_then(|d| d.get("image"))
        .or_else(|| jobs.get("image"))
        .and_then(image_name);
    jobs.iter()
        .filter(|(name, job)| {
            !GITLAB_KEYWORDS.contains(&name.as_str())
                && !name.starts_with('.')
                && job.get("script").is_some()
        })
        .find_map(|(name, job)| {
            let image = job
                .get("image")
                .and_then(image_name)
                .or_else(|| default_image.clone())?;
            built.contains(&without_tag(&image)).then(|| {
                format!("the job `{name}` runs its script with a shell inside `{image}`, the image the pipeline builds; the new image has no shell")
            })
        })
}

/// A GitHub Actions job whose `container` is an image the workflow builds: its `run`
/// steps execute with a shell inside it.
fn github_job(text: &str) -> Option<String> {
    let built = built_tags(text);
    if built.is_empty() {
        return None;
    }
    let doc: Value = serde_saphyr::from_str(text).ok()?;
    doc.get("jobs")?.as_object()?.iter().find_map(|(name, job)| {
        let image = job.get("container").and_then(image_name)?;
        built.contains(&without_tag(&image)).then(|| {
            format!("the job `{name}` runs its steps with a shell inside its container `{image}`, the image the workflow builds; the new image has no shell")
        })
    })
}

/// An image as a CI file names it: `image: NAME`, or `image: {name: NAME}` (GitLab) and
/// `container: {image: NAME}` (GitHub).
fn image_name(value: &Value) -> Option<String> {
    match value {
        Value::String(name) => Some(name.clone()),
        Value::Object(map) => map
            .get("name")
            .or_else(|| map.get("image"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// The images a CI file builds, as written and without their tags: `docker build -t
/// NAME`, `--tag NAME`, buildah's and podman's, Kaniko's `--destination NAME`, and the
/// build-push action's `tags:`.
fn built_tags(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    let builds = text.contains(" build") || text.contains(" bud") || text.contains("kaniko");
    if !builds {
        return Vec::new();
    }
    let mut tags = Vec::new();
    for pair in words.windows(2) {
        let value = match pair[0] {
            "-t" | "--tag" | "--destination" | "tags:" => pair[1],
            word => match word.split_once('=') {
                Some(("--tag" | "--destination" | "-t", value)) => value,
                _ => continue,
            },
        };
        if !value.is_empty() && !value.starts_with('-') {
            tags.push(without_tag(value));
        }
    }
    tags.sort();
    tags.dedup();
    tags
}

/// An image name without its tag or digest: `$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA` →
/// `$CI_REGISTRY_IMAGE`, `registry:5000/app:1` → `registry:5000/app`.
fn without_tag(image: &str) -> String {
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rfind('/').map_or(0, |at| at + 1);
    match image[last..].find(':') {
        Some(colon) => image[..last + colon].to_string(),
        None => image.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitlab_jobs_in_the_built_image() {
        let text = "build:\n  image: docker:27\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .\n    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\ntest:\n  image: $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\n  script:\n    - /app/app --selftest\n";
        assert!(gitlab_job(text).unwrap().contains("`test`"));
        let other = text.replace(
            "image: $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\n",
            "image: golang:1.23\n",
        );
        assert_eq!(gitlab_job(&other), None);
    }

    #[test]
    fn github_jobs_in_the_built_container() {
        let text = "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t ghcr.io/acme/tool:latest .\n  check:\n    runs-on: ubuntu-latest\n    container: ghcr.io/acme/tool:latest\n    steps:\n      - run: tool --version\n";
        assert!(github_job(text).unwrap().contains("`check`"));
        assert_eq!(without_tag("registry:5000/app:1"), "registry:5000/app");
    }
}
