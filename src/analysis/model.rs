//! The semantic model of one Dockerfile: the tree, its stages, the chosen final stage and
//! what the catalogue knows about the images they are built on. Rules and the rewrite read
//! everything through this one type, so each fact is computed in one place.

use crate::analysis::catalogue::{Catalogue, FamilyLevel, ImageFacts};
use crate::analysis::env::{Inherited, StageStates, State, end_states, stage_states};
use crate::analysis::expand;
use crate::analysis::image_ref::ImageRef;
use crate::analysis::level::Level;
use crate::analysis::stages::{Base, Stage, Stages, TargetError};
use crate::syntax::{Args, Dockerfile, Instruction, Keyword, SyntaxError};

/// The most ARG and ENV instructions a file may hold (`docs/limits.md`). Real files have a
/// few dozen; an 8 MiB file of `ENV` lines held 1.1 GB of states.
pub const MAX_VARIABLE_INSTRUCTIONS: usize = 20_000;

/// The error code of a file over [`MAX_VARIABLE_INSTRUCTIONS`].
pub const TOO_MANY_VARIABLES: &str = "too-many-variables";

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

pub struct Model<'t> {
    pub src: &'t str,
    pub tree: &'t Dockerfile,
    pub stages: Stages<'t>,
    pub catalogue: &'t Catalogue,
    /// The stage the build targets (`--target`, or the last one).
    pub target: Result<usize, TargetError>,
    /// Whether the target was named (`--target`) rather than the last stage by default: a
    /// rewrite must then leave a stage of that name for the build to target.
    pub target_named: bool,
    /// The state at the end of each stage (see [`end_states`]).
    ends: Vec<State>,
    /// Values refused for their cost (`docs/limits.md`), in file order: the CLI reports
    /// them as errors, since BuildKit would build the file and dfslim cannot follow it.
    pub errors: Vec<SyntaxError>,
    /// Each stage's states, computed on first use: the planner and the rules ask for them
    /// many times, and walking a stage of 40,000 instructions each time cost seconds.
    states: Vec<std::sync::OnceLock<StageStates>>,
    /// What the catalogue knows of each stage's image, looked up on first use: rules and
    /// planner ask for it dozens of times per file.
    facts: Vec<std::sync::OnceLock<Option<ImageFacts>>>,
}

impl<'t> Model<'t> {
    pub fn new(
        src: &'t str,
        tree: &'t Dockerfile,
        catalogue: &'t Catalogue,
        target: Option<&str>,
    ) -> Model<'t> {
        let stages = Stages::new(tree);
        let target_name = target;
        let target = stages.target(target).map(|s| s.index);
        let facts: Vec<std::sync::OnceLock<Option<ImageFacts>>> = (0..stages.stages.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let (ends, refused) = end_states(&stages, tree.escape, &|index| {
            inherited(stage_facts(&facts, catalogue, &stages, index))
        });
        let mut refused: Vec<_> = stages.refused.iter().cloned().chain(refused).collect();
        refused.sort_by_key(|r| r.span.start);
        let over_limit = |span, code: &'static str, message: String| SyntaxError {
            span,
            code,
            message,
            help: Some(
                "BuildKit has no such limit, but dfslim stops here to bound its time and \
                 memory; see docs/limits.md"
                    .into(),
            ),
        };
        let mut errors: Vec<SyntaxError> = refused
            .into_iter()
            .map(|r| {
                over_limit(
                    r.span,
                    r.error.limit.unwrap_or(expand::TOO_LARGE),
                    r.error.message,
                )
            })
            .collect();
        // The analysis keeps the state before every instruction, and each ARG or ENV makes
        // a new one: past this many, the file is refused rather than held.
        if let Some(first_over) = tree
            .instructions()
            .filter(|i| matches!(i.keyword, Keyword::Arg | Keyword::Env))
            .nth(MAX_VARIABLE_INSTRUCTIONS)
        {
            errors.push(over_limit(
                first_over.line_span,
                TOO_MANY_VARIABLES,
                format!(
                    "more than {MAX_VARIABLE_INSTRUCTIONS} ARG and ENV instructions; dfslim reads no further"
                ),
            ));
            errors.sort_by_key(|e| e.span.start);
        }
        Model {
            src,
            tree,
            stages,
            catalogue,
            target,
            target_named: target_name.is_some(),
            states: (0..ends.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            facts,
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
    pub fn facts(&self, stage: usize) -> Option<&ImageFacts> {
        stage_facts(&self.facts, self.catalogue, &self.stages, stage)
    }

    /// The level of a stage's image: its base image's level; `unknown` when the base is
    /// not known.
    pub fn level(&self, stage: usize) -> Level {
        match self.facts(stage) {
            Some(facts) => facts.level,
            None => self.family(stage).map_or(Level::Unknown, |f| f.level),
        }
    }

    /// The level a stage's image has by its family, when the catalogue does not describe
    /// its tag (see [`Catalogue::family_level`]); `None` when it does, or knows no family.
    pub fn family(&self, stage: usize) -> Option<FamilyLevel> {
        if self.facts(stage).is_some() {
            return None;
        }
        self.catalogue.family_level(self.root_image(stage)?)
    }

    /// The state before every instruction of a stage.
    pub fn states(&self, stage: usize) -> &StageStates {
        self.states[stage].get_or_init(|| {
            stage_states(
                &self.stages,
                stage,
                self.tree.escape,
                &self.ends,
                &|index| inherited(self.facts(index)),
            )
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

    /// The COPY and ADD lines of a stage and of the stages it is built on, oldest first,
    /// each read in the state before it: the stage it belongs to, the instruction, its
    /// arguments and that state.
    pub fn chain_copies(
        &self,
        stage: usize,
    ) -> Vec<(
        usize,
        &'t Instruction,
        crate::analysis::copy::CopyArgs,
        &State,
    )> {
        let mut out = Vec::new();
        for index in self.chain(stage) {
            let states = self.states(index);
            for (i, instruction) in self.stages.stages[index].instructions.iter().enumerate() {
                if let Some(args) = crate::analysis::copy::CopyArgs::read(
                    instruction,
                    &states.before[i],
                    self.tree.escape,
                    &self.stages,
                    index,
                ) {
                    out.push((index, *instruction, args, &states.before[i]));
                }
            }
        }
        out
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

/// What the catalogue knows of the image a stage is built on, looked up once per stage in
/// `memo`.
fn stage_facts<'m>(
    memo: &'m [std::sync::OnceLock<Option<ImageFacts>>],
    catalogue: &Catalogue,
    stages: &Stages<'_>,
    stage: usize,
) -> Option<&'m ImageFacts> {
    memo[stage]
        .get_or_init(|| match stages.root_base(stage).0 {
            Base::Image(image) => catalogue.lookup(image),
            _ => None,
        })
        .as_ref()
}

/// What an image sets before a stage's first instruction (nothing when it is not known).
fn inherited(facts: Option<&ImageFacts>) -> Inherited {
    facts
        .map(|facts| Inherited {
            env: facts
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            workdir: facts.workdir.clone(),
            user: facts.user.clone(),
        })
        .unwrap_or_default()
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
