//! `--verify`: both images run with their own command, with a time limit, while the
//! `--probe` commands run on the host; the exit codes and outputs must be the same, and the
//! rewritten image must have no shell. The e2e harness checks the same in bash; this is the
//! product's own check, so that `--write --verify` writes only a rewrite that ran.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{BuildError, Session};
use crate::engine::Step;
use crate::image::closure::resolve;

/// Programs whose presence makes an image keep a shell.
const SHELLS: &[&str] = &[
    "/bin/sh",
    "/usr/bin/sh",
    "/bin/bash",
    "/usr/bin/bash",
    "/bin/busybox",
    "/usr/bin/busybox",
];

/// One image's run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Run {
    /// The exit code, or `None` when the time limit ended it (or a probe's run did).
    pub exit: Option<i32>,
    pub stdout: String,
    /// Each probe's exit code and output, in order.
    pub probes: Vec<(Option<i32>, String)>,
    /// When each probe ran (seconds since the epoch, start and end), so that a trace can
    /// say which probe made the application open a file.
    #[serde(skip)]
    pub probe_times: Vec<(f64, f64)>,
}

/// What `--verify` found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Verification {
    pub verified: bool,
    /// The first difference, when not verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    pub original: Run,
    pub rewritten: Run,
    /// Whether the rewritten image has a shell.
    pub shell_absent: bool,
}

/// Runs `before` and `after` and compares them.
pub(super) fn compare(
    session: &mut Session<'_>,
    before: &str,
    after: &str,
) -> Result<Verification, BuildError> {
    let probes = session
        .probes_override
        .clone()
        .unwrap_or_else(|| session.request.probes.clone());
    session.say("running the original");
    let original = run_image(session, before, &probes, None)?;
    session.say("running the rewrite");
    let rewritten = run_image(session, after, &probes, None)?;
    let (_, container, root) = session.open(after)?;
    let shell = SHELLS.iter().find(|s| resolve(&root, s).is_some());
    let shell_absent = shell.is_none();
    session.close(&container);
    let difference = if original.exit != rewritten.exit {
        Some(format!(
            "the original exited {}, the rewrite {}",
            exit_text(original.exit),
            exit_text(rewritten.exit)
        ))
    } else if original.stdout != rewritten.stdout {
        Some(format!(
            "the output differs: {}",
            first_difference(&original.stdout, &rewritten.stdout)
        ))
    } else if let Some((i, _)) = original
        .probes
        .iter()
        .zip(&rewritten.probes)
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        Some(format!(
            "the probe `{}` differs: {}",
            probes[i],
            first_difference(&original.probes[i].1, &rewritten.probes[i].1)
        ))
    } else if original.exit.is_some_and(|c| c != 0) {
        Some(format!(
            "the original itself failed (exit {})",
            exit_text(original.exit)
        ))
    } else {
        shell.map(|s| format!("the rewritten image still has `{s}`"))
    };
    Ok(Verification {
        verified: difference.is_none(),
        difference,
        original,
        rewritten,
        shell_absent,
    })
}

fn exit_text(code: Option<i32>) -> String {
    code.map_or("nothing (it was stopped)".into(), |c| c.to_string())
}

/// The first line where two outputs differ, both sides shown.
fn first_difference(a: &str, b: &str) -> String {
    let mut left = a.lines();
    let mut right = b.lines();
    for n in 1.. {
        match (left.next(), right.next()) {
            (None, None) => break,
            (l, r) if l != r => {
                return format!(
                    "line {n}: `{}` against `{}`",
                    l.unwrap_or("(end)"),
                    r.unwrap_or("(end)")
                );
            }
            _ => {}
        }
    }
    "they differ in their line endings".into()
}

