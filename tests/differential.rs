//! Differential test against the `parse-dockerfile` crate (taiki-e, 0.1.9).
//!
//! For every Dockerfile in `../shared/corpus/{apps,base,parser/kaniko,parser/buildkit/testfiles}`
//! and in `testdata/tricky/` that `parse-dockerfile` accepts, both parsers must agree on the
//! sequence of instruction keywords (ONBUILD with its trigger's keyword), the line each
//! instruction starts on, and the number of heredocs per instruction.
//!
//! `parse-dockerfile` has known gaps (shared/docs/CRATES.md §2.2). Every file it gets wrong
//! is listed in [`KNOWN_GAPS`] with the reason; an entry that no longer applies fails the test,
//! so the list stays exact.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dfslim::syntax::{Args, Instruction, Keyword, line_of, parse};
use parse_dockerfile as pd;

/// What `parse-dockerfile` does wrong with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gap {
    /// It rejects a file that BuildKit parses.
    Rejects,
    /// It accepts the file but reads it differently from BuildKit.
    Differs,
}

/// Files `parse-dockerfile` 0.1.9 gets wrong, by path (corpus-relative, or `testdata/tricky/…`).
const KNOWN_GAPS: &[(&str, Gap, &str)] = &[
    // `ENTRYPOINT []` is valid exec form with no arguments (GRAMMAR.md §1.7).
    (
        "apps/GoogleCloudPlatform__nodejs-docs-samples__endpoints__getting-started-grpc__Dockerfile.Dockerfile",
        Gap::Rejects,
        "`ENTRYPOINT []` rejected (\"requires at least one argument\")",
    ),
    (
        "apps/GoogleCloudPlatform__python-docs-samples__endpoints__getting-started-grpc__Dockerfile.Dockerfile",
        Gap::Rejects,
        "`ENTRYPOINT []` rejected (\"requires at least one argument\")",
    ),
    // A bare HEALTHCHECK passes BuildKit's parser (the instruction layer rejects it later).
    (
        "parser/buildkit/testfiles/health/Dockerfile",
        Gap::Rejects,
        "bare `HEALTHCHECK` and `HEALTHCHECK CONNECT …` rejected (\"expected CMD or NONE\")",
    ),
    // BuildKit's parser does not require FROM; these conformance files have none.
    (
        "parser/buildkit/testfiles/jeztah-invalid-json-json-inside-string/Dockerfile",
        Gap::Rejects,
        "file without FROM rejected",
    ),
    (
        "parser/buildkit/testfiles/jeztah-invalid-json-json-inside-string-double/Dockerfile",
        Gap::Rejects,
        "file without FROM rejected",
    ),
    (
        "parser/buildkit/testfiles/jeztah-invalid-json-single-quotes/Dockerfile",
        Gap::Rejects,
        "file without FROM rejected",
    ),
    (
        "parser/buildkit/testfiles/jeztah-invalid-json-unterminated-bracket/Dockerfile",
        Gap::Rejects,
        "file without FROM rejected",
    ),
    (
        "parser/buildkit/testfiles/jeztah-invalid-json-unterminated-string/Dockerfile",
        Gap::Rejects,
        "file without FROM rejected",
    ),
    (
        "parser/buildkit/testfiles/json/Dockerfile",
        Gap::Rejects,
        "file without FROM rejected",
    ),
    // `\\` at the end of a line is an escaped escape, not a continuation (GRAMMAR.md §1.4:
    // `([^E])E[ \t]*$`); BuildKit's `result` keeps `ENV C` and `ENV D` apart.
    (
        "parser/buildkit/testfiles/trailing-backslash/Dockerfile",
        Gap::Differs,
        "`ENV C trailing\\\\backslash\\\\` taken as continued, swallowing `ENV D`",
    ),
    // Heredocs: parse-dockerfile finds a RUN heredoc only when `<<` opens the arguments, and
    // only one (its TODOs "here-doc is not always start from first", "multiple here-docs").
    // The body then reads as instructions.
    (
        "testdata/tricky/01-heredoc.Dockerfile",
        Gap::Rejects,
        "`RUN python3 <<PY` (command before `<<`) not supported",
    ),
    (
        "testdata/tricky/h02-cmd-first.Dockerfile",
        Gap::Rejects,
        "`RUN python3 <<PY` (command before `<<`) not supported",
    ),
    (
        "testdata/tricky/h04-cat-redirect.Dockerfile",
        Gap::Rejects,
        "`RUN cat <<EOF > /f` (command before `<<`) not supported",
    ),
    (
        "testdata/tricky/h07-two-run.Dockerfile",
        Gap::Rejects,
        "two heredocs in one RUN (`<<EOF1 cat && <<EOF2 cat`) not supported",
    ),
    (
        "testdata/tricky/h12-fd.Dockerfile",
        Gap::Rejects,
        "fd prefix `3<<EOF` not supported",
    ),
    (
        "testdata/tricky/h16-after-continuation.Dockerfile",
        Gap::Rejects,
        "heredoc opened on a continuation line after a command not supported",
    ),
];

