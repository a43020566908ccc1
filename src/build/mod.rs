//! `rewrite --build` (issue 13): build the Dockerfile with the engine the user has, read
//! the final image, rewrite from what it holds, and with `--verify` build the rewrite and
//! run both images to compare them. This layer only drives: the engines' command lines are
//! [`crate::engine`]'s, the facts [`crate::image`]'s, the new stage [`crate::rewrite`]'s.
//!
//! Whatever it creates (images, containers, mounts) is removed at the end, on an error,
//! and on Ctrl-C ([`cleanup`]).

pub mod cleanup;
pub mod strace;
pub mod trace;
pub mod verify;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::analysis::catalogue::Catalogue;
use crate::engine::{self, Engine, ImageConfig, ProcessRunner, Step, StepError};
use crate::rewrite::{self, BuiltImage, Decline, DeclineCode, Options, Plan, Rewritten, Status};
use cleanup::Cleanup;
pub use verify::Verification;

/// What the user asked `--build` to do.
#[derive(Clone, Debug)]
pub struct Request {
    pub dockerfile: PathBuf,
    pub context: PathBuf,
    pub build_args: Vec<(String, String)>,
    /// `buildah`, `podman` or `docker`; the first found when `None`.
    pub engine: Option<String>,
    pub verify: bool,
    /// Commands run on the host while the app runs, compared between the two images.
    pub probes: Vec<String>,
    /// How long each image may run.
    pub timeout: Duration,
    /// Say each phase on standard error.
    pub progress: bool,
    /// The stage to treat as final (`--target`).
    pub target: Option<String>,
}

/// Why `--build` could not do its work: exit 2, nothing written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error(
        "no container engine found on PATH{}: install buildah (no daemon needed), podman or docker, or leave out --build",
        .0.as_deref().map(|e| format!(" (asked for `{e}`)")).unwrap_or_default()
    )]
    NoEngine(Option<String>),
    #[error("{phase} failed: {error}")]
    Step {
        phase: &'static str,
        error: StepError,
    },
    #[error("{0}")]
    Other(String),
}

impl BuildError {
    /// The file's first syntax error (the static pass reports them all before a build).
    fn unparsable(errors: Vec<crate::syntax::SyntaxError>) -> BuildError {
        BuildError::Other(
            errors
                .first()
                .map_or("the file does not parse".into(), |e| e.message.clone()),
        )
    }
}

/// The rewrite from the built image, and its verification when asked for.
pub struct Built {
    pub rewritten: Rewritten,
    pub verification: Option<Verification>,
}

/// Builds `src` (the text of `request.dockerfile`), reads its final image and rewrites
/// from it. `static_plan` is what the text alone gave: a rewrite stands and is only
/// verified; a decline is planned again from the image.
pub fn rewrite(
    src: &str,
    static_result: Rewritten,
    catalogue: &Catalogue,
    options: &Options,
    request: &Request,
) -> Result<Built, BuildError> {
    let engine = engine::find(request.engine.as_deref())
        .ok_or_else(|| BuildError::NoEngine(request.engine.clone()))?;
    let mut session = Session::new(engine.as_ref(), request);
    let result = session.run(src, static_result, catalogue, options);
    session.cleanup.run();
    result
}

/// One `--build` run: the engine, and what to undo.
struct Session<'a> {
    engine: &'a dyn Engine,
    request: &'a Request,
    cleanup: Cleanup,
    /// A tag prefix of this run's images.
    tag: String,
    /// `dfslim trace`: the probes of a verification (the trace's and `--verify-probe`'s),
    /// and the traced run's time limit (`--duration`), instead of the request's.
    probes_override: Option<Vec<String>>,
    timeout_override: Option<Duration>,
}

