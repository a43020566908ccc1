//! Java: Maven and Gradle builds, whose jars land in `target/` and `build/libs/`.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::{ArtifactKind, SourceUses};
use super::build::RunReader;
use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::basename;
use crate::syntax::{Args, Keyword};

use super::start::{App, AppFinder, Provenance, covers, major};
use super::{Artifact, Decline, DeclineCode};

/// Java.
#[derive(Debug)]
pub struct Java;

impl Ecosystem for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            "mvn" | "mvnw" => reader.jvm(command, args, "mvn"),
            "gradle" | "gradlew" => reader.jvm(command, args, "gradle"),
            _ => return false,
        }
        true
    }

    fn is_interpreter(&self, name: &str) -> bool {
        name == "java"
    }

    fn start<'t>(
        &self,
        finder: &AppFinder<'_, 't>,
        argv: &[String],
    ) -> Option<Result<App<'t>, Decline>> {
        if !self.is_interpreter(basename(argv.first()?)) {
            return None;
        }
        Some(finder.image_runtime().and_then(|(facts, version)| {
            finder.check_native_libraries(argv, &facts)?;
            finder.java(argv, version)
        }))
    }

    fn on_preset(
        &self,
        preset: &[String],
        args: Vec<String>,
    ) -> (Option<Vec<String>>, Option<Vec<String>>) {
        // A classpath application names its main class: the whole command becomes the
        // ENTRYPOINT, since the preset's `-jar` would take the class for a jar.
        if !args.iter().any(|a| a == "-jar") {
            let mut entrypoint = vec![preset[0].clone()];
            entrypoint.extend(args);
            return (Some(entrypoint), None);
        }
        // distroless java runs `java -jar`; JVM options must come before -jar.
        let jar_at = args.iter().position(|a| a == "-jar").unwrap_or(0);
        let preset_has_jar = preset.iter().any(|p| p == "-jar");
        if jar_at == 0 && preset_has_jar {
            return (None, Some(args[1..].to_vec()));
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
        (Some(entrypoint), (!rest.is_empty()).then_some(rest))
    }
}

impl<'t> RunReader<'_, 't> {
    fn jvm(&mut self, command: &ShellCommand, args: &[Option<String>], tool: &'static str) {
        // Where the tool puts its jars is catalogue data (`toolchains.java.output_dirs`).
        let Some(dir) = self.model.catalogue.java_output_dir(tool) else {
            return;
        };
        let builds = args.iter().flatten().any(|a| {
            matches!(
                a.as_str(),
                "package"
                    | "install"
                    | "verify"
                    | "build"
                    | "assemble"
                    | "bootJar"
                    | "jar"
                    | "shadowJar"
                    | "installDist"
            ) || a.ends_with(":repackage")
        });
        if !builds {
            return;
        }
        let Some(cwd) = self.cwd(command) else { return };
        let path = format!("{cwd}/{dir}");
        let first = self.build.artifacts.len();
        self.push(
            path.clone(),
            ArtifactKind::JarDir,
            tool,
            format!("the jars `{tool}` builds in {path}"),
        );
        let uses = self.java_uses(command);
        self.mark_uses(first, uses);
    }
}

impl<'t> AppFinder<'_, 't> {
    pub(crate) fn java(
        &self,
        argv: &[String],
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let Some(jar_flag) = argv.iter().position(|a| a == "-jar") else {
            return self.java_classpath(argv, version);
        };
        let Some(jar) = argv.get(jar_flag + 1) else {
            return Err(self.decline(DeclineCode::NoAppCommand, "`java -jar` names no jar"));
        };
        let Some(version) = version else {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::UnknownVersion,
                "the Java version of the image is not known from its tag",
            ));
        };
        let path = self.state.resolve_path(jar).ok_or_else(|| {
            self.decline_at(
                self.workdir_instruction(),
                DeclineCode::UnknownVariable,
                "the WORKDIR depends on a value not known statically",
            )
        })?;
        let main = self.provenance(&path).unwrap_or_else(|| {
            Provenance::Built(Artifact {
                path: path.clone(),
                kind: ArtifactKind::JarDir,
                tool: "COPY",
                why: format!("the jar {path}"),
                instruction: self.model.stages.stages[self.stage].from,
                uses: SourceUses::default(),
            })
        });
        // A jar built here goes with the folder it was built in: a manifest Class-Path may
        // name jars beside it (`target/lib`, `target/dependency`).
        let copy = match &main {
            Provenance::Built(a) if a.kind == ArtifactKind::JarDir && a.path != path => (
                a.path.clone(),
                format!("the folder of the jar the command runs ({})", a.why),
            ),
            // A jar this Dockerfile did not build: its folder goes, since its manifest's
            // Class-Path may name jars beside it (Spring Boot's extracted layers put
            // `application.jar` and `lib/` in one folder).
            Provenance::Built(_) if super::start::parent(&path) != "/" => (
                super::start::parent(&path),
                format!(
                    "the folder of the jar the command runs ({}), whose manifest may name jars beside it",
                    main.artifact().why
                ),
            ),
            _ => (
                path,
                format!("the jar the command runs ({})", main.artifact().why),
            ),
        };
        Ok(java_app(&version, main, vec![copy]))
    }
}

