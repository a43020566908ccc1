//! `--allow-version-change`: when no target image carries the application's runtime version
//! (Python 3.14, Node 20, Java 11), the images of that runtime move to the nearest version
//! one does carry (a newer one first), so that what the build installs is made for the
//! target's runtime. Only tags that start with the version move (`python:3.14-slim` →
//! `python:3.13-slim`, or the default of the ARG that `python:${PYTHON_VERSION}-slim`
//! names); a digest, a version elsewhere in the tag, or a variable that another line uses
//! too leaves the rewrite declined. The user asked for it, and the plan warns with both
//! versions.
//!
//! A move up declines where the context shows a removal in use: a module the sources
//! import, a flag the Dockerfile passes, or a package the project names that imports a
//! removed module (`pydub` → `audioop`). A move down (Python 3.14 → 3.13) needs the
//! project to declare that it runs on the older version (`requires-python`, `engines.node`):
//! code written for the newer one may use a module, a syntax or a function the older lacks,
//! and no reading of it rules that out. A move up declines where a package is pinned to a
//! release that may not install or run on the newer version ([`pinned_for_old`]).

use crate::analysis::catalogue::TargetFamily;
use crate::analysis::model::Model;
use crate::analysis::stages::Base;

use super::Edit;

/// The edits that move the runtime of the final stage's image to the nearest version a
/// target of `family` carries, and the sentence saying so; `None` when there is none, or
/// when a tag cannot be moved.
pub(super) fn change(
    model: &Model<'_>,
    family: TargetFamily,
) -> Option<(Vec<Edit>, String, String, String)> {
    let stage = model.final_stage()?;
    let runtime = model.facts(stage.index)?.runtime.clone()?;
    let current = runtime.version.clone()?;
    let catalogue = model.catalogue;
    let offered: Vec<String> = catalogue
        .targets()
        .filter(|t| t.family == family)
        .filter_map(|t| catalogue.lookup(&t.image)?.runtime)
        .filter(|r| r.name == runtime.name)
        .filter_map(|r| r.version)
        .collect();
    let number = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let now = number(&current);
    let newer = offered
        .iter()
        .filter(|v| number(v) > now)
        .min_by_key(|v| number(v));
    let older = offered
        .iter()
        .filter(|v| number(v) < now)
        .max_by_key(|v| number(v));
    let chosen = newer.or(older)?.clone();
    // Not across a break the language itself made: Python 2 → 3 is another language, and
    // Java 9 removed the Java EE modules (JAXB, JAX-WS) that Java 8 applications load.
    let to = number(&chosen);
    let breaks = match runtime.name.as_str() {
        "python" => to.first() != now.first(),
        "java" => {
            now.first().is_some_and(|&v| v < 9 || v == 1) && to.first().is_some_and(|&v| v >= 9)
        }
        _ => false,
    };
    if breaks {
        return None;
    }
    let mut edits = Vec::new();
    let mut moved = Vec::new();
    let final_repository = model.root_image(stage.index).map(|i| i.repository.clone());
    for other in &model.stages.stages {
        let Base::Image(image) = &other.base else {
            continue;
        };
        let theirs = catalogue
            .lookup(image)
            .and_then(|facts| facts.runtime)
            .filter(|r| r.name == runtime.name);
        // The runtime's own image under a tag the catalogue cannot read (`node:iron`)
        // is of a version not known either.
        let Some(theirs) = theirs.or_else(|| {
            (Some(&image.repository) == final_repository.as_ref()).then(|| {
                crate::analysis::catalogue::Runtime {
                    name: runtime.name.clone(),
                    version: None,
                }
            })
        }) else {
            continue;
        };
        // A stage of the same runtime whose version its tag does not say (`node:iron`,
        // `node:lts`, `python:3`) may be the one that built the native modules: moving
        // only the others would mix two versions.
        let version = theirs.version.as_deref()?;
        if version != current {
            continue;
        }
        let word = other.image_word?;
        let tag = image.tag.as_deref()?;
        if image.digest.is_some() {
            return None;
        }
        if word.text.contains('$') {
            // `ARG PYTHON_VERSION=3.12` then `FROM python:${PYTHON_VERSION}-slim` (`docker
            // init`'s template): the ARG's default moves.
            let (edit, shown) = arg_version_edit(model, word, &now, &chosen)?;
            moved.push(shown);
            edits.push(edit);
            continue;
        }
        let written = tag.split(['-', '_']).next().unwrap_or(tag);
        if number(written)[..now.len().min(number(written).len())] != now[..] {
            return None;
        }
        // A release the tag names that the new version was never published on
        // (`python:3.10-slim-buster` → no `3.13-slim-buster`): Debian before bookworm,
        // Alpine before 3.20 (the newest versions date from 2024 on).
        let old_release = tag.split('-').any(|part| {
            matches!(part, "jessie" | "stretch" | "buster" | "bullseye")
                || part
                    .strip_prefix("alpine3.")
                    .is_some_and(|minor| minor.parse::<u32>().is_ok_and(|m| m < 20))
        });
        if old_release {
            return None;
        }
        let new_tag = format!("{chosen}{}", &tag[written.len()..]);
        let new_word = format!("{}:{new_tag}", word.text.rsplit_once(':')?.0);
        moved.push(format!("`{}` → `{new_word}`", word.text));
        edits.push(Edit::replace(word.span, new_word));
    }
    if edits.is_empty() {
        return None;
    }
    Some((
        edits,
        format!(
            "no image carries {} {current}, so the build moves to {} {chosen} ({}); check that the application runs on {chosen}",
            runtime.name,
            runtime.name,
            moved.join(", ")
        ),
        runtime.name.clone(),
        chosen,
    ))
}

