//! Phases 3 and 5 for the first shape of a rewrite: a final stage that builds and runs is
//! named (`AS build`) and a slim final stage is appended, copying exactly what the
//! application needs (its files, and on `scratch` the CA certificates, time zones and `/tmp`
//! that distroless images carry).

use crate::analysis::catalogue::{ImageFacts, TargetFamily};
use crate::analysis::image_ref::ImageRef;
use crate::ecosystems::stage_build;
use crate::syntax::Keyword;

use super::emit::env_value;
use super::settings::Settings;
use super::*;
use crate::ecosystems::start::App;

impl<'t> Planner<'_, 't> {
    /// Shape (a): name the stage, append a slim final stage.
    pub(super) fn append_stage(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageRef,
        target_facts: &ImageFacts,
        settings: &Settings,
    ) -> Result<Plan, Decline> {
        let style = self.style;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        self.check_left_behind(written, app)?;
        self.check_kept_user_folder(target_facts, &app.copies)?;
        // A stage the build targets by name (`--target app`) must stay the one that name
        // builds: the new final stage takes the name, and the build stage a new one.
        let mut final_alias = None;
        let name = match &self.stage.name {
            Some(name) if self.model.target_named => {
                let renamed = self.unique_stage_name();
                edits.extend(self.rename_stage(name, &renamed));
                final_alias = self.stage.alias_span.map(|span| {
                    let alias = span.slice(self.model.src);
                    alias[alias.len() - name.len()..].to_string()
                });
                renamed
            }
            Some(name) => name.clone(),
            None => {
                let name = self.unique_stage_name();
                let word = self.stage.image_word.ok_or_else(|| {
                    Decline::new(DeclineCode::NoStage, "the final FROM names no image")
                })?;
                edits.push(Edit::insert(
                    word.span.end,
                    format!(" {} {name}", style.keyword("AS")),
                ));
                name
            }
        };
        let mut text = String::new();
        let platform = self
            .pinned_platform()?
            .map_or(String::new(), |p| format!("--platform={p} "));
        let alias = final_alias.map_or(String::new(), |a| format!(" {} {a}", style.keyword("AS")));
        text.push_str(&style.line("FROM", &format!("{platform}{}{alias}", target.familiar())));
        let mut declared = Vec::new();
        text.push_str(&self.labels_and_envs(&mut declared)?);
        for (key, value) in &app.env {
            text.push_str(&style.line("ENV", &format!("{key}={}", env_value(value))));
        }
        // The program keeps its working directory, also one the base image set (`/go`):
        // relative paths in its command and in what it opens depend on it.
        let workdir = self
            .state()
            .workdir
            .as_deref()
            .map(str::to_string)
            .ok_or_else(|| {
                Decline::new(
                    DeclineCode::UnknownVariable,
                    "the final stage's WORKDIR depends on a value not known statically",
                )
                .at(self
                    .stage
                    .last(Keyword::Workdir)
                    .map_or(from_span(self.stage), |w| w.line_span))
            })?;
        // Also `/` when the target starts elsewhere (distroless `:nonroot` in /home/nonroot):
        // a relative command or path would otherwise resolve there.
        if workdir != target_facts.workdir.as_deref().unwrap_or("/") {
            text.push_str(&style.line("WORKDIR", &workdir));
        }
        let mut copies = Vec::new();
        let handed_over = self.handed_over_owner(target_facts);
        // The folders handed over, where the app may write: its copies and the context's.
        let mut writable: Vec<String> = Vec::new();
        // The build context's files the original image held beside a native program: it
        // may read them (`-config config.yaml`, `templates/`), so they come along, from the
        // context as the original copied them, and before what the build made (which
        // the original wrote over them). An interpreted app's folder is copied
        // already; a jar or a .NET publish folder carries its resources.
        if app
            .interpreter
            .is_some_and(|e| matches!(e.name(), "java" | "dotnet"))
            || app.launches.is_some()
        {
            self.check_context_in_workdir(app, &workdir)?;
        }
        if app.interpreter.is_none() && app.launches.is_none() {
            if let Some(add) = leftovers::unpacking_add(self.model, self.stage.index) {
                return Err(Decline::new(
                    DeclineCode::UncopiedFiles,
                    format!(
                        "`{}` unpacks an archive or downloads into the image, which a COPY of the build context's files would not do again",
                        first_line(add.line_span.slice(self.model.src), self.model.tree.escape)
                    ),
                )
                .at(add.line_span)
                .help("build in one stage and copy the program and the files it reads into a final stage of your own"));
            }
            let inputs = leftovers::context_inputs(self.model, self.stage.index, &app.copies);
            let folders: Vec<String> = inputs.iter().map(|(_, dest)| dest.clone()).collect();
            if let Some(left) = leftovers::first_run_into(self.model, self.stage.index, &folders) {
                return Err(Decline::new(
                    DeclineCode::UncopiedFiles,
                    format!(
                        "`{}` may write files into {} that the new final stage would not have: it copies the build context's files there again, not what the build made beside them",
                        first_line(left.instruction.line_span.slice(self.model.src), self.model.tree.escape),
                        left.dest
                    ),
                )
                .at(left.instruction.line_span)
                .help("build in one stage and copy the program and the files it reads into a final stage of your own, or write them outside the copied folder"));
            }
            for (sources, dest) in inputs {
                let place = self.state().resolve_path(&dest).unwrap_or(dest.clone());
                let owner = match &handed_over {
                    Some(owner) if is_app_place(&place) => {
                        writable.push(place.clone());
                        format!("--chown={owner}")
                    }
                    _ => String::new(),
                };
                let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
                text.push_str(&super::built::copy_line(
                    style,
                    self.model.tree.escape,
                    &owner,
                    &refs,
                    &dest,
                ));
                for source in &sources {
                    copies.push(CopyPlan::stated(
                        "context",
                        source,
                        &dest,
                        "a build-context file the original image held beside the program, which may read it",
                    ));
                }
            }
        }
        // A compiled program itself stays root's: the app has no reason to write it.
        let program = app
            .interpreter
            .is_none()
            .then(|| app.main.artifact().path.clone());
        for (path, why) in &app.copies {
            // The application's files, not the libraries installed under /usr for it.
            let chown = match &handed_over {
                Some(owner)
                    if is_app_place(path)
                        && program.as_ref() != Some(path)
                        && !path.ends_with(".jar") =>
                {
                    writable.push(path.clone());
                    format!(" --chown={owner}")
                }
                _ => String::new(),
            };
            text.push_str(&style.line("COPY", &format!("--from={name}{chown} {path} {path}")));
            copies.push(CopyPlan::stated(&name, path, path, why));
        }
        if self.options.family == TargetFamily::Scratch {
            let extras = self.scratch_extras();
            if !extras
                .iter()
                .any(|(path, ..)| *path == "/usr/share/zoneinfo")
            {
                self.check_zones_on_scratch(app)?;
                warnings.push(Warning {
                    code: "no-zoneinfo",
                    message: "scratch has no time zone data and the build image is not known to have any to copy; a program that loads time zones needs them built in (Go: -tags timetzdata)".into(),
                });
            }
            for (path, flags, why) in extras {
                text.push_str(&style.line("COPY", &format!("--from={name}{flags} {path} {path}")));
                copies.push(CopyPlan::stated(&name, path, path, why));
            }
        }
        for keyword in [Keyword::Expose, Keyword::Volume, Keyword::Stopsignal] {
            for instruction in self.carried(keyword) {
                text.push_str(&self.verbatim(instruction, &mut declared)?);
            }
        }
        if let Some(user) = self.user_line(target_facts, &mut warnings) {
            text.push_str(&style.line("USER", &user));
        }
        if self.root_hands_over(target_facts) {
            if !writable.is_empty() {
                writable.retain(|p| super::user::handed_place_is_writable(p));
                super::user::root_files_handed_over(&mut warnings, target_facts);
            }
        } else if let Some(owner) = &handed_over {
            // What DFS008 warns of is what the --chown above mends.
            warnings.retain(|w| w.code != "DFS008");
            warnings.push(Warning {
                code: "DFS008",
                message: format!(
                    "the image ran as `{}`, which the target lacks, and gave it files; the application's files are copied owned by {owner}, the user the new image runs as",
                    self.state().user.as_deref().unwrap_or_default()
                ),
            });
        }
        if let Some(healthcheck) = self.healthcheck(app, target_facts, &mut warnings) {
            text.push_str(&healthcheck);
        }
        self.check_health_waited_on(&warnings)?;
        text.push_str(&self.command_lines(written, app, target_facts)?);
        // What the new user owns: the application's folders, when they were handed over.
        self.check_ports_and_volumes(
            &super::written::ran_words(written, app),
            settings,
            &writable,
            target_facts,
            &mut warnings,
        )?;
        expanded_warnings(written, &mut warnings);
        edits.extend(self.append_edits(text));
        Ok(self.rewritten(Some(name), target, target_facts, copies, warnings, edits))
    }

    /// The edits that add `text` (a new stage) at the end of the file, after a blank line.
    pub(super) fn append_edits(&self, text: String) -> Vec<Edit> {
        let mut edits = Vec::new();
        // A line continuation left open at the end of the file (`RUN echo \`) would join
        // the new stage to that instruction. BuildKit ignores the dangling escape: drop it.
        if let Some(escape) = self.dangling_escape() {
            edits.push(Edit::replace(escape, ""));
        }
        let newline = self.style.newline;
        let mut prefix = String::new();
        if !self.model.tree.ends_with_newline {
            prefix.push_str(newline);
        }
        prefix.push_str(newline);
        edits.push(Edit::insert(
            self.model.src.len(),
            format!("{prefix}{text}"),
        ));
        edits
    }

    /// What a `scratch` image needs copied explicitly, when the build stage has it.
    pub(super) fn scratch_extras(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        let facts = self.facts();
        let build = stage_build(self.model, self.stage.index, self.context);
        let installed = |p: &str| build.packages.iter().any(|x| x.package == p);
        // docker-library language images are built on buildpack-deps' curl variant, which
        // installs ca-certificates; plain distro images do not have them unless installed.
        let has_certs = installed("ca-certificates")
            || facts.runtime.is_some()
            || facts.provides.iter().any(|p| p == "ca-certificates");
        let has_tz = installed("tzdata") || facts.provides.iter().any(|p| p == "tzdata");
        let mut extras = Vec::new();
        if has_certs {
            extras.push((
                "/etc/ssl/certs/ca-certificates.crt",
                "",
                "the CA bundle, for TLS (scratch has none)",
            ));
        }
        if has_tz {
            extras.push((
                "/usr/share/zoneinfo",
                "",
                "time zone data (scratch has none)",
            ));
        }
        extras.push((
            "/tmp",
            " --chmod=1777",
            "a writable /tmp (scratch has none)",
        ));
        extras
    }

    /// The plan of a rewrite that goes ahead, in either shape.
    pub(super) fn rewritten(
        &self,
        stage: Option<String>,
        target: &ImageRef,
        target_facts: &ImageFacts,
        copies: Vec<CopyPlan>,
        warnings: Vec<Warning>,
        edits: Vec<Edit>,
    ) -> Plan {
        Plan {
            status: Status::Rewritten,
            reason: None,
            stage,
            base_before: self
                .model
                .root_image(self.stage.index)
                .map(ImageRef::familiar),
            base_after: Some(target.familiar()),
            level_before: Level::FullDistro,
            level_after: target_facts.level,
            level_by_family: None,
            copies,
            warnings,
            blockers: Vec::new(),
            edits,
        }
    }

    /// Edits that rename the stage `old` to `new`: its `AS` name, and every later `FROM`,
    /// `--from=` and `--mount=…,from=` that names it (references by index stay right).
    pub(super) fn rename_stage(&self, old: &str, new: &str) -> Vec<Edit> {
        let src = self.model.src;
        let mut edits = Vec::new();
        if let Some(alias) = self.stage.alias_span {
            edits.push(Edit::replace(
                Span::new(alias.end - old.len(), alias.end),
                new,
            ));
        }
        for later in &self.model.stages.stages[self.stage.index + 1..] {
            if let Some(word) = later.image_word
                && word.text.eq_ignore_ascii_case(old)
                && later.base == Base::Stage(self.stage.index)
            {
                edits.push(Edit::replace(word.span, new));
            }
            for instruction in &later.instructions {
                for flag in &instruction.flags {
                    let text = flag.span.slice(src);
                    let named = match flag.name.as_str() {
                        "from" => flag
                            .value
                            .as_deref()
                            .is_some_and(|v| v.eq_ignore_ascii_case(old)),
                        "mount" => flag.value.as_deref().is_some_and(|v| {
                            v.split(',')
                                .any(|part| part.eq_ignore_ascii_case(&format!("from={old}")))
                        }),
                        _ => false,
                    };
                    if named {
                        // Only the value after `from=` changes, whatever else the flag says.
                        let mut after_from = false;
                        let replaced = text
                            .split_inclusive([',', '='])
                            .map(|piece| {
                                let value = piece.strip_suffix(',').unwrap_or(piece);
                                let out = if after_from && value.eq_ignore_ascii_case(old) {
                                    piece.replacen(value, new, 1)
                                } else {
                                    piece.to_string()
                                };
                                after_from = piece.to_ascii_lowercase().ends_with("from=");
                                out
                            })
                            .collect::<String>();
                        edits.push(Edit::replace(flag.span, replaced));
                    }
                }
            }
        }
        edits
    }

    /// The escape character of a line continuation still open at the end of the file:
    /// the last instruction's last line ends with it, and nothing but blank lines and
    /// comments (which a continuation skips) follows.
    pub(super) fn dangling_escape(&self) -> Option<Span> {
        let tree = self.model.tree;
        let last = tree.instructions().last()?;
        if !last.heredocs.is_empty() {
            return None;
        }
        let src = self.model.src;
        let lines = src[..last.line_span.end].trim_end_matches(|c: char| c.is_whitespace());
        let only_trivia_after = src[last.line_span.end..].lines().all(|line| {
            let line = line.trim();
            line.is_empty() || line.starts_with('#')
        });
        (lines.ends_with(tree.escape) && only_trivia_after)
            .then(|| Span::new(lines.len() - tree.escape.len_utf8(), lines.len()))
    }
}