impl<'a> Session<'a> {
    fn new(engine: &'a dyn Engine, request: &'a Request) -> Session<'a> {
        Session {
            engine,
            request,
            cleanup: Cleanup::install(),
            tag: format!("localhost/dfslim-build-{}", std::process::id()),
            probes_override: None,
            timeout_override: None,
        }
    }

    fn say(&self, what: &str) {
        if self.request.progress {
            eprintln!("dfslim: {what}");
        }
    }

    fn step(&self, phase: &'static str, step: &Step<'_>) -> Result<String, BuildError> {
        engine::run_step(self.engine, &mut ProcessRunner, step)
            .map_err(|error| BuildError::Step { phase, error })
    }

    fn run(
        &mut self,
        src: &str,
        static_result: Rewritten,
        catalogue: &Catalogue,
        options: &Options,
    ) -> Result<Built, BuildError> {
        let before = format!("{}:original", self.tag);
        self.build("the original", &self.request.dockerfile.clone(), &before)?;
        let rewritten = if static_result.plan.status == Status::Declined {
            let (config, container, root) = self.open(&before)?;
            self.say(&format!(
                "reading {} in the image",
                config.argv().first().map_or("its command", String::as_str)
            ));
            let built = built_image(&config, root);
            let result = rewrite::rewrite_built(
                src,
                catalogue,
                self.request.target.as_deref(),
                options,
                &built,
            )
            .map_err(BuildError::unparsable)?;
            self.close(&container);
            // What the text alone could not prove, the image may: keep the static reason
            // when the image says no too, since it names the line.
            match result.plan.status {
                Status::Rewritten => result,
                _ => Rewritten {
                    plan: with_built_reason(static_result.plan, result.plan),
                    text: static_result.text,
                },
            }
        } else {
            static_result
        };
        if !self.request.verify || rewritten.plan.status != Status::Rewritten {
            return Ok(Built {
                rewritten,
                verification: None,
            });
        }
        let after = format!("{}:slim", self.tag);
        // The rewrite is built from a file of its own, with the original's context.
        let folder = std::env::temp_dir().join(format!("dfslim-build-{}", std::process::id()));
        let dockerfile = folder.join("Dockerfile");
        std::fs::create_dir_all(&folder)
            .and_then(|()| std::fs::write(&dockerfile, &rewritten.text))
            .map_err(|e| BuildError::Other(format!("{}: {e}", dockerfile.display())))?;
        let built = self.build("the rewrite", &dockerfile, &after);
        let _ = std::fs::remove_dir_all(&folder);
        built?;
        let verification = verify::compare(self, &before, &after)?;
        let rewritten = if verification.verified {
            rewritten
        } else {
            Rewritten {
                plan: Plan::declined(
                    rewritten.plan.base_before.clone(),
                    rewritten.plan.level_before,
                    Decline::new(
                        DeclineCode::Unverified,
                        format!(
                            "the rewritten image does not behave as the original: {}",
                            verification.difference.as_deref().unwrap_or("?")
                        ),
                    )
                    .help("run with --format json to see both runs; please report the Dockerfile"),
                ),
                text: src.to_string(),
            }
        };
        Ok(Built {
            rewritten,
            verification: Some(verification),
        })
    }

    fn build(&mut self, what: &str, dockerfile: &Path, tag: &str) -> Result<(), BuildError> {
        self.say(&format!("building {what} with {}", self.engine.name()));
        self.cleanup
            .push(self.engine.invocations(&Step::RemoveImage { image: tag }));
        self.step(
            "the build",
            &Step::Build {
                dockerfile,
                context: &self.request.context,
                target: self.request.target.as_deref(),
                build_args: &self.request.build_args,
                tag,
            },
        )?;
        Ok(())
    }

    /// The image's configuration, and a container of it with its root filesystem open.
    fn open(&mut self, image: &str) -> Result<(ImageConfig, String, PathBuf), BuildError> {
        let inspect = self.step("inspect", &Step::Inspect { image })?;
        let config = self
            .engine
            .config(&inspect)
            .map_err(|e| BuildError::Other(e.to_string()))?;
        let container = self.create(image)?;
        // docker exports into this folder (and a tar beside it); buildah and podman mount
        // and leave it empty. Either way it goes at the end.
        let into = std::env::temp_dir().join(format!("dfslim-{container}-rootfs"));
        let _ = std::fs::create_dir_all(&into);
        let tar = into.with_extension("tar");
        self.cleanup.push(vec![engine::Invocation::new(
            "rm",
            [
                "-rf".to_string(),
                into.display().to_string(),
                tar.display().to_string(),
            ],
        )]);
        let mounted = self.step(
            "opening the image",
            &Step::Mount {
                container: &container,
                into: &into,
            },
        )?;
        Ok((config, container, self.engine.rootfs(&mounted, &into)))
    }

    fn create(&mut self, image: &str) -> Result<String, BuildError> {
        let out = self.step("creating a container", &Step::Create { image })?;
        let container = out.lines().last().unwrap_or("").trim().to_string();
        self.cleanup.push(self.engine.invocations(&Step::Remove {
            container: &container,
        }));
        Ok(container)
    }

    /// Removes a container now (it stays on the cleanup list, where removing it again
    /// fails quietly).
    fn close(&mut self, container: &str) {
        cleanup::run_quietly(&self.engine.invocations(&Step::Remove { container }));
    }
}

/// The image as the rewrite reads it: its root filesystem and configuration.
fn built_image(config: &ImageConfig, root: PathBuf) -> BuiltImage {
    BuiltImage {
        root,
        entrypoint: config.entrypoint.clone(),
        cmd: config.cmd.clone(),
        env: config.env.clone(),
        workdir: config.workdir.clone(),
        user: config.user.clone(),
        exposed_ports: config.exposed_ports.clone(),
    }
}

/// A static decline that the built image could not lift either: the static reason stays
/// first, and the image's is added as a warning.
fn with_built_reason(mut static_plan: Plan, built: Plan) -> Plan {
    if let Some(reason) = built.reason {
        static_plan.warnings.push(rewrite::Warning {
            code: "build",
            message: format!(
                "the built image was read, and it cannot be rewritten either: {} ({})",
                reason.message,
                reason.code.name()
            ),
        });
    }
    static_plan
}
