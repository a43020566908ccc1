//! Image references (`golang:1.23-bookworm`, `gcr.io/distroless/static-debian13:nonroot`,
//! `python@sha256:…`) parsed and normalised as Docker does.
//!
//! The grammar is the distribution project's reference grammar, restated as nom parsers; the
//! normalisation is `ParseNormalizedNamed`'s: a first path component is a registry only when it
//! holds a `.` or a `:`, is `localhost`, or has upper-case letters; otherwise the registry is
//! `docker.io`, and a single-component Docker Hub name gets `library/`. This module knows
//! nothing about what an image contains: that is the catalogue's business.

use std::fmt;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1, satisfy};
use nom::combinator::{all_consuming, opt, recognize};
use nom::multi::{many0, separated_list1};
use nom::sequence::{delimited, pair, preceded};
use nom::{IResult, Parser};

/// The registry Docker uses when a reference names none.
pub const DOCKER_HUB: &str = "docker.io";
/// The older spelling of Docker Hub's registry, normalised to [`DOCKER_HUB`].
const LEGACY_DOCKER_HUB: &str = "index.docker.io";
/// The namespace of Docker Hub's official images (`golang` is `library/golang`).
const OFFICIAL_NAMESPACE: &str = "library/";
/// Longest repository name (registry and path) the distribution grammar accepts.
const MAX_NAME_LEN: usize = 255;

/// A normalised image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// The registry host, with its port if one was given: `docker.io`, `gcr.io`,
    /// `localhost:5000`.
    pub registry: String,
    /// The path inside the registry: `library/golang`, `distroless/static-debian13`.
    pub repository: String,
    /// The tag as written, if any (`None` means Docker's `latest`).
    pub tag: Option<String>,
    /// The digest as written (`sha256:…`), if any.
    pub digest: Option<String>,
}

/// Why a string is not an image reference.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefError {
    #[error("an image reference cannot be empty")]
    Empty,
    #[error("invalid reference format: `{0}`")]
    InvalidFormat(String),
    #[error("invalid reference format: repository name `{0}` must be lowercase")]
    Uppercase(String),
    #[error("invalid reference format: repository name must not be more than 255 characters")]
    NameTooLong,
    #[error("invalid reference format: `{0}` is a 64-character image ID, not a reference")]
    ImageId(String),
    #[error("invalid digest `{0}`")]
    InvalidDigest(String),
}

impl ImageRef {
    /// Parses and normalises `reference` (`golang`, `docker.io/library/golang:1.23`,
    /// `localhost:5000/app@sha256:…`).
    pub fn parse(reference: &str) -> Result<ImageRef, ImageRefError> {
        if reference.is_empty() {
            return Err(ImageRefError::Empty);
        }
        // `docker pull 0123…` with a full image ID is refused the same way.
        if reference.len() == 64 && reference.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ImageRefError::ImageId(reference.to_owned()));
        }
        let (registry, remainder) = split_registry(reference);
        let remote_name = remainder.split(':').next().unwrap_or_default();
        if remote_name.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(ImageRefError::Uppercase(remote_name.to_owned()));
        }
        let invalid = || ImageRefError::InvalidFormat(reference.to_owned());
        all_consuming(registry_host)
            .parse(registry.as_str())
            .map_err(|_| invalid())?;
        let (_, (repository, tag, digest)) = all_consuming((
            path,
            opt(preceded(char(':'), tag_name)),
            opt(preceded(char('@'), digest)),
        ))
        .parse(remainder.as_str())
        .map_err(|_| invalid())?;
        if registry.len() + 1 + repository.len() > MAX_NAME_LEN {
            return Err(ImageRefError::NameTooLong);
        }
        if let Some(digest) = digest {
            check_digest_length(digest)?;
        }
        Ok(ImageRef {
            registry,
            repository: repository.to_owned(),
            tag: tag.map(str::to_owned),
            digest: digest.map(str::to_owned),
        })
    }

    /// The repository as people write it: without `docker.io/` and without `library/` for
    /// official images (`golang`, `bitnami/redis`, `gcr.io/distroless/static-debian13`).
    pub fn name(&self) -> String {
        if self.registry != DOCKER_HUB {
            return format!("{}/{}", self.registry, self.repository);
        }
        match self.repository.strip_prefix(OFFICIAL_NAMESPACE) {
            Some(official) if !official.contains('/') => official.to_owned(),
            _ => self.repository.clone(),
        }
    }

    /// The reference as people write it: [`ImageRef::name`] with its tag and digest
    /// (`golang:1.23-bookworm`, `gcr.io/distroless/static-debian13:nonroot`).
    pub fn familiar(&self) -> String {
        let mut familiar = self.name();
        self.push_tag_and_digest(&mut familiar);
        familiar
    }

    /// The tag Docker pulls: the written one, or `latest` when there is neither tag nor
    /// digest. A digest without a tag names no tag, so this is `None` then.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// Whether this is BuildKit's empty image. Only the bare word `scratch` is: a tag or a
    /// digest would make BuildKit try to pull an image of that name.
    pub fn is_scratch(&self) -> bool {
        self.registry == DOCKER_HUB
            && self.repository == "library/scratch"
            && self.tag.is_none()
            && self.digest.is_none()
    }

    fn push_tag_and_digest(&self, out: &mut String) {
        if let Some(tag) = &self.tag {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
    }
}

