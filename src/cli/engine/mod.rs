//! Container engines, driven through their command lines: one trait, [`Engine`], and one
//! file per engine (`buildah.rs`, `podman.rs`, `docker.rs`). `rewrite --build` builds the
//! original Dockerfile, opens the final image's filesystem, reads its configuration and
//! runs it; dfslim never reimplements an engine, it only calls one.
//!
//! Each engine's command lines are pure functions, unit-tested as the exact argv they
//! produce; running them goes through `process.rs`, which also keeps the undo commands of
//! every temporary container and mount so that they are removed on every exit path,
//! Ctrl-C included.

mod buildah;
mod docker;
mod podman;
pub mod process;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::ValueEnum;
use serde_json::Value;

use dfslim::image::ImageConfig;

use process::{Call, run, run_ok};
pub use process::{EngineError, Output, Undo};

/// The engines dfslim can drive.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineName {
    Buildah,
    Podman,
    Docker,
}

impl EngineName {
    fn program(self) -> &'static str {
        match self {
            EngineName::Buildah => "buildah",
            EngineName::Podman => "podman",
            EngineName::Docker => "docker",
        }
    }
}

/// What to build.
#[derive(Clone, Debug)]
pub struct BuildRequest<'a> {
    pub dockerfile: &'a Path,
    pub context: &'a Path,
    /// The stage to build (`--target`); the last one when `None`.
    pub target: Option<&'a str>,
    /// `KEY=VALUE`.
    pub build_args: &'a [String],
    /// The name the image gets.
    pub tag: &'a str,
}

/// An image's filesystem, readable at `root` until this is dropped (then unmounted or
/// deleted, and the container behind it removed).
#[derive(Debug)]
pub struct Opened {
    pub root: PathBuf,
    /// A folder dfslim made and removes (an exported image).
    temp: Option<PathBuf>,
    _undo: Undo,
}

impl Drop for Opened {
    fn drop(&mut self) {
        if let Some(temp) = &self.temp {
            let _ = std::fs::remove_dir_all(temp);
        }
    }
}

/// An image's configuration and size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inspected {
    pub config: ImageConfig,
    /// Bytes, as the engine counts them (uncompressed layers).
    pub size: Option<u64>,
}

/// One container engine, through its command line.
pub trait Engine {
    fn name(&self) -> &'static str;
    /// Builds `request` and returns the image id.
    fn build(&self, request: &BuildRequest) -> Result<String, EngineError>;
    /// Makes the image's filesystem readable on the host.
    fn open(&self, image: &str) -> Result<Opened, EngineError>;
    /// Reads the image's configuration (base image settings included) and size.
    fn inspect(&self, image: &str) -> Result<Inspected, EngineError>;
    /// Runs the image's own command (ENTRYPOINT + CMD, as its USER, in its WORKDIR) in a
    /// temporary container, stopped at `limit`, removed afterwards.
    fn run(
        &self,
        image: &str,
        config: &ImageConfig,
        limit: Duration,
    ) -> Result<Output, EngineError>;
    /// Removes the image.
    fn remove(&self, image: &str) -> Result<(), EngineError>;
}

