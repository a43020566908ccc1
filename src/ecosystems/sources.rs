//! The application's own source files, read from the build context: the entry file and the
//! local modules it loads, and what that code does that a distroless image cannot serve
//! (run another program or a shell). An entry file that imports a helper
//! (`from backup import make_tarball`, `require('./lib/disk')`) runs the helper's code as
//! its own, so a check of the entry file alone would miss it. Only files the build context
//! holds are followed: installed packages are not read. A shallow text reading, like the
//! checks it feeds, it can only make a rewrite decline.

use std::collections::{BTreeSet, VecDeque};

use crate::analysis::env::normalize_path;

/// The most files one walk reads: more than a service's own modules, and a bound on the
/// time a monorepo's import graph could take.
const MAX_FILES: usize = 400;

/// The language of an entry file [`program_call`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Python,
    JavaScript,
}

/// The first call in `code` that runs another program or a shell: Node's `child_process`
/// (`exec` always goes through `/bin/sh`; `spawn` and `execFile` run programs by name;
/// `fork` runs node itself and is left alone), `execa`, `shelljs` and the [`NODE_RUNNERS`];
/// Python's `subprocess` (imported by name too), `os.system`/`popen`/`exec*`/`spawn*`/
/// `posix_spawn`, asyncio's subprocesses, `shutil.which` and the [`PYTHON_RUNNERS`]. A
/// shallow text match: it can only make a rewrite decline.
pub fn program_call(code: &str, language: Language) -> Option<&'static str> {
    match language {
        Language::JavaScript => {
            let child_process = code.contains("child_process")
                && [
                    "exec(",
                    "execSync(",
                    "spawn(",
                    "spawnSync(",
                    "execFile(",
                    "execFileSync(",
                ]
                .iter()
                .any(|call| code.contains(call));
            if child_process {
                return Some("child_process");
            }
            ["execa", "shelljs"]
                .into_iter()
                .find(|m| code.contains(m))
                .or_else(|| {
                    NODE_RUNNERS
                        .iter()
                        .find(|m| {
                            ['\'', '"'].iter().any(|q| {
                                code.contains(&format!("{q}{m}{q}"))
                                    || code.contains(&format!("{q}{m}/"))
                            })
                        })
                        .copied()
                })
        }
        Language::Python => {
            let imports_subprocess = code.lines().any(|line| {
                let line = line.trim_start();
                (line.starts_with("import ") || line.starts_with("from "))
                    && line
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|w| w == "subprocess")
            });
            // `__import__('subprocess')`, `importlib.import_module("subprocess")`.
            if imports_subprocess
                || code.contains("'subprocess'")
                || code.contains("\"subprocess\"")
            {
                return Some("subprocess");
            }
            if let Some(library) = code.lines().find_map(|line| {
                imported_modules(line.trim_start())
                    .into_iter()
                    .find_map(|m| PYTHON_RUNNERS.iter().find(|r| **r == m).copied())
            }) {
                return Some(library);
            }
            if let Some(call) = os_program_import(code) {
                return Some(call);
            }
            [
                "os.system(",
                "os.popen(",
                "os.exec",
                "os.spawn",
                "os.posix_spawn",
                "pty.spawn(",
                "create_subprocess_",
                "shutil.which(",
                // spaCy's model download runs pip (`spacy.cli.download`).
                "spacy.cli",
                "from spacy.cli import",
            ]
            .into_iter()
            .find(|m| code.contains(m))
        }
    }
}

/// `os`'s functions that run another program, by the prefix of their names.
const OS_PROGRAM_CALLS: &[(&str, &str)] = &[
    ("system", "os.system("),
    ("popen", "os.popen("),
    ("exec", "os.exec"),
    ("spawn", "os.spawn"),
    ("posix_spawn", "os.posix_spawn"),
];

