//! The commands a hosting platform runs in the image in place of its CMD: Fly.io's
//! `fly.toml` (`[processes]`, `[experimental] cmd`/`entrypoint`, `[deploy]
//! release_command`), Heroku's `heroku.yml` (`run:`, `release:`), Render's `render.yaml`
//! (`dockerCommand`, `preDeployCommand`), Railway's `railway.toml`/`railway.json`
//! (`startCommand`, `preDeployCommand`), DigitalOcean's `.do/app.yaml` (`run_command`) and
//! a Procfile (Dokku runs its processes in a Dockerfile's image). Each keeps the image's
//! ENTRYPOINT (Fly: "they don't replace the ENTRYPOINT of your app image, but will
//! supersede CMD", https://fly.io/docs/apps/processes/), so a command that ran through
//! `docker-entrypoint.sh` as `node src/index.js` meets the distroless ENTRYPOINT
//! `/nodejs/bin/node` as `node node src/index.js`.
//!
//! A line-based reading of the keys that hold a command: whether any such command is
//! there decides, not what it says, beyond its first word.

/// The keys that hold a command, per platform file, and the table (TOML) or parent key
/// (YAML) a key must sit under, where that matters; `*` takes every key of the table.
const COMMAND_KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "fly.toml",
        &[
            ("processes", "*"),
            ("experimental", "cmd"),
            ("experimental", "entrypoint"),
            ("deploy", "release_command"),
        ],
    ),
    ("heroku.yml", &[("run", "*"), ("release", "command")]),
    (
        "render.yaml",
        &[("", "dockerCommand"), ("", "preDeployCommand")],
    ),
    (
        "railway.toml",
        &[("deploy", "startCommand"), ("deploy", "preDeployCommand")],
    ),
    (
        "railway.json",
        &[("", "startCommand"), ("", "preDeployCommand")],
    ),
    (".do/app.yaml", &[("", "run_command")]),
    (".do/deploy.template.yaml", &[("", "run_command")]),
    ("Procfile", &[("", "*")]),
    // Kamal's roles (`servers: web: cmd: …`), which replace CMD.
    ("config/deploy.yml", &[("", "cmd")]),
    // Dokku's (and Heroku's) deploy scripts, run in a container of the image.
    (
        "app.json",
        &[("", "predeploy"), ("", "postdeploy"), ("", "release")],
    ),
    // An ECS task definition: the container's command and its health check's.
    (
        ".aws/task-definition.json",
        &[("", "command"), ("", "entryPoint")],
    ),
    (
        "task-definition.json",
        &[("", "command"), ("", "entryPoint")],
    ),
    ("taskdef.json", &[("", "command"), ("", "entryPoint")]),
];

/// A platform file saying the image runs where its CMD goes through a shell: Heroku's
/// `heroku.yml` ("CMD will always be executed by a shell so that config vars are made
/// available to your process", Heroku Dev Center, Container Registry & Runtime).
pub(super) fn shell_platform(read: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    ["", "../", "../../"]
        .iter()
        .map(|up| format!("{up}heroku.yml"))
        .find(|file| read(file).is_some())
}

/// The fly.toml files of the folder `up` (`fly.toml`, and the per-environment
/// `fly.production.toml` that `fly deploy -c` reads).
pub(super) fn fly_files(read: &dyn Fn(&str) -> Option<String>, up: &str) -> Vec<String> {
    crate::ecosystems::compiled::folder_entries(read, up)
        .into_iter()
        .filter(|name| name.starts_with("fly.") && name.ends_with(".toml"))
        .collect()
}

/// A volume fly.toml mounts (`[mounts]` or `[[mounts]]`, `destination = "/data"`): Fly
/// makes it owned by root, so only a root process may write there at first.
pub(super) fn fly_mount(read: &dyn Fn(&str) -> Option<String>) -> Option<(String, String)> {
    for up in ["", "../", "../../"] {
        for name in fly_files(read, up) {
            let file = format!("{up}{name}");
            let Some(text) = read(&file) else { continue };
            let mut in_mounts = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with('[') {
                    in_mounts = line.trim_matches(['[', ']']).trim() == "mounts";
                    continue;
                }
                let destination = line
                    .strip_prefix("destination")
                    .and_then(|r| r.trim_start().strip_prefix('='))
                    .map(|v| v.trim().trim_matches(['"', '\'']).to_string());
                if in_mounts && let Some(destination) = destination {
                    return Some((file, destination));
                }
            }
        }
    }
    None
}

