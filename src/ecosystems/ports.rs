//! Ports the application's own code listens on, written as literals on the line that
//! starts the server: Go's `http.ListenAndServe(":80", nil)` and gin's `r.Run(":80")`,
//! Node's `app.listen(80)`, Flask's `app.run(port=80)`, ASP.NET Core's
//! `UseUrls("http://*:80")` and Kestrel's `ListenAnyIP(80)`. An image that ran as root
//! could bind a port below 1024; the non-root user of the rewrite cannot (without
//! CAP_NET_BIND_SERVICE, which Kubernetes does not grant by default), so such a port is one
//! the rewrite must see. A shallow reading, like [`super::created`]'s: a finding can only
//! make a rewrite decline.

use super::compiled::walk;
use super::created::{descends, in_languages, is_test};

/// The calls and fields that start a server, by the file's extension.
fn listen_markers(file: &str) -> &'static [&'static str] {
    match file.rsplit_once('.').map_or("", |(_, e)| e) {
        "go" => &[
            "ListenAndServe",
            "Listen(",
            ".Run(",
            ".Start(",
            "Addr:",
            "ListenPacket(",
            "ListenUDP(",
        ],
        "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" => &[".listen("],
        "py" => &[
            ".run(",
            "uvicorn.run(",
            "serve(",
            "TCPServer(",
            "UDPServer(",
            ".bind(",
        ],
        "cs" => &[
            "UseUrls(",
            "ListenAnyIP(",
            "ListenLocalhost(",
            "Listen(",
            ".Run(",
            "Urls.Add(",
            "TcpListener(",
            "UdpClient(",
            "HttpListener",
        ],
        "java" | "kt" => &["server.port", "setPort(", "create("],
        "rs" => &["bind(", "serve("],
        _ => &[],
    }
}

/// The digits `text` starts with (`80` of `80)`), maybe none.
fn leading_digits(text: &str) -> &str {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    &text[..end]
}

/// The port below 1024 a server line names: `":80"`, `"0.0.0.0:80"`, `http://*:80`,
/// `listen(80`, `port=80`, `ListenAnyIP(80`.
fn low_port(line: &str) -> Option<u32> {
    let bytes = line.as_bytes();
    let mut candidates = Vec::new();
    for (at, c) in line.char_indices() {
        if !matches!(c, ':' | '=' | '(') {
            continue;
        }
        let after = line[at + 1..].trim_start_matches(' ');
        let digits = leading_digits(after);
        if digits.is_empty() {
            continue;
        }
        let end = line.len() - after.len() + digits.len();
        // The number ends there: not `8080`'s prefix, not a version or an address part.
        let next = bytes.get(end).copied();
        // Nor an expression (`Run(10*time.Second, …)`): a port stands alone.
        if next.is_some_and(|b| {
            !matches!(
                b,
                b')' | b',' | b'"' | b'\'' | b';' | b' ' | b'/' | b'}' | b']'
            )
        }) {
            continue;
        }
        // `:` only inside an address (`":80"`, `*:80`), not `port: 80` keys of a map.
        if c == ':' && line[..at].ends_with(' ') {
            continue;
        }
        if let Ok(port) = digits.parse::<u32>() {
            candidates.push(port);
        }
    }
    candidates.into_iter().find(|p| (1..1024).contains(p))
}

/// A port below 1024 a file of a server names another way than on its listen line: an
/// address constant (`const addr = ":80"`, `"0.0.0.0:443"`) or the default of the `PORT`
/// variable (`process.env.PORT || 80`, `os.getenv("PORT", "80")`).
fn named_low_port(line: &str) -> Option<u32> {
    let literal_address = [
        "\":",
        "\"0.0.0.0:",
        "\"[::]:",
        "\"localhost:",
        "\"127.0.0.1:",
    ]
    .iter()
    .find_map(|start| {
        let at = line.find(start)? + start.len();
        let digits = leading_digits(&line[at..]);
        (line[at + digits.len()..].starts_with('"') && !digits.is_empty())
            .then(|| digits.parse::<u32>().ok())
            .flatten()
    });
    let default = line.match_indices("PORT").find_map(|(at, _)| {
        let rest = &line[at + 4..];
        let rest = rest.trim_start_matches(['"', '\'', ']', ')', ' ']);
        let rest = ["||", "??", ","]
            .iter()
            .find_map(|op| rest.strip_prefix(op))?
            .trim_start()
            .trim_start_matches(['"', '\'']);
        leading_digits(rest).parse::<u32>().ok()
    });
    // A fallback on the listen line itself (`listen(process.argv[2] || 80)`).
    let fallback = ["||", "??"].iter().find_map(|op| {
        line.match_indices(op).find_map(|(at, _)| {
            let rest = line[at + op.len()..]
                .trim_start()
                .trim_start_matches(['"', '\'']);
            leading_digits(rest)
                .parse::<u32>()
                .ok()
                .filter(|p| (1..1024).contains(p))
        })
    });
    literal_address
        .or(default)
        .or_else(|| url_port(line))
        .or_else(|| port_assignment(line))
        .or_else(|| join_host_port(line))
        .or_else(|| address_pair_port(line))
        .filter(|p| (1..1024).contains(p))
        .or(fallback
            .filter(|_| line.contains("listen") || line.to_ascii_lowercase().contains("port")))
}