/// A call of `os` that runs a program, reached another way than `os.<name>(`: imported by
/// name (`from os import popen`, also in parentheses over several lines) or through an
/// alias (`import os as o`, then `o.system(`).
fn os_program_import(code: &str) -> Option<&'static str> {
    let names_call = |name: &str| {
        OS_PROGRAM_CALLS
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix))
            .map(|(_, call)| *call)
    };
    let mut lines = code.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if let Some(names) = line.strip_prefix("from os import") {
            let mut names = names.to_string();
            // `from os import (\n    popen,\n)`.
            if names.contains('(') && !names.contains(')') {
                for next in lines.by_ref() {
                    names.push_str(next);
                    if next.contains(')') {
                        break;
                    }
                }
            }
            // `from os import *` brings every name: a bare `system(` is `os.system(`.
            if names.trim() == "*" {
                let called = OS_PROGRAM_CALLS
                    .iter()
                    .find(|(prefix, _)| calls_bare(code, prefix));
                if let Some((_, call)) = called {
                    return Some(call);
                }
            }
            let found = names
                .split([',', '(', ')', '\\'])
                .filter_map(|item| item.split_whitespace().next())
                .find_map(names_call);
            if found.is_some() {
                return found;
            }
        }
        let alias = line
            .strip_prefix("import os as ")
            .and_then(|rest| rest.split([',', ' ', '#']).next())
            .filter(|alias| !alias.is_empty());
        if let Some(alias) = alias {
            let called = OS_PROGRAM_CALLS
                .iter()
                .find(|(prefix, _)| code.contains(&format!("{alias}.{prefix}")));
            if let Some((_, call)) = called {
                return Some(call);
            }
        }
    }
    None
}

/// A call of a function whose name starts with `prefix`, not as a method or a part of
/// another name (`system(`, `execvp(`; not `self.system(` or `filesystem(`).
fn calls_bare(code: &str, prefix: &str) -> bool {
    code.match_indices(prefix).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let rest = &code[at..];
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && rest[name_end..].starts_with('(')
    })
}

/// npm packages whose work is running other programs, matched as an import's quoted name:
/// zx, cross-spawn, simple-git (git), check-disk-space (`df`), systeminformation (`lscpu`,
/// `df` and more), node-cmd, tree-kill (`ps`), node-pty (a shell), node-os-utils (`df`,
/// `uname`, `who` through a shell), node-disk-info (`df`), os-utils (`free`, `df`), ps-list
/// and find-process (`ps`); gm, imagemagick and easyimage (ImageMagick's `convert`,
/// `identify`: the full `node:N` images carry them, from buildpack-deps), pdf2pic (gm and
/// Ghostscript), fluent-ffmpeg (`ffmpeg`), node-tesseract-ocr (`tesseract`),
/// libreoffice-convert (`soffice`), pdf-poppler and node-poppler (poppler's tools),
/// wkhtmltopdf.
const NODE_RUNNERS: &[&str] = &[
    "gm",
    "imagemagick",
    "easyimage",
    "pdf2pic",
    "fluent-ffmpeg",
    "node-tesseract-ocr",
    "libreoffice-convert",
    "pdf-poppler",
    "node-poppler",
    "wkhtmltopdf",
    "node-os-utils",
    "node-disk-info",
    "os-utils",
    "ps-list",
    "find-process",
    "zx",
    "cross-spawn",
    "simple-git",
    "check-disk-space",
    "systeminformation",
    "node-cmd",
    "tree-kill",
    "node-pty",
];

/// Python libraries whose work is running other programs: `sh` (`sh.df("-h")`), plumbum,
/// pexpect, sarge, delegator, envoy, invoke and fabric (`run()` goes through bash);
/// oscrypto, which finds libcrypto at import with `ctypes.util.find_library`, which runs
/// `ldconfig -p` (or `gcc`, `ld`): none is in a distroless image, so the import fails.
/// Wand loads ImageMagick's library the same way (the full `python:3.N` images carry it);
/// pdf2image runs poppler's `pdftoppm`, pytesseract `tesseract`, ffmpeg-python (`ffmpeg`)
/// and pydub `ffmpeg`, pdfkit and imgkit `wkhtmltopdf`/`wkhtmltoimage`.
const PYTHON_RUNNERS: &[&str] = &[
    "wand",
    "pdf2image",
    "pytesseract",
    "ffmpeg",
    "pydub",
    "pdfkit",
    "imgkit",
    "oscrypto",
    "sh",
    "plumbum",
    "pexpect",
    "sarge",
    "delegator",
    "envoy",
    "invoke",
    "fabric",
];