impl AppFinder<'_, '_> {
    /// Declines when the JVM loads native libraries of the application's (JNI): a
    /// `-Djava.library.path` (on the command line or in JAVA_TOOL_OPTIONS/JAVA_OPTS), an
    /// LD_LIBRARY_PATH, or a `.so` the stage copies in. Built for musl on an Alpine image,
    /// such a library does not load on the targets' glibc; built for glibc, it may load
    /// libraries (libsqlite3, libpq) that distroless java does not carry, and nothing here
    /// says which.
    fn check_native_libraries(&self, argv: &[String], facts: &ImageFacts) -> Result<(), Decline> {
        let options = ["JAVA_TOOL_OPTIONS", "JAVA_OPTS", "JDK_JAVA_OPTIONS"]
            .iter()
            .filter_map(|name| self.state.value(name))
            .collect::<Vec<_>>()
            .join(" ");
        let library_path = argv
            .iter()
            .map(String::as_str)
            .chain(options.split_whitespace())
            .find(|a| a.starts_with("-Djava.library.path="))
            .map(str::to_string)
            .or_else(|| {
                self.state
                    .value("LD_LIBRARY_PATH")
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("LD_LIBRARY_PATH={v}"))
            });
        let copied_library = || {
            let stage = &self.model.stages.stages[self.stage];
            stage
                .instructions
                .iter()
                .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
                .find_map(|i| match &i.args {
                    Args::Words { words } => words
                        .iter()
                        .map(|w| w.text.as_str())
                        .find(|w| w.ends_with(".so") || w.contains(".so.")),
                    _ => None,
                })
                .map(|w| format!("the copied library {w}"))
        };
        let Some(evidence) = library_path.or_else(copied_library) else {
            return Ok(());
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::Musl,
                format!("the JVM loads native libraries ({evidence}) on an image without glibc (Alpine): they were built for musl, which the targets do not have"),
            ));
        }
        Err(self
            .decline(
                DeclineCode::ExtraLibraries,
                format!("the JVM loads native libraries of the application ({evidence}), which may need libraries that distroless java does not carry"),
            )
            .help("run `dfslim rewrite --build` to read what they load, or keep the full image"))
    }
}

impl<'t> AppFinder<'_, 't> {
    /// `java -cp ENTRIES MAIN [args]` (or `-classpath`, `--class-path`): the classpath's
    /// folders and jars are the application, each copied as it is, and the new image runs
    /// the same command with an explicit ENTRYPOINT (the distroless preset adds `-jar`).
    fn java_classpath(&self, argv: &[String], version: Option<String>) -> Result<App<'t>, Decline> {
        let classpath = argv
            .iter()
            .position(|a| matches!(a.as_str(), "-cp" | "-classpath" | "--class-path"))
            .and_then(|i| argv.get(i + 1))
            .cloned()
            // With neither, the JVM's classpath is CLASSPATH, else the working folder:
            // Spring Boot's extracted layers run `java …JarLauncher` in it.
            .or_else(|| (!self.state.is_set("CLASSPATH")).then(|| ".".to_string()));
        let Some(classpath) = classpath else {
            return Err(self
                .decline(
                    DeclineCode::JavaClasspath,
                    "the command runs java without -jar or -cp, so the classpath it needs cannot be told",
                )
                .help("package the application as an executable jar and run it with java -jar"));
        };
        let Some(version) = version else {
            return Err(self.decline(
                DeclineCode::UnknownVersion,
                "the Java version of the image is not known from its tag",
            ));
        };
        let mut copies: Vec<(String, String)> = Vec::new();
        for entry in classpath.split(':').filter(|e| !e.is_empty()) {
            // `lib/*` is every jar in `lib`: the folder goes.
            let entry = entry.strip_suffix("/*").unwrap_or(entry);
            if entry.contains(['*', '$']) {
                return Err(self.decline(
                    DeclineCode::JavaClasspath,
                    format!("the classpath entry `{entry}` does not name one folder or jar"),
                ));
            }
            let path = self.state.resolve_path(entry).ok_or_else(|| {
                self.decline(
                    DeclineCode::UnknownVariable,
                    "the WORKDIR depends on a value not known statically",
                )
            })?;
            if path == "/" {
                return Err(self.decline(
                    DeclineCode::AppInRoot,
                    "a classpath entry is `/`, so what to copy cannot be told",
                ));
            }
            // A folder already copied brings the entries inside it (`app:app/lib/*`).
            if copies.iter().any(|(c, _)| covers(c, &path)) {
                continue;
            }
            copies.retain(|(c, _)| !covers(&path, c));
            copies.push((path.clone(), format!("the classpath entry {path}")));
        }
        let Some((first, _)) = copies.first() else {
            return Err(self.decline(DeclineCode::JavaClasspath, "the classpath is empty"));
        };
        let main = self.provenance(first).unwrap_or_else(|| {
            Provenance::Built(Artifact {
                path: first.clone(),
                kind: ArtifactKind::JarDir,
                tool: "COPY",
                why: format!("the classpath entry {first}"),
                instruction: self.model.stages.stages[self.stage].from,
                uses: SourceUses::default(),
            })
        });
        Ok(java_app(&version, main, copies))
    }
}

/// An application that the JVM of Java `version` runs: `main` (a jar, or the first
/// classpath entry), and what the new stage copies.
fn java_app<'t>(version: &str, main: Provenance<'t>, copies: Vec<(String, String)>) -> App<'t> {
    App {
        interpreter: Some(&Java as &dyn Ecosystem),
        launches: None,
        needs: Needs::Runtime {
            name: "java".into(),
            version: major(version),
        },
        main,
        copies,
        env: Vec::new(),
        built_on_debian: None,
        run_argv: None,
        program: None,
    }
}
