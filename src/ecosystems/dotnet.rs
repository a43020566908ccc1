//! .NET: `dotnet publish` and its output folder.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::RunReader;
use super::compiled::Compiled;
use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::basename;
use crate::analysis::image_ref::ImageRef;

use super::start::{App, AppFinder, Provenance};
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
            return finder.dotnet_apphost(argv);
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
        let first = self.build.artifacts.len();
        self.push(
            path.clone(),
            ArtifactKind::DotnetPublish,
            "dotnet publish",
            format!("output of `dotnet publish -o {output}`"),
        );
        // The whole working folder, not only the published project's: a `<ProjectReference>`
        // compiles a sibling project (`../Infrastructure`) into the output.
        let runs = self.sources_run(command, Compiled::Dotnet, None);
        self.mark_runs(first, runs);
    }
}

impl<'t> AppFinder<'_, 't> {
    /// A framework-dependent apphost: `./App`, the native launcher `dotnet publish` writes
    /// beside `App.dll`, which finds the image's shared .NET runtime and runs the dll, as
    /// Microsoft's own chiseled samples do (`ENTRYPOINT ["./aspnetapp"]` on
    /// `aspnet:N-noble-chiseled`); on runtime-deps, a self-contained or native AOT program.
    /// Only a file of a `dotnet publish -o` folder, on an image whose runtime is .NET's;
    /// `None` for anything else, which is not .NET's to answer.
    fn dotnet_apphost(&self, argv: &[String]) -> Option<Result<App<'t>, Decline>> {
        let program = argv.first()?;
        if basename(program).contains('.') {
            // `App.dll`, `run.sh`: not an apphost, which has no extension on Linux.
            return None;
        }
        let facts = self.model.facts(self.stage)?.clone();
        let runtime = facts.runtime.clone()?;
        if !matches!(
            runtime.name.as_str(),
            "aspnetcore" | "dotnet" | "dotnet-deps"
        ) {
            return None;
        }
        let (path, main) = self.resolve_program(program).into_iter().find_map(|path| {
            let main = self.provenance(&path)?;
            matches!(main.artifact().kind, ArtifactKind::DotnetPublish).then_some((path, main))
        })?;
        let Some(version) = runtime.version else {
            return Some(Err(self.decline_at_from(
                self.stage,
                DeclineCode::UnknownVersion,
                "the .NET version of the image is not known from its tag",
            )));
        };
        // The apphost is built for the libc of the image it runs on (`linux-musl-x64` on
        // Alpine): the original final stage runs it, so that libc is the image's.
        if facts.libc != Libc::Glibc {
            return Some(Err(self.decline_at_from(
                self.stage,
                DeclineCode::Musl,
                format!("the .NET program `{program}` runs on an image without glibc (Alpine), so it was built for musl"),
            )));
        }
        // On runtime-deps, which has no runtime, the program carries its own (self-contained,
        // or native AOT): what it needs is what runtime-deps holds.
        let why = if runtime.name == "dotnet-deps" {
            format!(
                "{}; `{path}` is a self-contained .NET program, which needs what runtime-deps holds",
                main.artifact().why
            )
        } else {
            format!(
                "{}; `{path}` is its apphost, which starts the image's .NET runtime",
                main.artifact().why
            )
        };
        let needs = Needs::Runtime {
            name: runtime.name,
            version,
        };
        Some(Ok(App {
            interpreter: None,
            launches: Some(&Dotnet as &dyn Ecosystem),
            program: Some(path),
            ..published(main, needs, why)
        }))
    }

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
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::UnknownVersion,
                "the .NET version of the image is not known from its tag",
            ));
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::Musl,
                "the .NET application was published on a musl (Alpine) image",
            ));
        }
        let path = self.state.resolve_path(dll).unwrap_or_default();
        let Some(main) = self.provenance(&path) else {
            return Err(self.decline_at(
                self.copy_bringing(&path),
                DeclineCode::UnknownArtifact,
                format!("no `dotnet publish -o` of this Dockerfile is known to produce `{dll}`"),
            ));
        };
        let why = main.artifact().why.clone();
        // The image's own runtime: a console app on `runtime:N` needs no ASP.NET Core. The
        // SDK holds both, and an app run on it may be a web app.
        let name = match facts.runtime.as_ref().map(|r| r.name.as_str()) {
            Some("dotnet") => "dotnet",
            _ => "aspnetcore",
        };
        let needs = Needs::Runtime {
            name: name.into(),
            version,
        };
        Ok(published(main, needs, why))
    }
}

/// The application a `dotnet publish` folder holds, run as `dotnet App.dll`: the folder is
/// what the new image needs besides the runtime.
fn published<'t>(main: Provenance<'t>, needs: Needs, why: String) -> App<'t> {
    let dir = main.artifact().path.clone();
    App {
        interpreter: Some(&Dotnet as &dyn Ecosystem),
        launches: None,
        needs,
        main,
        copies: vec![(dir, why)],
        env: Vec::new(),
        built_on_debian: None,
        run_argv: None,
        program: None,
    }
}
