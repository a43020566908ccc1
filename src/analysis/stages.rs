//! Stages and the references between them: which instructions belong to which stage, what
//! each stage is built on, and which stage is the final one.
//!
//! BuildKit's rules (GRAMMAR.md §1.9): ARGs before the first FROM are meta ARGs and are the
//! only variables (with the automatic platform ARGs) that expand in `FROM`. A `FROM`,
//! `COPY --from` or `RUN --mount=from=` names an earlier stage by name (case-insensitive) or
//! by index; any other name is an image. The default target is the last stage.

use std::collections::HashMap;

use crate::analysis::expand::{self, ExpandError};
use crate::analysis::image_ref::ImageRef;
use crate::syntax::{Args, Dockerfile, Instruction, Keyword, Span, Word};

/// An `ARG` declared before the first `FROM`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaArg {
    pub name: String,
    /// The default as written, if any.
    pub default: Option<String>,
    /// The default expanded with the meta ARGs before it; `None` when it has no default or
    /// the default needs a value that is not known statically.
    pub value: Option<String>,
}

/// What a stage, or a `--from`, refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage, by index.
    Stage(usize),
    /// An image (`scratch` included: see [`ImageRef::is_scratch`]).
    Image(ImageRef),
    /// Not known without running the build: a variable with no static value, or text that is
    /// not an image reference.
    Unresolved { text: String, reason: String },
}

/// A value dfslim refused to expand for its cost (`ExpandError::limit`), and the word that
/// holds it. BuildKit would expand it, so the file cannot be analysed as it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub span: Span,
    pub error: ExpandError,
}

/// One `FROM` and the instructions after it.
#[derive(Clone, Debug)]
pub struct Stage<'t> {
    pub index: usize,
    /// The `AS` name, lower-cased as BuildKit does.
    pub name: Option<String>,
    pub from: &'t Instruction,
    /// The image word of `FROM` as written.
    pub image_word: Option<&'t Word>,
    /// The `AS name` part (the `AS` keyword and the name), if present.
    pub alias_span: Option<Span>,
    pub platform: Option<String>,
    pub base: Base,
    /// The instructions after `FROM`, up to the next stage.
    pub instructions: Vec<&'t Instruction>,
}

impl<'t> Stage<'t> {
    /// How the stage can be referred to: its name, or else its index.
    pub fn reference(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.index.to_string())
    }

    pub fn instructions_of(&self, keyword: Keyword) -> impl Iterator<Item = &'t Instruction> + '_ {
        self.instructions
            .iter()
            .copied()
            .filter(move |i| i.keyword == keyword)
    }

    /// The last instruction of this kind in the stage (the one that takes effect).
    pub fn last(&self, keyword: Keyword) -> Option<&'t Instruction> {
        self.instructions_of(keyword).last()
    }
}

/// The stages of a Dockerfile.
#[derive(Clone, Debug)]
pub struct Stages<'t> {
    pub meta_args: Vec<MetaArg>,
    pub stages: Vec<Stage<'t>>,
    /// Meta ARG defaults and FROM words refused for their cost, in file order.
    pub refused: Vec<Refused>,
    /// The index of the first stage of each name: a `FROM <name>` or `--from=<name>` looks
    /// up its stage here rather than scanning the stages before it, which was quadratic.
    by_name: HashMap<String, usize>,
}

/// Why no final stage can be chosen.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("the Dockerfile has no FROM instruction")]
    NoStages,
    /// `stages` are the names a target can take, in file order, so that the message can
    /// list them.
    #[error("no stage is named `{name}`; {}", stage_list(stages))]
    UnknownTarget { name: String, stages: Vec<String> },
}

fn stage_list(stages: &[String]) -> String {
    if stages.is_empty() {
        return "no stage has a name (`FROM image AS name`)".to_string();
    }
    let names: Vec<String> = stages.iter().map(|s| format!("`{s}`")).collect();
    format!("the stages are {}", names.join(", "))
}

