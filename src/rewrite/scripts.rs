//! Phase 2's evidence from the project's own scripts: a Makefile, justfile, Taskfile,
//! shell script, `package.json` script or CI workflow that runs the built image with
//! `docker run IMAGE sh -c "…"` (or `--entrypoint`, or `podman run`) replaces the image's
//! command with its own, as a Compose `command` does. The new image has no shell and
//! another ENTRYPOINT, so `make run` or the CI smoke test would fail where it worked.
//!
//! The lines are read as words, not through a shell parser: these files mix shell with
//! Make's `$(VAR)` and YAML, and only the words after `run` matter. A line that cannot be
//! read as a `docker run` says nothing.

use super::Planner;
use serde_json::Value;

use super::deploy::{
    HERE, Ran, built_names, compose_files, compose_folders, image_repository, kept_arguments,
    kept_command,
};
use crate::ecosystems::build::ContextReader;
use crate::ecosystems::compiled::folder_entries;
use crate::ecosystems::decline::{Decline, DeclineCode};

impl Planner<'_, '_> {
    /// Declines when a script runs the image built from this Dockerfile with its own
    /// command or entrypoint, which the new image would not run as the old one did.
    pub(super) fn check_scripts(&self, program: Ran<'_>) -> Result<(), Decline> {
        let Some(read) = self.context else {
            return Ok(());
        };
        let runs = script_runs(read);
        if runs.is_empty() {
            return Ok(());
        }
        let built = built_names(read);
        let services = self.compose_services_built_here(read);
        let runs_ours = |run: &ScriptRun| {
            run.built_here.contains(&run.image)
                || (!run.image.contains('$') && built.contains(&image_repository(&run.image)))
        };
        // The containers of this image by name: Compose's `container_name`, `docker run
        // --name`.
        let containers: Vec<&str> = services
            .iter()
            .filter_map(|(_, name)| name.as_deref())
            .chain(
                runs.iter()
                    .filter(|r| r.started == Started::Image && runs_ours(r))
                    .filter_map(|r| r.name.as_deref()),
            )
            .collect();
        for run in &runs {
            let ours = match run.started {
                Started::Image => runs_ours(run),
                Started::ComposeRun | Started::ComposeExec => {
                    services.iter().any(|(service, _)| *service == run.image)
                }
                Started::Exec => containers.contains(&run.image.as_str()),
            };
            if !ours {
                continue;
            }
            let root = super::user::is_root_user(self.state().user.as_deref());
            if root && let Some(how) = low_port_run(read, run) {
                return Err(Decline::new(
                    DeclineCode::NeedsRoot,
                    format!(
                        "{}:{}: `docker run` {how} for the image, a port below 1024: the image ran as root, which may bind it, and the new image runs as a non-root user, which cannot",
                        run.file, run.line
                    ),
                )
                .at(crate::ecosystems::start::from_span(self.stage))
                .help("listen on a port of 1024 or above inside the container and map it (`-p 80:8080`)"));
            }
            if root
                && run.started == Started::Image
                && let Some(mount) = run.mounts.iter().find(|m| writable_mount(m))
            {
                return Err(Decline::new(
                    DeclineCode::NeedsRoot,
                    format!(
                        "{}:{}: `docker run` mounts `{mount}` writable into the image's container: a host folder keeps its owner and a new volume is root's; the image ran as root, which may write there, and the new image runs as a non-root user, who may not",
                        run.file, run.line
                    ),
                )
                .at(crate::ecosystems::start::from_span(self.stage))
                .help("mount it read-only if the app only reads it, or run the original as a non-root user that owns the folder first"));
            }
            let how = match run.started {
                Started::Image => format!("`docker run` starts the image `{}`", run.image),
                Started::ComposeRun => format!("`compose run` starts the service `{}`", run.image),
                Started::ComposeExec => {
                    format!(
                        "`compose exec` runs a program in the service `{}`",
                        run.image
                    )
                }
                Started::Exec => {
                    format!(
                        "`docker exec` runs a program in the container `{}`",
                        run.image
                    )
                }
            };
            // `exec` runs its command beside the application, as a whole command line.
            if matches!(run.started, Started::ComposeExec | Started::Exec) {
                if let Some(first) = &run.command
                    && !kept_command(first, "entrypoint", program)
                {
                    return Err(self.runs_in_container(
                        format!(
                            "{}:{}: {how}: `{first} …`, which the new image lacks (it has no shell, and its programs are not the original's)",
                            run.file, run.line
                        ),
                        "do the task in the application itself, or run it from the full image",
                    ));
                }
                continue;
            }
            let replaced = match (&run.entrypoint, &run.command) {
                (Some(entrypoint), _) if !kept_command(entrypoint, "entrypoint", program) => {
                    Some(format!("`--entrypoint {entrypoint}`"))
                }
                (_, Some(first)) if !kept_arguments(first, "command", program) => {
                    Some(format!("the command `{first} …`"))
                }
                _ => None,
            };
            if let Some(replaced) = replaced {
                return Err(self.runs_in_container(
                    format!(
                        "{}:{}: {how} with {replaced} in place of its own; the new image's ENTRYPOINT and programs differ (it has no shell), so that would fail",
                        run.file, run.line
                    ),
                    "drop the command from the script, or run the full image there",
                ));
            }
        }
        Ok(())
    }

