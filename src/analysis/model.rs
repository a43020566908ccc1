//! The semantic model of one Dockerfile: the tree, its stages, the chosen final stage and
//! what the catalogue knows about the images they are built on. Rules and the rewrite read
//! everything through this one type, so each fact is computed in one place.

use crate::analysis::artifacts::{ArtifactKind, StageBuild, path_matches, stage_build};
use crate::analysis::catalogue::{Catalogue, ImageFacts};
use crate::analysis::env::{
    Inherited, StageStates, State, end_states, normalize_path, stage_states,
};
use crate::analysis::expand;
use crate::analysis::image_ref::ImageRef;
use crate::analysis::level::Level;
use crate::analysis::stages::{Base, Stage, Stages, TargetError};
use crate::syntax::{Args, Dockerfile, Instruction, Keyword, SyntaxError};

/// How ENTRYPOINT or CMD is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandForm {
    /// Exec (JSON) form: the argv.
    Exec(Vec<String>),
    /// Shell form: run by `/bin/sh -c`.
    Shell(String),
}

impl CommandForm {
    pub fn of(instruction: &Instruction) -> Option<CommandForm> {
        match &instruction.args {
            Args::Exec { elements, .. } => Some(CommandForm::Exec(
                elements.iter().map(|w| w.text.clone()).collect(),
            )),
            Args::Shell { text } => Some(CommandForm::Shell(text.text.clone())),
            _ => None,
        }
    }
}

/// Where an ENTRYPOINT or CMD comes from: an instruction in the file, or the base image.
#[derive(Clone, Debug)]
pub enum Origin<'t> {
    Instruction(&'t Instruction),
    Image,
}

/// The command a stage's container runs: ENTRYPOINT and CMD, each with its origin.
#[derive(Clone, Debug, Default)]
pub struct RunCommand<'t> {
    pub entrypoint: Option<(CommandForm, Origin<'t>)>,
    pub cmd: Option<(CommandForm, Origin<'t>)>,
}

/// A `COPY` or `ADD`, with its sources and destination as far as they are known.
#[derive(Clone, Debug)]
pub struct Transfer<'t> {
    pub instruction: &'t Instruction,
    /// The stage the instruction belongs to.
    pub stage: usize,
    /// What `--from` names; `None` for the build context.
    pub from: Option<Base>,
    /// Each source after expansion; `None` where it needs a value not known statically.
    /// Sources from a stage or image are absolute there (a relative one is relative to its
    /// root, not to its `WORKDIR`).
    pub sources: Vec<Option<String>>,
    /// The destination, absolute; `None` when not known statically.
    pub dest: Option<String>,
    /// For each source, whether it is known to be one file (a binary a build command of
    /// the `--from` stage makes, a heredoc) rather than a folder whose content is copied.
    pub file_sources: Vec<bool>,
}

/// Archives that `ADD` unpacks: what they hold is not known.
const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tar.lz4",
];

/// Folders of executables: what is copied from one is a program, one file.
const BIN_DIRS: &[&str] = &[
    "/bin",
    "/sbin",
    "/usr/bin",
    "/usr/sbin",
    "/usr/local/bin",
    "/busybox",
];

