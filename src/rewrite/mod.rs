//! The rewrite: computes a slim final stage and expresses it as edits against the original
//! text, or declines with a reason.
//!
//! Two shapes (PRODUCT.md, "Rewrite behaviour"):
//! - a final stage that builds and runs gets a name (`AS build`) and a new final stage is
//!   appended on the right target, copying exactly what the application needs;
//! - a runtime stage that only receives artifacts is retargeted in place: its base changes
//!   and the RUNs that need a shell are replaced (or the rewrite declines, naming them).
//!
//! The target follows from how the application links or which runtime it needs, through the
//! catalogue. Whatever cannot be established statically ends in a [`Decline`], never in a
//! guess: a wrong rewrite is worse than none.

pub mod app;
pub mod command;
pub mod edit;
pub mod emit;
pub mod leftovers;
pub mod plan;
pub mod retarget;

pub use edit::{Edit, Overlap, apply};
pub use plan::{CopyPlan, Decline, Plan, Status, Warning};

use crate::analysis::artifacts::{ArtifactKind, ContextReader, Linkage, stage_build};
use crate::analysis::catalogue::{Catalogue, ImageFacts, Needs, TargetFamily, TargetQuery};
use crate::analysis::env::State;
use crate::analysis::image_ref::ImageRef;
use crate::analysis::level::Level;
use crate::analysis::model::{CommandForm, Model, Origin};
use crate::analysis::stages::{Base, Stage};
use crate::syntax::{Args, Instruction, Keyword, Span, SyntaxError};

use app::{App, AppFinder, Provenance, copy_sources_for};
use command::{Interpreter, exec_form, interpreter, shell_to_argv};
use emit::{Style, env_value};

/// The PATH of distroless, Chainguard and chiseled images (TARGETS.md).
const TARGET_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub family: TargetFamily,
    /// Force the final image.
    pub base: Option<String>,
    /// The name given to the build stage when it has none.
    pub stage_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            family: TargetFamily::Distroless,
            base: None,
            stage_name: "build".to_string(),
        }
    }
}

/// A rewrite carried out on text: the plan and the resulting text (the original when
/// nothing changes).
#[derive(Clone, Debug)]
pub struct Rewritten {
    pub plan: Plan,
    pub text: String,
}

/// Parse, plan, apply and verify. Returns the syntax errors when the input does not parse,
/// and the analysis' errors when a value is over one of dfslim's limits.
///
/// Verification is the safety net: the new text must parse, and `check` must find no
/// full-distro final stage and nothing at warning or above; otherwise the rewrite is
/// withdrawn as a decline (`unverified`).
pub fn rewrite_text(
    src: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    context: Option<ContextReader<'_>>,
) -> Result<Rewritten, Vec<SyntaxError>> {
    let tree = crate::syntax::parse(src);
    if tree.has_errors() {
        return Err(tree.errors);
    }
    let model = Model::new(src, &tree, catalogue, target);
    if !model.errors.is_empty() {
        return Err(model.errors);
    }
    let plan = plan(&model, options, context);
    if plan.status != Status::Rewritten {
        return Ok(Rewritten {
            plan,
            text: src.to_string(),
        });
    }
    let problem = match apply(src, &plan.edits) {
        Ok(text) => match verify(&text, catalogue, target) {
            None => return Ok(Rewritten { plan, text }),
            Some(problem) => problem,
        },
        Err(overlap) => overlap.to_string(),
    };
    let withdrawn = Plan::declined(
        plan.base_before,
        plan.level_before,
        Decline::new(
            "unverified",
            format!("the rewrite was withdrawn because {problem}"),
        )
        .help("please report this Dockerfile: dfslim should have declined it earlier"),
    );
    Ok(Rewritten {
        plan: withdrawn,
        text: src.to_string(),
    })
}

/// Why a rewritten text is not acceptable, if it is not.
pub fn verify(text: &str, catalogue: &Catalogue, target: Option<&str>) -> Option<String> {
    let tree = crate::syntax::parse(text);
    if let Some(error) = tree.errors.first() {
        return Some(format!(
            "the rewritten file would not parse: {}",
            error.message
        ));
    }
    let model = Model::new(text, &tree, catalogue, target);
    crate::rules::check(&model, &crate::rules::Selection::default())
        .iter()
        .find(|f| f.rule.severity >= crate::rules::Severity::Warning)
        .map(|f| {
            format!(
                "the rewritten file would still get {} ({})",
                f.rule.code, f.message
            )
        })
}

/// Plan the rewrite of a parsed Dockerfile (which must have no syntax errors).
pub fn plan(model: &Model<'_>, options: &Options, context: Option<ContextReader<'_>>) -> Plan {
    let Some(stage) = model.final_stage() else {
        return Plan::declined(
            None,
            Level::Unknown,
            Decline::new(
                "no-stage",
                "the file has no stage to rewrite (no FROM, or an unknown --target)",
            ),
        );
    };
    let base_before = model.root_image(stage.index).map(ImageRef::familiar);
    let level = model.level(stage.index);
    match level {
        Level::FullDistro => {}
        Level::Distroless | Level::Binaryless | Level::Shellless => {
            return Plan::unchanged(base_before, level);
        }
        Level::Shell => {
            return Plan::declined(
                base_before.clone(),
                level,
                Decline::new(
                    "shell-image",
                    format!(
                        "the final image `{}` has no package manager but keeps a shell; dfslim rewrites full-distro final stages",
                        base_before.as_deref().unwrap_or("?")
                    ),
                )
                .at(from_span(stage))
                .help("use the image's non-debug tag (e.g. `:nonroot` instead of `:debug`)"),
            );
        }
        Level::Unknown => {
            let reason = match model.stages.root_base(stage.index).0 {
                Base::Unresolved { text, reason } => {
                    format!("the final image `{text}` cannot be resolved statically: {reason}")
                }
                _ => format!(
                    "`{}` is not in the image catalogue, so what it holds is unknown",
                    base_before.as_deref().unwrap_or("?")
                ),
            };
            return Plan::declined(
                base_before,
                level,
                Decline::new("unknown-base", reason)
                    .at(from_span(stage))
                    .help("add the image to the catalogue with the config key `catalogue:`"),
            );
        }
    }
    let planner = Planner {
        model,
        stage,
        options,
        context,
        style: Style::of(model.tree),
        states: model.states(stage.index),
    };
    match planner.run() {
        Ok(plan) => plan,
        Err(decline) => Plan::declined(base_before, level, decline),
    }
}

fn from_span(stage: &Stage<'_>) -> Span {
    stage.image_word.map_or(stage.from.line_span, |w| w.span)
}

