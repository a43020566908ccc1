//! Java: Maven and Gradle builds, whose jars land in `target/` and `build/libs/`.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::RunReader;

/// Java.
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
            "mvn" | "mvnw" => reader.jvm(command, args, "mvn", "target"),
            "gradle" | "gradlew" => reader.jvm(command, args, "gradle", "build/libs"),
            _ => return false,
        }
        true
    }
}

impl<'t> RunReader<'_, 't> {
    fn jvm(
        &mut self,
        command: &ShellCommand,
        args: &[Option<String>],
        tool: &'static str,
        dir: &str,
    ) {
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
        self.push(
            path.clone(),
            ArtifactKind::JarDir,
            tool,
            format!("the jars `{tool}` builds in {path}"),
        );
    }
}
