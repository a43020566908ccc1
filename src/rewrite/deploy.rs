//! Phase 2's evidence from the files beside a Dockerfile that run things inside the image
//! it builds: a Compose file's service built from this Dockerfile (its `healthcheck`,
//! `command` and `entrypoint`, and those of the services it `extends`), Kubernetes
//! manifests and Helm charts in the build context (exec probes, lifecycle hooks,
//! `command`), Skaffold's development loop (`sync`, hooks) and Tilt's
//! `live_update`. Each runs a program, often a shell or `curl`, in the running container:
//! the new image has neither, and its ENTRYPOINT differs, so what worked would fail. A file
//! that does not parse, or names no such thing, says nothing.

use serde_json::Value;

use super::*;
use crate::analysis::command::{basename, is_shell};
use crate::ecosystems::compiled::folder_entries;
use crate::ecosystems::keys::yaml_keys;

/// The names Docker Compose looks for, in the context folder and the two above it (where a
/// project's `compose.yaml` names `./backend` as a service's build).
const COMPOSE_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// The files `docker compose` merges into a Compose file beside them.
const COMPOSE_OVERRIDES: &[&str] = &[
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
];

/// What the new image runs: the application's program (a path, or the application's
/// folder for an interpreted one), and whether it is compiled, when the rewrite keeps its
/// ENTRYPOINT and CMD as they were (an interpreter's are rewritten for the target's).
#[derive(Clone, Copy)]
pub(super) struct Ran<'a> {
    pub(super) program: &'a str,
    pub(super) compiled: bool,
    /// The image's exec-form ENTRYPOINT starts the program itself (`["/app/server"]`),
    /// and the rewrite keeps it: what replaces only CMD (Compose's `command`, Kubernetes'
    /// `args`) reaches the same program as arguments in both images.
    pub(super) entrypoint_is_program: bool,
    /// The image sets no CMD beside that ENTRYPOINT: nothing for a platform to run through
    /// a shell (Heroku runs CMD so; an image without a shell should use ENTRYPOINT).
    pub(super) without_cmd: bool,
}

/// Where a build context usually keeps its Kubernetes manifests: every YAML file there and
/// in the folders one level below (`k8s/api/deployment.yaml`, `k8s/base/`) is read. In the
/// folder itself, only the files of [`MANIFEST_NAMES`], beside its Compose and CI files.
const MANIFEST_DIRS: &[&str] = &[
    "k8s/",
    "kubernetes/",
    "kubernetes-manifests/",
    "deploy/",
    "deploy/k8s/",
    "deploy/kubernetes/",
    "manifests/",
    "kube/",
    ".k8s/",
    "infra/k8s/",
    "infra/kubernetes/",
    // golang-standards/project-layout's folder, Kustomize's and GitOps' trees, and
    // kubebuilder's `config/` (`config/manager/manager.yaml` is the operator's pod).
    "deployments/",
    "kustomize/",
    "deploy/kustomize/",
    "config/",
    "ops/",
    "argocd/",
    "gitops/",
    // Cloud Run's and Knative's service YAML (`gcloud run services replace`).
    "cloudrun/",
    ".cloudrun/",
    "cloud-run/",
    "knative/",
];
const MANIFEST_NAMES: &[&str] = &[
    "deployment",
    "k8s",
    "kubernetes",
    "manifest",
    "manifests",
    "pod",
    "statefulset",
    "app",
    "job",
    "cronjob",
    "daemonset",
    "service",
];

/// The context's own folder as these files are read: `./`, which the context reader reads
/// whatever `.dockerignore` says (see [`ContextReader`]): these files say how the image
/// runs, not what it holds.
pub(super) const HERE: &str = "./";

/// The Compose files of the folder `up`: the names Docker Compose looks for
/// ([`COMPOSE_FILES`]) and those a project names with `-f` for a variant
/// (`compose.observability.yaml`, `docker-compose.prod.yml`), but the override files, which
/// are merged into the service they name ([`COMPOSE_OVERRIDES`]).
pub(super) fn compose_files(read: ContextReader<'_>, up: &str) -> Vec<String> {
    let mut names: Vec<String> = COMPOSE_FILES.iter().map(|n| n.to_string()).collect();
    // The files a Compose file `include`s (`include: [compose/app.yaml]`), each read from
    // its own folder.
    let mut included = Vec::new();
    for name in &names {
        let Some(doc) = read(&format!("{up}{name}"))
            .and_then(|text| serde_saphyr::from_str::<Value>(&text).ok())
        else {
            continue;
        };
        for entry in doc
            .get("include")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let path = match entry {
                Value::String(path) => Some(path.as_str()),
                Value::Object(_) => entry.get("path").and_then(Value::as_str),
                _ => None,
            };
            if let Some(path) = path.filter(|p| !p.starts_with('/') && !p.contains("://")) {
                included.push(path.trim_start_matches("./").to_string());
            }
        }
    }
    names.extend(included);
    names.extend(folder_entries(read, up).into_iter().filter(|name| {
        let stem = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
            .unwrap_or("");
        let variant = stem
            .strip_prefix("docker-compose")
            .or_else(|| stem.strip_prefix("compose"))
            .is_some_and(|rest| rest.starts_with(['.', '-', '_']));
        variant
            && !COMPOSE_FILES.contains(&name.as_str())
            && !COMPOSE_OVERRIDES.contains(&name.as_str())
    }));
    // A Compose file under another name (`production.yml`, `local.yml`, as
    // cookiecutter-django names them): YAML with a top-level `services:` whose services
    // `build` or name an `image`. Kubernetes manifests have no top-level `services`.
    let others: Vec<String> = folder_entries(read, up)
        .into_iter()
        .filter(|name| is_yaml(name) && !names.contains(name))
        .take(40)
        .filter(|name| {
            read(&format!("{up}{name}")).is_some_and(|text| {
                (text.starts_with("services:") || text.contains("\nservices:"))
                    && (text.contains("build:") || text.contains("image:"))
            })
        })
        .collect();
    names.extend(others);
    names
}

/// The folders a Compose file that builds this Dockerfile may sit in, relative to the
/// context: the context and its folders (`deploy/docker-compose.yml` with `context: ..`),
/// the two folders above it, and the folders beside those (a project's
/// `deploy/compose.yaml` naming `../backend` as a service's build).
pub(super) fn compose_folders(read: ContextReader<'_>) -> Vec<String> {
    let mut folders = vec![HERE.to_string(), "../".to_string(), "../../".to_string()];
    folders.extend(
        folder_entries(read, HERE)
            .into_iter()
            .filter(|entry| {
                entry.ends_with('/')
                    && (!entry.starts_with('.') || entry == ".docker/")
                    && !matches!(entry.as_str(), "node_modules/" | "vendor/" | "target/")
            })
            .take(100)
            .map(|entry| format!("{HERE}{entry}")),
    );
    for up in ["../", "../../"] {
        folders.extend(
            folder_entries(read, up)
                .into_iter()
                .filter(|entry| entry.ends_with('/') && !entry.starts_with('.'))
                .take(100)
                .map(|entry| format!("{up}{entry}")),
        );
    }
    folders
}

