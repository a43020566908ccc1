//! podman: the same storage as buildah, with a daemonless CLI of docker's shape.

use super::{Engine, Invocation, Step, build_arguments};

pub struct Podman;

impl Engine for Podman {
    fn name(&self) -> &'static str {
        "podman"
    }

    fn invocations(&self, step: &Step<'_>) -> Vec<Invocation> {
        vec![match step {
            Step::Build { .. } => Invocation::new(
                "podman",
                ["build", "--pull=never"]
                    .map(String::from)
                    .into_iter()
                    .chain(build_arguments(step).unwrap_or_default()),
            ),
            Step::Inspect { image } => Invocation::new("podman", ["image", "inspect", image]),
            Step::Create { image } => Invocation::new("podman", ["create", "--pull=never", image]),
            // `podman mount` needs root or `podman unshare`; dfslim runs it as it is.
            Step::Mount { container, .. } => Invocation::new("podman", ["mount", container]),
            Step::Run { container, .. } => {
                Invocation::new("podman", ["start", "--attach", container])
            }
            Step::Remove { container } => Invocation::new("podman", ["rm", "--force", container]),
            Step::RemoveImage { image } => Invocation::new("podman", ["rmi", image]),
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn command_lines() {
        let build = Podman.invocations(&Step::Build {
            dockerfile: Path::new("Dockerfile"),
            context: Path::new("."),
            target: None,
            build_args: &[],
            tag: "dfslim-build",
        });
        assert_eq!(build[0].program, "podman");
        assert_eq!(
            build[0].args,
            [
                "build",
                "--pull=never",
                "-f",
                "Dockerfile",
                "-t",
                "dfslim-build",
                "."
            ]
        );
        let create = Podman.invocations(&Step::Create {
            image: "dfslim-build",
        });
        assert_eq!(create[0].args, ["create", "--pull=never", "dfslim-build"]);
    }

    #[test]
    fn run_starts_the_created_container() {
        let argv = vec!["ignored".to_string()];
        let run = Podman.invocations(&Step::Run {
            container: "c1",
            argv: &argv,
        });
        assert_eq!(run[0].program, "podman");
        assert_eq!(run[0].args, ["start", "--attach", "c1"]);
    }
}
