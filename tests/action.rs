//! `action.yml`, the GitHub Action, run as GitHub would run its steps: each `run:` in bash
//! with `${{ inputs.* }}` and `${{ github.action_path }}` replaced. The install step
//! (`pip install` of this repository, which builds the wheel) is stood in for by the binary
//! under test on PATH; `scripts/wheel.sh` (a `.ci/run` step) installs the real wheel.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn action() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// `${{ inputs.NAME }}` and `${{ github.action_path }}` in `text`, replaced.
fn substitute(text: &str, inputs: &[(&str, &str)]) -> String {
    let mut text = text.replace("${{ github.action_path }}", env!("CARGO_MANIFEST_DIR"));
    for (name, value) in inputs {
        text = text.replace(&format!("${{{{ inputs.{name} }}}}"), value);
    }
    assert!(!text.contains("${{"), "an expression is left: {text}");
    text
}

/// Runs the action's steps in `dir` with these inputs; returns the last step's exit code.
fn run_action(dir: &Path, inputs: &[(&str, &str)]) -> Option<i32> {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_dfslim")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut code = None;
    for step in action()["runs"]["steps"].as_array().unwrap() {
        assert_eq!(step["shell"], "bash", "{step}");
        let script = step["run"].as_str().unwrap();
        if script.contains("pip install") {
            continue;
        }
        let mut command = Command::new("bash");
        command
            .args(["-e", "-c", &substitute(script, inputs)])
            .current_dir(dir)
            .env("PATH", &path);
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                command.env(key, substitute(value.as_str().unwrap(), inputs));
            }
        }
        code = command.status().unwrap().code();
        if code != Some(0) {
            break;
        }
    }
    code
}

fn defaults() -> Vec<(String, String)> {
    action()["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["default"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn inputs_are_declared() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["paths", "fail-on", "require", "sarif-file"] {
        assert!(action["inputs"][input].is_object(), "input {input}");
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    assert!(steps[0]["run"].as_str().unwrap().contains("pip install"));
}

#[test]
fn the_steps_write_sarif_and_fail_on_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/examples/quickstart/Dockerfile"
        ),
        dir.path().join("Dockerfile"),
    )
    .unwrap();
    let defaults = defaults();
    let inputs: Vec<(&str, &str)> = defaults
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // The quickstart has warnings (DFS001, DFS004): with `fail-on: warning` the step fails,
    // as the job should, and the report is written first.
    assert_eq!(run_action(dir.path(), &inputs), Some(1));
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("dfslim.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "DFS001"),
        "{results:?}"
    );

    // `fail-on: none` passes; `require: distroless` fails on the level alone.
    let with = |name: &str, value: &'static str| -> Vec<(&str, &str)> {
        inputs
            .iter()
            .map(|&(k, v)| if k == name { (k, value) } else { (k, v) })
            .collect()
    };
    assert_eq!(run_action(dir.path(), &with("fail-on", "none")), Some(0));
    let strict: Vec<(&str, &str)> = with("fail-on", "none")
        .into_iter()
        .map(|(k, v)| {
            if k == "require" {
                (k, "distroless")
            } else {
                (k, v)
            }
        })
        .collect();
    assert_eq!(run_action(dir.path(), &strict), Some(1));
}
