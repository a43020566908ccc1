//! `dfslim rules` and `dfslim explain`: the rule registry, for people and for tools.
//! `explain` also knows the decline codes of `dfslim rewrite` (`dfslim declines`).

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use serde_json::json;

use dfslim::ecosystems::DeclineCode;
use dfslim::rules::{self, RULES};

use super::{Out, Outcome};

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// An aligned table.
    Text,
    /// A Markdown table (the README's).
    Markdown,
    Json,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (`DFS001`) or name (`final-stage-full-distro`), or a decline code of
    /// `dfslim rewrite` (`musl`).
    pub rule: String,
}

pub fn rules(args: &RulesArgs, out: &Out) -> Outcome {
    out.stdout(&match args.format {
        RulesFormat::Text => text_table(),
        RulesFormat::Markdown => markdown_table(),
        RulesFormat::Json => {
            let list: Vec<_> = RULES
                .iter()
                .map(|r| {
                    json!({"code": r.code, "name": r.name, "severity": r.severity,
                           "fixable": r.fixable, "summary": r.summary})
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            )
        }
    });
    Outcome::Clean
}

fn text_table() -> String {
    let name_width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(4);
    let mut text = format!(
        "{:<6}  {:<name_width$}  {:<8}  {:<7}  SUMMARY\n",
        "CODE", "NAME", "SEVERITY", "FIXABLE"
    );
    for r in RULES {
        let _ = writeln!(
            text,
            "{:<6}  {:<name_width$}  {:<8}  {:<7}  {}",
            r.code,
            r.name,
            r.severity.as_str(),
            if r.fixable { "yes" } else { "no" },
            r.summary
        );
    }
    text
}

/// The README's rules table; a test keeps the README in step with it.
pub fn markdown_table() -> String {
    let mut text = String::from(
        "| Code | Name | Severity | Fixable | What it reports |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        let _ = writeln!(
            text,
            "| {} | `{}` | {} | {} | {} |",
            r.code,
            r.name,
            r.severity.as_str(),
            if r.fixable { "yes" } else { "no" },
            r.summary
        );
    }
    text
}

pub fn explain(args: &ExplainArgs, out: &Out) -> Outcome {
    match rules::find(&args.rule) {
        Some(rule) => {
            out.stdout(&format!(
                "# {} ({})\n\nSeverity: {}. Fixable by `dfslim rewrite`: {}.\n\n{}",
                rule.name,
                rule.code,
                rule.severity.as_str(),
                if rule.fixable { "yes" } else { "no" },
                rule.doc
            ));
            Outcome::Clean
        }
        None if let Some(code) = DeclineCode::from_name(&args.rule) => {
            out.stdout(&super::declines_cmd::explanation(code, "#"));
            Outcome::Clean
        }
        None => {
            out.error(&format!(
                "no rule or decline code `{}`; `dfslim rules` and `dfslim declines` list them",
                args.rule
            ));
            Outcome::Error
        }
    }
}
