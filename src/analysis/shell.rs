//! What a `RUN` script does, as far as can be read without running it: the simple commands
//! it runs, in order, with the variables set before each and the directory each runs in.
//!
//! The shell text is parsed with brush-parser. Control flow is flattened: commands inside
//! `if`, loops, subshells and brace groups are listed too, marked `conditional`, because a
//! rewrite may rely only on what certainly runs. A script that does not parse is opaque:
//! callers treat it as "could do anything".

use brush_parser::ast::{
    AndOr, Command, CommandPrefixOrSuffixItem, CompoundCommand, CompoundList, IoFileRedirectKind,
    IoFileRedirectTarget, IoRedirect, Pipeline, SimpleCommand,
};

use crate::analysis::expand;

/// A word of a shell command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// The word as written, quotes and `$` kept.
    pub raw: String,
}

impl ShellWord {
    /// The word's value when it needs no variable (quotes removed).
    pub fn literal(&self) -> Option<String> {
        if self.has_substitution() || !expand::referenced_vars(&self.raw, '\\').is_empty() {
            return None;
        }
        expand::expand(&self.raw, '\\', &|_| None).ok()
    }

    /// The word's value with the variables `vars` knows; `None` when a variable it needs is
    /// unknown or it runs a command (`$(…)`, backquotes).
    pub fn value(&self, vars: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        if self.has_substitution() {
            return None;
        }
        for name in expand::referenced_vars(&self.raw, '\\') {
            vars(&name)?;
        }
        expand::expand(&self.raw, '\\', vars).ok()
    }

    fn has_substitution(&self) -> bool {
        self.raw.contains("$(") || self.raw.contains('`')
    }

    /// Unquoted glob characters: the word may stand for several files.
    pub fn has_glob(&self) -> bool {
        let mut quote = None;
        let mut chars = self.raw.chars();
        while let Some(c) = chars.next() {
            match (quote, c) {
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None | Some('"'), '\\') => {
                    chars.next();
                }
                (None, '*' | '?' | '[') => return true,
                _ => {}
            }
        }
        false
    }
}

/// One simple command of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCommand {
    /// `NAME=value` assignments written before the command word, for this command only.
    pub assignments: Vec<(String, ShellWord)>,
    /// The command word and its arguments (redirections excluded).
    pub words: Vec<ShellWord>,
    /// Inside `if`, a loop, `||`, a subshell or a function: it may not run.
    pub conditional: bool,
    /// The directory set by an earlier `cd` in the same script, if any (as written).
    pub cd: Option<ShellWord>,
    /// Variables set earlier in the same script by `export X=…` or a bare `X=…`.
    pub script_vars: Vec<(String, ShellWord)>,
    /// The files its output redirections write (`> FILE`, `>> FILE`, `&> FILE`).
    pub writes: Vec<ShellWord>,
}

impl ShellCommand {
    /// The command name's literal value (`go`, `/usr/bin/cargo` → as written).
    pub fn program(&self) -> Option<String> {
        self.words.first()?.literal()
    }