    /// The services of the Compose files read for this context that build this
    /// Dockerfile, with their `container_name`: what `docker compose run SERVICE` and
    /// `docker exec NAME` in a script reach.
    pub(super) fn compose_services_built_here(
        &self,
        read: ContextReader<'_>,
    ) -> Vec<(String, Option<String>)> {
        let mut names = Vec::new();
        for folder in compose_folders(read) {
            for name in compose_files(read, &folder) {
                let up = match name.rsplit_once('/') {
                    Some((dir, _)) => format!("{folder}{dir}/"),
                    None => folder.clone(),
                };
                let Some(text) = read(&format!("{folder}{name}")) else {
                    continue;
                };
                let Ok(doc) = serde_saphyr::from_str::<Value>(&text) else {
                    continue;
                };
                let Some(services) = doc.get("services").and_then(Value::as_object) else {
                    continue;
                };
                names.extend(
                    services
                        .iter()
                        .filter(|(_, spec)| self.builds_this_dockerfile(read, &up, spec))
                        .map(|(service, spec)| {
                            let name = spec.get("container_name").and_then(Value::as_str);
                            (service.clone(), name.map(str::to_string))
                        }),
                );
            }
        }
        names
    }
}

/// How a run of the image makes the application listen below 1024: a `-e NAME=value` or
/// a line of an `--env-file` (`PORT=80`, `ASPNETCORE_URLS=http://+:80`,
/// `JAVA_TOOL_OPTIONS=-Dserver.port=80`), or an argument after the image (`-addr :80`,
/// `--port 80`), read as the Dockerfile's command is. Not for `exec`, whose words are
/// another program's.
fn low_port_run(read: ContextReader<'_>, run: &ScriptRun) -> Option<String> {
    if let Some(setting) = run.env.iter().find(|e| low_port_setting(e)) {
        return Some(format!("sets `{setting}`"));
    }
    for path in &run.env_files {
        let Some(text) = env_file_text(read, &run.file, path) else {
            continue;
        };
        let setting = text
            .lines()
            .map(|line| line.trim().trim_start_matches("export ").trim())
            .find(|line| !line.starts_with('#') && low_port_setting(line));
        if let Some(setting) = setting {
            return Some(format!("sets `{setting}` through its --env-file {path}"));
        }
    }
    if matches!(run.started, Started::Image | Started::ComposeRun) {
        let (_, words) = super::named::command_ports(&run.args)
            .into_iter()
            .find(|(port, _)| (1..1024).contains(port))?;
        return Some(format!("passes `{words}`"));
    }
    None
}