/// A GitHub Docker container action built from this Dockerfile: an `action.yml` (or
/// `action.yaml`) in the context or one or two folders up whose `runs:` has `using: docker`
/// and an `image:` naming a file whose text is `this` one. GitHub runs its container as the
/// image's user with the runner's workspace and command files (`GITHUB_OUTPUT`) mounted:
/// "Docker actions must be run by the default Docker user (root). Do not use the USER
/// instruction in your Dockerfile, because you won't be able to access the
/// GITHUB_WORKSPACE directory" (GitHub Docs, Dockerfile support for GitHub Actions). The
/// file, and whether `runs:` replaces the image's command (`entrypoint:`, `args:`,
/// `pre-entrypoint:`, `post-entrypoint:`).
pub(super) fn github_action(
    read: &dyn Fn(&str) -> Option<String>,
    this: &str,
) -> Option<(String, bool)> {
    for up in ["", "../", "../../"] {
        for name in ["action.yml", "action.yaml"] {
            let file = format!("{up}{name}");
            let Some(text) = read(&file) else { continue };
            let Ok(doc) = serde_saphyr::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let Some(runs) = doc.get("runs") else {
                continue;
            };
            let docker = runs
                .get("using")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|u| u.trim().eq_ignore_ascii_case("docker"));
            let image = runs.get("image").and_then(serde_json::Value::as_str);
            let Some(image) = image.filter(|_| docker) else {
                continue;
            };
            // `docker://alpine:3`: an image from a registry, not this build.
            if image.starts_with("docker://") {
                continue;
            }
            let path = format!("{up}{}", image.trim().trim_start_matches("./"));
            if read(&path).as_deref() != Some(this) {
                continue;
            }
            let replaces = ["entrypoint", "args", "pre-entrypoint", "post-entrypoint"]
                .iter()
                .any(|key| runs.get(key).is_some());
            return Some((file, replaces));
        }
    }
    None
}

/// A command a platform file in the context (or one or two folders up, at the root of the
/// repository) runs in the image: the file, the key and the command's first word.
pub(super) fn platform_command(
    read: &dyn Fn(&str) -> Option<String>,
    this: &str,
) -> Option<(String, String, String)> {
    for up in ["", "../", "../../"] {
        // Fly's per-environment files (`fly.production.toml`, for `fly deploy -c`) too.
        let fly_variants = fly_files(read, up);
        let files = COMMAND_KEYS
            .iter()
            .map(|(file, keys)| (file.to_string(), *keys))
            .chain(
                fly_variants
                    .into_iter()
                    .map(|name| (name, COMMAND_KEYS[0].1)),
            );
        for (file, keys) in files {
            let path = format!("{up}{file}");
            let Some(text) = read(&path) else { continue };
            // A fly.toml that builds another Dockerfile (`[build] dockerfile = "…"`) runs
            // another image.
            if file.starts_with("fly") && builds_another(read, up, &text, this) {
                continue;
            }
            // Railway builds with Nixpacks or Railpack, not the Dockerfile, when told so.
            if file.starts_with("railway.")
                && (text.contains("NIXPACKS") || text.contains("RAILPACK"))
            {
                continue;
            }
            // An app.json that names buildpacks is built with them, not the Dockerfile.
            if file == "app.json" && text.contains("\"buildpacks\"") {
                continue;
            }
            // Kamal's accessories (`accessories: redis: cmd: …`) run other images.
            let text = if file == "config/deploy.yml" {
                without_top_level_block(&text, "accessories:")
            } else {
                text
            };
            // JSON is read as JSON: a task definition written on one line, and an empty
            // list (`"command": []`, which overrides nothing).
            let found = if file.ends_with(".json") {
                serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|doc| command_in_json(&doc, keys))
            } else {
                command_in(&text, keys)
            };
            if let Some((key, first)) = found {
                return Some((path, key, first));
            }
        }
    }
    None
}