/// One instruction as both sides see it: keyword (ONBUILD as `ONBUILD RUN`), 1-based start
/// line of the keyword, number of heredocs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    keyword: String,
    line: usize,
    heredocs: usize,
}

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.keyword, self.line)?;
        if self.heredocs > 0 {
            write!(f, "+{}heredoc", self.heredocs)?;
        }
        Ok(())
    }
}

fn pd_keyword(ins: &pd::Instruction<'_>) -> (String, usize) {
    use pd::Instruction as I;
    let (name, span) = match ins {
        I::Add(i) => ("ADD", &i.add.span),
        I::Arg(i) => ("ARG", &i.arg.span),
        I::Cmd(i) => ("CMD", &i.cmd.span),
        I::Copy(i) => ("COPY", &i.copy.span),
        I::Entrypoint(i) => ("ENTRYPOINT", &i.entrypoint.span),
        I::Env(i) => ("ENV", &i.env.span),
        I::Expose(i) => ("EXPOSE", &i.expose.span),
        I::From(i) => ("FROM", &i.from.span),
        I::Healthcheck(i) => ("HEALTHCHECK", &i.healthcheck.span),
        I::Label(i) => ("LABEL", &i.label.span),
        I::Maintainer(i) => ("MAINTAINER", &i.maintainer.span),
        I::Onbuild(i) => ("ONBUILD", &i.onbuild.span),
        I::Run(i) => ("RUN", &i.run.span),
        I::Shell(i) => ("SHELL", &i.shell.span),
        I::Stopsignal(i) => ("STOPSIGNAL", &i.stopsignal.span),
        I::User(i) => ("USER", &i.user.span),
        I::Volume(i) => ("VOLUME", &i.volume.span),
        I::Workdir(i) => ("WORKDIR", &i.workdir.span),
        _ => ("<new parse-dockerfile variant>", &(0..0)),
    };
    (name.to_string(), span.start)
}

fn pd_heredocs(ins: &pd::Instruction<'_>) -> usize {
    let sources = |src: &[pd::Source<'_>]| {
        src.iter()
            .filter(|s| matches!(s, pd::Source::HereDoc(_)))
            .count()
    };
    match ins {
        pd::Instruction::Run(i) => i.here_docs.len(),
        pd::Instruction::Copy(i) => sources(&i.src),
        pd::Instruction::Add(i) => sources(&i.src),
        pd::Instruction::Onbuild(i) => pd_heredocs(&i.instruction),
        _ => 0,
    }
}

/// parse-dockerfile's view. Its spans are relative to the text after a BOM, which does not
/// change line numbers.
fn theirs(src: &str, file: &pd::Dockerfile<'_>) -> Vec<Seen> {
    let text = src.strip_prefix('\u{feff}').unwrap_or(src);
    file.instructions
        .iter()
        .map(|ins| {
            let (mut keyword, start) = pd_keyword(ins);
            if let pd::Instruction::Onbuild(o) = ins {
                keyword = format!("{keyword} {}", pd_keyword(&o.instruction).0);
            }
            Seen {
                keyword,
                line: line_of(text, start),
                heredocs: pd_heredocs(ins),
            }
        })
        .collect()
}

fn our_heredocs(ins: &Instruction) -> usize {
    match &ins.args {
        Args::Onbuild { trigger } if ins.heredocs.is_empty() => trigger.heredocs.len(),
        _ => ins.heredocs.len(),
    }
}

