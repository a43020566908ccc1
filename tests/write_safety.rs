//! What `rewrite --write` promises (docs/limits.md): atomic or untouched, never through a
//! swapped path, keeping owner, mode, extended attributes and links, refusing files that
//! are not regular or that it may not write. Each test runs the binary.
//!
//! The race tests hold the write between its read and its rename with the debug-build hook
//! `DFSLIM_TEST_PAUSE_BEFORE_RENAME=SIGNAL`: dfslim creates `SIGNAL.ready` and waits for
//! `SIGNAL` to exist, while the test changes the file.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A Go build on a full distro: `rewrite` appends a distroless stage.
const DOCKERFILE: &str = "FROM golang:1.24-bookworm\nWORKDIR /src\nCOPY . .\n\
                          RUN CGO_ENABLED=0 go build -o /out/app .\nCMD [\"/out/app\"]\n";

fn dockerfile_in(dir: &Path) -> PathBuf {
    let path = dir.join("Dockerfile");
    std::fs::write(&path, DOCKERFILE).unwrap();
    path
}

fn write(path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", "--write"])
        .arg(path)
        .output()
        .unwrap()
}

/// `rewrite --write PATH`, held before its rename: returns the running process and the
/// signal file that lets it go on.
fn paused_write(path: &Path, dir: &Path) -> (Child, PathBuf) {
    let signal = dir.join("go");
    let child = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", "--write"])
        .arg(path)
        .env("DFSLIM_TEST_PAUSE_BEFORE_RENAME", &signal)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let ready = dir.join("go.ready");
    let start = Instant::now();
    while !ready.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "dfslim never reached the pause"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    (child, signal)
}

fn finish(child: Child, signal: &Path) -> Output {
    std::fs::write(signal, "").unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_edit_made_during_the_write_is_kept_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    let (child, signal) = paused_write(&path, dir.path());
    let edited = format!("{DOCKERFILE}# edited meanwhile\n");
    std::fs::write(&path, &edited).unwrap();
    let out = finish(child, &signal);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed while dfslim was rewriting it; run again"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn a_chmod_made_during_the_write_is_kept_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    let (child, signal) = paused_write(&path, dir.path());
    // Same bytes, new mode: the new file copied the old mode, which would undo this.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = finish(child, &signal);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DOCKERFILE);
    assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
}

#[test]
fn a_file_saved_by_an_editor_during_the_write_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    let (child, signal) = paused_write(&path, dir.path());
    // Editors write a new file and rename it over the old one: a new inode, same bytes.
    let saved = dir.path().join("Dockerfile.swp");
    std::fs::write(&saved, DOCKERFILE).unwrap();
    std::fs::rename(&saved, &path).unwrap();
    let out = finish(child, &signal);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DOCKERFILE);
}

#[test]
fn a_path_swapped_for_a_symlink_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("secret");
    std::fs::write(&victim, DOCKERFILE).unwrap();
    let path = dockerfile_in(dir.path());
    let (child, signal) = paused_write(&path, dir.path());
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(&victim, &path).unwrap();
    let out = finish(child, &signal);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), DOCKERFILE);
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_fifo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    // No writer: dfslim must refuse the FIFO without opening it (an open would wait for
    // one for ever).
    let out = write(&path);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_fifo_like()
    );
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}

#[test]
fn setuid_setgid_mode_and_owner_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o6664)).unwrap();
    let before = std::fs::metadata(&path).unwrap();
    let out = write(&path);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = std::fs::metadata(&path).unwrap();
    assert_ne!(std::fs::read_to_string(&path).unwrap(), DOCKERFILE);
    assert_eq!(after.mode() & 0o7777, 0o6664);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
}

#[test]
fn extended_attributes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    // Python's os.setxattr: no attr package needed.
    let set = Command::new("python3")
        .args([
            "-c",
            "import os,sys; os.setxattr(sys.argv[1], 'user.dfslim', b'kept')",
        ])
        .arg(&path)
        .status()
        .unwrap();
    if !set.success() {
        eprintln!("extended_attributes_are_kept: skipped, this file system has no user xattrs");
        return;
    }
    let out = write(&path);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let get = Command::new("python3")
        .args([
            "-c",
            "import os,sys; print(os.getxattr(sys.argv[1], 'user.dfslim').decode())",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&get.stdout).trim(), "kept");
    assert_ne!(std::fs::read_to_string(&path).unwrap(), DOCKERFILE);
}

#[test]
fn a_file_with_hard_links_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    let other = dir.path().join("Dockerfile.other-name");
    std::fs::hard_link(&path, &other).unwrap();
    let out = write(&path);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("hard links"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DOCKERFILE);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), DOCKERFILE);
}

#[test]
fn the_temporary_file_is_created_private() {
    // strace shows the mode the temporary file is created with.
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("the_temporary_file_is_created_private: skipped, no strace");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = Command::new("strace")
        .args(["-f", "-e", "trace=openat"])
        .arg(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", "--write"])
        .arg(&path)
        .output()
        .unwrap();
    let trace = stderr(&out);
    let created: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains(".dfslim-") && l.contains("O_CREAT"))
        .collect();
    assert_eq!(created.len(), 1, "{trace}");
    assert!(created[0].contains("0600"), "{}", created[0]);
    assert_eq!(
        std::fs::metadata(&path).unwrap().mode() & 0o777,
        0o644,
        "the final mode is the original's"
    );
}

/// A file the process may not write is refused, even in a folder where it may create
/// files (root's `0644` file in a shared `0777` folder). Root may write anything, so the
/// write runs as `nobody` through `setpriv`; without that the case is skipped, saying so.
#[test]
fn a_file_the_process_may_not_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = dockerfile_in(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let owner = std::fs::metadata(&path).unwrap().uid();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", "--write"])
        .arg(&path)
        .output();
    let Ok(out) = out else {
        eprintln!("a_file_the_process_may_not_write_is_refused: skipped, no setpriv");
        return;
    };
    if stderr(&out).contains("setpriv:") || owner == 65534 {
        eprintln!(
            "a_file_the_process_may_not_write_is_refused: skipped, cannot drop to nobody ({})",
            stderr(&out).trim()
        );
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("may not write"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DOCKERFILE);
    assert_eq!(std::fs::metadata(&path).unwrap().uid(), owner);
}

/// The same file named three ways (`Dockerfile`, `./Dockerfile`, a symlink to it) is read
/// and written once: the second write would otherwise find the file changed by the first
/// and exit 2.
#[test]
fn a_file_named_twice_is_written_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dockerfile_in(dir.path());
    std::os::unix::fs::symlink("Dockerfile", dir.path().join("link.Dockerfile")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .current_dir(dir.path())
        .args([
            "rewrite",
            "--write",
            "Dockerfile",
            "./Dockerfile",
            "link.Dockerfile",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 file: 1 rewritten"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("FROM gcr.io/distroless").count(), 1, "{text}");
}