/// The edit of a global ARG's default that moves the version of an image named through
/// it (`FROM python:${PYTHON_VERSION}-slim`), and how the plan shows it: only when the tag
/// starts with that one variable, its default (unquoted) starts with the version `now`, and
/// no other line of the file uses the variable (another FROM, a RUN), which would move too.
fn arg_version_edit(
    model: &Model<'_>,
    word: &crate::syntax::Word,
    now: &[u64],
    chosen: &str,
) -> Option<(Edit, String)> {
    let (_, tag) = word.text.rsplit_once(':')?;
    let name = match tag.strip_prefix("${") {
        Some(rest) => rest.split_once('}')?.0,
        None => tag
            .strip_prefix('$')?
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()?,
    };
    if name.is_empty() || name.contains([':', '-']) {
        return None;
    }
    let first_from = model
        .tree
        .instructions()
        .position(|i| i.keyword == crate::syntax::Keyword::From)?;
    let default = model
        .tree
        .instructions()
        .take(first_from)
        .filter_map(|i| match &i.args {
            crate::syntax::Args::ArgDecls { decls } => Some(decls),
            _ => None,
        })
        .flatten()
        .filter(|d| d.name.text == name)
        .last()?
        .default
        .as_ref()?;
    if default.span.slice(model.src) != default.text {
        return None;
    }
    let number = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let version = default
        .text
        .split(['-', '_'])
        .next()
        .unwrap_or(&default.text);
    let numbers = number(version);
    if numbers.len() < now.len() || numbers[..now.len()] != *now {
        return None;
    }
    let uses = model
        .tree
        .instructions()
        .filter(|i| {
            let text = i.line_span.slice(model.src);
            text.contains(&format!("${name}")) || text.contains(&format!("${{{name}"))
        })
        .count();
    if uses != 1 {
        return None;
    }
    let new = format!("{chosen}{}", &default.text[version.len()..]);
    Some((
        Edit::replace(default.span, new.clone()),
        format!("`ARG {name}={}` → `{name}={new}`", default.text),
    ))
}

/// The final stage's runtime version when `chosen` is older than it: a move down.
pub(super) fn moves_down(model: &Model<'_>, chosen: &str) -> Option<String> {
    let stage = model.final_stage()?;
    let current = model.facts(stage.index)?.runtime.clone()?.version?;
    let number = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    (number(chosen) < number(&current)).then_some(current)
}

