//! The GitHub Actions workflow documented in `docs/ci.md` is valid YAML with the steps it
//! promises, and its exact `dfslim check --format sarif` command, run on
//! `docs/examples/quickstart/`, gives SARIF with every field GitHub code scanning needs.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The first fenced `yaml` block of `docs/ci.md`, parsed.
fn workflow() -> Value {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/ci.md")).unwrap();
    let start = doc
        .find("```yaml\n")
        .expect("a ```yaml block in docs/ci.md")
        + "```yaml\n".len();
    let end = start
        + doc[start..]
            .find("\n```")
            .expect("the end of the yaml block")
        + 1;
    serde_saphyr::from_str(&doc[start..end]).expect("the workflow is valid YAML")
}

/// Every step of every job.
fn steps(workflow: &Value) -> Vec<&Value> {
    workflow["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().expect("steps"))
        .collect()
}

/// The `run` line of the step that contains `needle`.
fn run_line<'a>(steps: &[&'a Value], needle: &str) -> &'a str {
    steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .flat_map(str::lines)
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no step runs `{needle}`"))
}

#[test]
fn workflow_uploads_sarif_with_the_permission_it_needs() {
    let workflow = workflow();
    let steps = steps(&workflow);
    let upload = steps
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|uses| uses == "github/codeql-action/upload-sarif@v3")
        })
        .expect("an upload-sarif@v3 step");
    assert_eq!(upload["with"]["sarif_file"], "dfslim.sarif");
    let job = workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    assert_eq!(job["permissions"]["security-events"], "write");
    // The SARIF step must not fail, or the upload would be skipped; the annotations step
    // is the one that fails the job.
    let sarif = run_line(&steps, "dfslim check --format sarif");
    assert!(sarif.contains("--failure-threshold none") || sarif.contains("|| true"));
    assert!(sarif.ends_with("> dfslim.sarif"));
    let github = run_line(&steps, "dfslim check --format github");
    assert!(!github.contains("--failure-threshold none") && !github.contains("|| true"));
}

#[test]
fn workflow_sarif_command_gives_what_code_scanning_needs() {
    let workflow = workflow();
    let line = run_line(&steps(&workflow), "dfslim check --format sarif");
    let command = line.split('>').next().unwrap();
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "dfslim");
    assert!(
        words.iter().all(|w| !w.contains(['"', '\'', '$', '|'])),
        "the test runs the command word by word: keep it free of shell syntax: {line}"
    );

    // Run from the example folder, as the workflow runs from the checkout root.
    let dir = Path::new(ROOT).join("docs/examples/quickstart");
    let output = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(&words[1..])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "the SARIF step must succeed so the upload runs: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");

    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "dfslim");

    let rules = driver["rules"].as_array().expect("tool.driver.rules");
    assert!(!rules.is_empty());
    let non_empty = |value: &Value| value.as_str().is_some_and(|s| !s.trim().is_empty());
    for rule in rules {
        assert!(non_empty(&rule["id"]), "rule id: {rule}");
        assert!(non_empty(&rule["shortDescription"]["text"]), "{rule}");
        assert!(non_empty(&rule["fullDescription"]["text"]), "{rule}");
        assert!(non_empty(&rule["help"]["text"]), "{rule}");
    }

    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty(), "the quickstart has a finding");
    for result in results {
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        let index = rules
            .iter()
            .position(|rule| rule["id"] == rule_id)
            .unwrap_or_else(|| panic!("{rule_id} is not in tool.driver.rules"));
        if let Some(rule_index) = result["ruleIndex"].as_u64() {
            assert_eq!(rule_index as usize, index, "ruleIndex of {rule_id}");
        }
        assert!(
            ["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap()),
            "level: {result}"
        );
        assert!(non_empty(&result["message"]["text"]));

        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            !uri.starts_with('/') && !uri.starts_with("./") && dir.join(uri).is_file(),
            "uri must be a path relative to where dfslim ran: {uri}"
        );
        let region = &location["region"];
        let field = |name: &str| {
            region[name]
                .as_u64()
                .unwrap_or_else(|| panic!("region.{name}: {region}"))
        };
        let (start_line, start_column) = (field("startLine"), field("startColumn"));
        let (end_line, end_column) = (field("endLine"), field("endColumn"));
        assert!(start_line >= 1 && start_column >= 1);
        assert!(
            (end_line, end_column) > (start_line, start_column),
            "{region}"
        );
    }
}
