//! Bad and hostile input through the real binary (`dfslim parse`), one file per case in a
//! temporary folder.
//!
//! Every refused input must: exit 2 (not 101, the exit code of a panic, and not a signal),
//! say what is wrong and name the file (with `file:line:col` where there is a place),
//! print no "panicked", print no raw control characters (a snippet of a binary file must
//! not drive the terminal), keep stderr short however large the input, and leave the
//! input byte for byte as it was. Valid but enormous input must finish, within a time
//! and memory budget. The limits themselves are listed in `docs/limits.md`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// What one run of the binary gave.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    elapsed: Duration,
}

fn run_command(mut cmd: Command, stdin: Option<Vec<u8>>) -> Run {
    cmd.env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("the dfslim binary runs");
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // dfslim stops reading at its limit and exits: a broken pipe here is expected.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let output = child.wait_with_output().expect("dfslim finishes");
    if let Some(writer) = writer {
        writer.join().expect("the stdin writer does not panic");
    }
    Run {
        code: output.status.code(),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

fn dfslim(args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dfslim"));
    cmd.args(args);
    run_command(cmd, None)
}

fn parse(path: &Path) -> Run {
    dfslim(&[
        "parse",
        "--format",
        "buildkit",
        path.to_str().expect("UTF-8 temp path"),
    ])
}

/// A temporary folder holding `name` with `bytes`.
fn file_with(name: &str, bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("the case file is written");
    (dir, path)
}

/// The checks every refused input shares; `place` is the `(line, column)` the report must
/// name, when the error has one.
fn assert_refused(run: &Run, name: &str, expected: &[&str], place: Option<(usize, usize)>) {
    let err = &run.stderr;
    assert_eq!(run.code, Some(2), "exit code (stderr: {err})");
    assert!(!err.contains("panicked"), "a panic: {err}");
    assert!(
        err.contains(name),
        "the message does not name {name}: {err}"
    );
    for text in expected {
        assert!(err.contains(text), "no {text:?} in: {err}");
    }
    if let Some((line, col)) = place {
        let at = format!("{name}:{line}:{col}");
        assert!(err.contains(&at), "no {at} in: {err}");
    }
    assert!(
        err.len() < 20_000,
        "stderr is {} bytes: the report should be a snippet",
        err.len()
    );
    if let Some(c) = err.chars().find(|&c| c.is_control() && c != '\n') {
        panic!("stderr holds the raw control character {c:?}: {err}");
    }
}

/// Write `bytes` to a file, parse it, check the refusal, and check the file is unchanged.
fn refused(bytes: &[u8], expected: &[&str], place: Option<(usize, usize)>) -> Run {
    let (_dir, path) = file_with("Dockerfile", bytes);
    let run = parse(&path);
    assert_refused(&run, &path.display().to_string(), expected, place);
    let after = std::fs::read(&path).expect("the case file is still there");
    assert!(after == bytes, "dfslim changed its input");
    run
}

/// Parse a path that cannot be read, and check the refusal (there is no place to name).
fn refused_path(path: &Path, expected: &[&str]) {
    let run = parse(path);
    assert_refused(&run, &path.display().to_string(), expected, None);
}

#[test]
fn empty_file() {
    refused(
        b"",
        &["no-instructions", "file with no instructions"],
        Some((1, 1)),
    );
}

#[test]
fn only_comments() {
    refused(
        b"# syntax=docker/dockerfile:1\n# a comment\n\n   # another\n",
        &["no-instructions", "file with no instructions"],
        Some((1, 1)),
    );
}

#[test]
fn nul_bytes() {
    refused(
        b"FROM a\nRUN x\0y\n",
        &["nul-byte", "NUL byte"],
        Some((2, 6)),
    );
}

#[test]
fn random_binary() {
    // xorshift: the same "random" bytes on every run, with terminal escapes up front.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut bytes = b"\x1b[2J\x1b]0;pwned\x07".to_vec();
    bytes.extend((0..4096).map(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as u8
    }));
    let code = dfslim::syntax::input::decode(&bytes).unwrap_err().code;
    refused(&bytes, &[code], None);
}

#[test]
fn invalid_utf8() {
    refused(
        b"FROM a\nRUN \xc3\x28 x\n",
        &["invalid-utf8", "not valid UTF-8"],
        Some((2, 5)),
    );
}

#[test]
fn utf16_with_a_bom() {
    let text = "FROM a\nRUN echo hi\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for bytes in [le, be] {
        refused(&bytes, &["utf16", "UTF-16"], Some((1, 1)));
    }
}

