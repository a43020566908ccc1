//! Files the final stage holds that a new slim stage would leave behind.
//!
//! When the rewrite appends a stage, the new image has only what it copies: the
//! application's paths. Every `COPY`/`ADD` of the final stage (and of the stages it is built
//! on) must therefore land inside one of those paths, or be a build input: a file of the
//! build context copied into a folder where the build runs (`COPY . .` before `go build`).
//! Anything else — a config file in `/etc/app`, packages copied to `/usr/local`, assets from
//! another stage — would be missing, so the rewrite must decline and name it.
//!
//! The same holds for what RUN commands write where the new stage does not look: a folder
//! made with `mkdir`, a file fetched with `curl -o`, a tree unpacked with `tar -C`. Only the
//! commands known to write a named path are read; package managers are left to the library
//! check.

use crate::analysis::env::{State, normalize_path};
use crate::analysis::model::Model;
use crate::analysis::shell;
use crate::ecosystems::start::{copy_operands, covers};
use crate::syntax::{Args, Instruction, Keyword};

/// A file or folder the new stage would not have, and the instruction that put it there.
#[derive(Clone, Debug)]
pub struct Leftover<'t> {
    pub instruction: &'t Instruction,
    /// Where it lands, or the destination as written when it cannot be resolved.
    pub dest: String,
}

/// Folders that hold build configuration, not application files: apt's sources and the
/// build tools' own files in root's home (`/root/.m2`, `/root/.npmrc`). Not the rest of
/// `/root`: an app run as root reads its settings there (`~/.streamlit/config.toml`,
/// `~/.aws/credentials`).
const BUILD_CONFIG_DIRS: &[&str] = &[
    "/etc/apt",
    "/root/.m2",
    "/root/.gradle",
    "/root/.npm",
    "/root/.npmrc",
    "/root/.yarnrc",
    "/root/.yarnrc.yml",
    "/root/.yarn",
    "/root/.pnpm-store",
    "/root/.cargo",
    "/root/.rustup",
    "/root/.nuget",
    "/root/.ssh",
    "/root/.gitconfig",
    "/root/.config/git",
    "/root/.pip",
    "/root/.config/pip",
    "/root/.pypirc",
    // pip's and go's caches, not `/root/.cache` itself: models a build downloads there
    // (`~/.cache/huggingface`) are read at run time.
    "/root/.cache/pip",
    "/root/.cache/go-build",
    "/root/.gnupg",
    "/root/.docker",
    "/root/.bashrc",
    "/root/.profile",
    "/root/.bash_profile",
    "/root/.wget-hsts",
];

/// Folders whose contents a build leaves behind on purpose: scratch space, caches, logs.
const SCRATCH_DIRS: &[&str] = &[
    "/tmp",
    "/var/tmp",
    "/var/cache",
    "/var/lib/apt",
    "/var/log",
    "/usr/share/doc",
    "/usr/share/man",
    "/dev",
    "/proc",
];

/// The first COPY/ADD of `stage`'s chain whose files the new stage would not have, given
/// the paths it copies.
pub fn first_leftover<'t>(
    model: &Model<'t>,
    stage: usize,
    copied: &[(String, String)],
) -> Option<Leftover<'t>> {
    let (_, chain) = model.stages.root_base(stage);
    // Oldest stage first: a build folder counts for the COPYs before it.
    let chain: Vec<usize> = chain.into_iter().rev().collect();
    let mut instructions = Vec::new();
    let mut stage_of = Vec::new();
    for &index in &chain {
        let states = model.states(index);
        for (i, instruction) in model.stages.stages[index].instructions.iter().enumerate() {
            instructions.push((*instruction, states.before[i].clone()));
            stage_of.push(index);
        }
    }
    for (at, (instruction, state)) in instructions.iter().enumerate() {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let leftover = |dest: String| Leftover { instruction, dest };
        let Some((dest, sources)) = copy_operands(instruction, state, model.tree.escape) else {
            return Some(leftover(written_dest(instruction)));
        };
        let Some(dest) = state.resolve_path(&dest) else {
            return Some(leftover(dest));
        };
        if copied.iter().any(|(path, _)| covers(path, &dest)) {
            continue;
        }
        if prefix_install_copied(model, stage_of[at], instruction, &sources, &dest, copied) {
            continue;
        }
        // Files copied into `/` one by one, each of which the new stage copies too.
        let landed = |source: &String| {
            let name = source
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            format!("{}/{name}", dest.trim_end_matches('/'))
        };
        if dest == "/"
            && !sources.is_empty()
            && sources
                .iter()
                .all(|s| copied.iter().any(|(path, _)| *path == landed(s)))
        {
            continue;
        }
        if BUILD_CONFIG_DIRS.iter().any(|dir| covers(dir, &dest)) {
            continue;
        }
        let from_context = instruction.flag("from").is_none() && instruction.heredocs.is_empty();
        let build_dirs = build_dirs(&instructions[at..]);
        let is_build_input = from_context
            && build_dirs
                .iter()
                .any(|dir| dir != "/" && dest != "/" && (covers(dir, &dest) || covers(&dest, dir)));
        if !is_build_input && (!from_context || !pip_input(&instructions[at..], &dest)) {
            return Some(leftover(dest));
        }
    }
    None
}

