//! Java: Maven and Gradle builds, whose jars land in `target/` and `build/libs/`.

use crate::analysis::env::normalize_path;
use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::{ArtifactKind, SourceUses};
use super::build::RunReader;
use super::compiled::{Compiled, find_in_program, jdk_only, program_call};
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
            // Gradle's `:api:bootJar` runs the task in the project `api`.
            let a = a.rsplit(':').next().unwrap_or(a);
            matches!(
                a,
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
        let Some(projects) = jvm_projects(args, tool) else {
            return;
        };
        let first = self.build.artifacts.len();
        for project in projects {
            let path = normalize_path(&format!("{cwd}/{project}/{dir}"));
            self.push(
                path.clone(),
                ArtifactKind::JarDir,
                tool,
                format!("the jars `{tool}` builds in {path}"),
            );
        }
        let uses = self.java_uses(command);
        self.mark_uses(first, uses);
    }
}

/// The folders, below the build's working folder, of the projects whose jars a Maven or
/// Gradle run builds: `.` by default; Maven's `-pl api,worker` (`--projects`) and `-f
/// api/pom.xml` (`--file`); Gradle's `-p api` (`--project-dir`) and `:api:bootJar`.
/// `None` when a project is named in a way that gives no folder (`-pl :api`, an unknown
/// value): its jars' place is unknown, so nothing is said of them.
fn jvm_projects(args: &[Option<String>], tool: &str) -> Option<Vec<String>> {
    let mut projects = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_deref();
        i += 1;
        let Some(arg) = arg else { continue };
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with('-') => (n, Some(v)),
            _ => (arg, None),
        };
        let value = |i: &mut usize| -> Option<String> {
            match inline {
                Some(v) => Some(v.to_string()),
                None => {
                    *i += 1;
                    args.get(*i - 1).cloned().flatten()
                }
            }
        };
        match (tool, name) {
            ("mvn", "-pl" | "--projects") => {
                for project in value(&mut i)?.split(',') {
                    let project = project.trim();
                    if project.is_empty() || project.contains(':') || project.starts_with('!') {
                        return None;
                    }
                    projects.push(project.to_string());
                }
            }
            ("mvn", "-f" | "--file") | ("gradle", "-p" | "--project-dir") => {
                let path = value(&mut i)?;
                let folder = if path.ends_with(".xml") {
                    path.rsplit_once('/')
                        .map_or(".", |(dir, _)| dir)
                        .to_string()
                } else {
                    path
                };
                projects.push(folder);
            }
            ("gradle", task) if task.starts_with(':') && task.matches(':').count() > 1 => {
                let (project, _) = task.trim_start_matches(':').rsplit_once(':')?;
                projects.push(project.replace(':', "/"));
            }
            _ => {}
        }
    }
    if projects.is_empty() {
        projects.push(".".to_string());
    }
    Some(projects)
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
        let jar = jar_after(argv, jar_flag)
            .map_err(|why| self.decline(DeclineCode::NoAppCommand, why))?;
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
        let main = self.provenance(&path);
        // A jar no line of the build puts in the image (mounted at run time, as a Compose
        // volume may): there is nothing to copy, and a COPY of it would fail the build.
        if main.is_none() {
            self.check_brought(
                &path,
                &format!("`{path}`"),
                "copy the jar in with a COPY, or build it in a stage of this Dockerfile",
            )?;
        }
        let main = main.unwrap_or_else(|| {
            Provenance::Built(Artifact {
                path: path.clone(),
                kind: ArtifactKind::JarDir,
                tool: "COPY",
                why: format!("the jar {path}"),
                instruction: self.model.stages.stages[self.stage].from,
                uses: self.context_java_uses(),
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
    /// What the Java, Kotlin, Scala and Groovy sources of the whole build context do, for a
    /// jar whose build dfslim did not read (a prebuilt `target/app.jar`, sbt, a module it
    /// cannot place): they are the likeliest sources of that jar. Read past
    /// `.dockerignore`, since they compiled the jar wherever it was built.
    fn context_java_uses(&self) -> SourceUses {
        let Some(context) = self.context else {
            return SourceUses::default();
        };
        let read = |path: &str| context(path);
        let find = |test| {
            find_in_program(Compiled::Java, ".", &[], &read, test)
                .map(|(file, found)| (file.trim_start_matches("./").to_string(), found))
        };
        SourceUses {
            runs: find(program_call),
            needs_jdk: find(jdk_only),
            ..SourceUses::default()
        }
    }

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
        run_expanded: Vec::new(),
        program: None,
    }
}

/// The jar of `java … -jar …`: the launcher reads options up to its first other word, also
/// after `-jar` (`java -jar --enable-native-access=ALL-UNNAMED app.jar`), so the jar is the
/// first word after `-jar` that is no option (nor the value of one that takes the next
/// word, `-cp x`, `--add-opens x`). Not known when an option after `-jar` is one whose
/// value may be the next word.
fn jar_after(argv: &[String], jar_flag: usize) -> Result<&String, String> {
    const TAKES_VALUE: &[&str] = &[
        "-cp",
        "-classpath",
        "--class-path",
        "-p",
        "--module-path",
        "--upgrade-module-path",
        "--add-modules",
        "--limit-modules",
        "--add-opens",
        "--add-exports",
        "--add-reads",
        "--patch-module",
        "--enable-native-access",
    ];
    let mut words = argv.iter().skip(jar_flag + 1);
    while let Some(word) = words.next() {
        if !word.starts_with('-') {
            return Ok(word);
        }
        if TAKES_VALUE.contains(&word.as_str()) {
            words.next();
        } else if word.starts_with("--") && !word.contains('=') {
            // `--some-option value` or a flag: not known which.
            return Err(format!(
                "`{word}` after `-jar` may take the next word as its value, so which word is the jar is not known"
            ));
        }
    }
    Err("`java -jar` names no jar".to_string())
}

#[cfg(test)]
mod tests {
    use super::jvm_projects;

    fn args(words: &[&str]) -> Vec<Option<String>> {
        words.iter().map(|w| Some(w.to_string())).collect()
    }

    #[test]
    fn the_projects_a_build_names_are_its_output_folders() {
        let projects = |tool, words: &[&str]| jvm_projects(&args(words), tool);
        assert_eq!(projects("mvn", &["package"]), Some(vec![".".into()]));
        assert_eq!(
            projects("mvn", &["-pl", "api,worker", "-am", "package"]),
            Some(vec!["api".into(), "worker".into()])
        );
        assert_eq!(
            projects("mvn", &["--file=svc/pom.xml", "package"]),
            Some(vec!["svc".into()])
        );
        assert_eq!(
            projects("mvn", &["-f", "pom.xml", "package"]),
            Some(vec![".".into()])
        );
        // An artifact id gives no folder.
        assert_eq!(projects("mvn", &["-pl", ":api", "package"]), None);
        assert_eq!(
            projects("gradle", &[":api:bootJar"]),
            Some(vec!["api".into()])
        );
        assert_eq!(
            projects("gradle", &["-p", "services/api", "build"]),
            Some(vec!["services/api".into()])
        );
        let unknown = vec![Some("-pl".to_string()), None, Some("package".to_string())];
        assert_eq!(jvm_projects(&unknown, "mvn"), None);
    }
}
