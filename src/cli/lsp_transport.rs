//! The language server's stdio transport: `Content-Length` frames on stdin and stdout,
//! carried to and from an `lsp_server::Connection`.
//!
//! lsp-server's own stdio transport ends its reader thread at the first frame it cannot
//! decode (the server then exited 2 without a word) and allocates whatever size a
//! `Content-Length` claims before reading (`99999999999999` aborted the process). An editor
//! is a program dfslim does not control, so this one refuses a frame, not the session:
//! a body over [`MAX_MESSAGE_BYTES`] is skipped unread, a header or a body that cannot be
//! decoded is answered (`-32700` Parse error or `-32600` Invalid Request, to the request's
//! id when it can be read, to `"id": null` when it cannot, as JSON-RPC 2.0 §5 requires)
//! and logged on stderr, and the next frame is read.

use std::io::{BufRead, Read, Write};

use lsp_server::{Connection, ErrorCode, Message, Notification, RequestId, Response};

use dfslim::syntax::input;

/// The largest message body read. A document is at most the CLI's input limit, and its
/// JSON string escapes (`\n`, `\"`, `\\`) can make it up to twice as long.
pub const MAX_MESSAGE_BYTES: usize = 2 * input::MAX_FILE_BYTES;

/// The longest header line read: real ones are a few dozen bytes.
const MAX_HEADER_LINE: usize = 1024;

/// The server's end of a connection over stdin and stdout, and the thread that writes what
/// the server sends (join it, so that the last message is out before the process ends).
/// The reader thread is not joined: it may wait on a stdin the editor keeps open.
pub fn stdio() -> (Connection, std::thread::JoinHandle<()>) {
    let (server, transport) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = transport;
    let writer = std::thread::spawn(move || {
        for message in from_server {
            if write_message(&message).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        loop {
            let frame = match read_frame(&mut stdin) {
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                Err(e) => {
                    log_error(&format!("cannot read stdin: {e}"));
                    break;
                }
            };
            if let Some(junk) = &frame.junk {
                refuse(&Refusal::parse_error(junk.clone()));
            }
            let message = match frame.body.and_then(|body| decode(&body)) {
                Ok(message) => message,
                Err(refusal) => {
                    refuse(&refusal);
                    continue;
                }
            };
            let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
            if to_server.send(message).is_err() || is_exit {
                break;
            }
        }
    });
    (server, writer)
}

/// Why a frame was not passed on, and the id to answer, when it could be read.
#[derive(Debug, PartialEq)]
pub struct Refusal {
    pub id: Option<RequestId>,
    /// A JSON-RPC error code: `ErrorCode::ParseError` or `ErrorCode::InvalidRequest`.
    pub code: i32,
    pub message: String,
}

impl Refusal {
    fn parse_error(message: String) -> Refusal {
        Refusal {
            id: None,
            code: ErrorCode::ParseError as i32,
            message,
        }
    }
}

/// An error response to the refusal's id, or, when it has none (the message could not be
/// parsed, or its id not read), to `"id": null`: JSON-RPC 2.0 §5 answers every request, and
/// "if there was an error in detecting the id … it MUST be Null". Without an id it may also
/// have been a notification, which gets no answer: a line on stderr says what happened.
fn refuse(refusal: &Refusal) {
    let text = format!(
        "{} ({}): {}",
        if refusal.code == ErrorCode::ParseError as i32 {
            "Parse error"
        } else {
            "Invalid Request"
        },
        refusal.code,
        refusal.message
    );
    match &refusal.id {
        Some(id) => {
            let _ = write_message(&Response::new_err(id.clone(), refusal.code, text).into());
        }
        None => {
            eprintln!("dfslim server: {}", super::render::printable(&text, false));
            let _ = write_frame(&null_id_error(refusal.code, &text));
        }
    }
}

/// A JSON-RPC error response with `"id": null`, which `lsp_server::Response` (whose id is
/// a `RequestId`) cannot hold.
fn null_id_error(code: i32, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": code, "message": message},
    })
    .to_string();
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body.as_bytes());
    frame
}

