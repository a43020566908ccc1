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
//!
//! [`Planner::run`] is the pipeline, one phase a file:
//! 1. find the application: what the stage runs ([`written`]) and where that program comes
//!    from and what it needs ([`crate::ecosystems::start`], and each ecosystem for its
//!    interpreters);
//! 2. choose the target image ([`target`]);
//! 3. and 5. compute the copies and emit the edits, for each shape: [`append`] (a new final
//!    stage) or [`retarget_stage`] (the runtime stage in place, with [`retarget`] saying
//!    which RUNs can go, and [`folders`] making the folders they made);
//! 4. carry the configuration: ENV, WORKDIR, EXPOSE, HEALTHCHECK, the command
//!    ([`carry`]), and USER ([`user`]).
//!
//! [`edit`] applies the edits to the original text, so that untouched bytes stay identical.

mod append;
mod built;
mod carry;
mod ci_jobs;
mod comments;
mod deploy;
pub mod edit;
pub mod emit;
mod folders;
mod glibc;
mod homes;
pub mod leftovers;
mod named;
pub mod plan;
mod platforms;
mod relocate;
pub mod retarget;
mod retarget_stage;
mod scripts;
mod settings;
mod target;
mod traced;
mod user;
mod version;
mod written;

pub use built::BuiltImage;
pub use edit::{Edit, Overlap, apply};
pub use plan::{CopyPlan, Decline, DeclineCode, Plan, Status, Warning};
pub use traced::TracedImage;

use crate::analysis::catalogue::{Catalogue, ImageFacts, TargetFamily};
use crate::analysis::env::State;
use crate::analysis::image_ref::ImageRef;
use crate::analysis::level::Level;
use crate::analysis::model::Model;
use crate::analysis::stages::{Base, Stage};
use crate::ecosystems::ContextReader;
use crate::syntax::{Instruction, Keyword, Span, SyntaxError};

use crate::ecosystems::start::{AppFinder, Provenance};
use emit::Style;
// What one phase offers the others.
use target::stronger;
use user::{
    is_app_place, missing_user, non_root_user, resolvable_owner, root_to_non_root, runs_as_non_root,
};
use written::{Written, expanded_warnings};

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
    /// Whether a runtime version that no target image carries (Python 3.14, Node 20) may
    /// move to the nearest one that does (`--allow-version-change`).
    pub allow_version_change: bool,
    /// Set by `rewrite --build` only: the libraries of native modules (Python extensions,
    /// Node addons) are read from the built image, not guessed from installed packages.
    pub libraries_from_image: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            family: TargetFamily::Distroless,
            base: None,
            stage_name: "build".to_string(),
            allow_version_change: false,
            libraries_from_image: false,
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

/// Parse, plan, apply and verify. A `musl` decline is tried again with the build moved from
/// Alpine to the glibc image of the same runtime version ([`glibc`]); with
/// `allow_version_change`, a `no-target` decline is tried again with the runtime moved to
/// the nearest version a target carries ([`version`]), and then from Alpine too if that is
/// what still blocks it. Returns the syntax errors when the input does not parse, and the
/// analysis' errors when a value is over one of dfslim's limits.
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
    let mut first = rewrite_once(src, src, catalogue, target, options, context)?;
    match first.plan.reason.as_ref().map(|r| r.code) {
        Some(DeclineCode::Musl) => match on_glibc(src, src, catalogue, target, options, context)? {
            Some(Ok(moved)) => Ok(moved),
            Some(Err(why)) => {
                add_to_help(
                    &mut first,
                    &format!("the build was not moved off Alpine by itself: {why}"),
                );
                Ok(first)
            }
            None => Ok(first),
        },
        Some(DeclineCode::NoTarget) if options.allow_version_change => {
            on_other_version(src, catalogue, target, options, context, first)
        }
        Some(DeclineCode::RootHome) => {
            on_new_home(src, src, catalogue, target, options, context, first)
        }
        _ => Ok(first),
    }
}

