//! What a `--build` run must undo (containers, mounts, images), kept in one list that is
//! run at the end, on an error, and on Ctrl-C: a build leaves nothing behind.

use std::sync::{Mutex, Once};

use crate::engine::Invocation;

/// The commands that undo what the run made, in the order they were added.
static PENDING: Mutex<Vec<Invocation>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// The run's undo list. Dropping it runs it too.
pub struct Cleanup;

impl Cleanup {
    /// The list, with a Ctrl-C handler that empties it before dfslim exits (130).
    pub fn install() -> Cleanup {
        HANDLER.call_once(|| {
            // Orphans of what dfslim runs (a server's workers whose master was stopped)
            // become dfslim's children, so that stopping a run reaches them.
            let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
            // A second handler cannot be set (a library user may own SIGINT): the list
            // still runs at the end of the run.
            let _ = ctrlc::set_handler(|| {
                eprintln!("dfslim: interrupted; removing the containers and images it made");
                run_pending();
                std::process::exit(130);
            });
        });
        Cleanup
    }

    /// Adds commands that undo something just made.
    pub fn push(&mut self, invocations: Vec<Invocation>) {
        PENDING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(invocations);
    }

    /// Runs the list, newest first, and empties it. Failures are ignored: the thing may be
    /// gone already.
    pub fn run(&mut self) {
        run_pending();
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        run_pending();
    }
}

fn run_pending() {
    let mut pending: Vec<Invocation> =
        std::mem::take(&mut *PENDING.lock().unwrap_or_else(|e| e.into_inner()));
    pending.reverse();
    run_quietly(&pending);
}

/// Runs undo commands in order, their output discarded and their failures ignored: what
/// they undo may be gone already.
pub(super) fn run_quietly(invocations: &[Invocation]) {
    for invocation in invocations {
        let _ = std::process::Command::new(&invocation.program)
            .args(&invocation.args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}