/// The fully normalised form: `docker.io/library/golang:1.23`.
impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut full = format!("{}/{}", self.registry, self.repository);
        self.push_tag_and_digest(&mut full);
        f.write_str(&full)
    }
}

impl std::str::FromStr for ImageRef {
    type Err = ImageRefError;

    fn from_str(reference: &str) -> Result<Self, Self::Err> {
        ImageRef::parse(reference)
    }
}

/// Docker's `splitDockerDomain`: the registry and the rest of the reference.
fn split_registry(reference: &str) -> (String, String) {
    let (mut registry, mut remainder) = match reference.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (first.to_owned(), rest.to_owned())
        }
        _ => (DOCKER_HUB.to_owned(), reference.to_owned()),
    };
    if registry == LEGACY_DOCKER_HUB {
        registry = DOCKER_HUB.to_owned();
    }
    if registry == DOCKER_HUB && !remainder.contains('/') {
        remainder.insert_str(0, OFFICIAL_NAMESPACE);
    }
    (registry, remainder)
}

/// `host[:port]`, the host a DNS name, or an IPv6 address in brackets.
fn registry_host(input: &str) -> IResult<&str, &str> {
    let ipv6 = recognize(delimited(
        char('['),
        take_while1(|c: char| c.is_ascii_hexdigit() || c == ':'),
        char(']'),
    ));
    let dns_name = recognize(separated_list1(char('.'), domain_component));
    recognize(pair(alt((ipv6, dns_name)), opt(pair(char(':'), digit1)))).parse(input)
}

/// `[a-zA-Z0-9]` or `[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn domain_component(input: &str) -> IResult<&str, &str> {
    let (rest, component) = take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-')(input)?;
    if component.starts_with('-') || component.ends_with('-') {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, component))
}

/// Path components (`[a-z0-9]+` joined by `.`, `_`, `__` or dashes) separated by `/`.
fn path(input: &str) -> IResult<&str, &str> {
    let alphanumeric = || take_while1(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    let separator = alt((tag("__"), tag("_"), tag("."), take_while1(|c| c == '-')));
    let component = recognize(pair(alphanumeric(), many0(pair(separator, alphanumeric()))));
    recognize(separated_list1(char('/'), component)).parse(input)
}

/// `[\w][\w.-]{0,127}`.
fn tag_name(input: &str) -> IResult<&str, &str> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    recognize(pair(
        satisfy(word),
        take_while_m_n(0, 127, move |c: char| word(c) || c == '.' || c == '-'),
    ))
    .parse(input)
}

/// `algorithm:hex`, the algorithm components joined by `+ . - _`, at least 32 hex digits.
fn digest(input: &str) -> IResult<&str, &str> {
    let component = || {
        recognize(pair(
            satisfy(|c| c.is_ascii_alphabetic()),
            nom::bytes::complete::take_while(|c: char| c.is_ascii_alphanumeric()),
        ))
    };
    let algorithm = recognize(pair(
        component(),
        many0(pair(satisfy(|c| "+.-_".contains(c)), component())),
    ));
    let hex = take_while_m_n(32, usize::MAX, |c: char| c.is_ascii_hexdigit());
    recognize((algorithm, char(':'), hex)).parse(input)
}