impl Transfer<'_> {
    /// Whether this copy may put a file at `path` (absolute). A copy writes only at its
    /// destination or below it: a file source lands on the destination (or in it, by its
    /// own name, when the destination is a folder, which it may be even without a trailing
    /// slash), a folder's content lands below it, and so does what `ADD` unpacks. A source that may be a folder, or whose value is not
    /// known, may put anything below the destination. Answers `true` when in doubt, so that
    /// callers asserting a file is absent stay silent.
    pub fn may_provide(&self, path: &str) -> bool {
        let Some(dest) = &self.dest else { return true };
        let dest = normalize_path(dest);
        let path = normalize_path(path);
        if dest == path {
            return true;
        }
        let below = if dest == "/" {
            Some(&path[1..])
        } else {
            path.strip_prefix(&format!("{dest}/"))
        };
        let Some(below) = below else { return false };
        let is_add = self.instruction.keyword == Keyword::Add;
        self.sources.iter().enumerate().any(|(i, source)| {
            let Some(source) = source else { return true };
            if let Some(delimiter) = source.strip_prefix("<<") {
                // A heredoc is one file, named by its delimiter.
                return below == delimiter.trim_start_matches('-');
            }
            let lower = source.to_ascii_lowercase();
            if is_add && ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
                return true;
            }
            let known_file = self.file_sources.get(i).copied().unwrap_or(false);
            if !known_file && !looks_like_file(source) {
                return true;
            }
            // One file (or the files a glob picks), placed in the folder by name.
            path_matches(file_name(source), below)
        })
    }

    /// Whether this copy may bring shared libraries or a dynamic loader (`COPY --from=build
    /// /lib/x86_64-linux-gnu/ …`, a `*.so*` file, a whole tree): then which C library the
    /// stage has is no longer what its image says.
    pub fn may_provide_libraries(&self) -> bool {
        const LIB_DIRS: &[&str] = &["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib"];
        const LOADERS: &[&str] = &[
            "/lib64/ld-linux-x86-64.so.2",
            "/lib/ld-linux-aarch64.so.1",
            "/lib/ld-musl-x86_64.so.1",
            "/lib/ld-musl-aarch64.so.1",
            "/lib/x86_64-linux-gnu/libc.so.6",
        ];
        let in_lib_dir = |path: &str| {
            LIB_DIRS
                .iter()
                .any(|dir| path == *dir || path.starts_with(&format!("{dir}/")))
        };
        let dest = self.dest.as_deref().map(normalize_path);
        dest.as_deref().is_some_and(in_lib_dir)
            || self.sources.iter().flatten().any(|source| {
                let name = file_name(source);
                in_lib_dir(&normalize_path(source))
                    || name.ends_with(".so")
                    || name.contains(".so.")
            })
            || LOADERS.iter().any(|loader| self.may_provide(loader))
    }
}

/// Whether a source names one file rather than a folder, as far as its name says: it has
/// an extension (`app.jar`, `run.sh`), is all capitals (`LICENSE`), or sits in a folder of
/// executables (`/usr/bin/curl`, `/go/bin/app`). Anything else may be a folder.
fn looks_like_file(source: &str) -> bool {
    if source.ends_with('/') {
        return false;
    }
    let name = file_name(source);
    let parent = source[..source.len() - name.len()].trim_end_matches('/');
    let extension = name
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty());
    let capitals = name.chars().any(|c| c.is_ascii_uppercase())
        && !name.chars().any(|c| c.is_ascii_lowercase());
    extension || capitals || BIN_DIRS.contains(&parent) || parent.ends_with("/bin")
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub struct Model<'t> {
    pub src: &'t str,
    pub tree: &'t Dockerfile,
    pub stages: Stages<'t>,
    pub catalogue: &'t Catalogue,
    /// The stage the build targets (`--target`, or the last one).
    pub target: Result<usize, TargetError>,
    /// The state at the end of each stage (see [`end_states`]).
    ends: Vec<State>,
    /// Values refused for their cost (`docs/limits.md`), in file order: the CLI reports
    /// them as errors, since BuildKit would build the file and dfslim cannot follow it.
    pub errors: Vec<SyntaxError>,
}