/// The port of a URL the server is given (`app.Run("http://0.0.0.0:80")`,
/// `app.Urls.Add("http://*:80")`): `://`, an address to bind, `:`, digits, then the URL's
/// end.
fn url_port(line: &str) -> Option<u32> {
    line.match_indices("://").find_map(|(at, _)| {
        let rest = &line[at + 3..];
        // Only the addresses a server binds: a URL of another host is one the app calls.
        let host = ["0.0.0.0", "*", "+", "[::]"]
            .iter()
            .find(|host| rest.starts_with(*host))?;
        let rest = rest[host.len()..].strip_prefix(':')?;
        let digits = leading_digits(rest);
        let next = rest[digits.len()..].chars().next();
        (!digits.is_empty() && matches!(next, None | Some('"' | '\'' | '/' | ';' | ',' | ')')))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// A number given to a variable, field or key named for the listen port (`const port =
/// 80`, `PORT = 80`, `port = "80"` in Go's `if port == ""`, `{port: 80}`, `const {PORT =
/// 80} = process.env`), not to the port of another server (`SMTP_PORT = 25`).
fn port_assignment(line: &str) -> Option<u32> {
    const NAMES: &[&str] = &[
        "port",
        "httpport",
        "serverport",
        "appport",
        "webport",
        "listenport",
        "defaultport",
    ];
    let lower = line.to_ascii_lowercase();
    lower.match_indices("port").find_map(|(at, _)| {
        let start = lower[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let end = at
            + 4
            + lower[at + 4..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(lower.len() - at - 4);
        let name: String = lower[start..end].chars().filter(|c| *c != '_').collect();
        if !NAMES.contains(&name.as_str()) {
            return None;
        }
        let rest = lower[end..].trim_start_matches(['"', '\'', ' ', ']']);
        let rest = [":=", "=", ":"].iter().find_map(|op| {
            let after = rest.strip_prefix(op)?;
            // `==` compares; it does not give.
            (!after.starts_with('=')).then_some(after)
        })?;
        let rest = rest.trim_start().trim_start_matches(['"', '\'']);
        let digits = leading_digits(rest);
        let next = rest[digits.len()..].chars().next();
        (!digits.is_empty()
            && !matches!(next, Some('.' | '_'))
            && !next.is_some_and(|c| c.is_ascii_alphanumeric()))
        .then(|| digits.parse().ok())
        .flatten()
    })
}

/// The port of an address given as a host and a number: Python's `("", 80)` and
/// `("0.0.0.0", 80)`, Rust's `([0, 0, 0, 0], 80)` and `(Ipv4Addr::UNSPECIFIED, 80)`,
/// .NET's `(IPAddress.Any, 80)`.
fn address_pair_port(line: &str) -> Option<u32> {
    const HOSTS: &[&str] = &[
        "\"\"",
        "''",
        "\"0.0.0.0\"",
        "'0.0.0.0'",
        "\"::\"",
        "\"localhost\"",
        "'localhost'",
        "\"127.0.0.1\"",
        "]",
        "IPAddress.Any",
        "IPAddress.IPv6Any",
        "IPAddress.Loopback",
        "UNSPECIFIED",
        "LOCALHOST",
    ];
    HOSTS.iter().find_map(|host| {
        line.match_indices(host).find_map(|(at, _)| {
            let rest = line[at + host.len()..]
                .trim_start()
                .strip_prefix(',')?
                .trim_start();
            let digits = leading_digits(rest);
            (!digits.is_empty() && rest[digits.len()..].trim_start().starts_with(')'))
                .then(|| digits.parse().ok())
                .flatten()
        })
    })
}

/// Go's `net.JoinHostPort(host, "80")`.
fn join_host_port(line: &str) -> Option<u32> {
    let at = line.find("JoinHostPort(")?;
    let args = &line[at..];
    let quoted = args
        .rsplit_once(", \"")
        .or_else(|| args.rsplit_once(",\""))?
        .1;
    let digits = leading_digits(quoted);
    (quoted[digits.len()..].starts_with('"') && !digits.is_empty())
        .then(|| digits.parse().ok())
        .flatten()
}

/// The first port below 1024 the application's sources in the build context listen on, in
/// `languages` (all when empty), with the file and line.
pub fn context_low_port(
    read: &dyn Fn(&str) -> Option<String>,
    languages: &[&str],
) -> Option<(u32, String)> {
    let ours = |name: &str| in_languages(name, languages);
    let mut found = None;
    walk(
        read,
        vec![String::new()],
        descends,
        |name| !listen_markers(name).is_empty() && !is_test(name) && ours(name),
        |path, code, _| {
            let markers = listen_markers(path);
            let serves = code
                .lines()
                .any(|line| markers.iter().any(|m| line.contains(m)));
            for line in code.lines() {
                let trimmed = line.trim_start();
                if trimmed.starts_with("//") || trimmed.starts_with('#') {
                    continue;
                }
                let port = if markers.iter().any(|m| line.contains(m)) {
                    low_port(line).or_else(|| named_low_port(line))
                } else if serves {
                    named_low_port(line)
                } else {
                    None
                };
                if let Some(port) = port {
                    found = Some((port, format!("{path}: {}", trimmed.trim_end())));
                    return true;
                }
            }
            false
        },
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_below_1024_on_server_lines() {
        assert_eq!(
            low_port("log.Fatal(http.ListenAndServe(\":80\", nil))"),
            Some(80)
        );
        assert_eq!(low_port("r.Run(\"0.0.0.0:443\")"), Some(443));
        assert_eq!(low_port("app.listen(80, () => {})"), Some(80));
        assert_eq!(low_port("app.run(host=\"0.0.0.0\", port=80)"), Some(80));
        assert_eq!(
            low_port("builder.WebHost.UseUrls(\"http://*:80\");"),
            Some(80)
        );
        assert_eq!(low_port("options.ListenAnyIP(80);"), Some(80));
        assert_eq!(low_port("http.ListenAndServe(\":8080\", nil)"), None);
        assert_eq!(low_port("app.listen(process.env.PORT || 3000)"), None);
        assert_eq!(low_port("srv := &http.Server{Addr: \":8080\"}"), None);
        assert_eq!(low_port("r.Run(\":80.5\")"), None);
        assert_eq!(low_port("pkg.Run(10*time.Second, target)"), None);
    }

    #[test]
    fn ports_through_names_urls_and_joins() {
        assert_eq!(named_low_port("const port = 80;"), Some(80));
        assert_eq!(named_low_port("PORT = 80"), Some(80));
        assert_eq!(named_low_port("\t\tport = \"80\""), Some(80));
        assert_eq!(named_low_port("const {PORT = 80} = process.env;"), Some(80));
        assert_eq!(named_low_port("const config = {port: 80};"), Some(80));
        assert_eq!(named_low_port("app.Run(\"http://0.0.0.0:80\");"), Some(80));
        assert_eq!(named_low_port("app.Urls.Add(\"http://*:80\");"), Some(80));
        assert_eq!(
            named_low_port("addr := net.JoinHostPort(\"\", \"80\")"),
            Some(80)
        );
        assert_eq!(
            named_low_port("with socketserver.TCPServer((\"\", 80), Handler) as httpd:"),
            Some(80)
        );
        assert_eq!(
            named_low_port("let addr = SocketAddr::from(([0, 0, 0, 0], 80));"),
            Some(80)
        );
        assert_eq!(named_low_port("o.Listen(IPAddress.Any, 80);"), Some(80));
        assert_eq!(named_low_port("let v = f([1, 2], 3000);"), None);
        assert_eq!(named_low_port("SMTP_PORT = 25"), None);
        assert_eq!(named_low_port("if port == \"80\" {"), None);
        assert_eq!(named_low_port("const port = 8080;"), None);
        assert_eq!(named_low_port("report = 80"), None);
        assert_eq!(named_low_port("fetch(\"http://api:80/x\")"), None);
    }

    #[test]
    fn ports_through_constants_and_defaults() {
        assert_eq!(named_low_port("const listenAddr = \":80\""), Some(80));
        assert_eq!(
            named_low_port("const port = process.env.PORT || 80;"),
            Some(80)
        );
        assert_eq!(
            named_low_port("const PORT = process.env.PORT || 80;"),
            Some(80)
        );
        assert_eq!(
            named_low_port("port = int(os.getenv(\"PORT\", \"80\"))"),
            Some(80)
        );
        assert_eq!(
            named_low_port("port = int(os.environ.get('PORT', 443))"),
            Some(443)
        );
        assert_eq!(
            named_low_port("const port = process.env.PORT || 3000;"),
            None
        );
        assert_eq!(named_low_port("url := \"http://db:5432\""), None);
    }

    #[test]
    fn the_walk_finds_a_go_server_on_port_80() {
        let files = |path: &str| match path {
            "" => Some("main.go\nmain_test.go\n".to_string()),
            "main.go" => Some(
                "package main\nfunc main() {\n\thttp.ListenAndServe(\":80\", nil)\n}\n".to_string(),
            ),
            "main_test.go" => Some("http.ListenAndServe(\":81\", nil)\n".to_string()),
            _ => None,
        };
        let (port, line) = context_low_port(&files, &["go"]).unwrap();
        assert_eq!(port, 80);
        assert!(line.starts_with("main.go"));
    }
}
