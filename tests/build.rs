//! `rewrite --build` without an engine: the planner on a root filesystem that is already
//! there (the host's own, which is a Debian image too), and the errors a user meets when
//! no engine can build. The real builds, with buildah, are the e2e suite's fixtures
//! `apt-jq`, `musl-c` and `go-make` (`.ci/run`, step `e2e`).

use std::path::{Path, PathBuf};
use std::process::Command;

use dfslim::analysis::catalogue::Catalogue;
use dfslim::rewrite::{self, BuiltImage, DeclineCode, Options, Status};

const DOCKERFILE: &str = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y coreutils\nCMD [\"ls\", \"-d\", \"/\"]\n";

fn host_image(cmd: &[&str]) -> BuiltImage {
    BuiltImage {
        root: PathBuf::from("/"),
        entrypoint: Vec::new(),
        cmd: cmd.iter().map(|s| s.to_string()).collect(),
        workdir: "/".into(),
        user: String::new(),
        env: vec!["PATH=/usr/local/bin:/usr/bin:/bin".into()],
        exposed_ports: Vec::new(),
    }
}

/// The host as the built image: only where it is a Debian with `ls` from coreutils.
fn host_is_debian() -> bool {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let debian = release.lines().any(|l| l == "ID=debian");
    if !debian || !Path::new("/usr/bin/ls").exists() {
        eprintln!("skipped: the host is not a Debian root filesystem with /usr/bin/ls");
    }
    debian && Path::new("/usr/bin/ls").exists()
}

#[test]
fn a_dynamic_program_goes_to_base_with_the_libraries_base_lacks() {
    if !host_is_debian() {
        return;
    }
    let catalogue = Catalogue::builtin();
    let options = Options::default();
    let statically = rewrite::rewrite_text(DOCKERFILE, catalogue, None, &options, None).unwrap();
    assert_eq!(
        statically.plan.status,
        Status::Declined,
        "{:?}",
        statically.plan
    );
    let built = rewrite::rewrite_built(
        DOCKERFILE,
        catalogue,
        None,
        &options,
        &host_image(&["ls", "-d", "/"]),
    )
    .unwrap();
    assert_eq!(
        built.plan.status,
        Status::Rewritten,
        "{:?}",
        built.plan.reason
    );
    let text = &built.text;
    assert!(
        text.starts_with("FROM debian:bookworm AS build\n"),
        "{text}"
    );
    assert!(
        text.contains("\nFROM gcr.io/distroless/base-debian13:nonroot\n"),
        "{text}"
    );
    assert!(
        text.contains("COPY --from=build /usr/bin/ls /usr/bin/\n"),
        "{text}"
    );
    // libc is base's; libselinux (which coreutils' ls needs on Debian) is not.
    assert!(!text.contains("libc.so.6"), "{text}");
    assert!(text.contains("libselinux.so.1"), "{text}");
    // The `nonroot` tag runs as 65532 already: no USER line is needed.
    assert!(text.ends_with("\nCMD [\"ls\", \"-d\", \"/\"]\n"), "{text}");
    assert!(!text.contains("USER"), "{text}");
    let ls = built
        .plan
        .copies
        .iter()
        .find(|c| c.src == "/usr/bin/ls")
        .unwrap();
    assert_eq!(ls.evidence, "built");
    assert_eq!(
        ls.size,
        Some(std::fs::metadata("/usr/bin/ls").unwrap().len())
    );
    assert_eq!(ls.sha256.as_ref().map(String::len), Some(64));
    // The package's documentation is left out, and said so.
    assert!(
        built
            .plan
            .warnings
            .iter()
            .any(|w| w.code == "package-files-left-out" && w.message.contains("coreutils"))
    );
}

#[test]
fn shells_and_runtimes_decline_with_their_reason() {
    if !host_is_debian() {
        return;
    }
    let catalogue = Catalogue::builtin();
    let options = Options::default();
    let plan = |cmd: &[&str]| {
        rewrite::rewrite_built(DOCKERFILE, catalogue, None, &options, &host_image(cmd))
            .unwrap()
            .plan
    };
    let shell = plan(&["sh", "-c", "ls"]);
    assert_eq!(shell.status, Status::Declined);
    assert_eq!(shell.reason.unwrap().code, DeclineCode::ShellCommand);
    let missing = plan(&["no-such-program"]);
    assert_eq!(missing.reason.unwrap().code, DeclineCode::UnknownArtifact);
    if Path::new("/usr/bin/perl").exists() {
        let perl = plan(&["perl", "-e", "1"]);
        assert_eq!(perl.reason.unwrap().code, DeclineCode::NeedsTrace);
    }
}

#[test]
fn no_engine_is_an_error_that_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(&dockerfile, DOCKERFILE).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", "--build", "--write", "Dockerfile"])
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no container engine found on PATH"),
        "{stderr}"
    );
    assert!(stderr.contains("install buildah"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&dockerfile).unwrap(), DOCKERFILE);
}

