//! What a server's words name, read from its command line, its environment or a config
//! value: the ports it listens on, the paths it writes, a user it switches to. Phase 4
//! (`user.rs`) and the config readers (`settings.rs`) both ask; this file holds only
//! these readers of text, so that neither depends on the other for them.

use crate::analysis::command::basename;

/// The paths a command's own arguments name for writing, as written (relative or
/// absolute), each with the words that say so: `--pid /run/app.pid`, `--dir=/pb/pb_data`,
/// `-b unix:/run/app.sock`, the JVM's `-Xlog:gc:file=gc.log`, Spring's
/// `--logging.file.name=logs/app.log` and `--spring.datasource.url=jdbc:sqlite:app.db`.
pub(super) fn command_write_paths(argv: &[String]) -> Vec<(String, String)> {
    let mut named: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let arg = &argv[i];
        if let Some(path) = arg.strip_prefix("-Xloggc:") {
            // Java 8's GC log.
            named.push((path.to_string(), arg.clone()));
            i += 1;
            continue;
        }
        if let Some(spec) = arg.strip_prefix("-Xlog:") {
            // `-Xlog:gc*:file=/app/gc.log:time`: the output is the part after `file=`.
            if let Some(path) = spec.split(':').find_map(|part| part.strip_prefix("file=")) {
                named.push((path.trim_matches(['"', '\'']).to_string(), arg.clone()));
            }
            i += 1;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let value = inline.clone().or_else(|| argv.get(i + 1).cloned());
        // Spring's properties, as `-Dkey=value` or `--key=value`.
        let property = flag.trim_start_matches("-D").trim_start_matches("--");
        if inline.is_some()
            && matches!(
                property,
                "logging.file.name" | "logging.file.path" | "spring.datasource.url"
            )
        {
            if let Some(path) = value.as_deref().and_then(written_location) {
                named.push((path, arg.clone()));
            }
            i += 1;
            continue;
        }
        let bare = flag.trim_start_matches('-');
        let writes = flag.starts_with('-') && WRITE_FLAGS.contains(&bare);
        let socket = matches!(flag, "--bind" | "-b")
            && value.as_deref().is_some_and(|v| v.starts_with("unix:"));
        if (writes || socket)
            && let Some(value) = value
        {
            let path = value.strip_prefix("unix:").unwrap_or(&value);
            let how = if inline.is_some() {
                arg.clone()
            } else {
                format!("{arg} {value}")
            };
            if let Some(path) = written_location(path) {
                named.push((path, how));
            }
            i += if inline.is_some() { 1 } else { 2 };
            continue;
        }
        i += 1;
    }
    named
}