/// The first command `text` gives one of `keys`, with its key and first word. A TOML
/// table (`[processes]`) or a YAML key with nothing after its colon (`run:`) opens the
/// section that the keys under it belong to; a key outside any belongs to `""`.
fn command_in(text: &str, keys: &[(&str, &str)]) -> Option<(String, String)> {
    let mut table: Option<String> = None;
    let mut parent: Option<(usize, String)> = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']'))
            && !name.contains(['"', ','])
        {
            table = Some(name.trim().to_string());
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if parent.as_ref().is_some_and(|(at, _)| indent <= *at) {
            parent = None;
        }
        let Some((key, value)) = split_key(trimmed) else {
            continue;
        };
        if value.is_empty() {
            parent = Some((indent, key.to_string()));
            continue;
        }
        let mut section = table
            .as_deref()
            .or(parent.as_ref().map(|(_, k)| k.as_str()))
            .unwrap_or("");
        // TOML's dotted key (`processes.app = "…"`) names its table.
        let key = match key.split_once('.') {
            Some((outer, inner)) if table.is_none() && !inner.is_empty() => {
                section = outer;
                inner
            }
            _ => key,
        };
        let wanted = keys.iter().any(|&(under, name)| {
            (name == key && (under.is_empty() || under == section))
                || (name == "*" && under == section)
        });
        // A list written over several lines (`"command": [` then `"CMD-SHELL",`).
        let first = first_word(value).or_else(|| {
            value
                .starts_with('[')
                .then(|| lines.peek().and_then(|next| first_word(next.trim())))
                .flatten()
        });
        if wanted && let Some(first) = first {
            return Some((key.to_string(), first));
        }
    }
    None
}

/// `text` without the YAML block under the top-level key `key` (its line and the indented
/// lines after it).
fn without_top_level_block(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let top = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top {
            skipping = line.starts_with(key);
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Whether a fly.toml's `dockerfile = "…"` names a file (from the fly.toml's folder `up`)
/// whose text is not `this` Dockerfile's.
fn builds_another(read: &dyn Fn(&str) -> Option<String>, up: &str, text: &str, this: &str) -> bool {
    text.lines().any(|line| {
        let Some(value) = line
            .trim()
            .strip_prefix("dockerfile")
            .and_then(|r| r.trim_start().strip_prefix('='))
        else {
            return false;
        };
        let path = value
            .trim()
            .trim_matches(['"', '\''])
            .trim_start_matches("./");
        read(&format!("{up}{path}")).is_some_and(|theirs| theirs != this)
    })
}

/// The first command a JSON document gives one of `keys` (any object's, whatever its
/// parent: `containerDefinitions[].command`, `healthCheck.command`,
/// `scripts.dokku.predeploy`), with its key and first word; a string or a list, not an
/// empty one.
fn command_in_json(doc: &serde_json::Value, keys: &[(&str, &str)]) -> Option<(String, String)> {
    use serde_json::Value;
    match doc {
        Value::Object(map) => map.iter().find_map(|(key, value)| {
            let wanted = keys.iter().any(|(_, name)| name == key);
            let first = match value {
                Value::String(text) => first_word(text),
                Value::Array(items) => items.first().and_then(Value::as_str).and_then(first_word),
                _ => None,
            };
            match first {
                Some(first) if wanted => Some((key.clone(), first)),
                _ => command_in_json(value, keys),
            }
        }),
        Value::Array(items) => items.iter().find_map(|item| command_in_json(item, keys)),
        _ => None,
    }
}

/// A line's key and value: `key = value` (TOML), `key: value` (YAML, a Procfile),
/// `"key": value` (JSON), with quotes and a trailing comma dropped.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let at = line.find(['=', ':'])?;
    let key = line[..at].trim().trim_matches('"').trim_start_matches("- ");
    if key.is_empty() || key.contains(' ') {
        return None;
    }
    Some((key, line[at + 1..].trim().trim_end_matches(',')))
}