impl<'t> Stages<'t> {
    pub fn new(tree: &'t Dockerfile) -> Stages<'t> {
        let mut meta_args = Vec::new();
        let mut stages: Vec<Stage<'t>> = Vec::new();
        let mut refused = Vec::new();
        let mut by_name = HashMap::new();
        for instruction in tree.instructions() {
            if instruction.keyword == Keyword::From {
                let stage = Self::stage(
                    stages.len(),
                    instruction,
                    &meta_args,
                    &by_name,
                    tree.escape,
                    &mut refused,
                );
                if let Some(name) = &stage.name {
                    by_name.entry(name.clone()).or_insert(stage.index);
                }
                stages.push(stage);
            } else if let Some(stage) = stages.last_mut() {
                stage.instructions.push(instruction);
            } else if let Args::ArgDecls { decls } = &instruction.args {
                for decl in decls {
                    let default = decl.default.as_ref().map(|w| w.text.clone());
                    // Each default sees the meta ARGs declared before it.
                    let value = decl.default.as_ref().and_then(|word| {
                        match expand_meta(&word.text, &meta_args, tree.escape) {
                            Ok(value) => Some(value),
                            Err(Unexpanded::Unknown(_)) => None,
                            Err(Unexpanded::Refused(error)) => {
                                refused.push(Refused {
                                    span: word.span,
                                    error,
                                });
                                None
                            }
                        }
                    });
                    meta_args.push(MetaArg {
                        name: decl.name.text.clone(),
                        default,
                        value,
                    });
                }
            }
        }
        Stages {
            meta_args,
            stages,
            refused,
            by_name,
        }
    }

    fn stage(
        index: usize,
        from: &'t Instruction,
        meta_args: &[MetaArg],
        earlier: &HashMap<String, usize>,
        escape: char,
        refused: &mut Vec<Refused>,
    ) -> Stage<'t> {
        let words: &[Word] = match &from.args {
            Args::Words { words } => words,
            _ => &[],
        };
        let image_word = words.first();
        let (name, alias_span) = match words {
            [_, as_kw, name] if as_kw.text.eq_ignore_ascii_case("as") => (
                Some(name.text.to_lowercase()),
                Some(as_kw.span.cover(name.span)),
            ),
            _ => (None, None),
        };
        let base = match image_word {
            None => Base::Unresolved {
                text: String::new(),
                reason: "FROM names no image".into(),
            },
            Some(word) => match expand_meta(&word.text, meta_args, escape) {
                Err(Unexpanded::Unknown(reason)) => Base::Unresolved {
                    text: word.text.clone(),
                    reason,
                },
                Err(Unexpanded::Refused(error)) => {
                    let reason = error.to_string();
                    refused.push(Refused {
                        span: word.span,
                        error,
                    });
                    Base::Unresolved {
                        text: word.text.clone(),
                        reason,
                    }
                }
                Ok(text) => resolve_from(&text, earlier),
            },
        };
        Stage {
            index,
            name,
            from,
            image_word,
            alias_span,
            platform: from.flag("platform").and_then(|f| f.value.clone()),
            base,
            instructions: Vec::new(),
        }
    }

    /// The stage `target` names, or the last stage.
    pub fn target(&self, target: Option<&str>) -> Result<&Stage<'t>, TargetError> {
        match target {
            None => self.stages.last().ok_or(TargetError::NoStages),
            Some(name) => self
                .by_name
                .get(&name.to_lowercase())
                .map(|&index| &self.stages[index])
                .ok_or_else(|| TargetError::UnknownTarget {
                    name: name.to_string(),
                    stages: self.stages.iter().filter_map(|s| s.name.clone()).collect(),
                }),
        }
    }

    /// Follow `FROM <stage>` down to what the stage is ultimately built on: an image or an
    /// unresolved reference. Returns the chain of stage indices walked, last first.
    pub fn root_base(&self, stage: usize) -> (&Base, Vec<usize>) {
        let mut chain = vec![stage];
        let mut current = stage;
        loop {
            match &self.stages[current].base {
                // Stage references only point backwards, so this ends.
                Base::Stage(earlier) if *earlier < current => {
                    current = *earlier;
                    chain.push(current);
                }
                base => return (base, chain),
            }
        }
    }

    /// What `--from=<text>` means for an instruction in stage `in_stage`: an earlier stage by
    /// name or index, or an image.
    pub fn resolve_from_flag(&self, text: &str, in_stage: usize) -> Base {
        let earlier = in_stage.min(self.stages.len());
        if let Ok(index) = text.parse::<usize>()
            && index < earlier
        {
            return Base::Stage(index);
        }
        match resolve_from(text, &self.by_name) {
            Base::Stage(index) if index >= earlier => image_or_unresolved(text),
            base => base,
        }
    }

    /// The stage an instruction belongs to.
    pub fn stage_of(&self, instruction: &Instruction) -> Option<&Stage<'t>> {
        self.stages.iter().find(|s| {
            std::ptr::eq(s.from, instruction)
                || s.instructions.iter().any(|i| std::ptr::eq(*i, instruction))
        })
    }
}