/// The engine to use: the one named, or the first of buildah, podman and docker found on
/// PATH (buildah first: it needs no daemon).
pub fn choose(name: Option<EngineName>) -> Result<Box<dyn Engine>, String> {
    let wanted = match name {
        Some(name) => name,
        None => [EngineName::Buildah, EngineName::Podman, EngineName::Docker]
            .into_iter()
            .find(|e| on_path(e.program()))
            .ok_or(
                "no container engine found on PATH: install buildah, podman or docker \
                 (or name one with --engine)",
            )?,
    };
    if !on_path(wanted.program()) {
        return Err(format!(
            "--engine {}: `{}` is not on PATH",
            wanted.program(),
            wanted.program()
        ));
    }
    Ok(match wanted {
        EngineName::Buildah => Box::new(buildah::Buildah),
        EngineName::Podman => Box::new(podman::Podman),
        EngineName::Docker => Box::new(docker::Docker),
    })
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(dir.join(program))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// The common flags of a build (`-f`, `--iidfile`, `-t`, `--target`, `--build-arg`) and the
/// context, as buildah, podman and docker all spell them.
fn build_args(request: &BuildRequest, iidfile: &Path) -> Vec<String> {
    let mut args = vec![
        "-f".to_string(),
        request.dockerfile.display().to_string(),
        "--iidfile".to_string(),
        iidfile.display().to_string(),
        "-t".to_string(),
        request.tag.to_string(),
    ];
    if let Some(target) = request.target {
        args.extend(["--target".to_string(), target.to_string()]);
    }
    for arg in request.build_args {
        args.extend(["--build-arg".to_string(), arg.clone()]);
    }
    args.push(request.context.display().to_string());
    args
}

/// Runs a build `call` whose `--iidfile` is `iidfile`, and returns the image id.
fn build_with(call: &Call, iidfile: &Path) -> Result<String, EngineError> {
    let result = run_ok(call);
    let id = std::fs::read_to_string(iidfile);
    let _ = std::fs::remove_file(iidfile);
    result?;
    let id = id.map_err(|e| EngineError::Unexpected {
        call: call.display(),
        message: format!("no image id written: {e}"),
    })?;
    Ok(id.trim().trim_start_matches("sha256:").to_string())
}

/// A file name for this process to use once (an iidfile, an export).
fn scratch_path(what: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    std::env::temp_dir().join(format!(
        "dfslim-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A container name for this process to use once.
fn container_name() -> String {
    scratch_path("run")
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The configuration in Docker's and podman's `image inspect` output (`[{"Config": …}]`).
fn config_from_docker_inspect(json: &str) -> Result<Inspected, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let image = value.get(0).unwrap_or(&value);
    let config = image
        .get("Config")
        .ok_or("the inspect output has no Config")?;
    Ok(Inspected {
        config: config_from(config),
        size: image.get("Size").and_then(Value::as_u64),
    })
}

/// An OCI or Docker image config object (`Entrypoint`, `Cmd`, `WorkingDir`, `Env`, `User`).
fn config_from(config: &Value) -> ImageConfig {
    let strings = |key: &str| -> Vec<String> {
        config
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let string = |key: &str| {
        config
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    ImageConfig {
        entrypoint: strings("Entrypoint"),
        cmd: strings("Cmd"),
        workdir: string("WorkingDir"),
        env: strings("Env"),
        user: string("User"),
    }
}

/// Runs `call` with a time limit; `Output` even when it fails (the caller compares).
fn run_limited(call: &Call, limit: Duration) -> Result<Output, EngineError> {
    run(call, Some(limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_docker_inspect() {
        let json = r#"[{"Id":"sha256:x","Size":1234,"Config":{"Entrypoint":null,
            "Cmd":["jq","."],"WorkingDir":"/app","Env":["PATH=/usr/bin","A=b=c"],"User":"65532"}}]"#;
        let inspected = config_from_docker_inspect(json).unwrap();
        assert_eq!(inspected.size, Some(1234));
        let config = inspected.config;
        assert!(config.entrypoint.is_empty());
        assert_eq!(config.cmd, ["jq", "."]);
        assert_eq!(config.workdir, "/app");
        assert_eq!(config.env_var("A"), Some("b=c"));
        assert_eq!(config.user, "65532");
        assert!(config_from_docker_inspect("[]").is_err());
    }

    #[test]
    fn build_flags_are_shared() {
        let request = BuildRequest {
            dockerfile: Path::new("app/Dockerfile"),
            context: Path::new("app"),
            target: Some("run"),
            build_args: &["V=1".to_string()],
            tag: "localhost/dfslim/app:original",
        };
        assert_eq!(
            build_args(&request, Path::new("/tmp/iid")),
            [
                "-f",
                "app/Dockerfile",
                "--iidfile",
                "/tmp/iid",
                "-t",
                "localhost/dfslim/app:original",
                "--target",
                "run",
                "--build-arg",
                "V=1",
                "app"
            ]
        );
    }

    #[test]
    fn finds_programs_on_path() {
        assert!(on_path("sh"));
        assert!(!on_path("dfslim-engine-that-does-not-exist"));
    }
}