/// Whether `dest` is a requirements or constraints file that a later RUN hands to pip
/// (`-r /tmp/requirements.txt`, as Fly.io's Python template copies it): an input of the
/// install, which the application does not read.
fn pip_input(instructions: &[(&Instruction, State)], dest: &str) -> bool {
    let name = dest.rsplit('/').next().unwrap_or("");
    let named = (name.starts_with("requirements") || name.starts_with("constraints"))
        && name.ends_with(".txt");
    named
        && instructions.iter().any(|(instruction, _)| {
            let Args::Shell { text } = &instruction.args else {
                return false;
            };
            instruction.keyword == Keyword::Run
                && text
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|pair| {
                        matches!(pair[0], "-r" | "--requirement" | "-c" | "--constraint")
                            && pair[1] == dest
                    })
        })
}

/// Whether `copy` brings a `pip install --prefix SRC` from another stage
/// (`COPY --from=build /install /usr/local`) whose site-packages the new stage copies where
/// they landed. The rest of such a prefix is console scripts (`bin/`), whose shebang names
/// the build image's interpreter and which a distroless image could not run anyway.
fn prefix_install_copied(
    model: &Model<'_>,
    stage: usize,
    copy: &Instruction,
    sources: &[String],
    dest: &str,
    copied: &[(String, String)],
) -> bool {
    let Some(from) = copy.flag("from").and_then(|f| f.value.as_deref()) else {
        return false;
    };
    let crate::analysis::stages::Base::Stage(source_stage) =
        model.stages.resolve_from_flag(from, stage)
    else {
        return false;
    };
    let [source] = sources else {
        return false;
    };
    let source = normalize_path(&format!("/{}", source.trim_start_matches('/')));
    let build = crate::ecosystems::build::stage_build(model, source_stage, None);
    let under = |root: &str| format!("{}/lib/python", root.trim_end_matches('/'));
    build.artifacts.iter().any(|a| {
        a.kind == crate::ecosystems::ArtifactKind::PythonPackages
            && a.path.starts_with(&under(&source))
    }) && copied
        .iter()
        .any(|(path, _)| path.starts_with(&under(dest)))
}

/// The COPYs of `stage`'s chain that put build-context files where the build runs (`COPY .
/// /go/src/app` before `go install`) and that `copied` does not cover: their sources as
/// written (expanded) and their destination made absolute. The original final image held
/// those files beside the program, which may read them (`-config config.yaml`,
/// `templates/`), so a new stage that replaces it copies them again from the context (not
/// from the build stage, whose folder also holds the build's outputs).
/// An `ADD` of `stage`'s chain that fetches a URL or a git repository, or unpacks a local
/// archive: what it put in the image is not the context's file, so a COPY of the context
/// cannot bring it again.
pub fn unpacking_add<'t>(model: &Model<'t>, stage: usize) -> Option<&'t Instruction> {
    let (_, chain) = model.stages.root_base(stage);
    chain.into_iter().rev().find_map(|index| {
        let states = model.states(index);
        model.stages.stages[index]
            .instructions
            .iter()
            .enumerate()
            .find(|(i, instruction)| {
                instruction.keyword == Keyword::Add
                    && instruction.flag("from").is_none()
                    && copy_operands(instruction, &states.before[*i], model.tree.escape).is_none_or(
                        |(_, sources)| {
                            sources.iter().any(|source| {
                                let lower = source.to_ascii_lowercase();
                                lower.contains("://")
                                    || lower.starts_with("git@")
                                    || [
                                        ".tar", ".tgz", ".tbz", ".tbz2", ".txz", ".gz", ".bz2",
                                        ".xz", ".zst", ".lz", ".lzma",
                                    ]
                                    .iter()
                                    .any(|suffix| lower.ends_with(suffix))
                            })
                        },
                    )
            })
            .map(|(_, instruction)| *instruction)
    })
}

