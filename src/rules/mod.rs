//! The rule engine: one rule per file, each with a stable `DFSnnn` code that is never
//! reused, a kebab-case name, a severity, its documentation and one `check` function.
//!
//! Rule code, name, file and fixture folder share one identity:
//! `DFS001` / `final-stage-full-distro` / `src/rules/dfs001_final_stage_full_distro.rs` /
//! `testdata/rules/DFS001/`. [`RULES`] is the registry; `dfslim rules`, `dfslim explain`,
//! SARIF's `rules[]` and the README's table are all generated from it.

use serde::Serialize;

use crate::analysis::catalogue::ImageFacts;
use crate::analysis::model::Model;
use crate::analysis::stages::Stage;
use crate::ecosystems::{CopiedArtifact, Linkage, copied_artifacts};
use crate::syntax::{Item, Span, edit_distance};

mod dfs001_final_stage_full_distro;
mod dfs002_final_stage_has_shell;
mod dfs003_shell_form_command_without_shell;
mod dfs004_final_stage_runs_as_root;
mod dfs005_run_without_shell;
mod dfs006_healthcheck_needs_missing_program;
mod dfs007_dynamic_artifact_on_static_image;
mod dfs008_user_does_not_exist;
mod dfs009_interpreter_run_twice;
mod dfs010_runtime_version_mismatch;
mod dfs011_musl_artifact_on_glibc_image;
mod dfs012_final_image_unknown;

/// How serious a finding is. The order matters: `--failure-threshold` compares with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule: identity, documentation and the check itself.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Whether `dfslim rewrite` fixes what this rule finds.
    pub fixable: bool,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown with the headings What it does / Why is this bad? / Example / Fix.
    pub doc: &'static str,
    pub check: fn(&Model<'_>, &mut Vec<Finding>),
}

impl Rule {
    /// The "What it does" section of the documentation as one paragraph: what the rule
    /// reports, longer than [`Rule::summary`] (SARIF's `fullDescription`).
    pub fn description(&self) -> String {
        self.doc
            .split("## ")
            .find_map(|section| section.strip_prefix("What it does\n"))
            .unwrap_or(self.summary)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &dfs001_final_stage_full_distro::RULE,
    &dfs002_final_stage_has_shell::RULE,
    &dfs003_shell_form_command_without_shell::RULE,
    &dfs004_final_stage_runs_as_root::RULE,
    &dfs005_run_without_shell::RULE,
    &dfs006_healthcheck_needs_missing_program::RULE,
    &dfs007_dynamic_artifact_on_static_image::RULE,
    &dfs008_user_does_not_exist::RULE,
    &dfs009_interpreter_run_twice::RULE,
    &dfs010_runtime_version_mismatch::RULE,
    &dfs011_musl_artifact_on_glibc_image::RULE,
    &dfs012_final_image_unknown::RULE,
];

/// Look a rule up by code (`DFS001`, case-insensitive) or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// One problem found in a file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}

/// What most rules start from: the final stage, what the catalogue knows of its image, and
/// the image's name for messages.
struct FinalImage<'m, 't> {
    stage: &'m Stage<'t>,
    facts: &'m ImageFacts,
    name: String,
}

impl<'t> FinalImage<'_, 't> {
    /// `None` when there is no final stage or the catalogue does not know its image: rules
    /// report nothing on what they do not know.
    fn of<'m>(model: &'m Model<'t>) -> Option<FinalImage<'m, 't>> {
        let stage = model.final_stage()?;
        Some(FinalImage {
            stage,
            facts: model.facts(stage.index)?,
            name: model.root_image(stage.index)?.familiar(),
        })
    }

    /// The image word of the final `FROM` (or its keyword when it has none).
    fn image_span(&self) -> Span {
        self.stage
            .image_word
            .map_or(self.stage.from.keyword_word.span, |w| w.span)
    }
}