/// What the new stage would leave behind of the final stage's.
impl<'t> Planner<'_, 't> {
    /// Files a COPY or RUN of the final stage's chain put outside the copied folders, code
    /// of the application's language run while building, and programs installed for the
    /// application: the new stage would not have them.
    fn check_left_behind(&self, written: &Written<'t>, app: &App<'t>) -> Result<(), Decline> {
        let python = app.interpreter.is_some_and(|e| e.name() == "python");
        let node = app.interpreter.is_some_and(|e| e.name() == "node");
        let left = leftovers::first_leftover(self.model, self.stage.index, &app.copies)
            .or_else(|| leftovers::first_run_leftover(self.model, self.stage.index, &app.copies))
            .or_else(|| {
                python
                    .then(|| leftovers::first_python_code_run(self.model, self.stage.index))
                    .flatten()
            })
            .or_else(|| {
                node.then(|| leftovers::first_node_code_run(self.model, self.stage.index))
                    .flatten()
            });
        if let Some(left) = left {
            return Err(Decline::new(
                DeclineCode::UncopiedFiles,
                format!(
                    "`{}` puts files in {}, which the new final stage would not have",
                    first_line(
                        left.instruction.line_span.slice(self.model.src),
                        self.model.tree.escape
                    ),
                    left.dest
                ),
            )
            .at(left.instruction.line_span)
            .help("move them under the application's folder, or write the final stage by hand"));
        }
        let mut image_words = written.argv.clone();
        if let Some(healthcheck) = self.stage.last(Keyword::Healthcheck) {
            image_words.push(healthcheck.line_span.slice(self.model.src).to_string());
        }
        if let Some((install, package)) =
            leftovers::first_unused_program(self.model, self.stage.index, &image_words)
        {
            return Err(Decline::new(
                DeclineCode::InstalledProgram,
                format!(
                    "`{}` installs `{package}`, which no later build step runs: the application may run it, and the new final stage would not have it",
                    first_line(install.line_span.slice(self.model.src), self.model.tree.escape),
                ),
            )
            .at(install.line_span)
            .help("install it in a build stage if only the build needs it, or keep a final image that has it"));
        }
        Ok(())
    }
}