/// A line on stderr and a `window/logMessage` of type Error: the server never drops input
/// without a word.
pub fn log_error(text: &str) {
    eprintln!("dfslim server: {}", super::render::printable(text, false));
    let log = Notification::new(
        "window/logMessage".to_string(),
        serde_json::json!({"type": 1, "message": format!("dfslim: {text}")}),
    );
    let _ = write_message(&log.into());
}

/// One framed message on stdout, written whole under the lock: the reader thread answers
/// bad frames itself, beside the writer thread.
fn write_message(message: &Message) -> std::io::Result<()> {
    let mut frame = Vec::new();
    message.write(&mut frame)?;
    write_frame(&frame)
}

/// A whole frame on stdout, under the lock.
fn write_frame(frame: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(frame)?;
    stdout.flush()
}

/// One frame as read: its body (or why it has none), and what came before its headers
/// that is not a header (a message sent without one), to be reported on its own.
#[derive(Debug)]
pub struct Frame {
    pub junk: Option<String>,
    pub body: Result<Vec<u8>, Refusal>,
}

/// The next frame, `None` at the end of the input. A frame whose body cannot be read
/// leaves the stream where the next frame can be found.
pub fn read_frame(reader: &mut impl BufRead) -> std::io::Result<Option<Frame>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut problem = None;
    let mut any_line = false;
    loop {
        let mut line = Vec::new();
        let read = reader
            .by_ref()
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            // The end, in the middle of headers or between frames.
            return Ok(any_line.then(|| Frame {
                junk: problem,
                body: Err(Refusal::parse_error(
                    "the input ended inside a message's headers".into(),
                )),
            }));
        }
        any_line = true;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        // A body sent without its header runs into the next frame's header: read the
        // header from there, so that the next message is still served.
        let header = match text.find("Content-Length:") {
            Some(at) if at > 0 => {
                problem.get_or_insert_with(|| "a message without a Content-Length header".into());
                &text[at..]
            }
            _ => text,
        };
        match header.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                let value = value.trim();
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("the Content-Length `{value}` is not a size")),
                );
            }
            Some((name, _)) if name.eq_ignore_ascii_case("content-type") => {}
            _ => {
                problem.get_or_insert_with(|| format!("`{header}` is not a message header"));
            }
        }
    }
    let body = match length {
        Some(Ok(length)) if length > MAX_MESSAGE_BYTES => {
            // Skipped as it comes, never held.
            let skipped = std::io::copy(
                &mut reader.by_ref().take(length as u64),
                &mut std::io::sink(),
            )?;
            Err(format!(
                "a message of {length} bytes is over dfslim's limit of {MAX_MESSAGE_BYTES} \
                 bytes; {skipped} bytes skipped"
            ))
        }
        Some(Ok(length)) => {
            let mut body = vec![0; length];
            reader.read_exact(&mut body)?;
            Ok(body)
        }
        Some(Err(why)) => Err(why),
        None => Err("a message without a Content-Length header".into()),
    };
    Ok(Some(Frame {
        junk: problem,
        body: body.map_err(Refusal::parse_error),
    }))
}

/// A body as a message: a JSON object with `jsonrpc`, an id that is a number or a string,
/// and a method (or a result or error). A lone UTF-16 surrogate escape (`"\ud800"`), which
/// editors send for half of an emoji cut in two, is read as U+FFFD.
pub fn decode(body: &[u8]) -> Result<Message, Refusal> {
    let text = std::str::from_utf8(body)
        .map_err(|e| Refusal::parse_error(format!("the message is not UTF-8: {e}")))?;
    let text = without_lone_surrogates(text);
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Refusal::parse_error(format!("the message is not JSON: {e}")))?;
    let id = match value.get("id") {
        Some(serde_json::Value::String(s)) => Some(RequestId::from(s.clone())),
        Some(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        None => None,
    };
    let invalid = |message: String| Refusal {
        id: id.clone(),
        code: ErrorCode::InvalidRequest as i32,
        message,
    };
    if !value.is_object() {
        return Err(invalid("a message is a JSON object".into()));
    }
    if value.get("id").is_some_and(|v| !v.is_null()) && id.is_none() {
        return Err(invalid("a request id is an integer or a string".into()));
    }
    if ["method", "result", "error"]
        .iter()
        .all(|key| value.get(key).is_none())
    {
        return Err(invalid(
            "a message has a method (or, as a response, a result or an error)".into(),
        ));
    }
    serde_json::from_value::<Message>(value)
        .map_err(|e| invalid(format!("not a request, a response or a notification: {e}")))
}