/// The longest line BuildKit reads.
const LONGEST: usize = dfslim::syntax::MAX_LINE_BYTES - 1;

/// A `RUN` line of `len` bytes.
fn run_line(len: usize) -> String {
    format!("RUN {}", "x".repeat(len - 4))
}

/// One side of a line-length boundary: `file(0)` holds a line just at BuildKit's limit,
/// `file(1)` one a byte over it; `place` is where the error is reported.
struct Boundary {
    what: &'static str,
    file: fn(usize) -> String,
    place: Option<(usize, usize)>,
}

/// BuildKit reads lines with Go's `bufio.Scanner` (64 KiB buffer, tokens keep their `\n`):
/// 65,535 bytes before the `\n` is the longest line, with or without a `\n`, a `\r` and
/// a first-line BOM counting. Both sides of each boundary.
#[test]
fn line_length_boundaries() {
    let boundaries = [
        Boundary {
            what: "LF",
            file: |over| format!("FROM a\n{}\n", run_line(LONGEST + over)),
            place: Some((2, 1)),
        },
        Boundary {
            what: "no LF at the end",
            file: |over| format!("FROM a\n{}", run_line(LONGEST + over)),
            place: Some((2, 1)),
        },
        Boundary {
            what: "CRLF",
            file: |over| format!("FROM a\r\n{}\r\n", run_line(LONGEST - 1 + over)),
            place: Some((2, 1)),
        },
        Boundary {
            what: "BOM",
            file: |over| format!("\u{feff}#{}\nFROM a\n", "x".repeat(LONGEST - 4 + over)),
            // miette counts columns in bytes, so the BOM's would make it 4: no place.
            place: None,
        },
    ];
    for Boundary { what, file, place } in boundaries {
        let (_dir, path) = file_with("Dockerfile", file(0).as_bytes());
        let run = parse(&path);
        assert_eq!(run.code, Some(0), "{what}, at the limit: {}", run.stderr);
        let run = refused(
            file(1).as_bytes(),
            &["line-too-long", "limit of 65535 bytes"],
            place,
        );
        assert!(run.stderr.contains(":1:") || place.is_some(), "{what}");
    }
}

#[test]
fn unterminated_heredoc() {
    refused(
        b"FROM a\nRUN <<EOF\necho never closed\n",
        &["unterminated-heredoc", "no line `EOF` closes"],
        Some((2, 5)),
    );
}

#[test]
fn json_that_holds_non_strings() {
    refused(
        b"FROM a\nCMD [1, \"a\"]\n",
        &["json-non-string", "strings only"],
        Some((2, 5)),
    );
    refused(
        b"FROM a\nENTRYPOINT [\"a\", [\"b\"]]\n",
        &["json-non-string"],
        Some((2, 12)),
    );
}

#[test]
fn bad_escape_directive() {
    refused(
        b"# escape=x\nFROM a\n",
        &["bad-escape", "invalid escape token 'x'"],
        Some((1, 10)),
    );
}

#[test]
fn onbuild_triggers_buildkit_refuses() {
    refused(
        b"FROM a\nONBUILD ONBUILD RUN x\n",
        &["onbuild-chain", "Chaining ONBUILD"],
        Some((2, 9)),
    );
    refused(
        b"FROM a\nONBUILD FROM b\n",
        &[
            "onbuild-trigger",
            "FROM isn't allowed as an ONBUILD trigger",
        ],
        Some((2, 9)),
    );
}

