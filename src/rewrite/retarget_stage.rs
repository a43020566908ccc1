//! Phases 3 and 5 for the second shape of a rewrite: a runtime stage that only receives
//! artifacts keeps its lines and gets a slim base; the RUNs that need a shell are replaced
//! (see [`super::retarget`] for which ones can be) or the rewrite declines, naming them.

use crate::analysis::catalogue::{ImageFacts, Needs};
use crate::analysis::copy::CopyArgs;
use crate::analysis::image_ref::ImageRef;
use crate::ecosystems::{ArtifactKind, stage_build};
use crate::syntax::{Args, Instruction, Keyword, Span};

use super::settings::Settings;
use super::*;
use crate::ecosystems::start::{App, copy_sources_for, covers};

impl<'t> Planner<'_, 't> {
    /// Shape (b): retarget a runtime stage in place.
    pub(super) fn retarget(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageRef,
        target_facts: &ImageFacts,
        settings: &Settings,
    ) -> Result<Plan, Decline> {
        let style = self.style;
        let src = self.model.src;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        // The FROM that names the image: this stage's, or the first of a chain whose other
        // stages only describe the image (Visual Studio's `FROM base AS final`).
        // Or, when those stages also serve others (the Fly.io Node template's `base`, which
        // the build stage is built on too), the final stage's own FROM, with their lines
        // written into it.
        let (root, inlined) = match self.retargeted_root() {
            Ok(root) => (root, Vec::new()),
            Err(declined) => match self.inlined_chain() {
                Some(stages) => (self.stage, stages),
                None => return Err(declined),
            },
        };
        let word = root
            .image_word
            .ok_or_else(|| Decline::new(DeclineCode::NoStage, "the final FROM names no image"))?;
        if target_facts.provides.is_empty() {
            // scratch: the CA certificates, time zones and users the stage installed would
            // have to be copied in from somewhere; a new stage can, an edited one cannot.
            return Err(Decline::new(
                DeclineCode::ScratchRuntimeStage,
                format!("`{}` provides nothing, and a runtime stage that keeps its lines does not say where its CA certificates, time zone data and users would be copied from", target.familiar()),
            )
            .at(from_span(self.stage))
            .help("use --target-family distroless, whose static image has them"));
        }
        if root.platform.is_none()
            && let Some(platform) = self.pinned_platform()?
        {
            edits.push(Edit::insert(
                word.span.start,
                format!("--platform={platform} "),
            ));
        }
        edits.push(Edit::replace(word.span, target.familiar()));
        if inlined.is_empty() {
            edits.extend(self.inherited_workdir(root, target_facts));
        } else {
            edits.extend(self.inline_chain(&inlined, target_facts));
        }
        self.check_inherited_env(target, target_facts)?;

        // What every COPY --from brings: binaries decide the linkage the target must have.
        let (needs, copies, proofs) = self.copied_needs(app)?;
        // A binary the original ran on an image without glibc is static (class 1), which
        // its build, read alone, does not say: the proof goes above its COPY, as the
        // suppression `check` reads, so that `check` on the result agrees with the rewrite.
        for (copy, proof) in &proofs {
            edits.push(Edit::insert(
                copy.start,
                format!(
                    "# dfslim ignore=DFS007 -- {}{}",
                    // a comma would start another code in the suppression's list
                    proof.replace(',', ";"),
                    style.newline
                ),
            ));
        }
        if needs != app.needs {
            // A stronger need than the command's own: pick again.
            let stronger_app = App {
                needs,
                ..app.clone()
            };
            let (again, again_facts) = self.target(&stronger_app)?;
            return self.retarget(written, &stronger_app, &again, &again_facts, settings);
        }

        // COPY --chown names the target cannot resolve (users the stage created) would fail
        // the build: they become the user the new image runs as.
        for copy in &self.stage.instructions {
            if let Some(flag) = copy.flag("chown")
                && let Some(owner) = &flag.value
                && let Some(owner) = self.kept_owner(owner, target_facts)
            {
                edits.push(Edit::replace(flag.span, format!("--chown={owner}")));
            }
        }

        if !self.root_hands_over(target_facts) {
            edits.extend(self.private_files_owned(target_facts));
        }

        // RUN lines: each must be replaceable.
        let healthcheck = self.stage.last(Keyword::Healthcheck);
        // Tools installed for people, not for the program: dropped unless the command runs
        // one. A HEALTHCHECK that calls one is converted or dropped with it (DFS006).
        let runs = |tool: &str| {
            written
                .argv
                .iter()
                .any(|word| crate::analysis::command::basename(word) == tool)
        };
        let scripts = self.brings_shell_scripts(written);
        let droppable: Vec<&str> = retarget::UNUSED_TOOLS
            .iter()
            .copied()
            .filter(|tool| !runs(tool))
            .filter(|tool| {
                !(scripts && matches!(*tool, "bash" | "dash" | "zsh" | "busybox-extras"))
            })
            .collect();
        let mut created_users = Vec::new();
        let mut made_dirs = Vec::new();
        for run in self.stage.instructions_of(Keyword::Run) {
            let state = self.state_before(run);
            let vars = |name: &str| state.value(name);
            let mut effects = retarget::read_run(run, &droppable, &vars).map_err(|blocker| {
                Decline::new(
                    DeclineCode::RunInRuntimeStage,
                    format!(
                        "`{}` in the final stage cannot run without a shell: {}",
                        blocker.command, blocker.why
                    ),
                )
                .at(run.line_span)
                .help("move it to a build stage, or write the final stage by hand")
            })?;
            if effects.ca_update
                && let Some(copy) = self.copied_certificate()
            {
                return Err(Decline::new(
                    DeclineCode::RunInRuntimeStage,
                    "`update-ca-certificates` adds the certificate this stage copies in to the bundle, which the target's own bundle lacks",
                )
                .at(copy.line_span)
                .help("build the bundle in a build stage and copy /etc/ssl/certs/ca-certificates.crt into the final stage"));
            }
            let made = self.made_dirs(run, &mut effects, target_facts)?;
            self.check_runtime_libraries(run, &effects.packages, target, target_facts)?;
            for (mode, path) in &effects.chmods {
                let mode = octal_mode(mode).ok_or_else(|| {
                    Decline::new(
                        DeclineCode::RunInRuntimeStage,
                        format!("`chmod {mode}` has no COPY --chmod equivalent"),
                    )
                    .at(run.line_span)
                })?;
                edits.push(self.copy_flag(run, path, &format!("--chmod={mode}"))?);
            }
            for (owner, path) in &effects.chowns {
                let owner = self
                    .kept_owner(owner, target_facts)
                    .unwrap_or(owner.clone());
                edits.push(self.copy_flag(run, path, &format!("--chown={owner}"))?);
            }
            created_users.extend(effects.users.clone());
            let tools: Vec<&str> = effects
                .packages
                .iter()
                .map(String::as_str)
                .filter(|p| retarget::UNUSED_TOOLS.contains(p))
                .collect();
            if !tools.is_empty() {
                warnings.push(Warning {
                    code: "dropped",
                    message: format!(
                        "the final stage installed {}, which the command does not run; the new image does not have {}",
                        tools.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
                        if tools.len() == 1 { "it" } else { "them" }
                    ),
                });
            }
            if !effects.shell_links.is_empty() {
                warnings.push(Warning {
                    code: "dropped",
                    message: format!(
                        "`{}` only names busybox's shell, which the new image does not have",
                        effects.shell_links.join("; ")
                    ),
                });
            }
            if made.is_empty() {
                edits.push(Edit::delete(run.span));
            }
            made_dirs.extend(made);
        }
        edits.extend(self.made_dirs_edits(&made_dirs)?);
        // SHELL only serves shell-form instructions, and none is left: each RUN went, and
        // the command and HEALTHCHECK are written in exec form below.
        if !target_facts.shell {
            for shell in self.stage.instructions_of(Keyword::Shell) {
                edits.push(Edit::delete(shell.span));
                warnings.push(Warning {
                    code: "dropped",
                    message: format!(
                        "`{}` names a shell the new image does not have",
                        shell.line_span.slice(src).trim()
                    ),
                });
            }
        }
        for dir in &made_dirs {
            warnings.push(Warning {
                code: "folder-copied",
                message: format!(
                    "`mkdir {}` became a COPY of an empty folder made in a build stage under {}{}",
                    dir.path,
                    folders::DIRS_ROOT,
                    dir.owner
                        .as_ref()
                        .map(|o| format!(", owned by {o}"))
                        .unwrap_or_default()
                ),
            });
        }

        // USER: a created user becomes nonroot. Where the stage copies its own
        // `/etc/passwd` over the target's, the target's users are gone: a user that file
        // names stays, and a new one is written by number (an engine resolves a name from
        // the image's passwd, and refuses to start when it is not there).
        let passwd_copied = self
            .finder(from_span(self.stage))
            .copy_bringing("/etc/passwd")
            .is_some();
        let group_copied = self
            .finder(from_span(self.stage))
            .copy_bringing("/etc/group")
            .is_some();
        let non_root = || {
            if passwd_copied {
                "65532:65532".to_string()
            } else {
                non_root_user(target_facts)
            }
        };
        if let Some(user) = self.carried(Keyword::User).last().copied()
            && let Args::Text { text } = &user.args
        {
            // `USER $APP_UID` names the user through a variable the image defines (.NET's
            // 1654): read its value. It stays as written when the target defines the same
            // variables with the same values; otherwise the value is written out.
            let escape = self.model.tree.escape;
            let state = self.state_before(user);
            let expanded = state.expand(&text.text, escape);
            let mut replacement = None;
            if let Some(value) = &expanded
                && *value != text.text
            {
                let target_agrees = crate::analysis::expand::referenced_vars(&text.text, escape)
                    .iter()
                    .all(|var| target_facts.env.get(var) == state.value(var).as_ref());
                if !target_agrees {
                    replacement = Some(value.clone());
                }
            }
            let written = expanded.as_deref().unwrap_or(&text.text);
            let name = written.split(':').next().unwrap_or("");
            let numeric = name.chars().all(|c| c.is_ascii_digit());
            let group_resolves = written
                .split(':')
                .nth(1)
                .is_none_or(|g| group_copied || g.chars().all(|c| c.is_ascii_digit()));
            let in_target = target_facts.has_user(name) || (passwd_copied && group_resolves);
            if !numeric && !in_target {
                // The user's home, which the stage's adduser made and gave it, is where
                // the app works. The new image's WORKDIR makes it as the user the image
                // runs as (BuildKit and buildah), who may write there; a COPY into it
                // before that WORKDIR makes it root's.
                if created_users.iter().any(|u| u == name)
                    && let Some(workdir) = self.state().workdir.as_deref()
                    && crate::ecosystems::start::covers(&format!("/home/{name}"), workdir)
                    && self
                        .copy_making_before_workdir(&format!("/home/{name}"))
                        .is_some()
                {
                    return Err(Decline::new(
                        DeclineCode::RunInRuntimeStage,
                        format!(
                            "the app works in {workdir}, the home that the stage created for `{name}`; in the new image a COPY makes that folder before the WORKDIR does, owned by root, where the non-root user cannot write"
                        ),
                    )
                    .at(text.span)
                    .help("work in a folder the build stage makes and copies in with `COPY --chown`, or write the final stage by hand"));
                }
                replacement = Some(non_root());
                if !created_users.iter().any(|u| u == name) {
                    warnings.push(missing_user(name, target_facts));
                }
            } else if name == "root" || name == "0" {
                replacement = Some(non_root());
                warnings.push(root_to_non_root(target_facts));
            } else if !(passwd_copied && group_resolves)
                && let Some(owner) = resolvable_owner(written, target_facts)
            {
                // A group the target lacks (`nobody:nogroup`): the engine would refuse to
                // start the container.
                replacement = Some(owner);
            }
            if let Some(replacement) = replacement {
                edits.push(Edit::replace(text.span, replacement));
            }
        } else if self
            .state()
            .user
            .as_deref()
            .is_none_or(|u| matches!(u.split(':').next(), Some("root" | "0")))
        {
            warnings.push(root_to_non_root(target_facts));
            if !runs_as_non_root(target_facts) {
                self.append_to_stage(&mut edits, &style.line("USER", &non_root()));
            }
        }

        // HEALTHCHECK.
        if let Some(hc) = healthcheck {
            match self.healthcheck(app, target_facts, &mut warnings) {
                Some(line) => {
                    let current = format!("{}{}", hc.line_span.slice(src), style.newline);
                    if line != current {
                        edits.push(Edit::replace(
                            hc.line_span,
                            line.trim_end_matches(['\r', '\n']),
                        ));
                    }
                }
                None => edits.push(Edit::delete(hc.span)),
            }
            self.check_health_waited_on(&warnings)?;
        }

        // The command: rewritten only where it would not run on the target.
        let needs_new_command = self.needs_new_command(written, app, target_facts);
        let shell_entrypoint = self
            .stage
            .last(Keyword::Entrypoint)
            .is_some_and(|e| matches!(e.args, Args::Shell { .. }));
        if shell_entrypoint {
            // A shell-form ENTRYPOINT ignored the CMD; the exec form would not.
            for cmd in self.stage.instructions_of(Keyword::Cmd) {
                if !written.instructions.iter().any(|i| std::ptr::eq(*i, cmd)) {
                    edits.push(Edit::delete(cmd.span));
                }
            }
        }
        if needs_new_command {
            let lines = self.command_lines(written, app, target_facts)?;
            let mine: Vec<&Instruction> = written
                .instructions
                .iter()
                .copied()
                .filter(|i| self.stage.instructions.iter().any(|x| std::ptr::eq(*x, *i)))
                .collect();
            match mine.split_last() {
                Some((last, others)) => {
                    for other in others {
                        edits.push(Edit::delete(other.span));
                    }
                    let end = last.span.end;
                    let trailing = &src[last.line_span.end..end];
                    edits.push(Edit::replace(
                        Span::new(last.span.start, end),
                        format!("{}{}", lines.trim_end_matches(['\r', '\n']), trailing),
                    ));
                }
                None => self.append_to_stage(&mut edits, &lines),
            }
        }
        // The folders the stage made, which the new stage copies in owned by its user, and
        // the application's files a root original hands over.
        let mut writable: Vec<String> = made_dirs.iter().map(|d| d.path.clone()).collect();
        if self.root_hands_over(target_facts) {
            let (owned, places) = self.root_copies_owned(app, target_facts, &edits);
            if !owned.is_empty() {
                super::user::root_files_handed_over(&mut warnings, target_facts);
            }
            edits.extend(owned);
            writable.extend(places);
        }
        self.check_ports_and_volumes(
            &super::written::ran_words(written, app),
            settings,
            &writable,
            target_facts,
            &mut warnings,
        )?;
        expanded_warnings(written, &mut warnings);
        let stage = copies.first().map(|c| c.from.clone());
        Ok(self.rewritten(stage, target, target_facts, copies, warnings, edits))
    }
}

