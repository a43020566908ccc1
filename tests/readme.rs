//! The README against what it describes: its rules table is generated from the rule
//! registry (regenerate it with `dfslim rules --format markdown`), its pre-commit snippet
//! names no missing tag, and `.ci/run` agrees with it on the test command.

#[test]
fn readme_rules_table_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("rules:start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    let generated = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        &readme[start..end],
        generated,
        "README.md's rules table is out of date: paste `dfslim rules --format markdown` between the markers"
    );
}

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The pre-commit snippet names no release that does not exist: with no tag in the
/// repository it shows a placeholder and says what to put there.
#[test]
fn readme_precommit_rev_names_no_missing_tag() {
    let readme = repo_file("README.md");
    let rev = readme
        .lines()
        .find_map(|l| l.trim().strip_prefix("rev: "))
        .expect("the pre-commit snippet has a rev: line");
    let value = rev.split(" #").next().unwrap().trim();
    let tags = std::process::Command::new("git")
        .args(["tag", "--list"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        tags.lines().any(|t| t == value) || (value.starts_with('<') && rev.contains('#')),
        "README's `rev: {value}` is neither a tag nor a placeholder with a comment"
    );
}

/// `.ci/run` and the README agree on what the README's test command is.
#[test]
fn ci_run_and_readme_name_the_same_test_command() {
    let readme = repo_file("README.md");
    let ci = repo_file(".ci/run");
    assert!(
        readme.contains("bash .ci/run "),
        "the README's set-up names `bash .ci/run`"
    );
    assert!(
        ci.contains("README's\n# test command (`bash .ci/run`)"),
        ".ci/run's comment says that it is the README's test command"
    );
}

/// The README's first set-up command runs as written on a fresh clone: it names a file the
/// repository ships, and `dfslim rewrite` prints a diff for it.
#[test]
fn readme_first_command_runs_as_written() {
    let readme = repo_file("README.md");
    let command = readme
        .lines()
        .find(|l| l.starts_with("cargo run --release -- "))
        .expect("the set-up block has a `cargo run --release -- …` line");
    let args: Vec<&str> = command
        .split(" #")
        .next()
        .unwrap()
        .split_whitespace()
        .skip(4)
        .collect();
    assert_eq!(args.first(), Some(&"rewrite"), "{command}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{command}: {stdout}");
    assert!(
        stdout.contains("+FROM gcr.io/distroless/"),
        "{command} shows no diff: {stdout}"
    );
}
