//! `dfslim trace` (issue 14): build as `--build` does, run the original final image under
//! strace with its own command while the `--probe` commands exercise it, and turn what it
//! used into a binaryless `FROM scratch` stage ([`crate::rewrite::rewrite_traced`]). Then,
//! unless `--no-verify`, build that stage and run both images with the probes (and the
//! `--verify-probe` ones); on a difference, the files the original used that the new image
//! lacks are named, and nothing is written.
//!
//! strace sees the application only where the engine runs it as a child process on the
//! host: buildah (`buildah run`, chroot or OCI isolation). podman and docker start
//! containers through conmon or a daemon, out of strace's reach.

use std::collections::BTreeSet;
use std::time::Duration;

use super::verify::{self, Verification};
use super::{BuildError, Request, Session, strace};
use crate::analysis::catalogue::Catalogue;
use crate::engine;
use crate::image::closure::resolve;
use crate::rewrite::{self, Options, Rewritten, Status, TracedImage, Warning};

/// What `dfslim trace` is asked to do, beyond a build.
#[derive(Clone, Debug)]
pub struct TraceRequest {
    pub build: Request,
    /// How long the traced run may last when no probe ends it first.
    pub duration: Duration,
    /// Probes run only when verifying, to check what the trace's probes did not exercise.
    pub verify_probes: Vec<String>,
    /// Paths kept although the trace did not see them.
    pub keep: Vec<String>,
}

/// The rewrite from a trace, and what verifying it found.
pub struct Traced {
    pub rewritten: Rewritten,
    pub verification: Option<Verification>,
    /// Files the original used under the verification's probes that the new image lacks.
    pub missing: Vec<String>,
}

pub fn trace(
    src: &str,
    catalogue: &Catalogue,
    options: &Options,
    request: &TraceRequest,
) -> Result<Traced, BuildError> {
    let engine = engine::find(request.build.engine.as_deref().or(Some("buildah")))
        .ok_or_else(|| BuildError::NoEngine(Some("buildah".into())))?;
    if engine.name() != "buildah" {
        return Err(BuildError::Other(format!(
            "`dfslim trace` needs buildah: {} runs containers outside strace's reach",
            engine.name()
        )));
    }
    if !engine::on_path("strace") {
        return Err(BuildError::Other(
            "`dfslim trace` needs strace on PATH (apt-get install strace)".into(),
        ));
    }
    let mut session = Session::new(engine.as_ref(), &request.build);
    let result = run(&mut session, src, catalogue, options, request);
    session.cleanup.run();
    result
}

fn run(
    session: &mut Session<'_>,
    src: &str,
    catalogue: &Catalogue,
    options: &Options,
    request: &TraceRequest,
) -> Result<Traced, BuildError> {
    let before = format!("{}:original", session.tag);
    session.build("the original", &request.build.dockerfile.clone(), &before)?;
    let (config, container, root) = session.open(&before)?;
    let folder = std::env::temp_dir().join(format!("dfslim-trace-{}", std::process::id()));
    std::fs::create_dir_all(&folder).map_err(|e| BuildError::Other(e.to_string()))?;
    session.cleanup.push(vec![engine::Invocation::new(
        "rm",
        ["-rf".to_string(), folder.display().to_string()],
    )]);
    session.say("running the original under strace");
    let log = folder.join("trace.txt");
    session.timeout_override = Some(request.duration);
    let run = verify::run_image(session, &before, &request.build.probes, Some(&log));
    session.timeout_override = None;
    let run = run?;
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let found = strace::read(&text, &config.workdir);
    if found.touched.is_empty() {
        return Err(BuildError::Other(
            "strace saw no file the application used: the engine may not run it as a child process"
                .into(),
        ));
    }
    // Which probe was running when the application first used each file.
    let touched_by = found
        .first_seen
        .iter()
        .filter_map(|(path, t)| {
            run.probe_times
                .iter()
                .position(|(start, end)| start <= t && t <= end)
                .map(|i| (path.clone(), request.build.probes[i].clone()))
        })
        .collect();
    let traced = TracedImage {
        touched_by,
        image: super::built_image(&config, root.clone()),
        touched: found.touched,
        written: found.written,
        ports: found.ports.clone(),
        executed: found.executed,
        keep: request.keep.clone(),
    };
    let mut rewritten = rewrite::rewrite_traced(
        src,
        catalogue,
        request.build.target.as_deref(),
        options,
        &traced,
    )
    .map_err(BuildError::unparsable)?;
    // A start-up is done when the app listens or exits: a trace that saw neither may
    // have ended before the app read all it needs.
    if run.exit.is_none() && found.ports.is_empty() && request.build.probes.is_empty() {
        rewritten.plan.warnings.push(Warning {
            code: "short-trace",
            message: format!(
                "the application neither listened on a port nor exited within the trace's {} s: its start-up may not be over; give --duration more time, or a --probe",
                request.duration.as_secs()
            ),
        });
    }
    if !request.build.verify || rewritten.plan.status != Status::Rewritten {
        session.close(&container);
        return Ok(Traced {
            rewritten,
            verification: None,
            missing: Vec::new(),
        });
    }
    let after = format!("{}:slim", session.tag);
    let dockerfile = folder.join("Dockerfile");
    std::fs::write(&dockerfile, &rewritten.text).map_err(|e| BuildError::Other(e.to_string()))?;
    session.build("the traced rewrite", &dockerfile, &after)?;
    let all_probes: Vec<String> = request
        .build
        .probes
        .iter()
        .chain(&request.verify_probes)
        .cloned()
        .collect();
    let saved = session.probes_override.replace(all_probes.clone());
    let verification = verify::compare(session, &before, &after);
    session.probes_override = saved;
    let verification = verification?;
    let mut missing = Vec::new();
    if !verification.verified {
        // Which files did the original use under every probe, that the new image lacks?
        session.say("tracing the original again, with every probe, to name what is missing");
        let log = folder.join("verify-trace.txt");
        verify::run_image(session, &before, &all_probes, Some(&log))?;
        let again = strace::read(
            &std::fs::read_to_string(&log).unwrap_or_default(),
            &config.workdir,
        );
        let (_, slim_container, slim_root) = session.open(&after)?;
        let kept: BTreeSet<String> = again
            .touched
            .iter()
            .filter(|p| resolve(&root, p).is_some())
            .filter(|p| {
                !p.starts_with("/proc/") && !p.starts_with("/sys/") && !p.starts_with("/dev/")
            })
            .filter(|p| resolve(&slim_root, p).is_none())
            .cloned()
            .collect();
        missing = kept.into_iter().collect();
        session.close(&slim_container);
        let difference = verification.difference.clone().unwrap_or_default();
        rewritten = Rewritten {
            plan: rewrite::Plan::declined(
                rewritten.plan.base_before.clone(),
                rewritten.plan.level_before,
                rewrite::Decline::new(
                    rewrite::DeclineCode::Unverified,
                    format!(
                        "the traced image does not behave as the original: {difference}{}",
                        if missing.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "; the original used files the new image lacks: {}",
                                missing.join(", ")
                            )
                        }
                    ),
                )
                .help("add a --probe that exercises them, or --keep PATH"),
            ),
            text: src.to_string(),
        };
    }
    session.close(&container);
    Ok(Traced {
        rewritten,
        verification: Some(verification),
        missing,
    })
}
