//! `dfslim check --format sarif` gives a SARIF 2.1.0 log that GitHub code scanning accepts:
//! `version`, `$schema`, `tool.driver` with every rule (id, short and full description,
//! help) and, per result, `ruleId`, a `ruleIndex` pointing at that rule, `level`,
//! `message.text` and a physical location with a relative URI and a full region.

use std::process::Command;

use dfslim::rules::{RULES, Severity};
use serde_json::Value;

fn sarif_of(files: &[&str]) -> (Value, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--isolated", "--format", "sarif"])
        .args(files)
        .output()
        .expect("dfslim runs");
    let log = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (log, output.status.code().unwrap_or(-1))
}

fn text<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{pointer} is not a string in {value}"))
}

fn number(value: &Value, pointer: &str) -> u64 {
    value
        .pointer(pointer)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("{pointer} is not a number in {value}"))
}

fn level_of(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[test]
fn sarif_log_has_what_code_scanning_reads() {
    let (log, status) = sarif_of(&[
        "testdata/rules/DFS003/catches-cmd-shell-form.Dockerfile",
        "testdata/rules/DFS009/catches-node-on-nodejs22.Dockerfile",
        "testdata/rules/DFS002/catches-busybox.Dockerfile",
    ]);
    assert_eq!(status, 1, "findings exit 1 in every format");
    assert_eq!(text(&log, "/version"), "2.1.0");
    assert!(text(&log, "/$schema").contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(text(run, "/tool/driver/name"), "dfslim");
    assert!(!text(run, "/tool/driver/version").is_empty());

    let rules = run
        .pointer("/tool/driver/rules")
        .and_then(Value::as_array)
        .expect("tool.driver.rules");
    assert_eq!(rules.len(), RULES.len(), "every rule is listed");
    for (sarif_rule, rule) in rules.iter().zip(RULES) {
        assert_eq!(text(sarif_rule, "/id"), rule.code);
        assert_eq!(text(sarif_rule, "/name"), rule.name);
        assert_eq!(text(sarif_rule, "/shortDescription/text"), rule.summary);
        let full = text(sarif_rule, "/fullDescription/text");
        assert!(
            full.len() > 20 && full != rule.summary,
            "{}: {full}",
            rule.code
        );
        assert!(text(sarif_rule, "/help/text").contains("## Why is this bad?"));
        assert_eq!(
            text(sarif_rule, "/defaultConfiguration/level"),
            level_of(rule.severity)
        );
    }

    let results = run["results"].as_array().expect("results");
    let mut seen = Vec::new();
    for result in results {
        let rule_id = text(result, "/ruleId");
        let index = number(result, "/ruleIndex") as usize;
        assert_eq!(
            text(&rules[index], "/id"),
            rule_id,
            "ruleIndex points at its rule"
        );
        let rule = RULES[index];
        assert_eq!(text(result, "/level"), level_of(rule.severity));
        assert!(!text(result, "/message/text").is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = text(location, "/artifactLocation/uri");
        assert!(
            uri.starts_with("testdata/rules/") && !uri.contains('\\'),
            "{uri}"
        );
        let (start_line, start_column, end_line, end_column) = (
            number(location, "/region/startLine"),
            number(location, "/region/startColumn"),
            number(location, "/region/endLine"),
            number(location, "/region/endColumn"),
        );
        assert!(start_line >= 1 && start_column >= 1);
        assert!(end_line > start_line || (end_line == start_line && end_column > start_column));
        seen.push((
            uri.to_string(),
            rule_id.to_string(),
            start_line,
            start_column,
            end_line,
            end_column,
        ));
    }
    let node = "testdata/rules/DFS009/catches-node-on-nodejs22.Dockerfile".to_string();
    assert!(
        seen.contains(&(node, "DFS009".into(), 11, 1, 11, 26)),
        "CMD [\"node\", \"server.js\"] on line 11: {seen:#?}"
    );
    for code in ["DFS002", "DFS003", "DFS009"] {
        assert!(seen.iter().any(|s| s.1 == code), "{code} in {seen:#?}");
    }
}

#[test]
fn clean_files_give_a_valid_log_without_results() {
    let (log, status) =
        sarif_of(&["testdata/rules/DFS001/ok-distroless-static-nonroot.Dockerfile"]);
    assert_eq!(status, 0);
    assert_eq!(text(&log, "/version"), "2.1.0");
    assert_eq!(
        log.pointer("/runs/0/results"),
        Some(&Value::Array(Vec::new()))
    );
    assert_eq!(
        log.pointer("/runs/0/tool/driver/rules")
            .and_then(Value::as_array)
            .map(Vec::len),
        Some(RULES.len())
    );
}

/// Artifact URIs are RFC 3986 references: percent-encoded, relative ones against
/// `%SRCROOT%` (the folder dfslim ran in), absolute ones as `file://` URIs.
#[test]
fn artifact_uris_are_encoded_and_anchored() {
    let dir = tempfile::tempdir().unwrap();
    let name = "my file#1%.Dockerfile";
    std::fs::write(dir.path().join(name), "FROM debian:bookworm\nCMD [\"x\"]\n").unwrap();
    let run = |arg: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dfslim"))
            .args(["check", "--format", "sarif", arg])
            .current_dir(dir.path())
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let relative = run(name);
    let location =
        &relative["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "my%20file%231%25.Dockerfile");
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    let root = relative["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let absolute = run(&dir.path().join(name).display().to_string());
    let location =
        &absolute["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = location["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/my%20file%231%25.Dockerfile"),
        "{uri}"
    );
    assert!(location.get("uriBaseId").is_none());
}