/// `text` with every `\uD800`–`\uDFFF` escape that is not half of a pair replaced by
/// `\uFFFD`. Outside strings a valid JSON text has no backslash, so escapes are found by
/// walking backslash pairs.
fn without_lone_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let unit = |at: usize| -> Option<u16> {
        let escape = text.get(at..at + 6)?;
        let hex = escape.strip_prefix("\\u")?;
        u16::from_str_radix(hex, 16).ok()
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        match unit(at) {
            Some(0xD800..=0xDBFF)
                if unit(at + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) =>
            {
                at += 12;
            }
            Some(0xD800..=0xDFFF) => {
                out.push_str(&text[copied..at]);
                out.push_str("\\uFFFD");
                at += 6;
                copied = at;
            }
            _ => at += 2,
        }
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut reader = std::io::Cursor::new(input.as_bytes().to_vec());
        std::iter::from_fn(|| read_frame(&mut reader).unwrap()).collect()
    }

    #[test]
    fn frames_that_cannot_be_read_do_not_stop_the_next() {
        let ok = r#"{"jsonrpc":"2.0","method":"x"}"#;
        let input = format!(
            "Content-Length: {n}\r\n\r\n{ok}{ok}Content-Length: {n}\r\n\r\n{ok}\
             Content-Length: -1\r\n\r\nContent-Length: 99999999999999\r\n\r\n{ok}",
            n = ok.len()
        );
        let read = frames(&input);
        assert_eq!(read.len(), 4, "{read:?}");
        assert_eq!(read[0].body.as_deref().unwrap(), ok.as_bytes());
        assert!(read[0].junk.is_none());
        // A body without a header is reported, and the message after it is served.
        assert!(
            read[1]
                .junk
                .as_deref()
                .unwrap()
                .contains("without a Content-Length")
        );
        assert_eq!(read[1].body.as_deref().unwrap(), ok.as_bytes());
        let why = |frame: &Frame| frame.body.as_ref().unwrap_err().message.clone();
        assert!(why(&read[2]).contains("`-1` is not a size"), "{read:?}");
        assert!(why(&read[3]).contains("over dfslim's limit"), "{read:?}");
    }

    #[test]
    fn bodies_that_are_not_messages() {
        let refused = |body: &str| decode(body.as_bytes()).unwrap_err();
        assert_eq!(refused("{bad}").code, ErrorCode::ParseError as i32);
        assert_eq!(refused("{bad}").id, None);
        assert_eq!(
            decode(b"\xff").unwrap_err().code,
            ErrorCode::ParseError as i32
        );
        assert_eq!(refused("42").code, ErrorCode::InvalidRequest as i32);
        assert_eq!(refused("[1]").code, ErrorCode::InvalidRequest as i32);
        let no_method = refused(r#"{"jsonrpc":"2.0","id":7}"#);
        assert_eq!(
            (no_method.code, no_method.id),
            (ErrorCode::InvalidRequest as i32, Some(RequestId::from(7)))
        );
        assert_eq!(
            refused(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#).id,
            None
        );
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(refused(&deep).code, ErrorCode::ParseError as i32);
    }

    #[test]
    fn an_error_without_an_id_is_answered_to_null() {
        let frame = null_id_error(ErrorCode::ParseError as i32, "Parse error (-32700): x");
        let text = String::from_utf8(frame).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"jsonrpc": "2.0", "id": null,
                "error": {"code": -32700, "message": "Parse error (-32700): x"}})
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let body = r#"{"jsonrpc":"2.0","method":"m","params":{"t":"a\ud800b\\ud800 \ud83d\ude00 \udc00"}}"#;
        let Message::Notification(n) = decode(body.as_bytes()).unwrap() else {
            panic!("a notification");
        };
        assert_eq!(n.params["t"], "a\u{fffd}b\\ud800 \u{1f600} \u{fffd}");
    }
}
