//! The container engines `rewrite --build` drives (issue 13, begun): buildah first (no
//! daemon), podman and docker. dfslim uses them through their command lines and never
//! reimplements one. Each engine is one file that turns an [`Step`] into the exact command
//! it runs; [`Runner`] runs commands, so that tests can check the command lines without
//! the engine, and `.ci/run` can run buildah for real.

pub mod buildah;
pub mod docker;
pub mod podman;

use std::path::{Path, PathBuf};

/// One thing to ask an engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// Build `dockerfile` in `context` up to `target` (the last stage when `None`), with
    /// these build arguments, and tag the result `tag`.
    Build {
        dockerfile: &'a Path,
        context: &'a Path,
        target: Option<&'a str>,
        build_args: &'a [(String, String)],
        tag: &'a str,
    },
    /// The image's configuration, as JSON.
    Inspect { image: &'a str },
    /// A container of the image, not started (its id on stdout).
    Create { image: &'a str },
    /// The container's root filesystem on the host: a mount point (buildah, podman) or a
    /// tar stream written to `into` (docker).
    Mount { container: &'a str, into: &'a Path },
    /// Run the image's own command in the container, in the foreground: `argv` is its
    /// ENTRYPOINT and CMD (buildah runs what it is given; podman and docker start the
    /// container `Create` made, which carries them already).
    Run {
        container: &'a str,
        argv: &'a [String],
    },
    /// Undo `Mount` and remove the container.
    Remove { container: &'a str },
    /// Remove the image dfslim built.
    RemoveImage { image: &'a str },
}

/// A command line: the program and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    pub program: String,
    pub args: Vec<String>,
}

impl Invocation {
    pub fn new(program: &str, args: impl IntoIterator<Item = impl Into<String>>) -> Invocation {
        Invocation {
            program: program.to_string(),
            args: args.into_iter().map(Into::into).collect(),
        }
    }
}

/// What an image's configuration says about running it (the OCI image config's `config`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// `NAME=value`, in order.
    pub env: Vec<String>,
    pub workdir: String,
    pub user: String,
    /// `80/tcp`, …
    pub exposed_ports: Vec<String>,
}

impl ImageConfig {
    /// Reads the `config` object of an OCI or Docker image configuration (the keys have the
    /// same names in both: `Entrypoint`, `Cmd`, `Env`, `WorkingDir`, `User`, …).
    pub fn from_json(config: &serde_json::Value) -> ImageConfig {
        let strings = |key: &str| -> Vec<String> {
            config[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let keys = |key: &str| -> Vec<String> {
            config[key]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        let string = |key: &str| config[key].as_str().unwrap_or_default().to_string();
        ImageConfig {
            entrypoint: strings("Entrypoint"),
            cmd: strings("Cmd"),
            env: strings("Env"),
            workdir: string("WorkingDir"),
            user: string("User"),
            exposed_ports: keys("ExposedPorts"),
        }
    }

    /// The command the image runs: ENTRYPOINT then CMD.
    pub fn argv(&self) -> Vec<String> {
        self.entrypoint.iter().chain(&self.cmd).cloned().collect()
    }
}

/// Why an inspect output could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the engine's image inspect output has no image configuration: {0}")]
pub struct InspectError(pub String);

/// An engine: the command lines of each step.
pub trait Engine {
    fn name(&self) -> &'static str;
    /// The image configuration in what `Inspect` printed. podman and docker print a list of
    /// images with `Config`; buildah an object with `OCIv1.config` (this default).
    fn config(&self, inspect_stdout: &str) -> Result<ImageConfig, InspectError> {
        let value: serde_json::Value =
            serde_json::from_str(inspect_stdout).map_err(|e| InspectError(e.to_string()))?;
        let config = if value.is_array() {
            &value[0]["Config"]
        } else {
            &value["OCIv1"]["config"]
        };
        if config.is_null() {
            return Err(InspectError("no `Config` or `OCIv1.config`".into()));
        }
        Ok(ImageConfig::from_json(config))
    }
    /// The commands one step runs, in order.
    fn invocations(&self, step: &Step<'_>) -> Vec<Invocation>;
    /// Where the root filesystem is after `Mount`: the mount point the last command printed
    /// (buildah, podman), or the folder it was unpacked into (docker overrides this).
    fn rootfs(&self, mount_stdout: &str, _into: &Path) -> PathBuf {
        PathBuf::from(mount_stdout.trim())
    }
}

/// What a command gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs commands: the real one spawns processes; tests record them.
pub trait Runner {
    fn run(&mut self, invocation: &Invocation) -> std::io::Result<Output>;
}

/// Spawns each command and waits for it.
pub struct ProcessRunner;

impl Runner for ProcessRunner {
    fn run(&mut self, invocation: &Invocation) -> std::io::Result<Output> {
        let out = std::process::Command::new(&invocation.program)
            .args(&invocation.args)
            .stdin(std::process::Stdio::null())
            .output()?;
        Ok(Output {
            status: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}

/// Why a step failed: the command and the last lines it printed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{command}` failed ({status}): {last_lines}")]
pub struct StepError {
    pub command: String,
    pub status: String,
    pub last_lines: String,
}

/// Runs a step's commands in order; the stdout of the last, or the first failure.
pub fn run_step(
    engine: &dyn Engine,
    runner: &mut dyn Runner,
    step: &Step<'_>,
) -> Result<String, StepError> {
    let mut stdout = String::new();
    for invocation in engine.invocations(step) {
        let command = std::iter::once(invocation.program.as_str())
            .chain(invocation.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let out = runner.run(&invocation).map_err(|e| StepError {
            command: command.clone(),
            status: "not started".into(),
            last_lines: e.to_string(),
        })?;
        if out.status != Some(0) {
            let text = if out.stderr.trim().is_empty() {
                &out.stdout
            } else {
                &out.stderr
            };
            let lines: Vec<&str> = text.lines().collect();
            return Err(StepError {
                command,
                status: out
                    .status
                    .map_or("killed by a signal".into(), |c| format!("exit {c}")),
                last_lines: lines[lines.len().saturating_sub(5)..].join("\n"),
            });
        }
        stdout = out.stdout;
    }
    Ok(stdout)
}

/// The first engine whose program is on PATH, in dfslim's order of preference.
pub fn find(preferred: Option<&str>) -> Option<Box<dyn Engine>> {
    let all: [Box<dyn Engine>; 3] = [
        Box::new(buildah::Buildah::default()),
        Box::new(podman::Podman),
        Box::new(docker::Docker),
    ];
    all.into_iter()
        .filter(|e| preferred.is_none_or(|p| p == e.name()))
        .find(|e| on_path(e.name()))
}

/// Whether `program` is a file in a folder of PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The arguments every engine's build takes after its own flags, in docker's syntax:
/// `-f DOCKERFILE -t TAG [--target T] [--build-arg K=V]… CONTEXT`. `None` for another step.
fn build_arguments(step: &Step<'_>) -> Option<Vec<String>> {
    let Step::Build {
        dockerfile,
        context,
        target,
        build_args,
        tag,
    } = step
    else {
        return None;
    };
    let mut args = vec![
        "-f".to_string(),
        dockerfile.display().to_string(),
        "-t".into(),
        tag.to_string(),
    ];
    if let Some(target) = target {
        args.extend(["--target".into(), target.to_string()]);
    }
    for (k, v) in *build_args {
        args.extend(["--build-arg".to_string(), format!("{k}={v}")]);
    }
    args.push(context.display().to_string());
    Some(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what would run, and answers from a script.
    pub(super) struct Recorder {
        pub ran: Vec<Invocation>,
        pub answers: Vec<Output>,
    }

    impl Runner for Recorder {
        fn run(&mut self, invocation: &Invocation) -> std::io::Result<Output> {
            self.ran.push(invocation.clone());
            Ok(if self.answers.is_empty() {
                Output {
                    status: Some(0),
                    ..Output::default()
                }
            } else {
                self.answers.remove(0)
            })
        }
    }

    #[test]
    fn a_failure_names_the_command_and_its_last_lines() {
        let mut runner = Recorder {
            ran: Vec::new(),
            answers: vec![Output {
                status: Some(125),
                stdout: String::new(),
                stderr: (1..=8).map(|i| format!("line {i}\n")).collect(),
            }],
        };
        let engine = podman::Podman;
        let error = run_step(&engine, &mut runner, &Step::Inspect { image: "x" }).unwrap_err();
        assert_eq!(error.command, "podman image inspect x");
        assert_eq!(error.status, "exit 125");
        assert_eq!(error.last_lines, "line 4\nline 5\nline 6\nline 7\nline 8");
    }

    #[test]
    fn an_engine_that_is_missing_is_not_found() {
        assert!(find(Some("no-such-engine")).is_none());
    }

    #[test]
    fn configs_of_each_inspect_shape() {
        let buildah = r#"{"OCIv1":{"config":{"Entrypoint":["jq"],"Cmd":["."],"Env":["PATH=/usr/bin","A=b=c"],"WorkingDir":"/data","User":"app","ExposedPorts":{"80/tcp":{}}}}}"#;
        let config = buildah::Buildah::default().config(buildah).unwrap();
        assert_eq!(config.argv(), ["jq", "."]);
        assert_eq!(config.env, ["PATH=/usr/bin", "A=b=c"]);
        assert_eq!(
            (config.workdir.as_str(), config.user.as_str()),
            ("/data", "app")
        );
        assert_eq!(config.exposed_ports, ["80/tcp"]);
        let podman = r#"[{"Config":{"Cmd":["/app"],"Entrypoint":null}}]"#;
        assert_eq!(podman::Podman.config(podman).unwrap().argv(), ["/app"]);
        assert!(docker::Docker.config("[{}]").is_err());
        assert!(docker::Docker.config("not json").is_err());
    }
}
