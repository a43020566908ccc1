//! Turning raw bytes into text the parser can read, or a clear error saying why not.
//!
//! A Dockerfile is UTF-8 text. Binary files, UTF-16, invalid UTF-8 and files far larger
//! than any real Dockerfile are refused here, before parsing, each with its own error and
//! the byte where the problem is.

use super::ast::{Span, SyntaxError};

/// The largest file dfslim reads. Real Dockerfiles are a few KiB (BuildKit's own 49-stage
/// test file is 20 KiB); a limit keeps memory bounded on hostile input.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// The error for input over [`MAX_FILE_BYTES`]: `len` is its size when known (a regular
/// file), `None` when the reader only knows there was more (a pipe, stdin).
pub fn file_too_large(len: Option<u64>) -> SyntaxError {
    let size = match len {
        Some(len) => format!(" {len} bytes,"),
        None => String::new(),
    };
    SyntaxError {
        span: Span::new(0, 0),
        code: "file-too-large",
        message: format!("file is{size} over dfslim's limit of {MAX_FILE_BYTES} bytes (8 MiB)"),
        help: Some("real Dockerfiles are a few KiB; check that the path names a Dockerfile".into()),
    }
}

/// Check `bytes` and view them as text.
pub fn decode(bytes: &[u8]) -> Result<&str, SyntaxError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_too_large(Some(bytes.len() as u64)));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SyntaxError {
            span: Span::new(0, 2),
            code: "utf16",
            message: "file is UTF-16 encoded (it starts with a UTF-16 byte order mark)".into(),
            help: Some("save the Dockerfile as UTF-8; BuildKit reads only UTF-8".into()),
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(SyntaxError {
            span: Span::new(offset, offset + 1),
            code: "nul-byte",
            message: "file contains a NUL byte: it looks like a binary file, not a Dockerfile"
                .into(),
            help: Some("check that the path names a Dockerfile".into()),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        SyntaxError {
            span: Span::new(offset, offset + e.error_len().unwrap_or(1)),
            code: "invalid-utf8",
            message: "file is not valid UTF-8".into(),
            help: Some("re-encode the file as UTF-8".into()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_utf8_text() {
        assert_eq!(decode(b"FROM a\n").unwrap(), "FROM a\n");
        assert_eq!(decode(b"\xff\xfeF\x00").unwrap_err().code, "utf16");
        assert_eq!(decode(b"FROM a\x00").unwrap_err().code, "nul-byte");
        let err = decode(b"FROM a\nRUN \xc3\x28").unwrap_err();
        assert_eq!((err.code, err.span.start), ("invalid-utf8", 11));
        assert_eq!(
            decode(&vec![b'#'; MAX_FILE_BYTES + 1]).unwrap_err().code,
            "file-too-large"
        );
    }
}