pub fn context_inputs(
    model: &Model<'_>,
    stage: usize,
    copied: &[(String, String)],
) -> Vec<(Vec<String>, String)> {
    let (_, chain) = model.stages.root_base(stage);
    let mut out = Vec::new();
    // The folders the stage has made so far (a WORKDIR, `RUN mkdir -p /app/templates`, an
    // earlier COPY's destination): `COPY page.html /app/templates` copies into one of them,
    // and into nothing of the new stage's unless it says so with a `/`.
    let mut folders: Vec<String> = Vec::new();
    for index in chain.into_iter().rev() {
        let states = model.states(index);
        for (i, instruction) in model.stages.stages[index].instructions.iter().enumerate() {
            if let Some(workdir) = states.before[i].workdir.as_deref() {
                folders.push(workdir.to_string());
            }
            if instruction.keyword == Keyword::Run {
                let text = instruction.line_span.slice(model.src);
                if text.contains("mkdir") {
                    folders.extend(
                        text.split_whitespace()
                            .filter(|w| !w.starts_with('-') && *w != "mkdir")
                            .filter_map(|w| {
                                states.before[i].resolve_path(w.trim_matches(['"', '\'', ';', '&']))
                            }),
                    );
                }
            }
            if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
                || instruction.flag("from").is_some()
                || !instruction.heredocs.is_empty()
            {
                continue;
            }
            let state = &states.before[i];
            let Some((written, sources)) = copy_operands(instruction, state, model.tree.escape)
            else {
                continue;
            };
            let Some(dest) = state.resolve_path(&written) else {
                continue;
            };
            if dest == "/"
                || BUILD_CONFIG_DIRS.iter().any(|dir| covers(dir, &dest))
                || copied.iter().any(|(path, _)| covers(path, &dest))
            {
                continue;
            }
            // Into a folder, as the original did: `COPY a b ./`, `COPY . .`.
            let into_folder = written.ends_with('/')
                || matches!(written.as_str(), "." | "..")
                || sources.len() > 1
                || folders.iter().any(|folder| covers(&dest, folder));
            let dest = if into_folder && dest != "/" {
                format!("{}/", dest.trim_end_matches('/'))
            } else {
                dest
            };
            match dest.strip_suffix('/') {
                Some(folder) => folders.push(folder.to_string()),
                None => folders.push(crate::ecosystems::sources::parent(&dest)),
            }
            out.push((sources, dest));
        }
    }
    // `COPY go.mod ./` before `COPY . .`: the whole context is copied again anyway.
    let whole: Vec<String> = out
        .iter()
        .filter(|(sources, _)| sources.iter().any(|s| matches!(s.as_str(), "." | "./")))
        .map(|(_, dest)| dest.clone())
        .collect();
    let mut kept = Vec::new();
    for (i, (sources, dest)) in out.iter().enumerate() {
        let is_whole = sources.iter().any(|s| matches!(s.as_str(), "." | "./"));
        let covered_later = out[i + 1..].iter().any(|(_, later)| {
            whole.contains(later) && covers(later.trim_end_matches('/'), dest.trim_end_matches('/'))
        });
        if is_whole || !covered_later {
            kept.push((sources.clone(), dest.clone()));
        }
    }
    kept
}

