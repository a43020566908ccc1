//! A fuzz harness for the parser that runs on stable Rust, so that CI can run it.
//!
//! Two generators feed [`common::invariants::check_bytes`] (no panic, spans tile the
//! input, every inner span within its item, the BuildKit dump, determinism):
//! * `fuzz_grammar`: Dockerfile-shaped text from a grammar-aware proptest strategy:
//!   keywords in random case, flags, JSON arrays (broken ones too), heredoc openers with
//!   and without bodies, continuations with either escape character, `# escape=`
//!   directives, comments and blank lines inside continuations, CRLF, a BOM, random
//!   Unicode and random bytes decoded lossily.
//! * `fuzz_mutation`: byte mutations (flips, inserts from a Dockerfile dictionary,
//!   deletions, duplications, splices) of the seed files: `fuzz/corpus/parse/`,
//!   `testdata/tricky/` and, when it is there, the shared corpus read in place.
//!
//! Budget: `DFSLIM_FUZZ_CASES` executions per generator (default 256, so `cargo test`
//! stays fast) and/or `DFSLIM_FUZZ_SECONDS` of wall time (when only the time is given,
//! the run is bounded by time alone). `DFSLIM_FUZZ_SEED` replays a run. A failing input is
//! shrunk, written under `fuzz/artifacts/stable/` and the test fails; move it to
//! `fuzz/regressions/` once fixed, where `fuzz_regressions` keeps checking it.
//! `scripts/fuzz.sh` runs both generators for a fixed time.

mod common;

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use common::invariants::check_bytes;

// ---------------------------------------------------------------------------------------
// The run loop

/// How long one generator runs.
struct Budget {
    cases: Option<u64>,
    time: Option<Duration>,
}

impl Budget {
    fn from_env() -> Budget {
        let number = |name: &str| {
            std::env::var(name).ok().map(|v| {
                v.trim()
                    .parse::<u64>()
                    .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}"))
            })
        };
        let time = number("DFSLIM_FUZZ_SECONDS").map(Duration::from_secs);
        let cases = match (number("DFSLIM_FUZZ_CASES"), time) {
            (Some(cases), _) => Some(cases),
            // A time budget alone means: as many cases as fit in it.
            (None, Some(_)) => None,
            (None, None) => Some(256),
        };
        Budget { cases, time }
    }

    fn exhausted(&self, runs: u64, started: Instant) -> bool {
        self.cases.is_some_and(|c| runs >= c) || self.time.is_some_and(|t| started.elapsed() >= t)
    }
}

thread_local! {
    /// Set while a case runs: panics are expected there and recorded, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic hook that records panics of fuzz cases (thousands of them while shrinking would
/// bury the report) and leaves every other panic to the default hook.
fn install_quiet_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.get() {
                LAST_PANIC.set(Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// Check one input: `Err` with a description on a panic or a broken invariant.
fn run_case(bytes: &[u8]) -> Result<(), String> {
    QUIET.set(true);
    let outcome = catch_unwind(AssertUnwindSafe(|| check_bytes(bytes)));
    QUIET.set(false);
    match outcome {
        Ok(result) => result,
        Err(_) => Err(format!(
            "panic: {}",
            LAST_PANIC
                .take()
                .unwrap_or_else(|| "(no message)".to_string())
        )),
    }
}

/// Run `strategy` within the budget; on a failure shrink it, save it and fail the test.
fn fuzz<S>(name: &str, strategy: S, to_bytes: impl Fn(&S::Value) -> Vec<u8>)
where
    S: Strategy,
{
    install_quiet_panic_hook();
    let budget = Budget::from_env();
    let seed = std::env::var("DFSLIM_FUZZ_SEED")
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        });
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);

    let started = Instant::now();
    let mut runs = 0u64;
    let mut bytes_total = 0usize;
    let mut slowest = (Duration::ZERO, 0usize);
    while !budget.exhausted(runs, started) {
        let mut tree = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|e| panic!("{name}: the strategy cannot generate: {e}"));
        let bytes = to_bytes(&tree.current());
        let case_started = Instant::now();
        let outcome = run_case(&bytes);
        let took = case_started.elapsed();
        if took > slowest.0 {
            slowest = (took, bytes.len());
        }
        runs += 1;
        bytes_total += bytes.len();
        if let Err(problem) = outcome {
            let (bytes, problem) = shrink(&mut tree, &to_bytes, bytes, problem);
            let saved = save_artifact(name, &bytes);
            panic!(
                "{name}: FAILED after {runs} executions (seed {seed:x}): {problem}\n\
                 shrunk input ({} bytes) saved as {}:\n{:?}",
                bytes.len(),
                saved.display(),
                String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]),
            );
        }
    }
    let secs = started.elapsed().as_secs_f64();
    // One write: libtest's "has been running for over 60 seconds" goes to the same log,
    // and a line written in pieces can be split by it (scripts/fuzz.sh reads this line).
    let line = format!(
        "fuzz {name}: {runs} executions in {secs:.1} s ({:.0}/s), 0 crashes, \
         mean input {} bytes, slowest {:.1} ms ({} bytes), seed {seed:x}\n",
        runs as f64 / secs.max(1e-9),
        bytes_total / runs.max(1) as usize,
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1,
    );
    use std::io::Write;
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// proptest's shrinking loop, bounded in steps and time so that a slow failure still
/// reports.
fn shrink<T: ValueTree>(
    tree: &mut T,
    to_bytes: &impl Fn(&T::Value) -> Vec<u8>,
    mut best: Vec<u8>,
    mut problem: String,
) -> (Vec<u8>, String) {
    let started = Instant::now();
    let mut steps = 0;
    let mut simplify = true;
    while steps < 10_000 && started.elapsed() < Duration::from_secs(120) {
        steps += 1;
        let moved = if simplify {
            tree.simplify()
        } else {
            tree.complicate()
        };
        if !moved {
            break;
        }
        let bytes = to_bytes(&tree.current());
        match run_case(&bytes) {
            Err(p) => {
                best = bytes;
                problem = p;
                simplify = true;
            }
            Ok(()) => simplify = false,
        }
    }
    (best, problem)
}

