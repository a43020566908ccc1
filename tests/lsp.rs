//! `dfslim server` spoken to as an editor does: JSON-RPC with `Content-Length` framing over
//! the binary's stdin and stdout. initialize, didOpen, publishDiagnostics, codeAction (whose
//! edit, applied, must give what `dfslim rewrite` gives), hover, didClose, shutdown, exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

const DOCKERFILE: &str = "FROM golang:1.24-bookworm\nWORKDIR /src\nCOPY . .\n\
RUN CGO_ENABLED=0 go build -o /out/app .\nENTRYPOINT [\"/out/app\"]\n";

/// A Python image whose app dfslim cannot account for: DFS001, but the rewrite declines.
const DECLINED: &str = "FROM python:3.13-bookworm\nCOPY . /app\nCMD [\"/app/run.sh\"]\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dfslim"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Bytes as they are, framed or not.
    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// A body with a `Content-Length` header, whatever it holds.
    fn send_body(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.send_raw(&frame);
    }

    /// The next message that is not a notification.
    fn response(&self) -> Value {
        loop {
            let message = self.receive();
            if message.get("id").is_some() {
                return message;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// A request, and its response (notifications that come first are skipped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
        }
    }

    fn receive(&self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answered within 20 s")
    }

    /// A server started in `dir` and initialized.
    fn initialized(dir: &std::path::Path) -> (Client, Value) {
        let mut client = Client::start(dir);
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        client.notify("initialized", json!({}));
        (client, init)
    }

    /// Opens a document and returns its first diagnostics.
    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    /// The code actions for one diagnostic.
    fn actions(&mut self, uri: &str, diagnostic: &Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": diagnostic["range"],
                "context": {"diagnostics": [diagnostic]},
            }),
        )
    }

    /// shutdown and exit: the server must end with exit code 0.
    fn finish(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin);
        assert_eq!(self.child.wait().unwrap().code(), Some(0));
    }

    /// The next publishDiagnostics for `uri`.
    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

/// Applies LSP text edits (line/UTF-16 positions; ASCII here) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        starts[p["line"].as_u64().unwrap() as usize] + p["character"].as_u64().unwrap() as usize
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn an_editor_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, DOCKERFILE).unwrap();
    let uri = format!("file://{}", path.display());
    let (mut client, init) = Client::initialized(dir.path());
    assert_eq!(init["capabilities"]["textDocumentSync"], 1);
    assert_eq!(init["capabilities"]["codeActionProvider"], true);
    assert_eq!(init["capabilities"]["hoverProvider"], true);

    let diagnostics = client.open(&uri, DOCKERFILE);
    let dfs001 = diagnostics
        .iter()
        .find(|d| d["code"] == "DFS001")
        .unwrap_or_else(|| panic!("no DFS001 in {diagnostics:?}"))
        .clone();
    assert_eq!(dfs001["source"], "dfslim");
    assert_eq!(dfs001["range"]["start"]["line"], 0);
    assert!(diagnostics.iter().any(|d| d["code"] == "DFS004"));

    let actions = client.actions(&uri, &dfs001);
    let action = &actions.as_array().unwrap()[0];
    assert_eq!(action["title"], "Make the final stage distroless");
    let edits = action["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap();
    let fixed = apply(DOCKERFILE, edits);
    let rewritten = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rewrite", "--stdout"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(fixed, String::from_utf8(rewritten.stdout).unwrap());
    assert!(fixed.contains("FROM gcr.io/distroless/static-debian13:nonroot"));
    // The document in memory is what the server answers from: the file is untouched.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DOCKERFILE);

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("golang:1.24-bookworm"), "{value}");
    assert!(value.contains("full-distro"), "{value}");

    // The fixed text, as the editor would send it: DFS001 is gone.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(&uri);
    assert!(after.iter().all(|d| d["code"] != "DFS001"), "{after:?}");

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(client.diagnostics(&uri).is_empty());

    client.finish();
}

#[test]
fn a_declined_rewrite_has_no_action_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let uri = format!("file://{}/Dockerfile", dir.path().display());
    let (mut client, _) = Client::initialized(dir.path());
    let diagnostics = client.open(&uri, DECLINED);
    let dfs001 = diagnostics
        .iter()
        .find(|d| d["code"] == "DFS001")
        .unwrap_or_else(|| panic!("no DFS001 in {diagnostics:?}"))
        .clone();
    let message = dfs001["message"].as_str().unwrap();
    assert!(message.contains("dfslim cannot rewrite it"), "{message}");
    // the blocker, where it is: the command that runs a shell script (line 3)
    let related = dfs001["relatedInformation"]
        .as_array()
        .expect("related information");
    assert_eq!(related.len(), 1, "{related:?}");
    assert_eq!(related[0]["location"]["uri"], json!(uri));
    assert_eq!(related[0]["location"]["range"]["start"]["line"], json!(2));
    let blocker = related[0]["message"].as_str().unwrap();
    assert!(blocker.starts_with("script-entrypoint: "), "{blocker}");
    assert_eq!(client.actions(&uri, &dfs001), json!([]));
    client.finish();
}

