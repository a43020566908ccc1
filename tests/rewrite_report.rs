//! `dfslim rewrite` over a folder reads like a report: one line per declined file, one
//! summary line at the end, and the same counts in the JSON output.

mod common;

const REWRITTEN: &str = "FROM golang:1.23-bookworm\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n";
const DECLINED: &str = "FROM golang:1.23-bookworm\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"./docker-entrypoint.sh\"]\n";
const UNCHANGED: &str =
    "FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\nENTRYPOINT [\"/app\"]\n";

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("a/Dockerfile", REWRITTEN),
        ("b/Dockerfile", DECLINED),
        ("c/Dockerfile", DECLINED),
        ("d/Dockerfile", UNCHANGED),
        ("e/Dockerfile", "FROM debian\nRUN <<EOF\n"),
    ] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn a_folder_run_names_each_decline_and_ends_with_a_summary() {
    let dir = folder();
    let out = common::dfslim_in(dir.path(), &["rewrite", "."]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "e/Dockerfile does not parse: {out:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["b/Dockerfile", "c/Dockerfile"] {
        assert_eq!(
            stderr
                .lines()
                .filter(|l| l.starts_with(&format!("{name}: declined (script-entrypoint): ")))
                .count(),
            1,
            "{stderr}"
        );
    }
    assert!(
        !stderr.contains("this blocks the rewrite"),
        "no snippets in a folder run: {stderr}"
    );
    assert_eq!(
        stderr.lines().last(),
        Some("5 files: 1 rewritten, 2 declined, 1 unchanged, 1 failed; run with --write to apply"),
        "{stderr}"
    );
}

#[test]
fn json_has_the_same_counts() {
    let dir = folder();
    let out = common::dfslim_in(dir.path(), &["rewrite", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = &report["summary"];
    assert_eq!(
        summary,
        &serde_json::json!({"files": 5, "rewritten": 1, "declined": 2, "unchanged": 1, "failed": 1})
    );
    let statuses: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["rewritten", "declined", "declined", "unchanged", "error"]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("5 files"),
        "the summary is in the JSON: {stderr}"
    );

    // After --write, the same folder has nothing left to rewrite.
    let write = common::dfslim_in(dir.path(), &["rewrite", "--write", "."]);
    let stderr = String::from_utf8_lossy(&write.stderr);
    assert_eq!(
        stderr.lines().last(),
        Some("5 files: 1 rewritten, 2 declined, 1 unchanged, 1 failed"),
        "{stderr}"
    );
    let again = common::dfslim_in(dir.path(), &["rewrite", "--check", "a", "b", "d"]);
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .ends_with("3 files: 0 rewritten, 1 declined, 2 unchanged\n"),
        "{again:?}"
    );
}

/// `--target app` keeps naming the stage the build should produce: after the rewrite it is
/// the slim one, and every later reference to the old stage follows its new name.
#[test]
fn a_named_target_renames_the_build_stage_and_its_references() {
    let dir = tempfile::tempdir().unwrap();
    let src = "FROM golang:1.23-bookworm AS App\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n\nFROM debian AS test\nCOPY --from=app /out/app /x\nRUN --mount=type=bind,from=APP,target=/m,source=/out ls /m\n";
    std::fs::write(dir.path().join("Dockerfile"), src).unwrap();
    let out = common::dfslim_in(
        dir.path(),
        &["rewrite", "--target", "app", "--stdout", "Dockerfile"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "FROM golang:1.23-bookworm AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n\nFROM debian AS test\nCOPY --from=build /out/app /x\nRUN --mount=type=bind,from=build,target=/m,source=/out ls /m\n\nFROM gcr.io/distroless/static-debian13:nonroot AS App\nWORKDIR /go\nCOPY --from=build /out/app /out/app\nENTRYPOINT [\"/out/app\"]\n"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("unverified"));
}

/// `# dfslim ignore=DFS001` above the final `FROM` leaves the stage alone, as the file-wide
/// form does: `check` and `rewrite --check` agree.
#[test]
fn an_ignored_dfs001_leaves_the_stage_alone() {
    let dir = tempfile::tempdir().unwrap();
    let src = format!("# dfslim ignore=DFS001\n{REWRITTEN}");
    std::fs::write(dir.path().join("Dockerfile"), &src).unwrap();
    let check = common::dfslim_in(dir.path(), &["check", "--ignore", "DFS004", "Dockerfile"]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let rewrite = common::dfslim_in(dir.path(), &["rewrite", "--check", "Dockerfile"]);
    assert_eq!(rewrite.status.code(), Some(0), "{rewrite:?}");
    assert!(rewrite.stdout.is_empty(), "{rewrite:?}");
    let write = common::dfslim_in(dir.path(), &["rewrite", "--write", "Dockerfile"]);
    assert_eq!(write.status.code(), Some(0), "{write:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        src
    );
}