/// The top-level packages a Python line imports (`import a.b, c as d` → a, c;
/// `from a.b import c` → a; relative imports → none).
fn imported_modules(line: &str) -> Vec<&str> {
    if let Some(rest) = line.strip_prefix("import ") {
        rest.split(',')
            .filter_map(|item| item.split_whitespace().next())
            .filter_map(|name| name.split('.').next())
            .collect()
    } else if let Some(rest) = line.strip_prefix("from ")
        && let Some((module, _)) = rest.split_once(" import ")
        && !module.trim().starts_with('.')
    {
        module.trim().split('.').next().into_iter().collect()
    } else {
        Vec::new()
    }
}

/// The first of `entry` and the local modules it loads, transitively, whose code passes
/// `test`, with what `test` found: `(path in the image, found)`. `read` gives a file's text
/// by its path in the image (None when the build context does not hold it). `roots` are the
/// folders Python looks in for an absolute import (`sys.path`: the script's folder, or the
/// working folder for `-m` and servers; and PYTHONPATH).
pub fn find_in_sources<T>(
    entry: &str,
    language: Language,
    roots: &[String],
    read: &dyn Fn(&str) -> Option<String>,
    test: impl FnMut(&str) -> Option<T>,
) -> Option<(String, T)> {
    find_in_sources_aliased(entry, language, roots, &[], read, test)
}

/// [`find_in_sources`], where JavaScript's non-relative imports that start with one of
/// `aliases`' prefixes load from its folder (tsconfig's `paths`: `@src/util/run` →
/// `/app/src/util/run`; see [`js_path_aliases`]).
pub fn find_in_sources_aliased<T>(
    entry: &str,
    language: Language,
    roots: &[String],
    aliases: &[(String, String)],
    read: &dyn Fn(&str) -> Option<String>,
    mut test: impl FnMut(&str) -> Option<T>,
) -> Option<(String, T)> {
    let mut seen = BTreeSet::from([entry.to_string()]);
    let mut queue = VecDeque::from([entry.to_string()]);
    while let Some(path) = queue.pop_front() {
        let Some(code) = read(&path) else { continue };
        if let Some(found) = test(&code) {
            return Some((path, found));
        }
        let imports = match language {
            Language::Python => python_imports(&path, &code, roots),
            Language::JavaScript => node_imports(&path, &code, aliases),
        };
        for next in imports {
            if seen.len() >= MAX_FILES {
                break;
            }
            if seen.insert(next.clone()) {
                queue.push_back(next);
            }
        }
    }
    None
}

