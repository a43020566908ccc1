//! Commands without a shell: turning shell-form ENTRYPOINT/CMD text into an argv when that
//! is safe, and recognising what the argv runs (shells; the interpreters are the
//! ecosystems' knowledge: [`crate::ecosystems::interpreter`]).
//!
//! Shell form is safe to convert only when the text uses no shell feature: no `&&`, `;`,
//! pipes, redirects, globs, subshells or command substitution. `$VAR` is replaced by its
//! value only when that value is known statically; the caller warns that a value set at
//! `docker run -e` time no longer applies.

use crate::analysis::env::State;
use crate::analysis::shell::{self, ShellWord};

/// A shell-form command turned into an argv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    pub argv: Vec<String>,
    /// Variables whose build-time value was written into the argv.
    pub expanded: Vec<String>,
}

/// Convert shell-form `text`, or say which shell feature prevents it.
pub fn shell_to_argv(text: &str, state: &State) -> Result<Converted, String> {
    if let Some(feature) = shell_feature(text) {
        return Err(format!("it uses the shell feature `{feature}`"));
    }
    let commands = shell::commands(text).ok_or("the shell cannot parse it")?;
    let [command] = commands.as_slice() else {
        return Err("it runs more than one command".to_string());
    };
    if !command.assignments.is_empty() {
        return Err("it sets variables before the command".to_string());
    }
    let mut words: &[ShellWord] = &command.words;
    if words.first().is_some_and(|w| w.raw == "exec") {
        words = &words[1..];
    }
    if words.is_empty() {
        return Err("it runs nothing".to_string());
    }
    let mut argv = Vec::new();
    let mut expanded = Vec::new();
    for word in words {
        for name in crate::analysis::expand::referenced_vars(&word.raw, '\\') {
            if state.value(&name).is_none() {
                return Err(format!("`${name}` has no value known before run time"));
            }
            if !expanded.contains(&name) {
                expanded.push(name);
            }
        }
        let value = word
            .value(&|n| state.value(n))
            .ok_or_else(|| format!("`{}` cannot be read without a shell", word.raw))?;
        // The shell splits what an unquoted `$VAR` expands to into words (and drops it
        // when empty): `java $JAVA_OPTS -jar app.jar` with `JAVA_OPTS="-Xms256m -Xmx512m"`
        // passes two arguments, or none.
        if has_unquoted_expansion(&word.raw) {
            let splits = value.chars().any(char::is_whitespace);
            if value.contains(['*', '?', '[']) {
                return Err(format!(
                    "`{}` expands to `{value}`, which the shell would expand as a glob",
                    word.raw
                ));
            }
            if is_only_expansion(&word.raw) {
                argv.extend(value.split_whitespace().map(str::to_string));
                continue;
            }
            if splits {
                return Err(format!(
                    "`{}` expands to `{value}`, which the shell would split into words",
                    word.raw
                ));
            }
        }
        argv.push(value);
    }
    Ok(Converted { argv, expanded })
}

/// Whether a shell word has a `$` expansion outside quotes.
fn has_unquoted_expansion(raw: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => {
                chars.next();
            }
            (None, '\'' | '"') => quote = Some(c),
            (None, '$') => return true,
            _ => {}
        }
    }
    false
}

/// Whether a shell word is one unquoted expansion and nothing else: `$VAR`, `${VAR}`,
/// `${VAR:-default}`.
fn is_only_expansion(raw: &str) -> bool {
    let name = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    if let Some(inner) = raw.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        return !inner.contains(['{', '}', '$', '"', '\'']);
    }
    raw.strip_prefix('$').is_some_and(name)
}

/// The first shell feature in `text` outside quotes, if any.
fn shell_feature(text: &str) -> Option<&'static str> {
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    let mut at_word_start = true;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => {
                chars.next();
            }
            (_, '`') => return Some("`…`"),
            (_, '$') if chars.peek() == Some(&'(') => return Some("$(…)"),
            (Some('"'), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '|') => return Some("|"),
            (None, '&') => return Some("&"),
            (None, ';') => return Some(";"),
            (None, '<' | '>') => return Some("redirection"),
            (None, '(' | ')') => return Some("( )"),
            (None, '*' | '?' | '[') => return Some("glob"),
            (None, '{') => return Some("{ }"),
            (None, '~') if at_word_start => return Some("~"),
            (None, '#') if at_word_start => return Some("#"),
            _ => {}
        }
        at_word_start = c.is_whitespace();
    }
    None
}

/// The file name of a program path (`/usr/local/bin/node` → `node`).
pub fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// Shells: a command that runs one is a script the rewrite cannot see into.
pub fn is_shell(program: &str) -> bool {
    matches!(
        basename(program),
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

/// Render an argv as a JSON array the way Dockerfiles are written: `["a", "b"]`.
pub fn exec_form(argv: &[String]) -> String {
    let items: Vec<String> = argv
        .iter()
        .map(|a| serde_json::to_string(a).unwrap_or_default())
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::env::Vars;

    fn state() -> State {
        let mut env = Vars::default();
        env.set("PORT", Some("8080".into()));
        env.set("SECRET", None);
        env.set("JAVA_OPTS", Some("-Xms256m  -Xmx512m".into()));
        env.set("EMPTY", Some(String::new()));
        env.set("GLOB", Some("*.jar".into()));
        State {
            env,
            ..State::default()
        }
    }

    #[test]
    fn converts_plain_commands() {
        let c = shell_to_argv("/app/server --port $PORT 'a b'", &state()).unwrap();
        assert_eq!(c.argv, ["/app/server", "--port", "8080", "a b"]);
        assert_eq!(c.expanded, ["PORT"]);
        let c = shell_to_argv("exec node server.js", &state()).unwrap();
        assert_eq!(c.argv, ["node", "server.js"]);
    }

    #[test]
    fn refuses_shell_features() {
        for text in [
            "a && b",
            "a; b",
            "a | b",
            "a > log",
            "a $(date)",
            "a `date`",
            "a *.txt",
            "A=1 a",
            "a $SECRET",
            "a ~/x",
            "cd /x || exit",
        ] {
            assert!(shell_to_argv(text, &state()).is_err(), "{text}");
        }
        assert!(shell_to_argv("echo 'a && b'", &state()).is_ok());
    }

    #[test]
    fn shells_and_exec_form() {
        assert!(is_shell("/bin/sh"));
        assert_eq!(
            exec_form(&["a".into(), "b \"c\"".into()]),
            r#"["a", "b \"c\""]"#
        );
    }

    #[test]
    fn unquoted_expansions_split_into_words_as_the_shell_does() {
        let argv = |text: &str| shell_to_argv(text, &state()).map(|c| c.argv);
        assert_eq!(
            argv("exec java $JAVA_OPTS -jar app.jar").unwrap(),
            ["java", "-Xms256m", "-Xmx512m", "-jar", "app.jar"]
        );
        assert_eq!(
            argv("java $EMPTY -jar app.jar").unwrap(),
            ["java", "-jar", "app.jar"]
        );
        // Quoted: one word, as written.
        assert_eq!(
            argv("java \"$JAVA_OPTS\" -jar a.jar").unwrap(),
            ["java", "-Xms256m  -Xmx512m", "-jar", "a.jar"]
        );
        assert_eq!(argv("app --port=$PORT").unwrap(), ["app", "--port=8080"]);
        // Split inside a longer word, or a glob: not without a shell.
        assert!(argv("app --opts=$JAVA_OPTS").is_err());
        assert!(argv("java -cp $GLOB Main").is_err());
    }
}