/// [`rewrite_text`]'s retry with the application moved out of `/root`; `first`, its help
/// saying why, when the move is refused or still does not go through.
fn on_new_home(
    src: &str,
    original: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    context: Option<ContextReader<'_>>,
    mut first: Rewritten,
) -> Result<Rewritten, Vec<SyntaxError>> {
    let tree = crate::syntax::parse(src);
    let model = Model::new(src, &tree, catalogue, target);
    let languages = settings::source_languages(&model);
    let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
    let why = match relocate::change(&model, context, &languages) {
        Ok((edits, moved)) => match apply(src, &edits) {
            Ok(moved_src) => {
                let next = rewrite_once(&moved_src, original, catalogue, target, options, context)?;
                if next.plan.status == Status::Rewritten {
                    return Ok(moved_from(src, next, "workdir-moved", moved));
                }
                still_declines(&next)
            }
            Err(_) => return Ok(first),
        },
        Err(why) => why,
    };
    add_to_help(
        &mut first,
        &format!(
            "the application was not moved to {} by itself: {why}",
            relocate::NEW_HOME
        ),
    );
    Ok(first)
}

/// Says, where a decline says what to do, why a retry (a move off Alpine, out of
/// `/root`) did not happen: on the plan's reason and on its first blocker, which is the
/// same decline.
fn add_to_help(first: &mut Rewritten, note: &str) {
    if let Some(decline) = first.plan.reason.as_mut() {
        decline.help = Some(match decline.help.take() {
            Some(help) => format!("{help}; {note}"),
            None => note.to_string(),
        });
    }
    if let Some(decline) = first.plan.blockers.first_mut() {
        decline.help = first.plan.reason.as_ref().and_then(|r| r.help.clone());
    }
}

/// Why a retry on a moved text still declines.
fn still_declines(next: &Rewritten) -> String {
    next.plan.reason.as_ref().map_or_else(String::new, |r| {
        format!(
            "moved, it would still decline ({}): {}",
            r.code.name(),
            r.message
        )
    })
}

/// [`rewrite_text`]'s retry with the runtime moved to the nearest version a target carries;
/// `first` when that does not go through.
fn on_other_version(
    src: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    context: Option<ContextReader<'_>>,
    first: Rewritten,
) -> Result<Rewritten, Vec<SyntaxError>> {
    // No target carries the runtime's version: try the nearest version that one does,
    // with the images of that runtime moved to it, and keep the result only if it then
    // goes through.
    let tree = crate::syntax::parse(src);
    let model = Model::new(src, &tree, catalogue, target);
    let Some((edits, moved, runtime, chosen)) = version::change(&model, options.family) else {
        return Ok(first);
    };
    // A version the project itself excludes would not build, or would run what it rules out.
    let declared = context.map_or_else(Vec::new, |read| version::declared(read, &runtime));
    if declared
        .iter()
        .any(|(_, range)| !version::satisfies(range, &chosen))
    {
        return Ok(first);
    }
    // Nor across a removal the application's code or command uses; nor down to an older
    // version the project does not say it runs on: code written for the newer one may use
    // what the older lacks (a module, a syntax, a function), which no reading rules out.
    let moved_down = version::moves_down(&model, &chosen);
    let down = moved_down.clone().filter(|_| declared.is_empty());
    let blocked = version::removed_in_use(&model, &runtime, &chosen, context)
        .or_else(|| {
            down.as_ref().map(|current| {
                format!("code written for {runtime} {current} may use what {chosen} lacks (a module, a syntax, a function), and the project does not declare that it runs on {chosen} (pyproject.toml's `requires-python`, `.python-version`, package.json's `engines.node`, `.nvmrc`)")
            })
        })
        .or_else(|| {
            // Up only: a release made for a newer version mostly still runs on the older.
            moved_down
                .is_none()
                .then(|| version::pinned_for_old(&model, &runtime, &chosen, context))
                .flatten()
        });
    if let Some(why) = blocked {
        let mut first = first;
        let note =
            format!("--allow-version-change does not move the build to {runtime} {chosen}: {why}");
        for decline in first.plan.reason.iter_mut().chain(&mut first.plan.blockers) {
            decline.help = Some(note.clone());
        }
        return Ok(first);
    }
    let Ok(moved_src) = apply(src, &edits) else {
        return Ok(first);
    };
    let mut second = rewrite_once(&moved_src, src, catalogue, target, options, context)?;
    if second.plan.reason.as_ref().map(|r| r.code) == Some(DeclineCode::Musl)
        && let Some(Ok(third)) = on_glibc(&moved_src, src, catalogue, target, options, context)?
    {
        second = third;
    }
    if second.plan.reason.as_ref().map(|r| r.code) == Some(DeclineCode::RootHome) {
        second = on_new_home(&moved_src, src, catalogue, target, options, context, second)?;
    }
    if second.plan.status != Status::Rewritten {
        // Say why, as the move off Alpine does: the help names the version to move to,
        // and whoever follows it should know what would still stop the rewrite.
        let mut first = first;
        add_to_help(
            &mut first,
            &format!(
                "--allow-version-change tried {runtime} {chosen}: {}",
                still_declines(&second)
            ),
        );
        return Ok(first);
    }
    Ok(moved_from(src, second, "version-change", moved))
}

