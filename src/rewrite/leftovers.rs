//! Files the final stage holds that a new slim stage would leave behind.
//!
//! When the rewrite appends a stage, the new image has only what it copies: the
//! application's paths. Every `COPY`/`ADD` of the final stage (and of the stages it is built
//! on) must therefore land inside one of those paths, or be a build input: a file of the
//! build context copied into a folder where the build runs (`COPY . .` before `go build`).
//! Anything else — a config file in `/etc/app`, packages copied to `/usr/local`, assets from
//! another stage — would be missing, so the rewrite must decline and name it.

use crate::analysis::env::normalize_path;
use crate::analysis::model::Model;
use crate::analysis::shell;
use crate::rewrite::app::{copy_operands, covers};
use crate::syntax::{Args, Instruction, Keyword};

/// A file or folder the new stage would not have, and the instruction that put it there.
#[derive(Clone, Debug)]
pub struct Leftover<'t> {
    pub instruction: &'t Instruction,
    /// Where it lands, or the destination as written when it cannot be resolved.
    pub dest: String,
}

/// Folders that hold build configuration, not application files (`/root/.m2`, apt sources).
const BUILD_CONFIG_DIRS: &[&str] = &["/root", "/etc/apt"];

/// The first COPY/ADD of `stage`'s chain whose files the new stage would not have, given
/// the paths it copies.
pub fn first_leftover<'t>(
    model: &Model<'t>,
    stage: usize,
    copied: &[(String, String)],
) -> Option<Leftover<'t>> {
    let (_, chain) = model.stages.root_base(stage);
    // Oldest stage first: a build folder counts for the COPYs before it.
    let chain: Vec<usize> = chain.into_iter().rev().collect();
    let mut instructions = Vec::new();
    for &index in &chain {
        let states = model.states(index);
        for (i, instruction) in model.stages.stages[index].instructions.iter().enumerate() {
            instructions.push((*instruction, states.before[i].clone()));
        }
    }
    for (at, (instruction, state)) in instructions.iter().enumerate() {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let leftover = |dest: String| Leftover { instruction, dest };
        let Some((dest, _)) = copy_operands(instruction, state) else {
            return Some(leftover(written_dest(instruction)));
        };
        let Some(dest) = state.resolve_path(&dest) else {
            return Some(leftover(dest));
        };
        if copied.iter().any(|(path, _)| covers(path, &dest)) {
            continue;
        }
        if BUILD_CONFIG_DIRS.iter().any(|dir| covers(dir, &dest)) {
            continue;
        }
        let from_context = instruction.flag("from").is_none() && instruction.heredocs.is_empty();
        let build_dirs = build_dirs(&instructions[at..]);
        let is_build_input = from_context
            && build_dirs
                .iter()
                .any(|dir| dir != "/" && dest != "/" && (covers(dir, &dest) || covers(&dest, dir)));
        if !is_build_input {
            return Some(leftover(dest));
        }
    }
    None
}

/// The folders the RUNs among `instructions` run in: their WORKDIR and the folders their
/// scripts `cd` into.
fn build_dirs(instructions: &[(&Instruction, crate::analysis::env::State)]) -> Vec<String> {
    let mut dirs = Vec::new();
    for (instruction, state) in instructions {
        if instruction.keyword != Keyword::Run {
            continue;
        }
        if let Some(workdir) = &state.workdir {
            dirs.push(workdir.clone());
        }
        let Args::Shell { text } = &instruction.args else {
            continue;
        };
        for command in shell::commands(&text.text).unwrap_or_default() {
            let Some(dir) = command
                .cd
                .as_ref()
                .and_then(|d| d.value(&|n| state.value(n)))
            else {
                continue;
            };
            if let Some(dir) = state.resolve_path(&dir) {
                dirs.push(normalize_path(&dir));
            }
        }
    }
    dirs
}

fn written_dest(instruction: &Instruction) -> String {
    match &instruction.args {
        Args::Words { words } => words.last().map(|w| w.text.clone()),
        Args::Exec { elements, .. } => elements.last().map(|w| w.text.clone()),
        _ => None,
    }
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::analysis::catalogue::Catalogue;
    use crate::analysis::model::Model;

    fn leftover(src: &str, copied: &[&str]) -> Option<String> {
        let tree = crate::syntax::parse(src);
        let model = Model::new(src, &tree, Catalogue::builtin(), None);
        let stage = model.final_stage().unwrap().index;
        let copied: Vec<(String, String)> = copied
            .iter()
            .map(|c| (c.to_string(), String::new()))
            .collect();
        super::first_leftover(&model, stage, &copied).map(|l| l.dest)
    }

    #[test]
    fn build_inputs_are_not_leftovers() {
        let src = "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod ./\nCOPY . .\nRUN go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]), None);
        // Copied first, built in later: still an input.
        let src = "FROM golang:1.23\nCOPY . /go/src/app\nWORKDIR /go/src/app\nRUN go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]), None);
        let src = "FROM golang:1.23\nCOPY . /build\nRUN cd /build && go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]), None);
    }

    #[test]
    fn runtime_files_outside_the_copies_are_leftovers() {
        let src = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\nCOPY config.yaml /etc/app/config.yaml\n";
        assert_eq!(
            leftover(src, &["/out/app"]).as_deref(),
            Some("/etc/app/config.yaml")
        );
        let src = "FROM python:3.13-slim AS b\nRUN pip install --prefix=/install x\nFROM python:3.13-slim\nCOPY --from=b /install /usr/local\nWORKDIR /app\nCOPY . .\n";
        assert_eq!(leftover(src, &["/app"]).as_deref(), Some("/usr/local"));
        // Another stage's output is never a build input of this one.
        let src = "FROM golang:1.23\nWORKDIR /src\nCOPY --from=web /dist ./static\nRUN go build -o /out/app .\n";
        assert_eq!(leftover(src, &["/out/app"]).as_deref(), Some("/src/static"));
        // Inside a copied path: fine.
        let src = "FROM node:22\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\n";
        assert_eq!(leftover(src, &["/app"]), None);
    }
}