fn save_artifact(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/artifacts/stable");
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{name}-{hash:016x}"));
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, bytes)) {
        eprintln!(
            "{name}: could not save the input to {}: {e}",
            path.display()
        );
    }
    path
}

// ---------------------------------------------------------------------------------------
// Grammar-aware generation

const KEYWORDS: [&str; 18] = [
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// `word` with the case of each letter picked by a bit of `bits`.
fn random_case(word: &str, bits: u64) -> String {
    word.chars()
        .enumerate()
        .map(|(i, c)| {
            if bits >> (i % 64) & 1 == 1 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect()
}

fn keyword() -> BoxedStrategy<String> {
    prop_oneof![
        12 => (prop::sample::select(&KEYWORDS[..]), any::<u64>(), any::<bool>())
            .prop_map(|(k, bits, upper)| if upper { k.to_string() } else { random_case(k, bits) }),
        1 => "[A-Za-z]{1,10}",
        1 => unicode(),
    ]
    .boxed()
}

/// Odd Unicode: white space Go and Rust disagree on, format characters, a stray BOM, and
/// arbitrary characters.
fn unicode() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{2029}",
            "\u{3000}",
            "\u{feff}",
            "\u{200b}",
            "\u{b}",
            "\u{c}",
            "\r",
            "\t",
            "\0",
            "é",
            "😀",
            "\u{10ffff}",
            "\u{fffd}",
        ])
        .prop_map(str::to_string),
        prop::collection::vec(any::<char>(), 1..6).prop_map(String::from_iter),
    ]
    .boxed()
}

/// Random bytes, decoded the way the CLI shows undecodable input.
fn lossy_bytes() -> BoxedStrategy<String> {
    prop::collection::vec(any::<u8>(), 1..24)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
        .boxed()
}

fn flag() -> BoxedStrategy<String> {
    prop_oneof![
        "--[a-z]{1,8}",
        "--[a-z]{1,8}=[a-z0-9,=/.:$]{0,12}",
        "--\"[a-z]{1,6}\"=x",
        "--[a-z]{1,4}='a b'",
        Just("--".to_string()),
        Just("--mount=type=cache,target=/root/.cache".to_string()),
        Just("--from=build".to_string()),
        Just("--platform=$BUILDPLATFORM".to_string()),
    ]
    .boxed()
}

fn json_element() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "\"[a-z /.-]{0,8}\"",
        1 => Just(r#""\n\t\" \\ \/ \u00e9 \ud83d\ude00 \ud800""#.to_string()),
        1 => Just(r#""c:\windows""#.to_string()),
        1 => "-?[0-9]{1,4}(\\.[0-9])?",
        1 => prop::sample::select(vec!["null", "true", "false", "{}", "{\"a\":1}", "[]", "[\"x\"]"])
            .prop_map(str::to_string),
        1 => "'[a-z]{0,4}'",
        1 => "\"[a-z]*",
    ]
    .boxed()
}

