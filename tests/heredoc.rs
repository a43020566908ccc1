//! Heredoc expectations (`testdata/heredoc/cases.yaml`) checked against the parser.
//!
//! Every case is run; failures are collected and reported together, each under the case's
//! name, so one broken rule does not hide the others.

use std::fmt::Write as _;

use dfslim::syntax::{Args, Dockerfile, Heredoc, Instruction, parse};
use serde::Deserialize;

const CASES: &str = include_str!("../testdata/heredoc/cases.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    about: String,
    input: String,
    /// Absent: the instructions are not checked (error cases).
    instructions: Option<Vec<ExpectedInstruction>>,
    /// Absent: no error is expected. `"*"` matches one error of any code.
    errors: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedInstruction {
    keyword: String,
    #[serde(default)]
    heredocs: Vec<ExpectedHeredoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedHeredoc {
    name: String,
    expand: bool,
    chomp: bool,
    fd: Option<u32>,
    /// BuildKit's parser-level Content: tabs kept even for `<<-`.
    content: String,
    /// For `<<-`: the content with leading tabs stripped, as the builder uses it.
    effective: Option<String>,
    /// The source bytes of the body lines, when the case pins them.
    body: Option<String>,
}

fn load_cases() -> Vec<Case> {
    let cases: Vec<Case> = serde_saphyr::from_str(CASES).expect("cases.yaml is valid");
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        assert!(
            names.insert(case.name.as_str()),
            "duplicate case name {}",
            case.name
        );
        assert!(!case.about.is_empty(), "case {} has no `about`", case.name);
    }
    cases
}

/// The heredocs of an instruction. For ONBUILD, BuildKit attaches the trigger's heredocs
/// to the ONBUILD node; the tree may hold them on either, so take whichever has them.
fn heredocs_of(ins: &Instruction) -> &[Heredoc] {
    if !ins.heredocs.is_empty() {
        return &ins.heredocs;
    }
    match &ins.args {
        Args::Onbuild { trigger } => &trigger.heredocs,
        _ => &ins.heredocs,
    }
}

fn check_case(case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let src = case.input.as_str();
    let tree: Dockerfile =
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(src))) {
            Ok(tree) => tree,
            Err(_) => return vec!["parse panicked".to_string()],
        };

    if let Some(expected) = &case.instructions {
        let got: Vec<&Instruction> = tree.instructions().collect();
        let got_keywords: Vec<&str> = got.iter().map(|i| i.keyword.as_str()).collect();
        let want_keywords: Vec<&str> = expected.iter().map(|i| i.keyword.as_str()).collect();
        if got_keywords != want_keywords {
            problems.push(format!(
                "keywords: expected {want_keywords:?}, got {got_keywords:?}"
            ));
        } else {
            for (n, (want, ins)) in expected.iter().zip(&got).enumerate() {
                check_heredocs(src, n, want, heredocs_of(ins), &mut problems);
            }
        }
    }

    let mut got_codes: Vec<&str> = tree.errors.iter().map(|e| e.code).collect();
    let want_codes: Vec<&str> = case
        .errors
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .collect();
    got_codes.sort_unstable();
    let mut wildcards = 0;
    let mut unmatched = Vec::new();
    for code in &want_codes {
        if *code == "*" {
            wildcards += 1;
        } else if let Some(at) = got_codes.iter().position(|c| c == code) {
            got_codes.remove(at);
        } else {
            unmatched.push(*code);
        }
    }
    if !unmatched.is_empty() || got_codes.len() != wildcards {
        let all: Vec<String> = tree
            .errors
            .iter()
            .map(|e| format!("{} ({})", e.code, e.message))
            .collect();
        problems.push(format!("errors: expected {want_codes:?}, got {all:?}"));
    }
    problems
}

fn check_heredocs(
    src: &str,
    n: usize,
    want: &ExpectedInstruction,
    got: &[Heredoc],
    problems: &mut Vec<String>,
) {
    if want.heredocs.len() != got.len() {
        let names: Vec<&str> = got.iter().map(|h| h.name.as_str()).collect();
        problems.push(format!(
            "instruction {n} ({}): expected {} heredoc(s), got {} {names:?}",
            want.keyword,
            want.heredocs.len(),
            got.len()
        ));
        return;
    }
    for (k, (w, h)) in want.heredocs.iter().zip(got).enumerate() {
        let at = format!("instruction {n} ({}) heredoc {k}", want.keyword);
        if w.name != h.name {
            problems.push(format!(
                "{at}: name: expected {:?}, got {:?}",
                w.name, h.name
            ));
        }
        if w.expand != h.expand {
            problems.push(format!(
                "{at}: expand: expected {}, got {}",
                w.expand, h.expand
            ));
        }
        if w.chomp != h.chomp {
            problems.push(format!(
                "{at}: chomp: expected {}, got {}",
                w.chomp, h.chomp
            ));
        }
        if w.fd != h.fd {
            problems.push(format!("{at}: fd: expected {:?}, got {:?}", w.fd, h.fd));
        }
        if w.content != h.content {
            problems.push(format!(
                "{at}: content: expected {:?}, got {:?}",
                w.content, h.content
            ));
        }
        let effective = h.effective_content();
        match &w.effective {
            Some(want) if *want != effective => problems.push(format!(
                "{at}: effective content: expected {want:?}, got {effective:?}"
            )),
            None if effective != w.content => problems.push(format!(
                "{at}: effective content: expected it to equal the content {:?}, got {effective:?}",
                w.content
            )),
            _ => {}
        }
        if let Some(body) = &w.body {
            let got_body = src.get(h.body.start..h.body.end);
            if got_body != Some(body.as_str()) {
                problems.push(format!(
                    "{at}: body bytes: expected {body:?}, got {got_body:?} (span {:?})",
                    h.body
                ));
            }
        }
    }
}

#[test]
fn heredoc_cases() {
    let cases = load_cases();
    assert!(cases.len() >= 40, "only {} cases loaded", cases.len());
    let mut report = String::new();
    let mut failed = 0;
    for case in &cases {
        let problems = check_case(case);
        if problems.is_empty() {
            continue;
        }
        failed += 1;
        let _ = writeln!(report, "\n[{}] {}", case.name, case.about);
        for p in problems {
            let _ = writeln!(report, "    {p}");
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} heredoc cases failed:{report}",
        cases.len()
    );
}