/// The first path a RUN of `stage`'s chain writes that the new stage would not have: not
/// inside a copied path, not a folder above one, not a folder the build runs in.
pub fn first_run_leftover<'t>(
    model: &Model<'t>,
    stage: usize,
    copied: &[(String, String)],
) -> Option<Leftover<'t>> {
    let (_, chain) = model.stages.root_base(stage);
    let mut instructions = Vec::new();
    for index in chain.into_iter().rev() {
        let states = model.states(index);
        for (i, instruction) in model.stages.stages[index].instructions.iter().enumerate() {
            instructions.push((*instruction, states.before[i].clone()));
        }
    }
    let build_dirs = build_dirs(&instructions);
    // A folder made under /tmp that the environment names for the app
    // (`PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus`, `UPLOAD_FOLDER=/tmp/uploads`) is one it
    // expects to find, not scratch space of the build.
    let end = &model.states(stage).end;
    let named = |path: &str| {
        end.env.iter().any(|(_, value)| {
            value.is_some_and(|v| v.starts_with('/') && (covers(path, v) || covers(v, path)))
        })
    };
    // `ln -snf /usr/share/zoneinfo/$TZ /etc/localtime` beside `ENV TZ=…`: the new stage
    // keeps TZ, which glibc, Go, the JVM, Node and Python read before /etc/localtime, and
    // the target carries the zone files.
    let tz_set = end.value("TZ").is_some_and(|tz| !tz.is_empty());
    let kept = |path: &str| {
        (tz_set && matches!(path, "/etc/localtime" | "/etc/timezone"))
            || copied
                .iter()
                .any(|(c, _)| covers(c, path) || covers(path, c))
            || build_dirs
                .iter()
                .any(|d| d != "/" && (covers(d, path) || covers(path, d)))
            || SCRATCH_DIRS
                .iter()
                .chain(BUILD_CONFIG_DIRS)
                .any(|d| covers(d, path) && !(matches!(*d, "/tmp" | "/var/tmp") && named(path)))
    };
    for (instruction, state) in &instructions {
        let Args::Shell { text } = &instruction.args else {
            continue;
        };
        if instruction.keyword != Keyword::Run {
            continue;
        }
        for command in shell::commands(&text.text).unwrap_or_default() {
            for dest in written_paths(&command, state) {
                match dest {
                    Some(path) if kept(&path) => {}
                    Some(path) => {
                        return Some(Leftover {
                            instruction,
                            dest: path,
                        });
                    }
                    None => {
                        return Some(Leftover {
                            instruction,
                            dest: "a path not known statically".to_string(),
                        });
                    }
                }
            }
        }
    }
    None
}

/// Programs whose run leaves nothing in the folder it works in that the program being
/// built would read at run time: compilers (their outputs are what the new stage copies
/// from the build stage), package managers (their files go to the system folders the
/// library check reads) and shell bookkeeping.
const LEAVES_NO_APP_FILES: &[&str] = &[
    "go",
    "cargo",
    "rustc",
    "rustup",
    "gcc",
    "g++",
    "cc",
    "c++",
    "clang",
    "clang++",
    "ld",
    "strip",
    "upx",
    "make",
    "cmake",
    "ninja",
    "meson",
    "configure",
    "apt-get",
    "apt",
    "apk",
    "dnf",
    "yum",
    "microdnf",
    "rm",
    "true",
    "set",
    "export",
    "chmod",
    "chown",
    "ls",
    "pwd",
    "test",
    "[",
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
];

/// The first RUN of `stage`'s chain that may write into one of `folders`, which the new
/// stage fills again from the build context (a single-stage native build: `COPY . .`,
/// `go build`, then `-config config.yaml`): a config the build generates (`./server
/// -gen-config > config.json`, `cp config.example.yaml config.yaml`), a front end it builds
/// (`npm run build` in `web/`) or a data folder it makes (`mkdir -p /app/data`) would be
/// missing. A program not known to leave nothing counts when it works inside one of the
/// folders or names a path there.
pub fn first_run_into<'t>(
    model: &Model<'t>,
    stage: usize,
    folders: &[String],
) -> Option<Leftover<'t>> {
    let folders: Vec<&str> = folders.iter().map(|f| f.trim_end_matches('/')).collect();
    let inside = |path: &str| folders.iter().any(|f| !f.is_empty() && covers(f, path));
    for (instruction, text, state) in chain_runs(model, stage) {
        let Some(commands) = shell::commands(text) else {
            return Some(Leftover {
                instruction,
                dest: folders.join(", "),
            });
        };
        for command in commands {
            let Some(program) = command.program_name() else {
                continue;
            };
            let (args, cwd) = arguments_and_cwd(&command, &state);
            let resolved = |arg: &str| -> Option<String> {
                if arg.starts_with('/') {
                    Some(normalize_path(arg))
                } else {
                    Some(normalize_path(&format!("{}/{arg}", cwd.as_deref()?)))
                }
            };
            // A command whose destination its arguments name (`cp`, `mkdir`, `curl -o`)
            // counts by that: `mkdir -p /app` makes the folder itself, which the new
            // stage has too.
            let known = written_paths(&command, &state);
            if !known.is_empty() {
                let into = known.iter().any(|path| {
                    path.as_deref()
                        .is_none_or(|p| inside(p) && !folders.contains(&p.trim_end_matches('/')))
                });
                if into {
                    return Some(Leftover {
                        instruction,
                        dest: folders.join(", "),
                    });
                }
                continue;
            }
            let runs_a_compiler = matches!(program.as_str(), "go" | "cargo")
                && args.first().is_none_or(|a| a.as_deref() != Some("run"));
            if runs_a_compiler
                || (LEAVES_NO_APP_FILES.contains(&program.as_str())
                    && !matches!(program.as_str(), "go" | "cargo"))
            {
                continue;
            }
            let works_inside = cwd.as_deref().is_none_or(inside);
            let names_inside = args.iter().any(|a| {
                a.as_deref()
                    .is_none_or(|a| resolved(a).is_some_and(|p| inside(&p)))
            });
            if works_inside || names_inside {
                return Some(Leftover {
                    instruction,
                    dest: folders.join(", "),
                });
            }
        }
    }
    None
}

