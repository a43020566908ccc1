//! Ports the application's own code listens on, written as literals on the line that
//! starts the server: Go's `http.ListenAndServe(":80", nil)` and gin's `r.Run(":80")`,
//! Node's `app.listen(80)`, Flask's `app.run(port=80)`, ASP.NET Core's
//! `UseUrls("http://*:80")` and Kestrel's `ListenAnyIP(80)`. An image that ran as root
//! could bind a port below 1024; the non-root user of the rewrite cannot (without
//! CAP_NET_BIND_SERVICE, which Kubernetes does not grant by default), so such a port is one
//! the rewrite must see. A shallow reading, like [`super::created`]'s: a finding can only
//! make a rewrite decline.

use std::collections::HashSet;

use super::compiled::walk;
use super::created::{descends, in_languages, is_test};

/// The calls and fields that start a server, by the file's extension.
fn listen_markers(file: &str) -> &'static [&'static str] {
    match file.rsplit_once('.').map_or("", |(_, e)| e) {
        "go" => &[
            "ListenAndServe",
            "Listen(",
            "ListenTLS(",
            "ListenMutualTLS(",
            ".Run(",
            ".Start(",
            "Addr:",
            "ListenPacket(",
            "ListenUDP(",
        ],
        "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" => &[
            ".listen(",
            // Hapi's `Hapi.server({port: 80})`, socket.io's `new Server(80)`, ws's
            // `new WebSocketServer({port: 80})`, Deno's and Bun's `serve` (dgram's
            // `bind(53)` in [`listen_markers_of`]: `.bind(` is mostly a function's).
            ".server(", "Server(", "serve(",
        ],
        "py" => &[
            ".run(",
            "uvicorn.run(",
            "serve(",
            "TCPServer(",
            "UDPServer(",
            // http.server's (and ThreadingHTTPServer), aiohttp's, wsgiref's, asyncio's.
            "HTTPServer(",
            "run_app(",
            "TCPSite(",
            "make_server(",
            "start_server(",
            // twisted's `listenTCP(80, …)`, gradio's `launch(server_port=80)` (tornado's
            // `app.listen(80)` in [`listen_markers_of`]: a socket's `listen(5)` is a backlog).
            "listenTCP(",
            "listenUDP(",
            "server_port=",
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
        "java" | "kt" => &[
            "server.port",
            "setPort(",
            "create(",
            // `new ServerSocket(80)`, Spark's `port(80)` (not `report(`, `export(`).
            "ServerSocket(",
            " port(",
            "\tport(",
            "Spark.port(",
        ],
        "rs" => &["bind(", "serve("],
        _ => &[],
    }
}

/// The listen markers of a file given its code: [`listen_markers`], tornado's
/// `app.listen(80)` in a file that uses tornado, and a UDP socket's `bind(53)` in a
/// file that uses dgram.
fn listen_markers_of(file: &str, code: &str) -> Vec<&'static str> {
    let mut markers = listen_markers(file).to_vec();
    if file.ends_with(".py") && code.contains("tornado") {
        markers.push(".listen(");
    }
    if !file.ends_with(".py") && !markers.is_empty() && code.contains("dgram") {
        markers.push(".bind(");
    }
    markers
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
        // A key and its value (`ReadHeaderTimeout: 10 * time.Second` in Go's
        // `http.Server{…}`, `"workers": 4`): the port only when the key says so.
        if c == ':' && line[at + 1..].starts_with(' ') {
            let before = line[..at].trim_end_matches(['"', '\'']);
            let start = word_start(before, |c| c.is_ascii_alphanumeric() || c == '_');
            if !before[start..].to_ascii_lowercase().contains("port") {
                continue;
            }
        }
        // Go's `.Start(` and `.Run(` take an address string (`e.Start(":80")`): a bare
        // number there is another call's (`Cse.List().Start(1)`, a search's first page).
        if c == '(' && (line[..at].ends_with(".Start") || line[..at].ends_with(".Run")) {
            continue;
        }
        // A named argument is the port only when its name says so: not `workers=4`,
        // `backlog=128`, `processes=1` beside `port=8000`.
        if c == '=' {
            let before = line[..at].trim_end();
            let start = word_start(before, |c| {
                c.is_ascii_alphanumeric() || c == '_' || c == '.'
            });
            let name = &before[start..];
            if !name.is_empty() && !name.to_ascii_lowercase().contains("port") {
                continue;
            }
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
        // A getter's default follows the quoted name (`getenv("PORT", "80")`); after a
        // bare one it is another argument (`parseInt(process.env.PORT, 10)`'s radix).
        let quoted = rest.starts_with(['"', '\'']);
        let rest = rest.trim_start_matches(['"', '\'', ']', ')', ' ']);
        let rest = ["||", "??", ",", "or "]
            .iter()
            .filter(|op| quoted || **op != ",")
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

/// The names of the listen port, without `_` or `-` and in lower case: `port`, `HTTP_PORT`,
/// `--listen-port`; not `SMTP_PORT`, the port of another server.
const PORT_NAMES: &[&str] = &[
    "port",
    "httpport",
    "serverport",
    "appport",
    "webport",
    "listenport",
    "defaultport",
];

/// A number given to a variable, field or key named for the listen port (`const port =
/// 80`, `PORT = 80`, `port = "80"` in Go's `if port == ""`, `{port: 80}`, `const {PORT =
/// 80} = process.env`), not to the port of another server (`SMTP_PORT = 25`).
fn port_assignment(line: &str) -> Option<u32> {
    let lower = line.to_ascii_lowercase();
    lower.match_indices("port").find_map(|(at, _)| {
        let start = word_start(&lower[..at], |c| c.is_ascii_alphanumeric() || c == '_');
        let end = at
            + 4
            + lower[at + 4..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(lower.len() - at - 4);
        let name: String = lower[start..end].chars().filter(|c| *c != '_').collect();
        if !PORT_NAMES.contains(&name.as_str()) {
            return None;
        }
        let rest = lower[end..].trim_start_matches(['"', '\'', ' ', ']']);
        let rest = [":=", "=", ":"].iter().find_map(|op| {
            let after = rest.strip_prefix(op)?;
            // `==` compares; it does not give.
            (!after.starts_with('=')).then_some(after)
        })?;
        // A typed field gives after its type: `port: int = 80` (Python, a settings class),
        // `port: number = 80` (TypeScript).
        let typed = rest.trim_start();
        let type_end = typed
            .find(|c: char| !(is_name_char(c) || matches!(c, '.' | '[' | ']' | '|' | ' ')))
            .unwrap_or(typed.len());
        let rest = match typed[type_end..].strip_prefix('=') {
            Some(value) if type_end > 0 && !value.starts_with('=') => value,
            _ => rest,
        };
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

/// Whether `c` may be part of a name.
/// Where the word that ends `text` starts: after its last character that `in_word`
/// refuses, which may be longer than a byte (a BOM, `é`), so never inside one.
pub(crate) fn word_start(text: &str, in_word: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .rev()
        .find(|(_, c)| !in_word(*c))
        .map_or(0, |(at, c)| at + c.len_utf8())
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The names of a line that hold values: outside strings, not a package or receiver
/// (`os.`), not a called function (`Sprintf(`), not a field (`.Port`).
fn value_names(line: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut quote = None;
    let mut start = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices().chain([(line.len(), ' ')]) {
        if let Some(q) = quote {
            if c == q && previous != '\\' {
                quote = None;
            }
            previous = if previous == '\\' { ' ' } else { c };
            continue;
        }
        if is_name_char(c) && at < line.len() {
            start.get_or_insert(at);
        } else if let Some(from) = start.take() {
            let name = &line[from..at];
            let field = line[..from].ends_with('.');
            let called = matches!(c, '.' | '(');
            if !field && !called && !name.starts_with(|d: char| d.is_ascii_digit()) {
                names.push(name);
            }
        }
        if matches!(c, '"' | '\'' | '`') {
            quote = Some(c);
        }
        previous = c;
    }
    names
}

/// A line that gives a name a value: `p := …`, `p = …`, `var p = …`, `var p string = …`,
/// `let p = …`, Python's `p: int = …`; not `==`, and not `a, b := …`.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let mut text = line.trim_start();
    for keyword in ["var ", "let ", "const ", "final "] {
        text = text.strip_prefix(keyword).unwrap_or(text);
    }
    let end = text.find(|c: char| !is_name_char(c)).unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() || name.starts_with(|d: char| d.is_ascii_digit()) {
        return None;
    }
    let mut rest = text[end..].trim_start();
    // A type between the name and the `=`: Go's `var p string = "80"`, Python's `p: int = 80`.
    if !rest.starts_with([':', '=']) || rest.starts_with(": ") {
        let typed = rest.trim_start_matches(':').trim_start();
        let word = typed
            .find(|c: char| !is_name_char(c))
            .unwrap_or(typed.len());
        if word > 0 {
            rest = typed[word..].trim_start();
        }
    }
    let value = rest
        .strip_prefix(":=")
        .or_else(|| rest.strip_prefix('=').filter(|r| !r.starts_with('=')))?;
    Some((name, value))
}

/// A port below 1024 written as a value alone: `"80"`, `'443'`, `80`, then the end of the
/// statement.
fn literal_port(value: &str) -> Option<u32> {
    let value = value.trim();
    let (digits, after) = match value.chars().next()? {
        q @ ('"' | '\'' | '`') => {
            let inner = &value[1..];
            let digits = leading_digits(inner);
            (digits, inner[digits.len()..].strip_prefix(q)?)
        }
        _ => {
            let digits = leading_digits(value);
            // A bare small number (`n = 4`) is a count more often than a port.
            if digits.parse::<u32>().ok()? < 20 {
                return None;
            }
            (digits, &value[digits.len()..])
        }
    };
    let after = after.trim_start();
    if digits.is_empty() || !(after.is_empty() || after.starts_with([';', ')', ',', '/', '#'])) {
        return None;
    }
    digits.parse().ok().filter(|p| (1..1024).contains(p))
}

/// The arguments of the first call on `line` whose name ends with `call`, split at the
/// commas outside strings and brackets.
fn call_arguments<'a>(line: &'a str, call: &str) -> Option<Vec<&'a str>> {
    let open = line.find(call)? + call.len();
    let mut arguments = Vec::new();
    let (mut depth, mut quote, mut from) = (0usize, None, open);
    for (at, c) in line[open..].char_indices().map(|(i, c)| (i + open, c)) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth == 0 => {
                arguments.push(line[from..at].trim());
                return Some(arguments);
            }
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                arguments.push(line[from..at].trim());
                from = at + 1;
            }
            _ => {}
        }
    }
    None
}

/// Whether an option's spelling names the listen port: `"port"`, `"--http-port"`,
/// `'-p, --port <number>'`.
fn names_the_port(spelling: &str) -> bool {
    spelling
        .trim_matches(['"', '\'', '`'])
        .split([',', ' ', '='])
        .any(|word| {
            let word: String = word
                .trim_start_matches('-')
                .chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .collect::<String>()
                .to_ascii_lowercase();
            PORT_NAMES.contains(&word.as_str())
        })
}

/// The default below 1024 of a command-line option for the port: Go's `flag.Int("port",
/// 80, …)` and `flag.StringVar(&p, "port", "80", …)` (pflag's and cobra's alike), Python's
/// `add_argument("--port", type=int, default=80)` and click's `option("--port",
/// default=80)`, commander's `.option("-p, --port <n>", "…", 80)`. With `name`, an option
/// stored into that name counts whatever it is called (`flag.StringVar(&p, "p", "443", …)`).
fn option_default_port(line: &str, names: &HashSet<&str>) -> Option<u32> {
    const CALLS: &[&str] = &["add_argument(", "option(", "Option("];
    if let Some(default) = line.find("default=").or_else(|| line.find("default:")) {
        let named = CALLS
            .iter()
            .find_map(|call| call_arguments(line, call))
            .is_some_and(|arguments| arguments.iter().any(|a| names_the_port(a)));
        let value = &line[default + 8..];
        let end = value.find([',', ')']).unwrap_or(value.len());
        return literal_port(&value[..end]).filter(|_| named);
    }
    // commander's `.option(flags, description, default)`.
    if let Some(arguments) = call_arguments(line, ".option(") {
        let named = arguments.first().is_some_and(|a| names_the_port(a));
        return (arguments.len() == 3 && named)
            .then(|| literal_port(arguments[2]))
            .flatten();
    }
    // Go's flag package and pflag: the default is the argument before the usage.
    let go_flag = ["flag.", "Flags()."]
        .iter()
        .find_map(|m| line.find(m).map(|at| at + m.len()))?;
    let call = line[go_flag..].find('(')? + go_flag;
    let arguments = call_arguments(line, &line[go_flag..=call])?;
    if arguments.len() < 3 {
        return None;
    }
    let stored = arguments[0]
        .strip_prefix('&')
        .is_some_and(|n| names.contains(n))
        || assignment(line).is_some_and(|(n, _)| names.contains(n));
    let named = arguments[..arguments.len() - 2]
        .iter()
        .any(|a| a.starts_with(['"', '`']) && names_the_port(a));
    literal_port(arguments[arguments.len() - 2]).filter(|_| named || stored)
}

/// A port below 1024 a file gives the listen port however far from the server it is: a
/// Go struct tag's default on a field for the port (`env:"PORT" envDefault:"80"` of
/// caarlos0/env, envconfig's `default:"80"`, cleanenv's `env-default:":80"`), or the
/// default of the `PORT` variable itself (`port: process.env.PORT || 80` in a config
/// module).
fn config_default_port(line: &str) -> Option<u32> {
    let tagged = ["envDefault:\"", "env-default:\"", "default:\""]
        .iter()
        .find_map(|tag| {
            let at = line.find(tag)? + tag.len();
            let value = line[at..].trim_start_matches(':');
            let digits = leading_digits(value);
            (!digits.is_empty() && value[digits.len()..].starts_with('"'))
                .then(|| digits.parse::<u32>().ok())
                .flatten()
        })
        // The tag names the variable `PORT` itself (`env:"PORT"`), not `SMTP_PORT`.
        .filter(|_| {
            value_names(line).iter().any(|w| names_the_port(w)) || line.contains("\"PORT\"")
        });
    // `PORT` alone, not `DB_PORT` or `SMTP_PORT`, the port of another server.
    let variable = line.match_indices("PORT").find_map(|(at, _)| {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        named_low_port(&line[at..]).filter(|_| {
            let rest = line[at + 4..].trim_start_matches(['"', '\'', ']', ')', ' ']);
            ["||", "??", "or "].iter().any(|op| rest.starts_with(op))
        })
    });
    tagged.or(variable).filter(|p| (1..1024).contains(p))
}

/// Libraries that bind a port below 1024 themselves: Let's Encrypt's helpers serve the
/// ACME challenge and HTTPS on 80 and 443; cert-manager's webhook server
/// (`cmd.RunWebhookServer`) serves on k8s.io/apiserver's secure-serving default, 443
/// (`NewSecureServingOptions`: `BindPort: 443`), unless `--secure-port` moves it.
const SELF_BINDING: &[(&str, u32)] = &[
    ("RunWebhookServer(", 443),
    ("autocert.NewListener(", 443),
    ("certmagic.HTTPS(", 443),
    ("certmagic.Listen(", 443),
];

/// The names a line may give the listen port or address, without `_`, `-` or `.` and in
/// lower case: [`PORT_NAMES`] and the address keys (`listen`, `addr`, `bind`).
fn names_listen(word: &str) -> bool {
    let word = squashed(word);
    PORT_NAMES.contains(&word.as_str())
        || matches!(
            word.as_str(),
            "listen"
                | "listenaddr"
                | "listenaddress"
                | "addr"
                | "bind"
                | "bindaddr"
                | "bindaddress"
                | "httpaddr"
                | "serveraddr"
        )
}

/// A name without `_`, `-` or `.`, in lower case, as [`PORT_NAMES`] holds them
/// (`HTTP_PORT`, `http-port` → `httpport`).
fn squashed(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A number below 1024 standing alone on a line (`80`, `"80"`, `":80"`, `"0.0.0.0:443"`),
/// not part of a version, a decimal, a duration or a longer number.
fn standalone_low_number(line: &str) -> Option<u32> {
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let end = at + leading_digits(&line[at..]).len();
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(end).copied();
        let alone_before = before.is_none_or(|b| {
            matches!(
                b,
                b' ' | b'(' | b'=' | b':' | b',' | b'"' | b'\'' | b'[' | b'{' | b'\t'
            )
        });
        let alone_after = after
            .is_none_or(|b| matches!(b, b' ' | b')' | b',' | b'"' | b'\'' | b']' | b'}' | b';'));
        // `0.0.0.0:80` or `:80` is an address's port; a bare `.` before is a version.
        let address = before == Some(b':');
        if alone_before
            && alone_after
            && (address || before != Some(b'.'))
            && let Ok(n) = line[at..end].parse::<u32>()
            && (20..1024).contains(&n)
        {
            return Some(n);
        }
        at = end;
    }
    None
}

/// A port below 1024 a file gives a name for the listen port or address, however the
/// library spells the default: viper's `SetDefault("port", 80)`, urfave/cli's
/// `Name: "port", Value: 80`, yargs' `option("port", {default: 80})`, typer's
/// `port: int = typer.Option(80)`, pydantic's `Field(default=80)`, Rust's
/// `env::var("PORT").unwrap_or(80)`, an address default (`--listen`, `"0.0.0.0:80"`);
/// and a default on the line after or before the name, as clap's
/// `#[arg(default_value_t = 80)]` above `port: u16` and convict's `port: {` above
/// `default: 80`. A client's port (`smtp_port`, `db.port`) is not a name for it.
fn named_default_port(lines: &[&str], index: usize) -> Option<u32> {
    let line = lines[index];
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
            .map(|w| w.trim_matches('-').to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    // A line that names another server's port (`smtp-port`, `upstream_port`, `DB_PORT`)
    // is about a client, whatever else it says.
    let other_port = |text: &str| {
        words(text).iter().any(|w| {
            let w = squashed(w);
            w.ends_with("port") && !PORT_NAMES.contains(&w.as_str())
        })
    };
    let names = |text: &str| !other_port(text) && words(text).iter().any(|w| names_listen(w));
    let number = standalone_low_number(line)?;
    if other_port(line) {
        return None;
    }
    // A default, not any assignment: `port = "443"` in a client's URL parsing is the
    // port of the server it calls.
    let defaults = [
        "default",
        "Default",
        "Value:",
        "Option(",
        "Field(",
        "unwrap_or",
        "env",
    ]
    .iter()
    .any(|k| line.contains(k));
    if names(line) && defaults {
        return Some(number);
    }
    // A default written apart from its name, within two lines.
    let keyed = ["default", "Value:", "value:"]
        .iter()
        .any(|k| line.contains(k));
    let near = index.saturating_sub(2)..(index + 3).min(lines.len());
    (keyed && near.into_iter().any(|i| i != index && names(lines[i]))).then_some(number)
}

/// Go's net/http with no address: `ListenAndServe("", nil)` or `":http"` serves on 80
/// (`":https"` and TLS on 443).
fn go_default_address_port(code: &str) -> Option<(u32, &str)> {
    go_lines(code).find_map(|line| {
        let port = if line.contains("ListenAndServe(\"\"") || line.contains("\":http\"") {
            80
        } else if line.contains("ListenAndServeTLS(\"\"") || line.contains("\":https\"") {
            443
        } else {
            return None;
        };
        Some((port, line))
    })
}

/// An `http.Server` started without an address, which serves on 80 (443 with TLS), when
/// its literal names no `Addr`; only the caller can tell that no other file sets it
/// (`s.server.Addr = …` in a functional option).
fn go_server_without_address(code: &str) -> Option<(u32, &str)> {
    let server = go_lines(code).any(|line| line.contains("http.Server{"));
    if !server || go_sets_address(code) {
        return None;
    }
    go_lines(code).find_map(|line| {
        if line.contains(".ListenAndServeTLS(") {
            Some((443, line))
        } else if line.contains(".ListenAndServe()") {
            Some((80, line))
        } else {
            None
        }
    })
}

/// Whether Go code names a server's address (`Addr: …`, `srv.Addr = …`).
fn go_sets_address(code: &str) -> bool {
    go_lines(code).any(|line| line.contains("Addr"))
}

/// The lines of Go code that are not comments.
fn go_lines(code: &str) -> impl Iterator<Item = &str> {
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
}

/// The names a server's listen line reads, and the names those are made from
/// (`addr := ":" + p` puts `p` behind `ListenAndServe(addr, nil)`).
fn listen_names<'a>(code: &'a str, markers: &[&str]) -> HashSet<&'a str> {
    let mut names: HashSet<&str> = code
        .lines()
        .filter(|line| markers.iter().any(|m| line.contains(m)))
        .flat_map(value_names)
        .collect();
    // Three steps cover `p` → `addr` → `srv`; a longer chain is rare.
    for _ in 0..3 {
        let before = names.len();
        for (name, value) in code.lines().filter_map(assignment) {
            if names.contains(name) {
                names.extend(value_names(value));
            }
        }
        if names.len() == before {
            break;
        }
    }
    names
}