impl<'t> Model<'t> {
    pub fn new(
        src: &'t str,
        tree: &'t Dockerfile,
        catalogue: &'t Catalogue,
        target: Option<&str>,
    ) -> Model<'t> {
        let stages = Stages::new(tree);
        let target = stages.target(target).map(|s| s.index);
        let (ends, refused) = end_states(&stages, tree.escape, &|base| inherited(catalogue, base));
        let mut refused: Vec<_> = stages.refused.iter().cloned().chain(refused).collect();
        refused.sort_by_key(|r| r.span.start);
        let errors = refused
            .into_iter()
            .map(|r| SyntaxError {
                span: r.span,
                code: r.error.limit.unwrap_or(expand::TOO_LARGE),
                message: r.error.message,
                help: Some(
                    "BuildKit has no such limit, but dfslim stops here to bound its time and \
                     memory; see docs/limits.md"
                        .into(),
                ),
            })
            .collect();
        Model {
            src,
            tree,
            stages,
            catalogue,
            target,
            ends,
            errors,
        }
    }

    pub fn final_stage(&self) -> Option<&Stage<'t>> {
        self.target.as_ref().ok().map(|&i| &self.stages.stages[i])
    }

    /// The image a stage is ultimately built on, following `FROM <stage>`.
    pub fn root_image(&self, stage: usize) -> Option<&ImageRef> {
        match self.stages.root_base(stage).0 {
            Base::Image(image) => Some(image),
            _ => None,
        }
    }

    /// What the catalogue knows of the image a stage is built on.
    pub fn facts(&self, stage: usize) -> Option<ImageFacts> {
        self.catalogue.lookup(self.root_image(stage)?)
    }

    /// The level of a stage's image: its base image's level; `unknown` when the base is
    /// not known.
    pub fn level(&self, stage: usize) -> Level {
        self.facts(stage).map_or(Level::Unknown, |f| f.level)
    }

    /// The state before every instruction of a stage.
    pub fn states(&self, stage: usize) -> StageStates {
        stage_states(&self.stages, stage, self.tree.escape, &self.ends, &|base| {
            inherited(self.catalogue, base)
        })
    }

    /// The stages whose instructions build a stage's file system: those it is built on
    /// through `FROM <stage>`, oldest first, then the stage itself.
    pub fn chain(&self, stage: usize) -> Vec<usize> {
        let mut chain = self.stages.root_base(stage).1;
        chain.reverse();
        chain
    }

    /// The instructions of a stage and of the stages it is built on, oldest first, with
    /// the index of the stage each belongs to.
    pub fn chain_instructions(&self, stage: usize) -> Vec<(usize, &'t Instruction)> {
        self.chain(stage)
            .into_iter()
            .flat_map(|index| {
                self.stages.stages[index]
                    .instructions
                    .iter()
                    .map(move |instruction| (index, *instruction))
            })
            .collect()
    }

    /// Every `COPY` and `ADD` that shapes a stage's file system (its chain's, oldest first),
    /// with sources and destination expanded where their values are known.
    pub fn transfers(&self, stage: usize) -> Vec<Transfer<'t>> {
        let mut transfers = Vec::new();
        let mut builds = Builds::default();
        for index in self.chain(stage) {
            let states = self.states(index);
            let current = &self.stages.stages[index];
            for (i, instruction) in current.instructions.iter().enumerate() {
                if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
                    continue;
                }
                let words: Vec<&str> = match &instruction.args {
                    Args::Words { words } => words.iter().map(|w| w.text.as_str()).collect(),
                    Args::Exec { elements, .. } => {
                        elements.iter().map(|w| w.text.as_str()).collect()
                    }
                    _ => continue,
                };
                let Some((dest, sources)) = words.split_last() else {
                    continue;
                };
                let state = &states.before[i];
                let escape = self.tree.escape;
                let from = instruction
                    .flag("from")
                    .and_then(|f| f.value.as_deref())
                    .map(|text| match state.expand(text, escape) {
                        Some(text) => self.stages.resolve_from_flag(&text, index),
                        None => Base::Unresolved {
                            text: text.to_string(),
                            reason: "`--from` needs a value not known statically".into(),
                        },
                    });
                let sources: Vec<Option<String>> = sources
                    .iter()
                    .map(|source| {
                        let value = state.expand(source, escape)?;
                        match &from {
                            Some(_) if !value.starts_with('/') => {
                                Some(normalize_path(&format!("/{value}")))
                                    .map(|p| keep_trailing_slash(&value, p))
                            }
                            _ => Some(value),
                        }
                    })
                    .collect();
                let dest = state.expand(dest, escape).and_then(|d| {
                    let resolved = state.resolve_path(&d)?;
                    Some(keep_trailing_slash(&d, resolved))
                });
                let file_sources = sources
                    .iter()
                    .map(|source| match (source, &from) {
                        (Some(s), _) if s.starts_with("<<") => true,
                        (Some(s), Some(Base::Stage(from_stage))) if !s.ends_with('/') => {
                            builds.built_file(self, *from_stage, s)
                        }
                        _ => false,
                    })
                    .collect();
                transfers.push(Transfer {
                    instruction,
                    stage: index,
                    from,
                    sources,
                    dest,
                    file_sources,
                });
            }
        }
        transfers
    }

    /// Whether a stage has a shell for shell-form instructions (`/bin/sh -c`), before
    /// `upto` (an instruction of its chain) or else at its end. `Some(false)` only when the
    /// catalogue says its image has none and no instruction before that point may change
    /// it: a `SHELL` (its program could have been copied in) or a copy that may bring
    /// `/bin/sh`. `None` when not known.
    pub fn has_shell(&self, stage: usize, upto: Option<&Instruction>) -> Option<bool> {
        if self.facts(stage)?.shell {
            return Some(true);
        }
        for (_, instruction) in self.chain_instructions(stage) {
            if upto.is_some_and(|u| std::ptr::eq(u, instruction)) {
                break;
            }
            // A SHELL names its own program, and an exec-form RUN runs a program copied in
            // that may as well install a shell (`busybox --install`).
            let exec_run = instruction.keyword == Keyword::Run
                && matches!(instruction.args, Args::Exec { .. });
            if instruction.keyword == Keyword::Shell || exec_run {
                return None;
            }
        }
        let before_upto =
            |t: &Transfer<'_>| upto.is_none_or(|u| t.instruction.span.start < u.span.start);
        let brings_shell = self
            .transfers(stage)
            .iter()
            .filter(|t| before_upto(t))
            .any(|t| t.may_provide("/bin/sh"));
        if brings_shell { None } else { Some(false) }
    }

    /// The `USER` in effect at the end of a stage: the last one of its chain, with its
    /// value expanded (`None` when it needs a value not known statically). `None` when no
    /// `USER` is written and the image's default applies.
    pub fn last_user(&self, stage: usize) -> Option<(&'t Instruction, Option<String>)> {
        let chain = self.chain(stage);
        chain.iter().rev().find_map(|&index| {
            let instructions = &self.stages.stages[index].instructions;
            let position = instructions
                .iter()
                .rposition(|i| i.keyword == Keyword::User)?;
            let instruction = instructions[position];
            let value = match &instruction.args {
                Args::Text { text } => {
                    self.states(index).before[position].expand(&text.text, self.tree.escape)
                }
                _ => None,
            };
            Some((instruction, value))
        })
    }

    /// ENTRYPOINT and CMD in effect at the end of a stage, inherited through `FROM <stage>`
    /// and from the base image. Setting ENTRYPOINT clears an inherited CMD, as Docker does.
    ///
    /// The chain is walked in a loop, oldest stage first: thousands of chained stages must
    /// not take a stack frame each.
    pub fn run_command(&self, stage: usize) -> RunCommand<'t> {
        let (root, chain) = self.stages.root_base(stage);
        let mut command = match root {
            Base::Image(image) => match self.catalogue.lookup(image) {
                // The catalogue writes "none" as an empty list.
                Some(facts) => RunCommand {
                    entrypoint: facts
                        .entrypoint
                        .filter(|argv| !argv.is_empty())
                        .map(|argv| (CommandForm::Exec(argv), Origin::Image)),
                    cmd: facts
                        .cmd
                        .filter(|argv| !argv.is_empty())
                        .map(|argv| (CommandForm::Exec(argv), Origin::Image)),
                },
                None => RunCommand::default(),
            },
            _ => RunCommand::default(),
        };
        let instructions = chain
            .iter()
            .rev()
            .flat_map(|&index| self.stages.stages[index].instructions.iter().copied());
        for instruction in instructions {
            let Some(form) = CommandForm::of(instruction) else {
                if matches!(instruction.keyword, Keyword::Entrypoint | Keyword::Cmd)
                    && matches!(instruction.args, Args::Empty)
                {
                    // `CMD []`-like empty forms clear the value.
                    match instruction.keyword {
                        Keyword::Entrypoint => command.entrypoint = None,
                        _ => command.cmd = None,
                    }
                }
                continue;
            };
            match instruction.keyword {
                Keyword::Entrypoint => {
                    command.entrypoint = Some((form, Origin::Instruction(instruction)));
                    if matches!(command.cmd, Some((_, Origin::Image))) {
                        command.cmd = None;
                    }
                }
                Keyword::Cmd => command.cmd = Some((form, Origin::Instruction(instruction))),
                _ => {}
            }
        }
        command
    }
}