/// What the build context or the Dockerfile `src` uses that a version after the final
/// stage's, up to `to`, removed (`toolchains.removals`): a Python module the sources import
/// (`import imp`), a flag the Dockerfile passes (`--experimental-specifier-resolution`),
/// or a syntax in a JavaScript import line (`assert {type: "json"}`); with where it is.
pub(super) fn removed_in_use(
    model: &Model<'_>,
    runtime: &str,
    to: &str,
    read: Option<crate::ecosystems::ContextReader<'_>>,
) -> Option<String> {
    let stage = model.final_stage()?;
    let from = model.facts(stage.index)?.runtime.clone()?.version?;
    let removals = model.catalogue.removals_between(runtime, &from, to);
    for removal in &removals {
        if let Some(flag) = removal
            .flags
            .iter()
            .find(|f| model.src.contains(f.as_str()))
        {
            return Some(format!(
                "the Dockerfile passes `{flag}`, which {runtime} {} removed",
                removal.version
            ));
        }
    }
    let read = read?;
    if let Some(found) = removed_module_users(read, &removals, model.src) {
        return Some(found);
    }
    let extensions: &[&str] = match runtime {
        "python" => &[".py"],
        "node" => &[".js", ".mjs", ".cjs", ".ts", ".mts"],
        _ => return None,
    };
    let descend = |name: &str| {
        !matches!(
            name.trim_end_matches('/'),
            "node_modules" | "venv" | ".venv" | "site-packages" | "__pycache__" | ".git" | "dist"
        )
    };
    let is_source = |name: &str| extensions.iter().any(|ext| name.ends_with(ext));
    let mut found = None;
    crate::ecosystems::compiled::walk(
        read,
        vec![String::new()],
        descend,
        is_source,
        |path, code, _| {
            for line in code.lines() {
                let line = line.trim_start();
                let used = removals.iter().find_map(|removal| {
                    let module = removal
                        .modules
                        .iter()
                        .find(|m| imports_module(line, m))
                        .map(|m| format!("imports `{m}`"));
                    let text = (line.starts_with("import ") || line.starts_with("export "))
                        .then(|| removal.text.iter().find(|t| line.contains(t.as_str())))
                        .flatten()
                        .map(|t| format!("uses `{t}`"));
                    module.or(text).map(|what| (what, &removal.version))
                });
                if let Some((what, version)) = used {
                    found = Some(format!("{path} {what}, which {runtime} {version} removed"));
                    return true;
                }
            }
            false
        },
    );
    found
}

/// The files a Python project names its dependencies in, at the context's root.
const DEPENDENCY_FILES: &[&str] = &[
    "requirements.txt",
    "requirements-prod.txt",
    "requirements/base.txt",
    "requirements/prod.txt",
    "requirements/production.txt",
    "pyproject.toml",
    "Pipfile",
    "setup.py",
    "setup.cfg",
];

/// A package the project depends on that imports a module of `removals`
/// (`pydub` → `audioop`), unless a backport of the module is named too (`audioop-lts`,
/// `standard-audioop`); with the file that names it.
fn removed_module_users(
    read: crate::ecosystems::ContextReader<'_>,
    removals: &[&crate::analysis::catalogue::Removal],
    dockerfile: &str,
) -> Option<String> {
    let texts = dependency_texts(read, dockerfile);
    let names = |text: &str, name: &str| {
        let name = name.to_ascii_lowercase();
        text.match_indices(&name).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            let edge = |c: Option<char>| {
                c.is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            };
            edge(before) && edge(after)
        })
    };
    removals.iter().find_map(|removal| {
        removal.packages.iter().find_map(|package| {
            let backported = [
                format!("{}-lts", package.module),
                format!("standard-{}", package.module),
            ];
            let (file, text) = texts.iter().find(|(_, text)| names(text, &package.name))?;
            // A release from the one that stopped importing the module on.
            if let Some(fixed) = &package.fixed_in
                && requires_at_least(text, &package.name, fixed)
            {
                return None;
            }
            if texts
                .iter()
                .any(|(_, text)| backported.iter().any(|b| names(text, b)))
            {
                return None;
            }
            Some(format!(
                "{file} names `{}`, which imports `{}`, which {} {} removed",
                package.name, package.module, removal.runtime, removal.version
            ))
        })
    })
}

