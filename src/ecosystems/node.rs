//! Node.js: `npm`, `yarn` and `pnpm` installs, which make an application folder with its
//! `node_modules`.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::RunReader;

/// Node.js.
pub struct Node;

impl Ecosystem for Node {
    fn name(&self) -> &'static str {
        "node"
    }

    fn read_build(
        &self,
        reader: &mut RunReader<'_, '_>,
        command: &ShellCommand,
        program: &str,
        args: &[Option<String>],
    ) -> bool {
        match program {
            "npm" | "yarn" | "pnpm" => reader.node(command, program, args),
            _ => return false,
        }
        true
    }
}

impl<'t> RunReader<'_, 't> {
    fn node(&mut self, command: &ShellCommand, program: &str, args: &[Option<String>]) {
        let sub = args.first().and_then(|a| a.as_deref()).unwrap_or("install");
        let installs = matches!(sub, "ci" | "install" | "i")
            && !args.iter().skip(1).flatten().any(|a| !a.starts_with('-'));
        if !installs {
            return;
        }
        let Some(cwd) = self.cwd(command) else { return };
        self.push(
            cwd.clone(),
            ArtifactKind::NodeApp,
            "npm",
            format!("the application in {cwd} with the node_modules `{program} {sub}` installed"),
        );
    }
}