/// Edits of the retargeted stage's lines.
impl<'t> Planner<'_, 't> {
    /// Add a flag to the COPY of this stage that brings `path`.
    pub(super) fn copy_flag(
        &self,
        run: &Instruction,
        path: &str,
        flag: &str,
    ) -> Result<Edit, Decline> {
        let states = self.model.states(self.stage.index);
        let target = self
            .state()
            .resolve_path(path)
            .unwrap_or_else(|| path.to_string());
        for (i, copy) in self.stage.instructions.iter().enumerate() {
            if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            if copy_sources_for(copy, &states.before[i], self.model.tree.escape, &target).is_none()
            {
                continue;
            }
            let name = flag
                .split('=')
                .next()
                .unwrap_or(flag)
                .trim_start_matches('-');
            if copy.flag(name).is_some() {
                return Err(Decline::new(
                    DeclineCode::RunInRuntimeStage,
                    format!("the COPY that brings `{path}` already has --{name}"),
                )
                .at(run.line_span));
            }
            return Ok(Edit::insert(copy.keyword_word.span.end, format!(" {flag}")));
        }
        Err(Decline::new(
            DeclineCode::RunInRuntimeStage,
            format!("the RUN changes `{path}`, which no COPY of this stage brings"),
        )
        .at(run.line_span))
    }

    /// Add `lines` (whole lines, each ending with the file's line ending) after the stage's
    /// last instruction: to the lines already added there, or, when the last instruction
    /// ends the file without a line ending, after one.
    fn append_to_stage(&self, edits: &mut Vec<Edit>, lines: &str) {
        let at = self.stage_end();
        if let Some(added) = edits
            .iter_mut()
            .rev()
            .find(|e| e.span.start == at && e.span.end == at)
        {
            added.text.push_str(lines);
            return;
        }
        let before = &self.model.src[..at];
        let newline = if before.is_empty() || before.ends_with('\n') {
            ""
        } else {
            self.style.newline
        };
        edits.push(Edit::insert(at, format!("{newline}{lines}")));
    }
}