/// Packages that install a program an application may run itself (GitPython runs `git`,
/// python-gnupg `gpg`, python-magic loads `file`'s libmagic, a subprocess calls `node` or
/// `ssh`), with the programs they install. The library check counts them as build tools.
/// Not `openssl`: Prisma's engines, the usual reason to install it in a Node image, find
/// libssl by reading the library folders, which the target has.
const PROGRAM_PACKAGES: &[(&str, &[&str])] = &[
    ("git", &["git"]),
    ("curl", &["curl"]),
    ("wget", &["wget"]),
    ("gnupg", &["gpg", "gpg-agent"]),
    ("gpg", &["gpg"]),
    ("file", &["file"]),
    (
        "openssh-client",
        &["ssh", "scp", "sftp", "ssh-keyscan", "ssh-keygen"],
    ),
    ("nodejs", &["node", "npm", "npx"]),
    ("npm", &["npm", "npx"]),
    ("yarn", &["yarn"]),
    ("jq", &["jq"]),
    ("unzip", &["unzip"]),
    ("xz-utils", &["xz"]),
    ("gettext", &["envsubst", "gettext", "msgfmt"]),
    ("mercurial", &["hg"]),
    ("bzr", &["bzr"]),
];

/// The first package of `stage`'s chain that installs a program (PROGRAM_PACKAGES) which no
/// later RUN, nor the command or HEALTHCHECK (`words`: their words), is seen to run: then
/// it was installed for the application, which the new image would leave without it. A
/// use while building (`git clone`, `curl -o`, `pip install git+https://…`) says it was
/// a build tool.
pub fn first_unused_program<'t>(
    model: &Model<'t>,
    stage: usize,
    words: &[String],
) -> Option<(&'t Instruction, &'static str)> {
    let build = crate::ecosystems::build::stage_build(model, stage, None);
    let (_, chain) = model.stages.root_base(stage);
    let runs: Vec<&Instruction> = chain
        .into_iter()
        .rev()
        .flat_map(|index| model.stages.stages[index].instructions.iter().copied())
        .filter(|i| i.keyword == Keyword::Run)
        .collect();
    for install in &build.packages {
        let Some((package, programs)) = PROGRAM_PACKAGES
            .iter()
            .find(|(name, _)| *name == install.package)
        else {
            continue;
        };
        let named = |word: &str| {
            let word = word.trim_matches(|c: char| "\"'();|&`".contains(c));
            programs
                .iter()
                .any(|p| word == *p || word.ends_with(&format!("/{p}")))
        };
        let at = runs
            .iter()
            .position(|r| std::ptr::eq(*r, install.instruction))
            .unwrap_or(0);
        // The RUN that installs it (after the install command) and every later one.
        let used_while_building = runs[at..].iter().any(|run| {
            let text = run.line_span.slice(model.src);
            let text = if std::ptr::eq(*run, install.instruction) {
                text.split_once(install.package.as_str())
                    .map_or("", |(_, after)| after)
            } else {
                text
            };
            // Go, Cargo and the Node package managers fetch dependencies with git
            // themselves; pip only for a `git+` requirement.
            let fetches_with_git = text.contains("git+")
                || text.contains("git@")
                || text.split_whitespace().any(|w| {
                    matches!(
                        w,
                        "go" | "cargo" | "npm" | "yarn" | "pnpm" | "bundle" | "composer"
                    )
                });
            text.split_whitespace().any(named) || (*package == "git" && fetches_with_git)
        });
        let used_by_image = words.iter().any(|w| w.split_whitespace().any(named));
        if !used_while_building && !used_by_image {
            return Some((install.instruction, package));
        }
    }
    None
}