/// A port below 1024 given to a name the listen line reads: Go's `if p == "" { p = "80" }`
/// before `ListenAndServe(":"+p, nil)`, whatever the name.
fn listen_variable_port<'a>(code: &'a str, markers: &[&str]) -> Option<(u32, &'a str)> {
    let names = listen_names(code, markers);
    // The functions the listen line or those names call (`port := getPort()`): a literal
    // they return (`return "80"`) is the port too.
    let called: HashSet<&str> = code
        .lines()
        .filter(|line| {
            markers.iter().any(|m| line.contains(m))
                || assignment(line).is_some_and(|(name, _)| names.contains(name))
        })
        .flat_map(called_names)
        .collect();
    let mut function = "";
    code.lines().find_map(|line| {
        if let Some(name) = function_name(line) {
            function = name;
        }
        let returned = line
            .trim_start()
            .strip_prefix("return ")
            .filter(|_| called.contains(function))
            .and_then(literal_port);
        let port = assignment(line)
            .filter(|(name, _)| names.contains(name))
            .and_then(|(_, value)| literal_port(value))
            .or_else(|| option_default_port(line, &names))
            .or(returned);
        port.map(|port| (port, line))
    })
}

/// The functions a line calls (`getPort` of `port := getPort()`; not methods).
fn called_names(line: &str) -> Vec<&str> {
    line.match_indices('(')
        .filter_map(|(at, _)| {
            let before = &line[..at];
            let start = word_start(before, is_name_char);
            let name = &before[start..];
            (!name.is_empty() && !before[..start].ends_with('.')).then_some(name)
        })
        .collect()
}