/// An `--env-file`'s text: relative to the folder the script is in, or to the project
/// folder it sits under (`scripts/run.sh` runs from the root).
fn env_file_text(read: ContextReader<'_>, script: &str, path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('$') {
        return None;
    }
    let folder = script.rsplit_once('/').map_or("", |(dir, _)| dir);
    let up: String = script
        .split_inclusive('/')
        .take_while(|p| *p == "../")
        .collect();
    let path = path.trim_start_matches("./");
    [format!("{folder}/{path}"), format!("{up}{path}")]
        .iter()
        .map(|p| p.trim_start_matches('/'))
        .find_map(|p| {
            let p = if p.starts_with("../") {
                p.to_string()
            } else {
                format!("{HERE}{p}")
            };
            read(&p)
        })
}

/// Whether a `NAME=value` makes the application listen below 1024 (`PORT=80`,
/// `ASPNETCORE_URLS=http://+:80`, `JAVA_TOOL_OPTIONS=-Dserver.port=80`).
fn low_port_setting(setting: &str) -> bool {
    let Some((name, value)) = setting.split_once('=') else {
        return false;
    };
    let (name, value) = (name.trim(), value.trim().trim_matches(['"', '\'']));
    let low = |p: u32| (1..1024).contains(&p);
    (super::settings::LISTEN_PORT_VARIABLES.contains(&name) && value.parse::<u32>().is_ok_and(low))
        || super::settings::java_option_port(value).is_some_and(low)
        || ((super::settings::LISTEN_URL_VARIABLES.contains(&name)
            || (name.starts_with("Kestrel__") && name.ends_with("__Url")))
            && super::named::url_ports(value).into_iter().any(low))
}

/// The files at a project's root (and the context's, and the two folders above it) that
/// run its images by hand or in CI.
const SCRIPT_FILES: &[&str] = &[
    "Makefile",
    "makefile",
    "GNUmakefile",
    "justfile",
    "Justfile",
    ".justfile",
    "Taskfile.yml",
    "Taskfile.yaml",
    "package.json",
    ".gitlab-ci.yml",
    // The commands a README tells its users to run (`docker compose run --rm web python
    // manage.py migrate`): a documented workflow, as much as a Makefile's.
    "README.md",
    "readme.md",
    "Readme.md",
];

/// The folders whose shell scripts and workflows are read, beside the files above.
const SCRIPT_FOLDERS: &[&str] = &["", "scripts/", "bin/", ".github/workflows/"];

/// At most this many files of one folder are read: a project's scripts, not a vendored tree.
const MAX_FOLDER_FILES: usize = 50;

/// `docker run`'s (and `podman run`'s) flags that take no value. Every other flag takes
/// one, as the next word unless written `--flag=value`.
const FLAGS_WITHOUT_VALUE: &[&str] = &[
    "--rm",
    // Compose's `run` and `exec`.
    "--no-deps",
    "--service-ports",
    "--use-aliases",
    "--build",
    "--remove-orphans",
    "--quiet-pull",
    "--no-TTY",
    "--detach",
    "--interactive",
    "--tty",
    "--init",
    "--privileged",
    "--read-only",
    "--publish-all",
    "--no-healthcheck",
    "--oom-kill-disable",
    "--disable-content-trust",
    "--quiet",
    "--replace",
    "--rmi",
    "--read-only-tmpfs",
    "--use-api-socket",
];

/// One-letter flags that take no value (`-it`, `-d`, `-P`).
const SHORT_FLAGS_WITHOUT_VALUE: &[char] = &['d', 'i', 't', 'P', 'q', 'T'];

/// How a script starts a container: `docker run IMAGE`, or through Compose, by service
/// (`docker compose run SERVICE`, or `exec` in the running one).
#[derive(Debug, PartialEq, Clone, Copy)]
pub(super) enum Started {
    Image,
    ComposeRun,
    ComposeExec,
    /// `docker exec CONTAINER`, by the name a `docker run --name` or a Compose
    /// `container_name` gave it.
    Exec,
}

