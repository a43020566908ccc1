//! `dfslim completions SHELL` and `dfslim man`: the scripts name the binary and its
//! subcommands, and the committed man page `docs/dfslim.1` is what `dfslim man` prints.
//! Regenerate it with `cargo run -q -- man > docs/dfslim.1`.

use std::process::{Command, Output};

fn dfslim(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "dfslim {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

const SUBCOMMANDS: [&str; 8] = [
    "check",
    "rewrite",
    "rules",
    "explain",
    "declines",
    "parse",
    "completions",
    "man",
];

#[test]
fn bash_completions_name_dfslim_and_its_subcommands() {
    let script = String::from_utf8(dfslim(&["completions", "bash"]).stdout).unwrap();
    assert!(script.contains("complete -F _dfslim"), "{script}");
    for subcommand in SUBCOMMANDS {
        assert!(
            script.contains(subcommand),
            "no `{subcommand}` in:\n{script}"
        );
    }
    assert!(script.contains("--format"));
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = String::from_utf8(dfslim(&["completions", shell]).stdout).unwrap();
        assert!(script.contains("dfslim"), "{shell}");
        assert!(script.contains("rewrite"), "{shell}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn man_page_is_current() {
    let generated = String::from_utf8(dfslim(&["man"]).stdout).unwrap();
    assert!(generated.starts_with(".ie \\n(.g .ds Aq"), "{generated}");
    assert!(generated.contains(".TH dfslim 1"));
    for subcommand in SUBCOMMANDS {
        assert!(
            generated.contains(subcommand),
            "no `{subcommand}` in the man page"
        );
    }
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/dfslim.1")).unwrap();
    assert!(
        committed == generated,
        "docs/dfslim.1 is out of date: run `cargo run -q -- man > docs/dfslim.1`"
    );
}
