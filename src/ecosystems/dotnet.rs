//! .NET: `dotnet publish` and its output folder.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::RunReader;
use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::basename;
use crate::analysis::image_ref::ImageRef;

use super::start::{App, AppFinder};
use super::{Decline, DeclineCode};

/// .NET.
#[derive(Debug)]
pub struct Dotnet;

impl Ecosystem for Dotnet {
    fn name(&self) -> &'static str {
        "dotnet"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            "dotnet" => reader.dotnet(command, args),
            _ => return false,
        }
        true
    }

    fn is_interpreter(&self, name: &str) -> bool {
        name == "dotnet"
    }

    fn start<'t>(
        &self,
        finder: &AppFinder<'_, 't>,
        argv: &[String],
    ) -> Option<Result<App<'t>, Decline>> {
        if !self.is_interpreter(basename(argv.first()?)) {
            return None;
        }
        Some(
            finder
                .image_runtime()
                .and_then(|(facts, version)| finder.dotnet(argv, &facts, version)),
        )
    }

    fn target_misfit(&self, target: &ImageRef, facts: &ImageFacts) -> Option<Decline> {
        // The sdk and runtime images carry ICU and tzdata; without them .NET runs
        // globalization-invariant (cultures other than the invariant one throw) and
        // finds no time zone but UTC.
        if ["icu", "tzdata"]
            .iter()
            .all(|p| facts.provides.iter().any(|x| x == p))
        {
            return None;
        }
        Some(
            Decline::new(
                DeclineCode::NoTarget,
                format!(
                    "`{}` has no ICU or time zone data, which the .NET application had where it was built; cultures and time zones would behave differently",
                    target.familiar()
                ),
            )
            .help(format!(
                "name an image with both, e.g. --base {}-extra",
                target.familiar()
            )),
        )
    }
}

impl<'t> RunReader<'_, 't> {
    fn dotnet(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        if args.first().and_then(|a| a.as_deref()) != Some("publish") {
            return;
        }
        let mut iter = args[1..].iter();
        let mut output = None;
        while let Some(arg) = iter.next() {
            match arg.as_deref() {
                Some("-o") | Some("--output") => output = iter.next().cloned().flatten(),
                Some(a) if a.starts_with("--output=") => output = Some(a[9..].to_string()),
                _ => {}
            }
        }
        let Some(output) = output else { return };
        let Some(path) = self.absolute(command, &output) else {
            return;
        };
        self.push(
            path.clone(),
            ArtifactKind::DotnetPublish,
            "dotnet publish",
            format!("output of `dotnet publish -o {output}`"),
        );
    }
}

impl<'t> AppFinder<'_, 't> {
    pub(crate) fn dotnet(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let Some(dll) = argv.get(1).filter(|a| a.ends_with(".dll")) else {
            return Err(self.decline(
                DeclineCode::NoAppCommand,
                "the command does not run an application dll with dotnet",
            ));
        };
        let Some(version) = version else {
            return Err(self.decline(
                DeclineCode::UnknownVersion,
                "the .NET version of the image is not known from its tag",
            ));
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline(
                DeclineCode::Musl,
                "the .NET application was published on a musl (Alpine) image",
            ));
        }
        let path = self.state.resolve_path(dll).unwrap_or_default();
        let Some(main) = self.provenance(&path) else {
            return Err(self.decline(
                DeclineCode::UnknownArtifact,
                format!("no `dotnet publish -o` of this Dockerfile is known to produce `{dll}`"),
            ));
        };
        let dir = main.artifact().path.clone();
        let why = main.artifact().why.clone();
        Ok(App {
            interpreter: Some(&Dotnet as &dyn Ecosystem),
            needs: Needs::Runtime {
                name: "aspnetcore".into(),
                version,
            },
            main,
            copies: vec![(dir, why)],
            env: Vec::new(),
            built_on_debian: None,
            run_argv: None,
            program: None,
        })
    }
}
