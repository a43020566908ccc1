//! The plan of a rewrite: what it decided and why, in the schema `rewrite --format json`
//! prints (PRODUCT.md), plus the edits that carry it out.

use serde::Serialize;

use crate::analysis::level::Level;
use crate::rewrite::edit::Edit;
use crate::syntax::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The file changes.
    Rewritten,
    /// The final stage is already at the wanted level.
    Unchanged,
    /// No rewrite can be proven right; `reason` says what blocks it.
    Declined,
}

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

/// One `COPY --from` of the new final stage, with the reason it is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CopyPlan {
    pub from: String,
    pub src: String,
    pub dest: String,
    pub why: String,
}

/// Something the user should know about the rewritten file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub status: Status,
    pub reason: Option<Decline>,
    /// The stage that now feeds the new final stage (or the retargeted stage).
    pub stage: Option<String>,
    pub base_before: Option<String>,
    pub base_after: Option<String>,
    pub level_before: Level,
    pub level_after: Level,
    pub copies: Vec<CopyPlan>,
    pub warnings: Vec<Warning>,
    #[serde(skip)]
    pub edits: Vec<Edit>,
}

impl Plan {
    pub fn unchanged(base: Option<String>, level: Level) -> Plan {
        Plan {
            status: Status::Unchanged,
            reason: None,
            stage: None,
            base_before: base.clone(),
            base_after: base,
            level_before: level,
            level_after: level,
            copies: Vec::new(),
            warnings: Vec::new(),
            edits: Vec::new(),
        }
    }

    pub fn declined(base: Option<String>, level: Level, decline: Decline) -> Plan {
        Plan {
            status: Status::Declined,
            reason: Some(decline),
            ..Plan::unchanged(base, level)
        }
    }
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