/// The file or folder a value names for writing: a path as it is, or the file of a
/// database URL or connection string (`sqlite:///app.db`, `sqlite://data.db`,
/// `jdbc:sqlite:/app/app.db`, `jdbc:h2:file:./data/db`, `Data Source=/app/app.db`,
/// `file:/app/db`). `None` for a server's address (`postgres://…`, `jdbc:h2:mem:`).
pub(super) fn written_location(value: &str) -> Option<String> {
    let value = value.trim().trim_matches(['"', '\'']);
    // A placeholder filled in at start (Spring's `${SPRING_DATASOURCE_URL}`, a shell's
    // `${DB:-app.db}`) names what its default does; without one, what the deployment sets,
    // which is not in this file.
    if let Some(inner) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}'))
        && !inner.contains(['{', '}'])
    {
        let (_, default) = inner.split_once(':')?;
        return written_location(default.strip_prefix('-').unwrap_or(default));
    }
    // ADO.NET's `Data Source=app.db;Cache=Shared` (SQLite's `Filename=` too).
    for key in ["data source=", "datasource=", "filename="] {
        if let Some(at) = value.to_ascii_lowercase().find(key) {
            let rest = &value[at + key.len()..];
            let path = rest.split(';').next().unwrap_or(rest).trim();
            // SQLite's file, not a server (`Data Source=db,1433`, `tcp:host`, `//host/svc`,
            // `host.database.windows.net`).
            let file = [".db", ".sqlite", ".sqlite3", ".db3"]
                .iter()
                .any(|ext| path.to_ascii_lowercase().ends_with(ext))
                || (path.starts_with('/') && !path.starts_with("//") && !path.contains([',', ':']));
            return file.then(|| path.to_string());
        }
    }
    let path = if let Some(rest) = value.strip_prefix("jdbc:sqlite:") {
        rest
    } else if let Some(rest) = value.strip_prefix("jdbc:h2:file:").or_else(|| {
        value
            .strip_prefix("jdbc:h2:")
            .filter(|r| r.starts_with(['.', '/', '~']))
    }) {
        rest
    } else if let Some(rest) = value.strip_prefix("jdbc:") {
        // A database server's URL (`jdbc:postgresql://db/app`, `jdbc:h2:mem:x`).
        let _ = rest;
        return None;
    } else if let Some(rest) = value
        .strip_prefix("sqlite:///")
        .or_else(|| value.strip_prefix("sqlite://"))
        .or_else(|| value.strip_prefix("file:"))
    {
        // `sqlite:////data/app.db` is absolute, `sqlite:///app.db` relative (SQLAlchemy);
        // sqlx's `sqlite://data.db` is relative too.
        rest
    } else if value.contains("://") {
        return None;
    } else {
        value
    };
    let path = path.split(['?', ';']).next().unwrap_or(path);
    (looks_like_path(path) && path != ":memory:").then(|| path.to_string())
}

/// Whether a flag's or variable's value can name a file or folder: not a log level
/// (`INFO`), a switch (`false`), a number or a size or duration (`10m`, `512MB`).
fn looks_like_path(value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    if value.contains('/') {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    let switch = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "auto" | "memory"
    );
    let digits = value.trim_start_matches(|c: char| c.is_ascii_digit());
    let quantity = digits.len() < value.len()
        && digits.len() <= 3
        && digits.chars().all(|c| c.is_ascii_alphabetic());
    let level = value.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    !(switch || quantity || level)
}

/// The ports a command's own arguments make it listen on, each with the words that say so:
/// `--port 80`, `--bind 0.0.0.0:80` (`-b`), `--urls http://+:80` (a URL without a port is
/// 80 or 443), Spring's `--server.port=80`, Django's `runserver 0.0.0.0:80`. Values that
/// are not plain numbers (a variable) are passed over.
pub(crate) fn command_ports(argv: &[String]) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => (flag, Some(value)),
            _ => (arg, None),
        };
        let value = || inline.or_else(|| argv.get(i + 1).map(String::as_str));
        let lower = flag.to_ascii_lowercase();
        let found: Vec<u32> = match flag {
            // ASP.NET Core's command-line configuration, as `Kestrel__…__Url` is in the
            // environment: `--Kestrel:Endpoints:Http:Url=http://0.0.0.0:80`.
            _ if lower.trim_start_matches(['-', '/']).starts_with("kestrel:")
                && lower.ends_with(":url") =>
            {
                value().map(url_ports).unwrap_or_default()
            }
            // `--port`, `-port`, `--http-port`, CoreDNS's `-dns.port`, Spring's
            // `-Dserver.port`; the short `-p`/`-P` (flask, aiohttp, most CLIs) and a bare
            // number after `--listen` or a protocol (`-udp 514`); ASP.NET Core's
            // `--http_ports=80;8080`.
            _ if flag.starts_with('-') && lower.ends_with("port") => {
                value().and_then(|v| v.parse().ok()).into_iter().collect()
            }
            _ if flag.starts_with('-') && lower.ends_with("ports") => value()
                .map(|v| {
                    v.split([';', ','])
                        .filter_map(|p| p.trim().parse().ok())
                        .collect()
                })
                .unwrap_or_default(),
            "-p" | "-P" | "--listen" | "-listen" | "-udp" | "--udp" | "-tcp" | "--tcp" => {
                value().and_then(|v| v.parse().ok()).into_iter().collect()
            }
            "--bind" | "-b" => value().and_then(address_port).into_iter().collect(),
            // `python -m http.server [--bind ADDR] [PORT]`: the port is the operand.
            "http.server" => argv[i + 1..]
                .iter()
                .enumerate()
                .filter(|(j, w)| {
                    // Not an option, nor the value of the option before it.
                    let value_of = |before: &str| {
                        matches!(
                            before,
                            "-b" | "--bind" | "-d" | "--directory" | "-p" | "--protocol"
                        )
                    };
                    !w.starts_with('-') && (*j == 0 || !value_of(&argv[i + *j]))
                })
                .find_map(|(_, w)| w.parse().ok())
                .into_iter()
                .collect(),
            "--urls" => value().map(url_ports).unwrap_or_default(),
            "runserver" => argv
                .get(i + 1)
                .filter(|v| !v.starts_with('-'))
                .and_then(|v| v.parse().ok().or_else(|| address_port(v)))
                .into_iter()
                .collect(),
            // Any other word that is a listen address (`-listen :53`, `--addr=0.0.0.0:80`).
            _ => listen_address_port(inline.unwrap_or(arg))
                .into_iter()
                .collect(),
        };
        // A flag that took the next word as its value: that word is not read again.
        let took_next = inline.is_none()
            && !found.is_empty()
            && listen_address_port(arg).is_none()
            && flag != "http.server";
        for port in found {
            let words = if flag == "http.server" {
                format!("{arg} {port}")
            } else if took_next {
                format!("{arg} {}", argv.get(i + 1).map_or("", String::as_str))
            } else {
                arg.to_string()
            };
            out.push((port, words));
        }
        i += if took_next { 2 } else { 1 };
    }
    out
}