/// How the original file writes the command, so that the rewrite keeps its shape.
#[derive(Clone, Debug)]
struct Written<'t> {
    argv: Vec<String>,
    /// Whether an ENTRYPOINT (rather than only a CMD) starts the program.
    entrypoint: bool,
    /// How many leading argv elements the ENTRYPOINT holds.
    entrypoint_len: usize,
    /// The instructions that make up the command.
    instructions: Vec<&'t Instruction>,
    /// Variables written into the argv with their build-time values.
    expanded: Vec<String>,
    span: Span,
}

struct Planner<'m, 't> {
    model: &'m Model<'t>,
    stage: &'m Stage<'t>,
    options: &'m Options,
    context: Option<ContextReader<'m>>,
    style: Style,
    states: crate::analysis::env::StageStates,
}

impl<'t> Planner<'_, 't> {
    fn facts(&self) -> ImageFacts {
        // `plan` only gets here for a full-distro image, which the catalogue knows.
        self.model
            .facts(self.stage.index)
            .expect("a full-distro final stage has catalogue facts")
    }

    fn state(&self) -> &State {
        &self.states.end
    }

    fn run(&self) -> Result<Plan, Decline> {
        let written = self.written_command()?;
        let finder = AppFinder {
            model: self.model,
            stage: self.stage.index,
            state: self.state(),
            context: self.context,
            command_span: written.span,
        };
        let app = finder.find(&written.argv)?;
        let (target, target_facts) = self.target(&app)?;
        self.check_root_home(&app)?;
        match &app.main {
            Provenance::Copied { .. } => self.retarget(&written, &app, &target, &target_facts),
            Provenance::Built(_) => self.append_stage(&written, &app, &target, &target_facts),
        }
    }

    /// The new image runs as non-root, which cannot enter `/root` (mode 0700): an
    /// application that lives or runs there would not start.
    fn check_root_home(&self, app: &App<'t>) -> Result<(), Decline> {
        let states = self.model.states(self.stage.index);
        let mut places: Vec<(String, Span)> = Vec::new();
        if let Some(workdir) = &self.state().workdir {
            let span = self
                .stage
                .last(Keyword::Workdir)
                .map_or(from_span(self.stage), |w| w.line_span);
            places.push((workdir.to_string(), span));
        }
        // What a new stage would copy; a retargeted stage's own COPYs follow.
        if matches!(app.main, Provenance::Built(_)) {
            for (path, _) in &app.copies {
                places.push((path.clone(), from_span(self.stage)));
            }
        }
        for (i, copy) in self.stage.instructions.iter().enumerate() {
            if matches!(copy.keyword, Keyword::Copy | Keyword::Add)
                && let Some((dest, _)) = app::copy_operands(copy, &states.before[i])
                && let Some(dest) = states.before[i].resolve_path(&dest)
            {
                places.push((dest, copy.line_span));
            }
        }
        match places.into_iter().find(|(p, _)| app::covers("/root", p)) {
            Some((path, span)) => Err(Decline::new(
                "root-home",
                format!(
                    "the application uses {path}, and /root is a folder only root may enter, while the new image runs as a non-root user"
                ),
            )
            .at(span)
            .help("put the application in a folder of its own, such as /app")),
            None => Ok(()),
        }
    }

    /// The platform the final image is pinned to: a fixed `--platform` on its FROM, or the
    /// architecture its image's namespace names (`arm64v8/alpine`). The automatic
    /// `$BUILDPLATFORM`/`$TARGETPLATFORM` pin nothing the new stage must keep.
    fn pinned_platform(&self) -> Result<Option<String>, Decline> {
        if let Some(platform) = &self.stage.platform {
            if !platform.contains('$') {
                return Ok(Some(platform.clone()));
            }
            let automatic = ["BUILDPLATFORM", "TARGETPLATFORM"]
                .iter()
                .any(|v| platform == &format!("${v}") || platform == &format!("${{{v}}}"));
            if !automatic {
                return Err(Decline::new(
                    "unknown-platform",
                    format!("the final stage's platform `{platform}` is not known statically"),
                )
                .at(self.stage.from.line_span));
            }
            return Ok(None);
        }
        let Some(image) = self.model.root_image(self.stage.index) else {
            return Ok(None);
        };
        if image.registry != "docker.io" {
            return Ok(None);
        }
        let namespace = image.repository.split('/').next().unwrap_or("");
        let platform = match namespace {
            "amd64" => "linux/amd64",
            "arm64v8" => "linux/arm64",
            "arm32v7" => "linux/arm/v7",
            "arm32v6" => "linux/arm/v6",
            "arm32v5" => "linux/arm/v5",
            "i386" => "linux/386",
            "ppc64le" => "linux/ppc64le",
            "s390x" => "linux/s390x",
            "riscv64" => "linux/riscv64",
            "mips64le" => "linux/mips64le",
            _ => return Ok(None),
        };
        Ok(Some(platform.to_string()))
    }

    /// ENTRYPOINT and CMD as the container runs them, in exec form.
    fn written_command(&self) -> Result<Written<'t>, Decline> {
        let facts = self.facts();
        let command = self.model.run_command(self.stage.index);
        let mut entrypoint = command.entrypoint;
        if let Some((_, Origin::Image)) = &entrypoint
            && facts.script_entrypoint
        {
            // A script that only runs the command it is given (node's, Temurin's unless its
            // variable is set) can be left behind; any other needs the image's shell.
            let activated = facts
                .entrypoint_active_with
                .as_deref()
                .is_some_and(|name| self.state().is_set(name));
            if !facts.entrypoint_passthrough || activated {
                let ep = entrypoint
                    .as_ref()
                    .map(|(f, _)| form_text(f))
                    .unwrap_or_default();
                return Err(Decline::new(
                    "image-entrypoint-script",
                    format!("the image starts through its own entrypoint script `{ep}`, which needs a shell"),
                )
                .at(from_span(self.stage))
                .help("servers such as nginx, httpd or redis have no distroless image; keep the official one"));
            }
            entrypoint = None;
        }
        let mut instructions = Vec::new();
        let mut expanded = Vec::new();
        let mut convert = |form: &CommandForm,
                           origin: &Origin<'t>|
         -> Result<Vec<String>, Decline> {
            if let Origin::Instruction(i) = origin {
                instructions.push(*i);
            }
            match form {
                CommandForm::Exec(argv) => Ok(argv.clone()),
                CommandForm::Shell(text) => {
                    let converted = shell_to_argv(text, self.state()).map_err(|why| {
                        let (span, keyword) = match origin {
                            Origin::Instruction(i) => (i.line_span, i.keyword.as_str()),
                            Origin::Image => (from_span(self.stage), "CMD"),
                        };
                        Decline::new(
                            "shell-form-command",
                            format!("the shell-form {keyword} `{text}` cannot run without a shell: {why}"),
                        )
                        .at(span)
                        .help("write the command in exec form, e.g. CMD [\"/app/server\", \"--flag\"]")
                    })?;
                    expanded.extend(converted.expanded);
                    Ok(converted.argv)
                }
            }
        };
        let (argv, has_entrypoint, entrypoint_len) = match (&entrypoint, &command.cmd) {
            (Some((ep @ CommandForm::Exec(_), origin)), cmd) => {
                let mut argv = convert(ep, origin)?;
                let len = argv.len();
                match cmd {
                    // ENTRYPOINT clears a CMD the stage inherited (from its base image or
                    // the stage it is built on) unless this stage sets CMD itself.
                    Some((_, Origin::Instruction(c)))
                        if !self.stage.instructions.iter().any(|x| std::ptr::eq(*x, *c))
                            && self.stage.last(Keyword::Entrypoint).is_some() => {}
                    Some((cmd_form @ CommandForm::Exec(_), cmd_origin)) => {
                        argv.extend(convert(cmd_form, cmd_origin)?);
                    }
                    // Docker runs ENTRYPOINT with `/bin/sh -c TEXT` as its arguments.
                    Some((CommandForm::Shell(text), Origin::Instruction(c))) => {
                        return Err(Decline::new(
                            "shell-form-command",
                            format!("the shell-form CMD `{text}` after an exec-form ENTRYPOINT gives the program `/bin/sh -c …` as its arguments, which the new image cannot"),
                        )
                        .at(c.line_span)
                        .help("write the CMD in exec form"));
                    }
                    _ => {}
                }
                (argv, true, len)
            }
            (Some((ep @ CommandForm::Shell(_), origin)), _) => {
                let argv = convert(ep, origin)?;
                let len = argv.len();
                (argv, true, len)
            }
            (None, Some((cmd, origin))) => (convert(cmd, origin)?, false, 0),
            (None, None) => {
                return Err(Decline::new(
                    "no-command",
                    "the final stage sets no ENTRYPOINT or CMD, so what the image runs is unknown",
                )
                .at(from_span(self.stage))
                .help(
                    "images without a command are usually base images, which dfslim leaves alone",
                ));
            }
        };
        let mut argv = argv;
        let is_node_image = facts.runtime.as_ref().is_some_and(|r| r.name == "node");
        if is_node_image
            && argv
                .first()
                .is_some_and(|a| a.ends_with(".js") || a.ends_with(".mjs") || a.ends_with(".cjs"))
        {
            // node's entrypoint runs a file argument with node.
            argv.insert(0, "node".to_string());
        }
        let span = instructions
            .last()
            .map_or(from_span(self.stage), |i| i.line_span);
        Ok(Written {
            argv,
            entrypoint: has_entrypoint,
            entrypoint_len,
            instructions,
            expanded,
            span,
        })
    }

    /// The final image: forced with `--base`, or picked from the catalogue.
    fn target(&self, app: &App<'t>) -> Result<(ImageRef, ImageFacts), Decline> {
        let catalogue = self.model.catalogue;
        if let Some(base) = &self.options.base {
            let image = ImageRef::parse(base).map_err(|e| {
                Decline::new(
                    "bad-base",
                    format!("--base `{base}` is not an image reference: {e}"),
                )
            })?;
            let facts = catalogue.lookup(&image).ok_or_else(|| {
                Decline::new(
                    "unknown-forced-base",
                    format!("--base `{base}` is not in the image catalogue, so whether it can run the application is unknown"),
                )
                .help("describe the image in a catalogue file named by the config key `catalogue:`")
            })?;
            if let Some(why) = forced_base_misfit(&app.needs, app.built_on_debian, &facts) {
                return Err(Decline::new(
                    "base-mismatch",
                    format!("--base `{base}` cannot run this application: {why}"),
                )
                .help("leave out --base to let dfslim pick an image that fits"));
            }
            return Ok((image, facts));
        }
        if self.options.family == TargetFamily::Scratch && app.needs != Needs::Static {
            return Err(Decline::new(
                "scratch-needs-static",
                format!(
                    "`scratch` can only run a static binary, and this application needs {}",
                    describe_needs(&app.needs)
                ),
            )
            .help("use --target-family distroless"));
        }
        let query = TargetQuery {
            family: self.options.family,
            needs: app.needs.clone(),
            min_debian: app.built_on_debian,
        };
        match catalogue.pick_target(&query) {
            Some((target, facts))
                if app.interpreter == Some(Interpreter::Dotnet)
                    && !["icu", "tzdata"]
                        .iter()
                        .all(|p| facts.provides.iter().any(|x| x == p)) =>
            {
                // The sdk and runtime images carry ICU and tzdata; without them .NET runs
                // globalization-invariant (cultures other than the invariant one throw) and
                // finds no time zone but UTC.
                Err(Decline::new(
                    "no-target",
                    format!(
                        "`{}` has no ICU or time zone data, which the .NET application had where it was built; cultures and time zones would behave differently",
                        target.image.familiar()
                    ),
                )
                .at(from_span(self.stage))
                .help(format!(
                    "name an image with both, e.g. --base {}-extra",
                    target.image.familiar()
                )))
            }
            Some((target, facts)) => Ok((target.image.clone(), facts)),
            None => {
                let mut available: Vec<String> = catalogue
                    .targets()
                    .filter(|t| t.family == self.options.family)
                    .filter_map(|t| {
                        let facts = catalogue.lookup(&t.image)?;
                        let runtime = facts.runtime?;
                        let Needs::Runtime { name, .. } = &app.needs else {
                            return None;
                        };
                        (runtime.name == *name).then(|| t.image.familiar())
                    })
                    .collect();
                available.dedup();
                let help = if available.is_empty() {
                    "use --base to name an image that fits".to_string()
                } else {
                    format!("images that exist: {}", available.join(", "))
                };
                Err(Decline::new(
                    "no-target",
                    format!(
                        "no {} image carries {}",
                        self.options.family,
                        describe_needs(&app.needs)
                    ),
                )
                .at(from_span(self.stage))
                .help(help))
            }
        }
    }

    /// Shape (a): name the stage, append a slim final stage.
    fn append_stage(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageRef,
        target_facts: &ImageFacts,
    ) -> Result<Plan, Decline> {
        let style = self.style;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        let left = leftovers::first_leftover(self.model, self.stage.index, &app.copies)
            .or_else(|| leftovers::first_run_leftover(self.model, self.stage.index, &app.copies));
        if let Some(left) = left {
            return Err(Decline::new(
                "uncopied-files",
                format!(
                    "`{}` puts files in {}, which the new final stage would not have",
                    left.instruction
                        .line_span
                        .slice(self.model.src)
                        .lines()
                        .next()
                        .unwrap_or("")
                        .trim_end_matches([self.model.tree.escape, ' ', '\t', '\r']),
                    left.dest
                ),
            )
            .at(left.instruction.line_span)
            .help("move them under the application's folder, or write the final stage by hand"));
        }
        let name = match &self.stage.name {
            Some(name) => name.clone(),
            None => {
                let name = self.unique_stage_name();
                let word = self
                    .stage
                    .image_word
                    .ok_or_else(|| Decline::new("no-stage", "the final FROM names no image"))?;
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
        text.push_str(&style.line("FROM", &format!("{platform}{}", target.familiar())));
        // LABEL and ENV in their order, so that a value built from an earlier ENV sees it.
        let mut declared = Vec::new();
        let mut labels_and_envs = self.carried(Keyword::Label);
        labels_and_envs.extend(self.carried(Keyword::Env));
        labels_and_envs.sort_by_key(|i| i.span.start);
        for instruction in labels_and_envs {
            text.push_str(&self.verbatim(instruction, &mut declared)?);
        }
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
                    "unknown-variable",
                    "the final stage's WORKDIR depends on a value not known statically",
                )
                .at(self
                    .stage
                    .last(Keyword::Workdir)
                    .map_or(from_span(self.stage), |w| w.line_span))
            })?;
        if workdir != "/" {
            text.push_str(&style.line("WORKDIR", &workdir));
        }
        let mut copies = Vec::new();
        for (path, why) in &app.copies {
            text.push_str(&style.line("COPY", &format!("--from={name} {path} {path}")));
            copies.push(CopyPlan {
                from: name.clone(),
                src: path.clone(),
                dest: path.clone(),
                why: why.clone(),
            });
        }
        if self.options.family == TargetFamily::Scratch {
            let extras = self.scratch_extras();
            if !extras
                .iter()
                .any(|(path, ..)| *path == "/usr/share/zoneinfo")
            {
                warnings.push(Warning {
                    code: "no-zoneinfo",
                    message: "scratch has no time zone data and the build image is not known to have any to copy; a program that loads time zones needs them built in (Go: -tags timetzdata)".into(),
                });
            }
            for (path, flags, why) in extras {
                text.push_str(&style.line("COPY", &format!("--from={name}{flags} {path} {path}")));
                copies.push(CopyPlan {
                    from: name.clone(),
                    src: path.to_string(),
                    dest: path.to_string(),
                    why: why.to_string(),
                });
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
        if let Some(healthcheck) = self.healthcheck(app, &mut warnings) {
            text.push_str(&healthcheck);
        }
        text.push_str(&self.command_lines(written, app, target_facts)?);
        self.port_warnings(&mut warnings);
        expanded_warnings(written, &mut warnings);
        let mut prefix = String::new();
        if !self.model.tree.ends_with_newline {
            prefix.push_str(style.newline);
        }
        prefix.push_str(style.newline);
        edits.push(Edit::insert(
            self.model.src.len(),
            format!("{prefix}{text}"),
        ));
        Ok(self.rewritten(Some(name), target, target_facts, copies, warnings, edits))
    }

    /// The plan of a rewrite that goes ahead, in either shape.
    fn rewritten(
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
            copies,
            warnings,
            edits,
        }
    }

    /// The stages whose instructions are in effect in the final stage, oldest first.
    fn chain(&self) -> impl Iterator<Item = &Stage<'t>> {
        let (_, chain) = self.model.stages.root_base(self.stage.index);
        let stages = &self.model.stages.stages;
        chain.into_iter().rev().map(move |i| &stages[i])
    }

    /// Instructions of a kind that the new final stage carries over, oldest first.
    fn carried(&self, keyword: Keyword) -> Vec<&'t Instruction> {
        self.chain()
            .flat_map(|s| s.instructions_of(keyword).collect::<Vec<_>>())
            .collect()
    }

    /// An instruction's own text, as one line group, ending with the file's line ending.
    ///
    /// The new stage does not have the build stage's variables. A value that comes from a
    /// build argument keeps its `$NAME`, and the ARG is declared again (once, in `declared`)
    /// so that `--build-arg` still sets it; a value that comes only from ENV or the base
    /// image is written out.
    fn verbatim(
        &self,
        instruction: &Instruction,
        declared: &mut Vec<String>,
    ) -> Result<String, Decline> {
        let src = self.model.src;
        let escape = self.model.tree.escape;
        let text = instruction.line_span.slice(src);
        let rest = &src[instruction.keyword_word.span.end..instruction.line_span.end];
        let names = crate::analysis::expand::referenced_vars(rest, escape);
        if names.is_empty() {
            return Ok(format!("{text}{}", self.style.newline));
        }
        let args = self.build_args_behind(instruction, &names)?;
        if !args.is_empty() {
            let mut out = String::new();
            for (name, default) in args {
                if declared.contains(&name) {
                    continue;
                }
                let decl = match default {
                    Some(value) => format!("{name}={}", env_value(&value)),
                    None => name.clone(),
                };
                out.push_str(&self.style.line("ARG", &decl));
                declared.push(name);
            }
            out.push_str(&format!("{text}{}", self.style.newline));
            return Ok(out);
        }
        let state = self.state_before(instruction);
        let unknown = || {
            Decline::new(
                "unknown-variable",
                format!(
                    "`{}` takes a value that is not known statically",
                    text.lines().next().unwrap_or("")
                ),
            )
            .at(instruction.line_span)
        };
        let Args::Pairs { pairs } = &instruction.args else {
            let expanded = state.expand(rest.trim(), escape).ok_or_else(unknown)?;
            return Ok(self.style.line(instruction.keyword.as_str(), &expanded));
        };
        let mut parts = Vec::new();
        for pair in pairs {
            let value = state.expand(&pair.value.text, escape).ok_or_else(unknown)?;
            parts.push(format!("{}={}", pair.key.text, env_value(&value)));
        }
        Ok(self
            .style
            .line(instruction.keyword.as_str(), &parts.join(" ")))
    }

    /// The build arguments (with their defaults as declared) that the variables `names`
    /// take their values from at `instruction`, directly or through ENVs set from them.
    fn build_args_behind(
        &self,
        instruction: &Instruction,
        names: &[String],
    ) -> Result<Vec<(String, Option<String>)>, Decline> {
        use std::collections::{BTreeMap, BTreeSet};
        let escape = self.model.tree.escape;
        // Variable → the ARGs behind it; ARG → its default as declared.
        let mut behind: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut defaults: BTreeMap<String, Option<String>> = BTreeMap::new();
        'chain: for stage in self.chain() {
            // ARGs are scoped to their stage; ENVs set from them carry on.
            behind.retain(|name, _| !defaults.contains_key(name));
            defaults.clear();
            for x in &stage.instructions {
                if std::ptr::eq(*x, instruction) {
                    break 'chain;
                }
                match (&x.keyword, &x.args) {
                    (Keyword::Arg, Args::ArgDecls { decls }) => {
                        for decl in decls {
                            let name = decl.name.text.clone();
                            behind.insert(name.clone(), BTreeSet::from([name.clone()]));
                            defaults.insert(name, decl.default.as_ref().map(|d| d.text.clone()));
                        }
                    }
                    (Keyword::Env, Args::Pairs { pairs }) => {
                        for pair in pairs {
                            let from: BTreeSet<String> =
                                crate::analysis::expand::referenced_vars(&pair.value.text, escape)
                                    .iter()
                                    .filter_map(|n| behind.get(n))
                                    .flatten()
                                    .cloned()
                                    .collect();
                            defaults.remove(&pair.key.text);
                            behind.insert(pair.key.text.clone(), from);
                        }
                    }
                    _ => {}
                }
            }
        }
        let roots: BTreeSet<String> = names
            .iter()
            .filter_map(|n| behind.get(n))
            .flatten()
            .cloned()
            .collect();
        roots
            .into_iter()
            .map(|name| {
                let default = defaults.get(&name).cloned().flatten();
                if default.as_deref().is_some_and(|d| d.contains('$')) {
                    return Err(Decline::new(
                        "unknown-variable",
                        format!("the build argument `{name}` takes its default from other variables, which the new stage would have to declare too"),
                    )
                    .at(instruction.line_span));
                }
                Ok((name, default))
            })
            .collect()
    }

    fn state_before(&self, instruction: &Instruction) -> State {
        for stage in self.chain() {
            if let Some(i) = stage
                .instructions
                .iter()
                .position(|x| std::ptr::eq(*x, instruction))
            {
                return self.model.states(stage.index).before[i].clone();
            }
        }
        self.state().clone()
    }

    fn unique_stage_name(&self) -> String {
        let base = self.options.stage_name.to_lowercase();
        let taken = |n: &str| {
            self.model
                .stages
                .stages
                .iter()
                .any(|s| s.name.as_deref() == Some(n))
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}-{i}"))
            .find(|n| !taken(n))
            .unwrap_or(base)
    }

    /// What a `scratch` image needs copied explicitly, when the build stage has it.
    fn scratch_extras(&self) -> Vec<(&'static str, &'static str, &'static str)> {
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

    /// The USER line of the new stage: the target runs as non-root already, so only a
    /// numeric non-root user is carried.
    fn user_line(&self, target: &ImageFacts, warnings: &mut Vec<Warning>) -> Option<String> {
        let scratch = self.options.family == TargetFamily::Scratch && self.options.base.is_none();
        // The target's own user when it is not root; otherwise one written out.
        let fallback = || (!runs_as_non_root(target)).then(|| non_root_user(target));
        let Some(user) = self.state().user.as_deref().map(str::to_string) else {
            warnings.push(root_to_non_root(target));
            return fallback();
        };
        let name = user.split(':').next().unwrap_or(&user);
        if name == "root" || name == "0" {
            // Running as non-root is part of the rewrite.
            warnings.push(root_to_non_root(target));
            return fallback();
        }
        if name.chars().all(|c| c.is_ascii_digit()) {
            return Some(user.clone());
        }
        let known = target
            .passwd_users
            .as_ref()
            .is_some_and(|users| users.iter().any(|u| u == name));
        if known && !scratch {
            return Some(user.clone());
        }
        warnings.push(missing_user(name, target));
        fallback()
    }

    /// The HEALTHCHECK of the new stage: kept when it runs the application itself in exec
    /// form (converted from shell form when safe), otherwise dropped with a warning.
    fn healthcheck(&self, app: &App<'t>, warnings: &mut Vec<Warning>) -> Option<String> {
        let instruction = self.carried(Keyword::Healthcheck).last().copied()?;
        let Args::Healthcheck { kind, command } = &instruction.args else {
            return None;
        };
        if kind.text.eq_ignore_ascii_case("NONE") {
            return Some(format!(
                "{}{}",
                instruction.line_span.slice(self.model.src),
                self.style.newline
            ));
        }
        let argv = match command.as_deref() {
            Some(Args::Exec { elements, .. }) => {
                Some(elements.iter().map(|w| w.text.clone()).collect::<Vec<_>>())
            }
            Some(Args::Shell { text }) => {
                shell_to_argv(&text.text, self.state()).ok().map(|c| c.argv)
            }
            _ => None,
        };
        // The program, found the way the shell would (through PATH for a bare name), must
        // be one the new image has: the application's own.
        let program = argv.as_ref().and_then(|argv| {
            let first = argv.first()?;
            let state = self.state();
            let candidates: Vec<String> = if first.contains('/') {
                state.resolve_path(first).into_iter().collect()
            } else {
                state
                    .value("PATH")
                    .unwrap_or_else(|| TARGET_PATH.to_string())
                    .split(':')
                    .filter(|d| d.starts_with('/'))
                    .map(|d| crate::analysis::env::normalize_path(&format!("{d}/{first}")))
                    .collect()
            };
            candidates
                .into_iter()
                .find(|p| app.copies.iter().any(|(c, _)| app::covers(c, p)))
        });
        match (argv, program) {
            (Some(mut argv), Some(program)) => {
                let dir = program.rsplit_once('/').map_or("/", |(d, _)| d);
                if !argv[0].contains('/') && !TARGET_PATH.split(':').any(|d| d == dir) {
                    argv[0] = program;
                }
                let flags: Vec<&str> = instruction
                    .flags
                    .iter()
                    .map(|f| f.span.slice(self.model.src))
                    .collect();
                let flags = if flags.is_empty() {
                    String::new()
                } else {
                    format!("{} ", flags.join(" "))
                };
                Some(self.style.line(
                    "HEALTHCHECK",
                    &format!("{flags}{} {}", self.style.keyword("CMD"), exec_form(&argv)),
                ))
            }
            _ => {
                warnings.push(Warning {
                    code: "DFS006",
                    message: format!(
                        "HEALTHCHECK `{}` needs a shell or a program the target lacks; dropped",
                        instruction.line_span.slice(self.model.src)
                    ),
                });
                None
            }
        }
    }

    fn port_warnings(&self, warnings: &mut Vec<Warning>) {
        for expose in self.carried(Keyword::Expose) {
            let Args::Words { words } = &expose.args else {
                continue;
            };
            for word in words {
                let port = word.text.split('/').next().unwrap_or("");
                if port.parse::<u32>().is_ok_and(|p| p < 1024) {
                    warnings.push(Warning {
                        code: "DFS004",
                        message: format!("port {port} is below 1024: a non-root user needs CAP_NET_BIND_SERVICE to bind it"),
                    });
                }
            }
        }
    }

    /// ENTRYPOINT/CMD for the new stage.
    fn command_lines(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageFacts,
    ) -> Result<String, Decline> {
        let (entrypoint, cmd) = self.new_command(written, app, target)?;
        let mut text = String::new();
        if let Some(ep) = entrypoint {
            text.push_str(&self.style.line("ENTRYPOINT", &exec_form(&ep)));
        }
        if let Some(cmd) = cmd {
            text.push_str(&self.style.line("CMD", &exec_form(&cmd)));
        }
        Ok(text)
    }

    /// The command for the target, as (ENTRYPOINT, CMD). An interpreter that the target's
    /// preset ENTRYPOINT already runs is not repeated.
    #[allow(clippy::type_complexity)]
    fn new_command(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageFacts,
    ) -> Result<(Option<Vec<String>>, Option<Vec<String>>), Decline> {
        // What really runs (`npm start` is its start script), split where the file split it.
        let (argv, entrypoint_len) = match &app.run_argv {
            Some(argv) => (argv, if written.entrypoint { argv.len() } else { 0 }),
            None => (&written.argv, written.entrypoint_len),
        };
        let Some(kind) = app.interpreter else {
            let mut argv = argv.clone();
            // A bare name found through the build image's PATH may not be on the target's.
            if let Some(path) = self.absolute_program(&argv[0], app) {
                argv[0] = path;
            }
            return Ok(if written.entrypoint {
                let cmd = argv.split_off(entrypoint_len.min(argv.len()));
                (Some(argv), (!cmd.is_empty()).then_some(cmd))
            } else {
                (None, Some(argv))
            });
        };
        let preset = target.entrypoint.clone().unwrap_or_default();
        let preset_runs_it = preset.first().is_some_and(|p| interpreter(p) == Some(kind));
        if !preset_runs_it {
            return Err(Decline::new(
                "unknown-interpreter-path",
                "the target's ENTRYPOINT does not start the interpreter, and where the interpreter lives in it is unknown",
            ));
        }
        if written.entrypoint {
            // The file's ENTRYPOINT started the interpreter: keep that split, so that
            // `docker run IMAGE ARGS` still passes ARGS to the application. Setting
            // ENTRYPOINT also clears the target's preset CMD (`--info` on .NET).
            let mut entrypoint = vec![preset[0].clone()];
            entrypoint.extend(argv[1..entrypoint_len.clamp(1, argv.len())].iter().cloned());
            let cmd: Vec<String> = argv[entrypoint_len.clamp(1, argv.len())..].to_vec();
            return Ok((Some(entrypoint), (!cmd.is_empty()).then_some(cmd)));
        }
        let args: Vec<String> = argv[1..].to_vec();
        if kind != Interpreter::Java {
            return Ok((None, Some(args)));
        }
        // distroless java runs `java -jar`; JVM options must come before -jar.
        let jar_at = args.iter().position(|a| a == "-jar").unwrap_or(0);
        let preset_has_jar = preset.iter().any(|p| p == "-jar");
        if jar_at == 0 && preset_has_jar {
            return Ok((None, Some(args[1..].to_vec())));
        }
        let mut entrypoint = vec![preset[0].clone()];
        entrypoint.extend(
            args[..=jar_at.min(args.len().saturating_sub(1))]
                .iter()
                .cloned(),
        );
        if let Some(jar) = args.get(jar_at + 1) {
            entrypoint.push(jar.clone());
        }
        let rest: Vec<String> = args.iter().skip(jar_at + 2).cloned().collect();
        Ok((Some(entrypoint), (!rest.is_empty()).then_some(rest)))
    }

    /// The absolute path to write for a bare program name that the target's PATH would
    /// not find; `None` when the name can stay as written.
    fn absolute_program(&self, program: &str, app: &App<'t>) -> Option<String> {
        if program.contains('/') || app.interpreter.is_some() {
            return None;
        }
        let path = app.program.as_ref()?;
        let dir = path.rsplit_once('/').map_or("/", |(d, _)| d);
        (!TARGET_PATH.split(':').any(|d| d == dir)).then(|| path.clone())
    }

    /// Shape (b): retarget a runtime stage in place.
    fn retarget(
        &self,
        written: &Written<'t>,
        app: &App<'t>,
        target: &ImageRef,
        target_facts: &ImageFacts,
    ) -> Result<Plan, Decline> {
        let style = self.style;
        let src = self.model.src;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        let word = self
            .stage
            .image_word
            .ok_or_else(|| Decline::new("no-stage", "the final FROM names no image"))?;
        if let Base::Stage(parent) = &self.stage.base {
            // Its files, packages and users come from that stage, which changing this FROM
            // would drop.
            return Err(Decline::new(
                "stage-chain",
                format!(
                    "the final stage is built on the stage `{}`, whose instructions a new base would drop",
                    self.model.stages.stages[*parent].reference()
                ),
            )
            .at(from_span(self.stage))
            .help("write the runtime stage FROM the image directly"));
        }
        if target_facts.provides.is_empty() {
            // scratch: the CA certificates, time zones and users the stage installed would
            // have to be copied in from somewhere; a new stage can, an edited one cannot.
            return Err(Decline::new(
                "scratch-runtime-stage",
                format!("`{}` provides nothing, and this runtime stage has no build stage to copy CA certificates, time zone data and users from", target.familiar()),
            )
            .at(from_span(self.stage))
            .help("use --target-family distroless, whose static image has them"));
        }
        if self.stage.platform.is_none()
            && let Some(platform) = self.pinned_platform()?
        {
            edits.push(Edit::insert(
                word.span.start,
                format!("--platform={platform} "),
            ));
        }
        edits.push(Edit::replace(word.span, target.familiar()));

        // What every COPY --from brings: binaries decide the linkage the target must have.
        let mut needs = app.needs.clone();
        let mut copies = Vec::new();
        for copy in &self.stage.instructions {
            if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            let Some(from) = copy.flag("from").and_then(|f| f.value.clone()) else {
                continue;
            };
            let Base::Stage(source) = self.model.stages.resolve_from_flag(&from, self.stage.index)
            else {
                continue;
            };
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
                    .filter(|a| a.covers(&source_abs) || app::covers(&source_abs, &a.path))
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
                                "musl",
                                format!("the dependencies in {} were installed on an image that is not known to be glibc-based, and may hold native code that does not load on the target", artifact.path),
                            )
                            .at(copy.line_span));
                        }
                        app::check_libraries(self.model, source, self.context, &artifact.path)?;
                    }
                    if let ArtifactKind::Binary { linkage } | ArtifactKind::BinaryDir { linkage } =
                        artifact.kind
                    {
                        needs = stronger(needs, linkage).map_err(|l| {
                            Decline::new(
                                "musl",
                                format!(
                                    "`{}` is linked against {}; no distroless image can run it",
                                    artifact.path,
                                    l.describe()
                                ),
                            )
                            .at(copy.line_span)
                        })?;
                        if linkage != crate::analysis::artifacts::Linkage::Static {
                            app::check_libraries(self.model, source, self.context, &artifact.path)?;
                        }
                    }
                }
                let why = match found.as_slice() {
                    [] => "copied as it was".to_string(),
                    found => found
                        .iter()
                        .map(|a| a.why.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                copies.push(CopyPlan {
                    from: from.clone(),
                    src: source_path.to_string(),
                    dest: dest.to_string(),
                    why,
                });
            }
        }
        if needs != app.needs {
            // A stronger need than the command's own: pick again.
            let stronger_app = App {
                needs,
                ..app.clone()
            };
            let (again, again_facts) = self.target(&stronger_app)?;
            return self.retarget(written, &stronger_app, &again, &again_facts);
        }

        // COPY --chown names the target cannot resolve (users the stage created) would fail
        // the build: they become the user the new image runs as.
        for copy in &self.stage.instructions {
            if let Some(flag) = copy.flag("chown")
                && let Some(owner) = &flag.value
                && let Some(owner) = resolvable_owner(owner, target_facts)
            {
                edits.push(Edit::replace(flag.span, format!("--chown={owner}")));
            }
        }

        // RUN lines: each must be replaceable.
        let healthcheck = self.stage.last(Keyword::Healthcheck);
        let droppable: Vec<&str> = if healthcheck.is_some() {
            vec!["curl", "wget"]
        } else {
            Vec::new()
        };
        let mut created_users = Vec::new();
        for run in self.stage.instructions_of(Keyword::Run) {
            let effects = retarget::read_run(run, &droppable).map_err(|blocker| {
                Decline::new(
                    "run-in-runtime-stage",
                    format!(
                        "`{}` in the final stage cannot run without a shell: {}",
                        blocker.command, blocker.why
                    ),
                )
                .at(run.line_span)
                .help("move it to a build stage, or write the final stage by hand")
            })?;
            for (mode, path) in &effects.chmods {
                let mode = octal_mode(mode).ok_or_else(|| {
                    Decline::new(
                        "run-in-runtime-stage",
                        format!("`chmod {mode}` has no COPY --chmod equivalent"),
                    )
                    .at(run.line_span)
                })?;
                edits.push(self.copy_flag(run, path, &format!("--chmod={mode}"))?);
            }
            for (owner, path) in &effects.chowns {
                let owner = resolvable_owner(owner, target_facts).unwrap_or(owner.clone());
                edits.push(self.copy_flag(run, path, &format!("--chown={owner}"))?);
            }
            created_users.extend(effects.users.clone());
            edits.push(Edit::delete(run.span));
        }

        // USER: a created user becomes nonroot.
        if let Some(user) = self.stage.last(Keyword::User)
            && let Args::Text { text } = &user.args
        {
            let name = text.text.split(':').next().unwrap_or("");
            let numeric = name.chars().all(|c| c.is_ascii_digit());
            let in_target = target_facts
                .passwd_users
                .as_ref()
                .is_some_and(|u| u.iter().any(|x| x == name));
            if !numeric && !in_target {
                edits.push(Edit::replace(text.span, non_root_user(target_facts)));
                if !created_users.iter().any(|u| u == name) {
                    warnings.push(missing_user(name, target_facts));
                }
            } else if name == "root" || name == "0" {
                edits.push(Edit::replace(text.span, non_root_user(target_facts)));
                warnings.push(root_to_non_root(target_facts));
            }
        } else if self
            .state()
            .user
            .as_deref()
            .is_none_or(|u| matches!(u.split(':').next(), Some("root" | "0")))
        {
            warnings.push(root_to_non_root(target_facts));
            if !runs_as_non_root(target_facts) {
                edits.push(Edit::insert(
                    self.stage_end(),
                    format!(
                        "{}{}",
                        if src.ends_with('\n') {
                            ""
                        } else {
                            style.newline
                        },
                        style.line("USER", &non_root_user(target_facts))
                    ),
                ));
            }
        }

        // HEALTHCHECK.
        if let Some(hc) = healthcheck {
            match self.healthcheck(app, &mut warnings) {
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
        }

        // The command: rewritten only where it would not run on the target.
        let needs_new_command = app.interpreter.is_some()
            || written
                .instructions
                .iter()
                .any(|i| matches!(i.args, Args::Shell { .. }))
            || written
                .argv
                .first()
                .is_some_and(|p| self.absolute_program(p, app).is_some());
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
                None => edits.push(Edit::insert(
                    self.stage_end(),
                    format!(
                        "{}{lines}",
                        if src.ends_with('\n') {
                            ""
                        } else {
                            style.newline
                        }
                    ),
                )),
            }
        }
        self.port_warnings(&mut warnings);
        expanded_warnings(written, &mut warnings);
        let stage = copies.first().map(|c| c.from.clone());
        Ok(self.rewritten(stage, target, target_facts, copies, warnings, edits))
    }

    /// Where the final stage ends in the source.
    fn stage_end(&self) -> usize {
        self.stage
            .instructions
            .last()
            .map_or(self.stage.from.span.end, |i| i.span.end)
    }

    /// Add a flag to the COPY of this stage that brings `path`.
    fn copy_flag(&self, run: &Instruction, path: &str, flag: &str) -> Result<Edit, Decline> {
        let states = self.model.states(self.stage.index);
        let target = self
            .state()
            .resolve_path(path)
            .unwrap_or_else(|| path.to_string());
        for (i, copy) in self.stage.instructions.iter().enumerate() {
            if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            if copy_sources_for(copy, &states.before[i], &target).is_none() {
                continue;
            }
            let name = flag
                .split('=')
                .next()
                .unwrap_or(flag)
                .trim_start_matches('-');
            if copy.flag(name).is_some() {
                return Err(Decline::new(
                    "run-in-runtime-stage",
                    format!("the COPY that brings `{path}` already has --{name}"),
                )
                .at(run.line_span));
            }
            return Ok(Edit::insert(copy.keyword_word.span.end, format!(" {flag}")));
        }
        Err(Decline::new(
            "run-in-runtime-stage",
            format!("the RUN changes `{path}`, which no COPY of this stage brings"),
        )
        .at(run.line_span))
    }
}