/// An instruction's first line as a decline quotes it: without its continuation escape.
fn first_line(text: &str, escape: char) -> &str {
    text.lines()
        .next()
        .unwrap_or("")
        .trim_end_matches([escape, ' ', '\t', '\r'])
}

/// Whether a stage has the name `n`, or a `--from` uses it even with no stage of that name
/// (a build that names an image, or a broken one): a new stage's name must not change what
/// such a `--from` means.
fn name_taken(model: &Model<'_>, n: &str) -> bool {
    model
        .stages
        .stages
        .iter()
        .any(|s| s.name.as_deref() == Some(n))
        || model.tree.instructions().any(|i| {
            i.flag("from")
                .and_then(|f| f.value.as_deref())
                .is_some_and(|v| v.eq_ignore_ascii_case(n))
        })
}

/// The names of new stages.
impl Planner<'_, '_> {
    pub(super) fn unique_stage_name(&self) -> String {
        self.unique_name(&self.options.stage_name)
    }

    /// `base`, or `base-2`, `base-3` … when a stage has that name.
    pub(super) fn unique_name(&self, base: &str) -> String {
        let base = base.to_lowercase();
        let taken = |n: &str| name_taken(self.model, n);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}-{i}"))
            .find(|n| !taken(n))
            .unwrap_or(base)
    }
}