/// A `docker run` of an image in a script: where it is, the image (or Compose service) as
/// written, and what it puts in place of the image's ENTRYPOINT and CMD (their first
/// words; for `exec`, the command run beside the application).
#[derive(Debug, PartialEq)]
pub(super) struct ScriptRun {
    pub(super) file: String,
    pub(super) line: usize,
    pub(super) started: Started,
    pub(super) image: String,
    pub(super) entrypoint: Option<String>,
    pub(super) command: Option<String>,
    /// The container's `--name`, which a `docker exec` elsewhere names.
    pub(super) name: Option<String>,
    /// Its `-e NAME=value` settings.
    pub(super) env: Vec<String>,
    /// The files its `--env-file` names, as written.
    pub(super) env_files: Vec<String>,
    /// Its `-v`/`--volume`/`--mount` values, as written.
    pub(super) mounts: Vec<String>,
    /// The words after the image (for `exec`, after the container).
    pub(super) args: Vec<String>,
    /// The names the same file builds images as (`docker build -t NAME`), as written:
    /// `$(IMAGE)` runs what `docker build -t $(IMAGE) .` made.
    pub(super) built_here: Vec<String>,
}

/// Every `docker run` in the project's scripts, read from the context folder and the two
/// above it.
pub(super) fn script_runs(read: ContextReader<'_>) -> Vec<ScriptRun> {
    script_texts(read)
        .into_iter()
        .flat_map(|(file, text)| runs_in(&file, &text))
        .collect()
}

/// The first script line that reads a container's health, which the image's HEALTHCHECK
/// sets: `docker inspect -f '{{.State.Health.Status}}'`, `docker compose up --wait`. Without
/// the check, the status never turns healthy (or is not there), and the script waits.
pub(super) fn health_reader(read: ContextReader<'_>) -> Option<String> {
    script_texts(read).into_iter().find_map(|(file, text)| {
        text.lines().enumerate().find_map(|(at, line)| {
            let reads = line.contains(".State.Health")
                || (line.contains("compose") && line.contains(" up") && line.contains("--wait"));
            let comment = line.trim_start().starts_with('#');
            (reads && !comment).then(|| format!("{}:{}", file.trim_start_matches(HERE), at + 1))
        })
    })
}

/// The project's scripts (see [`SCRIPT_FILES`], [`SCRIPT_FOLDERS`]) with their texts.
fn script_texts(read: ContextReader<'_>) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for up in [HERE, "../", "../../"] {
        let mut files: Vec<String> = SCRIPT_FILES.iter().map(|n| format!("{up}{n}")).collect();
        for folder in SCRIPT_FOLDERS {
            let folder = format!("{up}{folder}");
            let workflows = folder.ends_with(".github/workflows/");
            files.extend(
                folder_entries(read, &folder)
                    .into_iter()
                    .filter(|e| {
                        if workflows {
                            e.ends_with(".yml") || e.ends_with(".yaml")
                        } else {
                            e.ends_with(".sh")
                        }
                    })
                    .take(MAX_FOLDER_FILES)
                    .map(|e| format!("{folder}{e}")),
            );
        }
        for file in files {
            if let Some(text) = read(&file) {
                texts.push((file, text));
            }
        }
    }
    texts
}