fn ours(src: &str) -> Vec<Seen> {
    let tree = parse(src);
    tree.instructions()
        .map(|ins| {
            let mut keyword = ins.keyword.as_str().to_string();
            if ins.keyword == Keyword::Unknown {
                keyword = format!("UNKNOWN({})", ins.keyword_word.text);
            }
            if let Args::Onbuild { trigger } = &ins.args {
                keyword = format!("{keyword} {}", trigger.keyword.as_str());
            }
            Seen {
                keyword,
                line: line_of(src, ins.keyword_word.span.start),
                heredocs: our_heredocs(ins),
            }
        })
        .collect()
}

fn side_by_side(a: &[Seen], b: &[Seen]) -> String {
    let mut out = String::new();
    let first = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = first.saturating_sub(2);
    let to = (first + 4).min(a.len().max(b.len()));
    let _ = writeln!(out, "    first difference at instruction {first}:");
    let _ = writeln!(out, "    {:>4}  {:<32} parse-dockerfile", "#", "dfslim");
    for i in from..to {
        let l = a.get(i).map_or("-".to_string(), Seen::to_string);
        let r = b.get(i).map_or("-".to_string(), Seen::to_string);
        let mark = if a.get(i) == b.get(i) { ' ' } else { '!' };
        let _ = writeln!(out, "  {mark} {i:>4}  {l:<32} {r}");
    }
    let _ = writeln!(out, "    ({} vs {} instructions)", a.len(), b.len());
    out
}

fn inputs() -> Option<Vec<(String, PathBuf)>> {
    let root = common::corpus_root("differential")?;
    let mut files = Vec::new();
    for dir in ["apps", "base", "parser/kaniko", "parser/buildkit/testfiles"] {
        for path in common::files_under(&root.join(dir)) {
            if common::is_dockerfile_text(&path) {
                files.push((common::display_path(&path, &root), path));
            }
        }
    }
    let crate_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in common::files_under(&crate_root.join("testdata/tricky")) {
        if path.extension().is_some_and(|e| e == "Dockerfile") {
            files.push((common::display_path(&path, crate_root), path));
        }
    }
    Some(files)
}

#[test]
fn agrees_with_parse_dockerfile() {
    let Some(files) = inputs() else { return };
    assert!(files.len() > 900, "only {} input files found", files.len());

    let mut compared = 0;
    let mut skipped = 0;
    let mut failures = String::new();
    let mut failed = 0;
    for (name, path) in &files {
        let src = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let gap = KNOWN_GAPS.iter().find(|(p, _, _)| p == name);
        let ours = ours(&src);
        match (pd::parse(&src), gap) {
            (Err(_), Some((_, Gap::Rejects, _))) => skipped += 1,
            (Err(e), _) => {
                failed += 1;
                let first = e.to_string();
                let _ = writeln!(
                    failures,
                    "\n{name}: parse-dockerfile rejects it ({}); list it in KNOWN_GAPS with a reason \
                     if BuildKit accepts it",
                    first.lines().next().unwrap_or("")
                );
            }
            (Ok(_), Some((_, Gap::Rejects, reason))) => {
                failed += 1;
                let _ = writeln!(
                    failures,
                    "\n{name}: listed as rejected ({reason}) but parse-dockerfile accepts it now"
                );
            }
            (Ok(file), Some((_, Gap::Differs, reason))) => {
                if theirs(&src, &file) == ours {
                    failed += 1;
                    let _ = writeln!(
                        failures,
                        "\n{name}: listed as differing ({reason}) but both parsers agree now"
                    );
                } else {
                    skipped += 1;
                }
            }
            (Ok(file), None) => {
                compared += 1;
                let theirs = theirs(&src, &file);
                if theirs != ours {
                    failed += 1;
                    let _ = writeln!(failures, "\n{name}:\n{}", side_by_side(&ours, &theirs));
                }
            }
        }
    }
    for (listed, _, _) in KNOWN_GAPS {
        if !files.iter().any(|(name, _)| name == listed) {
            failed += 1;
            let _ = writeln!(failures, "\n{listed}: listed in KNOWN_GAPS but not found");
        }
    }
    eprintln!(
        "differential: {compared} files compared, {skipped} skipped as known gaps, {failed} failing"
    );
    assert!(
        failed == 0,
        "{failed} file(s) where dfslim and parse-dockerfile disagree:{failures}"
    );
}