/// What a jar or a .NET publish folder, split out of its build, would leave behind.
impl Planner<'_, '_> {
    /// A jar or a .NET publish folder carries its resources, but the program still runs in
    /// the stage's WORKDIR: when the build context's files are there (`COPY . .` in `/app`,
    /// the jar in `/app/target`), it may read them by relative paths (`config/app.yml`,
    /// ASP.NET's content root `wwwroot` and `appsettings.json`), and the new stage, which
    /// copies the jar or the publish folder alone, would not have them.
    fn check_context_in_workdir(&self, app: &App<'_>, workdir: &str) -> Result<(), Decline> {
        if app
            .copies
            .iter()
            .any(|(path, _)| crate::ecosystems::start::covers(path, workdir))
        {
            return Ok(());
        }
        let inputs = leftovers::context_inputs(self.model, self.stage.index, &app.copies);
        // The names the context puts there; `None` when they cannot be listed.
        let names = |sources: &[String]| -> Option<Vec<String>> {
            let mut names = Vec::new();
            for source in sources {
                let source = source.trim_start_matches("./").trim_end_matches('/');
                if source.is_empty() || source == "." {
                    let read = self.context?;
                    names.extend(read("")?.lines().map(str::to_string));
                } else if source.contains(['*', '?', '[', '$']) {
                    return None;
                } else {
                    names.push(source.rsplit('/').next().unwrap_or(source).to_string());
                }
            }
            Some(names)
        };
        let Some((_, dest, name)) = inputs.iter().find_map(|(sources, dest)| {
            let place = dest.trim_end_matches('/');
            let place = if place.is_empty() { "/" } else { place };
            let overlaps = crate::ecosystems::start::covers(place, workdir)
                || crate::ecosystems::start::covers(workdir, place);
            if !overlaps {
                return None;
            }
            match names(sources) {
                None => Some((sources, dest, None)),
                Some(names) => names
                    .into_iter()
                    .find(|n| !is_build_input(n))
                    .map(|n| (sources, dest, Some(n))),
            }
        }) else {
            return Ok(());
        };
        let dest = match name {
            // `COPY src ./src` names the folder itself; `COPY . .` the folder it fills.
            Some(name)
                if !dest
                    .trim_end_matches('/')
                    .ends_with(&format!("/{}", name.trim_end_matches('/'))) =>
            {
                format!(
                    "{}/{}",
                    dest.trim_end_matches('/'),
                    name.trim_end_matches('/')
                )
            }
            _ => dest.trim_end_matches('/').to_string(),
        };
        Err(Decline::new(
            DeclineCode::UncopiedFiles,
            format!(
                "the application runs in {workdir}, where the build context put {dest}, which it may read by a relative path (ASP.NET's content root holds wwwroot and appsettings.json; config/ beside a jar); the new stage would copy only {}",
                app.copies.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )
        .at(self
            .stage
            .last(Keyword::Workdir)
            .map_or(from_span(self.stage), |w| w.line_span))
        .help("build in one stage and copy the program and the files it reads into a final stage of your own"))
    }
}

/// A file or folder of a Java or .NET build's context that only the build reads (sources,
/// build scripts, the repository's own files): the program, run from its folder, does not
/// open it by a relative path.
fn is_build_input(name: &str) -> bool {
    // Not `src/`, a README or a top-level source file: an app run from its project folder
    // may read `src/main/resources/…` or `README.md` by a relative path.
    let name = name.trim_end_matches('/');
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "pom.xml"
            | "mvnw"
            | "mvnw.cmd"
            | ".mvn"
            | "build.gradle"
            | "build.gradle.kts"
            | "settings.gradle"
            | "settings.gradle.kts"
            | "gradle.properties"
            | "gradlew"
            | "gradlew.bat"
            | "gradle"
            | "target"
            | "build"
            | "bin"
            | "obj"
            | "global.json"
            | "nuget.config"
            | "directory.build.props"
            | "directory.build.targets"
            | "directory.packages.props"
            | "dockerfile"
            | ".dockerignore"
            | ".gitignore"
            | ".gitattributes"
            | ".git"
            | ".github"
            | ".idea"
            | ".vscode"
            | ".editorconfig"
    ) || [".csproj", ".fsproj", ".sln", ".slnx", ".dockerfile"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
}

/// Time zones on scratch, which has no zone data.
impl Planner<'_, '_> {
    /// Declines when the program needs time zones that scratch lacks and the build image is
    /// not known to have any to copy.
    fn check_zones_on_scratch(&self, app: &App<'_>) -> Result<(), Decline> {
        // A zone the stage names is one the program uses: without the data it
        // silently runs in UTC.
        if let Some(zone) = self.state().value("TZ").filter(|z| {
            !matches!(
                z.as_str(),
                "" | "UTC" | "Etc/UTC" | "UTC0" | "GMT" | "Etc/GMT"
            )
        }) {
            let setting = self.finder(from_span(self.stage)).env_setting("TZ");
            return Err(Decline::new(
                DeclineCode::UncopiedFiles,
                format!("the image sets TZ={zone}, and scratch has no time zone data (nor is any known in the build image to copy): the program would run in UTC"),
            )
            .or_at(setting.map_or(from_span(self.stage), |i| i.line_span))
            .help("use --target-family distroless, whose images carry the zones, or build them into the program (Go: -tags timetzdata)"));
        }
        // A zone the code loads by name: Go found it in the golang image's
        // `lib/time/zoneinfo.zip`, and fails without it (`unknown time zone`).
        if let Some((file, call)) = &app.main.artifact().uses.loads_zones {
            return Err(Decline::new(
                DeclineCode::UncopiedFiles,
                format!("{file} loads time zones by name (`{}`), and scratch has no time zone data (nor is any known in the build image to copy): the load would fail", call.trim_end_matches('(')),
            )
            .at(from_span(self.stage))
            .help("use --target-family distroless, whose images carry the zones, or build them into the program (Go: -tags timetzdata, or import _ \"time/tzdata\")"));
        }
        Ok(())
    }
}