/// Phase 3 for a retargeted stage: what its own `COPY --from` lines bring.
impl<'t> Planner<'_, 't> {
    /// What every `COPY --from` of the stage brings, as copy plans, and the need the target
    /// must meet once the binaries among them are counted (a glibc helper next to a static
    /// program needs glibc).
    /// What the stage's COPY --from lines bring: the linkage the target needs, the copies,
    /// and, for each COPY whose binary the original final stage proves static, its line
    /// and the proof.
    #[allow(clippy::type_complexity)]
    fn copied_needs(
        &self,
        app: &App<'t>,
    ) -> Result<(Needs, Vec<CopyPlan>, Vec<(Span, String)>), Decline> {
        let mut needs = app.needs.clone();
        let mut copies = Vec::new();
        // What the original final stage proves about the binaries it runs (class 1).
        let mut proven = Vec::new();
        for copy in &self.stage.instructions {
            if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            // `--from` resolved through ARG defaults (`--from=${BUILDER}`).
            let Some(source) = CopyArgs::read(
                copy,
                &self.state_before(copy),
                self.model.tree.escape,
                &self.model.stages,
                self.stage.index,
            )
            .and_then(|c| c.from_stage()) else {
                continue;
            };
            let from = copy
                .flag("from")
                .and_then(|f| f.value.clone())
                .unwrap_or_default();
            let build = stage_build(self.model, source, self.context);
            let words: Vec<&str> = match &copy.args {
                Args::Words { words } => words.iter().map(|w| w.text.as_str()).collect(),
                Args::Exec { elements, .. } => elements.iter().map(|w| w.text.as_str()).collect(),
                _ => continue,
            };
            let Some((dest, sources)) = words.split_last() else {
                continue;
            };
            for source_path in sources {
                let source_abs = crate::analysis::env::normalize_path(&format!(
                    "/{}",
                    source_path.trim_start_matches('/')
                ));
                // The artifact copied, or every artifact inside a copied folder.
                let found: Vec<_> = build
                    .artifacts
                    .iter()
                    .filter(|a| {
                        a.covers(&source_abs)
                            || crate::ecosystems::start::covers(&source_abs, &a.path)
                    })
                    .collect();
                for artifact in &found {
                    if matches!(
                        artifact.kind,
                        ArtifactKind::NodeApp | ArtifactKind::Venv | ArtifactKind::PythonPackages
                    ) {
                        // Dependencies may hold native code: built for the source stage's libc
                        // and linked against what it installed.
                        let musl = self
                            .model
                            .facts(source)
                            .is_none_or(|f| f.libc != crate::analysis::catalogue::Libc::Glibc);
                        if musl {
                            return Err(Decline::new(
                                DeclineCode::Musl,
                                format!("the dependencies in {} were installed on an image that is not known to be glibc-based, and may hold native code that does not load on the target", artifact.path),
                            )
                            .at(copy.line_span)
                            .also(from_span(&self.model.stages.stages[source]), "installed on this image"));
                        }
                        crate::ecosystems::start::check_libraries(
                            self.model,
                            source,
                            self.context,
                            &artifact.path,
                        )?;
                    }
                    if let ArtifactKind::Binary { linkage } | ArtifactKind::BinaryDir { linkage } =
                        artifact.kind
                    {
                        // A Go binary this musl stage already runs is static (see
                        // `runtime_proves_static`): the libraries of its build do not matter.
                        let proof = crate::ecosystems::start::runtime_proves_static(
                            self.model,
                            self.stage.index,
                            source,
                            artifact,
                        );
                        let proven_static = proof.is_some();
                        proven.extend(proof.map(|proof| (copy.line_span, proof)));
                        let linkage = if proven_static {
                            crate::ecosystems::Linkage::Static
                        } else {
                            linkage
                        };
                        needs = stronger(needs, linkage).map_err(|l| {
                            Decline::new(
                                DeclineCode::Musl,
                                format!(
                                    "`{}` is linked against {}; no distroless image can run it",
                                    artifact.path,
                                    l.describe()
                                ),
                            )
                            .at(copy.line_span)
                            .also(artifact.instruction.line_span, "built here")
                        })?;
                        if linkage != crate::ecosystems::Linkage::Static && !proven_static {
                            crate::ecosystems::start::check_libraries(
                                self.model,
                                source,
                                self.context,
                                &artifact.path,
                            )?;
                        }
                    }
                }
                let why = match found.as_slice() {
                    [] => "copied as it was".to_string(),
                    found => found
                        .iter()
                        .map(|a| a.why.as_str())
                        .chain(
                            proven
                                .iter()
                                .filter(|(line, _)| *line == copy.line_span)
                                .map(|(_, proof)| proof.as_str()),
                        )
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                copies.push(CopyPlan::stated(&from, source_path, dest, &why));
            }
        }
        Ok((needs, copies, proven))
    }
}