/// The binaries that `COPY --from=<stage>` brings into a stage, with their linkage, unless
/// the stage may also bring shared libraries or a loader (then which C library it has is
/// no longer what its image says).
fn copied_binaries<'t>(model: &Model<'t>, stage: usize) -> Vec<(CopiedArtifact<'t>, Linkage)> {
    if crate::ecosystems::transfers(model, stage)
        .iter()
        .any(|t| t.may_provide_libraries())
    {
        return Vec::new();
    }
    copied_artifacts(model, stage)
        .into_iter()
        .filter_map(|copied| {
            let linkage = copied.artifact.linkage()?;
            Some((copied, linkage))
        })
        .collect()
}

/// Which rules run: `select` (empty = all) minus `ignore`, by code or code prefix (`DFS00`).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn enabled(&self, rule: &Rule) -> bool {
        let matches = |pattern: &String| {
            let p = pattern.to_ascii_uppercase();
            rule.code.starts_with(&p) || pattern == rule.name || p == "ALL"
        };
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// Whether a `--select`/`--ignore` pattern names at least one rule: a code, a code prefix
/// (`DFS00`), a rule name or `ALL`. When it names none, the error says which real code or
/// name is closest, since a typo there otherwise selects nothing and passes CI silently.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    let probe = Selection {
        select: vec![pattern.to_string()],
        ignore: Vec::new(),
    };
    if !pattern.is_empty() && RULES.iter().any(|r| probe.enabled(r)) {
        return Ok(());
    }
    let upper = pattern.to_ascii_uppercase();
    let closest = RULES
        .iter()
        .flat_map(|r| {
            [
                (edit_distance(&upper, r.code), r.code),
                (edit_distance(pattern, r.name), r.name),
            ]
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
        .unwrap_or("DFS001");
    Err(format!(
        "no rule matches `{pattern}`; the closest is `{closest}` (`dfslim rules` lists them all)"
    ))
}

/// Run the selected rules and drop what inline comments suppress. Findings come sorted by
/// position, then code.
pub fn check(model: &Model<'_>, selection: &Selection) -> Vec<Finding> {
    let suppressions = Suppressions::read(model);
    let mut findings = Vec::new();
    for rule in RULES.iter().copied().filter(|r| selection.enabled(r)) {
        let mut found = Vec::new();
        (rule.check)(model, &mut found);
        findings.extend(found.into_iter().filter(|f| !suppressions.suppresses(f)));
    }
    findings.sort_by(|a, b| (a.span.start, a.rule.code).cmp(&(b.span.start, b.rule.code)));
    findings
}

/// Whether the file's comments suppress the rule `code` at byte `offset`: `# dfslim global
/// ignore=…` anywhere, or `# dfslim ignore=…` above the instruction there. `rewrite` asks
/// it of DFS001 on the final `FROM`: a user who silenced that finding asked dfslim to leave
/// the stage alone, and both commands must agree on it.
pub fn suppressed(model: &Model<'_>, code: &str, offset: usize) -> bool {
    find(code).is_some_and(|rule| Suppressions::read(model).suppresses_at(rule, offset))
}

/// The codes `# dfslim ignore=…` comments name that are no rule's code or name (`DFS999`,
/// a typo), with the comment's span: they suppress nothing, which the user should hear, as
/// ruff reports an invalid `# noqa`.
pub fn unknown_suppressions(model: &Model<'_>) -> Vec<(Span, String)> {
    let mut unknown = Vec::new();
    for item in &model.tree.items {
        let Item::Comment(comment) = item else {
            continue;
        };
        let Some((_, codes)) = ignore_comment(comment.text_span.slice(model.src)) else {
            continue;
        };
        for code in codes {
            if !RULES.iter().any(|r| r.code == code || r.name == code) {
                unknown.push((comment.text_span, code));
            }
        }
    }
    unknown
}

/// `# dfslim ignore=DFS001,DFS004` on its own line suppresses those codes on the next
/// instruction; `# dfslim global ignore=…` anywhere suppresses them in the whole file.
struct Suppressions {
    global: Vec<String>,
    /// (span of the instruction, codes)
    local: Vec<(Span, Vec<String>)>,
}

impl Suppressions {
    fn read(model: &Model<'_>) -> Suppressions {
        let mut global = Vec::new();
        let mut local = Vec::new();
        let mut pending: Vec<String> = Vec::new();
        for item in &model.tree.items {
            match item {
                Item::Comment(comment) => {
                    match ignore_comment(comment.text_span.slice(model.src)) {
                        Some((true, codes)) => global.extend(codes),
                        Some((false, codes)) => pending.extend(codes),
                        None => {}
                    }
                }
                Item::Instruction(instruction) => {
                    if !pending.is_empty() {
                        local.push((instruction.span, std::mem::take(&mut pending)));
                    }
                }
                Item::Blank { .. }
                | Item::Bom { .. }
                | Item::Directive(_)
                | Item::Skipped { .. } => {}
            }
        }
        Suppressions { global, local }
    }

    fn suppresses(&self, finding: &Finding) -> bool {
        self.suppresses_at(finding.rule, finding.span.start)
    }

    fn suppresses_at(&self, rule: &Rule, offset: usize) -> bool {
        let hit = |codes: &Vec<String>| codes.iter().any(|c| c == rule.code || c == rule.name);
        hit(&self.global)
            || self.local.iter().any(|(span, codes)| {
                span.start <= offset && offset < span.end.max(span.start + 1) && hit(codes)
            })
    }
}

/// The codes a comment's text names, if it is `# dfslim ignore=…` (`false`) or `# dfslim
/// global ignore=…` (`true`): the one reading of both the suppressions and their check.
fn ignore_comment(text: &str) -> Option<(bool, Vec<String>)> {
    let rest = text
        .trim_start_matches('#')
        .trim()
        .strip_prefix("dfslim")?
        .trim_start();
    if let Some(codes) = rest.strip_prefix("global ignore=") {
        Some((true, parse_codes(codes)))
    } else {
        rest.strip_prefix("ignore=")
            .map(|codes| (false, parse_codes(codes)))
    }
}

fn parse_codes(text: &str) -> Vec<String> {
    text.split(',')
        .map(|c| c.split_whitespace().next().unwrap_or("").to_string())
        .filter(|c| !c.is_empty())
        .map(|c| {
            if c.to_ascii_uppercase().starts_with("DFS") {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_name_a_rule_or_suggest_one() {
        for pattern in ["DFS001", "dfs00", "DFS", "ALL", "final-stage-full-distro"] {
            assert_eq!(check_pattern(pattern), Ok(()), "{pattern}");
        }
        let err = check_pattern("DFS0001").unwrap_err();
        assert!(err.contains("closest is `DFS001`"), "{err}");
        let err = check_pattern("final-stage-runs-as-rot").unwrap_err();
        assert!(err.contains("`final-stage-runs-as-root`"), "{err}");
        assert!(check_pattern("").is_err());
    }

    #[test]
    fn registry_is_in_code_order_with_documented_rules() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for rule in RULES {
            assert!(
                rule.code.len() == 6 && rule.code.starts_with("DFS"),
                "{}",
                rule.code
            );
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: kebab-case name",
                rule.code
            );
            let headings: Vec<&str> = rule
                .doc
                .lines()
                .filter_map(|l| l.strip_prefix("## "))
                .collect();
            assert_eq!(
                headings,
                ["What it does", "Why is this bad?", "Example", "Fix"],
                "{}",
                rule.code
            );
            let description = rule.description();
            assert!(description.len() > rule.summary.len() / 2, "{}", rule.code);
            assert!(!description.contains('\n'));
            assert_eq!(find(rule.code).map(|r| r.code), Some(rule.code));
            assert_eq!(find(rule.name).map(|r| r.code), Some(rule.code));
        }
    }
}