/// An option by which the program switches to another user after starting as root
/// (gunicorn `--user`/`-u`, celery `--uid`, uWSGI `--uid`/`--gid`): as non-root, the
/// `setuid` fails, and gunicorn also looks the name up in a passwd the target lacks.
pub(super) fn privilege_drop(argv: &[String]) -> Option<String> {
    let gunicorn = argv.iter().any(|w| basename(w) == "gunicorn");
    argv.iter().enumerate().find_map(|(i, word)| {
        let flag = word.split_once('=').map_or(word.as_str(), |(f, _)| f);
        let drops = matches!(
            flag,
            "--user" | "--group" | "--uid" | "--gid" | "--setuid" | "--setgid"
        ) || (gunicorn && matches!(flag, "-u" | "-g"));
        drops.then(|| match argv.get(i + 1) {
            Some(value) if !word.contains('=') => format!("{word} {value}"),
            _ => word.clone(),
        })
    })
}

/// The ports the environment makes a server listen on: ASP.NET Core's `ASPNETCORE_URLS`
/// (and `DOTNET_URLS`), any variable whose name ends in `PORT` or `PORTS`
/// (`ASPNETCORE_HTTP_PORTS`, Spring's `SERVER_PORT`, the `PORT` that Cloud Run, Heroku,
/// gunicorn and most Node servers read), and any that names a listen address
/// (`LISTEN_ADDR=0.0.0.0:443`, `BIND=:80`). A client's port (`SMTP_PORT=25`) is taken too:
/// the rewrite then declines where it need not, never the other way round.
pub(crate) fn env_ports<'a>(vars: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (name, value) in vars {
        let upper = name.to_ascii_uppercase();
        let how = || format!("{name}={value}");
        if matches!(upper.as_str(), "ASPNETCORE_URLS" | "DOTNET_URLS")
            || (upper.starts_with("KESTREL__") && upper.ends_with("__URL"))
        {
            // Kestrel's own endpoints (`Kestrel__Endpoints__Http__Url`) win over the rest.
            out.extend(url_ports(value).into_iter().map(|p| (p, how())));
        } else if let Some(words) = option_words(name, value) {
            // A server's own command-line options from the environment
            // (`GUNICORN_CMD_ARGS="--bind=0.0.0.0:80"`, `JAVA_OPTS=-Dserver.port=80`).
            out.extend(command_ports(&words).into_iter().map(|(p, _)| (p, how())));
        } else if matches!(upper.as_str(), "ASPNETCORE_HTTPS_PORT" | "HTTPS_PORT") {
            // ASP.NET Core's HTTPS redirection port: where clients are sent, not a port it
            // listens on (that is `ASPNETCORE_HTTPS_PORTS`, plural).
        } else if upper.ends_with("PORT") || upper.ends_with("PORTS") {
            out.extend(
                value
                    .split([';', ','])
                    .filter_map(|p| p.trim().parse().ok())
                    .map(|p| (p, how())),
            );
        } else if ["ADDR", "LISTEN", "BIND"].iter().any(|w| upper.contains(w)) {
            out.extend(listen_address_port(value.trim()).map(|p| (p, how())));
        }
    }
    out
}