/// Every blocker of a declined rewrite is related information of its DFS001, the most
/// fundamental first: the Python version no target carries, then the unknown program.
#[test]
fn every_blocker_is_related_information() {
    let dir = tempfile::tempdir().unwrap();
    let uri = format!("file://{}/Dockerfile", dir.path().display());
    let (mut client, _) = Client::initialized(dir.path());
    let diagnostics = client.open(
        &uri,
        "FROM python:3.10-slim\nCOPY . /app\nCMD [\"frobnicate\"]\n",
    );
    let dfs001 = diagnostics
        .iter()
        .find(|d| d["code"] == "DFS001")
        .unwrap_or_else(|| panic!("no DFS001 in {diagnostics:?}"));
    let related: Vec<(String, i64)> = dfs001["relatedInformation"]
        .as_array()
        .expect("related information")
        .iter()
        .map(|r| {
            let code = r["message"].as_str().unwrap().split(':').next().unwrap();
            (
                code.to_string(),
                r["location"]["range"]["start"]["line"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            ("no-target".to_string(), 0),
            ("unknown-artifact".to_string(), 2)
        ]
    );
    client.finish();
}

/// The `.dfslim.yaml` beside the document and the file's own `# dfslim` pragmas apply, as
/// they do for `dfslim check`.
#[test]
fn config_and_pragmas_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".dfslim.yaml"), "ignore: [DFS004]\n").unwrap();
    let uri = format!("file://{}/Dockerfile", dir.path().display());
    let (mut client, _) = Client::initialized(dir.path());
    let text = format!("# dfslim ignore=DFS001\n{DOCKERFILE}");
    let diagnostics = client.open(&uri, &text);
    assert!(
        diagnostics
            .iter()
            .all(|d| d["code"] != "DFS004" && d["code"] != "DFS001"),
        "{diagnostics:?}"
    );
    client.finish();
}

/// Frames that cannot be read or decoded are answered, to their id when it can be read and
/// to `"id": null` when it cannot (JSON-RPC 2.0 §5), and the server goes on serving; a lone
/// surrogate escape is read as U+FFFD.
/// After `shutdown` a request gets InvalidRequest; `exit` then ends the server with 0.
#[test]
fn bad_frames_are_answered_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path());
    let uri = "file:///x/Dockerfile";
    client.send_body(
        br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x/Dockerfile","languageId":"dockerfile","version":1,"text":"FROM golang:1.24-bookworm\n# \ud800\n"}}}"#,
    );
    assert!(
        client
            .diagnostics(uri)
            .iter()
            .any(|d| d["code"] == "DFS001")
    );
    // The error response to `"id": null`, and its message.
    let log = |client: &Client| {
        let answer = client.response();
        assert_eq!(answer["id"], Value::Null, "{answer}");
        assert_eq!(answer["jsonrpc"], "2.0", "{answer}");
        let code = answer["error"]["code"].as_i64().unwrap();
        assert!(code == -32700 || code == -32600, "{answer}");
        answer["error"]["message"].as_str().unwrap().to_string()
    };
    // A body sent without its header, then one that is not JSON.
    client.send_raw(br#"{"jsonrpc":"2.0","method":"initialized"}"#);
    client.send_body(b"{bad}");
    let logged = log(&client);
    assert!(
        logged.contains("Parse error (-32700): a message without a Content-Length header"),
        "{logged}"
    );
    let logged = log(&client);
    assert!(
        logged.contains("Parse error (-32700): the message is not JSON"),
        "{logged}"
    );
    client.send_body(b"\xff\xfe");
    assert!(log(&client).contains("not UTF-8"));
    client.send_raw(b"Content-Length: -1\r\n\r\n");
    assert!(log(&client).contains("`-1` is not a size"));
    client.send_body(b"42");
    assert!(log(&client).contains("Invalid Request (-32600): a message is a JSON object"));
    client.send_body(br#"{"jsonrpc":"2.0","id":9}"#);
    let answer = client.response();
    assert_eq!(
        (&answer["id"], &answer["error"]["code"]),
        (&json!(9), &json!(-32600)),
        "{answer}"
    );
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    client.send_body(deep.as_bytes());
    assert!(log(&client).contains("Parse error"));

    let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}});
    let value = client.request("textDocument/hover", hover.clone());
    assert!(
        value["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("golang"),
        "{value}"
    );
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client
        .send(json!({"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": hover}));
    let answer = client.response();
    assert_eq!(
        (&answer["id"], &answer["error"]["code"]),
        (&json!(99), &json!(-32600)),
        "{answer}"
    );
    client.notify("exit", Value::Null);
    drop(client.stdin);
    assert_eq!(client.child.wait().unwrap().code(), Some(0));
}

/// `dfslim server` fed `input` whole, then stdin closed: its exit code and stderr.
fn serve_all(input: &str) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A `Content-Length` far over the limit is skipped as it is read, never allocated (it
/// aborted the process), and said on stderr; `exit` without `shutdown` is exit code 1.
#[test]
fn a_huge_content_length_is_skipped() {
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let start =
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    let (code, stderr) = serve_all(&format!(
        "{start}Content-Length: 99999999999999\r\n\r\n{{}}"
    ));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("a message of 99999999999999 bytes is over dfslim's limit"),
        "{stderr}"
    );
    let (code, stderr) = serve_all(&(start + &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)));
    assert_eq!(code, Some(1), "{stderr}");
}
