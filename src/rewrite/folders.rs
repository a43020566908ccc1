//! Folders that a retargeted runtime stage made with `mkdir`. The new base has no shell to
//! make them, so a build stage that has one makes each of them, empty, under
//! [`DIRS_ROOT`], and the runtime stage copies them in where the `mkdir` was, with their
//! owner.
//!
//! A folder is copied as an entry of its parent folder (`COPY /dfslim-dirs/var/lib/
//! /var/lib/` brings `uploader`), not as the destination of a copy: `--chown` then sets the
//! owner of the folder itself, in every engine, not only of what it holds.

use std::collections::BTreeSet;

use crate::analysis::catalogue::ImageFacts;
use crate::ecosystems::transfers::has_shell;
use crate::syntax::{Instruction, Keyword};

use super::user::{is_root_user, non_root_user, resolvable_owner};
use super::*;

/// Where the build stage makes the empty folders.
pub(super) const DIRS_ROOT: &str = "/dfslim-dirs";

/// Folders every target image has already: `mkdir -p` of one of them did nothing in the
/// original, while copying it in would change the owner of the target's own folder.
const SYSTEM_DIRS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib64",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/cache",
    "/var/lib",
    "/var/log",
    "/var/run",
    "/var/tmp",
];

/// A folder that a RUN of the runtime stage made.
pub(super) struct MadeDir<'t> {
    /// Absolute and normalised.
    pub path: String,
    /// The owner to give it (`--chown`); `None` keeps root, as `mkdir` as root did.
    pub owner: Option<String>,
    pub run: &'t Instruction,
}