/// The first word of a command written as a string (`"node src/index.js"`) or a list
/// (`["node", "src/index.js"]`); `None` for an empty one.
fn first_word(value: &str) -> Option<String> {
    let value = value.trim_start_matches('[').trim();
    let value = value.trim_start_matches(['"', '\'']);
    let word: String = value
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | ','))
        .collect();
    (!word.is_empty()).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(file: &str) -> &'static [(&'static str, &'static str)] {
        COMMAND_KEYS.iter().find(|(f, _)| *f == file).unwrap().1
    }

    #[test]
    fn fly_processes_experimental_and_release_commands() {
        let fly = "app = 'bot'\nprimary_region = 'ord'\n\n[build]\n\n[processes]\n  app = \"node src/index.js\"\n";
        assert_eq!(
            command_in(fly, keys("fly.toml")),
            Some(("app".into(), "node".into()))
        );
        let fly = "app = 'x'\n[experimental]\n  cmd = [\"./server\", \"-v\"]\n";
        assert_eq!(
            command_in(fly, keys("fly.toml")),
            Some(("cmd".into(), "./server".into()))
        );
        let fly = "[deploy]\n  release_command = \"npx prisma migrate deploy\"\n";
        assert_eq!(
            command_in(fly, keys("fly.toml")),
            Some(("release_command".into(), "npx".into()))
        );
        // The app's name and the HTTP service say nothing about the command.
        let fly = "app = 'x'\n[http_service]\n  internal_port = 8080\n  processes = ['app']\n[env]\n  cmd = 'x'\n";
        assert_eq!(command_in(fly, keys("fly.toml")), None);
        let fly = "app = 'x'\nprocesses.app = \"node src/index.js\"\n";
        assert_eq!(
            command_in(fly, keys("fly.toml")),
            Some(("app".into(), "node".into()))
        );
    }

    #[test]
    fn yaml_json_and_procfile_commands() {
        let heroku = "build:\n  docker:\n    web: Dockerfile\nrun:\n  web: node server.js\n";
        assert_eq!(
            command_in(heroku, keys("heroku.yml")),
            Some(("web".into(), "node".into()))
        );
        let heroku = "build:\n  docker:\n    web: Dockerfile\n";
        assert_eq!(command_in(heroku, keys("heroku.yml")), None);
        let render =
            "services:\n  - type: web\n    runtime: docker\n    dockerCommand: ./start.sh\n";
        assert_eq!(
            command_in(render, keys("render.yaml")),
            Some(("dockerCommand".into(), "./start.sh".into()))
        );
        let railway = "{\n  \"deploy\": {\n    \"startCommand\": \"python app.py\"\n  }\n}\n";
        assert_eq!(
            command_in(railway, keys("railway.json")),
            Some(("startCommand".into(), "python".into()))
        );
        assert_eq!(
            command_in("web: gunicorn app:app\n", keys("Procfile")),
            Some(("web".into(), "gunicorn".into()))
        );
    }

    #[test]
    fn task_definitions_and_kamal_roles() {
        let json = |text: &str| {
            command_in_json(
                &serde_json::from_str(text).unwrap(),
                keys("task-definition.json"),
            )
        };
        let ecs = "{\n  \"containerDefinitions\": [{\n    \"healthCheck\": {\n      \"command\": [\n        \"CMD-SHELL\",\n        \"curl -f http://localhost/ || exit 1\"\n      ]\n    }\n  }]\n}\n";
        assert_eq!(json(ecs), Some(("command".into(), "CMD-SHELL".into())));
        // On one line, and an empty list, which overrides nothing.
        let ecs =
            r#"{"containerDefinitions":[{"name":"api","command":["java","-jar","app.jar"]}]}"#;
        assert_eq!(json(ecs), Some(("command".into(), "java".into())));
        let ecs = r#"{"containerDefinitions":[{"name":"api","command":[],"entryPoint":[]}]}"#;
        assert_eq!(json(ecs), None);
        let kamal = "service: app\nimage: org/app\nservers:\n  web:\n    hosts: [1.2.3.4]\n  job:\n    hosts: [1.2.3.4]\n    cmd: node worker.js\n";
        assert_eq!(
            command_in(kamal, keys("config/deploy.yml")),
            Some(("cmd".into(), "node".into()))
        );
        let kamal = "service: app\nimage: org/app\nservers:\n  - 1.2.3.4\n";
        assert_eq!(command_in(kamal, keys("config/deploy.yml")), None);
        let kamal = "service: app\nservers:\n  - 1.2.3.4\naccessories:\n  redis:\n    image: redis:7\n    cmd: redis-server --appendonly yes\nbuilder:\n  arch: amd64\n";
        assert_eq!(
            command_in(
                &without_top_level_block(kamal, "accessories:"),
                keys("config/deploy.yml")
            ),
            None
        );
    }
}