/// [`rewrite_text`]'s retry with the build moved from Alpine to glibc: `None` when the
/// runtime's build does not move this way, `Some(Err(why))` when it cannot move or still
/// does not go through.
fn on_glibc(
    src: &str,
    original: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    context: Option<ContextReader<'_>>,
) -> Result<Option<Result<Rewritten, String>>, Vec<SyntaxError>> {
    let tree = crate::syntax::parse(src);
    let model = Model::new(src, &tree, catalogue, target);
    let (edits, moved) = match glibc::change(&model, context) {
        None => return Ok(None),
        Some(Err(why)) => return Ok(Some(Err(why))),
        Some(Ok(change)) => change,
    };
    let Ok(moved_src) = apply(src, &edits) else {
        return Ok(None);
    };
    let next = rewrite_once(&moved_src, original, catalogue, target, options, context)?;
    if next.plan.status != Status::Rewritten {
        return Ok(Some(Err(still_declines(&next))));
    }
    Ok(Some(Ok(moved_from(src, next, "libc-change", moved))))
}

/// A rewrite of a moved text as a rewrite of `src`: one edit carries the whole result
/// against the original (the plan's edits are against the moved text), so that whoever
/// applies the plan to `src` gets `text`; the move is the plan's first warning.
fn moved_from(src: &str, mut rewritten: Rewritten, code: &'static str, moved: String) -> Rewritten {
    rewritten.plan.edits = vec![Edit::replace(
        Span::new(0, src.len()),
        rewritten.text.clone(),
    )];
    rewritten.plan.warnings.insert(
        0,
        Warning {
            code,
            message: moved,
        },
    );
    rewritten
}

/// The rewrite of `src` from the image its final stage built (`rewrite --build`): the
/// same checks as [`rewrite_text`]'s, on a plan whose copies come from the image.
pub fn rewrite_built(
    src: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    built: &BuiltImage,
) -> Result<Rewritten, Vec<SyntaxError>> {
    let plan = plan_final(src, catalogue, target, options, |planner| {
        let program = built.program();
        if !built::is_native_runtime(&program) {
            return planner.built_stage(built, program);
        }
        // Python or Node: the text plans the runtime's target and what to copy; the image
        // then says which libraries the native modules among those copies load.
        let native_options = Options {
            libraries_from_image: true,
            ..options.clone()
        };
        let planned = plan(planner.model, &native_options, None);
        if planned.status != Status::Rewritten {
            return Ok(planned);
        }
        built::native_libraries(
            catalogue,
            planned,
            &built.root,
            src.len(),
            planner.style,
            planner.model.tree.escape,
        )
    })?;
    finish(src, catalogue, target, plan)
}

