//! A panic while planning one file is dfslim's own bug, not the user's input: the file is
//! reported as an internal error (exit 2) and left as it is, and the other files go on, as
//! a linter run over a repository should. The panic's usual report (a thread name and a
//! backtrace hint on stderr) is held back; its message and place go into the error line.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`guarded`].
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// Where the last guarded panic happened (`src/…/ports.rs:269`).
    static PLACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Runs `work`, turning a panic into `Err` with its message and place. Panics elsewhere
/// keep Rust's own report.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PLACE.with(|p| *p.borrow_mut() = place);
            } else {
                default(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|g| g.set(false));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        let place = PLACE.with(|p| p.borrow_mut().take());
        match place {
            Some(place) => format!("{message} (at {place})"),
            None => message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_place() {
        let err = guarded(|| -> u32 { panic!("slice out of range") }).unwrap_err();
        assert!(
            err.starts_with("slice out of range (at src/cli/guard.rs:"),
            "{err}"
        );
        assert_eq!(guarded(|| 7), Ok(7));
    }
}