/// The words of a variable that carries a program's command-line options
/// (`GUNICORN_CMD_ARGS`, `JAVA_OPTS`, `JAVA_TOOL_OPTIONS`): `None` for any other.
pub(super) fn option_words(name: &str, value: &str) -> Option<Vec<String>> {
    let upper = name.to_ascii_uppercase();
    ["_ARGS", "_OPTS", "_OPTIONS"]
        .iter()
        .any(|s| upper.ends_with(s))
        .then(|| value.split_whitespace().map(str::to_string).collect())
}

/// The port of a word that can only be a listen address: `:80`, `0.0.0.0:80`,
/// `[::]:80`, `localhost:80`, `*:80` (not `host:80`, which may be a server to reach).
fn listen_address_port(word: &str) -> Option<u32> {
    let (host, port) = word.rsplit_once(':')?;
    let listening = host.is_empty()
        || matches!(
            host,
            "0.0.0.0" | "localhost" | "127.0.0.1" | "*" | "+" | "[::]" | "::"
        );
    if !listening || port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    port.parse().ok()
}

/// `0.0.0.0:80`, `:80`, `[::]:80` → 80; a unix socket or no port → none.
pub(super) fn address_port(address: &str) -> Option<u32> {
    if address.starts_with("unix:") || address.starts_with("fd:") {
        return None;
    }
    address.rsplit_once(':')?.1.parse().ok()
}

/// `http://+:80;https://*:443` → [80, 443]; `http://localhost` → [80].
pub(super) fn url_ports(urls: &str) -> Vec<u32> {
    urls.split([';', ','])
        .filter_map(|url| {
            let (scheme, rest) = url.trim().split_once("://")?;
            let host = rest.split('/').next().unwrap_or(rest);
            match host.rsplit_once(':') {
                Some((_, port)) if !host.ends_with(']') => port.parse().ok(),
                _ => match scheme {
                    "http" => Some(80),
                    "https" => Some(443),
                    _ => None,
                },
            }
        })
        .collect()
}

/// Options that name a file or folder the program writes, without their dashes (`--pid`,
/// `-pidfile`, PocketBase's `--dir`, `-logdir`, `-sqlite`): gunicorn's pidfile and logs,
/// data, database, cache and log folders.
const WRITE_FLAGS: &[&str] = &[
    "pid",
    "pidfile",
    "pid-file",
    "access-logfile",
    "error-logfile",
    "log-file",
    "logfile",
    "log-dir",
    "logdir",
    "log-path",
    "data-dir",
    "datadir",
    "data",
    "dir",
    "db",
    "database",
    "db-path",
    "db-file",
    "sqlite",
    "sqlite-path",
    "storage",
    "storage-dir",
    "state-dir",
    "cache",
    "cache-dir",
    "cachedir",
    "upload-dir",
    "uploads",
    "worker-tmp-dir",
];