/// The `docker run`s of one file's text.
fn runs_in(file: &str, text: &str) -> Vec<ScriptRun> {
    // A package.json's scripts are JSON strings: their quotes are JSON's, not the shell's.
    let scripts;
    let text = if file.ends_with("package.json") {
        scripts = package_scripts(text);
        scripts.as_str()
    } else {
        text
    };
    let lines = logical_lines(text);
    let mut built_here = Vec::new();
    let mut found = Vec::new();
    for (line, words) in &lines {
        for command in commands(words) {
            let (started, rest) = match engine_subcommand(command) {
                Some(("build", rest)) => {
                    built_here.extend(tags(rest));
                    continue;
                }
                Some(("run", rest)) => (Started::Image, rest),
                Some(("compose-run", rest)) => (Started::ComposeRun, rest),
                Some(("compose-exec", rest)) => (Started::ComposeExec, rest),
                Some(("exec", rest)) => (Started::Exec, rest),
                _ => continue,
            };
            if let Some(parsed) = parse_run(rest) {
                found.push(ScriptRun {
                    file: file.trim_start_matches(HERE).to_string(),
                    line: *line,
                    started,
                    image: parsed.image,
                    entrypoint: parsed.entrypoint,
                    command: parsed.command,
                    name: parsed.name,
                    env: parsed.env,
                    env_files: parsed.env_files,
                    mounts: parsed.mounts,
                    args: parsed.args,
                    built_here: Vec::new(),
                });
            }
        }
    }
    for run in &mut found {
        run.built_here = built_here.clone();
    }
    found
}

/// A package.json's scripts, one per line (an unreadable file has none).
fn package_scripts(text: &str) -> String {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return String::new();
    };
    let Some(scripts) = doc.get("scripts").and_then(|s| s.as_object()) else {
        return String::new();
    };
    scripts
        .values()
        .filter_map(|v| v.as_str())
        .map(|s| s.replace('\n', " "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text's lines with their continuations (`\` at the end) joined, each split into
/// words with quotes taken off, and its 1-based number.
fn logical_lines(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (index, raw) in text.lines().enumerate() {
        if current.is_empty() {
            start = index + 1;
        }
        let raw = raw.trim_end_matches('\r');
        match raw.strip_suffix('\\') {
            Some(joined) => {
                current.push_str(joined);
                current.push(' ');
            }
            None => {
                current.push_str(raw);
                lines.push((start, words(&current)));
                current.clear();
            }
        }
    }
    if !current.is_empty() {
        lines.push((start, words(&current)));
    }
    lines
}

/// A line's words: quotes group and are dropped; the separators between commands
/// (`;`, `&&`, `||`, `|`, a backquote, `$(` … `)` of a command substitution) are words of
/// their own. Make's and Compose's `$(VAR)` and `${VAR}` stay inside their word.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => flush(&mut word, &mut out),
            (None, ';' | '|' | '&' | '`' | '(' | ')') if !word.ends_with('$') => {
                flush(&mut word, &mut out);
                out.push(c.to_string());
            }
            (None, '$') if chars.clone().take(2).collect::<String>() == "{{" => {
                // A GitHub Actions expression (`${{ secrets.USER }}/app`), spaces and all.
                word.push('$');
                let mut closing = 0;
                for c in chars.by_ref() {
                    word.push(c);
                    closing = if c == '}' { closing + 1 } else { 0 };
                    if closing == 2 {
                        break;
                    }
                }
            }
            (None, '$') if chars.peek() == Some(&'(') => {
                // `$(VAR)` of Make, or `$(cmd …)`: kept whole up to its `)` when it holds
                // no space (a variable); otherwise a separator.
                let rest: String = chars.clone().take_while(|c| *c != ')').collect();
                if rest.chars().any(char::is_whitespace) {
                    flush(&mut word, &mut out);
                    out.push(";".into());
                    chars.next();
                } else {
                    word.push('$');
                    for c in chars.by_ref() {
                        word.push(c);
                        if c == ')' {
                            break;
                        }
                    }
                }
            }
            (None, c) => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The commands of a line's words, split at its separators.
fn commands(words: &[String]) -> Vec<&[String]> {
    words
        .split(|w| matches!(w.as_str(), ";" | "|" | "&" | "`" | "(" | ")"))
        .filter(|c| !c.is_empty())
        .collect()
}

/// `docker build …` or `docker run …` (also `podman`, `sudo docker`, `docker container
/// run`, `docker image build`, `docker buildx build`): the subcommand and its arguments.
fn engine_subcommand(command: &[String]) -> Option<(&'static str, &[String])> {
    // The engine is the command's program: after `sudo`, variable assignments, Make's
    // `@`/`-` prefixes, or a YAML key (`run: docker run …`); not `echo docker run`.
    let at = command.iter().position(|w| {
        let w = w.trim_start_matches(['@', '-', '+']);
        matches!(
            w.rsplit('/').next(),
            Some("docker" | "podman" | "docker-compose" | "podman-compose")
        )
    })?;
    let leads = command[..at].iter().all(|w| {
        matches!(w.as_str(), "sudo" | "time" | "exec" | "-") || w.ends_with(':') || w.contains('=')
    });
    if !leads {
        return None;
    }
    let mut rest = &command[at + 1..];
    let compose = command[at].ends_with("-compose");
    if compose || rest.first().is_some_and(|w| w == "compose") {
        if !compose {
            rest = &rest[1..];
        }
        // Compose's own flags come before its subcommand (`-f compose.prod.yaml`).
        while let Some(flag) = rest.first().filter(|w| w.starts_with('-')) {
            let takes_value = !flag.contains('=')
                && !matches!(
                    flag.as_str(),
                    "--dry-run" | "--compatibility" | "--all-resources"
                );
            rest = &rest[if takes_value { 2 } else { 1 }.min(rest.len())..];
        }
        return match rest.first().map(String::as_str) {
            Some("run") => Some(("compose-run", &rest[1..])),
            Some("exec") => Some(("compose-exec", &rest[1..])),
            _ => None,
        };
    }
    if let Some(first) = rest.first()
        && matches!(first.as_str(), "container" | "image" | "buildx")
    {
        rest = &rest[1..];
    }
    match rest.first().map(String::as_str) {
        Some("run") => Some(("run", &rest[1..])),
        Some("exec") => Some(("exec", &rest[1..])),
        Some("build") => Some(("build", &rest[1..])),
        _ => None,
    }
}

/// The names a `docker build` tags its image with (`-t NAME`, `--tag=NAME`), as written.
fn tags(args: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-t" | "--tag" => names.extend(words.next().cloned()),
            w => {
                if let Some(name) = w.strip_prefix("--tag=") {
                    names.push(name.to_string());
                }
            }
        }
    }
    names
}

