//! .NET: `dotnet publish` and its output folder.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::RunReader;

/// .NET.
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