/// A variable that names where the program writes: a data, upload, log, database, cache
/// or state folder or file (`UPLOAD_DIR`, `DB_PATH`, `LOG_FILE`, `HF_HOME`).
pub(super) fn write_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let place = [
        "_DIR", "_PATH", "_FILE", "_HOME", "_ROOT", "_FOLDER", "_URL", "_URI",
    ]
    .iter()
    .any(|s| upper.ends_with(s));
    let written = [
        "DATA",
        "UPLOAD",
        "UPLOADS",
        "LOG",
        "LOGS",
        "LOGGING",
        "DB",
        "DATABASE",
        "DATASOURCE",
        "CACHE",
        "STORAGE",
        "MEDIA",
        "STATE",
        "SQLITE",
        "SPOOL",
        "QUEUE",
    ]
    .iter()
    .any(|w| upper.split('_').any(|part| part == *w));
    // ko's KO_DATA_PATH names the read-only `kodata` files it ships with the binary.
    (place && written && upper != "KO_DATA_PATH")
        || matches!(
            upper.as_str(),
            "HF_HOME"
                | "TRANSFORMERS_CACHE"
                | "XDG_CACHE_HOME"
                | "XDG_DATA_HOME"
                | "XDG_STATE_HOME"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn written_locations_of_values_and_placeholders() {
        assert_eq!(
            written_location("jdbc:sqlite:/data/app.db").as_deref(),
            Some("/data/app.db")
        );
        assert_eq!(written_location("jdbc:postgresql://db:5432/app"), None);
        // Filled in at start: its default, or else what the deployment sets.
        assert_eq!(written_location("${SPRING_DATASOURCE_URL}"), None);
        assert_eq!(
            written_location("${DB_URL:jdbc:sqlite:app.db}").as_deref(),
            Some("app.db")
        );
        assert_eq!(
            written_location("${LOG_FILE:-/var/log/app.log}").as_deref(),
            Some("/var/log/app.log")
        );
    }

    #[test]
    fn ports_the_command_names() {
        let ports = |words: &[&str]| -> Vec<u32> {
            command_ports(&argv(words))
                .into_iter()
                .map(|(p, _)| p)
                .collect()
        };
        assert_eq!(ports(&["uvicorn", "app:app", "--port", "80"]), [80]);
        assert_eq!(ports(&["gunicorn", "-b", "0.0.0.0:443", "app:app"]), [443]);
        assert_eq!(ports(&["gunicorn", "--bind=:8000"]), [8000]);
        assert_eq!(
            ports(&["dotnet", "A.dll", "--urls", "http://+:80;https://*"]),
            [80, 443]
        );
        assert_eq!(
            ports(&["python", "manage.py", "runserver", "0.0.0.0:80"]),
            [80]
        );
        assert_eq!(
            ports(&["dnsd", "-listen", ":53", "-http", "localhost:8080"]),
            [53, 8080]
        );
        assert_eq!(ports(&["java", "-Dserver.port=80", "-jar", "a.jar"]), [80]);
        // A server to reach, a unix socket, a variable: none.
        assert!(
            ports(&[
                "app",
                "--db",
                "db:5432",
                "-b",
                "unix:/run/app.sock",
                "--port",
                "$PORT"
            ])
            .is_empty()
        );
    }

    #[test]
    fn ports_the_environment_names() {
        let ports = |vars: &[(&'static str, &'static str)]| -> Vec<u32> {
            env_ports(vars.iter().copied())
                .into_iter()
                .map(|(p, _)| p)
                .collect()
        };
        assert_eq!(ports(&[("ASPNETCORE_HTTP_PORTS", "80;8081")]), [80, 8081]);
        assert_eq!(ports(&[("ASPNETCORE_URLS", "http://0.0.0.0:5000")]), [5000]);
        assert_eq!(
            ports(&[("PORT", "80"), ("LISTEN_ADDR", "0.0.0.0:443")]),
            [80, 443]
        );
        assert!(
            ports(&[
                ("DATABASE_URL", "postgres://db:5432/x"),
                ("UPSTREAM_ADDR", "api:80")
            ])
            .is_empty()
        );
    }
}
