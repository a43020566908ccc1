//! `dfslim trace`: build the Dockerfile, run its final image under strace while probes
//! exercise it, and propose a binaryless `FROM scratch` final stage of the files it used
//! (printed as a diff, or the plan as JSON; written with `--write` once verified).

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use dfslim::analysis::catalogue::TargetFamily;
use dfslim::rewrite::{Options, Status};

use super::config::{ConfigArgs, SettingsResolver};
use super::discover::display_path;
use super::render::printable;
use super::rewrite_cmd::RewriteFormat;
use super::{Out, Outcome};

#[derive(Args, Debug)]
pub struct TraceArgs {
    /// The Dockerfile.
    pub dockerfile: PathBuf,

    /// A command run on the host while the image runs (`curl -fsS http://127.0.0.1/`):
    /// what it makes the application read is kept. Repeatable.
    #[arg(long, value_name = "CMD")]
    pub probe: Vec<String>,

    /// A probe run only when verifying, to check what the trace did not exercise.
    /// Repeatable.
    #[arg(long, value_name = "CMD")]
    pub verify_probe: Vec<String>,

    /// How long the traced run may last, in seconds (the probes end it sooner).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub duration: u64,

    /// A path to keep although the trace did not see it. Repeatable.
    #[arg(long, value_name = "PATH")]
    pub keep: Vec<String>,

    /// Do not build and run the traced image to compare it with the original.
    #[arg(long)]
    pub no_verify: bool,

    /// Write the rewrite (only a verified one, unless --no-verify).
    #[arg(long)]
    pub write: bool,

    /// Output: a unified diff, or the plan as JSON.
    #[arg(long, value_enum, default_value_t = RewriteFormat::Diff)]
    pub format: RewriteFormat,

    /// A build argument, `NAME=VALUE`; repeatable.
    #[arg(long = "build-arg", value_name = "NAME=VALUE")]
    pub build_args: Vec<String>,

    /// The build context (default: the Dockerfile's folder).
    #[arg(long)]
    pub context: Option<PathBuf>,

    /// How long each image may run when verifying, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,

    #[command(flatten)]
    pub config: ConfigArgs,
}

pub fn run(args: &TraceArgs, out: &Out) -> Outcome {
    let name = display_path(&args.dockerfile);
    let error = |message: String| {
        out.stderr(&format!(
            "dfslim: error: {}: {}\n",
            printable(&name, false),
            printable(&message, false)
        ));
        Outcome::Error
    };
    let (jobs, _) =
        SettingsResolver::new(&args.config).discover(std::slice::from_ref(&args.dockerfile), out);
    let Some((path, settings)) = jobs.into_iter().next() else {
        return error("no Dockerfile to trace".into());
    };
    let settings = match settings.as_ref() {
        Ok(s) => s,
        Err(e) => return error(format!("bad config: {e}")),
    };
    let source = match super::source::read(&path, None) {
        Ok(s) => s,
        Err(e) => return super::parse_cmd::report_read_error(&e, out),
    };
    let mut build_args = Vec::new();
    for arg in &args.build_args {
        let Some((k, v)) = arg.split_once('=') else {
            return error(format!("--build-arg `{arg}` is not NAME=VALUE"));
        };
        build_args.push((k.to_string(), v.to_string()));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let request = dfslim::build::trace::TraceRequest {
        build: dfslim::build::Request {
            dockerfile: path.clone(),
            context: args.context.clone().unwrap_or_else(|| folder.to_path_buf()),
            build_args,
            engine: Some("buildah".into()),
            verify: !args.no_verify,
            probes: args.probe.clone(),
            timeout: std::time::Duration::from_secs(args.timeout),
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            target: None,
        },
        duration: std::time::Duration::from_secs(args.duration),
        verify_probes: args.verify_probe.clone(),
        keep: args
            .keep
            .iter()
            .cloned()
            .chain(settings.config.keep.iter().flatten().cloned())
            .collect(),
    };
    let options = Options {
        family: TargetFamily::Scratch,
        ..Options::default()
    };
    let traced =
        match dfslim::build::trace::trace(&source.text, &settings.catalogue, &options, &request) {
            Ok(t) => t,
            Err(e) => return error(e.to_string()),
        };
    let plan = &traced.rewritten.plan;
    let changed = plan.status == Status::Rewritten && traced.rewritten.text != source.text;
    if args.format == RewriteFormat::Json {
        let mut value = serde_json::to_value(plan).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("path".into(), json!(name));
            object.insert(
                "reason".into(),
                json!(plan.reason.as_ref().map(|r| &r.message)),
            );
            object.insert("code".into(), json!(plan.reason.as_ref().map(|r| r.code)));
            if let Some(v) = &traced.verification {
                object.insert("verified".into(), json!(v.verified));
                object.insert("verification".into(), json!(v));
            }
            object.insert("missing".into(), json!(traced.missing));
        }
        out.stdout(&format!("{}\n", super::pretty(&value)));
    } else {
        for warning in &plan.warnings {
            out.stderr(&format!(
                "{}: warning[{}]: {}\n",
                printable(&name, false),
                warning.code,
                printable(&warning.message, false)
            ));
        }
        if let Some(reason) = &plan.reason {
            out.stderr(&format!(
                "{}: declined ({}): {}\n",
                printable(&name, false),
                reason.code.name(),
                printable(&reason.message, false)
            ));
        }
        if changed {
            out.stdout(&super::rewrite_cmd::diff(
                &name,
                &source.text,
                &traced.rewritten.text,
                out.stdout_color,
            ));
        }
    }
    if args.write
        && changed
        && let Err(e) = super::write::write_back(&path, &source.text, &traced.rewritten.text)
    {
        return error(format!("cannot write: {e}"));
    }
    if plan.status == Status::Declined {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}