/// The first RUN of `stage`'s chain that runs Python code while building, other than
/// installing packages: `python -m nltk.downloader punkt`, `python -c "…from_pretrained…"`,
/// `playwright install`. Such code may write anywhere (a download into `$HOME/.cache`,
/// `/root/nltk_data`) that the new stage, which copies the application's folder and its
/// packages, would not have.
pub fn first_python_code_run<'t>(model: &Model<'t>, stage: usize) -> Option<Leftover<'t>> {
    first_code_run(model, stage, |program, args| {
        let installer = args.first().is_some_and(|a| a == "-m")
            && args.get(1).is_some_and(|m| {
                matches!(
                    m.as_str(),
                    "pip" | "venv" | "compileall" | "ensurepip" | "virtualenv"
                )
            });
        let python = program.starts_with("python") && !program.contains("-config");
        let downloader = matches!(program, "playwright" | "huggingface-cli" | "spacy" | "nltk");
        (python && !installer && !args.is_empty()) || downloader
    })
}

/// The first RUN of `stage`'s chain that runs Node code while building, other than the
/// package manager: `node scripts/download-model.js`, `npx playwright install` (the browser
/// goes to `$HOME/.cache/ms-playwright`, its libraries through apt). Like Python's, such
/// code may write where the new stage, which copies the application's folder, does not.
pub fn first_node_code_run<'t>(model: &Model<'t>, stage: usize) -> Option<Leftover<'t>> {
    first_code_run(model, stage, |program, args| {
        let script = program == "node"
            && args
                .iter()
                .any(|a| !a.starts_with('-') || matches!(a.as_str(), "-e" | "--eval"));
        let downloader = matches!(program, "playwright" | "puppeteer")
            || (program == "npx"
                && args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .is_some_and(|tool| {
                        matches!(
                            tool.as_str(),
                            "playwright" | "puppeteer" | "@puppeteer/browsers"
                        )
                    }));
        script || downloader
    })
}

/// The first RUN of `stage`'s chain with a command that `runs_code` says runs code of
/// the application's language (its program's file name and its literal arguments).
fn first_code_run<'t>(
    model: &Model<'t>,
    stage: usize,
    runs_code: impl Fn(&str, &[String]) -> bool,
) -> Option<Leftover<'t>> {
    for (instruction, text, _) in chain_runs(model, stage) {
        for command in shell::commands(text).unwrap_or_default() {
            let Some(program) = command.program_name() else {
                continue;
            };
            let args: Vec<String> = command
                .words
                .iter()
                .skip(1)
                .map(|w| w.literal().unwrap_or_default())
                .collect();
            if runs_code(&program, &args) {
                return Some(Leftover {
                    instruction,
                    dest: "places of its own choosing (code run while building may download into $HOME or a cache)".to_string(),
                });
            }
        }
    }
    None
}

/// Every shell-form RUN of `stage`'s chain, oldest stage first, with its shell text and
/// the state it runs in.
fn chain_runs<'t>(model: &Model<'t>, stage: usize) -> Vec<(&'t Instruction, &'t str, State)> {
    let mut out = Vec::new();
    let (_, chain) = model.stages.root_base(stage);
    for index in chain.into_iter().rev() {
        let states = model.states(index);
        for (i, run) in model.stages.stages[index].instructions.iter().enumerate() {
            if let (Keyword::Run, Args::Shell { text }) = (run.keyword, &run.args) {
                out.push((*run, text.text.as_str(), states.before[i].clone()));
            }
        }
    }
    out
}

/// A RUN command of `stage`'s chain whose program is one of `programs`, with its
/// arguments as paths: each known argument (flags too, as written: `-R`) with its
/// absolute, normalized form, `None` when it is relative and the folder the command runs
/// in is not known.
pub(super) struct PathCommand<'t> {
    pub run: &'t Instruction,
    pub command: shell::ShellCommand,
    pub paths: Vec<(String, Option<String>)>,
}

/// Every command of a RUN in `stage`'s chain, oldest stage first, that runs one of
/// `programs` (`mkdir`, `chmod`, `chown` …), with its arguments made absolute.
pub(super) fn path_commands<'t>(
    model: &Model<'t>,
    stage: usize,
    programs: &[&str],
) -> Vec<PathCommand<'t>> {
    let mut out = Vec::new();
    for (run, text, state) in chain_runs(model, stage) {
        for command in shell::commands(text).unwrap_or_default() {
            if !command
                .program_name()
                .is_some_and(|p| programs.contains(&p.as_str()))
            {
                continue;
            }
            let (args, cwd) = arguments_and_cwd(&command, &state);
            let paths = args
                .into_iter()
                .flatten()
                .map(|arg| {
                    let absolute = match (arg.starts_with('/'), &cwd) {
                        (true, _) => Some(normalize_path(&arg)),
                        (false, Some(cwd)) => Some(normalize_path(&format!("{cwd}/{arg}"))),
                        (false, None) => None,
                    };
                    (arg, absolute)
                })
                .collect();
            out.push(PathCommand {
                run,
                command,
                paths,
            });
        }
    }
    out
}