#[test]
fn verify_and_probe_need_build() {
    let out = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", "--verify", "Dockerfile"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--build"));
}

#[test]
fn a_trace_becomes_a_scratch_stage_with_the_closures() {
    if !host_is_debian() {
        return;
    }
    let catalogue = Catalogue::builtin();
    let traced = rewrite::TracedImage {
        image: BuiltImage {
            root: PathBuf::from("/"),
            cmd: vec!["ls".into(), "/".into()],
            env: vec!["PATH=/usr/bin:/bin".into(), "LANG=C.UTF-8".into()],
            workdir: "/".into(),
            ..Default::default()
        },
        touched: [
            "/usr/bin/ls",
            "/etc/passwd",
            "/proc/self/status",
            "/no/such/file",
        ]
        .map(String::from)
        .into(),
        written: ["/tmp"].map(String::from).into(),
        executed: ["/usr/bin/ls"].map(String::from).into(),
        ..Default::default()
    };
    let done =
        rewrite::rewrite_traced(DOCKERFILE, catalogue, None, &Options::default(), &traced).unwrap();
    assert_eq!(
        done.plan.status,
        Status::Rewritten,
        "{:?}",
        done.plan.reason
    );
    let text = &done.text;
    assert!(
        text.contains("\nFROM scratch\nENV PATH=/usr/bin:/bin\nENV LANG=C.UTF-8\n"),
        "{text}"
    );
    assert!(text.contains("COPY --from=build /tmp /tmp\n"), "{text}");
    assert!(
        text.contains("COPY --from=build /usr/bin/ls /usr/bin/\n"),
        "{text}"
    );
    // The loader as the program names it, and the libraries, though no call named them.
    assert!(text.contains("/lib64/ld-linux-x86-64.so.2"), "{text}");
    assert!(text.contains("libselinux.so.1"), "{text}");
    assert!(!text.contains("/proc"), "{text}");
    assert!(!text.contains("/no/such/file"), "{text}");
    assert!(
        text.ends_with("USER 65532:65532\nCMD [\"ls\", \"/\"]\n"),
        "{text}"
    );
    assert_eq!(
        done.plan.level_after,
        dfslim::analysis::level::Level::Distroless
    );
    assert!(done.plan.copies.iter().all(|c| c.evidence == "traced"));
    assert!(
        done.plan
            .warnings
            .iter()
            .any(|w| w.code == "trace-coverage")
    );
}

#[test]
fn a_trace_that_bound_a_low_port_keeps_root() {
    if !host_is_debian() {
        return;
    }
    let traced = rewrite::TracedImage {
        image: BuiltImage {
            root: PathBuf::from("/"),
            cmd: vec!["ls".into()],
            ..Default::default()
        },
        touched: ["/usr/bin/ls"].map(String::from).into(),
        executed: ["/usr/bin/ls", "/usr/bin/cat"].map(String::from).into(),
        ports: [80].into(),
        ..Default::default()
    };
    let done = rewrite::rewrite_traced(
        DOCKERFILE,
        Catalogue::builtin(),
        None,
        &Options::default(),
        &traced,
    )
    .unwrap();
    assert!(!done.text.contains("USER"), "{}", done.text);
    let codes: Vec<&str> = done.plan.warnings.iter().map(|w| w.code).collect();
    assert!(
        codes.contains(&"needs-root") && codes.contains(&"programs-kept"),
        "{codes:?}"
    );
    assert_eq!(
        done.plan.level_after,
        dfslim::analysis::level::Level::Binaryless
    );
}