fn json_array() -> BoxedStrategy<String> {
    (
        prop::collection::vec(json_element(), 0..5),
        prop::sample::select(vec![",", ", ", " , ", ",\t", ""]),
        prop::sample::select(vec!["[", "[ ", "\t[", "["]),
        prop::sample::select(vec!["]", " ]", "]\t", "", "] junk", "]]", ",]"]),
    )
        .prop_map(|(elements, sep, open, close)| format!("{open}{}{close}", elements.join(sep)))
        .boxed()
}

fn heredoc_opener() -> BoxedStrategy<(String, String)> {
    (
        prop::sample::select(vec!["", "", "3", "10", "99999999999"]),
        prop::sample::select(vec!["<<", "<<-", "<< ", "<<- ", "<<  "]),
        prop::sample::select(vec![
            "EOF", "E", "eof", "FIN", "x.y", "$E", "EOF>out", "E O", "",
        ]),
        prop::sample::select(vec!["", "\"", "'", "half\""]),
    )
        .prop_map(|(fd, op, name, quote)| {
            let opener = match quote {
                "half\"" => format!("{fd}{op}\"{name}"),
                q => format!("{fd}{op}{q}{name}{q}"),
            };
            (opener, name.to_string())
        })
        .boxed()
}

fn word() -> BoxedStrategy<String> {
    prop_oneof![
        8 => "[a-zA-Z0-9_./:-]{1,10}",
        2 => "\\$\\{?[A-Za-z_]{1,5}(:-[a-z]{0,3})?\\}?",
        2 => "\"[^\"\n]{0,8}\"",
        2 => "'[^'\n]{0,8}'",
        2 => "[a-z]{1,5}=[a-z\"' ]{0,6}",
        1 => "\\\\.",
        1 => "`.",
        1 => Just("&&".to_string()),
        1 => Just("#".to_string()),
        1 => json_array(),
        1 => heredoc_opener().prop_map(|(o, _)| o),
        1 => unicode(),
        1 => lossy_bytes(),
    ]
    .boxed()
}