/// What BuildKit's instruction layer refuses in flags (`BFlags.Parse`), before the first
/// FROM (`instructions.Parse`) and in stage names (`parseBuildStageName`), with its words.
#[test]
fn flags_stages_and_instructions_buildkit_refuses() {
    /// A file, what its refusal must say, and where.
    type Case<'a> = (&'a [u8], &'a [&'a str], (usize, usize));
    let cases: [Case; 9] = [
        (
            b"FROM a\nCOPY --bogus=1 a b\n",
            &["unknown-flag", "unknown flag: --bogus"],
            (2, 6),
        ),
        (
            b"FROM a\nRUN --bogus echo\n",
            &["unknown flag: --bogus", "RUN takes --mount"],
            (2, 5),
        ),
        (
            b"FROM --bogus a\n",
            &["unknown flag: --bogus", "FROM takes --platform"],
            (1, 6),
        ),
        (
            b"FROM a\nCMD --port 80\n",
            &["unknown flag: --port", "CMD takes no flags"],
            (2, 5),
        ),
        (
            b"FROM a\nCOPY --fro=b a b\n",
            &["unknown flag: --fro", "did you mean --from?"],
            (2, 6),
        ),
        (
            b"FROM a\nCOPY --from=a --from=b a b\n",
            &["duplicate-flag", "duplicate flag specified: --from"],
            (2, 15),
        ),
        (
            b"FROM a\nCOPY --link=maybe a b\n",
            &["expecting boolean value for flag --link, not: maybe"],
            (2, 6),
        ),
        (
            b"RUN echo before\nFROM a\n",
            &["no-build-stage", "no build stage in current context"],
            (1, 1),
        ),
        (
            b"FROM a AS Bad!name\n",
            &[
                "invalid-stage-name",
                "invalid name for build stage: \"Bad!name\"",
            ],
            (1, 11),
        ),
    ];
    for (bytes, expected, place) in cases {
        refused(bytes, expected, Some(place));
    }
    // What BuildKit takes: ARG before FROM, flags it never parses (ARG, STOPSIGNAL,
    // HEALTHCHECK NONE), repeated --mount, `--from=` empty, a bool flag alone.
    let (_dir, path) = file_with(
        "Dockerfile",
        b"ARG V=1\nFROM a AS b.c-d_e\nARG --x y\nSTOPSIGNAL --x 9\nHEALTHCHECK --x NONE\n\
          RUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b --network=none x\n\
          COPY --link --parents=false --exclude=a --exclude=b a b\n",
    );
    let run = parse(&path);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // `rewrite --write` leaves a file BuildKit refuses as it was.
    let text = "RUN echo before-from\nFROM golang:1.23 AS build\nCOPY --bogus=1 . .\n\
                RUN CGO_ENABLED=0 go build -o /out/app .\nFROM debian:bookworm-slim\n\
                COPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n";
    std::fs::write(&path, text).unwrap();
    let run = dfslim(&["rewrite", "--write", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_directory_named_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::create_dir(&path).unwrap();
    refused_path(&path, &["is a directory"]);
}

/// A FIFO, a socket or a device named on the command line is refused by its type, before
/// it is opened: opening a FIFO waits for a writer and `/dev/zero` never ends. Each run has
/// a time limit, so that a hang fails the test instead of stalling the suite.
#[test]
fn files_that_are_not_regular() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.Dockerfile");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let socket = dir.path().join("socket.Dockerfile");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let cases = [
        (fifo.as_path(), "is a FIFO (named pipe), not a regular file"),
        (socket.as_path(), "is a socket, not a regular file"),
        (
            Path::new("/dev/zero"),
            "is a character device, not a regular file",
        ),
        (
            Path::new("/dev/null"),
            "is a character device, not a regular file",
        ),
    ];
    for (path, why) in cases {
        let name = path.to_str().unwrap();
        for args in [
            // `full`: the human report on stderr (`concise` gives a line on stdout instead).
            &["check", "--format", "full", name][..],
            &["rewrite", name],
            &["rewrite", "--write", name],
            &["parse", name],
        ] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_dfslim"))
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let started = Instant::now();
            while child.try_wait().unwrap().is_none() {
                if started.elapsed() > Duration::from_secs(20) {
                    let _ = child.kill();
                    panic!("{args:?} did not finish");
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(
                stderr.contains(&format!("cannot read {name}: {why}")),
                "{args:?}: {stderr}"
            );
        }
    }
    use std::os::unix::fs::FileTypeExt as _;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

/// `chmod 000` stops everyone but root, and the tests may well run as root: then the file
/// is read as `nobody` through `setpriv`, and without it the case is skipped, saying so.
#[test]
fn an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = file_with("Dockerfile", b"FROM a\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Let `nobody` reach the file, so that the file's own mode is what refuses.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let name = path.display().to_string();
    let run = if std::fs::read(&path).is_err() {
        parse(&path)
    } else {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_dfslim"))
            .args(["parse", &name]);
        let run = run_command(cmd, None);
        if run.code.is_none_or(|c| c >= 126) || run.stderr.contains("setpriv:") {
            eprintln!(
                "an_unreadable_file: skipped, running as root and `setpriv` cannot drop to \
                 nobody here ({})",
                run.stderr.trim()
            );
            return;
        }
        run
    };
    assert_refused(&run, &name, &["cannot read", "permission denied"], None);
}

#[test]
fn a_symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    refused_path(&a, &["cannot read", "symbolic links"]);
}

