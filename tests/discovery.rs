//! How `check` and `rewrite` find files in a folder, through the real binary: both honour
//! the config's `exclude`, both skip BuildKit's `*.dockerignore` files, and a folder that
//! cannot be read is reported and makes the run exit 2.

use std::path::Path;
use std::process::{Command, Output};

const FULL_DISTRO: &str = "FROM golang:1.23-bookworm\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n";

mod common;

fn dfslim(args: &[&str], dir: &Path) -> Output {
    common::dfslim_in(dir, args)
}

fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, FULL_DISTRO).unwrap();
    }
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_and_rewrite_both_honour_exclude() {
    let dir = tree(&[
        "app/Dockerfile",
        "vendor/lib/Dockerfile",
        "third/Dockerfile",
    ]);
    std::fs::write(
        dir.path().join(".dfslim.yaml"),
        "exclude: [vendor/, /third]\n",
    )
    .unwrap();

    let check = dfslim(&["check", "."], dir.path());
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let stdout = text(&check.stdout);
    assert!(stdout.contains("app/Dockerfile:"), "{stdout}");
    assert!(
        !stdout.contains("vendor") && !stdout.contains("third"),
        "{stdout}"
    );

    let rewrite = dfslim(&["rewrite", "--write", "."], dir.path());
    assert_eq!(rewrite.status.code(), Some(0), "{rewrite:?}");
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    assert_ne!(read("app/Dockerfile"), FULL_DISTRO, "the app is rewritten");
    assert_eq!(
        read("vendor/lib/Dockerfile"),
        FULL_DISTRO,
        "vendor/ is excluded"
    );
    assert_eq!(read("third/Dockerfile"), FULL_DISTRO, "/third is excluded");

    // From a subfolder, the patterns still mean the config's folder.
    let from_below = dfslim(&["rewrite", "--check", ".."], &dir.path().join("app"));
    assert!(
        !text(&from_below.stdout).contains("vendor"),
        "{from_below:?}"
    );

    // A file named on the command line is always taken.
    let named = dfslim(&["check", "vendor/lib/Dockerfile"], dir.path());
    assert_eq!(named.status.code(), Some(1), "{named:?}");
}

#[test]
fn dockerignore_files_are_not_dockerfiles() {
    let dir = tree(&["Dockerfile"]);
    std::fs::write(
        dir.path().join("Dockerfile.dockerignore"),
        "target/\n*.log\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("api.Dockerfile.dockerignore"), "!keep\n").unwrap();
    let out = dfslim(&["check", "--format", "json", "."], dir.path());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("dockerignore"), "{stdout}");
    assert_eq!(stdout.matches("\"path\"").count(), 1, "{stdout}");
    let out = dfslim(&["rewrite", "."], dir.path());
    assert!(!text(&out.stderr).contains("dockerignore"), "{out:?}");
}

/// A folder the user may not read. Root reads every folder, so as root the binary runs as
/// `nobody` (setpriv drops root's capabilities with its uid).
#[test]
fn an_unreadable_folder_is_reported_and_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&["app/Dockerfile", "locked/Dockerfile"]);
    let open = std::fs::Permissions::from_mode(0o755);
    std::fs::set_permissions(dir.path(), open.clone()).unwrap();
    std::fs::set_permissions(dir.path().join("app"), open.clone()).unwrap();
    std::fs::set_permissions(
        dir.path().join("app/Dockerfile"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::set_permissions(
        dir.path().join("locked"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let is_root = text(&Command::new("id").arg("-u").output().unwrap().stdout).trim() == "0";
    let run = |subcommand: &str| {
        let mut command = if is_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"]);
            c.arg(env!("CARGO_BIN_EXE_dfslim"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_dfslim"))
        };
        command
            .args([subcommand, "--isolated", "."])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("dfslim runs")
    };
    for subcommand in ["check", "rewrite"] {
        let out = run(subcommand);
        assert_eq!(out.status.code(), Some(2), "{subcommand}: {out:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("dfslim: error: cannot read locked: Permission denied\n"),
            "{subcommand}: {stderr}"
        );
        // What could be read still is.
        assert!(
            text(&out.stdout).contains("app/Dockerfile"),
            "{subcommand}: {out:?}"
        );
    }
    std::fs::set_permissions(dir.path().join("locked"), open).unwrap();
}