/// Whether every release the requirement on `name` in `text` (lowercased) allows is
/// `version` or later: a bare name (pip installs the newest), `==`, `~=`, `>=`, `>` or
/// Poetry's `^`/`~` with a version from `version` on, and no upper bound below it.
fn requires_at_least(text: &str, name: &str, version: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let number = |v: &str| -> Vec<u64> { v.split('.').map_while(|p| p.parse().ok()).collect() };
    let Some(line) = text.lines().find(|line| {
        let line = line.trim_start().trim_start_matches(['"', '\'']);
        line.strip_prefix(name.as_str()).is_some_and(|rest| {
            !rest.starts_with(|c: char| {
                c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'
            })
        })
    }) else {
        return false;
    };
    let line = line.trim_start().trim_start_matches(['"', '\'']);
    let mut spec = line[name.len()..].trim_start();
    if spec.starts_with('[') {
        spec = spec.split_once(']').map_or("", |(_, r)| r);
    }
    // Poetry's `name = "^20.7"`; then the specifier up to a marker or the line's end.
    let spec = spec
        .trim_start_matches([' ', '=', '"', '\''])
        .split([';', '#'])
        .next()
        .unwrap_or("");
    let spec = spec.trim().trim_end_matches(['"', '\'', ',']);
    if spec.is_empty() {
        return true;
    }
    if spec.contains('<') || spec.contains("!=") {
        return false;
    }
    let digits = spec.trim_start_matches(['=', '~', '>', '^', ' ']);
    let found = number(digits);
    !found.is_empty() && found >= number(version)
}

/// The texts of the files a Python project names its dependencies in, lowercased and
/// without comments: the usual files, those the Dockerfile installs (`pip install -r
/// requirements.in`), and those they include (`-r base.txt`), one level down.
fn dependency_texts(
    read: crate::ecosystems::ContextReader<'_>,
    dockerfile: &str,
) -> Vec<(String, String)> {
    let mut names: Vec<String> = DEPENDENCY_FILES.iter().map(|f| f.to_string()).collect();
    names.extend(requirement_includes(dockerfile, ""));
    let mut texts: Vec<(String, String)> = Vec::new();
    for round in 0..2 {
        let mut included = Vec::new();
        for file in &names {
            if texts.iter().any(|(f, _)| f == file) {
                continue;
            }
            let Some(text) = read(&format!("./{file}")) else {
                continue;
            };
            let text: String = text
                .lines()
                .filter(|line| !line.trim_start().starts_with('#'))
                .map(|line| format!("{}\n", line.to_ascii_lowercase()))
                .collect();
            if round == 0 {
                let folder = file.rsplit_once('/').map_or("", |(d, _)| d);
                included.extend(requirement_includes(&text, folder));
            }
            texts.push((file.clone(), text));
        }
        names = included;
    }
    texts
}

/// The lock files of Python's package managers: each pins every package.
const PYTHON_LOCK_FILES: &[&str] = &["Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock"];