/// A path can vanish before dfslim opens it (a dangling symlink, a removed folder) or
/// after. dfslim opens the path once and then only uses the open handle (see
/// `src/cli/source.rs`), so "after" means the handle of a file that no longer has a
/// name: here it is handed over as stdin, which goes through the same reading code.
#[test]
fn a_path_that_vanishes() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Dockerfile");
    std::fs::write(&target, b"FROM a\n").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    std::fs::remove_file(&target).unwrap();
    refused_path(&link, &["no such file or directory"]);

    let gone = dir.path().join("sub");
    std::fs::create_dir(&gone).unwrap();
    let inside = gone.join("Dockerfile");
    std::fs::write(&inside, b"FROM a\n").unwrap();
    std::fs::remove_dir_all(&gone).unwrap();
    refused_path(&inside, &["no such file or directory"]);

    let path = dir.path().join("unlinked");
    std::fs::write(&path, b"FROM a\nRUN echo still here\n").unwrap();
    let handle = std::fs::File::open(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dfslim"));
    cmd.args(["parse", "--format", "buildkit", "-"])
        .env("NO_COLOR", "1")
        .stdin(handle);
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stdout, b"(from \"a\")\n(run \"echo still here\")\n");
}

/// Peak RSS of a run in KiB, through `/usr/bin/time` when it is installed.
fn peak_rss_kib(args: &[&str]) -> Option<u64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M", "--"])
        .arg(env!("CARGO_BIN_EXE_dfslim"))
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().last()?.trim().parse().ok()
}

/// 100 MB is refused from the file's size: nothing is read, the message gives the size.
#[test]
fn a_100_mb_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: 100 MB that take no room on the disk.
    file.set_len(100 * 1024 * 1024).unwrap();
    drop(file);
    let name = path.display().to_string();
    let run = parse(&path);
    assert_refused(
        &run,
        &name,
        &[
            "file-too-large",
            "file is 104857600 bytes",
            "limit of 8388608 bytes",
        ],
        Some((1, 1)),
    );
    assert!(
        run.elapsed < Duration::from_secs(5),
        "took {:?}",
        run.elapsed
    );
    if let Some(kib) = peak_rss_kib(&["parse", &name]) {
        assert!(kib < 32 * 1024, "peak RSS {kib} KiB: the file was read");
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 100 * 1024 * 1024);
}