/// Why a word with meta ARGs has no static value.
enum Unexpanded {
    /// A variable has no static value, or the word does not parse: the reason.
    Unknown(String),
    /// Over one of dfslim's limits.
    Refused(ExpandError),
}

/// Expand a FROM word with the meta ARGs' values. A variable with no static value (no
/// default, or an automatic platform ARG) makes the reference unresolved.
fn expand_meta(word: &str, meta_args: &[MetaArg], escape: char) -> Result<String, Unexpanded> {
    let value_of = |name: &str| meta_args.iter().rev().find(|a| a.name == name);
    for name in expand::referenced_vars(word, escape) {
        match value_of(&name) {
            Some(MetaArg { value: Some(_), .. }) => {}
            Some(_) => {
                return Err(Unexpanded::Unknown(format!(
                    "`{name}` has no default, so its value comes from the build command"
                )));
            }
            None => {
                return Err(Unexpanded::Unknown(format!(
                    "`{name}` has no value before the first FROM (only meta ARGs expand in FROM)"
                )));
            }
        }
    }
    expand::expand(word, escape, &|name| value_of(name)?.value.clone()).map_err(|e| {
        if e.limit.is_some() {
            Unexpanded::Refused(e)
        } else {
            Unexpanded::Unknown(e.to_string())
        }
    })
}

/// A stage named `text` among `earlier` (names lower-cased, first of each name), or else
/// the image `text` names.
fn resolve_from(text: &str, earlier: &HashMap<String, usize>) -> Base {
    match earlier.get(&text.to_lowercase()) {
        Some(&index) => Base::Stage(index),
        None => image_or_unresolved(text),
    }
}

fn image_or_unresolved(text: &str) -> Base {
    match ImageRef::parse(text) {
        Ok(image) => Base::Image(image),
        Err(e) => Base::Unresolved {
            text: text.to_string(),
            reason: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn image(base: &Base) -> String {
        match base {
            Base::Image(i) => i.familiar(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn stages_names_and_bases() {
        let tree = parse(
            "ARG GO=1.23\nFROM golang:${GO}-bookworm AS Build\nRUN go build\n\
             FROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n",
        );
        let stages = Stages::new(&tree);
        assert_eq!(stages.meta_args[0].name, "GO");
        assert_eq!(stages.stages.len(), 3);
        assert_eq!(stages.stages[0].name.as_deref(), Some("build"));
        assert_eq!(image(&stages.stages[0].base), "golang:1.23-bookworm");
        assert_eq!(stages.stages[1].base, Base::Stage(0));
        assert_eq!(stages.root_base(1).1, vec![1, 0]);
        assert_eq!(stages.stages[0].instructions.len(), 1);
        let last = stages.target(None).unwrap();
        assert_eq!(last.index, 2);
        assert!(matches!(&last.base, Base::Image(i) if i.is_scratch()));
        assert_eq!(stages.target(Some("TEST")).unwrap().index, 1);
        assert!(stages.target(Some("nope")).is_err());
        assert_eq!(stages.resolve_from_flag("build", 2), Base::Stage(0));
        assert_eq!(stages.resolve_from_flag("0", 2), Base::Stage(0));
        assert_eq!(image(&stages.resolve_from_flag("alpine", 2)), "alpine");
    }

    #[test]
    fn unknown_variables_leave_the_base_unresolved() {
        let tree = parse("ARG TAG\nFROM app:$TAG\nFROM --platform=$BUILDPLATFORM x:$NOPE\n");
        let stages = Stages::new(&tree);
        assert!(matches!(stages.stages[0].base, Base::Unresolved { .. }));
        assert!(matches!(stages.stages[1].base, Base::Unresolved { .. }));
        assert_eq!(stages.stages[1].platform.as_deref(), Some("$BUILDPLATFORM"));
    }

    #[test]
    fn defaults_refer_to_earlier_meta_args() {
        let tree = parse("ARG V=3.12\nARG IMG=python:${V}-slim\nFROM ${IMG}\n");
        let stages = Stages::new(&tree);
        assert_eq!(image(&stages.stages[0].base), "python:3.12-slim");
    }
}