/// What a `docker run` (or `exec`) line says: the image (service, container), its
/// `--entrypoint`, the first word of the command after it, and the `--name` it gives the
/// container.
#[derive(Debug, PartialEq, Default)]
struct Parsed {
    image: String,
    entrypoint: Option<String>,
    command: Option<String>,
    name: Option<String>,
    /// Its `-e NAME=value` settings.
    env: Vec<String>,
    /// The files its `--env-file` names, as written.
    env_files: Vec<String>,
    /// Its `-v`/`--volume`/`--mount` values.
    mounts: Vec<String>,
    /// The words after the image: the command, or the ENTRYPOINT's arguments.
    args: Vec<String>,
}

/// Whether a `-v`/`--mount` value mounts something the container may write: not `:ro`
/// (`readonly` for `--mount`), not a tmpfs, and not the Docker socket (a decline of its own).
fn writable_mount(spec: &str) -> bool {
    if spec.contains("type=tmpfs") || spec.contains("docker.sock") {
        return false;
    }
    let read_only = if spec.contains('=') {
        spec.split(',').any(|part| {
            matches!(
                part,
                "readonly" | "ro" | "readonly=true" | "ro=true" | "readonly=1"
            )
        })
    } else {
        spec.split(':')
            .nth(2)
            .is_some_and(|options| options.split(',').any(|o| o == "ro"))
    };
    !read_only
}

