//! What COPY and ADD bring into a stage's file system: [`Transfer`]s with their sources and
//! destination expanded, and which sources are one file because a build command of the
//! `--from` stage made them; from that, whether a stage has a shell, and which build
//! outputs a `COPY --from` takes along ([`copied_artifacts`]).
//!
//! This sits above [`crate::analysis::model`] (the model knows stages and variables, not
//! what builds make) so that modules depend one way.

use crate::analysis::copy::CopyArgs;
use crate::analysis::env::normalize_path;
use crate::analysis::glob::path_matches;
use crate::analysis::model::Model;
use crate::analysis::stages::Base;
use crate::syntax::{Args, Instruction, Keyword};

use super::artifact::{Artifact, ArtifactKind, StageBuild};
use super::build::stage_build;

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

/// Every `COPY` and `ADD` that shapes a stage's file system (its chain's, oldest first),
/// with sources and destination expanded where their values are known.
pub fn transfers<'t>(model: &Model<'t>, stage: usize) -> Vec<Transfer<'t>> {
    let mut transfers = Vec::new();
    let mut builds = Builds::default();
    for index in model.chain(stage) {
        let states = model.states(index);
        let current = &model.stages.stages[index];
        for (i, instruction) in current.instructions.iter().enumerate() {
            if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            let state = &states.before[i];
            let Some(read) =
                CopyArgs::read(instruction, state, model.tree.escape, &model.stages, index)
            else {
                continue;
            };
            let from = read.from;
            let sources: Vec<Option<String>> = read
                .sources
                .into_iter()
                .map(|source| {
                    let value = source?;
                    match &from {
                        Some(_) if !value.starts_with('/') => {
                            Some(normalize_path(&format!("/{value}")))
                                .map(|p| keep_trailing_slash(&value, p))
                        }
                        _ => Some(value),
                    }
                })
                .collect();
            let dest = read.dest.and_then(|d| {
                let resolved = state.resolve_path(&d)?;
                Some(keep_trailing_slash(&d, resolved))
            });
            let file_sources = sources
                .iter()
                .map(|source| match (source, &from) {
                    (Some(s), _) if s.starts_with("<<") => true,
                    (Some(s), Some(Base::Stage(from_stage))) if !s.ends_with('/') => {
                        builds.built_file(model, *from_stage, s)
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
pub fn has_shell(model: &Model<'_>, stage: usize, upto: Option<&Instruction>) -> Option<bool> {
    if model.facts(stage)?.shell {
        return Some(true);
    }
    for (_, instruction) in model.chain_instructions(stage) {
        if upto.is_some_and(|u| std::ptr::eq(u, instruction)) {
            break;
        }
        // A SHELL names its own program, and an exec-form RUN runs a program copied in
        // that may as well install a shell (`busybox --install`).
        let exec_run =
            instruction.keyword == Keyword::Run && matches!(instruction.args, Args::Exec { .. });
        if instruction.keyword == Keyword::Shell || exec_run {
            return None;
        }
    }
    let before_upto =
        |t: &Transfer<'_>| upto.is_none_or(|u| t.instruction.span.start < u.span.start);
    let brings_shell = transfers(model, stage)
        .iter()
        .filter(|t| before_upto(t))
        .any(|t| t.may_provide("/bin/sh"));
    if brings_shell { None } else { Some(false) }
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

/// A build output of another stage that a `COPY --from=<stage>` takes into a stage.
#[derive(Clone, Debug)]
pub struct CopiedArtifact<'t> {
    /// The `COPY` (or `ADD`) that takes it.
    pub copy: &'t Instruction,
    /// The stage it is built in.
    pub from_stage: usize,
    pub artifact: Artifact<'t>,
}

/// The artifacts that the `COPY --from=<stage>` instructions of a stage (and of the stages
/// it is built on) take from other stages, in order. Copies from images, from unresolved
/// references and of sources not known statically give nothing.
pub fn copied_artifacts<'t>(model: &Model<'t>, stage: usize) -> Vec<CopiedArtifact<'t>> {
    let mut builds: Vec<(usize, StageBuild<'t>)> = Vec::new();
    let mut copied = Vec::new();
    for transfer in transfers(model, stage) {
        let Some(Base::Stage(from_stage)) = transfer.from else {
            continue;
        };
        if !builds.iter().any(|(i, _)| *i == from_stage) {
            builds.push((from_stage, stage_build(model, from_stage, None)));
        }
        let Some((_, build)) = builds.iter().find(|(i, _)| *i == from_stage) else {
            continue;
        };
        for source in transfer.sources.iter().flatten() {
            for artifact in build.copied_by(source) {
                copied.push(CopiedArtifact {
                    copy: transfer.instruction,
                    from_stage,
                    artifact: artifact.clone(),
                });
            }
        }
    }
    copied
}

/// Static binaries that the stage `stage`'s own `COPY --from=<stage>` put at `source` (a
/// path of that stage) or below it, with their paths there: a relay stage (`FROM scratch
/// AS binary` + `COPY --from=build /out/server /server`) followed to the build that made
/// the file, through up to three relays. Only static binaries: a dynamic one needs the
/// libraries of the stage that built it, which a copy from the relay would not know.
pub fn relayed<'t>(
    model: &Model<'t>,
    stage: usize,
    source: &str,
    context: Option<super::ContextReader<'_>>,
) -> Vec<Artifact<'t>> {
    relayed_within(model, stage, source, context, 3)
}

fn relayed_within<'t>(
    model: &Model<'t>,
    stage: usize,
    source: &str,
    context: Option<super::ContextReader<'_>>,
    hops: usize,
) -> Vec<Artifact<'t>> {
    let mut found = Vec::new();
    if hops == 0 {
        return found;
    }
    let source = source.trim_end_matches('/');
    for transfer in transfers(model, stage) {
        let (Some(Base::Stage(from)), Some(dest)) = (&transfer.from, &transfer.dest) else {
            continue;
        };
        // Only earlier stages: a later one cannot be a source.
        if *from >= stage {
            continue;
        }
        let known: Vec<&String> = transfer.sources.iter().flatten().collect();
        if known.len() != transfer.sources.len()
            || known.iter().any(|s| s.contains(['*', '?', '[']))
        {
            continue;
        }
        let into_folder = dest.ends_with('/') || known.len() > 1;
        let dest = dest.trim_end_matches('/');
        let build = stage_build(model, *from, context);
        for copied in &known {
            let copied = copied.trim_end_matches('/');
            let mut artifacts: Vec<Artifact<'t>> =
                build.copied_by(copied).into_iter().cloned().collect();
            artifacts.extend(relayed_within(model, *from, copied, context, hops - 1));
            for artifact in artifacts {
                if !matches!(
                    artifact.kind,
                    ArtifactKind::Binary {
                        linkage: super::Linkage::Static
                    }
                ) {
                    continue;
                }
                let rest = artifact.path.strip_prefix(copied).unwrap_or_default();
                let landed = if rest.is_empty() && into_folder {
                    format!("{dest}/{}", file_name(copied))
                } else {
                    format!("{dest}{rest}")
                };
                let inside = landed == source || landed.starts_with(&format!("{source}/"));
                if inside {
                    let why = format!(
                        "{}, copied into the stage `{}` ({})",
                        artifact.why,
                        model.stages.stages[stage].reference(),
                        transfer.instruction.line_span.slice(model.src).trim()
                    );
                    found.push(Artifact {
                        path: landed,
                        why,
                        ..artifact
                    });
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::catalogue::Catalogue;
    use crate::ecosystems::Linkage;
    use crate::syntax::{Dockerfile, parse};

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
        let transfers = transfers(&model, 1);
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
        let t = transfers(&model, 1);
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
        let t = transfers(&model, 1);
        assert_eq!(t[0].file_sources, [true]);
        assert!(t[0].may_provide("/app") && !t[0].may_provide("/bin/sh"));
        assert!(t[1].may_provide("/bin/sh"), "what /rootfs is is not known");
        assert_eq!(t[2].file_sources, [false]);
        assert!(t[2].may_provide("/bin/sh"));
        let rust = transfers(&model, 3);
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
        assert_eq!(has_shell(&model, 0, Some(runs[0])), Some(false));
        assert_eq!(
            has_shell(&model, 0, Some(runs[1])),
            None,
            "copied in before"
        );
        assert_eq!(has_shell(&model, 1, None), Some(true));
        assert_eq!(
            has_shell(&model, 2, None),
            None,
            "SHELL and the copy of stage a"
        );
        assert_eq!(has_shell(&model, 3, Some(runs[2])), Some(false));
        assert_eq!(
            has_shell(&model, 3, Some(runs[3])),
            None,
            "after an exec-form RUN"
        );
        assert_eq!(has_shell(&model, 4, None), None, "unknown image");
    }

    #[test]
    fn what_a_copy_takes_from_a_stage() {
        let src = "FROM golang:1.24 AS build\nWORKDIR /src\n\
                   RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n\
                   RUN go build -o /out/tool ./cmd/tool\n\
                   FROM scratch\nCOPY --from=build /out/app /app\n\
                   COPY --from=build /out/ /bin/\nCOPY --from=build /out/t* /\n\
                   COPY --from=build /src/README.md /\nCOPY --from=alpine /bin/sh /bin/sh\n";
        let tree = parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let build = stage_build(&model, 0, None);
        let paths = |found: Vec<&Artifact<'_>>| -> Vec<String> {
            found.iter().map(|a| a.path.clone()).collect()
        };
        assert_eq!(paths(build.copied_by("/out/app")), ["/out/app"]);
        assert_eq!(paths(build.copied_by("/out/")), ["/out/app", "/out/tool"]);
        assert_eq!(paths(build.copied_by("/out/t*")), ["/out/tool"]);
        assert!(build.copied_by("/src/README.md").is_empty());

        let copied = copied_artifacts(&model, 1);
        let summary: Vec<(String, Linkage)> = copied
            .iter()
            .map(|c| match c.artifact.kind {
                ArtifactKind::Binary { linkage } => (c.artifact.path.clone(), linkage),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("/out/app".to_string(), Linkage::Static),
                ("/out/app".to_string(), Linkage::Static),
                // cgo on glibc: maybe C++, so the GCC runtime too.
                ("/out/tool".to_string(), Linkage::GlibcGcc),
                ("/out/tool".to_string(), Linkage::GlibcGcc),
            ]
        );
        assert!(copied.iter().all(|c| c.from_stage == 0));
    }
}
