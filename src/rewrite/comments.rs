//! Phase 2's evidence from the Dockerfile's own comments: a comment on the final stage,
//! or just above its FROM, that names the shell (`# scratch has no /bin/sh, so for
//! convenience we use busybox`) says the image was chosen for its shell, to exec into
//! and read what the app writes. The new image has none, so that use would fail.
//!
//! Words about a command's syntax (`shell form`, `shell-style CMD`) or about a script
//! are not about the image's shell, and are skipped.

use super::Planner;
use crate::ecosystems::decline::Decline;

/// Words that name a shell to use in the container.
const SHELL_WORDS: &[&str] = &[
    "shell",
    "/bin/sh",
    "/bin/bash",
    "/bin/ash",
    "docker exec",
    "kubectl exec",
    "exec into",
];

/// What may follow `shell` when it is about syntax or a file, not the image's shell.
const NOT_THE_SHELL: &[&str] = &[" form", "-form", "-style", " style", " script", "-script"];

impl Planner<'_, '_> {
    /// Declines when a comment of the final stage says its shell is wanted.
    pub(super) fn check_shell_comment(&self) -> Result<(), Decline> {
        match shell_comment(self.model.src, self.stage) {
            Some((line, text)) => Err(self.runs_in_container(
                format!(
                    "the comment on line {line} (`{text}`) says the image is wanted with its shell, which the new image does not have"
                ),
                "if the shell is not needed any more, drop the comment and run dfslim again",
            )),
            None => Ok(()),
        }
    }
}

/// The first comment of `stage` (or of the block just above its FROM) that names the
/// shell in a block of comments that also names why: a choice of base image (`scratch`,
/// `busybox`) or a use (`debug`, `exec`). `# Heroku runs the CMD through /bin/sh -c`
/// describes, and wants nothing. Returns its 1-based line number and text.
fn shell_comment(src: &str, stage: &crate::analysis::stages::Stage<'_>) -> Option<(usize, String)> {
    let from_start = stage.from.line_span.start;
    let end = stage
        .instructions
        .last()
        .map_or(stage.from.line_span.end, |i| i.line_span.end);
    // The stage's lines, then the comment lines just above the FROM (blank lines between).
    let above = src[..from_start]
        .lines()
        .rev()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .count();
    let first_line = src[..from_start].lines().count() - above;
    let lines: Vec<&str> = src[..from_start]
        .lines()
        .skip(first_line)
        .chain(src[from_start..end].lines())
        .collect();
    // Blocks of consecutive comment lines.
    let mut at = 0;
    while at < lines.len() {
        let comment = |n: usize| lines.get(n).and_then(|l| l.trim_start().strip_prefix('#'));
        if comment(at).is_none() {
            at += 1;
            continue;
        }
        let block_end = (at..=lines.len())
            .find(|n| comment(*n).is_none())
            .unwrap_or(lines.len());
        let texts: Vec<&str> = (at..block_end).filter_map(comment).collect();
        let lower = texts.join(" ").to_ascii_lowercase();
        if WHY_WORDS.iter().any(|w| lower.contains(w))
            && let Some(n) = texts.iter().position(|t| names_the_shell(t))
        {
            return Some((first_line + at + n + 1, texts[n].trim().to_string()));
        }
        at = block_end;
    }
    None
}

/// Words that say why the shell is there: the base chosen for it, or what it is for.
const WHY_WORDS: &[&str] = &[
    "scratch",
    "distroless",
    "busybox",
    "alpine",
    "debug",
    "exec",
    "convenien",
    "convinien",
    "troubleshoot",
];

/// Whether a comment's text names the image's shell.
fn names_the_shell(comment: &str) -> bool {
    let lower = comment.to_ascii_lowercase();
    SHELL_WORDS.iter().any(|word| {
        lower.match_indices(word).any(|(at, _)| {
            let after = &lower[at + word.len()..];
            let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            before_ok
                && !after.starts_with(|c: char| c.is_ascii_alphanumeric())
                && !(*word == "shell" && NOT_THE_SHELL.iter().any(|n| after.starts_with(n)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_that_wants_the_shell() {
        assert!(names_the_shell(
            " // scratch image does not contain /bin/sh,"
        ));
        assert!(names_the_shell(
            " alpine, so that we can get a shell in the pod"
        ));
        assert!(names_the_shell(" kubectl exec -it app -- sh"));
        assert!(!names_the_shell(
            " We use exec form, not shell form, for signals"
        ));
        assert!(!names_the_shell(" shell-style CMD"));
        assert!(!names_the_shell(" run the entrypoint shell script"));
        assert!(!names_the_shell(" a nutshell"));
    }
}