    /// The command's words as written, one space apart (`go build -o /out/app .`): how
    /// plans and declines quote it.
    pub fn written(&self) -> String {
        self.words
            .iter()
            .map(|w| w.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The program's file name without its directory (`/usr/local/go/bin/go` → `go`).
    pub fn program_name(&self) -> Option<String> {
        let program = self.program()?;
        Some(program.rsplit('/').next().unwrap_or(&program).to_string())
    }

    /// The value of an assignment visible to this command: its own prefix first, then the
    /// script's earlier exports.
    pub fn assigned(&self, name: &str) -> Option<&ShellWord> {
        self.assignments
            .iter()
            .rev()
            .chain(self.script_vars.iter().rev())
            .find(|(n, _)| n == name)
            .map(|(_, w)| w)
    }
}

/// The file an output redirection writes, as written.
fn written_file(redirect: &IoRedirect) -> Option<ShellWord> {
    let word = match redirect {
        IoRedirect::File(
            _,
            IoFileRedirectKind::Write
            | IoFileRedirectKind::Append
            | IoFileRedirectKind::Clobber
            | IoFileRedirectKind::ReadAndWrite,
            IoFileRedirectTarget::Filename(word),
        ) => word,
        IoRedirect::OutputAndError(word, _) => word,
        _ => return None,
    };
    Some(ShellWord {
        raw: word.value.clone(),
    })
}

/// How deep a script may nest (`if`, loops, `( )`, `{ }`, `$( )`, backquotes) before it is
/// left opaque. brush-parser and the walker below recurse once or more per level: an
/// `if` took about 5 KiB of stack a level in a release build, so 500 nested `if`s (a
/// 7 KB `RUN`) overflowed a worker thread's 2 MiB stack and aborted the process. Real
/// scripts nest a few levels; debug builds take several times the stack a level.
pub const MAX_SCRIPT_NESTING: usize = 32;

/// The deepest nesting in a script, counted without parsing it: `(`, `{`, a backquote
/// and the words `if`, `case`, `for`, `select`, `while` and `until` open a level; `)`,
/// `}`, a backquote and `fi`, `esac` and `done` close one. Quotes are not read, so a
/// bracket in a string counts too: an overestimate, never an underestimate.
fn nesting_depth(script: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut in_backquote = false;
    let mut escaped = false;
    for word in script.split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|') {
        match word {
            "if" | "case" | "for" | "select" | "while" | "until" => depth += 1,
            "fi" | "esac" | "done" => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
        for c in word.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '(' | '{' => depth += 1,
                ')' | '}' => depth = depth.saturating_sub(1),
                '`' => {
                    in_backquote = !in_backquote;
                    if in_backquote {
                        depth += 1;
                    } else {
                        depth = depth.saturating_sub(1);
                    }
                }
                _ => {}
            }
            deepest = deepest.max(depth);
        }
        escaped = false;
    }
    deepest
}

/// The commands of a script, or `None` when brush-parser cannot read it, or when it nests
/// deeper than [`MAX_SCRIPT_NESTING`] (see there).
pub fn commands(script: &str) -> Option<Vec<ShellCommand>> {
    if nesting_depth(script) > MAX_SCRIPT_NESTING {
        return None;
    }
    let options = brush_parser::ParserOptions::default();
    let source = brush_parser::SourceInfo::default();
    let mut parser = brush_parser::Parser::new(
        std::io::BufReader::new(script.as_bytes()),
        &options,
        &source,
    );
    let program = parser.parse_program().ok()?;
    let mut walker = Walker::default();
    for complete in &program.complete_commands {
        walker.list(complete, false);
    }
    Some(walker.out)
}

#[derive(Default)]
struct Walker {
    out: Vec<ShellCommand>,
    cd: Option<ShellWord>,
    vars: Vec<(String, ShellWord)>,
}

impl Walker {
    fn list(&mut self, list: &CompoundList, conditional: bool) {
        for item in &list.0 {
            let and_or = &item.0;
            self.pipeline(&and_or.first, conditional);
            for next in &and_or.additional {
                match next {
                    // After `&&` a command runs only if the previous one succeeded, which a
                    // failing build stops anyway; after `||` it may not run at all.
                    AndOr::And(p) => self.pipeline(p, conditional),
                    AndOr::Or(p) => self.pipeline(p, true),
                }
            }
        }
    }

    fn pipeline(&mut self, pipeline: &Pipeline, conditional: bool) {
        // Commands in a pipeline of several run in subshells: their `cd` and variables do
        // not last.
        let piped = pipeline.seq.len() > 1;
        for command in &pipeline.seq {
            self.command(command, conditional, piped);
        }
    }

    fn command(&mut self, command: &Command, conditional: bool, piped: bool) {
        match command {
            Command::Simple(simple) => self.simple(simple, conditional, piped),
            Command::Compound(compound, _) => self.compound(compound, conditional),
            Command::Function(_) | Command::ExtendedTest(_) => {}
        }
    }

