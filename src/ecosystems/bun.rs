//! Bun: `bun install` makes an application folder with its `node_modules`; `bun run
//! FILE` (or `bun FILE`) starts a TypeScript or JavaScript application, which the
//! `oven/bun` distroless image runs with the same Bun. The images and their tags are
//! catalogue data (`oven/bun` in `src/analysis/catalogue.yaml`).

use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::basename;
use crate::analysis::shell::ShellCommand;

use super::artifact::ArtifactKind;
use super::build::RunReader;
use super::start::{App, AppFinder, Provenance};
use super::{Decline, DeclineCode, Ecosystem, stage_build};

/// What `bun` runs directly: a source file, by its extension.
const SOURCE_EXTENSIONS: &[&str] = &[".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/// Bun's options that take a separate value (`bun --preload ./setup.ts app.ts`).
const VALUE_OPTIONS: &[&str] = &["-r", "--preload", "--config", "-c", "--cwd", "--env-file"];

/// Bun.
#[derive(Debug)]
pub struct Bun;

impl Ecosystem for Bun {
    fn name(&self) -> &'static str {
        "bun"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        if program != "bun" {
            return false;
        }
        reader.bun(command, args);
        true
    }

    fn is_interpreter(&self, name: &str) -> bool {
        name == "bun"
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
                .and_then(|(facts, version)| finder.bun(argv, &facts, version)),
        )
    }

    fn image_runs_script(&self, runtime: &str, first: &str) -> Option<&'static str> {
        // The image's entrypoint script prefixes `bun` when the first argument is not a
        // program: a source file, or the `run` subcommand.
        (runtime == "bun"
            && (first == "run" || SOURCE_EXTENSIONS.iter().any(|e| first.ends_with(e))))
        .then_some("bun")
    }
}

impl<'t> RunReader<'_, 't> {
    /// `bun install` (`bun i`) without package names installs what package.json lists.
    fn bun(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let sub = args.first().and_then(|a| a.as_deref()).unwrap_or("");
        let installs = matches!(sub, "install" | "i")
            && !args.iter().skip(1).flatten().any(|a| !a.starts_with('-'));
        if !installs {
            return;
        }
        let Some(cwd) = self.cwd(command) else { return };
        self.push(
            cwd.clone(),
            ArtifactKind::NodeApp,
            "bun install",
            format!("the application in {cwd} with the node_modules `bun {sub}` installed"),
        );
    }
}

impl<'t> AppFinder<'_, 't> {
    /// `bun [run] [options] FILE [args]`: the application folder of FILE, on the Bun
    /// distroless image of the same version.
    fn bun(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let mut argv = argv.to_vec();
        if argv.get(1).is_some_and(|a| a == "run") {
            argv.remove(1);
        }
        let Some(script_index) = Self::script_arg(&argv, VALUE_OPTIONS) else {
            return Err(self.decline(
                DeclineCode::NoAppCommand,
                "the command starts `bun` with no file to run",
            ));
        };
        let file = &argv[script_index];
        if !SOURCE_EXTENSIONS.iter().any(|e| file.ends_with(e)) {
            return Err(self
                .decline(
                    DeclineCode::NpmScript,
                    format!("`bun run {file}` runs a package.json script or a program, not a source file"),
                )
                .help("run the application's entry file directly, e.g. CMD [\"bun\", \"run\", \"index.ts\"]"));
        }
        let Some(version) = version else {
            return Err(self
                .decline_at_from(
                    self.stage,
                    DeclineCode::UnknownVersion,
                    "the Bun version of the image is not known from its tag",
                )
                .help("use a tag that names the version, such as oven/bun:1"));
        };
        if facts.libc == Libc::Musl {
            return Err(self
                .decline_at_from(
                    self.stage,
                    DeclineCode::Musl,
                    "the application was set up on the Alpine (musl) Bun image, and the Bun distroless image is glibc-based",
                )
                .help("use oven/bun:1 or oven/bun:1-slim for the build"));
        }
        let script = self.state.resolve_path(file).ok_or_else(|| {
            self.decline_at(
                self.workdir_instruction(),
                DeclineCode::UnknownVariable,
                "the WORKDIR depends on a value not known statically",
            )
        })?;
        let build = stage_build(self.model, self.stage, self.context);
        if let Some(install) = build
            .artifacts
            .iter()
            .find(|a| a.kind == ArtifactKind::NodeApp)
        {
            // Packages may build native addons against the build image's glibc, and which
            // Debian release the Bun distroless image is built on is not recorded.
            return Err(Decline::new(
                DeclineCode::NativeModules,
                format!(
                    "{}: its packages may hold native addons built for the build image's glibc, which the Bun distroless image is not known to carry",
                    install.why
                ),
            )
            .at(install.instruction.line_span)
            .help("bundle the application with `bun build --compile` and run the binary, or keep the Debian image"));
        }
        let dir = self.app_dir(&script)?;
        Ok(App {
            interpreter: Some(&Bun as &dyn Ecosystem),
            launches: None,
            needs: Needs::Runtime {
                name: "bun".into(),
                version,
            },
            copies: vec![(dir.clone(), format!("the Bun application in {dir}"))],
            main: Provenance::Built(self.folder_artifact(&dir, "the Bun application folder")),
            env: Vec::new(),
            built_on_debian: None,
            run_argv: None,
            run_expanded: Vec::new(),
            program: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::catalogue::{Catalogue, Libc};
    use crate::analysis::image_ref::ImageRef;
    use crate::analysis::level::Level;

    /// (level, libc, Bun version) of an `oven/bun` tag, from the catalogue data.
    fn facts(image: &str) -> (Level, Libc, Option<String>) {
        let facts = Catalogue::builtin()
            .lookup(&ImageRef::parse(image).unwrap())
            .unwrap_or_else(|| panic!("{image} is in the catalogue"));
        let runtime = facts.runtime.expect("a Bun image has a runtime");
        assert_eq!(runtime.name, "bun");
        (facts.level, facts.libc, runtime.version)
    }

    #[test]
    fn bun_tags() {
        let latest = Some("latest".to_string());
        let v = |s: &str| Some(s.to_string());
        assert_eq!(
            facts("oven/bun:1"),
            (Level::FullDistro, Libc::Glibc, v("1"))
        );
        assert_eq!(
            facts("oven/bun:1.1.38-slim"),
            (Level::FullDistro, Libc::Glibc, v("1.1.38"))
        );
        assert_eq!(
            facts("oven/bun:1-alpine"),
            (Level::FullDistro, Libc::Musl, v("1"))
        );
        assert_eq!(
            facts("oven/bun"),
            (Level::FullDistro, Libc::Glibc, latest.clone())
        );
        assert_eq!(
            facts("oven/bun:1-distroless"),
            (Level::Distroless, Libc::Glibc, v("1"))
        );
        assert_eq!(
            facts("oven/bun:distroless"),
            (Level::Distroless, Libc::Glibc, latest)
        );
    }
}