/// Standard input has no size to ask: dfslim reads one byte past the limit and stops.
#[test]
fn a_100_mb_stdin() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dfslim"));
    cmd.args(["parse", "-"]);
    let run = run_command(cmd, Some(vec![b'#'; 100 * 1024 * 1024]));
    assert_refused(
        &run,
        "<stdin>",
        &["file-too-large", "over dfslim's limit of 8388608 bytes"],
        Some((1, 1)),
    );
}

/// Valid and large: one RUN continued over a million lines.
#[test]
fn a_million_line_continuation() {
    let mut text = String::from("FROM a\nRUN echo \\\n");
    for _ in 0..1_000_000 {
        text.push_str("  x \\\n");
    }
    text.push_str("  end\n");
    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    let run = parse(&path);
    eprintln!(
        "a_million_line_continuation: {} bytes parsed in {:?}",
        text.len(),
        run.elapsed
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with(b"(from \"a\")\n(run \"echo   x   x"));
    assert!(
        run.elapsed < Duration::from_secs(60),
        "took {:?}",
        run.elapsed
    );
    assert_eq!(std::fs::read(&path).unwrap(), text.as_bytes());
}

/// `ONBUILD ONBUILD … RUN x`, thousands deep on one line and hundreds of thousands deep
/// over continuation lines: no stack overflow (that would be a signal, not exit 2).
#[test]
fn deep_onbuild_nesting() {
    let one_line = format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(5_000));
    let run = refused(
        one_line.as_bytes(),
        &[
            "nesting-too-deep",
            "nested more than 8 levels",
            "onbuild-chain",
        ],
        Some((2, 73)),
    );
    assert!(run.stderr.contains("Dockerfile:2:9"), "{}", run.stderr);

    let continued = format!("FROM a\n{}RUN x\n", "ONBUILD \\\n".repeat(500_000));
    let run = refused(continued.as_bytes(), &["nesting-too-deep"], Some((11, 1)));
    assert!(
        run.elapsed < Duration::from_secs(30),
        "took {:?}",
        run.elapsed
    );
}

/// Forty thousand errors: stderr shows the first 20 reports and a count, the JSON keeps
/// the parser's first 1,000 and says how many more there were.
#[test]
fn a_flood_of_errors() {
    let text = format!("FROM a\n{}", "FORM b\n".repeat(40_000));
    let run = refused(
        text.as_bytes(),
        &["unknown-instruction", "more errors in", "are not shown"],
        Some((2, 1)),
    );
    assert_eq!(run.stderr.matches("unknown-instruction").count(), 20);

    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    let json = dfslim(&["parse", path.to_str().unwrap()]);
    let tree: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let errors = tree["errors"].as_array().unwrap();
    assert_eq!(errors.len(), dfslim::syntax::MAX_ERRORS + 1);
    let last = &errors[errors.len() - 1];
    assert_eq!(last["code"], "too-many-errors");
    assert_eq!(
        last["message"].as_str().unwrap().split(' ').next(),
        Some("39000")
    );
}

