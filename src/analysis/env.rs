//! The build-time state of a stage as each instruction sees it: variables (ARG and ENV),
//! the working directory and the user, starting from what the base image sets.
//!
//! Values are either known statically or unknown (a build argument with no default, a value
//! computed from an unknown one). A rewrite may rely only on known values; anything unknown
//! is a reason to decline, never a guess.

use std::sync::Arc;

use crate::analysis::expand::{self, ExpandError};
use crate::analysis::stages::{Base, MetaArg, Refused, Stages};
use crate::syntax::{Args, Instruction, Keyword};

/// Variables in scope; a later definition overrides an earlier one. `None` marks a
/// variable that is set but whose value is unknown.
///
/// A persistent hash map (a hash array mapped trie, from `rpds`): a copy shares every
/// binding with the original, and `set` and `get` cost the log of the number of variables.
/// The analysis keeps the state before every instruction, so with a plain vector 20,000
/// `ENV` lines (a 200 KB file) made 200 million copies of names and values and ran out of
/// memory; with a shared list, each lookup of a variable set early (`$PATH`, from the base
/// image) walked every later binding, and the same file took 29 s.
#[derive(Clone)]
pub struct Vars {
    map: rpds::HashTrieMapSync<String, Binding>,
    /// The order of the next definition, so that [`Vars::iter`] can list them in order.
    next: u64,
}

struct Binding {
    order: u64,
    value: Option<String>,
}

impl Default for Vars {
    fn default() -> Vars {
        Vars {
            // A small degree: each `set` on a shared map copies one node per level, and
            // the states before 40,000 `ENV` lines held 1.6 KB each with the default 64.
            map: rpds::HashTrieMapSync::new_sync_with_degree(16),
            next: 0,
        }
    }
}

impl Vars {
    pub fn set(&mut self, name: &str, value: Option<String>) {
        let order = self.next;
        self.next += 1;
        self.map
            .insert_mut(name.to_string(), Binding { order, value });
    }

    /// `Some(Some(v))` known, `Some(None)` set but unknown, `None` not set.
    pub fn get(&self, name: &str) -> Option<Option<&str>> {
        self.map.get(name).map(|b| b.value.as_deref())
    }

    /// Each variable once, with its value in force, in the order of their last definition.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        let mut latest: Vec<(&String, &Binding)> = self.map.iter().collect();
        latest.sort_unstable_by_key(|(_, b)| b.order);
        latest
            .into_iter()
            .map(|(name, b)| (name.as_str(), b.value.as_deref()))
    }
}

impl PartialEq for Vars {
    fn eq(&self, other: &Vars) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Vars {}

impl std::fmt::Debug for Vars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// What the base image contributes before the stage's first instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inherited {
    pub env: Vec<(String, String)>,
    pub workdir: Option<String>,
    pub user: Option<String>,
}

/// The state before (or after) an instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub args: Vars,
    pub env: Vars,
    /// `None` when a WORKDIR depends on an unknown value. Shared, not copied, by the
    /// state before each instruction (a value may be up to 1 MiB).
    pub workdir: Option<Arc<str>>,
    /// As written in the last USER (expanded when possible); `None` means the base's.
    pub user: Option<Arc<str>>,
}

impl State {
    pub fn from_inherited(inherited: &Inherited) -> State {
        let mut env = Vars::default();
        for (name, value) in &inherited.env {
            env.set(name, Some(value.clone()));
        }
        State {
            args: Vars::default(),
            env,
            workdir: Some(Arc::from(inherited.workdir.as_deref().unwrap_or("/"))),
            user: inherited.user.as_deref().map(Arc::from),
        }
    }

    /// A variable's known value: ENV wins over ARG, as in BuildKit.
    pub fn value(&self, name: &str) -> Option<String> {
        match self.env.get(name) {
            Some(v) => v.map(str::to_string),
            None => self.args.get(name).flatten().map(str::to_string),
        }
    }