/// What the catalogue says an image base sets before a stage's first instruction.
fn inherited(catalogue: &Catalogue, base: &Base) -> Inherited {
    match base {
        Base::Image(image) => catalogue
            .lookup(image)
            .map(|facts| Inherited {
                env: facts.env.into_iter().collect(),
                workdir: facts.workdir,
                user: facts.user,
            })
            .unwrap_or_default(),
        _ => Inherited::default(),
    }
}

/// What the stages' build commands make, computed once per stage.
#[derive(Default)]
struct Builds<'t>(Vec<(usize, StageBuild<'t>)>);

impl<'t> Builds<'t> {
    /// Whether `path` of `stage` is a binary its build commands make, or an entry of a
    /// folder of binaries (`target/release/<name>`): one file.
    fn built_file(&mut self, model: &Model<'t>, stage: usize, path: &str) -> bool {
        if !self.0.iter().any(|(i, _)| *i == stage) {
            self.0.push((stage, stage_build(model, stage, None)));
        }
        let path = normalize_path(path);
        let parent = path.rsplit_once('/').map_or("", |(parent, _)| parent);
        self.0.iter().any(|(i, build)| {
            *i == stage
                && build.artifact_at(&path).is_some_and(|a| match a.kind {
                    ArtifactKind::Binary { .. } => a.path == path,
                    ArtifactKind::BinaryDir { .. } => a.path.trim_end_matches('/') == parent,
                    _ => false,
                })
        })
    }
}