    fn compound(&mut self, compound: &CompoundCommand, conditional: bool) {
        match compound {
            CompoundCommand::BraceGroup(group) => self.list(&group.list, conditional),
            CompoundCommand::Subshell(sub) => {
                let (cd, vars) = (self.cd.clone(), self.vars.clone());
                self.list(&sub.list, conditional);
                self.cd = cd;
                self.vars = vars;
            }
            CompoundCommand::IfClause(clause) => {
                self.list(&clause.condition, conditional);
                self.list(&clause.then, true);
                for els in clause.elses.iter().flatten() {
                    if let Some(condition) = &els.condition {
                        self.list(condition, true);
                    }
                    self.list(&els.body, true);
                }
            }
            CompoundCommand::ForClause(clause) => self.list(&clause.body.list, true),
            CompoundCommand::ArithmeticForClause(clause) => self.list(&clause.body.list, true),
            CompoundCommand::WhileClause(clause) | CompoundCommand::UntilClause(clause) => {
                self.list(&clause.0, true);
                self.list(&clause.1.list, true);
            }
            CompoundCommand::CaseClause(clause) => {
                for case in &clause.cases {
                    if let Some(body) = &case.cmd {
                        self.list(body, true);
                    }
                }
            }
            CompoundCommand::Arithmetic(_) => {}
        }
    }

    fn simple(&mut self, simple: &SimpleCommand, conditional: bool, piped: bool) {
        let mut assignments = Vec::new();
        let mut words = Vec::new();
        let writes: Vec<ShellWord> = simple
            .prefix
            .iter()
            .flat_map(|p| p.0.iter())
            .chain(simple.suffix.iter().flat_map(|s| s.0.iter()))
            .filter_map(|item| match item {
                CommandPrefixOrSuffixItem::IoRedirect(redirect) => written_file(redirect),
                _ => None,
            })
            .collect();
        for item in simple.prefix.iter().flat_map(|p| p.0.iter()) {
            if let CommandPrefixOrSuffixItem::AssignmentWord(assignment, _) = item
                && let brush_parser::ast::AssignmentValue::Scalar(value) = &assignment.value
            {
                assignments.push((
                    assignment.name.to_string(),
                    ShellWord {
                        raw: value.value.clone(),
                    },
                ));
            }
        }
        if let Some(word) = &simple.word_or_name {
            words.push(ShellWord {
                raw: word.value.clone(),
            });
        }
        for item in simple.suffix.iter().flat_map(|s| s.0.iter()) {
            match item {
                CommandPrefixOrSuffixItem::Word(word) => words.push(ShellWord {
                    raw: word.value.clone(),
                }),
                CommandPrefixOrSuffixItem::AssignmentWord(_, word) => words.push(ShellWord {
                    raw: word.value.clone(),
                }),
                _ => {}
            }
        }
        if words.is_empty() {
            // `X=1` alone sets a shell variable for the rest of the script.
            if !piped {
                self.vars.extend(assignments);
            }
            return;
        }
        let command = ShellCommand {
            assignments,
            words,
            conditional,
            cd: self.cd.clone(),
            script_vars: self.vars.clone(),
            writes,
        };
        if !piped && !conditional {
            self.track_state(&command);
        }
        self.out.push(command);
    }

