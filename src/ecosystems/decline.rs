//! Why a rewrite cannot go ahead: a [`Decline`] names the blocker with a stable code, one
//! sentence, the instruction that causes it and what the user could do. The ecosystems
//! produce most of them (what an application needs is their knowledge); the rewrite
//! reports them in its plan.

use serde::Serialize;

use crate::syntax::Span;

/// Every reason a rewrite can decline. The kebab-case name ([`DeclineCode::name`]) is the
/// stable id users see and scripts match on (`code` in the JSON output): a name is never
/// changed or reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclineCode {
    AppInRoot,
    BadBase,
    BaseMismatch,
    DenoCache,
    ExtraLibraries,
    ImageEntrypointScript,
    JavaClasspath,
    Musl,
    NativeModules,
    NeedsRoot,
    NoAppCommand,
    NoCommand,
    NoStage,
    NoTarget,
    NodePath,
    NpmScript,
    OpaqueRun,
    PythonInstall,
    PythonVersion,
    RootHome,
    RunInRuntimeStage,
    ScratchNeedsStatic,
    ScratchRuntimeStage,
    ScriptEntrypoint,
    ShellCommand,
    ShellFormCommand,
    ShellImage,
    StageChain,
    UncopiedFiles,
    UnknownArtifact,
    UnknownBase,
    UnknownDistro,
    UnknownForcedBase,
    UnknownInterpreterPath,
    UnknownPlatform,
    UnknownVariable,
    UnknownVersion,
    Unverified,
}

impl DeclineCode {
    /// Every code, in the order of the documentation.
    pub const ALL: &'static [DeclineCode] = &[
        DeclineCode::AppInRoot,
        DeclineCode::BadBase,
        DeclineCode::BaseMismatch,
        DeclineCode::DenoCache,
        DeclineCode::ExtraLibraries,
        DeclineCode::ImageEntrypointScript,
        DeclineCode::JavaClasspath,
        DeclineCode::Musl,
        DeclineCode::NativeModules,
        DeclineCode::NeedsRoot,
        DeclineCode::NoAppCommand,
        DeclineCode::NoCommand,
        DeclineCode::NoStage,
        DeclineCode::NoTarget,
        DeclineCode::NodePath,
        DeclineCode::NpmScript,
        DeclineCode::OpaqueRun,
        DeclineCode::PythonInstall,
        DeclineCode::PythonVersion,
        DeclineCode::RootHome,
        DeclineCode::RunInRuntimeStage,
        DeclineCode::ScratchNeedsStatic,
        DeclineCode::ScratchRuntimeStage,
        DeclineCode::ScriptEntrypoint,
        DeclineCode::ShellCommand,
        DeclineCode::ShellFormCommand,
        DeclineCode::ShellImage,
        DeclineCode::StageChain,
        DeclineCode::UncopiedFiles,
        DeclineCode::UnknownArtifact,
        DeclineCode::UnknownBase,
        DeclineCode::UnknownDistro,
        DeclineCode::UnknownForcedBase,
        DeclineCode::UnknownInterpreterPath,
        DeclineCode::UnknownPlatform,
        DeclineCode::UnknownVariable,
        DeclineCode::UnknownVersion,
        DeclineCode::Unverified,
    ];

    /// The stable kebab-case id.
    pub fn name(self) -> &'static str {
        match self {
            DeclineCode::AppInRoot => "app-in-root",
            DeclineCode::BadBase => "bad-base",
            DeclineCode::BaseMismatch => "base-mismatch",
            DeclineCode::DenoCache => "deno-cache",
            DeclineCode::ExtraLibraries => "extra-libraries",
            DeclineCode::ImageEntrypointScript => "image-entrypoint-script",
            DeclineCode::JavaClasspath => "java-classpath",
            DeclineCode::Musl => "musl",
            DeclineCode::NativeModules => "native-modules",
            DeclineCode::NeedsRoot => "needs-root",
            DeclineCode::NoAppCommand => "no-app-command",
            DeclineCode::NoCommand => "no-command",
            DeclineCode::NoStage => "no-stage",
            DeclineCode::NoTarget => "no-target",
            DeclineCode::NodePath => "node-path",
            DeclineCode::NpmScript => "npm-script",
            DeclineCode::OpaqueRun => "opaque-run",
            DeclineCode::PythonInstall => "python-install",
            DeclineCode::PythonVersion => "python-version",
            DeclineCode::RootHome => "root-home",
            DeclineCode::RunInRuntimeStage => "run-in-runtime-stage",
            DeclineCode::ScratchNeedsStatic => "scratch-needs-static",
            DeclineCode::ScratchRuntimeStage => "scratch-runtime-stage",
            DeclineCode::ScriptEntrypoint => "script-entrypoint",
            DeclineCode::ShellCommand => "shell-command",
            DeclineCode::ShellFormCommand => "shell-form-command",
            DeclineCode::ShellImage => "shell-image",
            DeclineCode::StageChain => "stage-chain",
            DeclineCode::UncopiedFiles => "uncopied-files",
            DeclineCode::UnknownArtifact => "unknown-artifact",
            DeclineCode::UnknownBase => "unknown-base",
            DeclineCode::UnknownDistro => "unknown-distro",
            DeclineCode::UnknownForcedBase => "unknown-forced-base",
            DeclineCode::UnknownInterpreterPath => "unknown-interpreter-path",
            DeclineCode::UnknownPlatform => "unknown-platform",
            DeclineCode::UnknownVariable => "unknown-variable",
            DeclineCode::UnknownVersion => "unknown-version",
            DeclineCode::Unverified => "unverified",
        }
    }

    /// The code whose name is `name`.
    pub fn from_name(name: &str) -> Option<DeclineCode> {
        DeclineCode::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl std::fmt::Display for DeclineCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The JSON output keeps the string ids it always had.
impl Serialize for DeclineCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Why a rewrite was declined, anchored to the instruction that blocks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decline {
    /// A short, stable id (`script-entrypoint`, `no-target`, …).
    pub code: DeclineCode,
    /// One sentence saying why.
    pub message: String,
    #[serde(skip)]
    pub span: Option<Span>,
    /// What the user could do.
    pub help: Option<String>,
}

impl Decline {
    /// Whether the decline is about the image forced with `--base` (or the config's
    /// `base`): the user asked for something that cannot work, which the CLI reports as
    /// a usage error rather than as a decline.
    pub fn is_about_forced_base(&self) -> bool {
        matches!(
            self.code,
            DeclineCode::BadBase | DeclineCode::UnknownForcedBase | DeclineCode::BaseMismatch
        )
    }

    pub fn new(code: DeclineCode, message: impl Into<String>) -> Decline {
        Decline {
            code,
            message: message.into(),
            span: None,
            help: None,
        }
    }

    pub fn at(mut self, span: Span) -> Decline {
        self.span = Some(span);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Decline {
        self.help = Some(help.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::DeclineCode;

    #[test]
    fn names_are_unique_and_round_trip() {
        for code in DeclineCode::ALL {
            assert_eq!(DeclineCode::from_name(code.name()), Some(*code));
        }
        let mut names: Vec<_> = DeclineCode::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DeclineCode::ALL.len());
    }
}