/// `path` with the trailing slash that `written` had (it marks a folder destination).
fn keep_trailing_slash(written: &str, path: String) -> String {
    if written.ends_with('/') && !path.ends_with('/') {
        format!("{path}/")
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Dockerfile, parse};

    #[test]
    fn final_stage_facts_and_level() {
        let src =
            "FROM golang:1.23-bookworm AS build\nFROM gcr.io/distroless/static-debian13:nonroot\n";
        let tree = parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        assert_eq!(model.final_stage().unwrap().index, 1);
        assert_eq!(model.level(1), Level::Distroless);
        assert_eq!(model.level(0), Level::FullDistro);
        let states = model.states(0);
        assert_eq!(states.end.workdir.as_deref(), Some("/go"));
    }

    #[test]
    fn run_command_inheritance() {
        let src =
            "FROM node:22\nCMD [\"node\", \"app.js\"]\nFROM node:22 AS two\nENTRYPOINT [\"/x\"]\n";
        let tree = parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let first = model.run_command(0);
        assert!(
            matches!(first.cmd, Some((CommandForm::Exec(ref a), Origin::Instruction(_))) if a[0] == "node")
        );
        let second = model.run_command(1);
        assert!(second.cmd.is_none(), "ENTRYPOINT clears the image's CMD");
    }

    fn model_of(src: &str) -> (Dockerfile, &str) {
        (parse(src), src)
    }

    #[test]
    fn transfers_expand_sources_and_destinations() {
        let (tree, src) = model_of(
            "FROM golang:1.24 AS build\nFROM scratch\nARG BIN=app\nWORKDIR /srv\n\
             COPY --from=build /out/${BIN} bin/\nCOPY --from=build out/x ./\nCOPY $NOPE /x\n",
        );
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let transfers = model.transfers(1);
        assert_eq!(transfers.len(), 3);
        assert_eq!(transfers[0].from, Some(Base::Stage(0)));
        assert_eq!(transfers[0].sources, vec![Some("/out/app".to_string())]);
        assert_eq!(transfers[0].dest.as_deref(), Some("/srv/bin/"));
        // Sources from a stage are relative to its root, not to its WORKDIR.
        assert_eq!(transfers[1].sources, vec![Some("/out/x".to_string())]);
        assert_eq!(transfers[1].dest.as_deref(), Some("/srv/"));
        assert_eq!(transfers[2].from, None);
        // `$NOPE` is unset, so it expands to "" (as BuildKit does).
        assert_eq!(transfers[2].sources, vec![Some(String::new())]);
    }

    #[test]
    fn what_a_copy_may_provide() {
        let (tree, src) = model_of(
            "FROM busybox:musl AS bb\nFROM scratch\n\
             COPY --from=bb /bin/busybox /bin/sh\n\
             COPY --from=bb /bin/busybox /tools/\n\
             COPY --from=bb /bin /busybox\n\
             COPY app /app\n\
             ADD rootfs.tar.xz /opt/\n\
             COPY out/ /usr/local/bin/\n\
             COPY --from=bb /etc/passwd /etc/group /etc/\n\
             COPY --from=bb /lib/ld-musl-x86_64.so.1 /lib/\n\
             ADD rootfs.tar.xz /\n\
             COPY LICENSE NOTICE run.sh /\n\
             COPY --from=bb /out /\n\
             COPY . /srv\n\
             COPY --from=bb /usr/bin/wget /usr/local/bin\n\
             COPY $UNSET_DIR /data\n",
        );
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let t = model.transfers(1);
        assert!(t[0].may_provide("/bin/sh"));
        assert!(t[1].may_provide("/tools/busybox") && !t[1].may_provide("/bin/sh"));
        // A folder's content lands below the destination, not at its own path.
        assert!(t[2].may_provide("/busybox/sh") && !t[2].may_provide("/bin/sh"));
        assert!(!t[3].may_provide("/bin/sh") && !t[3].may_provide("/etc/passwd"));
        assert!(t[4].may_provide("/opt/bin/sh") && !t[4].may_provide("/bin/sh"));
        assert!(t[5].may_provide("/usr/local/bin/curl") && !t[5].may_provide("/bin/sh"));
        assert!(t[6].may_provide("/etc/passwd") && !t[6].may_provide("/bin/sh"));
        assert!(!t[3].may_provide_libraries() && t[7].may_provide_libraries());
        assert!(
            t[8].may_provide("/bin/sh"),
            "an archive unpacked into the root"
        );
        assert!(t[9].may_provide("/run.sh") && !t[9].may_provide("/bin/sh"));
        assert!(t[10].may_provide("/bin/sh"), "/out may be a folder");
        assert!(t[11].may_provide("/srv/x") && !t[11].may_provide("/bin/sh"));
        assert!(t[12].may_provide("/usr/local/bin/wget") && !t[12].may_provide("/bin/sh"));
        assert!(t[13].may_provide("/data/x") && !t[13].may_provide("/bin/sh"));
    }

    #[test]
    fn a_built_binary_copied_into_the_root_is_one_file() {
        let (tree, src) = model_of(
            "FROM golang:1.24 AS build\nRUN CGO_ENABLED=0 go build -o /go/bin/app .\n\
             FROM scratch\nCOPY --from=build /go/bin/app /\nCOPY --from=build /rootfs /\n\
             COPY --from=build /go/bin/ /\n\
             FROM rust:1.85 AS rust\nWORKDIR /app\nRUN cargo build --release\n\
             FROM gcr.io/distroless/cc-debian13\nCOPY --from=rust /app/target/release/hello /\n",
        );
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let t = model.transfers(1);
        assert_eq!(t[0].file_sources, [true]);
        assert!(t[0].may_provide("/app") && !t[0].may_provide("/bin/sh"));
        assert!(t[1].may_provide("/bin/sh"), "what /rootfs is is not known");
        assert_eq!(t[2].file_sources, [false]);
        assert!(t[2].may_provide("/bin/sh"));
        let rust = model.transfers(3);
        assert_eq!(
            rust[0].file_sources,
            [true],
            "an entry of cargo's release folder"
        );
    }

    #[test]
    fn shell_presence() {
        let (tree, src) = model_of(
            "FROM gcr.io/distroless/static-debian13 AS a\nRUN one\n\
             COPY --from=busybox:musl /bin/busybox /bin/sh\nRUN two\n\
             FROM gcr.io/distroless/static-debian13:debug\n\
             FROM a\nSHELL [\"/busybox/sh\", \"-c\"]\n\
             FROM gcr.io/distroless/static-debian13\nRUN [\"/x\"]\nRUN three\n\
             FROM example.com/unknown\n",
        );
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let runs: Vec<&Instruction> = model
            .tree
            .instructions()
            .filter(|i| i.keyword == Keyword::Run)
            .collect();
        assert_eq!(model.has_shell(0, Some(runs[0])), Some(false));
        assert_eq!(model.has_shell(0, Some(runs[1])), None, "copied in before");
        assert_eq!(model.has_shell(1, None), Some(true));
        assert_eq!(
            model.has_shell(2, None),
            None,
            "SHELL and the copy of stage a"
        );
        assert_eq!(model.has_shell(3, Some(runs[2])), Some(false));
        assert_eq!(
            model.has_shell(3, Some(runs[3])),
            None,
            "after an exec-form RUN"
        );
        assert_eq!(model.has_shell(4, None), None, "unknown image");
    }

    #[test]
    fn last_user_follows_the_chain() {
        let (tree, src) = model_of(
            "FROM debian AS a\nUSER app\nFROM a AS b\nARG U=root\nUSER $U\n\
             FROM a AS c\nFROM b\nARG ID\nUSER ${ID}\nFROM debian\n",
        );
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        assert_eq!(model.last_user(0).unwrap().1.as_deref(), Some("app"));
        assert_eq!(model.last_user(1).unwrap().1.as_deref(), Some("root"));
        assert_eq!(model.last_user(2).unwrap().1.as_deref(), Some("app"));
        assert_eq!(model.last_user(3).unwrap().1, None, "an ARG without value");
        assert!(model.last_user(4).is_none());
        assert_eq!(model.chain(3), vec![0, 1, 3]);
        assert_eq!(model.chain_instructions(2).len(), 1);
    }
}