impl<'t> Planner<'_, 't> {
    /// The folders a RUN made, with their owners: a `chown` of the folder in the same RUN,
    /// else the user the RUN ran as. A folder root made for an image that ran as root goes
    /// to the new non-root user, so the program can still write in it.
    pub(super) fn made_dirs(
        &self,
        run: &'t Instruction,
        effects: &mut retarget::RunEffects,
        target: &ImageFacts,
    ) -> Result<Vec<MadeDir<'t>>, Decline> {
        let state = self.state_before(run);
        let blocked = |why: String| {
            Decline::new(
                DeclineCode::RunInRuntimeStage,
                format!("`mkdir` in the final stage cannot run without a shell: {why}"),
            )
            .at(run.line_span)
            .help("make the folder in a build stage and copy it, or write the final stage by hand")
        };
        let mut made = Vec::new();
        for dir in &effects.dirs {
            let path = state.resolve_path(dir).ok_or_else(|| {
                blocked(format!("the folder `{dir}` depends on an unknown WORKDIR"))
            })?;
            if SYSTEM_DIRS.contains(&path.as_str()) {
                return Err(blocked(format!(
                    "`{path}` is a system folder the target has already"
                )));
            }
            made.push(path);
        }
        if made.is_empty() {
            return Ok(Vec::new());
        }
        let resolve = |p: &str| state.resolve_path(p);
        if effects
            .chmods
            .iter()
            .any(|(_, p)| resolve(p).is_some_and(|p| made.contains(&p)))
        {
            return Err(blocked(
                "a `chmod` of a folder made here has no COPY equivalent".into(),
            ));
        }
        let ran_as_root = is_root_user(self.state().user.as_deref());
        let made_as = state.user.as_deref().map(str::to_string);
        let mut dirs = Vec::new();
        for path in made {
            // A chown of the folder is the folder's own; it is not a COPY flag.
            let chown = effects
                .chowns
                .iter()
                .position(|(_, p)| resolve(p).as_deref() == Some(path.as_str()))
                .map(|i| effects.chowns.remove(i).0);
            let owner = match (chown, &made_as) {
                (Some(owner), _) => Some(owner),
                (None, Some(user)) if !is_root_user(Some(user)) => Some(user.clone()),
                (None, _) if ran_as_root => Some(non_root_user(target)),
                (None, _) => None,
            };
            let owner = owner
                .map(|o| self.kept_uid_owner(&o))
                .map(|o| resolvable_owner(&o, target).unwrap_or(o));
            dirs.push(MadeDir { path, owner, run });
        }
        Ok(dirs)
    }

    /// `owner` (`app:app`) with the names of users this file created with a fixed uid
    /// (`adduser -u 1000 app`) replaced by that uid, when the image keeps a numeric USER:
    /// the process is that uid, so the folders given to it by name must stay its own,
    /// not go to the target's non-root user.
    fn kept_uid_owner(&self, owner: &str) -> String {
        let kept_numeric = self.state().user.as_deref().is_some_and(|u| {
            let name = u.split(':').next().unwrap_or(u);
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_digit())
                && !is_root_user(Some(name))
        });
        if !kept_numeric {
            return owner.to_string();
        }
        let users = self.created_users();
        let uid = |name: &str| {
            users
                .iter()
                .find(|u| u.name == name)
                .and_then(|u| u.uid.clone())
                .unwrap_or_else(|| name.to_string())
        };
        match owner.split_once(':') {
            Some((user, group)) => format!("{}:{}", uid(user), uid(group)),
            None => uid(owner),
        }
    }

    /// The stage that makes the folders: the first stage this one copies from that has a
    /// shell and runs as root at its end.
    fn dir_maker(&self) -> Option<usize> {
        let states = self.model.states(self.stage.index);
        self.stage
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == Keyword::Copy)
            .filter_map(|(i, copy)| {
                let from = copy.flag("from")?.value.clone()?;
                let from = states.before[i]
                    .expand(&from, self.model.tree.escape)
                    .unwrap_or(from);
                match self.model.stages.resolve_from_flag(&from, self.stage.index) {
                    Base::Stage(index) => Some(index),
                    _ => None,
                }
            })
            .find(|&index| {
                let no_shell_change = self
                    .model
                    .chain_instructions(index)
                    .iter()
                    .all(|(_, i)| i.keyword != Keyword::Shell);
                let root = is_root_user(self.model.states(index).end.user.as_deref());
                no_shell_change && root && has_shell(self.model, index, None) == Some(true)
            })
    }

    /// The edits for the folders: one RUN at the end of the stage that makes them, and in
    /// the runtime stage, each RUN that made some replaced by the COPY lines that bring
    /// them, one per parent folder and owner.
    pub(super) fn made_dirs_edits(&self, dirs: &[MadeDir<'t>]) -> Result<Vec<Edit>, Decline> {
        let Some(first) = dirs.first() else {
            return Ok(Vec::new());
        };
        let maker = self.dir_maker().ok_or_else(|| {
            Decline::new(
                DeclineCode::RunInRuntimeStage,
                format!(
                    "`mkdir` in the final stage cannot run without a shell, and no build stage it copies from can make `{}` (one with a shell, running as root)",
                    first.path
                ),
            )
            .at(first.run.line_span)
            .help("make the folder in a build stage that runs as root, and copy it with COPY --chown")
        })?;
        let maker_stage = &self.model.stages.stages[maker];
        let style = self.style;
        let src = self.model.src;
        let staged: Vec<String> = dirs
            .iter()
            .map(|d| format!("{DIRS_ROOT}{}", d.path))
            .collect();
        let end = maker_stage
            .instructions
            .last()
            .map_or(maker_stage.from.span.end, |i| i.span.end);
        let mut edits = vec![Edit::insert(
            end,
            style.line("RUN", &format!("mkdir -p {}", staged.join(" "))),
        )];
        let from = maker_stage.reference();
        // The COPY lines of each RUN, in the order its folders were made.
        let mut by_run: Vec<(&Instruction, BTreeSet<String>)> = Vec::new();
        for dir in dirs {
            let parent = dir.path.rsplit_once('/').map_or("", |(p, _)| p);
            let chown = dir
                .owner
                .as_ref()
                .map(|o| format!("--chown={o} "))
                .unwrap_or_default();
            let line = style.line(
                "COPY",
                &format!("--from={from} {chown}{DIRS_ROOT}{parent}/ {parent}/"),
            );
            match by_run.iter_mut().find(|(r, _)| std::ptr::eq(*r, dir.run)) {
                Some((_, lines)) => {
                    lines.insert(line);
                }
                None => by_run.push((dir.run, BTreeSet::from([line]))),
            }
        }
        for (run, lines) in by_run {
            let mut text: String = lines.into_iter().collect();
            if !run.span.slice(src).ends_with('\n') {
                text.truncate(text.trim_end_matches(['\r', '\n']).len());
            }
            edits.push(Edit::replace(run.span, text));
        }
        Ok(edits)
    }
}