/// A command's arguments with the variables it sees expanded (`None` where one is not
/// known), and the folder it runs in (after an earlier `cd` of its script).
fn arguments_and_cwd(
    command: &shell::ShellCommand,
    state: &State,
) -> (Vec<Option<String>>, Option<String>) {
    let value = |w: &shell::ShellWord| {
        w.value(&|n| match command.assigned(n) {
            Some(word) => word.value(&|m| state.value(m)),
            None => state.value(n),
        })
    };
    let cwd = match &command.cd {
        Some(dir) => value(dir).and_then(|d| state.resolve_path(&d)),
        None => state.workdir.as_deref().map(str::to_string),
    };
    (command.words[1..].iter().map(value).collect(), cwd)
}

/// The paths a command writes, for the commands whose destination is in their arguments;
/// `None` for one that cannot be known statically.
fn written_paths(command: &shell::ShellCommand, state: &State) -> Vec<Option<String>> {
    let Some(program) = command.program_name() else {
        return Vec::new();
    };
    let (args, cwd) = arguments_and_cwd(command, state);
    // `~` is the home of the user the RUN runs as: root's unless a USER says otherwise.
    let home = state.value("HOME").or_else(|| {
        matches!(
            state.user.as_deref(),
            None | Some("root" | "0" | "0:0" | "root:root")
        )
        .then(|| "/root".to_string())
    });
    let absolute = |path: Option<String>| -> Option<String> {
        let path = path?;
        let path = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                format!("{}{rest}", home.clone()?)
            }
            _ => path,
        };
        if path.starts_with('/') {
            Some(normalize_path(&path))
        } else {
            Some(normalize_path(&format!("{}/{path}", cwd.as_deref()?)))
        }
    };
    // The value after any of `flags` (`-o FILE`, `--output=FILE`, `-oFILE`).
    let flag_value = |flags: &[&str]| -> Option<Option<String>> {
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let Some(arg) = arg.as_deref() else { continue };
            for flag in flags {
                if arg == *flag {
                    return Some(iter.next().cloned().flatten());
                }
                if flag.starts_with("--")
                    && let Some(v) = arg.strip_prefix(&format!("{flag}="))
                {
                    return Some(Some(v.to_string()));
                }
                if !flag.starts_with("--") && arg.len() > 2 && arg.starts_with(flag) {
                    return Some(Some(arg[2..].to_string()));
                }
            }
        }
        None
    };
    let operands: Vec<&Option<String>> = args
        .iter()
        .filter(|a| !a.as_deref().is_some_and(|a| a.starts_with('-')))
        .collect();
    let paths: Vec<Option<String>> = match program.as_str() {
        "mkdir" | "touch" => operands.into_iter().cloned().collect(),
        "cp" | "mv" | "ln" | "install" if operands.len() >= 2 => {
            vec![operands.last().and_then(|o| (*o).clone())]
        }
        "curl" => flag_value(&["-o", "--output"]).into_iter().collect(),
        "wget" => match flag_value(&["-O", "--output-document"]) {
            Some(path) => vec![path],
            None => flag_value(&["-P", "--directory-prefix"])
                .into_iter()
                .collect(),
        },
        "tar" => flag_value(&["-C", "--directory"]).into_iter().collect(),
        "unzip" => flag_value(&["-d"]).into_iter().collect(),
        "git" if args.first().and_then(|a| a.as_deref()) == Some("clone") => {
            operands.get(2).map(|o| (*o).clone()).into_iter().collect()
        }
        "tee" => operands.into_iter().cloned().collect(),
        _ => Vec::new(),
    };
    // What its output redirections write (`echo … > ~/.streamlit/config.toml`), but not
    // the devices (`> /dev/null`).
    let value = |w: &shell::ShellWord| {
        w.value(&|n| match command.assigned(n) {
            Some(word) => word.value(&|m| state.value(m)),
            None => state.value(n),
        })
    };
    let redirected = command.writes.iter().map(value).filter(|p| {
        !p.as_deref()
            .is_some_and(|p| p.starts_with("/dev/") || p.starts_with("/proc/"))
    });
    paths
        .into_iter()
        .chain(redirected)
        .filter(|p| p.as_deref() != Some("-"))
        .map(absolute)
        .collect()
}