/// A package pinned to a release chosen for the version the build moves up from, which may
/// not install or run on the newer one:
/// - a package with compiled code (`python.compiled_packages`: `numpy==2.0.0` has no wheel
///   for 3.13, and the slim images have no compiler to build one);
/// - any package, across a version whose removal says `pins` (3.12: `gunicorn==20.1.0`
///   imports setuptools' `pkg_resources`, which the images no longer install).
///
/// Read in the `pip install` lines of the Dockerfile, its dependency files and lock files;
/// dependencies that cannot be read (no build context, a requirements file it lacks) count
/// as pinned. `>=` and bare names let pip choose a release made for the new version.
/// Python only: what npm installs does not depend on Node's version this way.
pub(super) fn pinned_for_old(
    model: &Model<'_>,
    runtime: &str,
    to: &str,
    read: Option<crate::ecosystems::ContextReader<'_>>,
) -> Option<String> {
    if runtime != "python" {
        return None;
    }
    let stage = model.final_stage()?;
    let from = model.facts(stage.index)?.runtime.clone()?.version?;
    let crossing = model
        .catalogue
        .removals_between(runtime, &from, to)
        .into_iter()
        .find(|r| r.pins)
        .map(|r| r.version.clone());
    let blocks = |name: &str| crossing.is_some() || model.catalogue.python_compiled_package(name);
    let why = |name: &str| match &crossing {
        Some(version) if !model.catalogue.python_compiled_package(name) => format!(
            "it was chosen on {runtime} {from}, and a package may import what {version} took out of the image (distutils, or setuptools' pkg_resources, no longer installed)"
        ),
        _ => format!(
            "a release pinned for {runtime} {from} may publish no wheel for {to}, and the slim image has no compiler to build one"
        ),
    };
    let src = model.src;
    let installs = |line: &str| {
        [
            "pip install",
            "pip3 install",
            "pipenv install",
            "poetry install",
            "uv sync",
            "uv pip install",
            "pdm install",
        ]
        .iter()
        .any(|c| line.contains(c))
    };
    // A `pip install flask==2.0.1` of the Dockerfile itself.
    for line in src.lines().filter(|line| installs(line)) {
        if let Some(name) = line
            .split_whitespace()
            .filter_map(pinned_name)
            .find(|n| blocks(n))
        {
            return Some(format!("the Dockerfile pins `{name}`: {}", why(name)));
        }
    }
    if !src.lines().any(installs) {
        return None;
    }
    let Some(read) = read else {
        return Some("what it installs cannot be read without the build context, and a pinned package may not install or run on the newer version".to_string());
    };
    if let Some(missing) = requirement_includes(src, "")
        .into_iter()
        .find(|f| read(&format!("./{f}")).is_none())
    {
        return Some(format!(
            "the Dockerfile installs from {missing}, which the build context does not hold, so what it pins is not known"
        ));
    }
    for lock in PYTHON_LOCK_FILES {
        let Some(text) = read(&format!("./{lock}")) else {
            continue;
        };
        let text = text.to_ascii_lowercase();
        // `name = "numpy"` (Poetry, uv, PDM), `"numpy": {` (Pipfile.lock).
        let locked = |name: &str| {
            let name = name.to_ascii_lowercase();
            text.contains(&format!("name = \"{name}\""))
                || text.contains(&format!("\"{name}\": {{"))
        };
        if crossing.is_some() {
            return Some(format!("{lock} pins every package: {}", why("")));
        }
        if let Some(name) = model.catalogue.python_compiled_names().find(|n| locked(n)) {
            return Some(format!("{lock} pins `{name}`: {}", why(name)));
        }
    }
    dependency_texts(read, src)
        .into_iter()
        .find_map(|(file, text)| {
            let (name, line) = text.lines().find_map(|line| {
                let name = pinned_name(line.split(';').next().unwrap_or(line))?;
                blocks(name).then_some((name.to_string(), line))
            })?;
            Some(format!("{file} pins `{}`: {}", line.trim(), why(&name)))
        })
}

/// The package a requirement pins to one release (`numpy==2.0.0`, `uvicorn[standard]~=0.30`,
/// Pipfile's `numpy = "==2.0.0"`, pyproject's `"numpy==2.0.0",`); not the interpreter's own
/// (`requires-python`, a marker's `python_version`).
fn pinned_name(line: &str) -> Option<&str> {
    let at = line.find("==").or_else(|| line.find("~="))?;
    let mut before = line[..at].trim_end_matches([' ', '\t', '"', '\'', '=']);
    if before.ends_with(']') {
        before = &before[..before.rfind('[')?];
    }
    let start = crate::ecosystems::ports::word_start(before, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
    });
    let name = &before[start..];
    let interpreter = matches!(
        name,
        "python" | "requires-python" | "python_requires" | "python_version" | "python_full_version"
    );
    (!name.is_empty() && !interpreter).then_some(name)
}

