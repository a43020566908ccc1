//! A decline names every blocker it found, the most fundamental first (#12, class 9): the
//! image's runtime version that no target carries comes before the command that cannot be
//! followed, and only for runtimes whose targets go by that version.

use dfslim::analysis::catalogue::Catalogue;
use dfslim::rewrite::{self, Options, Status};

fn codes(src: &str) -> Vec<String> {
    let done = rewrite::rewrite_text(src, Catalogue::builtin(), None, &Options::default(), None)
        .expect("parses");
    assert_eq!(done.plan.status, Status::Declined, "{src}");
    let first = done.plan.blockers.first().expect("a decline has blockers");
    let reason = done.plan.reason.as_ref().expect("a decline has a reason");
    assert_eq!((first.code, &first.message), (reason.code, &reason.message));
    done.plan
        .blockers
        .iter()
        .map(|b| b.code.to_string())
        .collect()
}

#[test]
fn an_old_runtime_comes_before_an_unknown_program() {
    let src = "FROM python:3.10-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"frobnicate\"]\n";
    assert_eq!(codes(src), ["no-target", "unknown-artifact"]);
    let src = "FROM node:14\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]\n";
    assert_eq!(codes(src)[0], "no-target");
}

#[test]
fn a_compiler_image_version_is_no_blocker() {
    // golang:1.20's Go is the compiler's: the program it built needs no Go at run time.
    let src = "FROM golang:1.20\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"sh\", \"-c\", \"/app | tee /log\"]\n";
    assert_eq!(codes(src), ["shell-command"]);
}

#[test]
fn a_floating_python_tag_is_not_said_to_have_no_target() {
    // python:3 floats over the 3.x minors; distroless carries a Python 3.
    let src = "FROM python:3\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n";
    assert_eq!(codes(src), ["unknown-version"]);
    let src = "FROM python:3\nCOPY app.py /app/\nCMD [\"frobnicate\"]\n";
    assert_eq!(codes(src), ["unknown-artifact"]);
}

#[test]
fn a_version_move_that_still_declines_says_why_in_the_help() {
    // With --allow-version-change the build moves to Python 3.13, and there the empty folder
    // the final stage makes still blocks: the help says so, not only "move to 3.13".
    let src = "FROM python:3.12-slim-bookworm\nRUN mkdir -p /documents\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";
    let options = Options {
        allow_version_change: true,
        ..Options::default()
    };
    // The requirements pin nothing: a pinned package would stop the move itself.
    let context = |path: &str| {
        (path.trim_start_matches("./") == "requirements.txt").then(|| "flask>=3\n".to_string())
    };
    let done = rewrite::rewrite_text(src, Catalogue::builtin(), None, &options, Some(&context))
        .expect("parses");
    assert_eq!(done.plan.status, Status::Declined);
    let reason = done.plan.reason.as_ref().expect("a decline has a reason");
    assert_eq!(reason.code.to_string(), "no-target");
    let help = reason.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("tried python 3.13") && help.contains("(uncopied-files)"),
        "{help}"
    );
    assert_eq!(done.plan.blockers[0].help.as_deref(), Some(help));
}
