//! Why a rewrite cannot go ahead: a [`Decline`] names the blocker with a stable code, one
//! sentence, the instruction that causes it and what the user could do. The ecosystems
//! produce most of them (what an application needs is their knowledge); the rewrite
//! reports them in its plan.

use serde::Serialize;

use crate::syntax::Span;

/// Why a rewrite was declined, anchored to the instruction that blocks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decline {
    /// A short, stable id (`script-entrypoint`, `no-target`, …).
    pub code: &'static str,
    /// One sentence saying why.
    pub message: String,
    #[serde(skip)]
    pub span: Option<Span>,
    /// What the user could do.
    pub help: Option<String>,
}

impl Decline {
    /// Whether the decline is about the image forced with `--base` (or the config's
    /// `base`): the user asked for something that cannot work, which the CLI reports as
    /// a usage error rather than as a decline.
    pub fn is_about_forced_base(&self) -> bool {
        matches!(
            self.code,
            "bad-base" | "unknown-forced-base" | "base-mismatch"
        )
    }

    pub fn new(code: &'static str, message: impl Into<String>) -> Decline {
        Decline {
            code,
            message: message.into(),
            span: None,
            help: None,
        }
    }

    pub fn at(mut self, span: Span) -> Decline {
        self.span = Some(span);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Decline {
        self.help = Some(help.into());
        self
    }
}