/// The folders the RUNs among `instructions` run in: their WORKDIR and the folders their
/// scripts `cd` into.
fn build_dirs(instructions: &[(&Instruction, State)]) -> Vec<String> {
    let mut dirs = Vec::new();
    for (instruction, state) in instructions {
        if instruction.keyword != Keyword::Run {
            continue;
        }
        if let Some(workdir) = &state.workdir {
            dirs.push(workdir.to_string());
        }
        let Args::Shell { text } = &instruction.args else {
            continue;
        };
        for command in shell::commands(&text.text).unwrap_or_default() {
            let Some(dir) = command
                .cd
                .as_ref()
                .and_then(|d| d.value(&|n| state.value(n)))
            else {
                continue;
            };
            if let Some(dir) = state.resolve_path(&dir) {
                dirs.push(normalize_path(&dir));
            }
        }
    }
    dirs
}

fn written_dest(instruction: &Instruction) -> String {
    match &instruction.args {
        Args::Words { words } => words.last().map(|w| w.text.clone()),
        Args::Exec { elements, .. } => elements.last().map(|w| w.text.clone()),
        _ => None,
    }
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::analysis::catalogue::Catalogue;
    use crate::analysis::model::Model;

    type Finder = for<'t> fn(&Model<'t>, usize, &[(String, String)]) -> Option<super::Leftover<'t>>;

    fn find(finder: Finder, src: &str, copied: &[&str]) -> Option<String> {
        let tree = crate::syntax::parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let stage = model.final_stage().unwrap().index;
        let copied: Vec<(String, String)> = copied
            .iter()
            .map(|c| (c.to_string(), String::new()))
            .collect();
        finder(&model, stage, &copied).map(|l| l.dest)
    }

    fn leftover(src: &str, copied: &[&str]) -> Option<String> {
        find(super::first_leftover, src, copied)
    }

    fn run_leftover(src: &str, copied: &[&str]) -> Option<String> {
        find(super::first_run_leftover, src, copied)
    }

    #[test]
    fn build_inputs_are_not_leftovers() {
        let src = "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod ./\nCOPY . .\nRUN go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]), None);
        // Copied first, built in later: still an input.
        let src = "FROM golang:1.23\nCOPY . /go/src/app\nWORKDIR /go/src/app\nRUN go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]), None);
        let src = "FROM golang:1.23\nCOPY . /build\nRUN cd /build && go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]), None);
    }

    #[test]
    fn what_runs_write_outside_the_copies_is_a_leftover() {
        let build = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\n";
        for (run, left) in [
            ("RUN mkdir -p /data", Some("/data")),
            (
                "RUN curl -fsSL -o /usr/local/share/model.bin https://x/m",
                Some("/usr/local/share/model.bin"),
            ),
            ("RUN mkdir -p /out && go build -o /out/app .", None),
            ("RUN go build -o app . && cp app /usr/local/bin/", None),
            (
                "RUN curl -o /tmp/x.tgz https://x && tar -xzf /tmp/x.tgz -C /opt/tool",
                Some("/opt/tool"),
            ),
            ("RUN wget -q https://x/dl.tgz && tar xzf dl.tgz", None),
            (
                "RUN mkdir -p $DATA_DIR",
                Some("a path not known statically"),
            ),
        ] {
            let src = format!("{build}{run}\n");
            assert_eq!(
                run_leftover(&src, &["/out/app", "/usr/local/bin/app"]).as_deref(),
                left,
                "{run}"
            );
        }
    }

    #[test]
    fn runtime_files_outside_the_copies_are_leftovers() {
        let src = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\nCOPY config.yaml /etc/app/config.yaml\n";
        assert_eq!(
            leftover(src, &["/out/app"]).as_deref(),
            Some("/etc/app/config.yaml")
        );
        let src = "FROM python:3.13-slim AS b\nRUN pip install --prefix=/install x\nFROM python:3.13-slim\nCOPY --from=b /install /usr/local\nWORKDIR /app\nCOPY . .\n";
        assert_eq!(leftover(src, &["/app"]).as_deref(), Some("/usr/local"));
        // Another stage's output is never a build input of this one.
        let src = "FROM golang:1.23\nWORKDIR /src\nCOPY --from=web /dist ./static\nRUN go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]).as_deref(), Some("/src/static"));
        // Inside a copied path: fine.
        let src = "FROM node:22\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\n";
        assert_eq!(leftover(src, &["/app"]), None);
    }
}