fn form_text(form: &CommandForm) -> String {
    match form {
        CommandForm::Exec(argv) => argv.join(" "),
        CommandForm::Shell(text) => text.clone(),
    }
}

fn expanded_warnings(written: &Written<'_>, warnings: &mut Vec<Warning>) {
    for name in &written.expanded {
        warnings.push(Warning {
            code: "DFS003",
            message: format!(
                "`${name}` was written into the command with its build-time value; a value set with `docker run -e` no longer changes it"
            ),
        });
    }
}

fn describe_needs(needs: &Needs) -> String {
    match needs {
        Needs::Static => "a static binary".to_string(),
        Needs::Glibc => "a glibc binary".to_string(),
        Needs::Cc => "a binary needing glibc and libgcc/libstdc++".to_string(),
        Needs::Runtime { name, version } => format!("{name} {version}"),
    }
}

/// Whether the target image's default user is not root.
fn runs_as_non_root(target: &ImageFacts) -> bool {
    target
        .user
        .as_deref()
        .is_some_and(|u| !matches!(u.split(':').next(), Some("root" | "0" | "")))
}

/// The user to write for a non-root image: the target's `nonroot` when its passwd has one,
/// its own non-root default user, or else uid 65532 (no passwd entry needed).
fn non_root_user(target: &ImageFacts) -> String {
    if target
        .passwd_users
        .as_ref()
        .is_some_and(|u| u.iter().any(|x| x == "nonroot"))
    {
        return "nonroot".to_string();
    }
    match &target.user {
        Some(user) if runs_as_non_root(target) => user.clone(),
        _ => "65532:65532".to_string(),
    }
}