/// Runs an image's own command in a container of its own; with probes, the app runs in
/// the background while they run, and is stopped after. With `strace_to`, the run is
/// traced into that file (`dfslim trace`).
pub(super) fn run_image(
    session: &mut Session<'_>,
    image: &str,
    probe_commands: &[String],
    strace_to: Option<&std::path::Path>,
) -> Result<Run, BuildError> {
    let inspect = session.step("inspect", &Step::Inspect { image })?;
    let config = session
        .engine
        .config(&inspect)
        .map_err(|e| BuildError::Other(e.to_string()))?;
    let argv = config.argv();
    // A probe that answers before the image runs asks something else (a server left on
    // the port): what it returns would say nothing of this image.
    for probe in probe_commands {
        let answered = Command::new("sh")
            .args(["-c", probe])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if answered {
            return Err(BuildError::Other(format!(
                "the probe `{probe}` succeeds before the image runs: another process answers it (a port in use?)"
            )));
        }
    }
    let container = session.create(image)?;
    let invocation = session
        .engine
        .invocations(&Step::Run {
            container: &container,
            argv: &argv,
        })
        .pop()
        .expect("a run is one command");
    let mut command = match strace_to {
        Some(file) => {
            let mut c = Command::new("strace");
            c.args(["-f", "-ttt", "-qq", "-s", "4096", "-e"])
                .arg(format!("trace={}", super::strace::SYSCALLS))
                .arg("-o")
                .arg(file)
                .arg(&invocation.program);
            c
        }
        None => Command::new(&invocation.program),
    };
    command
        .args(&invocation.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| BuildError::Other(format!("`{}` did not start: {e}", invocation.program)))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stdout.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let deadline = Instant::now() + session.timeout_override.unwrap_or(session.request.timeout);
    let mut probes = Vec::new();
    let mut probe_times = Vec::new();
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    };
    for probe in probe_commands {
        // The window of the attempt that answered: earlier ones ran while the app was
        // still starting, and what it read then is start-up's.
        let (result, attempt) = run_probe(probe, deadline);
        let start = now() - attempt.elapsed().as_secs_f64();
        probes.push(result);
        probe_times.push((start, now()));
    }
    let exit = if probe_commands.is_empty() {
        wait(&mut child, deadline)
    } else {
        // What the last probe asked for may still be written (a log line).
        std::thread::sleep(Duration::from_millis(300));
        None
    };
    if exit.is_none() {
        stop(&mut child);
    }
    let stdout = reader.join().unwrap_or_default();
    session.close(&container);
    Ok(Run {
        exit,
        stdout: if probe_commands.is_empty() {
            stdout
        } else {
            // A server's log holds times and addresses: the probes are what is compared.
            String::new()
        },
        probes,
        probe_times,
    })
}

/// The child's exit code, or `None` at the deadline.
fn wait(child: &mut std::process::Child, deadline: Instant) -> Option<i32> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.code(),
            Ok(None) if Instant::now() >= deadline => return None,
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => return None,
        }
    }
}

/// Stops the run and everything it started: its process group, and every descendant
/// (buildah's chroot helper starts the application in a session of its own, out of the
/// group's reach).
fn stop(child: &mut std::process::Child) {
    // A process may fork while the tree is read (nginx starting its workers): read and
    // kill again until nothing is left, deepest first. dfslim is the subreaper of what it
    // runs (`Cleanup::install`), so a process whose parent died is still below dfslim; at
    // this point dfslim's only children are the run's.
    let me = std::process::id();
    for round in 0..10 {
        let found = descendants(me);
        if found.is_empty() && round > 0 {
            break;
        }
        let mut pids: Vec<String> = found.iter().rev().map(|p| p.to_string()).collect();
        if round == 0 {
            pids.push(format!("-{}", child.id()));
        }
        // `--`: procps' kill would read `-PGID` as a signal.
        let _ = Command::new("kill")
            .args(["-KILL", "--"])
            .args(&pids)
            .stderr(Stdio::null())
            .status();
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Every process below `pid`, from `/proc/*/stat` (the parent is the fourth field).
fn descendants(pid: u32) -> Vec<u32> {
    let mut parent_of: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(p) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (comm) state ppid …`: comm may hold spaces and parentheses.
            let Some(after) = stat.rsplit_once(") ").map(|(_, rest)| rest) else {
                continue;
            };
            // A zombie is dead already; it waits to be reaped.
            if after.starts_with('Z') {
                continue;
            }
            if let Some(ppid) = after.split_whitespace().nth(1).and_then(|v| v.parse().ok()) {
                parent_of.push((p, ppid));
            }
        }
    }
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(at) = frontier.pop() {
        for (p, ppid) in &parent_of {
            if *ppid == at && !found.contains(p) {
                found.push(*p);
                frontier.push(*p);
            }
        }
    }
    found
}

/// A probe, tried until it succeeds or the deadline passes (the app may still be starting);
/// its exit code and output, and when its last attempt began.
fn run_probe(probe: &str, deadline: Instant) -> ((Option<i32>, String), Instant) {
    loop {
        let attempt = Instant::now();
        let out = Command::new("sh")
            .args(["-c", probe])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output();
        let (code, text) = match out {
            Ok(o) => (
                o.status.code(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
            ),
            Err(e) => (None, e.to_string()),
        };
        if code == Some(0) || Instant::now() >= deadline {
            return ((code, text), attempt);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