/// The rewrite of `src` from a trace of its final image (`dfslim trace`): a `FROM scratch`
/// stage of the files the application used.
pub fn rewrite_traced(
    src: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    traced: &TracedImage,
) -> Result<Rewritten, Vec<SyntaxError>> {
    let mut plan = plan_final(src, catalogue, target, options, |planner| {
        planner.traced_stage(traced)
    })?;
    edit::keep_missing_final_newline(src, &mut plan.edits);
    // A binaryless image is what a trace gives: `check` must not fault it, but it keeps
    // the application's own programs, so only parsing is checked here.
    match apply(src, &plan.edits) {
        Ok(text) if plan.status == Status::Rewritten => Ok(Rewritten { plan, text }),
        _ => Ok(Rewritten {
            plan,
            text: src.to_string(),
        }),
    }
}

/// A plan of the final stage of `src` by `step`, with the stage's level before; a decline
/// is placed at the stage's FROM when it names no line.
fn plan_final(
    src: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    step: impl FnOnce(&Planner<'_, '_>) -> Result<Plan, Decline>,
) -> Result<Plan, Vec<SyntaxError>> {
    let tree = crate::syntax::parse(src);
    let model = checked_model(src, &tree, catalogue, target)?;
    let Some(stage) = model.final_stage() else {
        return Ok(plan(&model, options, None));
    };
    let base_before = model.root_image(stage.index).map(ImageRef::familiar);
    let level = model.level(stage.index);
    let planner = Planner {
        model: &model,
        stage,
        options,
        context: None,
        style: Style::of(model.tree),
        states: model.states(stage.index),
    };
    Ok(match step(&planner) {
        Ok(mut plan) => {
            plan.level_before = level;
            plan
        }
        Err(decline) => Plan::declined(base_before, level, decline.or_at(from_span(stage))),
    })
}

/// One plan of `src`, applied and verified.
///
/// `original` is the file as the user wrote it, `src` the text planned: a retry plans a
/// moved text, while the build context still holds the original; what finds the
/// Dockerfile there by its text (a Compose service that builds it) reads the moved text in
/// its place.
fn rewrite_once(
    src: &str,
    original: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    options: &Options,
    context: Option<ContextReader<'_>>,
) -> Result<Rewritten, Vec<SyntaxError>> {
    let stands_in = |path: &str| {
        let text = context?(path)?;
        Some(if text == original {
            src.to_string()
        } else {
            text
        })
    };
    let context = context.map(|_| &stands_in as ContextReader<'_>);
    let tree = crate::syntax::parse(src);
    let model = checked_model(src, &tree, catalogue, target)?;
    let plan = plan(&model, options, context);
    finish(src, catalogue, target, plan)
}

/// The model of a parsed file, or its syntax errors, or the analysis' errors (a value
/// over one of dfslim's limits).
fn checked_model<'t>(
    src: &'t str,
    tree: &'t crate::syntax::Dockerfile,
    catalogue: &'t Catalogue,
    target: Option<&str>,
) -> Result<Model<'t>, Vec<SyntaxError>> {
    if tree.has_errors() {
        return Err(tree.errors.clone());
    }
    let model = Model::new(src, tree, catalogue, target);
    if !model.errors.is_empty() {
        return Err(model.errors);
    }
    Ok(model)
}