/// The files a Python module's imports may load, as paths in the image: for
/// `import a.b` each package on the way (`a/__init__.py`, `a/b.py` …) under each root;
/// for `from .x import y` the sibling `x.py` and, since `y` may be a submodule, `x/y.py`.
/// Indented imports (inside functions) count too: they run when the function does.
fn python_imports(path: &str, code: &str, roots: &[String]) -> Vec<String> {
    let dir = parent(path);
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.trim_start();
        // `importlib.import_module("pkg.jobs")` with a literal name loads it as `import`.
        if let Some(at) = line.find("import_module(")
            && let Some(name) = line[at + "import_module(".len()..]
                .trim_start()
                .strip_prefix(['"', '\''])
                .and_then(|rest| rest.split(['"', '\'']).next())
            && is_dotted_name(name)
        {
            module_files(name, roots, &mut out);
        }
        if let Some(rest) = line.strip_prefix("import ") {
            for item in rest.split(',') {
                let name = item.split_whitespace().next().unwrap_or("");
                if is_dotted_name(name) {
                    module_files(name, roots, &mut out);
                }
            }
        } else if let Some(rest) = line.strip_prefix("from ")
            && let Some((module, names)) = rest.split_once(" import ")
        {
            let module = module.trim();
            let dots = module.chars().take_while(|c| *c == '.').count();
            let name = &module[dots..];
            if !name.is_empty() && !is_dotted_name(name) {
                continue;
            }
            let bases = if dots > 0 {
                let mut base = dir.clone();
                for _ in 1..dots {
                    base = parent(&base);
                }
                vec![base]
            } else {
                roots.to_vec()
            };
            let names: Vec<&str> = names
                .trim()
                .trim_start_matches('(')
                .split(',')
                .filter_map(|n| n.split_whitespace().next())
                .filter(|n| is_dotted_name(n) && !n.contains('.'))
                .collect();
            for base in bases {
                let mut package = base.trim_end_matches('/').to_string();
                for part in name.split('.').filter(|p| !p.is_empty()) {
                    package = format!("{package}/{part}");
                    out.push(format!("{package}.py"));
                    out.push(format!("{package}/__init__.py"));
                }
                for n in &names {
                    out.push(format!("{package}/{n}.py"));
                    out.push(format!("{package}/{n}/__init__.py"));
                }
            }
        }
    }
    out
}

/// The files a JavaScript module's relative imports may load, as paths in the image:
/// `require('./x')`, `import … from './x'`, `import './x'`, `import('./x')`,
/// `export … from './x'` and a worker thread's `new Worker('./x.js')`, each tried as written, with node's extensions, and as a folder's
/// `index`. Package imports (`require('express')`) are not followed.
fn node_imports(path: &str, code: &str, aliases: &[(String, String)]) -> Vec<String> {
    let dir = parent(path);
    let mut out = Vec::new();
    for (at, quote) in code.char_indices() {
        if !matches!(quote, '\'' | '"' | '`') {
            continue;
        }
        let rest = &code[at + 1..];
        // An alias (`@src/util/run`) stands for its folders; a relative path for the file's.
        let aliased: Vec<&(String, String)> = aliases
            .iter()
            .filter(|(prefix, _)| rest.starts_with(prefix.as_str()))
            .collect();
        if !(rest.starts_with("./") || rest.starts_with("../") || !aliased.is_empty()) {
            continue;
        }
        let before = code[..at].trim_end();
        if !["require(", "import(", "from", "import", "Worker("]
            .iter()
            .any(|t| before.ends_with(t))
        {
            continue;
        }
        let Some(end) = rest.find(quote) else {
            continue;
        };
        let spec = &rest[..end];
        if spec.contains('\n') {
            continue;
        }
        let files: Vec<String> = if aliased.is_empty() {
            vec![normalize_path(&format!(
                "{}/{spec}",
                dir.trim_end_matches('/')
            ))]
        } else {
            aliased
                .iter()
                .map(|(prefix, target)| {
                    // `src/*` or `./src/util/*.js`: the rest of the import takes the `*`.
                    let rest = spec.get(prefix.len()..).unwrap_or_default();
                    match target.contains('*') {
                        true => normalize_path(&target.replacen('*', rest, 1)),
                        false => {
                            normalize_path(&format!("{}/{rest}", target.trim_end_matches('/')))
                        }
                    }
                })
                .collect()
        };
        for file in files {
            out.push(file.clone());
            for ext in ["js", "cjs", "mjs", "ts"] {
                out.push(format!("{file}.{ext}"));
                out.push(format!("{file}/index.{ext}"));
            }
        }
    }
    out
}