/// The requirement files `text` names with `-r`/`--requirement` (pip's options, in a
/// requirements file or a Dockerfile's `pip install`), relative to `folder`.
fn requirement_includes(text: &str, folder: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let file = match *word {
            "-r" | "--requirement" => words.get(i + 1).copied(),
            other => other.strip_prefix("--requirement=").or_else(|| {
                other
                    .strip_prefix("-r")
                    .filter(|rest| !rest.is_empty() && !rest.starts_with('-'))
            }),
        };
        if let Some(file) = file {
            let file = file.trim_matches(['"', '\'']).trim_start_matches("./");
            if !file.contains('$') && !file.starts_with('/') {
                out.push(if folder.is_empty() {
                    file.to_string()
                } else {
                    format!("{folder}/{file}")
                });
            }
        }
    }
    out
}

/// Whether a Python line imports the top-level module `module` (`import imp`,
/// `import distutils.util`, `from cgi import escape`, `import os, pipes`).
fn imports_module(line: &str, module: &str) -> bool {
    let top = |name: &str| name.split('.').next() == Some(module);
    if let Some(rest) = line.strip_prefix("import ") {
        rest.split(',')
            .filter_map(|item| item.split_whitespace().next())
            .any(top)
    } else if let Some(rest) = line.strip_prefix("from ") {
        rest.split_whitespace().next().is_some_and(top)
    } else {
        false
    }
}

/// The versions of `runtime` the project in the build context says it runs on, and the
/// file that says so: package.json's `engines.node`, `.nvmrc`, pyproject.toml's
/// `requires-python` or Poetry's `python`, `.python-version`. A build on another version
/// fails (`npm ci` with engine-strict, `poetry install`) or runs what the project excludes.
/// Read with `./`, whatever `.dockerignore` says: what the project declares holds either way.
pub(super) fn declared(
    read: &dyn Fn(&str) -> Option<String>,
    runtime: &str,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match runtime {
        "node" => {
            if let Some(range) = read("./package.json")
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| v.get("engines")?.get("node")?.as_str().map(str::to_string))
            {
                out.push(("package.json `engines.node`".to_string(), range));
            }
            if let Some(version) = read("./.nvmrc") {
                let version = version.trim().trim_start_matches('v').to_string();
                out.push((".nvmrc".to_string(), version));
            }
        }
        "python" => {
            if let Some(text) = read("./pyproject.toml") {
                let mut section = String::new();
                for line in text.lines() {
                    let line = line.trim();
                    if line.starts_with('[') {
                        section = line.to_string();
                        continue;
                    }
                    let Some((key, value)) = line.split_once('=') else {
                        continue;
                    };
                    let value = value.trim().trim_matches(['"', '\'']).to_string();
                    match (section.as_str(), key.trim()) {
                        ("[project]", "requires-python") => {
                            out.push(("pyproject.toml `requires-python`".to_string(), value));
                        }
                        ("[tool.poetry.dependencies]", "python") => {
                            out.push((
                                "pyproject.toml `tool.poetry.dependencies.python`".to_string(),
                                value,
                            ));
                        }
                        _ => {}
                    }
                }
            }
            if let Some(version) = read("./.python-version") {
                out.push((".python-version".to_string(), version.trim().to_string()));
            }
        }
        _ => {}
    }
    out
}

/// Whether every version of the series `version` (`22`, `3.13`) satisfies `range`, as npm,
/// PEP 440 and Poetry write ranges: comparators (`>=20 <21`, `>=3.11,<3.12`), `||`,
/// `^`, `~`, `~=`, `20.x`, `3.11.*`, a bare version. What cannot be read, or a bound finer
/// than the series (`<3.13.2` for 3.13), is not satisfied: the rewrite then declines.
pub(super) fn satisfies(range: &str, version: &str) -> bool {
    let series: Vec<u64> = match version.split('.').map(|p| p.parse().ok()).collect() {
        Some(v) => v,
        None => return false,
    };
    range.split("||").any(|alternative| {
        let comparators: Vec<&str> = alternative
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        !comparators.is_empty() && comparators.iter().all(|c| comparator(c, &series))
    })
}