/// The image names the project builds its images as, read in the context and the two
/// folders above it (not in the folders beside them, other projects'): the tags of
/// `docker build -t NAME` in package.json's scripts, a Makefile or a CI workflow, a
/// workflow's `tags:`, and the `IMAGE_NAME`/`IMAGE` its jobs set (as
/// docker/build-push-action's examples do). Taken as this Dockerfile's: a service that
/// runs one of them (`image: saitejamadha/discord-js-bot:5.4.0`) runs what it builds. A
/// name another Dockerfile of the project builds only makes a check stricter.
pub(super) fn built_names(read: ContextReader<'_>) -> Vec<String> {
    let mut texts = Vec::new();
    for up in [HERE, "../", "../../"] {
        texts.extend(
            ["package.json", "Makefile", ".gitlab-ci.yml"]
                .iter()
                .filter_map(|name| read(&format!("{up}{name}"))),
        );
        let workflows = format!("{up}.github/workflows/");
        for entry in folder_entries(read, &workflows).into_iter().take(50) {
            if entry.ends_with(".yml") || entry.ends_with(".yaml") {
                texts.extend(read(&format!("{workflows}{entry}")));
            }
        }
    }
    let mut names = Vec::new();
    for text in &texts {
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']'))
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(2) {
            let value = match pair[0] {
                "-t" | "--tag" | "tags:" | "IMAGE_NAME:" | "IMAGE:" => pair[1],
                _ => match pair[0].split_once('=') {
                    Some(("--tag" | "IMAGE_NAME" | "IMAGE", value)) => value,
                    _ => continue,
                },
            };
            if !value.is_empty() && !value.contains(['$', '{']) {
                names.push(image_repository(value));
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// An image reference without its tag, digest and Docker Hub's registry name:
/// `docker.io/example/bot:1.0` → `example/bot`.
pub(super) fn image_repository(image: &str) -> String {
    let image = image.split('@').next().unwrap_or(image);
    let image = match image.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => name,
        _ => image,
    };
    image
        .strip_prefix("docker.io/")
        .unwrap_or(image)
        .to_ascii_lowercase()
}

/// `path` (relative to the context, `..` allowed) with `.` and `x/..` taken out:
/// `../deploy/../backend/Dockerfile` → `../backend/Dockerfile`.
fn relative_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A path relative to the context as the context reader takes a file of the files that
/// say how the image runs: [`relative_path`]'s, read past `.dockerignore` (`./…`) inside
/// the context.
fn reader_path(path: &str) -> Option<String> {
    relative_path(path).map(|path| {
        if path.starts_with("../") {
            path
        } else {
            format!("{HERE}{path}")
        }
    })
}

/// The services a Compose service `extends` (`extends: base`, or `extends: {service: base,
/// file: common.yaml}` relative to the file that says it), nearest first and at most five
/// deep, each with the folder its file is in (for its `build`), the file and the
/// service's spec: Compose copies their `build`, `healthcheck`, `command` and hooks into
/// the service that extends them.
fn extended_services(
    read: ContextReader<'_>,
    up: &str,
    file: &str,
    doc: &Value,
    spec: &Value,
) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let (mut up, mut file, mut doc, mut spec) =
        (up.to_string(), file.to_string(), doc.clone(), spec.clone());
    for _ in 0..5 {
        let (name, other) = match spec.get("extends") {
            Some(Value::String(name)) => (name.clone(), None),
            Some(extends @ Value::Object(_)) => {
                let Some(name) = extends.get("service").and_then(Value::as_str) else {
                    break;
                };
                let other = extends.get("file").and_then(Value::as_str);
                (name.to_string(), other.map(str::to_string))
            }
            _ => break,
        };
        if let Some(other) = other {
            let Some(path) = reader_path(&format!("{up}{other}")) else {
                break;
            };
            let Some(parsed) = read(&path).and_then(|t| serde_saphyr::from_str::<Value>(&t).ok())
            else {
                break;
            };
            up = match path.rsplit_once('/') {
                Some((folder, _)) => format!("{folder}/"),
                None => HERE.to_string(),
            };
            file = path;
            doc = parsed;
        }
        let Some(base) = doc.get("services").and_then(|s| s.get(&name)).cloned() else {
            break;
        };
        out.push((up.clone(), file.clone(), base.clone()));
        spec = base;
    }
    out
}

/// Where a project keeps its Helm chart (a folder with `Chart.yaml`): these folders, or a
/// folder one level below them (`charts/api/`).
const CHART_DIRS: &[&str] = &[
    "",
    "chart/",
    "charts/",
    "helm/",
    "deploy/",
    "deploy/helm/",
    "deploy/charts/",
    "k8s/",
    "kubernetes/",
];

/// The Helm charts `up` holds: each chart's folder and name (`name:` of its `Chart.yaml`).
pub(super) fn helm_charts(read: ContextReader<'_>, up: &str) -> Vec<(String, String)> {
    let mut charts = Vec::new();
    for dir in CHART_DIRS {
        let folder = format!("{up}{dir}");
        let mut candidates = vec![folder.clone()];
        if !dir.is_empty() {
            candidates.extend(
                folder_entries(read, &folder)
                    .into_iter()
                    .filter(|e| e.ends_with('/'))
                    .take(50)
                    .map(|e| format!("{folder}{e}")),
            );
        }
        for chart in candidates {
            let Some(text) = read(&format!("{chart}Chart.yaml")) else {
                continue;
            };
            let name = text
                .lines()
                .find_map(|l| l.strip_prefix("name:"))
                .map(|n| n.trim().trim_matches(['"', '\'']).to_string())
                .unwrap_or_default();
            if !charts.iter().any(|(c, _)| *c == chart) {
                charts.push((chart, name));
            }
        }
    }
    charts
}