/// The path aliases of a TypeScript or JavaScript project whose config file (tsconfig.json,
/// jsconfig.json) is at `config` in the image: each `compilerOptions.paths` key's prefix
/// (`@src/` of `@src/*`, or the whole key) with the path its first target names (its `*`
/// kept, for the rest of the import to take), from
/// `baseUrl` (else the file's folder). Comments and trailing commas, which tsconfig allows,
/// are dropped before it is read as JSON; a file that still does not parse gives none.
pub fn js_path_aliases(config: &str, text: &str) -> Vec<(String, String)> {
    let stripped: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    // A comma whose next non-blank character closes the object or list.
    let mut clean = String::with_capacity(stripped.len());
    for (at, c) in stripped.char_indices() {
        let closes = stripped[at + 1..].trim_start().starts_with(['}', ']']);
        if !(c == ',' && closes) {
            clean.push(c);
        }
    }
    let stripped = clean;
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&stripped) else {
        return Vec::new();
    };
    let Some(options) = json.get("compilerOptions") else {
        return Vec::new();
    };
    let base = options
        .get("baseUrl")
        .and_then(|b| b.as_str())
        .unwrap_or(".");
    let base = normalize_path(&format!("{}/{base}", parent(config).trim_end_matches('/')));
    let Some(paths) = options.get("paths").and_then(|p| p.as_object()) else {
        return Vec::new();
    };
    paths
        .iter()
        .filter_map(|(key, targets)| {
            let target = targets.as_array()?.first()?.as_str()?;
            let prefix = key.trim_end_matches('*');
            (!prefix.is_empty()).then(|| {
                (
                    prefix.to_string(),
                    normalize_path(&format!("{}/{target}", base.trim_end_matches('/'))),
                )
            })
        })
        .collect()
}

/// The subpath imports of a package whose package.json is at `manifest` in the image
/// (`"imports": {"#src/*": "./src/*"}`, Node's own aliases): each key's prefix with the
/// path its target names (its `*` kept); a conditional target (`{"node": …, "default": …}`) gives each
/// of its paths.
pub fn js_subpath_imports(manifest: &str, text: &str) -> Vec<(String, String)> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(imports) = json.get("imports").and_then(|i| i.as_object()) else {
        return Vec::new();
    };
    let base = parent(manifest);
    let mut out = Vec::new();
    for (key, target) in imports {
        let targets: Vec<&str> = match target {
            serde_json::Value::String(t) => vec![t.as_str()],
            serde_json::Value::Object(map) => map.values().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        let prefix = key.trim_end_matches('*');
        for target in targets.into_iter().filter(|t| t.starts_with("./")) {
            out.push((
                prefix.to_string(),
                normalize_path(&format!("{}/{target}", base.trim_end_matches('/'))),
            ));
        }
    }
    out
}

/// The files `import a.b` may load under each root: each package on the way
/// (`a/__init__.py`, `a/b.py` …).
fn module_files(name: &str, roots: &[String], out: &mut Vec<String>) {
    for root in roots {
        let mut module = root.trim_end_matches('/').to_string();
        for part in name.split('.') {
            module = format!("{module}/{part}");
            out.push(format!("{module}.py"));
            out.push(format!("{module}/__init__.py"));
        }
    }
}