/// An 8 MiB file of short instructions held a node of about a kilobyte each (440 MB for
/// 430,000 `LABEL` lines): past 50,000 instructions the rest is skipped, with a
/// `too-many-instructions` error where it starts, and the tree still covers every byte.
#[test]
fn too_many_instructions() {
    let text = format!("FROM a\n{}", "LABEL a=b\n".repeat(60_000));
    refused(
        text.as_bytes(),
        &["too-many-instructions", "more than 50000 instructions"],
        Some((50_001, 1)),
    );
    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    let json = dfslim(&["parse", path.to_str().unwrap()]);
    let tree: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let last = tree["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "skipped");
    assert_eq!(last["span"][1], text.len());
}

/// Blank lines and comments are trivia: 8 million blank lines (an 8 MB file) took 1.9 GB,
/// a node per line. A run of blank lines is one item now; the file must parse and check
/// within 100 MB of address space beyond the file itself.
#[test]
fn millions_of_blank_lines() {
    let text = format!("FROM debian:12\n{}CMD [\"/app\"]\n", "\n".repeat(8_000_000));
    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 300000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_dfslim"))
        .args(["check", path.to_str().unwrap()]);
    let run = run_command(cmd, None);
    assert!(
        matches!(run.code, Some(0 | 1)),
        "{:?}: {}",
        run.code,
        run.stderr
    );
}

/// `dfslim ARGS` under a 1 GB address-space limit: a runaway allocation fails inside it
/// instead of taking the machine.
fn bounded(args: &[&str]) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 1000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_dfslim"))
        .args(args);
    run_command(cmd, None)
}

/// `check` and `rewrite` both refuse `text` (exit 2) at `place`, with `expected` in the
/// report, under the 1 GB limit.
fn refused_by_analysis(text: &str, expected: &[&str], place: (usize, usize)) {
    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    let path_arg = path.to_str().unwrap();
    for args in [
        &["check", "--format", "full", path_arg][..],
        &["rewrite", path_arg],
    ] {
        let run = bounded(args);
        assert_refused(&run, &path.display().to_string(), expected, Some(place));
    }
}

/// Item 7: 8,000 chained stages (`FROM s0 AS s1`, …) were resolved by recursion, one
/// stack frame per stage, and aborted (exit 134). Now a loop: exit 0 or 1, never a signal.
#[test]
fn eight_thousand_chained_stages() {
    let mut text = String::from("FROM alpine AS s0\n");
    for i in 0..8_000 {
        text.push_str(&format!("FROM s{i} AS s{}\nENV V{i}=x\n", i + 1));
    }
    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    for command in ["check", "rewrite"] {
        let run = bounded(&[command, path.to_str().unwrap()]);
        assert!(matches!(run.code, Some(0 | 1)), "{command}: {}", run.stderr);
    }
}

/// Item 7: `${a:-${a:-…}}` thousands deep over continuation lines: refused with
/// `expansion-too-deep` (exit 2), not a stack overflow.
#[test]
fn deeply_nested_expansion() {
    let word = format!("{}x{}", "${a:-".repeat(20_000), "}".repeat(20_000));
    let chunks: Vec<&str> = word
        .as_bytes()
        .chunks(1000)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let text = format!("FROM alpine\nARG X={}\nUSER $X\n", chunks.join("\\\n"));
    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    let run = bounded(&["check", "--format", "full", path.to_str().unwrap()]);
    assert_refused(
        &run,
        &path.display().to_string(),
        &["expansion-too-deep"],
        Some((2, 7)),
    );
}