/// The first template of a Helm chart (`templates/`, one level deep) whose containers run
/// a program other than `ran`'s, or a probe or hook of `values.yaml` that runs one, with
/// the file and why. Templates are read with their `{{ … }}` actions taken out: a line that
/// is only an action goes, an action inside a line becomes a placeholder.
fn chart_runs(
    read: ContextReader<'_>,
    up: &str,
    chart: &str,
    ran: Ran<'_>,
) -> Option<(String, String)> {
    let templates = format!("{chart}templates/");
    let mut files = yaml_files_below(read, &templates);
    files.truncate(MAX_MANIFESTS);
    for file in files {
        let Some(text) = read(&file) else { continue };
        let ours = |container: &Value| !public_utility(container);
        if let Some(why) = manifest_runs(&render_actions(&text, &chart_placeholder), ran, &ours) {
            return Some((file, why));
        }
    }
    // Named templates (`_helpers.tpl`'s `define "app.probes"`) hold fragments that an
    // `include` puts on the container: any exec handler in them counts.
    let helpers = folder_entries(read, &templates)
        .into_iter()
        .filter(|name| name.ends_with(".tpl"))
        .map(|name| (format!("{templates}{name}"), true));
    // `values.yaml` and the per-environment values a release picks (`values-prod.yaml`),
    // in the chart or kept beside it where charts live (`helm install -f
    // deploy/values-prod.yaml chart/`).
    let mut folders = vec![chart.to_string()];
    for dir in CHART_DIRS {
        // The chart's own folder is one of them when it sits there: read it once.
        let folder = format!("{up}{dir}");
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    let values = folders.into_iter().flat_map(|folder| {
        folder_entries(read, &folder)
            .into_iter()
            .filter(|name| is_yaml(name) && name.starts_with("values"))
            .map(move |name| (format!("{folder}{name}"), false))
    });
    helpers.chain(values).find_map(|(file, template)| {
        let text = read(&file)?;
        let text = if template {
            without_template_actions(&text)
        } else {
            text
        };
        let doc = serde_saphyr::from_str::<Value>(&text).ok()?;
        let mut found = None;
        values_probe(&doc, ran, &mut found);
        found.map(|why| (file, why))
    })
}

/// The templates of a Helm chart (`templates/`, one level deep) rendered with its
/// `values.yaml` as far as plain values go (see [`with_template_values`]), each with its
/// file: what the chart deploys by default.
pub(super) fn chart_manifests(read: ContextReader<'_>, chart: &str) -> Vec<(String, String)> {
    let values = read(&format!("{chart}values.yaml"))
        .and_then(|text| serde_saphyr::from_str::<Value>(&text).ok())
        .unwrap_or(Value::Null);
    let mut files = yaml_files_below(read, &format!("{chart}templates/"));
    files.truncate(MAX_MANIFESTS);
    files
        .into_iter()
        .filter_map(|file| {
            let text = read(&file)?;
            Some((file, with_template_values(&text, &values)))
        })
        .collect()
}

/// A Helm template's text with the actions that name a value replaced by it:
/// `{{ .Values.port }}`, `{{ .Values.port | default 443 }}` and `{{ default 443
/// .Values.port }}` (the default when the value is empty or missing), through `| quote`.
/// Any other action inside a line becomes a placeholder, and a line that is only an
/// action goes, as in [`without_template_actions`].
fn with_template_values(text: &str, values: &Value) -> String {
    let lookup = |expr: &str| -> Option<String> {
        let path = expr.trim().strip_prefix(".Values.")?;
        let mut at = values;
        for key in path.split('.') {
            at = at.get(key)?;
        }
        match at {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    };
    let action = |inner: &str| -> String {
        let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let mut parts: Vec<&str> = inner.split('|').map(str::trim).collect();
        parts.retain(|p| *p != "quote" && *p != "squote" && *p != "toString");
        let value = match parts.as_slice() {
            [expr] => match expr.strip_prefix("default ") {
                Some(rest) => rest.trim().split_once(' ').map(|(literal, expr)| {
                    lookup(expr).unwrap_or_else(|| literal.trim_matches('"').to_string())
                }),
                None => lookup(expr),
            },
            [expr, fallback] => fallback.strip_prefix("default ").map(|literal| {
                lookup(expr).unwrap_or_else(|| literal.trim().trim_matches('"').to_string())
            }),
            _ => None,
        };
        value.unwrap_or_else(|| "x".to_string())
    };
    render_actions(text, &action)
}

/// The ports below 1024 of the container of a pod that has only one (a sidecar's ports
/// are not the app's): an argument of its `command`/`args` (`--secure-port=443`), read
/// as the Dockerfile's command is, and (`true`) its `containerPort`, which only declares
/// where the app listens, as EXPOSE does.
pub(super) fn manifest_low_ports(text: &str) -> Vec<(u32, String, bool)> {
    let Ok(docs) = serde_saphyr::from_multiple::<Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for doc in &docs {
        let mut lists = Vec::new();
        collect_key(doc, "containers", &mut lists);
        for list in lists {
            let [container] = list.as_array().map(Vec::as_slice).unwrap_or_default() else {
                continue;
            };
            let words: Vec<String> = ["command", "args"]
                .iter()
                .filter_map(|key| container.get(key).and_then(Value::as_array))
                .flatten()
                .filter_map(|w| match w {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            let argument_ports = super::named::command_ports(&words);
            // A container that sets its port (`PORT: "8080"`, `--port 8080`) listens
            // there; its `containerPort` only describes it, and may be stale.
            let sets_port = !argument_ports.is_empty()
                || container
                    .get("env")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e.get("name").and_then(Value::as_str))
                    .any(|name| {
                        super::settings::LISTEN_PORT_VARIABLES.contains(&name)
                            || super::settings::LISTEN_URL_VARIABLES.contains(&name)
                    });
            let ports = container.get("ports").and_then(Value::as_array);
            for port in ports.into_iter().flatten().filter(|_| !sets_port) {
                let number = port.get("containerPort").and_then(|p| match p {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                });
                if let Some(number) = number.filter(|n| (1..1024).contains(n)) {
                    out.push((number as u32, format!("containerPort: {number}"), true));
                }
            }
            out.extend(
                argument_ports
                    .into_iter()
                    .filter(|(port, _)| (1..1024).contains(port))
                    .map(|(port, how)| (port, how, false)),
            );
        }
    }
    out
}

/// A Helm template's text without its `{{ … }}` actions, so that it reads as YAML.
fn without_template_actions(text: &str) -> String {
    render_actions(text, &|_| "x".to_string())
}

/// A Helm template's text with each `{{ … }}` action inside a line replaced by what
/// `action` makes of its inside; a line that is only an action goes, and an action left
/// open ends its line.
fn render_actions(text: &str, action: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("{{")
            && trimmed.ends_with("}}")
            && trimmed.matches("{{").count() == 1
        {
            continue;
        }
        let mut rest = line;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            match rest[open..].find("}}") {
                Some(close) => {
                    out.push_str(&action(&rest[open + 2..open + close]));
                    rest = &rest[open + close + 2..];
                }
                None => rest = "",
            }
        }
        out.push_str(rest);
        out.push('\n');
    }
    out
}

/// An exec handler anywhere in a chart's values (`livenessProbe: {exec: …}`, a hook, or
/// one under a name of the chart's own, `probes.liveness`), which the templates put on the
/// container, that runs a program other than `ran`'s.
fn values_probe(value: &Value, ran: Ran<'_>, found: &mut Option<String>) {
    match value {
        Value::Object(map) => {
            if let Some(first) = exec_program(Some(value))
                && !is_program(&first, ran.program)
            {
                *found = Some(format!(
                    "the chart gives the container an exec handler that runs `{first}`, which the new image lacks"
                ));
                return;
            }
            for child in map.values() {
                if found.is_some() {
                    return;
                }
                values_probe(child, ran, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| values_probe(v, ran, found)),
        _ => {}
    }
}

/// The YAML files of `folder` (a path ending in `/`) and of its sub-folders, one level down.
fn yaml_files_below(read: ContextReader<'_>, folder: &str) -> Vec<String> {
    let mut files = Vec::new();
    for entry in folder_entries(read, folder) {
        if entry.ends_with('/') {
            let sub = format!("{folder}{entry}");
            files.extend(
                folder_entries(read, &sub)
                    .into_iter()
                    .filter(|n| is_yaml(n))
                    .map(|n| format!("{sub}{n}")),
            );
        } else if is_yaml(&entry) {
            files.push(format!("{folder}{entry}"));
        }
    }
    files
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// The most manifest files one folder level gives: a bound on what a monorepo's manifests
/// could cost.
const MAX_MANIFESTS: usize = 200;

/// The Kubernetes manifest files `up` (``, `../`, `../../`) of the context holds, with
/// their text: [`MANIFEST_NAMES`] in that folder, and every YAML file of [`MANIFEST_DIRS`]
/// and of their sub-folders.
pub(super) fn manifest_files(read: ContextReader<'_>, up: &str) -> Vec<(String, String)> {
    let mut files: Vec<String> = folder_entries(read, up)
        .into_iter()
        .filter(|name| {
            is_yaml(name)
                && MANIFEST_NAMES
                    .iter()
                    .any(|m| name.strip_suffix(".yaml").or(name.strip_suffix(".yml")) == Some(m))
        })
        .map(|name| format!("{up}{name}"))
        .collect();
    // In the context itself, a manifest under any name (`githubbkp.yml`): YAML that
    // names an `apiVersion`, a `kind` and containers.
    if up == HERE {
        for name in folder_entries(read, up)
            .into_iter()
            .filter(|n| is_yaml(n))
            .take(40)
        {
            let file = format!("{up}{name}");
            if !files.contains(&file)
                && read(&file).is_some_and(|text| {
                    text.contains("apiVersion:")
                        && text.contains("kind:")
                        && text.contains("containers:")
                })
            {
                files.push(file);
            }
        }
    }
    for dir in MANIFEST_DIRS {
        files.extend(yaml_files_below(read, &format!("{up}{dir}")));
        // Kustomize's overlays (`k8s/overlays/prod/patch.yaml`), one level deeper.
        files.extend(yaml_files_below(read, &format!("{up}{dir}overlays/")));
    }
    files.dedup();
    files.truncate(MAX_MANIFESTS);
    files
        .into_iter()
        .filter_map(|file| read(&file).map(|text| (file, text)))
        .collect()
}

impl Planner<'_, '_> {
    /// Declines when a deploy or development file runs a program inside the new image
    /// other than the application's own, which the new image keeps.
    pub(super) fn check_deploy_files(&self, program: Ran<'_>) -> Result<(), Decline> {
        self.check_shell_comment()?;
        self.check_dev_loop()?;
        self.check_tilt()?;
        self.check_compose(program)?;
        self.check_manifests(program)?;
        self.check_platforms(program)?;
        self.check_ci_jobs()?;
        self.check_scripts(program)
    }

    /// A hosting platform's file that runs its own command in the image in place of CMD,
    /// keeping the ENTRYPOINT ([`super::platforms`]), which the new image changes.
    fn check_platforms(&self, program: Ran<'_>) -> Result<(), Decline> {
        let Some(read) = self.context else {
            return Ok(());
        };
        if super::user::is_root_user(self.state().user.as_deref())
            && let Some((file, destination)) = super::platforms::fly_mount(read)
        {
            return Err(Decline::new(
                DeclineCode::NeedsRoot,
                format!("{file}: the app mounts a Fly volume at {destination}, which Fly makes owned by root; the new image runs as a non-root user, who could not write there"),
            )
            .at(crate::ecosystems::start::from_span(self.stage))
            .help("keep the image's user, or run the original as a non-root user first and make the volume its own"));
        }
        if let Some((file, replaces)) = super::platforms::github_action(read, self.model.src) {
            if super::user::is_root_user(self.state().user.as_deref()) {
                return Err(Decline::new(
                    DeclineCode::NeedsRoot,
                    format!("{file}: the image is a GitHub Docker action, whose container GitHub runs with the runner's workspace and command files (`GITHUB_OUTPUT`) mounted, writable by root only; the new image runs as a non-root user"),
                )
                .at(crate::ecosystems::start::from_span(self.stage))
                .help("keep the image's user: GitHub's docs ask Docker actions to run as root"));
            }
            if replaces {
                return Err(self.runs_in_container(
                    format!("{file}: the GitHub action's `runs:` gives the container its own entrypoint or arguments, which meet the new image's ENTRYPOINT"),
                    "keep the full image for the action, or drop `entrypoint:`/`args:` from action.yml",
                ));
            }
        }
        let entrypoint_only =
            program.compiled && program.entrypoint_is_program && program.without_cmd;
        if let Some(file) = super::platforms::shell_platform(read).filter(|_| !entrypoint_only) {
            return Err(self.runs_in_container(
                format!("{file}: Heroku runs the image's CMD through `/bin/sh -c`, so that config vars reach it; the new image has no shell"),
                "keep an image with a shell for Heroku, or deploy the new image where its command runs as written",
            ));
        }
        match super::platforms::platform_command(read, self.model.src) {
            Some((file, _, first)) if matches!(first.as_str(), "CMD-SHELL" | "CMD") => {
                Err(self.runs_in_container(
                    format!("{file}: a health check runs `{first} …` in the container, which the new image has no shell or programs for"),
                    "use the load balancer's HTTP health check, or keep the full image",
                ))
            }
            Some((file, key, first)) if !kept_command(&first, "command", program) => {
                Err(self.runs_in_container(
                    format!("{file}: `{key}` runs `{first} …` in place of the image's CMD and keeps its ENTRYPOINT, which the new image changes"),
                    "put the command in the Dockerfile's CMD and drop it from the platform's file, or keep the full image",
                ))
            }
            _ => Ok(()),
        }
    }

    /// A service of a Compose file that builds this Dockerfile: its healthcheck's test
    /// (`CMD-SHELL` always runs `/bin/sh -c`), and a `command` or `entrypoint`, which
    /// replace the image's own and would meet the new image's ENTRYPOINT and programs.
    fn check_compose(&self, program: Ran<'_>) -> Result<(), Decline> {
        let Some(read) = self.context else {
            return Ok(());
        };
        // Read once, and only where a Compose file runs an image by name.
        let built_as = std::cell::OnceCell::new();
        for folder in compose_folders(read) {
            let names = compose_files(read, &folder);
            for name in &names {
                let file = format!("{folder}{name}");
                // An included file's paths are its own folder's.
                let up = match name.rsplit_once('/') {
                    Some((dir, _)) => format!("{folder}{dir}/"),
                    None => folder.clone(),
                };
                let up = up.as_str();
                let Some(text) = read(&file) else { continue };
                let Ok(doc) = serde_saphyr::from_str::<Value>(&text) else {
                    continue;
                };
                let Some(services) = doc.get("services").and_then(Value::as_object) else {
                    continue;
                };
                // Each service with those it `extends`, and whether it builds this
                // Dockerfile, read once.
                let read_services: Vec<_> = services
                    .iter()
                    .map(|(service, spec)| {
                        let extended = extended_services(read, up, &file, &doc, spec);
                        let builds = self.builds_this_dockerfile(read, up, spec)
                            || extended.iter().any(|(folder, _, base)| {
                                self.builds_this_dockerfile(read, folder, base)
                            });
                        (service, spec, extended, builds)
                    })
                    .collect();
                // A service that runs the image another one builds (`image: app` on both,
                // `build` on one) runs this Dockerfile's image too; so does one that runs
                // the name the project's CI or scripts build it as.
                let images: Vec<&str> = read_services
                    .iter()
                    .filter(|(.., builds)| *builds)
                    .filter_map(|(_, spec, ..)| spec.get("image").and_then(Value::as_str))
                    .collect();
                for (service, spec, extended, builds) in read_services {
                    let reuses = spec.get("build").is_none()
                        && spec
                            .get("image")
                            .and_then(Value::as_str)
                            .is_some_and(|image| {
                                images.contains(&image)
                                    || built_as
                                        .get_or_init(|| built_names(read))
                                        .contains(&image_repository(image))
                            });
                    if !builds && !reuses {
                        continue;
                    }
                    // `docker compose up` merges the override file beside it into the
                    // service, and `-f compose.yaml -f compose.prod.yaml` a variant.
                    let merged: Vec<String> = COMPOSE_OVERRIDES
                        .iter()
                        .map(|n| n.to_string())
                        .chain(names.iter().filter(|n| *n != name).cloned())
                        .collect();
                    let overrides = merged.iter().filter_map(|name| {
                        let file = format!("{up}{name}");
                        let text = read(&file)?;
                        let doc = serde_saphyr::from_str::<Value>(&text).ok()?;
                        let theirs = doc.get("services")?.get(service)?.clone();
                        // A service of the same name that builds another Dockerfile
                        // (`docker-compose-dev.yaml` building `Dockerfile.dev`) is another
                        // image, not this one's override.
                        if theirs.get("build").is_some()
                            && !self.builds_this_dockerfile(read, up, &theirs)
                        {
                            return None;
                        }
                        Some((file, theirs))
                    });
                    // What a service it `extends` sets applies too (unless overridden:
                    // read as if it were not).
                    let bases = extended.into_iter().map(|(_, file, base)| (file, base));
                    for (file, spec) in std::iter::once((file.clone(), spec.clone()))
                        .chain(overrides)
                        .chain(bases)
                    {
                        let user = self.state().user.as_deref();
                        let root = super::user::is_root_user(user);
                        // A named user the target lacks (`node`, uid 1000) becomes the
                        // target's: what it owned on the host or in a volume is not the
                        // new user's.
                        let renamed = !root
                            && user.is_some_and(|u| {
                                let name = u.split(':').next().unwrap_or(u);
                                !name.chars().all(|c| c.is_ascii_digit())
                                    && !matches!(name, "nonroot" | "nobody")
                            });
                        if (root || renamed)
                            && let Some(why) = root_mount(read, up, &spec)
                        {
                            let now = if root {
                                "the new image runs as a non-root user".to_string()
                            } else {
                                format!(
                                    "the new image runs as another user than `{}`",
                                    user.unwrap_or_default()
                                )
                            };
                            return Err(Decline::new(
                                DeclineCode::NeedsRoot,
                                format!("{}: the service `{service}` {why}; {now}", file.trim_start_matches(HERE)),
                            )
                            .at(crate::ecosystems::start::from_span(self.stage))
                            .help("keep the image's user, or run the original as a non-root user with a numeric uid first (`USER 65532`, with the volume's folder made for it) and rewrite that"));
                        }
                        // Devices keep their host owner and group; `privileged` gives
                        // every capability and device, to root's processes only.
                        if root && let Some(what) = privileged_service(&spec) {
                            return Err(Decline::new(
                                DeclineCode::NeedsRoot,
                                format!("{}: the service `{service}` {what}, which a process of the image's root user may use and one of a non-root user may not", file.trim_start_matches(HERE)),
                            )
                            .at(crate::ecosystems::start::from_span(self.stage))
                            .help("keep the root image for a service that needs devices or privileges"));
                        }
                        // Capabilities Compose adds reach root's processes only: a
                        // non-root process starts without them (no ambient set).
                        if root
                            && let Some(caps) = spec.get("cap_add").and_then(Value::as_array)
                            && !caps.is_empty()
                        {
                            let names: Vec<String> = caps
                                .iter()
                                .filter_map(|c| c.as_str().map(str::to_string))
                                .collect();
                            return Err(Decline::new(
                                DeclineCode::NeedsRoot,
                                format!("{}: the service `{service}` adds the capabilities {}, which a process of the image's root user has and one of a non-root user does not", file.trim_start_matches(HERE), names.join(", ")),
                            )
                            .at(crate::ecosystems::start::from_span(self.stage))
                            .help("keep the root image for a service that needs added capabilities"));
                        }
                        let env_files = service_env_files(read, up, &spec);
                        if root && let Some(why) = low_port(&spec, &env_files) {
                            return Err(Decline::new(
                                DeclineCode::NeedsRoot,
                                format!("{}: the service `{service}` {why}; the image ran as root, which may bind a port below 1024, and the new image runs as a non-root user, which cannot", file.trim_start_matches(HERE)),
                            )
                            .at(crate::ecosystems::start::from_span(self.stage))
                            .help("listen on a port of 1024 or above inside the container and map it (`ports: [\"80:8080\"]`)"));
                        }
                        if let Some(why) = compose_runs(&spec, program) {
                            return Err(self.runs_in_container(format!("{}: the service `{service}` {why}", file.trim_start_matches(HERE)), "use the application's own command for the health check (or drop it), and keep the command in the Dockerfile"));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The decline of a file that runs something in the container, pointing at the stage's
    /// FROM (the image it would run in).
    pub(super) fn runs_in_container(&self, message: impl Into<String>, help: &str) -> Decline {
        Decline::new(DeclineCode::RunsPrograms, message)
            .at(crate::ecosystems::start::from_span(self.stage))
            .help(help.to_string())
    }

    /// Whether a Compose service's build makes the stage this rewrite changes: its
    /// `target`, or else the file's last stage. `target: dev` (or no target while the
    /// rewrite is of `--target deploy`) builds another image, a development one. A target
    /// that names no stage, or cannot be read, counts as this one.
    fn builds_this_stage(
        &self,
        spec: &Value,
        interpolate: &dyn Fn(&str) -> Option<String>,
    ) -> bool {
        let stages = &self.model.stages.stages;
        let target = spec
            .get("build")
            .and_then(|b| b.get("target"))
            .map(|t| t.as_str().and_then(interpolate));
        let built = match target {
            None => stages.last().map(|s| s.index),
            Some(None) => return true,
            Some(Some(target)) => {
                let target = target.to_ascii_lowercase();
                stages
                    .iter()
                    .find(|s| s.name.as_deref() == Some(target.as_str()))
                    .map(|s| s.index)
            }
        };
        built.is_none_or(|index| index == self.stage.index)
    }

    /// Kubernetes manifests in the build context: an exec probe, a lifecycle hook's exec,
    /// or a container `command`, run in the container.
    fn check_manifests(&self, program: Ran<'_>) -> Result<(), Decline> {
        let Some(read) = self.context else {
            return Ok(());
        };
        // In the context, or at the root of the repository it sits in (one or two
        // folders up), where a project keeps its manifests for all its services.
        for up in [HERE, "../", "../../"] {
            // A Helm chart's templates name the image through values: all containers of
            // the context's own chart count, and of a chart above it only one named after
            // this Dockerfile's folder.
            for (chart, name) in helm_charts(read, up) {
                if up != HERE && !self.names_this_folder(read, up, &name) {
                    continue;
                }
                if let Some((file, why)) = chart_runs(read, up, &chart, program) {
                    return Err(self.runs_in_container(
                        format!("{}: {why}", file.trim_start_matches(HERE)),
                        "use an HTTP or gRPC probe, or the application's own command",
                    ));
                }
            }
            for (file, text) in manifest_files(read, up) {
                // Above the context a manifest holds every service's containers: only one
                // whose image is named after this Dockerfile's folder counts
                // (`image: …/cartservice:v1` for `src/cartservice`).
                let ours = |container: &Value| {
                    (up == HERE && !public_utility(container))
                        || container
                            .get("image")
                            .and_then(Value::as_str)
                            .is_some_and(|image| self.names_this_folder(read, up, image))
                };
                if let Some(why) = manifest_runs(&text, program, &ours).or_else(|| {
                    (up == HERE)
                        .then(|| kustomize_patch_runs(&text, program))
                        .flatten()
                }) {
                    return Err(self.runs_in_container(
                        format!("{}: {why}", file.trim_start_matches(HERE)),
                        "use an HTTP or gRPC probe, or the application's own command",
                    ));
                }
                if super::user::is_root_user(self.state().user.as_deref())
                    && let Some(why) = manifest_root_volume(&text, &ours)
                {
                    return Err(Decline::new(
                        DeclineCode::NeedsRoot,
                        format!("{}: {why}; the new image runs as a non-root user", file.trim_start_matches(HERE)),
                    )
                    .at(crate::ecosystems::start::from_span(self.stage))
                    .help("set the pod's `securityContext.fsGroup` so that the volume is the new user's group's, or keep the root image"));
                }
            }
        }
        Ok(())
    }

    /// Whether `image`'s name (`gcr.io/proj/cartservice:v1` → `cartservice`) is the folder
    /// of this Dockerfile, seen from `up` in the usual layouts (`cartservice/`,
    /// `src/cartservice/`, `services/…`, `apps/…`): its Dockerfile there holds this text.
    fn names_this_folder(&self, read: ContextReader<'_>, up: &str, image: &str) -> bool {
        let name = image
            .rsplit('/')
            .next()
            .unwrap_or(image)
            .split(['@', ':'])
            .next()
            .unwrap_or("");
        if name.is_empty() || name.contains("..") {
            return false;
        }
        ["", "src/", "services/", "apps/"].iter().any(|layout| {
            read(&format!("{up}{layout}{name}/Dockerfile")).is_some_and(|t| t == self.model.src)
        })
    }

    /// Tilt's `live_update` syncs files into the running container (with `tar`) and `run`s
    /// commands there.
    fn check_tilt(&self) -> Result<(), Decline> {
        let Some(text) = self.context.and_then(|read| read("./Tiltfile")) else {
            return Ok(());
        };
        if !text
            .lines()
            .any(|l| !l.trim_start().starts_with('#') && l.contains("live_update"))
        {
            return Ok(());
        }
        Err(self.runs_in_container("the Tiltfile's `live_update` copies files into the running container with `tar` and runs commands there: the new image has neither `tar` nor a shell, so `tilt up` would fail", "keep a full image for Tilt's development loop (a `target` for dev), or drop `live_update`"))
    }

    /// Skaffold's `skaffold.yaml` beside the Dockerfile: file sync copies changed files
    /// into the running container with `tar`, and container hooks run commands there
    /// (`sh -c "kill -HUP 1"`); a distroless image has neither, so `skaffold dev` fails.
    pub(super) fn check_dev_loop(&self) -> Result<(), Decline> {
        let Some(read) = self.context else {
            return Ok(());
        };
        for file in ["./skaffold.yaml", "./skaffold.yml"] {
            let Some(text) = read(file) else { continue };
            let keys: Vec<String> = yaml_keys(&text).into_iter().map(|(k, _)| k).collect();
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            let sync = lines
                .iter()
                .any(|l| *l == "sync:" || l.starts_with("sync:"));
            let hooks = lines.iter().any(|l| l.starts_with("container:"))
                && (lines.iter().any(|l| l.starts_with("hooks:"))
                    || keys.iter().any(|k| k.contains("hooks")));
            let what = match (sync, hooks) {
                (true, _) => "syncs files into the running container, which it does with `tar`",
                (_, true) => "runs container hooks, commands inside the running container",
                _ => continue,
            };
            return Err(self.runs_in_container(format!("{} {what}: the new image has no `tar`, shell or other programs, so `skaffold dev` would fail", file.trim_start_matches(HERE)), "keep a full image for skaffold's development loop (a `target` for dev), or drop `sync`/`hooks`"));
        }
        Ok(())
    }
}

/// Which Compose services run this image, and Compose's waits on its health, read for a
/// HEALTHCHECK the rewrite drops.
impl Planner<'_, '_> {
    /// Whether a Compose service's `build` (a folder, or `context` and `dockerfile`) names
    /// this Dockerfile: the file it names, read through the context reader from where the
    /// Compose file is, holds this Dockerfile's text.
    pub(super) fn builds_this_dockerfile(
        &self,
        read: ContextReader<'_>,
        up: &str,
        spec: &Value,
    ) -> bool {
        let (context, dockerfile) = match spec.get("build") {
            Some(Value::String(context)) => (context.as_str(), None),
            Some(build @ Value::Object(_)) => (
                build.get("context").and_then(Value::as_str).unwrap_or("."),
                build.get("dockerfile").and_then(Value::as_str),
            ),
            _ => return false,
        };
        // `${VAR}` in either comes from the `.env` file beside the Compose file, as Compose
        // interpolates it (`dockerfile: ${API_DOCKERFILE}`).
        let interpolate = |text: &str| interpolated(read, up, text);
        let Some(context) = interpolate(context) else {
            return false;
        };
        if !self.builds_this_stage(spec, &interpolate) {
            return false;
        }
        if context.contains("://") {
            return false;
        }
        let file = |name: &str| {
            let path = format!("{up}{}/{name}", context.trim_end_matches('/'));
            reader_path(&path).and_then(|path| read(&path))
        };
        let text = match dockerfile {
            Some(dockerfile) => {
                let Some(dockerfile) = interpolate(dockerfile) else {
                    return false;
                };
                if dockerfile.starts_with('/') {
                    return false;
                }
                file(&dockerfile)
            }
            // Without one, the build reads `Dockerfile`, or else `dockerfile` (the Docker
            // CLI's fallback, which Compose's builds share).
            None => file("Dockerfile").or_else(|| file("dockerfile")),
        };
        text.is_some_and(|text| text == self.model.src)
    }

    /// The Compose file in which a service waits for one that runs this Dockerfile's image
    /// to be healthy (`depends_on: {app: {condition: service_healthy}}`), where that
    /// service has no healthcheck of its own: it waits on the image's HEALTHCHECK. A file
    /// that does not parse counts, as a wait may be in it.
    pub(super) fn health_waited_on(&self) -> Option<String> {
        let read = self.context?;
        let built_as = std::cell::OnceCell::new();
        for folder in compose_folders(read) {
            for name in compose_files(read, &folder) {
                let file = format!("{folder}{name}");
                let Some(text) = read(&file).filter(|t| t.contains("service_healthy")) else {
                    continue;
                };
                let up = match name.rsplit_once('/') {
                    Some((dir, _)) => format!("{folder}{dir}/"),
                    None => folder.clone(),
                };
                let Ok(doc) = serde_saphyr::from_str::<Value>(&text) else {
                    return Some(file);
                };
                let Some(services) = doc.get("services").and_then(Value::as_object) else {
                    continue;
                };
                let building: Vec<&Value> = services
                    .values()
                    .filter(|spec| self.builds_this_dockerfile(read, &up, spec))
                    .collect();
                let mut images: Vec<String> = building
                    .iter()
                    .filter_map(|spec| spec.get("image").and_then(Value::as_str))
                    .map(image_repository)
                    .collect();
                images.extend(built_as.get_or_init(|| built_names(read)).iter().cloned());
                let own: Vec<&String> = services
                    .iter()
                    .filter(|(_, spec)| {
                        spec.get("healthcheck").is_none()
                            && (building.iter().any(|b| std::ptr::eq(*b, *spec))
                                || (spec.get("build").is_none()
                                    && spec
                                        .get("image")
                                        .and_then(Value::as_str)
                                        .is_some_and(|i| images.contains(&image_repository(i)))))
                    })
                    .map(|(name, _)| name)
                    .collect();
                let waits = services.values().any(|spec| {
                    spec.get("depends_on")
                        .and_then(Value::as_object)
                        .is_some_and(|deps| {
                            deps.iter().any(|(dep, how)| {
                                own.contains(&dep)
                                    && how.get("condition").and_then(Value::as_str)
                                        == Some("service_healthy")
                            })
                        })
                });
                if waits {
                    return Some(file);
                }
            }
        }
        None
    }
}

/// What a Compose service runs in the container, if anything: a healthcheck test (other
/// than the application itself), or a command or entrypoint in place of the image's.
fn compose_runs(spec: &Value, ran: Ran<'_>) -> Option<String> {
    let program = ran.program;
    if let Some(health) = spec.get("healthcheck")
        && health.get("disable").and_then(Value::as_bool) != Some(true)
    {
        let argv: Vec<String> = match health.get("test") {
            Some(Value::String(shell)) => vec!["CMD-SHELL".into(), shell.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        match argv.first().map(String::as_str) {
            Some("CMD-SHELL") => {
                return Some(format!(
                    "has a healthcheck that runs the shell (`CMD-SHELL {}`), which the new image lacks",
                    argv.get(1).map_or("", String::as_str)
                ));
            }
            Some("CMD") if argv.len() > 1 && !is_program(&argv[1], program) => {
                return Some(format!(
                    "has a healthcheck that runs `{}`, which the new image lacks",
                    argv[1]
                ));
            }
            _ => {}
        }
    }
    for hook in ["post_start", "pre_stop"] {
        if spec.get(hook).is_some() {
            return Some(format!(
                "runs `{hook}` hooks, commands in the running container, which the new image has no programs or shell for"
            ));
        }
    }
    for key in ["entrypoint", "command"] {
        let words: Vec<String> = match spec.get(key) {
            Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => continue,
        };
        let kept = |first: &str| match key {
            "command" => kept_arguments(first, key, ran),
            _ => kept_command(first, key, ran),
        };
        if let Some(first) = words.first()
            && !kept(first)
        {
            return Some(format!(
                "sets its own {key} (`{first} …`) in place of the image's: the new image's ENTRYPOINT and programs differ, so it would not run as before"
            ));
        }
    }
    None
}

/// A Compose file's value with its `${VAR}` (`$VAR`, `${VAR:-default}`) taken from the
/// `.env` file beside it, as Compose interpolates it; `None` when a variable has no value
/// there and no default.
fn interpolated(read: ContextReader<'_>, up: &str, text: &str) -> Option<String> {
    if !text.contains('$') {
        return Some(text.to_string());
    }
    let dotenv = read(&format!("{up}.env")).unwrap_or_default();
    let value = |name: &str| {
        dotenv.lines().find_map(|line| {
            let (key, value) = line.trim().split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches(['"', '\'']).to_string())
        })
    };
    let known = crate::analysis::expand::referenced_vars(text, '\\')
        .iter()
        .all(|name| value(name).is_some());
    if !known && !text.contains(":-") {
        return None;
    }
    crate::analysis::expand::expand(text, '\\', &value).ok()
}

/// What a Compose service mounts that only root could use, for a service whose image ran
/// as root: a host socket (`/var/run/docker.sock`), which only root and the socket's group
/// may use; a named volume mounted writable, which the engine makes owned by root where the
/// image has no such folder, as it does a VOLUME; a host folder mounted writable, which is
/// root's or the host user's. A mount marked `:ro` or `read_only` is only read.
fn root_mount(read: ContextReader<'_>, up: &str, spec: &Value) -> Option<String> {
    spec.get("volumes")?.as_array()?.iter().find_map(|volume| {
        let (source, target, read_only) = match volume {
            Value::String(short) => {
                let short = interpolated(read, up, short)?;
                let parts: Vec<&str> = short.split(':').collect();
                match parts.as_slice() {
                    [target] => (String::new(), target.to_string(), false),
                    [source, target, rest @ ..] => (
                        source.to_string(),
                        target.to_string(),
                        rest.iter().any(|m| m.split(',').any(|o| o == "ro")),
                    ),
                    [] => return None,
                }
            }
            Value::Object(_) => (
                volume
                    .get("source")
                    .and_then(Value::as_str)
                    .and_then(|s| interpolated(read, up, s))
                    .unwrap_or_default(),
                volume.get("target")?.as_str()?.to_string(),
                volume.get("read_only").and_then(Value::as_bool) == Some(true),
            ),
            _ => return None,
        };
        if source.ends_with(".sock") {
            return Some(format!(
                "mounts the host socket `{source}`, which only root and the socket's group may use"
            ));
        }
        // An anonymous volume (`- /app/node_modules`) keeps a folder of the image from a
        // host folder mounted over it, in development.
        if read_only || source.is_empty() || target.starts_with("/tmp") {
            return None;
        }
        if source.starts_with(['.', '/', '~', '$']) {
            // A host path: a folder the engine creates for it is root's, and one that
            // exists keeps its host owner (uid 1000, often), so the root app's writes fail
            // as another user. Configuration files and the host's clock are only read.
            // (Not `.json` or `.txt`: a JSON database, a log.)
            const READ: &[&str] = &[
                ".conf", ".cfg", ".ini", ".toml", ".yaml", ".yml", ".env", ".pem", ".crt",
                ".key", ".properties", ".xml", ".js", ".py",
            ];
            let name = source.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if READ.iter().any(|ext| name.ends_with(ext))
                || matches!(source.as_str(), "/etc/localtime" | "/etc/timezone")
            {
                return None;
            }
            return Some(format!(
                "mounts the host path `{source}` at `{target}` writable: a folder the engine creates there is root's, and one that exists keeps its owner on the host, so the app may not write there as another user"
            ));
        }
        Some(format!(
            "mounts the volume `{source}` at `{target}`, which the engine makes owned by root: the app may write there"
        ))
    })
}

/// What a Compose service is given that only root's processes use: `privileged: true`,
/// `devices:`.
fn privileged_service(spec: &Value) -> Option<String> {
    if spec.get("privileged").and_then(Value::as_bool) == Some(true) {
        return Some("runs privileged".into());
    }
    let devices = spec.get("devices")?.as_array()?;
    let first = devices.first()?;
    let name = first.as_str().map_or_else(
        || {
            first
                .get("source")
                .and_then(Value::as_str)
                .unwrap_or("a device")
                .to_string()
        },
        |d| d.split(':').next().unwrap_or(d).to_string(),
    );
    Some(format!("is given the device {name}"))
}

/// The files a Compose service's `env_file` names (a path, a list of paths, or of
/// `{path: …}`), relative to the Compose file's folder `up`, with their text.
fn service_env_files(read: ContextReader<'_>, up: &str, spec: &Value) -> Vec<(String, String)> {
    let paths: Vec<String> = match spec.get("env_file") {
        Some(Value::String(path)) => vec![path.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|entry| match entry {
                Value::String(path) => Some(path.clone()),
                other => other
                    .get("path")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
            .collect(),
        _ => Vec::new(),
    };
    paths
        .into_iter()
        .filter_map(|path| {
            let joined = format!("{up}{}", path.trim_start_matches("./"));
            let text = reader_path(&joined).and_then(|p| read(&p))?;
            Some((path, text))
        })
        .collect()
}

/// A port below 1024 a Compose service makes the application listen on: a listen
/// variable of its `environment` (`PORT: 80`), or the container side of a `ports` mapping
/// or an `expose` (`"80:80"`, `"8080:443"`).
fn low_port(spec: &Value, env_files: &[(String, String)]) -> Option<String> {
    let low = |text: &str| {
        let text = text.trim().trim_matches(['"', '\'']);
        // `${PORT:-80}`: Compose's default when the variable is unset.
        let text = match text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
            Some(inner) => inner
                .split_once(":-")
                .or_else(|| inner.split_once('-'))
                .map_or(inner, |(_, d)| d),
            None => text,
        };
        text.trim()
            .trim_matches(['"', '\''])
            .split('/')
            .next()
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| (1..1024).contains(p))
    };
    let scalar = |value: &Value| match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let environment: Vec<(String, String)> = match spec.get("environment") {
        Some(Value::Object(map)) => map
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
            .collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|v| {
                let (k, v) = v.as_str()?.split_once('=')?;
                Some((k.to_string(), v.to_string()))
            })
            .collect(),
        _ => Vec::new(),
    };
    // A listen port variable (`PORT: 80`), or ASP.NET Core's URLs (`ASPNETCORE_URLS:
    // http://+:80`).
    let listens_low = |name: &str, value: &str| {
        (super::settings::LISTEN_PORT_VARIABLES.contains(&name) && low(value).is_some())
            || super::settings::java_option_port(value).is_some_and(|p| (1..1024).contains(&p))
            || ((super::settings::LISTEN_URL_VARIABLES.contains(&name)
                || (name.starts_with("Kestrel__") && name.ends_with("__Url")))
                && super::named::url_ports(value.trim().trim_matches(['"', '\'']))
                    .iter()
                    .any(|p| (1..1024).contains(p)))
    };
    if let Some((name, value)) = environment
        .iter()
        .find(|(name, value)| listens_low(name, value))
    {
        return Some(format!("sets {name}={value}"));
    }
    // Its `env_file`s (`PORT=80` in `.env.prod`).
    for (file, text) in env_files {
        for line in text.lines() {
            let line = line.trim().trim_start_matches("export ").trim();
            if let Some((name, value)) = line.split_once('=')
                && listens_low(name.trim(), value)
            {
                return Some(format!(
                    "sets {}={} through its env_file {file}",
                    name.trim(),
                    value.trim()
                ));
            }
        }
    }
    // Its `command`'s arguments (`["app", "-addr", ":80"]`), read as the Dockerfile's are.
    let command: Vec<String> = match spec.get("command") {
        Some(Value::Array(words)) => words.iter().filter_map(scalar).collect(),
        Some(Value::String(text)) => text.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    };
    if let Some((port, words)) = super::named::command_ports(&command)
        .into_iter()
        .find(|(p, _)| (1..1024).contains(p))
    {
        return Some(format!(
            "runs its command with `{words}`, which listens on port {port}"
        ));
    }
    for key in ["ports", "expose"] {
        for entry in spec
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let container = match entry {
                Value::Object(_) => entry.get("target").and_then(scalar),
                other => scalar(other).map(|s| s.rsplit(':').next().unwrap_or(&s).to_string()),
            };
            if let Some(port) = container.as_deref().and_then(low) {
                return Some(format!("has the container listen on port {port} (`{key}`)"));
            }
        }
    }
    None
}

/// Whether a command a deploy file sets (Compose's `command`/`entrypoint`, Kubernetes'
/// `args`/`command`) runs as it did: a compiled program's ENTRYPOINT and CMD are kept, so
/// the same program, or options for it in place of CMD, still work. An interpreter's are
/// not: the target's preset ENTRYPOINT takes them as a script's name.
pub(super) fn kept_command(first: &str, key: &str, ran: Ran<'_>) -> bool {
    ran.compiled
        && (is_program(first, ran.program)
            || (matches!(key, "command" | "args") && first.starts_with('-')))
}

/// Whether what replaces only CMD (Compose's `command`, Kubernetes' `args`) runs as it did:
/// arguments do when the kept ENTRYPOINT is the compiled program itself. Not a shell or a
/// path (`sh -c "…"`, `/bin/worker`): written as a command of its own, it shows a deploy
/// file that expects to replace what the image runs, whatever the image does with it.
pub(super) fn kept_arguments(first: &str, key: &str, ran: Ran<'_>) -> bool {
    let plain = !is_shell(first) && !first.contains('/');
    (ran.compiled && ran.entrypoint_is_program && plain) || kept_command(first, key, ran)
}

/// What a Kubernetes manifest runs in a container: an exec probe or hook other than the
/// application itself, or a `command` in place of the image's ENTRYPOINT.
fn manifest_runs(text: &str, ran: Ran<'_>, ours: &dyn Fn(&Value) -> bool) -> Option<String> {
    let program = ran.program;
    let docs: Vec<Value> = serde_saphyr::from_multiple(text).ok()?;
    for doc in &docs {
        let mut containers = Vec::new();
        collect_containers(doc, &mut containers);
        for container in containers.into_iter().filter(|c| ours(c)) {
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if let Some(first) = exec_program(container.get(probe))
                    && !is_program(&first, program)
                {
                    return Some(format!(
                        "the container's {probe} runs `{first}`, which the new image lacks"
                    ));
                }
            }
            if let Some(lifecycle) = container.get("lifecycle") {
                for hook in ["postStart", "preStop"] {
                    if let Some(first) = exec_program(lifecycle.get(hook))
                        && !is_program(&first, program)
                    {
                        return Some(format!(
                            "the container's {hook} hook runs `{first}`, which the new image lacks"
                        ));
                    }
                }
            }
            for key in ["command", "args"] {
                if let Some(first) = container
                    .get(key)
                    .and_then(Value::as_array)
                    .and_then(|c| c.first())
                    .and_then(Value::as_str)
                    && !(if key == "args" {
                        kept_arguments(first, key, ran)
                    } else {
                        kept_command(first, key, ran)
                    })
                {
                    return Some(format!(
                        "the container sets its own {key} (`{first} …`) in place of the image's, which the new image changes"
                    ));
                }
            }
        }
    }
    None
}

/// An exec handler that a Kustomize JSON 6902 patch adds (`op: add`, `value: {preStop:
/// {exec: …}}`), in a patch file or inline in a kustomization (`patch: |-`), which runs a
/// program other than `ran`'s.
fn kustomize_patch_runs(text: &str, ran: Ran<'_>) -> Option<String> {
    if !text.contains("op:") {
        return None;
    }
    let docs: Vec<Value> = serde_saphyr::from_multiple(text).ok()?;
    let mut found = None;
    for doc in &docs {
        values_probe(doc, ran, &mut found);
        // `patches: [{patch: "- op: add …"}]`: the patch is YAML in a string.
        let mut inline = Vec::new();
        collect_key(doc, "patch", &mut inline);
        for patch in inline.iter().filter_map(|p| p.as_str()) {
            if let Ok(inner) = serde_saphyr::from_str::<Value>(patch) {
                values_probe(&inner, ran, &mut found);
            }
        }
        if found.is_some() {
            break;
        }
    }
    found.map(|why| why.replacen("the chart gives", "a Kustomize patch gives", 1))
}

/// A volume a container of ours mounts writable that is root's on a pod without an
/// `fsGroup`: a PersistentVolumeClaim or a hostPath (an emptyDir is everyone's; a
/// ConfigMap's or Secret's is read-only). The root app may write there; the non-root user
/// it becomes could not.
fn manifest_root_volume(text: &str, ours: &dyn Fn(&Value) -> bool) -> Option<String> {
    let docs: Vec<Value> = serde_saphyr::from_multiple(text).ok()?;
    for doc in &docs {
        let mut groups = Vec::new();
        collect_key(doc, "fsGroup", &mut groups);
        if !groups.is_empty() {
            continue;
        }
        let mut volumes = Vec::new();
        collect_key(doc, "volumes", &mut volumes);
        let kind_of = |name: &str| {
            volumes
                .iter()
                .filter_map(|v| v.as_array())
                .flatten()
                .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
                .and_then(|v| {
                    ["persistentVolumeClaim", "hostPath"]
                        .into_iter()
                        .find(|kind| v.get(kind).is_some())
                })
        };
        let mut containers = Vec::new();
        collect_containers(doc, &mut containers);
        for container in containers.into_iter().filter(|c| ours(c)) {
            for mount in container
                .get("volumeMounts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let path = mount.get("mountPath").and_then(Value::as_str).unwrap_or("");
                let read_only = mount.get("readOnly").and_then(Value::as_bool) == Some(true);
                if read_only || path.starts_with("/tmp") {
                    continue;
                }
                if let Some(kind) = mount.get("name").and_then(Value::as_str).and_then(kind_of) {
                    return Some(format!(
                        "the container mounts a {kind} volume at `{path}` writable, on a pod with no `fsGroup`: the volume is root's, and the app may write there"
                    ));
                }
            }
        }
    }
    None
}

/// Every value under `key` in `value`, at any depth.
fn collect_key<'v>(value: &'v Value, key: &str, out: &mut Vec<&'v Value>) {
    match value {
        Value::Object(map) => {
            for (k, child) in map {
                if k == key {
                    out.push(child);
                }
                collect_key(child, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_key(i, key, out)),
        _ => {}
    }
}

/// The containers of a workload, wherever its kind nests them (`spec.containers`,
/// `spec.template.spec.containers`, a CronJob's `jobTemplate`), init containers included.
fn collect_containers<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if (key == "containers" || key == "initContainers")
                    && let Value::Array(items) = child
                {
                    out.extend(items.iter().filter(|c| c.is_object()));
                } else {
                    collect_containers(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_containers(v, out)),
        _ => {}
    }
}

/// The public images a pod runs beside the application, to wait for a database, to test
/// the service (`helm create`'s test pod: `image: busybox`, `command: ['wget']`) or as
/// services of their own (a database, a monitoring stack): never the image a project
/// builds, so their commands are theirs. A name ending in `/` is a publisher, any of whose
/// images counts.
const PUBLIC_UTILITIES: &[&str] = &[
    "busybox",
    "alpine",
    "ubuntu",
    "debian",
    "curlimages/curl",
    "appropriate/curl",
    "bitnami/",
    "rancher/kubectl",
    "nicolaka/netshoot",
    "groundnuty/k8s-wait-for",
    "postgres",
    "mysql",
    "mariadb",
    "redis",
    "mongo",
    "memcached",
    "rabbitmq",
    "elasticsearch",
    "zookeeper",
    "nginx",
    "traefik",
    "vault",
    "consul",
    "prom/",
    "grafana/",
    "hashicorp/",
    "confluentinc/",
    "jaegertracing/",
    "minio/",
    "quay.io/prometheus/",
    "docker.elastic.co/",
];

/// Whether an image (from Docker Hub, any tag) is one of [`PUBLIC_UTILITIES`].
fn is_public_utility(image: &str) -> bool {
    let repository = image_repository(image.trim_matches(['"', '\'']));
    let repository = repository.strip_prefix("library/").unwrap_or(&repository);
    PUBLIC_UTILITIES.iter().any(|u| {
        if u.ends_with('/') {
            repository.starts_with(u)
        } else {
            repository == *u
        }
    })
}

/// Whether a container runs one of [`PUBLIC_UTILITIES`].
fn public_utility(container: &Value) -> bool {
    container
        .get("image")
        .and_then(Value::as_str)
        .is_some_and(is_public_utility)
}

/// What a Helm chart's action stands for when read without values: the utility its
/// value is named after (`{{ .Values.postgres.image.repository }}` → `postgres`), else
/// a placeholder.
fn chart_placeholder(action: &str) -> String {
    action
        .split(|c: char| c == '.' || c.is_whitespace())
        .find(|word| !word.is_empty() && !word.contains('/') && is_public_utility(word))
        .unwrap_or("x")
        .to_string()
}

/// The program an exec handler (`exec.command`) runs.
fn exec_program(handler: Option<&Value>) -> Option<String> {
    handler?
        .get("exec")?
        .get("command")?
        .as_array()?
        .first()?
        .as_str()
        .map(str::to_string)
}

/// Whether `word` is the application's own program (by path or name), which the new image
/// keeps; a shell never is.
pub(super) fn is_program(word: &str, program: &str) -> bool {
    !is_shell(word)
        && !program.is_empty()
        && (word == program || basename(word) == basename(program))
}

/// Every Compose file and Kubernetes manifest read for this context, with its text: where
/// the image's paths are named from outside it (a volume mounted at `/root/data`).
pub(super) fn deploy_texts(read: ContextReader<'_>) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for folder in compose_folders(read) {
        for name in compose_files(read, &folder) {
            let file = format!("{folder}{name}");
            if let Some(text) = read(&file) {
                texts.push((file, text));
            }
        }
    }
    for up in [HERE, "../", "../../"] {
        texts.extend(manifest_files(read, up));
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_take_their_values_and_defaults() {
        let values: Value =
            serde_saphyr::from_str("pod:\n  port: 8443\n  empty: \"\"\nname: hook\n").unwrap();
        let text = "{{- if .Values.x }}\nargs:\n  - --a={{ default 443 .Values.pod.port }}\n  - --b={{ default 443 .Values.pod.empty }}\n  - --c={{ .Values.pod.missing | default 80 }}\n  - --d={{ .Values.name | quote }}\n  - --e={{ include \"x\" . }}\n";
        assert_eq!(
            with_template_values(text, &values),
            "args:\n  - --a=8443\n  - --b=443\n  - --c=80\n  - --d=hook\n  - --e=x\n"
        );
    }

    #[test]
    fn pod_ports_come_from_a_sole_container() {
        let one = "spec:\n  containers:\n    - image: a\n      args: [\"--port\", \"80\"]\n      ports:\n        - containerPort: 443\n";
        let ports: Vec<(u32, bool)> = manifest_low_ports(one)
            .into_iter()
            .map(|(p, _, declared)| (p, declared))
            .collect();
        assert_eq!(ports, vec![(80, false)]);
        let declared = one.replace("      args: [\"--port\", \"80\"]\n", "");
        assert_eq!(manifest_low_ports(&declared)[0].0, 443);
        let sidecar = "spec:\n  containers:\n    - image: a\n    - image: nginx\n      ports:\n        - containerPort: 80\n";
        assert!(manifest_low_ports(sidecar).is_empty());
    }
}