/// Whether a `chmod` mode leaves others no read (`600`, `0640`): a file only its owner
/// (and group) may read.
fn private_mode(mode: &str) -> bool {
    octal_mode(mode)
        .and_then(|m| u32::from_str_radix(&m, 8).ok())
        .is_some_and(|m| m & 0o004 == 0)
}

/// `chmod` modes that COPY --chmod can express (octal); `+x` on a copied program is 755.
pub(super) fn octal_mode(mode: &str) -> Option<String> {
    if (3..=4).contains(&mode.len()) && mode.chars().all(|c| ('0'..='7').contains(&c)) {
        return Some(mode.to_string());
    }
    matches!(mode, "+x" | "a+x" | "ugo+x" | "u+x,g+x,o+x").then(|| "755".to_string())
}

/// What the runtime stage's own lines say about the program: the libraries and shell it
/// installs for it, the files only their owner may read, and the working directory it
/// inherited.
impl Planner<'_, '_> {
    /// What the stage's lines take from its image's environment that the target does not
    /// set: `COPY … $JAVA_HOME/lib/security/cacerts` would expand to `/lib/security/…`, and a
    /// file copied into the image's own JDK (`/opt/java/openjdk`, Temurin's JAVA_HOME) lands
    /// where the target's Java does not look.
    fn check_inherited_env(
        &self,
        target: &ImageRef,
        target_facts: &ImageFacts,
    ) -> Result<(), Decline> {
        let Some(facts) = self.model.facts(self.stage.index) else {
            return Ok(());
        };
        let src = self.model.src;
        let states = self.model.states(self.stage.index);
        for (i, instruction) in self.stage.instructions.iter().enumerate() {
            let text = instruction.line_span.slice(src);
            // PATH is set by both, to the same system folders in another order.
            for (name, value) in facts.env.iter().filter(|(name, _)| *name != "PATH") {
                let used =
                    text.contains(&format!("${name}")) || text.contains(&format!("${{{name}"));
                if used && target_facts.env.get(name) != Some(value) {
                    return Err(Decline::new(
                        DeclineCode::UnknownVariable,
                        format!(
                            "the line uses `{name}`, which the original image sets to `{value}` and `{}` does not set so",
                            target.familiar()
                        ),
                    )
                    .at(instruction.line_span)
                    .help("write the path the line means literally, or write the final stage by hand"));
                }
            }
            if matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
                && let Some(java_home) = facts.env.get("JAVA_HOME")
                && target_facts.env.get("JAVA_HOME") != Some(java_home)
                && let Some((dest, _)) = crate::ecosystems::start::copy_operands(
                    instruction,
                    &states.before[i],
                    self.model.tree.escape,
                )
                && let Some(dest) = states.before[i].resolve_path(&dest)
                && crate::ecosystems::start::covers(java_home, &dest)
            {
                return Err(Decline::new(
                    DeclineCode::UncopiedFiles,
                    format!(
                        "the line copies into {dest}, inside the image's own JDK ({java_home}), which the Java of `{}` does not read",
                        target.familiar()
                    ),
                )
                .at(instruction.line_span)
                .help("import a certificate into the truststore of the JDK that builds the app, or write the final stage by hand"));
            }
        }
        Ok(())
    }