    /// Whether a variable is set at all (known or not).
    pub fn is_set(&self, name: &str) -> bool {
        self.env.get(name).is_some() || self.args.get(name).is_some()
    }

    /// Expand a word from the Dockerfile; `None` when it needs an unknown value, or when
    /// dfslim refuses it for its cost (see [`State::expand_checked`]).
    pub fn expand(&self, word: &str, escape: char) -> Option<String> {
        self.expand_checked(word, escape).ok().flatten()
    }

    /// Like [`State::expand`], but an expansion over one of dfslim's limits (an error with
    /// a `limit` code) is an error: BuildKit would expand it, so it must be reported.
    pub fn expand_checked(&self, word: &str, escape: char) -> Result<Option<String>, ExpandError> {
        for name in expand::referenced_vars(word, escape) {
            // An unset variable expands to "" in BuildKit; that is known. A set variable
            // whose value is unknown is not.
            if self.is_set(&name) && self.value(&name).is_none() {
                return Ok(None);
            }
        }
        match expand::expand(word, escape, &|n| self.value(n)) {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.limit.is_some() => Err(error),
            Err(_) => Ok(None),
        }
    }

    /// Resolve a path against the working directory.
    pub fn resolve_path(&self, path: &str) -> Option<String> {
        if path.starts_with('/') {
            return Some(normalize_path(path));
        }
        let base = self.workdir.as_deref()?;
        Some(normalize_path(&format!("{base}/{path}")))
    }

    /// Apply one instruction. Returns the first value it refused for its cost (the
    /// variable is then set but unknown), with the span of the word that holds it.
    pub fn apply(
        &mut self,
        instruction: &Instruction,
        meta_args: &[MetaArg],
        escape: char,
    ) -> Option<Refused> {
        let mut refused = None;
        let mut checked = |word: &crate::syntax::Word, state: &State| {
            state
                .expand_checked(&word.text, escape)
                .unwrap_or_else(|error| {
                    refused.get_or_insert(Refused {
                        span: word.span,
                        error,
                    });
                    None
                })
        };
        match (&instruction.keyword, &instruction.args) {
            (Keyword::Arg, Args::ArgDecls { decls }) => {
                for decl in decls {
                    let value = match &decl.default {
                        Some(default) => checked(default, self),
                        // A bare `ARG X` brings in the meta ARG's default, if there is one.
                        None => meta_args
                            .iter()
                            .rev()
                            .find(|m| m.name == decl.name.text)
                            .and_then(|m| m.value.clone()),
                    };
                    self.args.set(&decl.name.text, value);
                }
            }
            (Keyword::Env, Args::Pairs { pairs }) => {
                // Every value sees the variables from before the instruction.
                let before = self.clone();
                // The legacy `ENV K v w` form has the rest of the line as its value word.
                for pair in pairs {
                    let value = checked(&pair.value, &before);
                    self.env.set(&pair.key.text, value);
                }
            }
            (Keyword::Workdir, Args::Text { text }) => {
                self.workdir = checked(text, self)
                    .and_then(|dir| self.resolve_path(&dir))
                    .map(Arc::from);
            }
            (Keyword::User, Args::Text { text }) => {
                let user = checked(text, self).unwrap_or(text.text.clone());
                self.user = Some(Arc::from(user));
            }
            _ => {}
        }
        refused
    }
}

/// Collapse `.`, `..` and repeated slashes in an absolute path.
pub fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The state at every instruction of a stage, `states[i]` being the state *before*
/// `stage.instructions[i]`, plus the state after the last one.
#[derive(Clone, Debug)]
pub struct StageStates {
    pub before: Vec<State>,
    pub end: State,
}

/// The state a stage starts from: what its image sets (`inherited` answers from the
/// catalogue for the stage of that index), or the end state of the stage it is built `FROM`, less its ARGs. `ends`
/// holds the end states of the stages before it (see [`end_states`]).
fn start_state(
    stages: &Stages<'_>,
    index: usize,
    ends: &[State],
    inherited: &dyn Fn(usize) -> Inherited,
) -> State {
    match &stages.stages[index].base {
        Base::Stage(parent) if *parent < index => {
            // A copy shares the variables (see `Vars`): this costs nothing per variable.
            let mut state = ends[*parent].clone();
            state.args = Vars::default();
            state
        }
        _ => State::from_inherited(&inherited(index)),
    }
}

