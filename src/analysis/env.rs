//! The build-time state of a stage as each instruction sees it: variables (ARG and ENV),
//! the working directory and the user, starting from what the base image sets.
//!
//! Values are either known statically or unknown (a build argument with no default, a value
//! computed from an unknown one). A rewrite may rely only on known values; anything unknown
//! is a reason to decline, never a guess.

use crate::analysis::expand;
use crate::analysis::stages::{Base, MetaArg, Stages};
use crate::syntax::{Args, Instruction, Keyword};

/// Variables in scope, in order of definition; a later entry overrides an earlier one.
/// `None` marks a variable that is set but whose value is unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars(Vec<(String, Option<String>)>);

impl Vars {
    pub fn set(&mut self, name: &str, value: Option<String>) {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value));
    }

    /// `Some(Some(v))` known, `Some(None)` set but unknown, `None` not set.
    pub fn get(&self, name: &str) -> Option<Option<&str>> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_deref()))
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
    /// `None` when a WORKDIR depends on an unknown value.
    pub workdir: Option<String>,
    /// As written in the last USER (expanded when possible); `None` means the base's.
    pub user: Option<String>,
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
            workdir: Some(inherited.workdir.clone().unwrap_or_else(|| "/".to_string())),
            user: inherited.user.clone(),
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

    /// Expand a word from the Dockerfile; `None` when it needs an unknown value.
    pub fn expand(&self, word: &str, escape: char) -> Option<String> {
        for name in expand::referenced_vars(word, escape) {
            // An unset variable expands to "" in BuildKit; that is known. A set variable
            // whose value is unknown is not.
            if self.is_set(&name) && self.value(&name).is_none() {
                return None;
            }
        }
        expand::expand(word, escape, &|n| self.value(n)).ok()
    }

    /// Resolve a path against the working directory.
    pub fn resolve_path(&self, path: &str) -> Option<String> {
        if path.starts_with('/') {
            return Some(normalize_path(path));
        }
        let base = self.workdir.as_deref()?;
        Some(normalize_path(&format!("{base}/{path}")))
    }

    /// Apply one instruction.
    pub fn apply(&mut self, instruction: &Instruction, meta_args: &[MetaArg], escape: char) {
        match (&instruction.keyword, &instruction.args) {
            (Keyword::Arg, Args::ArgDecls { decls }) => {
                for decl in decls {
                    let value = match &decl.default {
                        Some(default) => self.expand(&default.text, escape),
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
                    self.env
                        .set(&pair.key.text, before.expand(&pair.value.text, escape));
                }
            }
            (Keyword::Workdir, Args::Text { text }) => {
                self.workdir = self
                    .expand(&text.text, escape)
                    .and_then(|dir| self.resolve_path(&dir));
            }
            (Keyword::User, Args::Text { text }) => {
                self.user = Some(self.expand(&text.text, escape).unwrap_or(text.text.clone()));
            }
            _ => {}
        }
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

/// Walk a stage. `inherited` answers what an image base sets (from the catalogue); a stage
/// built `FROM` another stage starts from that stage's end state, less its ARGs.
pub fn stage_states(
    stages: &Stages<'_>,
    index: usize,
    escape: char,
    inherited: &dyn Fn(&Base) -> Inherited,
) -> StageStates {
    let stage = &stages.stages[index];
    let mut state = match &stage.base {
        Base::Stage(parent) if *parent < index => {
            let mut s = stage_states(stages, *parent, escape, inherited).end;
            s.args = Vars::default();
            s
        }
        base => State::from_inherited(&inherited(base)),
    };
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
        let last = stages.stages.len() - 1;
        stage_states(&stages, last, tree.escape, &|_| inherited.clone()).end
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