/// A `docker run`'s image, flags and command. `None` when no image follows the flags.
fn parse_run(args: &[String]) -> Option<Parsed> {
    let mut entrypoint = None;
    let mut name = None;
    let mut env = Vec::new();
    let mut env_files = Vec::new();
    let mut mounts = Vec::new();
    let mut at = 0;
    while let Some(word) = args.get(at) {
        at += 1;
        if word == "--" {
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            // `--flag=value`, `--flag value`, or a flag without one.
            let (flag, value) = match long.split_once('=') {
                Some((flag, value)) => (flag, Some(value.to_string())),
                None if FLAGS_WITHOUT_VALUE.contains(&word.as_str()) => (long, None),
                None => {
                    at += 1;
                    (long, args.get(at - 1).cloned())
                }
            };
            match flag {
                "entrypoint" => entrypoint = value,
                "name" => name = value,
                "env" => env.extend(value),
                "env-file" => env_files.extend(value),
                "volume" | "mount" => mounts.extend(value),
                _ => {}
            }
            continue;
        }
        if let Some(short) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-it`: all without values; `-p 80:80`, `-e A=1`: the next word; `-eA=1` or
            // `-itp` then its value.
            for (index, c) in short.char_indices() {
                if SHORT_FLAGS_WITHOUT_VALUE.contains(&c) {
                    continue;
                }
                let end = index + c.len_utf8();
                let value = if end == short.len() {
                    at += 1;
                    args.get(at - 1).cloned()
                } else {
                    Some(short[end..].to_string())
                };
                match c {
                    'e' => env.extend(value),
                    'v' => mounts.extend(value),
                    _ => {}
                }
                break;
            }
            continue;
        }
        let command = args.get(at).cloned();
        return Some(Parsed {
            image: word.clone(),
            entrypoint,
            command,
            name,
            env,
            env_files,
            mounts,
            args: args[at..].to_vec(),
        });
    }
    // After `--`: the image is the next word.
    args.get(at).map(|image| Parsed {
        image: image.clone(),
        entrypoint,
        command: args.get(at + 1).cloned(),
        name,
        env,
        env_files,
        mounts,
        args: args.get(at + 1..).unwrap_or_default().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Option<(String, Option<String>, Option<String>)> {
        let words = words(line);
        let commands = commands(&words);
        let (kind, rest) = engine_subcommand(commands.first()?)?;
        assert_eq!(kind, "run");
        parse_run(rest).map(|p| (p.image, p.entrypoint, p.command))
    }

    #[test]
    fn mounts_are_read_with_their_mode() {
        let parsed = parse_run(&words("-d -v $(PWD)/data:/app/data --mount type=bind,src=/etc/cfg,dst=/cfg,readonly -v /srv/x:/x:ro,z bot")).unwrap();
        assert_eq!(parsed.mounts.len(), 3);
        let writable: Vec<&String> = parsed.mounts.iter().filter(|m| writable_mount(m)).collect();
        assert_eq!(writable, vec!["$(PWD)/data:/app/data"]);
        assert!(!writable_mount("/var/run/docker.sock:/var/run/docker.sock"));
    }

    #[test]
    fn exec_names_a_container() {
        let runs = runs_in(
            "Makefile",
            "up:\n\tdocker run -d --name=api api\nsh:\n\tdocker exec -it api sh\n",
        );
        assert_eq!(runs[0].name.as_deref(), Some("api"));
        assert_eq!(runs[1].started, Started::Exec);
        assert_eq!(runs[1].image, "api");
        assert_eq!(runs[1].command.as_deref(), Some("sh"));
    }

    #[test]
    fn reads_image_and_command_past_flags() {
        let got = run(r#"docker run --rm -it -p 8080:8080 -e A=1 --name web app:1 sh -c "/app""#);
        assert_eq!(got, Some(("app:1".into(), None, Some("sh".into()))));
        let got = run("podman run -d --env=A=1 -v $(PWD):/data app");
        assert_eq!(got, Some(("app".into(), None, None)));
        let got = run("sudo docker container run --entrypoint /bin/sh app -c ls");
        assert_eq!(
            got,
            Some(("app".into(), Some("/bin/sh".into()), Some("-c".into())))
        );
        let got = run("docker run -eA=1 app --port 3000");
        assert_eq!(got, Some(("app".into(), None, Some("--port".into()))));
    }

    #[test]
    fn github_expressions_are_one_word() {
        let got = run("docker run -d --name web ${{ secrets.USER }}/web-app:latest");
        assert_eq!(
            got,
            Some(("${{ secrets.USER }}/web-app:latest".into(), None, None))
        );
    }

    #[test]
    fn env_settings_are_kept() {
        let runs = runs_in(
            "run.sh",
            "docker run -e PORT=80 --env=A=1 -eB=2 --env C=3 app\n",
        );
        assert_eq!(runs[0].env, vec!["PORT=80", "A=1", "B=2", "C=3"]);
        assert!(low_port_setting("PORT=80"));
        assert!(!low_port_setting("PORT=8080"));
        assert!(!low_port_setting("DB_PORT=80"));
        assert!(low_port_setting("ASPNETCORE_URLS='http://+:80'"));
    }

    #[test]
    fn env_files_and_arguments_are_kept() {
        let runs = runs_in(
            "run.sh",
            "docker run --env-file .env --env-file=prod.env -p 80:80 app -addr :80 -v\n",
        );
        assert_eq!(runs[0].env_files, vec![".env", "prod.env"]);
        assert_eq!(runs[0].args, vec!["-addr", ":80", "-v"]);
        assert_eq!(runs[0].command.as_deref(), Some("-addr"));
    }

    #[test]
    fn separators_end_the_command() {
        let got = run("docker run app && echo done");
        assert_eq!(got, Some(("app".into(), None, None)));
        let got = run("docker run $(IMAGE) ls; make clean");
        assert_eq!(got, Some(("$(IMAGE)".into(), None, Some("ls".into()))));
    }

    #[test]
    fn makefile_runs_what_it_builds() {
        let text = "IMAGE=app\nrun:\n\tdocker build -t $(IMAGE) .\n\tdocker run --rm \\\n\t  -p 8080:8080 $(IMAGE) sh -c \"/app\"\n";
        let runs = runs_in("Makefile", text);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].line, 4);
        assert_eq!(runs[0].image, "$(IMAGE)");
        assert_eq!(runs[0].command.as_deref(), Some("sh"));
        assert_eq!(runs[0].built_here, vec!["$(IMAGE)".to_string()]);
    }

    #[test]
    fn other_commands_are_not_runs() {
        let text = "docker ps\ndocker compose up -d\necho docker run app sh\n";
        assert!(runs_in("x.sh", text).is_empty());
    }

    #[test]
    fn compose_runs_and_execs_name_services() {
        let text = "migrate:\n\tdocker compose -f compose.prod.yaml exec -T web python manage.py migrate\nsu:\n\tdocker-compose run --rm -e A=1 web python manage.py createsuperuser\n";
        let runs = runs_in("Makefile", text);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].started, Started::ComposeExec);
        assert_eq!(runs[0].image, "web");
        assert_eq!(runs[0].command.as_deref(), Some("python"));
        assert_eq!(runs[1].started, Started::ComposeRun);
        assert_eq!(runs[1].image, "web");
    }

    #[test]
    fn ci_steps_and_package_scripts_run_images() {
        let workflow = "steps:\n  - run: docker build -t api .\n  - run: docker run --rm api sh -c 'curl localhost'\n";
        let runs = runs_in(".github/workflows/ci.yml", workflow);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].command.as_deref(), Some("sh"));
        let package = r#"{"scripts": {"docker:run": "docker run -it --rm web /bin/bash"}}"#;
        let runs = runs_in("package.json", package);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].image, "web");
        assert_eq!(runs[0].command.as_deref(), Some("/bin/bash"));
    }
}