/// The registered algorithms have a fixed length and lower-case hex (`go-digest`'s check).
fn check_digest_length(digest: &str) -> Result<(), ImageRefError> {
    let (algorithm, hex) = digest.split_once(':').unwrap_or_default();
    let expected_len = match algorithm {
        "sha256" => Some(64),
        "sha384" => Some(96),
        "sha512" => Some(128),
        _ => None,
    };
    let lowercase = hex.bytes().all(|b| !b.is_ascii_uppercase());
    match expected_len {
        Some(len) if hex.len() != len || !lowercase => {
            Err(ImageRefError::InvalidDigest(digest.to_owned()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "sha256:28bd5fe8b56d1bd048e5babf5b10710ebe0bae67db86916198a6eec434943f8b";

    fn parsed(reference: &str) -> ImageRef {
        ImageRef::parse(reference).unwrap_or_else(|e| panic!("{reference}: {e}"))
    }

    #[test]
    fn normalises_real_references() {
        // (as written, full form, familiar form, name)
        let cases = [
            ("golang", "docker.io/library/golang", "golang", "golang"),
            (
                "golang:1.23-bookworm",
                "docker.io/library/golang:1.23-bookworm",
                "golang:1.23-bookworm",
                "golang",
            ),
            (
                "docker.io/library/golang:1.23.4-bookworm",
                "docker.io/library/golang:1.23.4-bookworm",
                "golang:1.23.4-bookworm",
                "golang",
            ),
            (
                "index.docker.io/library/alpine:3.20",
                "docker.io/library/alpine:3.20",
                "alpine:3.20",
                "alpine",
            ),
            (
                "docker.io/alpine",
                "docker.io/library/alpine",
                "alpine",
                "alpine",
            ),
            (
                "bitnami/redis:7.2",
                "docker.io/bitnami/redis:7.2",
                "bitnami/redis:7.2",
                "bitnami/redis",
            ),
            (
                "docker.io/nginxinc/nginx-unprivileged:1.29.3-alpine3.22-otel",
                "docker.io/nginxinc/nginx-unprivileged:1.29.3-alpine3.22-otel",
                "nginxinc/nginx-unprivileged:1.29.3-alpine3.22-otel",
                "nginxinc/nginx-unprivileged",
            ),
            (
                "gcr.io/distroless/static-debian13:nonroot",
                "gcr.io/distroless/static-debian13:nonroot",
                "gcr.io/distroless/static-debian13:nonroot",
                "gcr.io/distroless/static-debian13",
            ),
            (
                "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled",
                "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled",
                "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled",
                "mcr.microsoft.com/dotnet/aspnet",
            ),
            (
                "cgr.dev/chainguard/static:latest",
                "cgr.dev/chainguard/static:latest",
                "cgr.dev/chainguard/static:latest",
                "cgr.dev/chainguard/static",
            ),
            (
                "localhost/app",
                "localhost/app",
                "localhost/app",
                "localhost/app",
            ),
            (
                "localhost:5000/team/app:v1.2.3",
                "localhost:5000/team/app:v1.2.3",
                "localhost:5000/team/app:v1.2.3",
                "localhost:5000/team/app",
            ),
            (
                "us-docker.pkg.dev/cloud-tpu-images/jax-ai-image/tpu:jax0.7.2-rev1",
                "us-docker.pkg.dev/cloud-tpu-images/jax-ai-image/tpu:jax0.7.2-rev1",
                "us-docker.pkg.dev/cloud-tpu-images/jax-ai-image/tpu:jax0.7.2-rev1",
                "us-docker.pkg.dev/cloud-tpu-images/jax-ai-image/tpu",
            ),
            (
                "registry.k8s.io/debian-base-amd64:0.3",
                "registry.k8s.io/debian-base-amd64:0.3",
                "registry.k8s.io/debian-base-amd64:0.3",
                "registry.k8s.io/debian-base-amd64",
            ),
            (
                "apache/beam_python3.9_sdk",
                "docker.io/apache/beam_python3.9_sdk",
                "apache/beam_python3.9_sdk",
                "apache/beam_python3.9_sdk",
            ),
            (
                "[::1]:5000/app",
                "[::1]:5000/app",
                "[::1]:5000/app",
                "[::1]:5000/app",
            ),
            (
                "Registry.Example.COM/app",
                "Registry.Example.COM/app",
                "Registry.Example.COM/app",
                "Registry.Example.COM/app",
            ),
        ];
        for (written, full, familiar, name) in cases {
            let image = parsed(written);
            assert_eq!(image.to_string(), full, "{written}");
            assert_eq!(image.familiar(), familiar, "{written}");
            assert_eq!(image.name(), name, "{written}");
        }
    }

    #[test]
    fn splits_registry_repository_tag_and_digest() {
        let image = parsed(&format!("docker.io/library/alpine:3.24.1@{SHA}"));
        assert_eq!(image.registry, "docker.io");
        assert_eq!(image.repository, "library/alpine");
        assert_eq!(image.tag.as_deref(), Some("3.24.1"));
        assert_eq!(image.digest.as_deref(), Some(SHA));
        assert_eq!(image.familiar(), format!("alpine:3.24.1@{SHA}"));

        let port = parsed("localhost:5000/app");
        assert_eq!(port.registry, "localhost:5000");
        assert_eq!(port.tag, None);

        let digest_only = parsed(&format!("python@{SHA}"));
        assert_eq!(digest_only.tag, None);
        assert_eq!(digest_only.effective_tag(), None);
        assert_eq!(digest_only.familiar(), format!("python@{SHA}"));
    }

    #[test]
    fn effective_tag_defaults_to_latest() {
        assert_eq!(parsed("golang").effective_tag(), Some("latest"));
        assert_eq!(parsed("golang:1.23").effective_tag(), Some("1.23"));
    }

    #[test]
    fn recognises_scratch_only_when_bare() {
        assert!(parsed("scratch").is_scratch());
        assert!(!parsed("scratch:latest").is_scratch());
        assert!(!parsed("gcr.io/scratch").is_scratch());
        assert!(!parsed("busybox").is_scratch());
    }

    #[test]
    fn accepts_the_tag_and_separator_grammar() {
        for written in [
            "a",
            "a_b",
            "a__b",
            "a.b",
            "a---b",
            "a/b/c/d",
            "x:_",
            "x:A_b.C-1",
            &format!("x:{}", "t".repeat(128)),
            "python:3.14-slim@sha256:ce40764625a4ff50df3548277632e7f96c4e77fe75fa848aae9885476e7df5a4",
            "x@sha512:8b4fe4ba5d2c1c4f9c6a64f0e0e5ee70b17b25e6f1b1f3be8aa98e21ab44c05a8b4fe4ba5d2c1c4f9c6a64f0e0e5ee70b17b25e6f1b1f3be8aa98e21ab44c05a",
            "x@multihash+base58:0123456789abcdef0123456789abcdef",
        ] {
            assert!(ImageRef::parse(written).is_ok(), "{written}");
        }
    }

    /// The variant of an error, so that cases can say which one they expect.
    fn kind(error: &ImageRefError) -> &'static str {
        match error {
            ImageRefError::Empty => "empty",
            ImageRefError::InvalidFormat(_) => "format",
            ImageRefError::Uppercase(_) => "uppercase",
            ImageRefError::NameTooLong => "too-long",
            ImageRefError::ImageId(_) => "image-id",
            ImageRefError::InvalidDigest(_) => "digest",
        }
    }

    #[test]
    fn rejects_what_docker_rejects() {
        let too_long_tag = format!("x:{}", "t".repeat(129));
        let too_long_name = format!("{}/x", "a".repeat(250));
        let cases = [
            ("", "empty"),
            ("Golang", "uppercase"),
            ("library/Golang:1", "uppercase"),
            ("$BASE_IMAGE", "uppercase"),
            ("$base_image", "format"),
            ("golang:", "format"),
            ("golang:-x", "format"),
            ("golang:.x", "format"),
            ("a_", "format"),
            ("_a", "format"),
            ("a___b", "format"),
            ("a//b", "format"),
            ("a b", "format"),
            ("-reg.io/a", "format"),
            ("reg.io:port/a", "format"),
            (too_long_tag.as_str(), "format"),
            ("python:3.12-slim-bookworm@sha256:abc", "format"),
            ("x@sha256:0123456789abcdef0123456789abcdef", "digest"),
            (
                "28bd5fe8b56d1bd048e5babf5b10710ebe0bae67db86916198a6eec434943f8b",
                "image-id",
            ),
            (too_long_name.as_str(), "too-long"),
        ];
        for (written, expected) in cases {
            let err = ImageRef::parse(written).expect_err(written);
            assert_eq!(kind(&err), expected, "{written}: {err}");
        }
    }
}