    /// `cd DIR` and `export X=…` change what later commands in the script see.
    fn track_state(&mut self, command: &ShellCommand) {
        match command.program().as_deref() {
            Some("cd") => self.cd = command.words.get(1).cloned(),
            Some("export") => {
                for word in &command.words[1..] {
                    if let Some((name, value)) = word.raw.split_once('=') {
                        self.vars.push((
                            name.to_string(),
                            ShellWord {
                                raw: value.to_string(),
                            },
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(c: &ShellCommand) -> Vec<String> {
        c.words.iter().map(|w| w.raw.clone()).collect()
    }

    #[test]
    fn flattens_and_lists_and_tracks_state() {
        let cmds = commands(
            "set -eux; cd /src && export GOOS=linux && CGO_ENABLED=0 go build -o /out/app ./cmd/app || echo failed",
        )
        .unwrap();
        let go = cmds
            .iter()
            .find(|c| c.program().as_deref() == Some("go"))
            .unwrap();
        assert_eq!(argv(go), ["go", "build", "-o", "/out/app", "./cmd/app"]);
        assert_eq!(go.assigned("CGO_ENABLED").unwrap().raw, "0");
        assert_eq!(go.assigned("GOOS").unwrap().raw, "linux");
        assert_eq!(go.cd.as_ref().unwrap().raw, "/src");
        assert!(!go.conditional);
        let echo = cmds.last().unwrap();
        assert!(echo.conditional);
    }

    #[test]
    fn conditional_bodies_are_marked() {
        let cmds = commands("if [ -f x ]; then make; fi; for f in a b; do gcc $f; done").unwrap();
        let make = cmds
            .iter()
            .find(|c| c.program().as_deref() == Some("make"))
            .unwrap();
        assert!(make.conditional);
        let gcc = cmds
            .iter()
            .find(|c| c.program().as_deref() == Some("gcc"))
            .unwrap();
        assert!(gcc.conditional);
    }

    #[test]
    fn word_values() {
        let w = ShellWord {
            raw: "\"$OUT\"/bin".into(),
        };
        assert_eq!(w.literal(), None);
        let vars = |n: &str| (n == "OUT").then(|| "/o".to_string());
        assert_eq!(w.value(&vars).as_deref(), Some("/o/bin"));
        assert_eq!(
            ShellWord {
                raw: "'a b'".into()
            }
            .literal()
            .as_deref(),
            Some("a b")
        );
        assert_eq!(
            ShellWord {
                raw: "$(pwd)/x".into()
            }
            .value(&vars),
            None
        );
        assert!(ShellWord { raw: "*.so".into() }.has_glob());
        assert!(
            !ShellWord {
                raw: "'*.so'".into()
            }
            .has_glob()
        );
    }

    /// Each kind of nesting, as deep as allowed, parses on a thread with the 2 MiB stack
    /// of a worker (in a debug build, which takes the most stack); one level deeper, and
    /// far deeper, the script is opaque and nothing recurses.
    #[test]
    fn deep_nesting_is_opaque_not_a_stack_overflow() {
        let kinds: [fn(usize) -> String; 7] = [
            |n| format!("{}x{}", "if true; then ".repeat(n), "; fi".repeat(n)),
            |n| format!("{}x{}", "while true; do ".repeat(n), "; done".repeat(n)),
            |n| format!("{}x{}", "{ ".repeat(n), "; }".repeat(n)),
            |n| format!("{}x{}", "(".repeat(n), ")".repeat(n)),
            |n| format!("echo {}x{}", "$( ".repeat(n), " )".repeat(n)),
            |n| format!("echo {}x{}", "$(echo \"".repeat(n), "\")".repeat(n)),
            |n| format!("echo $(({}1{}))", "(".repeat(n), ")".repeat(n)),
        ];
        let worker = std::thread::Builder::new().stack_size(2 << 20);
        let run = worker
            .spawn(move || {
                for (kind, script) in kinds.iter().enumerate() {
                    // `$((` is two levels of its own.
                    let at_limit = if kind == 6 {
                        MAX_SCRIPT_NESTING - 2
                    } else {
                        MAX_SCRIPT_NESTING
                    };
                    let deepest_allowed = script(at_limit);
                    assert_eq!(
                        nesting_depth(&deepest_allowed),
                        MAX_SCRIPT_NESTING,
                        "{kind}"
                    );
                    let _ = commands(&deepest_allowed);
                    assert_eq!(commands(&script(at_limit + 1)), None, "{kind}");
                    assert_eq!(commands(&script(100_000)), None, "{kind}");
                }
            })
            .unwrap();
        run.join().expect("no stack overflow");
    }

    #[test]
    fn unparsable_scripts_are_opaque() {
        assert!(commands("if then fi (((").is_none());
    }
}
