//! `rewrite --write`: replacing a file in someone's repository without losing or widening
//! anything (docs/limits.md, "What `--write` promises").
//!
//! - It is atomic or untouched: the new text goes to a temporary file in the same folder
//!   (created `0600`, so nobody reads it early), which is renamed over the original.
//! - It works relative to one handle on the folder (`openat`, `renameat`), never resolving
//!   the path again, and just before the rename it checks that the file is still the one
//!   that was read (same inode, size, modification time and bytes). A file edited, saved
//!   by an editor, or swapped for a symlink in the meantime is left alone.
//! - It keeps the owner (set first, so that the mode's setuid and setgid bits survive the
//!   chown), the mode, and every extended attribute (POSIX ACLs live there too).
//! - It refuses what it cannot replace faithfully: a file that is not regular (a FIFO, a
//!   device), a file with other hard links (a new inode would split them), a file the
//!   process may not write, or one whose owner it cannot keep.
//!
//! A symlink given on the command line is followed once, to the file it names, which is
//! then the one replaced.

use std::io::{Read, Write as _};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{
    Access, AtFlags, FileType, Mode, OFlags, Stat, XattrFlags, accessat, fchmod, fchown, fgetxattr,
    flistxattr, fsetxattr, fstat, fsync, openat, renameat, unlinkat,
};
use rustix::io::Errno;