    /// The stage whose FROM the retarget edits: the final stage, or the first of the chain
    /// it is built on when every stage before it only describes the image (WORKDIR,
    /// EXPOSE, ENV, LABEL, ARG, USER: Visual Studio's `FROM …aspnet AS base` … `FROM base
    /// AS final`) and nothing else is built on or copies from them. Otherwise the stages'
    /// files, packages and users, which a new base would drop, decline.
    fn retargeted_root(&self) -> Result<&Stage<'_>, Decline> {
        let Base::Stage(parent) = &self.stage.base else {
            return Ok(self.stage);
        };
        let stages = &self.model.stages.stages;
        let chained = || {
            Decline::new(
                DeclineCode::StageChain,
                format!(
                    "the final stage is built on the stage `{}`, whose instructions a new base would drop",
                    stages[*parent].reference()
                ),
            )
            .at(from_span(self.stage))
            .help("write the runtime stage FROM the image directly")
        };
        let chain: Vec<&Stage<'_>> = self.chain().collect();
        let (last, earlier) = chain.split_last().ok_or_else(chained)?;
        for stage in earlier {
            let describes = only_describes(stage, true);
            // Another stage built on it, or copying or mounting from it, would change too.
            let name = stage.name.as_deref();
            let index = stage.index.to_string();
            let used_elsewhere = stages.iter().any(|other| {
                let built_on = matches!(&other.base, Base::Stage(p) if *p == stage.index);
                let on_chain = chain.iter().any(|c| c.index == other.index);
                (built_on && !on_chain)
                    || other.instructions.iter().any(|i| {
                        i.flags.iter().any(|f| {
                            let value = f.value.as_deref().unwrap_or("");
                            (f.name == "from" && (Some(value) == name || value == index))
                                || (f.name == "mount"
                                    && value.split(',').any(|part| {
                                        part.strip_prefix("from=")
                                            .is_some_and(|v| Some(v) == name || v == index)
                                    }))
                        })
                    })
            });
            if !describes || used_elsewhere {
                return Err(chained());
            }
        }
        debug_assert!(std::ptr::eq(*last, self.stage));
        match earlier.first() {
            Some(root) if matches!(root.base, Base::Image(_)) => Ok(root),
            _ => Err(chained()),
        }
    }

    /// The stage ran in its image's working directory until its first WORKDIR; a target
    /// that starts elsewhere (distroless `:nonroot` in /home/nonroot) is told that one,
    /// before the stage's first line.
    ///
    /// A root stage whose working folder a COPY makes (`COPY --from=build /out/server
    /// /app/server`, then `WORKDIR /app`) gets that folder made first by a WORKDIR: the
    /// engine makes it as the image's user, the non-root one the new image runs as, so the
    /// app may still create files where it runs, as root could; the COPY would make it
    /// root's.
    fn inherited_workdir(&self, root: &Stage<'_>, target_facts: &ImageFacts) -> Option<Edit> {
        let first = root.instructions.first()?;
        let text = self.inherited_workdir_text(root, target_facts);
        (!text.is_empty()).then(|| Edit::insert(first.span.start, text))
    }

    /// The stages the final stage is built on, when each only describes the image (WORKDIR,
    /// EXPOSE, ENV, LABEL, ARG: no USER, whose edit would reach the stages built on them)
    /// and the first is built on an image: their lines can be written into the final
    /// stage, and the stages stay as they are for the others built on them.
    fn inlined_chain(&self) -> Option<Vec<&Stage<'_>>> {
        let chain: Vec<&Stage<'_>> = self.chain().collect();
        let (_, earlier) = chain.split_last()?;
        let describes = earlier.iter().all(|stage| only_describes(stage, false));
        (describes && matches!(earlier.first()?.base, Base::Image(_))).then(|| earlier.to_vec())
    }

    /// [`Self::inlined_chain`]'s lines, oldest first, right below the final stage's FROM,
    /// after the working folder the image started in (as [`Self::inherited_workdir`]
    /// restores it).
    fn inline_chain(&self, stages: &[&Stage<'_>], target_facts: &ImageFacts) -> Option<Edit> {
        let mut text = self.inherited_workdir_text(self.stage, target_facts);
        for instruction in stages.iter().flat_map(|stage| &stage.instructions) {
            let line = instruction.span.slice(self.model.src);
            text.push_str(line);
            if !line.ends_with('\n') {
                text.push_str(self.style.newline);
            }
        }
        let from = self.stage.from.span;
        if !from.slice(self.model.src).ends_with('\n') {
            text.insert_str(0, self.style.newline);
        }
        Some(Edit::insert(from.end, text))
    }

    /// What [`Self::inherited_workdir`] writes.
    fn inherited_workdir_text(&self, root: &Stage<'_>, target_facts: &ImageFacts) -> String {
        let inherited = self
            .model
            .facts(root.index)
            .and_then(|f| f.workdir.clone())
            .unwrap_or_else(|| "/".to_string());
        let made_first = self.workdir_made_by_copy(target_facts).map(|workdir| {
            format!(
                "# dfslim: made here as the user the image runs as, who may write in it{}{}",
                self.style.newline,
                self.style.line("WORKDIR", &workdir)
            )
        });
        let restore = made_first.is_some()
            || (target_facts.workdir.as_deref().unwrap_or("/") != inherited
                && !self.starts_with_own_workdir());
        format!(
            "{}{}",
            made_first.unwrap_or_default(),
            if restore {
                self.style.line("WORKDIR", &inherited)
            } else {
                String::new()
            }
        )
    }

    /// Whether the stages' first line that the working folder matters to is a WORKDIR of
    /// an absolute path (`WORKDIR /app`): the folder the image started in then matters to
    /// nothing, and restoring it would be a line that does nothing.
    fn starts_with_own_workdir(&self) -> bool {
        for instruction in self.chain().flat_map(|s| &s.instructions) {
            match instruction.keyword {
                Keyword::Arg
                | Keyword::Env
                | Keyword::Label
                | Keyword::Expose
                | Keyword::User
                | Keyword::Stopsignal
                | Keyword::Maintainer => continue,
                Keyword::Workdir => {
                    return matches!(&instruction.args, Args::Text { text }
                        if text.text.starts_with('/') && !text.text.contains('$'));
                }
                _ => return false,
            }
        }
        false
    }

    /// The final WORKDIR, when the original ran as root, the target does not, and a COPY
    /// without `--chown` makes that folder (or one inside it) before any WORKDIR does.
    fn workdir_made_by_copy(&self, target_facts: &ImageFacts) -> Option<String> {
        if !super::user::is_root_user(self.state().user.as_deref())
            || !super::user::runs_as_non_root(target_facts)
        {
            return None;
        }
        let workdir = self.state().workdir.as_deref().unwrap_or("/").to_string();
        if workdir == "/" {
            return None;
        }
        self.copy_making_before_workdir(&workdir)
            .filter(|copy| copy.flag("chown").is_none())
            .map(|_| workdir)
    }

    /// The first COPY or ADD of the stage (or of the stages it is built on) that puts a
    /// file in `folder`, or in a folder inside it, before any WORKDIR makes it: the engine
    /// makes the folder then, owned by root unless the COPY has `--chown`.
    fn copy_making_before_workdir(&self, folder: &str) -> Option<&Instruction> {
        for stage in self.chain() {
            let states = self.model.states(stage.index);
            for (i, instruction) in stage.instructions.iter().enumerate() {
                let state = &states.before[i];
                match instruction.keyword {
                    Keyword::Workdir => {
                        // The folder it makes (with its parents, as the image's user).
                        let after = states.before.get(i + 1).unwrap_or(&states.end);
                        if covers(folder, after.workdir.as_deref().unwrap_or("/")) {
                            return None;
                        }
                    }
                    Keyword::Copy | Keyword::Add => {
                        let Some(words) = instruction.args.path_words() else {
                            continue;
                        };
                        let Some(dest) = words.last().and_then(|d| state.resolve_path(&d.text))
                        else {
                            continue;
                        };
                        if covers(folder, &dest) {
                            return Some(instruction);
                        }
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// A file only its owner may read (`COPY --chmod=600 server.key`), copied in owned by
    /// root for a root app: the non-root user the new image runs as could not read it, so
    /// it is copied owned by that user.
    fn private_files_owned(&self, target_facts: &ImageFacts) -> Vec<Edit> {
        if !super::user::is_root_user(self.state().user.as_deref()) {
            return Vec::new();
        }
        let owner = super::user::new_owner(target_facts);
        self.stage
            .instructions
            .iter()
            .filter(|copy| copy.flag("chown").is_none())
            .filter_map(|copy| copy.flag("chmod"))
            .filter(|flag| flag.value.as_deref().is_some_and(private_mode))
            .map(|flag| Edit::insert(flag.span.start, format!("--chown={owner} ")))
            .collect()
    }

    /// Whether the command must be written anew for the target: an interpreter moves, a
    /// shell form has no shell, a bare program name is not on the target's PATH, or a CMD
    /// alone would become the arguments of the target's preset ENTRYPOINT.
    fn needs_new_command(
        &self,
        written: &Written<'_>,
        app: &App<'_>,
        target_facts: &ImageFacts,
    ) -> bool {
        let preset_in_the_way = !written.entrypoint
            && target_facts
                .entrypoint
                .as_ref()
                .is_some_and(|e| !e.is_empty());
        app.interpreter.is_some()
            || preset_in_the_way
            || written
                .instructions
                .iter()
                .any(|i| matches!(i.args, Args::Shell { .. }))
            || written
                .argv
                .first()
                .is_some_and(|p| self.absolute_program(p, app).is_some())
    }

    /// The owner to write for one the target cannot resolve (a user the stage created):
    /// the numeric user the stage runs as, when it keeps one (`USER 10001` after `adduser
    /// -u 10001 app` and `COPY --chown=app:app`), so that the process still owns its
    /// files; otherwise the user the new image runs as.
    fn kept_owner(&self, owner: &str, target_facts: &ImageFacts) -> Option<String> {
        let resolved = resolvable_owner(owner, target_facts)?;
        let kept = self
            .state()
            .user
            .as_deref()
            .and_then(|u| u.split(':').next())
            .filter(|u| !u.is_empty() && *u != "0" && u.chars().all(|c| c.is_ascii_digit()))
            .map(|uid| format!("{uid}:{uid}"));
        Some(kept.unwrap_or(resolved))
    }

    /// Whether the stage brings shell scripts, which the program may run (`--exec
    /// /usr/local/bin/backup.sh`, hooks in `scripts/`): then a shell it installs stays
    /// needed.
    fn brings_shell_scripts(&self, written: &Written<'_>) -> bool {
        let src = self.model.src;
        let script = |w: &str| {
            w.ends_with(".sh")
                || w.ends_with(".bash")
                || w.trim_end_matches('/').ends_with("scripts")
        };
        self.stage.instructions.iter().any(|i| {
            matches!(i.keyword, Keyword::Copy | Keyword::Add)
                && i.line_span.slice(src).split_whitespace().any(script)
        }) || written.argv.iter().any(|w| w.ends_with(".sh"))
    }

    /// A package of shared libraries that the stage installs says the program may load
    /// them (libgcc for a Rust or C++ program linked dynamically): a target without them
    /// cannot run it, whatever its build seemed to say.
    fn check_runtime_libraries(
        &self,
        run: &Instruction,
        packages: &[String],
        target: &ImageRef,
        target_facts: &ImageFacts,
    ) -> Result<(), Decline> {
        for package in packages {
            let missing = retarget::RUNTIME_LIBRARY_PACKAGES
                .iter()
                .find(|(names, _)| names.contains(&package.as_str()))
                .is_some_and(|(_, provides)| !target_facts.provides.iter().any(|p| p == provides));
            if missing {
                return Err(Decline::new(
                    DeclineCode::ExtraLibraries,
                    format!(
                        "the final stage installs `{package}`, a shared library the program may load, which `{}` does not have",
                        target.familiar()
                    ),
                )
                .at(run.line_span)
                .help("link the program statically and drop the package, or keep a final image that installs it"));
            }
        }
        Ok(())
    }
}

impl<'t> Planner<'_, 't> {
    /// A COPY or ADD of the stage that puts a certificate where `update-ca-certificates`
    /// reads or writes them.
    fn copied_certificate(&self) -> Option<&'t Instruction> {
        const PLACES: &[&str] = &[
            "/usr/local/share/ca-certificates",
            "/usr/share/ca-certificates",
            "/etc/ssl",
            "/etc/pki",
            "/etc/ca-certificates",
        ];
        self.stage.instructions.iter().copied().find(|i| {
            matches!(i.keyword, Keyword::Copy | Keyword::Add) && {
                let text = i.line_span.slice(self.model.src);
                PLACES.iter().any(|p| text.contains(p))
            }
        })
    }
}

/// Who owns what a root original's stage copies.
impl Planner<'_, '_> {
    /// The COPYs of a root original's application files, given `--chown` to the user the
    /// new image runs as (see [`Self::handed_over_owner`]), with the places they fill; not
    /// those that have an owner already (written, or from a RUN's `chown` in `edits`), nor
    /// the compiled program alone, nor the system's folders (a file only its owner may read
    /// excepted).
    fn root_copies_owned(
        &self,
        app: &App<'_>,
        target_facts: &ImageFacts,
        edits: &[Edit],
    ) -> (Vec<Edit>, Vec<String>) {
        let owner = super::user::new_owner(target_facts);
        let states = self.model.states(self.stage.index);
        let escape = self.model.tree.escape;
        let program = app
            .program
            .clone()
            .unwrap_or_else(|| app.main.artifact().path.clone());
        let program_copy = match &app.main {
            crate::ecosystems::start::Provenance::Copied { copy, .. } => Some(*copy),
            _ => None,
        };
        let mut owned = Vec::new();
        let mut places = Vec::new();
        for (i, copy) in self.stage.instructions.iter().enumerate() {
            if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) || copy.flag("chown").is_some()
            {
                continue;
            }
            let at = copy.keyword_word.span.end;
            if edits
                .iter()
                .any(|e| e.span.start == at && e.text.contains("--chown"))
            {
                continue;
            }
            let state = &states.before[i];
            let Some(words) = copy.args.path_words() else {
                continue;
            };
            let Some((dest, sources)) = words.split_last() else {
                continue;
            };
            let Some(place) = state
                .expand(&dest.text, escape)
                .and_then(|d| state.resolve_path(&d))
            else {
                continue;
            };
            let chmod = copy.flag("chmod");
            // `ADD https://…` saves the download with mode 600, root's alone.
            let download = copy.keyword == Keyword::Add
                && chmod.is_none()
                && sources.iter().any(|s| s.text.contains("://"));
            let private = download
                || chmod
                    .and_then(|f| f.value.as_deref())
                    .is_some_and(private_mode);
            // A file only its owner may read is the new user's wherever it is: the app
            // could not read it otherwise.
            if !private && !is_app_place(&place) {
                continue;
            }
            // The program alone, or a jar: code the app runs, not a place it writes. A
            // folder that holds the program (`COPY --from=build /out .` of a .NET publish)
            // is a place it may write: its source names another file than the program.
            let source_name = crate::ecosystems::start::file_name(&sources[0].text);
            let program_name = crate::ecosystems::start::file_name(&program);
            let brings_program = sources.len() == 1
                && ((app.interpreter.is_none()
                    && source_name == program_name
                    && (program_copy.is_some_and(|c| std::ptr::eq(c, *copy))
                        || copy_sources_for(copy, state, escape, &program).is_some()))
                    || [".jar", ".war"]
                        .iter()
                        .any(|s| sources[0].text.ends_with(s)));
            if brings_program && !private {
                continue;
            }
            owned.push(Edit::insert(at, format!(" --chown={owner}")));
            if super::user::handed_place_is_writable(&place) {
                places.push(place);
            }
        }
        (owned, places)
    }
}

/// Whether every line of `stage` only describes the image (WORKDIR, EXPOSE, ENV, LABEL,
/// ARG, and USER when `user`): a stage a retarget may take over or write elsewhere.
fn only_describes(stage: &Stage<'_>, user: bool) -> bool {
    stage.instructions.iter().all(|i| {
        matches!(
            i.keyword,
            Keyword::Workdir | Keyword::Expose | Keyword::Env | Keyword::Label | Keyword::Arg
        ) || (user && i.keyword == Keyword::User)
    })
}