/// The end state of every stage, in order, each from the end of the stage it is built on,
/// so a chain of thousands of stages is walked once, not once per stage and not by
/// recursion. Also returns every value refused for its cost, in file order.
pub fn end_states(
    stages: &Stages<'_>,
    escape: char,
    inherited: &dyn Fn(usize) -> Inherited,
) -> (Vec<State>, Vec<Refused>) {
    let mut ends: Vec<State> = Vec::with_capacity(stages.stages.len());
    let mut refused = Vec::new();
    for stage in &stages.stages {
        let mut state = start_state(stages, stage.index, &ends, inherited);
        for instruction in &stage.instructions {
            refused.extend(state.apply(instruction, &stages.meta_args, escape));
        }
        ends.push(state);
    }
    (ends, refused)
}

/// Walk a stage from the end states of the stages before it (`ends`, from [`end_states`]).
pub fn stage_states(
    stages: &Stages<'_>,
    index: usize,
    escape: char,
    ends: &[State],
    inherited: &dyn Fn(usize) -> Inherited,
) -> StageStates {
    let mut state = start_state(stages, index, ends, inherited);
    let stage = &stages.stages[index];
    let mut before = Vec::with_capacity(stage.instructions.len());
    for instruction in &stage.instructions {
        before.push(state.clone());
        state.apply(instruction, &stages.meta_args, escape);
    }
    StageStates { before, end: state }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn end_state(src: &str, inherited: Inherited) -> State {
        let tree = parse(src);
        let stages = Stages::new(&tree);
        let inherited = |_: usize| inherited.clone();
        let (ends, _) = end_states(&stages, tree.escape, &inherited);
        let last = stages.stages.len() - 1;
        stage_states(&stages, last, tree.escape, &ends, &inherited).end
    }

    #[test]
    fn tracks_args_env_workdir_user() {
        let state = end_state(
            "ARG V=1\nFROM golang\nARG V\nARG OUT=/out\nENV BIN=$OUT/app A=x B=$A\n\
             WORKDIR src\nWORKDIR ../app\nUSER nobody\n",
            Inherited {
                env: vec![("GOPATH".into(), "/go".into())],
                workdir: Some("/go".into()),
                user: None,
            },
        );
        assert_eq!(state.value("V").as_deref(), Some("1"));
        assert_eq!(state.value("BIN").as_deref(), Some("/out/app"));
        // B sees the value of A from before the instruction: unset, so empty.
        assert_eq!(state.value("B").as_deref(), Some(""));
        assert_eq!(state.value("GOPATH").as_deref(), Some("/go"));
        assert_eq!(state.workdir.as_deref(), Some("/go/app"));
        assert_eq!(state.user.as_deref(), Some("nobody"));
    }

    #[test]
    fn unknown_values_stay_unknown() {
        let state = end_state(
            "FROM x\nARG TOKEN\nENV T=$TOKEN\nWORKDIR /a/$TOKEN\n",
            Inherited::default(),
        );
        assert_eq!(state.value("T"), None);
        assert!(state.is_set("T"));
        assert_eq!(state.workdir, None);
    }

    #[test]
    fn child_stages_inherit_env_but_not_args() {
        let state = end_state(
            "FROM x AS a\nARG A=1\nENV E=2\nWORKDIR /w\nFROM a\n",
            Inherited::default(),
        );
        assert_eq!(state.value("E").as_deref(), Some("2"));
        assert_eq!(state.value("A"), None);
        assert_eq!(state.workdir.as_deref(), Some("/w"));
    }

    #[test]
    fn paths() {
        assert_eq!(normalize_path("/a//b/./c/../d"), "/a/b/d");
        assert_eq!(normalize_path("/.."), "/");
    }
}