/// How the tokens of one instruction are separated: blanks, or a line continuation with
/// optional trailing blanks, comment lines and blank lines after it.
#[derive(Clone, Debug)]
enum Sep {
    Blank(&'static str),
    Continuation {
        escape: char,
        trailing: &'static str,
        inner: Vec<&'static str>,
        indent: &'static str,
    },
}

fn sep() -> BoxedStrategy<Sep> {
    prop_oneof![
        6 => prop::sample::select(vec![" ", "  ", "\t", " \u{b}", "\u{c}"]).prop_map(Sep::Blank),
        2 => (
            prop::sample::select(vec!['\\', '\\', '`']),
            prop::sample::select(vec!["", " ", "\t ", "  "]),
            prop::collection::vec(
                prop::sample::select(vec!["# inner comment", "  # indented", "", "   ", "#\\"]),
                0..3,
            ),
            prop::sample::select(vec!["", " ", "\t", "    "]),
        )
            .prop_map(|(escape, trailing, inner, indent)| Sep::Continuation {
                escape,
                trailing,
                inner,
                indent,
            }),
    ]
    .boxed()
}

/// One top-level piece before line endings are chosen; `\n` stands for the file's line
/// break, which `assemble` replaces.
fn item(depth: u32) -> BoxedStrategy<String> {
    let instruction = (
        keyword(),
        prop::collection::vec(flag(), 0..3),
        prop::collection::vec(word(), 0..6),
        prop::collection::vec(sep(), 8),
        prop::sample::select(vec!["", " ", "\t", "\\", "`", " \\"]),
    )
        .prop_map(|(kw, flags, words, seps, tail)| {
            let mut out = kw;
            for (i, token) in flags.iter().chain(words.iter()).enumerate() {
                push_sep(&mut out, &seps[i % seps.len()]);
                out.push_str(token);
            }
            out.push_str(tail);
            out
        });
    let heredoc = (
        prop::sample::select(vec!["RUN", "run", "COPY", "ADD", "ONBUILD RUN", "USER"]),
        prop::collection::vec(heredoc_opener(), 1..4),
        prop::sample::select(vec!["", " cat", " /dst", " && echo"]),
        prop::collection::vec(prop::collection::vec(word(), 0..3), 0..4),
        prop::collection::vec(
            prop::sample::select(vec!["exact", "exact", "tabbed", "cr", "missing", "spaced"]),
            4,
        ),
    )
        .prop_map(|(kw, openers, tail, bodies, terminators)| {
            let mut out = kw.to_string();
            for (opener, _) in &openers {
                out.push(' ');
                out.push_str(opener);
            }
            out.push_str(tail);
            for (i, (_, name)) in openers.iter().enumerate() {
                for line in bodies.get(i).map_or(&[][..], Vec::as_slice) {
                    out.push('\n');
                    out.push_str(line);
                }
                match terminators[i % terminators.len()] {
                    "exact" => out.push_str(&format!("\n{name}")),
                    "tabbed" => out.push_str(&format!("\n\t\t{name}")),
                    "cr" => out.push_str(&format!("\n{name}\r")),
                    "spaced" => out.push_str(&format!("\n {name} ")),
                    _ => {}
                }
            }
            out
        });
    let leaf = prop_oneof![
        10 => instruction,
        3 => heredoc,
        2 => "#[^\n]{0,12}",
        1 => prop::sample::select(vec!["", "  ", "\t", "\u{3000}"]).prop_map(str::to_string),
        1 => unicode(),
        1 => lossy_bytes(),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        8 => leaf,
        1 => (prop::sample::select(vec!["ONBUILD", "onbuild", "OnBuild\t"]), item(depth - 1))
            .prop_map(|(kw, inner)| format!("{kw} {inner}")),
    ]
    .boxed()
}

fn push_sep(out: &mut String, sep: &Sep) {
    match sep {
        Sep::Blank(blank) => out.push_str(blank),
        Sep::Continuation {
            escape,
            trailing,
            inner,
            indent,
        } => {
            out.push(' ');
            out.push(*escape);
            out.push_str(trailing);
            for line in inner {
                out.push('\n');
                out.push_str(line);
            }
            out.push('\n');
            out.push_str(indent);
        }
    }
}

/// A whole Dockerfile-shaped text.
#[derive(Clone, Debug)]
struct Shape {
    bom: bool,
    directives: Vec<String>,
    items: Vec<String>,
    line_ending: &'static str,
    final_newline: bool,
}

fn directive() -> BoxedStrategy<String> {
    (
        prop::sample::select(vec!["#", "# ", "#\t", " # "]),
        prop::sample::select(vec![
            "escape", "ESCAPE", "syntax", "check", "Escape", "other",
        ]),
        prop::sample::select(vec!["=", " = ", "= "]),
        prop::sample::select(vec![
            "`",
            "\\",
            "x",
            "``",
            "",
            "docker/dockerfile:1",
            "skip=all",
            "\u{a0}`",
        ]),
    )
        .prop_map(|(hash, key, eq, value)| format!("{hash}{key}{eq}{value}"))
        .boxed()
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        prop::bool::weighted(0.1),
        prop::collection::vec(directive(), 0..3),
        prop::collection::vec(item(3), 0..10),
        prop::sample::select(vec!["\n", "\n", "\r\n", "\r\r\n", "\r"]),
        any::<bool>(),
    )
        .prop_map(
            |(bom, directives, items, line_ending, final_newline)| Shape {
                bom,
                directives,
                items,
                line_ending,
                final_newline,
            },
        )
}

fn assemble(shape: &Shape) -> Vec<u8> {
    let mut text = String::new();
    if shape.bom {
        text.push('\u{feff}');
    }
    let lines: Vec<&String> = shape.directives.iter().chain(&shape.items).collect();
    for (i, line) in lines.iter().enumerate() {
        text.push_str(&line.replace('\n', shape.line_ending));
        if i + 1 < lines.len() || shape.final_newline {
            text.push_str(shape.line_ending);
        }
    }
    text.into_bytes()
}

#[test]
fn fuzz_grammar() {
    fuzz("grammar", shape(), assemble);
}

// ---------------------------------------------------------------------------------------
// Mutation of seed files

/// Byte strings that mean something to the parser, for inserts.
const DICTIONARY: [&str; 26] = [
    "\\\n",
    "`\n",
    "\r\n",
    "\n",
    "\r",
    " \\ \n",
    "<<EOF\n",
    "<<-EOF",
    "EOF\n",
    "\tEOF\n",
    "ONBUILD ",
    "RUN ",
    "COPY ",
    "# escape=`\n",
    "[\"a\", 1]",
    "[",
    "]",
    "\"",
    "'",
    "\u{feff}",
    "#",
    "--mount=",
    "=",
    "${",
    "\t",
    "\u{85}",
];

