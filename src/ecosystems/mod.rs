//! What dfslim knows about each language ecosystem, one file each: which build commands it
//! recognises and what they make (`go build -o /out/app` makes a binary at `/out/app`, and
//! how it links, with the sentence saying why).
//!
//! Adding an ecosystem is one new file here, implementing [`Ecosystem`], plus its entry in
//! [`ECOSYSTEMS`] and its images in the catalogue (`src/analysis/catalogue.yaml`). The
//! driver that reads RUN instructions and hands each command to the ecosystems is
//! [`build`]; what a build makes is described by the types of [`artifact`]; what COPY
//! brings into a stage, knowing those outputs, is [`transfers`].
//!
//! Modules depend one way: `analysis` (stages, variables, the catalogue) ← `ecosystems` ←
//! `rules` and `rewrite`.

pub mod artifact;
pub mod build;
pub mod transfers;

pub mod c;
pub mod dotnet;
pub mod go;
pub mod java;
pub mod node;
pub mod python;
pub mod rust;

use crate::analysis::shell::ShellCommand;

use build::RunReader;

/// One ecosystem's knowledge of its build tools.
pub trait Ecosystem: Sync {
    /// A short name: `go`, `rust`, `python`.
    fn name(&self) -> &'static str;

    /// Reads one command of a RUN whose program is `program` (its base name) and whose
    /// arguments are `args` (`None` where a value is not known statically), recording what
    /// it makes in `reader`. Returns `false` when `program` is not one of this ecosystem's
    /// tools, so that the next ecosystem is asked.
    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool;
}

/// Every ecosystem, asked in this order. Their tools do not overlap.
pub static ECOSYSTEMS: &[&dyn Ecosystem] = &[
    &go::Go,
    &rust::Rust,
    &c::C,
    &java::Java,
    &dotnet::Dotnet,
    &node::Node,
    &python::Python,
];

pub use artifact::{Artifact, ArtifactKind, Linkage, PackageInstall, StageBuild};
pub use build::{ContextReader, created_accounts, stage_build};
pub use transfers::{CopiedArtifact, Transfer, copied_artifacts, has_shell, transfers};
