//! Deno: `deno run [permissions] FILE` starts an application, which the `denoland/deno`
//! distroless image runs with the same Deno. Modules fetched at build time (`deno cache`,
//! `deno install`) live in `DENO_DIR`, outside the application. The images and their tags
//! are catalogue data (`denoland/deno` in `src/analysis/catalogue.yaml`).

use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::basename;
use crate::analysis::shell::ShellCommand;

use super::build::RunReader;
use super::start::{App, AppFinder, Provenance};
use super::{Decline, DeclineCode, Ecosystem};

/// What `deno run` runs directly: a local source file, by its extension.
const SOURCE_EXTENSIONS: &[&str] = &[".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs"];

/// The subcommands for which the image's entrypoint script runs `deno` (its `_entry.sh`).
const ENTRY_SUBCOMMANDS: &[&str] = &[
    "bundle",
    "cache",
    "completions",
    "doc",
    "eval",
    "fmt",
    "help",
    "info",
    "link",
    "repl",
    "run",
    "test",
    "types",
];

/// `deno run` options that take a separate value.
const VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "--import-map",
    "--lock",
    "--cert",
    "--location",
    "--seed",
    "--v8-flags",
];

/// Deno.
#[derive(Debug)]
pub struct Deno;

impl Ecosystem for Deno {
    fn name(&self) -> &'static str {
        "deno"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        if program != "deno" {
            return false;
        }
        reader.deno(command, args);
        true
    }

    fn is_interpreter(&self, name: &str) -> bool {
        name == "deno"
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
                .and_then(|(facts, version)| finder.deno(argv, &facts, version)),
        )
    }

    fn image_runs_script(&self, runtime: &str, first: &str) -> Option<&'static str> {
        (runtime == "deno" && ENTRY_SUBCOMMANDS.contains(&first)).then_some("deno")
    }
}

impl<'t> RunReader<'_, 't> {
    /// `deno cache`, `deno install` and `deno compile` fill `DENO_DIR` (or write a binary):
    /// recorded so that the start can tell the application depends on them.
    fn deno(&mut self, _command: &ShellCommand, args: &[Option<String>]) {
        let sub = args.first().and_then(|a| a.as_deref()).unwrap_or("");
        if matches!(sub, "cache" | "install" | "compile" | "add") {
            let instruction = self.instruction;
            self.build
                .noted
                .push(("deno", instruction, format!("deno {sub}")));
        }
    }
}

impl<'t> AppFinder<'_, 't> {
    /// `deno run [options] FILE [args]`: the application folder of FILE, on the Deno
    /// distroless image of the same version.
    fn deno(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        if argv.get(1).map(String::as_str) != Some("run") {
            return Err(self
                .decline(
                    DeclineCode::NoAppCommand,
                    format!("the command runs `{}`, not `deno run FILE`", argv.join(" ")),
                )
                .help("start the application with CMD [\"run\", \"--allow-net\", \"main.ts\"]"));
        }
        let rest = &argv[1..];
        let Some(script_index) = Self::script_arg(rest, VALUE_OPTIONS) else {
            return Err(self.decline(DeclineCode::NoAppCommand, "`deno run` names no file to run"));
        };
        let file = &rest[script_index];
        if !SOURCE_EXTENSIONS.iter().any(|e| file.ends_with(e)) || file.contains("://") {
            return Err(self.decline(
                DeclineCode::UnknownArtifact,
                format!("`{file}` is not a local TypeScript or JavaScript file of the image"),
            ));
        }
        let Some(version) = version else {
            return Err(self
                .decline_at_from(
                    self.stage,
                    DeclineCode::UnknownVersion,
                    "the Deno version of the image is not known from its tag",
                )
                .help("use a tag that names the version, such as denoland/deno:2.1.4"));
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::Musl,
                "the application was set up on a musl image, and the Deno distroless image is glibc-based",
            ));
        }
        let build = super::stage_build(self.model, self.stage, self.context);
        if let Some((_, instruction, what)) = build.noted.iter().find(|(by, ..)| *by == "deno") {
            return Err(Decline::new(
                DeclineCode::DenoCache,
                format!("`{what}` fetches modules into DENO_DIR at build time; the new image would fetch them again when it starts, or fail without a network"),
            )
            .at(instruction.line_span)
            .help("keep the Debian image, or vendor the dependencies into the application folder (`\"vendor\": true` in deno.json)"));
        }
        let script = self.state.resolve_path(file).ok_or_else(|| {
            self.decline_at(
                self.workdir_instruction(),
                DeclineCode::UnknownVariable,
                "the WORKDIR depends on a value not known statically",
            )
        })?;
        let dir = self.app_dir(&script)?;
        Ok(App {
            interpreter: Some(&Deno as &dyn Ecosystem),
            launches: None,
            needs: Needs::Runtime {
                name: "deno".into(),
                version,
            },
            copies: vec![(dir.clone(), format!("the Deno application in {dir}"))],
            main: Provenance::Built(self.folder_artifact(&dir, "the Deno application folder")),
            // Deno caches what it fetches at run time in DENO_DIR, which the Debian image
            // creates for its `deno` user; the distroless image has no such folder, and a
            // non-root user cannot make one in `/`.
            env: vec![("DENO_DIR".to_string(), "/tmp/deno-dir".to_string())],
            built_on_debian: None,
            run_argv: None,
            run_expanded: Vec::new(),
            program: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::catalogue::Catalogue;
    use crate::analysis::image_ref::ImageRef;
    use crate::analysis::level::Level;

    /// (level, Deno version, ENTRYPOINT) of a `denoland/deno` tag, from the catalogue data.
    fn facts(image: &str) -> (Level, Option<String>, Vec<String>) {
        let facts = Catalogue::builtin()
            .lookup(&ImageRef::parse(image).unwrap())
            .unwrap_or_else(|| panic!("{image} is in the catalogue"));
        let runtime = facts.runtime.expect("a Deno image has a runtime");
        assert_eq!(runtime.name, "deno");
        (
            facts.level,
            runtime.version,
            facts.entrypoint.unwrap_or_default(),
        )
    }

    #[test]
    fn deno_tags() {
        let (level, version, entrypoint) = facts("denoland/deno:2.1.4");
        assert_eq!(level, Level::FullDistro);
        assert_eq!(version.as_deref(), Some("2.1.4"));
        assert_eq!(entrypoint, ["/tini", "--", "docker-entrypoint.sh"]);
        assert_eq!(facts("denoland/deno").1.as_deref(), Some("latest"));
        assert_eq!(facts("denoland/deno:debian-2.1.4").0, Level::FullDistro);
        let (level, version, entrypoint) = facts("denoland/deno:distroless");
        assert_eq!(level, Level::Distroless);
        assert_eq!(version.as_deref(), Some("latest"));
        assert_eq!(entrypoint, ["/tini", "--", "/bin/deno"]);
        assert_eq!(
            facts("denoland/deno:distroless-2.1.4").1.as_deref(),
            Some("2.1.4")
        );
    }
}
