//! Progress on long runs: one line on stderr, `checked N/M files`, redrawn in place with
//! `\r` and cleared at the end, so that the report on stdout (and any error on stderr) is
//! never mixed with it.
//!
//! It is shown only when stderr is a terminal and there are more than [`MIN_FILES`] files;
//! otherwise every call does nothing, so a pipe, a file or a test never sees progress text.
//! Files are processed in parallel (rayon), so the count is an atomic and `tick` may be
//! called from any thread; redraws are at most one per [`REDRAW_EVERY`], and the first one
//! waits that long too, so a quick run shows nothing at all.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Below this many files a run is short: no progress line.
pub const MIN_FILES: usize = 50;
/// The shortest time between two redraws.
pub const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    verb: &'static str,
    total: usize,
    done: AtomicUsize,
    enabled: bool,
    screen: Mutex<Screen>,
}

/// What is on the terminal: where to draw, when it was last drawn, how wide the line is.
struct Screen {
    sink: Box<dyn Write + Send>,
    last_draw: Instant,
    width: usize,
}

impl Progress {
    /// A progress line `{verb} N/{total} files` on stderr, drawn only when `enabled`.
    pub fn new(verb: &'static str, total: usize, enabled: bool) -> Progress {
        Progress::with_sink(verb, total, enabled, Box::new(std::io::stderr()))
    }

    /// Progress for a run over `total` files: enabled when stderr is a terminal and the run
    /// is long enough to be worth it.
    pub fn on_stderr(verb: &'static str, total: usize) -> Progress {
        Progress::new(
            verb,
            total,
            total > MIN_FILES && std::io::stderr().is_terminal(),
        )
    }

    fn with_sink(
        verb: &'static str,
        total: usize,
        enabled: bool,
        sink: Box<dyn Write + Send>,
    ) -> Progress {
        Progress {
            verb,
            total,
            done: AtomicUsize::new(0),
            enabled,
            screen: Mutex::new(Screen {
                sink,
                last_draw: Instant::now(),
                width: 0,
            }),
        }
    }

    /// One more file done; redraws the line if the last redraw is old enough.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled {
            return;
        }
        // Another thread drawing right now is as good as drawing: skip rather than wait.
        let Ok(mut screen) = self.screen.try_lock() else {
            return;
        };
        if screen.last_draw.elapsed() < REDRAW_EVERY {
            return;
        }
        let text = line(self.verb, done, self.total);
        screen.width = screen.width.max(text.len());
        screen.last_draw = Instant::now();
        // A terminal that went away is no reason to stop the run.
        let _ = write!(screen.sink, "\r{text}").and_then(|()| screen.sink.flush());
    }

    /// Clears the line, if one was drawn, so the cursor is back at the start of an empty line.
    pub fn finish(&self) {
        let Ok(mut screen) = self.screen.lock() else {
            return;
        };
        if screen.width == 0 {
            return;
        }
        let blank = " ".repeat(screen.width);
        screen.width = 0;
        let _ = write!(screen.sink, "\r{blank}\r").and_then(|()| screen.sink.flush());
    }
}

/// The progress text, without the carriage return: `checked 12/300 files`.
fn line(verb: &str, done: usize, total: usize) -> String {
    format!("{verb} {done}/{total} files")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{Progress, line};

    /// A sink the test can read back.
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn progress(total: usize, enabled: bool) -> (Progress, Captured) {
        let captured = Captured::default();
        let progress = Progress::with_sink("checked", total, enabled, Box::new(captured.clone()));
        (progress, captured)
    }

    /// Pretend the last redraw was long ago, so the next tick draws.
    fn age(progress: &Progress) {
        progress.screen.lock().unwrap().last_draw -= super::REDRAW_EVERY * 2;
    }

    #[test]
    fn formats_count_and_total() {
        assert_eq!(line("checked", 0, 3), "checked 0/3 files");
        assert_eq!(line("checked", 120, 758), "checked 120/758 files");
        assert_eq!(line("rewrote", 758, 758), "rewrote 758/758 files");
    }

    #[test]
    fn disabled_progress_writes_nothing() {
        let (progress, captured) = progress(100, false);
        for _ in 0..100 {
            age(&progress);
            progress.tick();
        }
        progress.finish();
        assert_eq!(captured.text(), "");
    }

    #[test]
    fn a_quick_run_writes_nothing() {
        let (progress, captured) = progress(100, true);
        for _ in 0..100 {
            progress.tick();
        }
        progress.finish();
        assert_eq!(captured.text(), "");
    }

    #[test]
    fn redraws_in_place_and_clears_at_the_end() {
        let (progress, captured) = progress(120, true);
        age(&progress);
        progress.tick();
        // Within the redraw interval: counted, not drawn.
        for _ in 0..8 {
            progress.tick();
        }
        age(&progress);
        progress.tick();
        progress.finish();
        let blank = " ".repeat("checked 10/120 files".len());
        assert_eq!(
            captured.text(),
            format!("\rchecked 1/120 files\rchecked 10/120 files\r{blank}\r")
        );
    }

    #[test]
    fn counts_ticks_from_many_threads() {
        let (progress, _) = progress(4000, true);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..1000 {
                        progress.tick();
                    }
                });
            }
        });
        assert_eq!(
            progress.done.load(std::sync::atomic::Ordering::Relaxed),
            4000
        );
    }
}
