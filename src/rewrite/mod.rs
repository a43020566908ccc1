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

/// Parse, plan, apply and verify. Returns the syntax errors when the input does not parse.
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
        match &app.main {
            Provenance::Copied { .. } => self.retarget(&written, &app, &target, &target_facts),
            Provenance::Built(_) => self.append_stage(&written, &app, &target, &target_facts),
        }
    }

    /// ENTRYPOINT and CMD as the container runs them, in exec form.
    fn written_command(&self) -> Result<Written<'t>, Decline> {
        let facts = self.facts();
        let command = self.model.run_command(self.stage.index);
        let mut entrypoint = command.entrypoint;
        if let Some((_, Origin::Image)) = &entrypoint {
            let is_node = facts.runtime.as_ref().is_some_and(|r| r.name == "node");
            if facts.script_entrypoint && !is_node {
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
            // node's docker-entrypoint.sh only runs the command (prefixing node for a file).
            if is_node {
                entrypoint = None;
            }
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
                if let Some((cmd_form @ CommandForm::Exec(_), cmd_origin)) = cmd {
                    argv.extend(convert(cmd_form, cmd_origin)?);
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
        text.push_str(&style.line("FROM", &target.familiar()));
        for instruction in self.carried(Keyword::Label) {
            text.push_str(&self.verbatim(instruction)?);
        }
        for instruction in self.carried(Keyword::Env) {
            text.push_str(&self.verbatim(instruction)?);
        }
        for (key, value) in &app.env {
            text.push_str(&style.line("ENV", &format!("{key}={}", env_value(value))));
        }
        let workdir = self.state().workdir.clone();
        let sets_workdir = self.chain().any(|s| s.last(Keyword::Workdir).is_some());
        if let Some(dir) = workdir.as_deref().filter(|d| *d != "/")
            && (sets_workdir || app.interpreter.is_some())
        {
            text.push_str(&style.line("WORKDIR", dir));
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
            for (path, flags, why) in self.scratch_extras() {
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
                text.push_str(&self.verbatim(instruction)?);
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
        Ok(Plan {
            status: Status::Rewritten,
            reason: None,
            stage: Some(name),
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
        })
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
    /// Values that refer to variables are written out when known, since the new stage does
    /// not declare the build stage's ARGs.
    fn verbatim(&self, instruction: &Instruction) -> Result<String, Decline> {
        let text = instruction.line_span.slice(self.model.src);
        if !text.contains('$') {
            return Ok(format!("{text}{}", self.style.newline));
        }
        let Args::Pairs { pairs } = &instruction.args else {
            return Ok(format!("{text}{}", self.style.newline));
        };
        let state = self.state_before(instruction);
        let mut parts = Vec::new();
        for pair in pairs {
            let value = state
                .expand(&pair.value.text, self.model.tree.escape)
                .ok_or_else(|| {
                    Decline::new(
                        "unknown-variable",
                        format!(
                            "`{}` takes a value that is not known statically",
                            pair.key.text
                        ),
                    )
                    .at(instruction.line_span)
                })?;
            parts.push(format!("{}={}", pair.key.text, env_value(&value)));
        }
        Ok(self
            .style
            .line(instruction.keyword.as_str(), &parts.join(" ")))
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
        let written = self.state().user.clone();
        let Some(user) = written else {
            return scratch.then(|| "65532:65532".to_string());
        };
        let name = user.split(':').next().unwrap_or(&user);
        let written_in_file = !self.carried(Keyword::User).is_empty();
        if (name == "root" || name == "0") && !written_in_file {
            // The base image's default user: running as nonroot is the point of the rewrite.
            return scratch.then(|| "65532:65532".to_string());
        }
        if name == "root" || name == "0" {
            warnings.push(Warning {
                code: "DFS004",
                message: "the image ran as root; it now runs as nonroot (65532)".into(),
            });
            return scratch.then(|| "65532:65532".to_string());
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
        warnings.push(Warning {
            code: "DFS008",
            message: format!(
                "user `{name}` does not exist in the target; the image runs as nonroot (65532)"
            ),
        });
        scratch.then(|| "65532:65532".to_string())
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
        let runs_app = argv.as_ref().is_some_and(|argv| {
            argv.first()
                .and_then(|p| self.state().resolve_path(p))
                .is_some_and(|p| {
                    app.copies
                        .iter()
                        .any(|(c, _)| p == *c || p.starts_with(&format!("{c}/")))
                })
        });
        match argv {
            Some(argv) if runs_app => {
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
        let argv = &written.argv;
        let Some(kind) = app.interpreter else {
            let mut argv = argv.clone();
            // A bare name found through the build image's PATH may not be on the target's.
            if let Some(path) = self.absolute_program(&argv[0], app) {
                argv[0] = path;
            }
            return Ok(if written.entrypoint {
                let cmd = argv.split_off(written.entrypoint_len.min(argv.len()));
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
        let (path, _) = app.copies.first()?;
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
        edits.push(Edit::replace(word.span, target.familiar()));

        // What every COPY --from brings: binaries decide the linkage the target must have.
        let mut needs = app.needs.clone();
        let mut copies = Vec::new();
        let states = self.model.states(self.stage.index);
        for (i, copy) in self.stage.instructions.iter().enumerate() {
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
                let artifact = build
                    .artifact_at(&crate::analysis::env::normalize_path(&format!(
                        "/{}",
                        source_path.trim_start_matches('/')
                    )))
                    .or_else(|| {
                        states.before[i]
                            .resolve_path(source_path)
                            .and_then(|p| build.artifact_at(&p))
                    });
                let why = match artifact {
                    Some(a) => {
                        if let ArtifactKind::Binary { linkage }
                        | ArtifactKind::BinaryDir { linkage } = a.kind
                        {
                            needs = stronger(needs, linkage).map_err(|l| {
                                Decline::new("musl", format!("`{source_path}` is linked against {}; no distroless image can run it", l.describe())).at(copy.line_span)
                            })?;
                        }
                        a.why.clone()
                    }
                    None => "copied as it was".to_string(),
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
                let numeric = owner
                    .split(':')
                    .all(|p| p.chars().all(|c| c.is_ascii_digit()));
                let owner = if numeric {
                    owner.clone()
                } else {
                    "65532:65532".to_string()
                };
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
                edits.push(Edit::replace(text.span, "nonroot"));
                if !created_users.iter().any(|u| u == name) {
                    warnings.push(Warning {
                        code: "DFS008",
                        message: format!("user `{name}` does not exist in the target; the image runs as nonroot (65532)"),
                    });
                }
            } else if name == "root" || name == "0" {
                edits.push(Edit::replace(text.span, "nonroot"));
                warnings.push(Warning {
                    code: "DFS004",
                    message: "the image ran as root; it now runs as nonroot (65532)".into(),
                });
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
        Ok(Plan {
            status: Status::Rewritten,
            reason: None,
            stage: copies.first().map(|c| c.from.clone()),
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
        })
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