/// A plan applied to `src` and checked: a rewritten text that would not parse, or that
/// `check` would still fault, is withdrawn as a decline.
fn finish(
    src: &str,
    catalogue: &Catalogue,
    target: Option<&str>,
    mut plan: Plan,
) -> Result<Rewritten, Vec<SyntaxError>> {
    if plan.status != Status::Rewritten {
        return Ok(Rewritten {
            plan,
            text: src.to_string(),
        });
    }
    edit::keep_missing_final_newline(src, &mut plan.edits);
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
            DeclineCode::Unverified,
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

/// The same image as a stage's without its shell: the catalogue's `without_shell:` rules
/// name its plain tag (a distroless `:debug` tag's `latest`, a Chainguard `-dev` tag's
/// runtime tag). It holds what the shell-level image holds but busybox or apk, so whatever
/// ran on the one runs on the other unless it ran the shell. `None` for other images, a
/// digest, or a plain tag the catalogue does not know as distroless.
fn without_shell(model: &Model<'_>, stage: usize) -> Option<String> {
    let image = model.root_image(stage)?;
    if image.digest.is_some() {
        return None;
    }
    let plain = ImageRef {
        tag: Some(model.catalogue.tag_without_shell(image)?),
        ..image.clone()
    };
    let facts = model.catalogue.lookup(&plain)?;
    (facts.level == Level::Distroless && !facts.shell).then(|| plain.familiar())
}

/// Plan the rewrite of a parsed Dockerfile (which must have no syntax errors).
pub fn plan(model: &Model<'_>, options: &Options, context: Option<ContextReader<'_>>) -> Plan {
    let Some(stage) = model.final_stage() else {
        return Plan::declined(
            None,
            Level::Unknown,
            Decline::new(
                DeclineCode::NoStage,
                "the file has no stage to rewrite (no FROM, or an unknown --target)",
            ),
        );
    };
    let base_before = model.root_image(stage.index).map(ImageRef::familiar);
    let level = model.level(stage.index);
    match level {
        Level::FullDistro if crate::rules::suppressed(model, "DFS001", stage.from.span.start) => {
            let mut plan = Plan::unchanged(base_before, level);
            plan.warnings.push(Warning {
                code: "DFS001",
                message: "a `# dfslim` comment ignores DFS001 for this stage: it is left as it is"
                    .into(),
            });
            return plan;
        }
        Level::FullDistro => {
            // Known by its family only: a full distro, but what this tag holds (its
            // release, libc, runtime) is not known, so nothing can be planned on it.
            if let Some(family) = model.family(stage.index) {
                return Plan::declined(
                    base_before.clone(),
                    level,
                    Decline::new(
                        DeclineCode::UnknownBase,
                        format!(
                            "`{}` is a full distro by its name ({}), but this tag is not in the image catalogue, so its release and what it holds are not known",
                            base_before.as_deref().unwrap_or("?"),
                            family.family
                        ),
                    )
                    .at(from_span(stage))
                    .help("use a tag the catalogue knows, or describe this one with the config key `catalogue:`"),
                );
            }
        }
        Level::Distroless | Level::Binaryless | Level::Shellless => {
            let mut plan = Plan::unchanged(base_before, level);
            if let Some(family) = model.family(stage.index) {
                plan.level_by_family = Some(family.family);
            }
            return plan;
        }
        // Shell-level finals (distroless `:debug`, Chainguard `-dev`, busybox) keep a shell
        // the application may not need: the same image without it is the target, when the
        // family has one (see `without_shell`); otherwise the catalogue picks one.
        Level::Shell => {}
        Level::Unknown => {
            let (reason, help) = match model.stages.root_base(stage.index).0 {
                Base::Unresolved { text, reason } => (
                    format!("the final image `{text}` cannot be resolved statically: {reason}"),
                    // The image is in a variable: what leads on is a value for it.
                    "give the ARG a default that names the image (`ARG BASE=debian:bookworm-slim`), or write the image in the FROM",
                ),
                _ => (
                    format!(
                        "`{}` is not in the image catalogue, so what it holds is unknown",
                        base_before.as_deref().unwrap_or("?")
                    ),
                    "use an image the catalogue knows, or describe this one in a catalogue file named by the config key `catalogue:`",
                ),
            };
            return Plan::declined(
                base_before,
                level,
                Decline::new(DeclineCode::UnknownBase, reason)
                    .at(from_span(stage))
                    .help(help),
            );
        }
    }
    let forced;
    let mut plain_variant = None;
    let options = match without_shell(model, stage.index) {
        Some(image) if level == Level::Shell && options.base.is_none() => {
            plain_variant = Some(image.clone());
            forced = Options {
                base: Some(image),
                ..options.clone()
            };
            &forced
        }
        _ => options,
    };
    let planner = Planner {
        model,
        stage,
        options,
        context,
        style: Style::of(model.tree),
        states: model.states(stage.index),
    };
    let (first, others) = match planner.run() {
        Ok(plan) => return plan,
        Err(blocked) => *blocked,
    };
    let mut plan = match first {
        // The image without its shell was dfslim's choice, not the user's `--base`: that
        // it cannot run the application is a decline about the final stage.
        decline if decline.is_about_forced_base() && plain_variant.is_some() => {
            let why = decline
                .message
                .split_once("cannot run this application: ")
                .map_or(decline.message.as_str(), |(_, why)| why);
            Plan::declined(
                base_before.clone(),
                level,
                Decline::new(
                    DeclineCode::ShellImage,
                    format!(
                        "`{}` keeps a shell, and the same image without it, `{}`, cannot run this application: {why}",
                        base_before.as_deref().unwrap_or("?"),
                        plain_variant.as_deref().unwrap_or("?"),
                    ),
                )
                .at(from_span(stage))
                .help("build the program for the image, or name a target with --base"),
            )
        }
        // Those about `--base` are about the flag, not a line.
        decline if decline.is_about_forced_base() => Plan::declined(base_before, level, decline),
        decline => Plan::declined(base_before, level, placed(decline, stage)),
    };
    // Every blocker, the first being the plan's own reason.
    plan.blockers = plan
        .reason
        .iter()
        .cloned()
        .chain(others.into_iter().map(|d| placed(d, stage)))
        .collect();
    plan
}

/// A decline the steps left without a place is about the final stage as a whole: its FROM.
/// And every decline says what to do: where its step gave no advice of its own, the first
/// of its code's documented ways out.
fn placed(decline: Decline, stage: &Stage<'_>) -> Decline {
    let decline = decline.or_at(from_span(stage));
    if decline.help.is_some() {
        return decline;
    }
    let step = decline.code.doc().first_step();
    decline.help(step)
}

use crate::ecosystems::start::from_span;

/// Why the planner declines: the most fundamental blocker, then the others.
type Blocked = (Decline, Vec<Decline>);

struct Planner<'m, 't> {
    model: &'m Model<'t>,
    stage: &'m Stage<'t>,
    options: &'m Options,
    context: Option<ContextReader<'m>>,
    style: Style,
    states: &'m crate::analysis::env::StageStates,
}

impl<'t> Planner<'_, 't> {
    pub(super) fn facts(&self) -> ImageFacts {
        // `plan` only gets here for a full-distro image, which the catalogue knows.
        self.model
            .facts(self.stage.index)
            .cloned()
            .expect("a full-distro final stage has catalogue facts")
    }

    pub(super) fn state(&self) -> &State {
        &self.states.end
    }

    /// The ecosystems' view of the final stage, with declines about the command pointing
    /// at `command_span`.
    pub(super) fn finder(&self, command_span: Span) -> AppFinder<'_, 't> {
        AppFinder {
            model: self.model,
            stage: self.stage.index,
            state: self.state(),
            context: self.context,
            command_span,
            libraries_from_image: self.options.libraries_from_image,
        }
    }

    /// The pipeline: each step either narrows the plan or declines. A decline is its most
    /// fundamental blocker and the others: where the command cannot be followed, the image's
    /// runtime version that no target carries comes before it.
    fn run(&self) -> Result<Plan, Box<Blocked>> {
        // 1. What the stage runs, and where that program comes from.
        let found = self.written_command().and_then(|written| {
            let finder = self.finder(written.span);
            let app = finder.find(&written.argv)?;
            Ok((written, app))
        });
        let (written, app) = match found {
            Ok(found) => found,
            Err(decline) => {
                return Err(Box::new(match self.image_runtime_blocker() {
                    Some(runtime) => (runtime, vec![decline]),
                    None => (decline, Vec::new()),
                }));
            }
        };
        let alone = |d: Decline| Box::new((d, Vec::new()));
        self.check_onbuild().map_err(alone)?;
        // 2. The image it can run on.
        let (target, target_facts) = self.target(&app).map_err(alone)?;
        self.check_root_home(&app).map_err(alone)?;
        self.check_user_home(&target_facts).map_err(alone)?;
        self.check_user_lookup(&app).map_err(alone)?;
        self.check_parent_watch(&app).map_err(alone)?;
        self.check_run_expanded(&app).map_err(alone)?;
        self.check_copied_programs(&app).map_err(alone)?;
        self.check_deploy_files(deploy::Ran {
            program: &app.main.artifact().path,
            compiled: app.interpreter.is_none(),
            entrypoint_is_program: written.entrypoint
                && written
                    .argv
                    .first()
                    .is_some_and(|first| deploy::is_program(first, &app.main.artifact().path)),
            without_cmd: written.argv.len() == written.entrypoint_len,
        })
        .map_err(alone)?;
        // What the server's config files say, read once for the module check and the
        // owner and user checks.
        let settings = self.settings(&written.argv);
        self.check_app_module(&written.argv, &settings)
            .map_err(alone)?;
        // 3.–5. Copies, configuration and edits, for one shape or the other.
        match &app.main {
            // A new stage takes a stage's name and the references to it; a retarget changes
            // the stage itself, under any stage built on it.
            // A stage built on one that does more than describe the image (pnpm's
            // `FROM base` that copies the app and enables corepack) cannot take a new base:
            // a new stage copies from it instead, as from a single stage.
            Provenance::Copied { .. } => self.check_later_stages().and_then(|()| {
                self.retarget(&written, &app, &target, &target_facts, &settings)
                    .or_else(|declined| match declined.code {
                        DeclineCode::StageChain => self
                            .append_stage(&written, &app, &target, &target_facts, &settings)
                            .map_err(|_| declined),
                        _ => Err(declined),
                    })
            }),
            Provenance::Built(_) => {
                self.append_stage(&written, &app, &target, &target_facts, &settings)
            }
        }
        .map_err(alone)
    }

    /// An image with ONBUILD triggers is a base for other builds: a triggered RUN needs the
    /// shell the new image lacks, and a new final stage would drop the triggers.
    fn check_onbuild(&self) -> Result<(), Decline> {
        match self.chain().find_map(|s| s.instructions_of(Keyword::Onbuild).next()) {
            Some(onbuild) => Err(Decline::new(
                DeclineCode::Onbuild,
                "the image is a base for other builds (ONBUILD), whose triggers would run on an image without a shell, or be dropped",
            )
            .at(onbuild.line_span)
            .help("rewrite the Dockerfiles that build FROM this image instead")),
            None => Ok(()),
        }
    }

    /// A stage chosen with `--target` that a later stage is built `FROM` (`FROM prod AS
    /// dev`, then `RUN apt-get …`): its new image has no shell, so that stage, and the
    /// file's default build when it is the last, would no longer build.
    fn check_later_stages(&self) -> Result<(), Decline> {
        let later = self.model.stages.stages[self.stage.index + 1..]
            .iter()
            .find(|s| matches!(&s.base, Base::Stage(parent) if *parent == self.stage.index));
        match later {
            Some(stage) => Err(Decline::new(
                DeclineCode::StageChain,
                format!(
                    "the stage `{}` is built on this one, and its instructions would run on an image without a shell",
                    stage.reference()
                ),
            )
            .at(from_span(stage))
            .help("build the later stage FROM the original image, or rewrite the last stage instead")),
            None => Ok(()),
        }
    }

    /// The stages whose instructions are in effect in the final stage, oldest first.
    pub(super) fn chain(&self) -> impl Iterator<Item = &Stage<'t>> {
        let (_, chain) = self.model.stages.root_base(self.stage.index);
        let stages = &self.model.stages.stages;
        chain.into_iter().rev().map(move |i| &stages[i])
    }

    /// Instructions of a kind that the new final stage carries over, oldest first.
    pub(super) fn carried(&self, keyword: Keyword) -> Vec<&'t Instruction> {
        self.chain()
            .flat_map(|s| s.instructions_of(keyword).collect::<Vec<_>>())
            .collect()
    }

    pub(super) fn state_before(&self, instruction: &Instruction) -> State {
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

    /// Where the final stage ends in the source.
    pub(super) fn stage_end(&self) -> usize {
        self.stage
            .instructions
            .last()
            .map_or(self.stage.from.span.end, |i| i.span.end)
    }
}
