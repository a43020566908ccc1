//! Running an engine's command line: capture its output, stop it at a time limit (with its
//! whole process group, since engines start helpers), and keep the undo commands of what it
//! created (containers, mounts) until they are run: when the guard drops, on every exit
//! path, or from the Ctrl-C handler.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One command line: a program and its arguments, never through a shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub program: String,
    pub args: Vec<String>,
}

impl Call {
    pub fn new<I, S>(program: &str, args: I) -> Call
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Call {
            program: program.to_string(),
            args: args.into_iter().map(Into::into).collect(),
        }
    }

    /// The command line as a person would type it (quoted where needed), for messages.
    pub fn display(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|word| {
                if !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c))
                {
                    word.clone()
                } else {
                    format!("'{}'", word.replace('\'', "'\\''"))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a finished command gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// The exit code; `None` when a signal ended it (or the time limit did).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// Why an engine step failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("`{program}` is not installed (not found on PATH)")]
    NotInstalled { program: String },
    #[error("`{call}` failed ({status}); its last lines:\n{last_lines}")]
    Failed {
        call: String,
        status: String,
        last_lines: String,
    },
    #[error("`{call}`: {message}")]
    Unexpected { call: String, message: String },
}

/// How many lines of an engine's output an error shows.
const LAST_LINES: usize = 15;

/// Process groups of running commands, for the Ctrl-C handler.
static RUNNING: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Runs `call`; with `limit`, stops it (and its process group) when the time is up.
pub fn run(call: &Call, limit: Option<Duration>) -> Result<Output, EngineError> {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(&call.program)
        .args(&call.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so that a time limit stops the helpers it starts too.
        .process_group(0)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => EngineError::NotInstalled {
                program: call.program.clone(),
            },
            _ => EngineError::Unexpected {
                call: call.display(),
                message: e.to_string(),
            },
        })?;
    let pid = child.id() as i32;
    lock(&RUNNING).push(pid);
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(pipe) = stdout.as_mut() {
            let _ = pipe.read_to_end(&mut text);
        }
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(pipe) = stderr.as_mut() {
            let _ = pipe.read_to_end(&mut text);
        }
        text
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        if limit.is_some_and(|limit| start.elapsed() > limit) {
            timed_out = true;
            stop_group(pid);
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    lock(&RUNNING).retain(|p| *p != pid);
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Output {
        code: status.and_then(|s| s.code()),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        timed_out,
    })
}

/// Runs `call` and returns its standard output, trimmed; a failure carries the last lines.
pub fn run_ok(call: &Call) -> Result<String, EngineError> {
    let output = run(call, None)?;
    if output.code == Some(0) {
        return Ok(output.stdout.trim().to_string());
    }
    Err(failure(call, &output))
}

/// The error for a command that did not exit 0.
pub fn failure(call: &Call, output: &Output) -> EngineError {
    let both = format!("{}{}", output.stdout, output.stderr);
    let lines: Vec<&str> = both.lines().filter(|l| !l.trim().is_empty()).collect();
    let last = lines[lines.len().saturating_sub(LAST_LINES)..].join("\n");
    EngineError::Failed {
        call: call.display(),
        status: match output.code {
            Some(code) => format!("exit {code}"),
            None if output.timed_out => "time limit".to_string(),
            None => "killed".to_string(),
        },
        last_lines: last,
    }
}

fn stop_group(pid: i32) {
    if let Some(pid) = rustix::process::Pid::from_raw(pid) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Undo commands registered and not yet run, by guard id.
static UNDO: Mutex<Vec<(u64, Vec<Call>)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Runs its undo commands when dropped (or at Ctrl-C, whichever comes first).
#[derive(Debug)]
pub struct Undo {
    id: u64,
}

impl Undo {
    /// Registers `calls`, run in order when the guard drops.
    pub fn new(calls: Vec<Call>) -> Undo {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        lock(&UNDO).push((id, calls));
        Undo { id }
    }
}

impl Drop for Undo {
    fn drop(&mut self) {
        let calls = {
            let mut undo = lock(&UNDO);
            let at = undo.iter().position(|(id, _)| *id == self.id);
            at.map(|i| undo.remove(i).1).unwrap_or_default()
        };
        for call in calls {
            let _ = run(&call, Some(Duration::from_secs(300)));
        }
    }
}

/// Installs the Ctrl-C handler once: stop what runs, undo what was created, exit 130.
pub fn undo_on_interrupt() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            for pid in lock(&RUNNING).drain(..) {
                stop_group(pid);
            }
            let pending: Vec<(u64, Vec<Call>)> = lock(&UNDO).drain(..).collect();
            for (_, calls) in pending.into_iter().rev() {
                for call in calls {
                    let _ = run(&call, Some(Duration::from_secs(300)));
                }
            }
            eprintln!("dfslim: interrupted; temporary containers and mounts removed");
            std::process::exit(130);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_output_and_exit_codes() {
        let out = run(
            &Call::new("sh", ["-c", "echo out; echo err >&2; exit 3"]),
            None,
        )
        .unwrap();
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (Some(3), "out\n", "err\n")
        );
        let err = run_ok(&Call::new("sh", ["-c", "echo one; echo two >&2; exit 1"])).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("exit 1") && text.ends_with("one\ntwo"),
            "{text}"
        );
        assert!(matches!(
            run_ok(&Call::new("dfslim-no-such-engine", ["x"])),
            Err(EngineError::NotInstalled { .. })
        ));
    }

    #[test]
    fn a_time_limit_stops_the_whole_group() {
        let start = Instant::now();
        let out = run(
            &Call::new("sh", ["-c", "sleep 30 & sleep 30; echo never"]),
            Some(Duration::from_millis(200)),
        )
        .unwrap();
        assert!(out.timed_out && out.code.is_none());
        // The background sleep held stdout open: it was stopped too, or this would wait.
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn undo_runs_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let mark = dir.path().join("undone");
        {
            let _undo = Undo::new(vec![Call::new(
                "touch",
                [mark.to_string_lossy().into_owned()],
            )]);
            assert!(!mark.exists());
        }
        assert!(mark.exists());
    }

    #[test]
    fn displays_quoted() {
        assert_eq!(
            Call::new("buildah", ["run", "c", "--", "sh", "-c", "echo 'hi'"]).display(),
            "buildah run c -- sh -c 'echo '\\''hi'\\'''"
        );
    }
}
