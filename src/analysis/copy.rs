//! One reading of `COPY` and `ADD`, for every part of dfslim that needs one: the sources
//! and destination with variables expanded (through ARG and ENV, with the file's escape
//! character), the `--from` stage or image (resolved through ARG defaults too:
//! `--from=${BUILDER}`), and the flags that change what lands (`--chown`, `--chmod`,
//! `--link`, `--parents`, `--exclude`).

use crate::analysis::env::State;
use crate::analysis::stages::{Base, Stages};
use crate::syntax::{Args, Instruction, Keyword};

/// A `COPY` or `ADD`, as far as it is known statically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyArgs {
    /// Each source as written, with variables expanded; `None` where a value is not known
    /// statically.
    pub sources: Vec<Option<String>>,
    /// The destination with variables expanded (not yet resolved against `WORKDIR`).
    pub dest: Option<String>,
    /// What `--from` names, resolved; `None` for the build context.
    pub from: Option<Base>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<String>,
}

impl CopyArgs {
    /// Reads `instruction` (a `COPY` or `ADD` of stage `stage`) in the state before it.
    /// `None` for any other instruction.
    pub fn read(
        instruction: &Instruction,
        state: &State,
        escape: char,
        stages: &Stages<'_>,
        stage: usize,
    ) -> Option<CopyArgs> {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            return None;
        }
        let words: Vec<&str> = match &instruction.args {
            Args::Words { words } => words.iter().map(|w| w.text.as_str()).collect(),
            Args::Exec { elements, .. } => elements.iter().map(|w| w.text.as_str()).collect(),
            _ => return None,
        };
        let (dest, sources) = words.split_last()?;
        let flag = |name: &str| {
            instruction
                .flag(name)
                .and_then(|f| f.value.as_deref())
                .and_then(|v| state.expand(v, escape))
        };
        let is_set = |name: &str| {
            instruction
                .flag(name)
                .is_some_and(|f| f.value.as_deref().is_none_or(|v| v != "false"))
        };
        let from = instruction
            .flag("from")
            .and_then(|f| f.value.as_deref())
            .map(|text| match state.expand(text, escape) {
                Some(text) => stages.resolve_from_flag(&text, stage),
                None => Base::Unresolved {
                    text: text.to_string(),
                    reason: "`--from` needs a value not known statically".into(),
                },
            });
        Some(CopyArgs {
            sources: sources.iter().map(|s| state.expand(s, escape)).collect(),
            dest: state.expand(dest, escape),
            from,
            chown: flag("chown"),
            chmod: flag("chmod"),
            link: is_set("link"),
            parents: is_set("parents"),
            exclude: instruction
                .flags
                .iter()
                .filter(|f| f.name == "exclude")
                .filter_map(|f| f.value.as_deref().and_then(|v| state.expand(v, escape)))
                .collect(),
        })
    }

    /// The stage `--from` names, when it names one.
    pub fn from_stage(&self) -> Option<usize> {
        match self.from {
            Some(Base::Stage(index)) => Some(index),
            _ => None,
        }
    }

    /// The destination and every source, when all are known.
    pub fn operands(&self) -> Option<(String, Vec<String>)> {
        Some((
            self.dest.clone()?,
            self.sources.iter().cloned().collect::<Option<Vec<_>>>()?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::catalogue::Catalogue;
    use crate::analysis::model::Model;
    use crate::syntax::parse;

    fn read(src: &str, stage: usize, nth: usize) -> CopyArgs {
        let tree = parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let states = model.states(stage);
        let instructions = &model.stages.stages[stage].instructions;
        let (i, copy) = instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.keyword, Keyword::Copy | Keyword::Add))
            .nth(nth)
            .unwrap();
        CopyArgs::read(copy, &states.before[i], tree.escape, &model.stages, stage).unwrap()
    }

    #[test]
    fn from_resolves_through_arg_defaults() {
        let src = "ARG BUILDER=build\nFROM golang:1.24 AS build\nFROM scratch\nARG BUILDER\n\
                   COPY --from=${BUILDER} /out/app /app\nCOPY --from=build /x /y\n";
        assert_eq!(read(src, 1, 0).from_stage(), Some(0));
        assert_eq!(read(src, 1, 1).from_stage(), Some(0));
    }

    #[test]
    fn the_escape_directive_is_honoured() {
        let src =
            "# escape=`\nFROM debian\nENV DIR=/srv\nCOPY --chown=app:app a.txt b.txt ${DIR}/\n";
        let copy = read(src, 0, 0);
        assert_eq!(
            copy.operands(),
            Some(("/srv/".to_string(), vec!["a.txt".into(), "b.txt".into()]))
        );
        assert_eq!(copy.chown.as_deref(), Some("app:app"));
        assert_eq!(copy.from, None);
    }

    #[test]
    fn flags_are_read() {
        let src = "FROM debian\nCOPY --link --parents --exclude=*.md --chmod=755 . /app/\n";
        let copy = read(src, 0, 0);
        assert!(copy.link && copy.parents);
        assert_eq!(copy.exclude, ["*.md"]);
        assert_eq!(copy.chmod.as_deref(), Some("755"));
    }
}
