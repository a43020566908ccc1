//! A final stage that keeps its application in root's home (`WORKDIR /root/`, the Docker
//! documentation's Go example) moved to a folder of its own. `/root` is mode 0700, so the
//! non-root user of the new image could not even enter it (`root-home`); when everything
//! the stage puts there is placed relative to that WORKDIR and nothing finds it through
//! the home folder, changing the WORKDIR to `/app` moves the program, its files and its
//! working folder together, and the rewrite is tried again. The plan warns with both
//! folders.
//!
//! The move is refused, with the reason, when the stage or the files around it name
//! `/root` or the home otherwise: another WORKDIR, an absolute path, `$HOME`, a dotfile
//! (the home's `.config` is found by the home, not the working folder), a Compose volume or
//! manifest, or the application's sources and config files (read by
//! [`crate::ecosystems::home`]); also when no source of the application can be read.

use crate::analysis::env::normalize_path;
use crate::analysis::model::Model;
use crate::analysis::stages::Base;
use crate::ecosystems::ContextReader;
use crate::ecosystems::home::{context_home_use, names_path, names_root};
use crate::syntax::{Args, Keyword};

use super::Edit;

/// Where the application goes: a folder no distroless or chiseled image has, which the
/// new stage's WORKDIR makes as the user it runs as.
pub(super) const NEW_HOME: &str = "/app";

/// The edit that moves the final stage's WORKDIR from `/root` to [`NEW_HOME`], and the
/// sentence saying so; `Err(why)` when the move would change what the image does.
pub(super) fn change(
    model: &Model<'_>,
    context: Option<ContextReader<'_>>,
    languages: &[&str],
) -> Result<(Vec<Edit>, String), String> {
    let src = model.src;
    let stage = model.final_stage().ok_or("no final stage")?;
    if !matches!(stage.base, Base::Image(_)) {
        return Err("the final stage is built on another stage, which may use /root too".into());
    }
    if stage.index + 1 != model.stages.stages.len() {
        return Err("a later stage may copy from /root".into());
    }
    let mut workdirs = stage.instructions_of(Keyword::Workdir);
    let (Some(workdir), None) = (workdirs.next(), workdirs.next()) else {
        return Err("the stage has more than one WORKDIR".into());
    };
    let Args::Text { text } = &workdir.args else {
        return Err("the WORKDIR is not a plain path".into());
    };
    if normalize_path(&text.text) != "/root" {
        return Err(format!("the WORKDIR is `{}`, not /root", text.text));
    }
    let after_workdir = |i: &&crate::syntax::Instruction| i.span.start > workdir.span.start;
    for instruction in &stage.instructions {
        if std::ptr::eq(*instruction, workdir) {
            continue;
        }
        let line = instruction.line_span.slice(src);
        // A COPY's sources are another stage's or the context's: only where it puts them
        // is in this image.
        let placed = match instruction.keyword {
            Keyword::Copy | Keyword::Add => instruction
                .args
                .path_words()
                .and_then(|w| w.last())
                .map_or(line, |dest| dest.text.as_str()),
            _ => line,
        };
        if names_root(placed)
            || placed.contains("$HOME")
            || placed.contains("${HOME}")
            || placed.contains('~')
        {
            return Err(format!("`{}` names the home folder", first_line(line)));
        }
        let new_home = names_path(placed, NEW_HOME);
        if new_home {
            return Err(format!("`{}` already uses {NEW_HOME}", first_line(line)));
        }
        if matches!(instruction.keyword, Keyword::User | Keyword::Onbuild) {
            return Err("the stage sets its user or triggers".into());
        }
        // A dotfile in the home (`.config/app.yaml`, `.netrc`) is found through the home.
        if matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
            && after_workdir(instruction)
            && let Some(words) = instruction.args.path_words()
            && let Some((dest, sources)) = words.split_last()
        {
            let into_folder = dest.text == "." || dest.text.ends_with('/');
            let hidden = |path: &str| {
                path.split('/')
                    .any(|part| part.starts_with('.') && part != "." && part != "..")
            };
            let dotfile = hidden(&dest.text)
                || (into_folder
                    && sources.iter().any(|s| {
                        s.text
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .is_some_and(|base| {
                                base.starts_with('.') && base != "." && base != ".."
                            })
                    }));
            if dotfile {
                return Err(format!(
                    "`{}` puts a dotfile in the home, where the application may look for it by the home",
                    first_line(line)
                ));
            }
        }
    }
    let read = context.ok_or(
        "without the build context, what the application reads from its home cannot be checked",
    )?;
    for (file, text) in super::deploy::deploy_texts(read) {
        if names_root(&text) {
            return Err(format!("{} names /root", file.trim_start_matches("./")));
        }
    }
    let (sources, found) = context_home_use(read, languages);
    if let Some(found) = found {
        return Err(format!("the application uses its home: {found}"));
    }
    if sources == 0 {
        return Err("no source file of the application is in the build context, so what it reads from its home cannot be checked".into());
    }
    Ok((
        vec![Edit::replace(text.span, NEW_HOME.to_string())],
        format!(
            "the application moved from /root, which only root may enter, to {NEW_HOME}: `WORKDIR {}` became `WORKDIR {NEW_HOME}`, and what the stage copies there and its command follow it",
            text.text
        ),
    ))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