/// The name of the function a line starts: Go's `func getPort() string {` (and a
/// method's `func (c *Config) port() string {`), Python's `def get_port():`, JavaScript's
/// `function getPort() {`.
fn function_name(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let line = line.strip_prefix("async ").unwrap_or(line);
    let rest = ["func ", "def ", "function "]
        .iter()
        .find_map(|k| line.strip_prefix(k))?;
    // A Go method's receiver.
    let rest = match rest.strip_prefix('(') {
        Some(receiver) => receiver.split_once(')')?.1.trim_start(),
        None => rest,
    };
    let end = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The first port below 1024 the application's sources in the build context listen on, in
/// `languages` (all when empty), with the file and line.
pub fn context_low_port(
    read: &dyn Fn(&str) -> Option<String>,
    languages: &[&str],
) -> Option<(u32, String)> {
    let ours = |name: &str| in_languages(name, languages);
    // Rocket's `Rocket.toml` (`[default]` / `[release]`: `port = 80`), which the server
    // reads from its working folder.
    if let Some(text) = read("Rocket.toml") {
        let low = text.lines().find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("port")?
                .trim_start()
                .strip_prefix('=')?;
            let port: u32 = leading_digits(value.trim()).parse().ok()?;
            (1..1024)
                .contains(&port)
                .then(|| (port, format!("Rocket.toml: {}", line.trim())))
        });
        if low.is_some() {
            return low;
        }
    }
    let mut found = None;
    // A Go server without an address, and whether any Go file sets one.
    let mut addressless = None;
    let mut address_set = false;
    walk(
        read,
        vec![String::new()],
        descends,
        |name| !listen_markers(name).is_empty() && !is_test(name) && ours(name),
        |path, code, _| {
            let markers = &listen_markers_of(path, code)[..];
            let serves = code
                .lines()
                .any(|line| markers.iter().any(|m| line.contains(m)));
            // A settings class the server reads its port from (pydantic's `BaseSettings`,
            // a `class Config`): its `port` field is the listen port.
            let settings = ["BaseSettings", "class Settings", "class Config"]
                .iter()
                .any(|m| code.contains(m));
            let lines: Vec<&str> = code.lines().collect();
            for (index, line) in lines.iter().enumerate() {
                let line = *line;
                let trimmed = line.trim_start();
                // Comments: `//`, `#`, and a block comment's lines (`/*`, ` * …`).
                if trimmed.starts_with("//")
                    || (trimmed.starts_with('#') && !trimmed.starts_with("#["))
                    || trimmed.starts_with("/*")
                    || trimmed.starts_with("* ")
                {
                    continue;
                }
                if let Some((_, port)) = SELF_BINDING.iter().find(|(c, _)| line.contains(c)) {
                    found = Some((*port, format!("{path}: {}", trimmed.trim_end())));
                    return true;
                }
                let port = if markers.iter().any(|m| line.contains(m)) {
                    low_port(line).or_else(|| named_low_port(line))
                } else if serves {
                    named_low_port(line)
                } else {
                    None
                };
                // An option for the port, in any file: flags are often defined apart
                // from the server.
                let port = port
                    .or_else(|| option_default_port(line, &HashSet::new()))
                    .or_else(|| config_default_port(line))
                    .or_else(|| {
                        settings
                            .then(|| port_assignment(line))
                            .flatten()
                            .filter(|p| (1..1024).contains(p))
                    })
                    .or_else(|| named_default_port(&lines, index));
                if let Some(port) = port {
                    found = Some((port, format!("{path}: {}", trimmed.trim_end())));
                    return true;
                }
            }
            let flowed = serves
                .then(|| listen_variable_port(code, markers))
                .flatten()
                .or_else(|| {
                    path.ends_with(".go")
                        .then(|| go_default_address_port(code))
                        .flatten()
                });
            if path.ends_with(".go") {
                address_set |= go_sets_address(code);
                if addressless.is_none()
                    && let Some((port, line)) = go_server_without_address(code)
                {
                    addressless = Some((port, format!("{path}: {}", line.trim())));
                }
            }
            if let Some((port, line)) = flowed {
                found = Some((port, format!("{path}: {}", line.trim())));
                return true;
            }
            false
        },
    );
    found.or(addressless.filter(|_| !address_set))
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
        // Another field of the server's struct is not its port.
        assert_eq!(
            low_port("srv := http.Server{Addr: \":8080\", ReadHeaderTimeout: 10 * time.Second}"),
            None
        );
        assert_eq!(
            low_port("srv := http.Server{Addr: \":80\", ReadTimeout: 5}"),
            Some(80)
        );
        assert_eq!(low_port("cfg := Config{Port: 80}"), Some(80));
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
        assert_eq!(named_low_port("port = os.getenv(\"PORT\") or 80"), Some(80));
        assert_eq!(named_low_port("url := \"http://db:5432\""), None);
        assert_eq!(port_assignment("    port: int = 80"), Some(80));
        assert_eq!(port_assignment("  port: number = 443;"), Some(443));
        assert_eq!(port_assignment("    port: int = 8000"), Some(8000));
    }

    #[test]
    fn ports_through_options_and_the_names_a_listen_line_reads() {
        let none = HashSet::new();
        let port = |line| option_default_port(line, &none);
        assert_eq!(port("port := flag.Int(\"port\", 80, \"listen\")"), Some(80));
        assert_eq!(
            port("cmd.Flags().IntVarP(&cfg.Port, \"http-port\", \"p\", 443, \"port\")"),
            Some(443)
        );
        assert_eq!(
            port("parser.add_argument('--port', type=int, default=80)"),
            Some(80)
        );
        assert_eq!(
            port("@click.option(\"--port\", default=80, help=\"port\")"),
            Some(80)
        );
        assert_eq!(port(".option('-p, --port <n>', 'the port', 80)"), Some(80));
        assert_eq!(port("flag.Int(\"port\", 8080, \"listen (not 80)\")"), None);
        assert_eq!(port("flag.Int(\"smtp-port\", 25, \"mail\")"), None);
        assert_eq!(port("flag.Int(\"workers\", 4, \"port workers\")"), None);
        assert_eq!(
            port("parser.add_argument('--db-port', type=int, default=5)"),
            None
        );
        let stored = HashSet::from(["p"]);
        assert_eq!(
            option_default_port("flag.StringVar(&p, \"p\", \"443\", \"\")", &stored),
            Some(443)
        );

        assert_eq!(value_names("ListenAndServe(\":\"+p, nil)"), ["p", "nil"]);
        assert_eq!(value_names("srv.Start(cfg.Addr, port)"), ["port"]);
        assert_eq!(
            assignment("\tvar p string = \"80\""),
            Some(("p", " \"80\""))
        );
        assert_eq!(assignment("port: int = 80"), Some(("port", " 80")));
        assert_eq!(assignment("if p == \"\" {"), None);
        assert_eq!(literal_port("\"80\""), Some(80));
        assert_eq!(literal_port(" 443;"), Some(443));
        assert_eq!(literal_port(" 4"), None);
        assert_eq!(literal_port("\"8080\""), None);
        assert_eq!(literal_port("\"80\" + suffix"), None);

        let go = "p := os.Getenv(\"PORT\")\nif p == \"\" {\n\tp = \"80\"\n}\naddr := \":\" + p\nhttp.ListenAndServe(addr, nil)\n";
        let markers = listen_markers("main.go");
        assert_eq!(
            listen_variable_port(go, markers),
            Some((80, "\tp = \"80\""))
        );
        let elsewhere = "n := 80\nfmt.Println(n)\nhttp.ListenAndServe(\":8080\", nil)\n";
        assert_eq!(listen_variable_port(elsewhere, markers), None);
    }

    #[test]
    fn ports_from_config_defaults_helpers_and_go_defaults() {
        assert_eq!(
            config_default_port("\tPort int `env:\"PORT\" envDefault:\"80\"`"),
            Some(80)
        );
        assert_eq!(
            config_default_port("\tHTTPPort string `default:\"443\"`"),
            Some(443)
        );
        assert_eq!(
            config_default_port("\tAddr string `env-default:\":80\"` // port"),
            Some(80)
        );
        assert_eq!(
            config_default_port("  port: process.env.PORT || 80,"),
            Some(80)
        );
        assert_eq!(
            config_default_port("\tPort int `env:\"PORT\" envDefault:\"8080\"`"),
            None
        );
        assert_eq!(
            config_default_port("\tWorkers int `envDefault:\"4\"`"),
            None
        );
        assert_eq!(
            config_default_port("  smtp: process.env.SMTP_PORT || 25,"),
            None
        );

        let helper = "func getPort() string {\n\tif p, ok := os.LookupEnv(\"PORT\"); ok {\n\t\treturn p\n\t}\n\treturn \"80\"\n}\nfunc main() {\n\tport := getPort()\n\thttp.ListenAndServe(\":\"+port, nil)\n}\n";
        let markers = listen_markers("main.go");
        assert_eq!(
            listen_variable_port(helper, markers).map(|(p, _)| p),
            Some(80)
        );
        let other = "func workers() int {\n\treturn 80\n}\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n";
        assert_eq!(listen_variable_port(other, markers), None);
        assert_eq!(
            function_name("func (c *Config) port() string {"),
            Some("port")
        );
        assert_eq!(called_names("port := getPort(cfg.Env())"), ["getPort"]);

        let empty = "srv := &http.Server{Handler: mux}\nlog.Fatal(srv.ListenAndServe())\n";
        assert_eq!(go_server_without_address(empty).map(|(p, _)| p), Some(80));
        let http = "log.Fatal(http.ListenAndServe(\":http\", mux))\n";
        assert_eq!(go_default_address_port(http).map(|(p, _)| p), Some(80));
        let set = "srv := &http.Server{Handler: mux}\nsrv.Addr = \":8080\"\nsrv.ListenAndServe()\n";
        assert_eq!(go_server_without_address(set), None);
        // A functional option in another file sets the address.
        let files = |path: &str| {
            match path {
            "" => Some("server.go\noptions.go\n".to_string()),
            "server.go" => Some(format!("package httpserver\n{empty}")),
            "options.go" => Some("package httpserver\nfunc Port(p string) Option { return func(s *Server) { s.server.Addr = net.JoinHostPort(\"\", p) } }\n".to_string()),
            _ => None,
        }
        };
        assert_eq!(context_low_port(&files, &["go"]), None);
    }

    #[test]
    fn words_after_characters_longer_than_a_byte() {
        // A byte-order mark or an accented letter right before the name: no slicing
        // inside a character.
        assert_eq!(port_assignment("\u{feff}port = 80"), Some(80));
        assert_eq!(port_assignment("café_port = 80"), Some(80));
        assert_eq!(
            word_start("aéb_c", |c| c.is_ascii_alphanumeric() || c == '_'),
            3
        );
        assert_eq!(low_port("€app.run(port=80)"), Some(80));
    }

    #[test]
    fn defaults_near_a_name_for_the_listen_port() {
        let one = |line: &str| named_default_port(&[line], 0);
        assert_eq!(one("\tviper.SetDefault(\"port\", 80)"), Some(80));
        assert_eq!(
            one("  .option(\"port\", { type: \"number\", default: 80 })"),
            Some(80)
        );
        assert_eq!(one("def main(port: int = typer.Option(80)):"), Some(80));
        assert_eq!(
            one("p.add_argument(\"--listen\", default=\"0.0.0.0:80\")"),
            Some(80)
        );
        assert_eq!(
            one("let port = env::var(\"PORT\").ok().and_then(|p| p.parse().ok()).unwrap_or(80);"),
            Some(80)
        );
        assert_eq!(
            named_default_port(
                &["    #[arg(long, default_value_t = 80)]", "    port: u16,"],
                0
            ),
            Some(80)
        );
        // Another server's port, a client's plain assignment, a version, a duration.
        assert_eq!(
            one("flag.Int(\"smtp-port\", 587, \"SMTP server port\")"),
            None
        );
        assert_eq!(one("\t\t\tport = \"443\""), None);
        assert_eq!(
            one("port := flag.String(\"port\", \"8080\", \"v1.80\")"),
            None
        );
        assert_eq!(standalone_low_number("timeout: 30s, port 8080"), None);
        assert_eq!(standalone_low_number("\"0.0.0.0:443\""), Some(443));
        assert_eq!(standalone_low_number("version 3.80"), None);
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