#[derive(Clone, Debug)]
enum Mutation {
    FlipBit {
        at: usize,
        bit: u8,
    },
    SetByte {
        at: usize,
        byte: u8,
    },
    Insert {
        at: usize,
        token: usize,
    },
    InsertBytes {
        at: usize,
        bytes: Vec<u8>,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Duplicate {
        from: usize,
        len: usize,
        at: usize,
    },
    Splice {
        seed: usize,
        from: usize,
        len: usize,
        at: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::SetByte { at, byte }),
        3 => (any::<usize>(), 0..DICTIONARY.len())
            .prop_map(|(at, token)| Mutation::Insert { at, token }),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::InsertBytes { at, bytes }),
        1 => (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => (any::<usize>(), 1usize..256, any::<usize>())
            .prop_map(|(from, len, at)| Mutation::Duplicate { from, len, at }),
        1 => (any::<usize>(), any::<usize>(), 1usize..256, any::<usize>())
            .prop_map(|(seed, from, len, at)| Mutation::Splice { seed, from, len, at }),
    ]
}

fn apply(mut bytes: Vec<u8>, mutation: &Mutation, seeds: &[Vec<u8>]) -> Vec<u8> {
    let pos = |at: usize, len: usize| at % (len + 1);
    match mutation {
        Mutation::FlipBit { at, bit } if !bytes.is_empty() => {
            let i = at % bytes.len();
            bytes[i] ^= 1 << bit;
        }
        Mutation::SetByte { at, byte } if !bytes.is_empty() => {
            let i = at % bytes.len();
            bytes[i] = *byte;
        }
        Mutation::Insert { at, token } => {
            let i = pos(*at, bytes.len());
            bytes.splice(i..i, DICTIONARY[*token].bytes());
        }
        Mutation::InsertBytes { at, bytes: new } => {
            let i = pos(*at, bytes.len());
            bytes.splice(i..i, new.iter().copied());
        }
        Mutation::Delete { at, len } => {
            let i = pos(*at, bytes.len());
            let end = (i + len).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Duplicate { from, len, at } => {
            let i = pos(*from, bytes.len());
            let piece = bytes[i..(i + len).min(bytes.len())].to_vec();
            let at = pos(*at, bytes.len());
            bytes.splice(at..at, piece);
        }
        Mutation::Splice {
            seed,
            from,
            len,
            at,
        } => {
            let other = &seeds[seed % seeds.len()];
            let i = pos(*from, other.len());
            let piece = &other[i..(i + len).min(other.len())];
            let at = pos(*at, bytes.len());
            bytes.splice(at..at, piece.iter().copied());
        }
        _ => {}
    }
    bytes
}

/// Every file in a folder (not recursive), sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn project_dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The seed files: the project's own, then the shared corpus when it is beside the
/// repository (read in place, never copied).
fn seeds() -> Vec<Vec<u8>> {
    let mut paths = files_in(&project_dir("fuzz/corpus/parse"));
    paths.extend(files_in(&project_dir("testdata/tricky")));
    if let Some(root) = common::corpus_root("fuzz_mutation") {
        paths.extend(
            common::files_under(&root)
                .into_iter()
                .filter(|p| common::is_dockerfile_text(p)),
        );
    }
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|bytes| bytes.len() <= 256 * 1024)
        .collect()
}

#[test]
fn fuzz_mutation() {
    let seeds = seeds();
    assert!(seeds.len() >= 30, "only {} seed files found", seeds.len());
    let strategy = (any::<usize>(), prop::collection::vec(mutation(), 1..8));
    fuzz("mutation", strategy, |(seed, mutations)| {
        let start = seeds[seed % seeds.len()].clone();
        mutations
            .iter()
            .fold(start, |bytes, m| apply(bytes, m, &seeds))
    });
}

// ---------------------------------------------------------------------------------------
// Seeds and regressions

/// Every seed and every saved crash reproducer holds the invariants, unmutated.
#[test]
fn fuzz_regressions() {
    install_quiet_panic_hook();
    let mut paths = files_in(&project_dir("fuzz/regressions"));
    paths.extend(files_in(&project_dir("fuzz/corpus/parse")));
    paths.extend(files_in(&project_dir("testdata/tricky")));
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(problem) = run_case(&bytes) {
            failures.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