/// Item 8: 60 lines of `ARG A1=${A0}${A0}`, each doubling the last, asked for 2^60
/// bytes. The value that passes 1 MiB is refused with `expansion-too-large` at its line;
/// `ENV` the same, and 20,000 `ENV` lines no longer copy every variable per line.
#[test]
fn doubling_expansions() {
    for (keyword, before_from) in [("ARG", true), ("ENV", false)] {
        let mut lines = String::new();
        lines.push_str(&format!("{keyword} A0=x\n"));
        for i in 0..60 {
            lines.push_str(&format!("{keyword} A{}=${{A{i}}}${{A{i}}}\n", i + 1));
        }
        let text = if before_from {
            format!("{lines}FROM alpine\n")
        } else {
            format!("FROM alpine\n{lines}USER $A60\n")
        };
        let line = if before_from { 22 } else { 23 };
        refused_by_analysis(
            &text,
            &["expansion-too-large", "more than 1048576 bytes"],
            (line, 9),
        );
    }
    let mut text = String::from("FROM alpine\n");
    for i in 0..20_000 {
        text.push_str(&format!("ENV V{i}=x\n"));
    }
    text.push_str("USER x\n");
    let (_dir, path) = file_with("Dockerfile", text.as_bytes());
    let run = bounded(&["check", path.to_str().unwrap()]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
}

/// Runs `dfslim COMMAND` on the texts `make(n)` and `make(4 * n)`: four times the input
/// must take about four times as long, not sixteen (the bound is loose for a shared
/// machine; `scripts/limits.sh` runs these at full size in release).
fn assert_linear(command: &str, n: usize, make: impl Fn(usize) -> String) {
    let time = |n: usize| {
        let (_dir, path) = file_with("Dockerfile", make(n).as_bytes());
        let run = bounded(&[command, path.to_str().unwrap()]);
        assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
        run.elapsed
    };
    let small = time(n);
    let large = time(4 * n);
    assert!(
        large < small * 10 + Duration::from_millis(300),
        "{command} on {n}: {small:?}, on {}: {large:?}",
        4 * n
    );
}

/// `ENV Vi=$PATH` lines, each looking up a variable the base image set: the variables were
/// a list walked from the newest, so each lookup passed every later `ENV` (20,000 lines took
/// 29 s).
#[test]
fn variable_lookups_take_linear_time() {
    assert_linear("rewrite", 4_000, |lines| {
        let mut text = String::from("FROM debian:12\n");
        for i in 0..lines {
            text.push_str(&format!("ENV V{i}=$PATH\n"));
        }
        text + "CMD [\"/app\"]\n"
    });
}

/// An 8 MiB file of `ENV` lines held a state per line, 1.1 GB in all: past 20,000 ARG and
/// ENV instructions the file is refused with `too-many-variables` at the first one over.
#[test]
fn too_many_variables() {
    let mut text = String::from("FROM alpine\n");
    for i in 0..20_001 {
        text.push_str(&format!("ENV V{i}=x\n"));
    }
    refused_by_analysis(
        &text,
        &["too-many-variables", "more than 20000 ARG and ENV"],
        (20_002, 1),
    );
}

/// Item 11: stage names were looked up by scanning every earlier stage, and the parser's
/// duplicate-name check scanned every earlier name.
#[test]
fn many_stages_take_linear_time() {
    assert_linear("check", 2_500, |stages| {
        let mut text = String::new();
        for i in 0..stages {
            text.push_str(&format!("FROM s{} AS s{i}\nRUN echo {i}\n", i / 2));
        }
        text
    });
}

/// Item 10: `rewrite --format json` over many large files held every file's old and new
/// text until its chunk of 2,048 files was reported (40 files of 7 MiB: 780 MB). Chunks
/// are bounded in bytes too, so peak memory is flat in the number of files: sixteen files
/// of 6 MiB must cost about what four do.
#[test]
fn many_large_files_take_flat_memory() {
    let mut text = String::from(
        "FROM golang:1.24-bookworm AS build\nWORKDIR /src\nCOPY . .\n\
         RUN CGO_ENABLED=0 go build -o /out/app .\nFROM debian:bookworm-slim\n\
         COPY --from=build /out/app /app\n",
    );
    let line = format!("# {}\n", "x".repeat(98));
    while text.len() < 6 * 1024 * 1024 {
        text.push_str(&line);
    }
    text.push_str("ENTRYPOINT [\"/app\"]\n");
    let peak = |files: usize| {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..files {
            std::fs::write(dir.path().join(format!("{i}.Dockerfile")), &text).unwrap();
        }
        peak_rss_kib(&["rewrite", "--format", "json", dir.path().to_str().unwrap()])
    };
    let (Some(four), Some(sixteen)) = (peak(4), peak(16)) else {
        eprintln!("many_large_files_take_flat_memory: /usr/bin/time is missing; skipped");
        return;
    };
    assert!(
        sixteen < four + four / 4 + 20 * 1024,
        "peak RSS: 4 files {four} KiB, 16 files {sixteen} KiB"
    );
}
