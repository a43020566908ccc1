//! Reading inputs: files, `-` for stdin, and the checks that turn unreadable or non-text
//! input into a clear error before any parsing.

use std::io::Read;
use std::path::Path;

use dfslim::syntax::{Span, SyntaxError, input};

/// One input as the commands see it: a name for reports and its text.
pub struct SourceFile {
    /// The name used in reports (the path as given, or `--stdin-filename`).
    pub name: String,
    pub text: String,
}

/// Why an input could not be read as a Dockerfile.
pub enum ReadError {
    /// The OS refused (missing file, a directory, permissions…).
    Io { name: String, message: String },
    /// The bytes are not Dockerfile text; `lossy` is shown as the source for the snippet,
    /// and `error`'s span is in it; `bytes` is where the error is in the input's bytes.
    Decode {
        name: String,
        lossy: String,
        error: Box<SyntaxError>,
        bytes: Span,
    },
}

/// Read `arg` (`-` is stdin) into a [`SourceFile`].
///
/// The path is opened once and everything after goes through that handle, so a path that
/// is renamed, deleted or swapped for another file while dfslim runs cannot make the size
/// check and the read disagree: what is read is what was opened.
pub fn read(arg: &Path, stdin_name: Option<&str>) -> Result<SourceFile, ReadError> {
    let is_stdin = arg.as_os_str() == "-";
    let name = if is_stdin {
        stdin_name.unwrap_or("<stdin>").to_string()
    } else {
        arg.display().to_string()
    };
    let bytes = if is_stdin {
        read_bounded(std::io::stdin().lock(), 8192)
    } else {
        read_file(arg)
    };
    let bytes = match bytes {
        Ok(Input::Bytes(bytes)) => bytes,
        Ok(Input::TooLarge(len)) => {
            return Err(ReadError::Decode {
                name,
                lossy: String::new(),
                error: Box::new(input::file_too_large(len)),
                bytes: Span::new(0, 0),
            });
        }
        Err(e) => return Err(io_error(&name, &e)),
    };
    match input::decode(&bytes) {
        Ok(_) => Ok(SourceFile {
            name,
            // Decoded above, so this cannot fail; taking the buffer avoids a second copy.
            text: String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        }),
        Err(mut error) => {
            // Show the bytes as text, and move the span to where its bytes land in that
            // text (each undecodable sequence before it became a 3-byte U+FFFD). The span
            // starts at a NUL or where UTF-8 stops being valid, so the text of the bytes
            // before it is a prefix of the text of them all.
            let lossy_len = |bytes: &[u8]| String::from_utf8_lossy(bytes).len();
            let end = error.span.end.min(bytes.len());
            let start = error.span.start.min(end);
            let text_start = lossy_len(&bytes[..start]);
            error.span = Span::new(text_start, text_start + lossy_len(&bytes[start..end]));
            Err(ReadError::Decode {
                name,
                lossy: String::from_utf8_lossy(&bytes).into_owned(),
                error: Box::new(error),
                bytes: Span::new(start, end),
            })
        }
    }
}

/// What reading an input gave: its bytes, or the news that it is over the limit (with its
/// size when the file system knows it).
enum Input {
    Bytes(Vec<u8>),
    TooLarge(Option<u64>),
}

/// Read a file, refusing directories and other files that are not regular, and files over
/// the limit without reading them.
///
/// The type is checked twice. Before the open, from the path: opening a FIFO for reading
/// waits for a writer, and reading a device (`/dev/zero`, a terminal) may never end. After
/// it, on the handle, which is opened non-blocking so that a path swapped for a FIFO in
/// between cannot hang the open either: what is read is what was checked.
fn read_file(path: &Path) -> std::io::Result<Input> {
    refuse_special(&std::fs::metadata(path)?.file_type())?;
    let file = {
        use std::os::unix::fs::OpenOptionsExt as _;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(path)?
    };
    let meta = file.metadata()?;
    refuse_special(&meta.file_type())?;
    if meta.len() > input::MAX_FILE_BYTES as u64 {
        return Ok(Input::TooLarge(Some(meta.len())));
    }
    // Not trusted as a bound: a file may grow meanwhile.
    // It sizes the buffer, though: `Take` gives `read_to_end` no hint, and growing from
    // nothing cost several read calls per file, a fifth of `check`'s time over the corpus.
    read_bounded(file, meta.len() as usize + 1)
}

/// An error for anything but a regular file, saying what it is.
fn refuse_special(kind: &std::fs::FileType) -> std::io::Result<()> {
    use std::os::unix::fs::FileTypeExt as _;
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_dir() {
        return Err(std::io::Error::other("is a directory, not a Dockerfile"));
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "a special file"
    };
    Err(std::io::Error::other(format!(
        "is {what}, not a regular file"
    )))
}

/// Read at most one byte past the limit, so that oversized input is reported, not buffered.
fn read_bounded(reader: impl Read, capacity: usize) -> std::io::Result<Input> {
    let mut buf = Vec::with_capacity(capacity.min(input::MAX_FILE_BYTES + 1));
    reader
        .take(input::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut buf)?;
    if buf.len() > input::MAX_FILE_BYTES {
        return Ok(Input::TooLarge(None));
    }
    Ok(Input::Bytes(buf))
}

fn io_error(name: &str, e: &std::io::Error) -> ReadError {
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    ReadError::Io {
        name: name.to_string(),
        message,
    }
}