/// Why a write did not happen. Every case leaves the original as it was.
#[derive(Debug)]
pub enum WriteError {
    /// The file changed after dfslim read it.
    Changed,
    /// The file is not one `--write` may replace, and why.
    Refused(String),
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => write!(f, "it changed while dfslim was rewriting it; run again"),
            WriteError::Refused(why) => write!(f, "{why}"),
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<Errno> for WriteError {
    fn from(e: Errno) -> Self {
        WriteError::Io(e.into())
    }
}

/// Replace the file at `path`, whose content dfslim read as `old`, with `new`.
pub fn write_back(path: &Path, old: &str, new: &str) -> Result<(), WriteError> {
    // Follow a symlink given by the user once; from here on, only handles.
    let target = std::fs::canonicalize(path)?;
    let dir_path = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = target
        .file_name()
        .ok_or_else(|| WriteError::Refused("it names no file".into()))?
        .to_owned();
    let dir = rustix::fs::open(
        &dir_path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let (file, before) = open_unchanged(&dir, &name, old)?;
    if FileType::from_raw_mode(before.st_mode) != FileType::RegularFile {
        return Err(WriteError::Refused(
            "it is not a regular file (a FIFO, a device or a socket)".into(),
        ));
    }
    if before.st_nlink > 1 {
        return Err(WriteError::Refused(format!(
            "it has {} hard links, and a new file would split them; write the rewrite with --stdout instead",
            before.st_nlink
        )));
    }
    // As an editor would: a file the process may not write is not replaced, even where
    // the folder lets it rename another file over it.
    if accessat(&dir, &name, Access::WRITE_OK, AtFlags::EACCESS).is_err() {
        return Err(WriteError::Refused(
            "permission denied: dfslim may not write to it".into(),
        ));
    }
    let temp_name = PathBuf::from(format!(
        ".{}.dfslim-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let temp = openat(
        &dir,
        &temp_name,
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC | OFlags::NOFOLLOW,
        Mode::from_raw_mode(0o600),
    )?;
    let result = fill_and_swap(&dir, &name, &temp_name, temp, &file, &before, old, new);
    if result.is_err() {
        let _ = unlinkat(&dir, &temp_name, AtFlags::empty());
    }
    result
}

/// Write the temporary file, give it the original's owner, mode and attributes, check
/// that the original is still what was read, and rename it in.
#[allow(clippy::too_many_arguments)]
fn fill_and_swap(
    dir: &OwnedFd,
    name: &std::ffi::OsStr,
    temp_name: &Path,
    temp: OwnedFd,
    original: &OwnedFd,
    before: &Stat,
    old: &str,
    new: &str,
) -> Result<(), WriteError> {
    let mut out = std::fs::File::from(temp);
    out.write_all(new.as_bytes())?;
    out.flush()?;
    // Owner first: a chown clears setuid and setgid, so the mode comes after it.
    if fchown(
        &out,
        Some(rustix::fs::Uid::from_raw(before.st_uid)),
        Some(rustix::fs::Gid::from_raw(before.st_gid)),
    )
    .is_err()
    {
        let mine = fstat(&out)?;
        if mine.st_uid != before.st_uid || mine.st_gid != before.st_gid {
            return Err(WriteError::Refused(
                "its owner could not be kept (only root may give a file away)".into(),
            ));
        }
    }
    fchmod(&out, Mode::from_raw_mode(before.st_mode & 0o7777))?;
    copy_xattrs(original, &out)?;
    fsync(&out)?;
    pause_for_tests();
    // The last look: the same file, with the same bytes, mode, owner and attributes (a
    // chmod, chown or xattr change moves the ctime) as when it was read, whose
    // metadata the new file copied.
    let (_, now) = open_unchanged(dir, name, old)?;
    let key = |s: &Stat| {
        (
            (s.st_dev, s.st_ino, s.st_size),
            (s.st_mtime, s.st_mtime_nsec, s.st_ctime, s.st_ctime_nsec),
            (s.st_mode, s.st_uid, s.st_gid),
        )
    };
    if key(&now) != key(before) {
        return Err(WriteError::Changed);
    }
    renameat(dir, temp_name, dir, name)?;
    let _ = fsync(dir);
    Ok(())
}

/// Open `name` in `dir` without following a symlink and without blocking on a FIFO, and
/// check that its bytes are still `old`.
fn open_unchanged(
    dir: &OwnedFd,
    name: &std::ffi::OsStr,
    old: &str,
) -> Result<(OwnedFd, Stat), WriteError> {
    let file = match openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(file) => file,
        // Swapped for a symlink, or removed: not the file that was read.
        Err(Errno::LOOP | Errno::NOENT) => return Err(WriteError::Changed),
        Err(e) => return Err(e.into()),
    };
    let stat = fstat(&file)?;
    if FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile {
        let mut bytes = Vec::with_capacity(old.len());
        std::fs::File::from(file.try_clone()?).read_to_end(&mut bytes)?;
        if bytes != old.as_bytes() {
            return Err(WriteError::Changed);
        }
    }
    Ok((file, stat))
}

/// Every extended attribute of `from` (`user.*`, and the POSIX ACLs in `system.*`) set on
/// `to`. Attributes the process may not set (`trusted.*`, `security.*` without the
/// privilege) make the write fail rather than drop them silently.
fn copy_xattrs(from: &OwnedFd, to: &impl AsFd) -> Result<(), WriteError> {
    let size = match rustix::fs::flistxattr_query(from) {
        Ok(size) => size,
        // A filesystem without extended attributes has none to lose.
        Err(Errno::NOTSUP) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if size == 0 {
        return Ok(());
    }
    let mut names = vec![0u8; size];
    let len = flistxattr(from, &mut names[..])?;
    for attr in names[..len].split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let attr = std::ffi::CStr::from_bytes_with_nul(&[attr, &[0]].concat())
            .map(std::ffi::CStr::to_owned)
            .map_err(|_| WriteError::Refused("an extended attribute has a bad name".into()))?;
        let value_size = rustix::fs::fgetxattr_query(from, &attr)?;
        let mut value = vec![0u8; value_size];
        let value_len = fgetxattr(from, &attr, &mut value[..])?;
        fsetxattr(to, &attr, &value[..value_len], XattrFlags::empty()).map_err(|e| {
            WriteError::Refused(format!(
                "its extended attribute `{}` could not be kept: {}",
                attr.to_string_lossy(),
                std::io::Error::from(e)
            ))
        })?;
    }
    Ok(())
}

/// In debug builds only: a test can hold the write between its last look at the file and
/// the rename, to change the file in that window. `DFSLIM_TEST_PAUSE_BEFORE_RENAME=PATH`
/// makes the write create `PATH.ready` and wait (up to 10 s) for `PATH` to exist.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(signal) = std::env::var_os("DFSLIM_TEST_PAUSE_BEFORE_RENAME") {
        let signal = PathBuf::from(signal);
        let mut ready = signal.clone().into_os_string();
        ready.push(".ready");
        let _ = std::fs::write(&ready, "");
        for _ in 0..1000 {
            if signal.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}