fn is_dotted_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// The folder holding `path` (`/` for a file in `/`).
pub(crate) fn parent(path: &str) -> String {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(p, c)| ((*p).to_string(), (*c).to_string()))
            .collect()
    }

    fn found(
        entry: &str,
        language: Language,
        roots: &[&str],
        tree: &BTreeMap<String, String>,
    ) -> Option<(String, &'static str)> {
        let roots: Vec<String> = roots.iter().map(|r| (*r).to_string()).collect();
        find_in_sources(entry, language, &roots, &|p| tree.get(p).cloned(), |code| {
            program_call(code, language)
        })
    }

    #[test]
    fn python_helper_imported_by_the_entry_file_is_read() {
        let tree = files(&[
            (
                "/app/main.py",
                "from backup import make_tarball\nimport app\n",
            ),
            ("/app/app.py", "from flask import Flask\n"),
            ("/app/backup.py", "import subprocess\n"),
        ]);
        assert_eq!(
            found("/app/main.py", Language::Python, &["/app"], &tree),
            Some(("/app/backup.py".to_string(), "subprocess"))
        );
    }

    #[test]
    fn python_packages_relative_imports_and_imports_inside_functions() {
        let tree = files(&[
            (
                "/srv/run.py",
                "def main():\n    from svc.jobs import nightly\n",
            ),
            ("/srv/svc/__init__.py", ""),
            ("/srv/svc/jobs/__init__.py", "from . import nightly\n"),
            ("/srv/svc/jobs/nightly.py", "from ..util import sh\n"),
            ("/srv/svc/util.py", "import os\nos.system('tar czf x .')\n"),
        ]);
        assert_eq!(
            found("/srv/run.py", Language::Python, &["/srv"], &tree),
            Some(("/srv/svc/util.py".to_string(), "os.system("))
        );
    }

    #[test]
    fn python_os_calls_imported_by_name_or_alias() {
        let call = |code| program_call(code, Language::Python);
        assert_eq!(
            call("from os import popen\npopen('df -h /')\n"),
            Some("os.popen(")
        );
        assert_eq!(call("from os import path, system\n"), Some("os.system("));
        assert_eq!(
            call("from os import (\n    environ,\n    execvp,\n)\n"),
            Some("os.exec")
        );
        assert_eq!(call("import os as o\no.system('ls')\n"), Some("os.system("));
        assert_eq!(call("from os import path, environ\n"), None);
        assert_eq!(call("import os as o\no.getenv('X')\n"), None);
        // Every name of `os`, so its bare calls.
        assert_eq!(
            call("from os import *\nsystem('convert a b')\n"),
            Some("os.system(")
        );
        assert_eq!(
            call("from os import *\nfilesystem(x)\nself.system(y)\n"),
            None
        );
    }

    #[test]
    fn python_without_program_calls_or_outside_the_roots_is_clean() {
        let tree = files(&[
            ("/app/main.py", "import helpers\nfrom flask import Flask\n"),
            ("/app/helpers.py", "def f():\n    return 1\n"),
            // Not on sys.path of /app/main.py: never imported.
            ("/lib/helpers.py", "import subprocess\n"),
        ]);
        assert_eq!(
            found("/app/main.py", Language::Python, &["/app"], &tree),
            None
        );
    }

    #[test]
    fn node_relative_requires_and_imports_are_followed() {
        let tree = files(&[
            (
                "/app/server.js",
                "const disk = require('./lib/disk');\nconst express = require('express');\n",
            ),
            (
                "/app/lib/disk.js",
                "export { free } from '../util/index.mjs'\n",
            ),
            (
                "/app/util/index.mjs",
                "import { execSync } from 'node:child_process';\nexecSync('df -h');\n",
            ),
        ]);
        assert_eq!(
            found("/app/server.js", Language::JavaScript, &[], &tree),
            Some(("/app/util/index.mjs".to_string(), "child_process"))
        );
        let folder = files(&[
            ("/app/server.js", "import('./jobs').then(j => j.run())\n"),
            (
                "/app/jobs/index.js",
                "const { spawn } = require('child_process'); spawn('ls')\n",
            ),
        ]);
        assert_eq!(
            found("/app/server.js", Language::JavaScript, &[], &folder),
            Some(("/app/jobs/index.js".to_string(), "child_process"))
        );
    }

    #[test]
    fn tsconfig_path_aliases_are_followed() {
        let config = "{\n  // comments are allowed\n  \"compilerOptions\": {\"baseUrl\": \"./\", \"paths\": {\"@src/*\": [\"src/*\"], \"@config\": [\"src/config.ts\"],},\n}\n}";
        let aliases = js_path_aliases("/app/tsconfig.json", config);
        assert_eq!(
            aliases,
            [
                ("@config".to_string(), "/app/src/config.ts".to_string()),
                ("@src/".to_string(), "/app/src/*".to_string()),
            ]
        );
        let tree = files(&[
            ("/app/src/main.ts", "import { run } from '@src/util/run';\n"),
            (
                "/app/src/util/run.ts",
                "const { execSync } = require('child_process');\nexecSync('ls');\n",
            ),
        ]);
        let found = find_in_sources_aliased(
            "/app/src/main.ts",
            Language::JavaScript,
            &[],
            &aliases,
            &|p| tree.get(p).cloned(),
            |code| program_call(code, Language::JavaScript),
        );
        assert_eq!(
            found,
            Some(("/app/src/util/run.ts".to_string(), "child_process"))
        );
        // Without the aliases, the package-like import is not followed.
        assert_eq!(found_without_aliases(&tree), None);
    }

    #[test]
    fn package_json_subpath_imports_are_aliases() {
        let manifest = r##"{"name": "x", "imports": {"#src/*": "./src/*", "#db": {"node": "./lib/db.js", "default": "./lib/db-browser.js"}, "#dep": "some-package"}}"##;
        assert_eq!(
            js_subpath_imports("/app/package.json", manifest),
            [
                ("#db".to_string(), "/app/lib/db-browser.js".to_string()),
                ("#db".to_string(), "/app/lib/db.js".to_string()),
                ("#src/".to_string(), "/app/src/*".to_string()),
            ]
        );
    }

    fn found_without_aliases(tree: &BTreeMap<String, String>) -> Option<(String, &'static str)> {
        found("/app/src/main.ts", Language::JavaScript, &[], tree)
    }

    #[test]
    fn node_strings_that_are_not_imports_are_not_followed() {
        let tree = files(&[
            ("/app/server.js", "app.use(express.static('./public'));\n"),
            ("/app/public", "require('child_process').exec('x')"),
        ]);
        assert_eq!(
            found("/app/server.js", Language::JavaScript, &[], &tree),
            None
        );
    }

    #[test]
    fn libraries_that_run_programs() {
        for (code, call) in [
            ("import sh\nprint(sh.df('-h'))\n", "sh"),
            ("from plumbum import local\n", "plumbum"),
            ("sp = __import__('subprocess')\n", "subprocess"),
            (
                "m = importlib.import_module(\"subprocess\")\n",
                "subprocess",
            ),
        ] {
            assert_eq!(program_call(code, Language::Python), Some(call), "{code}");
        }
        for code in [
            "from . import sh\n",
            "import shutil\nshutil.copy('a', 'b')\n",
            "from shapes import sh\n",
        ] {
            assert_eq!(program_call(code, Language::Python), None, "{code}");
        }
        for (code, call) in [
            ("import { $ } from 'zx'\n", "zx"),
            ("import 'zx/globals'\n", "zx"),
            ("const git = require(\"simple-git\")\n", "simple-git"),
            (
                "import checkDiskSpace from 'check-disk-space'\n",
                "check-disk-space",
            ),
        ] {
            assert_eq!(
                program_call(code, Language::JavaScript),
                Some(call),
                "{code}"
            );
        }
        assert_eq!(
            program_call(
                "const git = require('isomorphic-git')\n",
                Language::JavaScript
            ),
            None
        );
    }

    #[test]
    fn modules_loaded_by_name_and_worker_threads() {
        let python = files(&[
            (
                "/app/main.py",
                "import importlib\njobs = importlib.import_module('svc.jobs')\n",
            ),
            ("/app/svc/jobs.py", "import subprocess\n"),
        ]);
        assert_eq!(
            found("/app/main.py", Language::Python, &["/app"], &python),
            Some(("/app/svc/jobs.py".to_string(), "subprocess"))
        );
        let node = files(&[
            ("/app/server.js", "const w = new Worker('./worker.js');\n"),
            (
                "/app/worker.js",
                "require('child_process').execSync('convert a b')\n",
            ),
        ]);
        assert_eq!(
            found("/app/server.js", Language::JavaScript, &[], &node),
            Some(("/app/worker.js".to_string(), "child_process"))
        );
    }

    #[test]
    fn the_walk_stops_at_cycles() {
        let tree = files(&[
            ("/app/a.js", "require('./b')\n"),
            ("/app/b.js", "require('./a')\n"),
        ]);
        assert_eq!(found("/app/a.js", Language::JavaScript, &[], &tree), None);
    }
}
