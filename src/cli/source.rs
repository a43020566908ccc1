//! Reading inputs: files, `-` for stdin, and the checks that turn unreadable or non-text
//! input into a clear error before any parsing.

use std::io::Read;
use std::path::Path;

use dfslim::syntax::{SyntaxError, input};

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
    /// The bytes are not Dockerfile text; `lossy` is shown as the source for the snippet.
    Decode {
        name: String,
        lossy: String,
        error: Box<SyntaxError>,
    },
}

/// Read `arg` (`-` is stdin) into a [`SourceFile`].
pub fn read(arg: &Path, stdin_name: Option<&str>) -> Result<SourceFile, ReadError> {
    let is_stdin = arg.as_os_str() == "-";
    let name = if is_stdin {
        stdin_name.unwrap_or("<stdin>").to_string()
    } else {
        arg.display().to_string()
    };
    let bytes = if is_stdin {
        let mut buf = Vec::new();
        // Read one byte past the limit so that an oversized stdin is reported, not buffered.
        std::io::stdin()
            .take(input::MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| io_error(&name, &e))?;
        buf
    } else {
        read_file(arg).map_err(|e| io_error(&name, &e))?
    };
    match input::decode(&bytes) {
        Ok(text) => Ok(SourceFile {
            name,
            text: text.to_string(),
        }),
        Err(error) => Err(ReadError::Decode {
            name,
            lossy: String::from_utf8_lossy(&bytes[..bytes.len().min(input::MAX_FILE_BYTES)])
                .into_owned(),
            error: Box::new(error),
        }),
    }
}

/// Read a file, refusing directories and anything larger than the limit without
/// reading it whole.
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory, not a Dockerfile"));
    }
    let mut buf = Vec::with_capacity(meta.len().min(input::MAX_FILE_BYTES as u64) as usize);
    file.take(input::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut buf)?;
    Ok(buf)
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