fn comparator(text: &str, series: &[u64]) -> bool {
    let (op, rest) = ["~=", ">=", "<=", "==", "!=", ">", "<", "=", "^", "~"]
        .iter()
        .find_map(|op| text.strip_prefix(op).map(|r| (*op, r.trim())))
        .unwrap_or(("", text));
    let rest = rest.trim_start_matches('v');
    let parts: Vec<&str> = rest.split('.').collect();
    let wildcard = parts.iter().position(|p| matches!(*p, "x" | "X" | "*"));
    let fixed = &parts[..wildcard.unwrap_or(parts.len())];
    let Some(mut bound): Option<Vec<u64>> = fixed.iter().map(|p| p.parse().ok()).collect() else {
        return false;
    };
    // `>=18.0.0` is `>=18`: zeros finer than the series say nothing more.
    while bound.len() > series.len() && bound.last() == Some(&0) {
        bound.pop();
    }
    if bound.is_empty() || bound.len() > series.len() {
        // `*`, or a bound finer than the series: which patch release is not known.
        return op.is_empty() && bound.is_empty();
    }
    let head = &series[..bound.len()];
    match op {
        "" | "=" | "==" => head == bound.as_slice(),
        "!=" => head != bound.as_slice(),
        ">=" => head >= bound.as_slice(),
        ">" => head > bound.as_slice(),
        "<=" => head <= bound.as_slice(),
        "<" => head < bound.as_slice(),
        // Same major (npm, Poetry).
        "^" => series[0] == bound[0] && head >= bound.as_slice(),
        // `~X.Y`: same minor; `~=X.Y` (PEP 440): same major, at least X.Y.
        "~" => {
            let keep = if bound.len() > 1 { 2 } else { 1 };
            series.len() >= keep && series[..keep] == bound[..keep] && head >= bound.as_slice()
        }
        "~=" => bound.len() > 1 && series[0] == bound[0] && head >= bound.as_slice(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{requires_at_least, satisfies};

    #[test]
    fn requirements_from_a_fixed_release_on() {
        let at_least = |text: &str| requires_at_least(text, "python-telegram-bot", "20.0");
        assert!(at_least("python-telegram-bot==20.7\n"));
        assert!(at_least("python-telegram-bot[job-queue]>=21.0\n"));
        assert!(at_least("python-telegram-bot\n"));
        assert!(at_least("python-telegram-bot = \"^20.7\"\n"));
        assert!(at_least("  \"python-telegram-bot>=20.0\",\n"));
        assert!(!at_least("python-telegram-bot==13.15\n"));
        assert!(!at_least("python-telegram-bot>=13,<20\n"));
        assert!(!at_least("python-telegram-bot~=13.7\n"));
    }

    #[test]
    fn ranges_as_projects_write_them() {
        assert!(satisfies(">=18", "22"));
        assert!(!satisfies(">=20 <21", "22"));
        assert!(satisfies("^22.0.0", "22"));
        assert!(satisfies(">=18.0.0", "22"));
        assert!(!satisfies("^22.3.0", "22")); // a bound finer than the series
        assert!(satisfies("20.x || 22.x", "22"));
        assert!(satisfies(">=3.11", "3.13"));
        assert!(!satisfies(">=3.11,<3.12", "3.13"));
        assert!(satisfies("^3.11", "3.13"));
        assert!(!satisfies("~3.11", "3.13"));
        assert!(satisfies("3.13", "3.13"));
        assert!(!satisfies("3.12", "3.13"));
        assert!(satisfies(">=3.9,<4", "3.13"));
        assert!(!satisfies("<3.13.2", "3.13"));
        assert!(!satisfies("lts/*", "22"));
    }
}