fn describe_user(target: &ImageFacts) -> String {
    let user = if runs_as_non_root(target) {
        target.user.clone().unwrap_or_default()
    } else {
        non_root_user(target)
    };
    match user.as_str() {
        "nonroot" | "65532" | "65532:65532" => "nonroot (65532)".to_string(),
        other => format!("user {other}"),
    }
}

fn missing_user(name: &str, target: &ImageFacts) -> Warning {
    Warning {
        code: "DFS008",
        message: format!(
            "user `{name}` does not exist in the target; the image runs as {}, which cannot write where `{name}` could",
            describe_user(target)
        ),
    }
}

fn root_to_non_root(target: &ImageFacts) -> Warning {
    Warning {
        code: "DFS004",
        message: format!(
            "the image ran as root; it now runs as {}, which cannot write to the root-owned folders COPY and WORKDIR make",
            describe_user(target)
        ),
    }
}

/// An owner for `COPY --chown` that `target` can resolve, when `owner` (`user[:group]`)
/// is not one: numeric ids and the target's own users stay (`None`); other names become
/// the numeric id of the user the new image runs as.
fn resolvable_owner(owner: &str, target: &ImageFacts) -> Option<String> {
    let known = |name: &str| {
        name.chars().all(|c| c.is_ascii_digit())
            || target
                .passwd_users
                .as_ref()
                .is_some_and(|users| users.iter().any(|u| u == name))
    };
    if owner.split(':').all(known) {
        return None;
    }
    let uid = target
        .user
        .as_deref()
        .filter(|u| runs_as_non_root(target) && u.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("65532");
    Some(format!("{uid}:{uid}"))
}

/// Why a forced `--base` cannot run the application, if it cannot.
fn forced_base_misfit(needs: &Needs, built_on: Option<u32>, facts: &ImageFacts) -> Option<String> {
    use crate::analysis::catalogue::Libc;
    let debian = facts
        .distro
        .as_ref()
        .filter(|d| d.name == "debian")
        .and_then(|d| d.version.as_deref()?.parse::<u32>().ok());
    match needs {
        Needs::Static => None,
        Needs::Glibc | Needs::Cc if facts.libc != Libc::Glibc => {
            Some("it has no glibc, and the program is linked against it".into())
        }
        Needs::Cc
            if !facts
                .provides
                .iter()
                .any(|p| p == "libstdc++" || p == "libgcc") =>
        {
            Some("it has no libgcc/libstdc++, which the program needs".into())
        }
        Needs::Glibc | Needs::Cc => match (built_on, debian) {
            (Some(built), Some(debian)) if debian < built => Some(format!(
                "its Debian {debian} glibc is older than that of Debian {built}, where the program was built"
            )),
            _ => None,
        },
        Needs::Runtime { name, version } => {
            let runtime = facts.runtime.as_ref();
            let same_name = runtime
                .is_some_and(|r| r.name == *name || (name == "dotnet" && r.name == "aspnetcore"));
            let same_version = runtime.and_then(|r| r.version.as_deref()) == Some(version.as_str());
            (!(same_name && same_version)).then(|| format!("it does not carry {name} {version}"))
        }
    }
}

/// The stronger of two binary needs; a musl binary fits none.
fn stronger(needs: Needs, linkage: Linkage) -> Result<Needs, Linkage> {
    let rank = |n: &Needs| match n {
        Needs::Static => 0,
        Needs::Glibc => 1,
        Needs::Cc => 2,
        Needs::Runtime { .. } => 3,
    };
    let from_linkage = match linkage {
        Linkage::Static => Needs::Static,
        Linkage::Glibc => Needs::Glibc,
        Linkage::GlibcGcc => Needs::Cc,
        Linkage::Musl => return Err(linkage),
    };
    Ok(if rank(&from_linkage) > rank(&needs) {
        from_linkage
    } else {
        needs
    })
}

/// `chmod` modes that COPY --chmod can express (octal); `+x` on a copied program is 755.
fn octal_mode(mode: &str) -> Option<String> {
    if (3..=4).contains(&mode.len()) && mode.chars().all(|c| ('0'..='7').contains(&c)) {
        return Some(mode.to_string());
    }
    matches!(mode, "+x" | "a+x" | "ugo+x" | "u+x,g+x,o+x").then(|| "755".to_string())
}
