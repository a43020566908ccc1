//! The plan of a rewrite: what it decided and why, in the schema `rewrite --format json`
//! prints (PRODUCT.md), plus the edits that carry it out.

use serde::Serialize;

use crate::analysis::level::Level;
pub use crate::ecosystems::{Decline, DeclineCode};
use crate::rewrite::edit::Edit;

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

/// One `COPY --from` of the new final stage, with the reason it is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CopyPlan {
    pub from: String,
    pub src: String,
    pub dest: String,
    pub why: String,
    /// What the copy rests on: `static` (the Dockerfile's text) or `built` (the image
    /// `rewrite --build` built and read).
    pub evidence: &'static str,
    /// For a `built` copy of a file: its sha256 and size in the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// For a `traced` copy: the probe during which the application first used the file
    /// (none: at start-up, before any probe).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
}

impl CopyPlan {
    /// A copy the Dockerfile's text proves.
    pub fn stated(from: &str, src: &str, dest: &str, why: &str) -> CopyPlan {
        CopyPlan {
            from: from.to_string(),
            src: src.to_string(),
            dest: dest.to_string(),
            why: why.to_string(),
            evidence: "static",
            sha256: None,
            size: None,
            probe: None,
        }
    }
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
    /// The family the final image's level comes from, when the catalogue knows its name
    /// but not its tag (`distroless (by family)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_by_family: Option<String>,
    pub copies: Vec<CopyPlan>,
    pub warnings: Vec<Warning>,
    /// Every blocker of a decline, the most fundamental first; the first is `reason`.
    /// Rendered by the CLI, which knows the text to give each its line and column.
    #[serde(skip)]
    pub blockers: Vec<Decline>,
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
            level_by_family: None,
            copies: Vec::new(),
            warnings: Vec::new(),
            blockers: Vec::new(),
            edits: Vec::new(),
        }
    }

    pub fn declined(base: Option<String>, level: Level, decline: Decline) -> Plan {
        Plan {
            status: Status::Declined,
            blockers: vec![decline.clone()],
            reason: Some(decline),
            ..Plan::unchanged(base, level)
        }
    }
}
