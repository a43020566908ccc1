//! docker: a daemon owns the storage, so the root filesystem is exported as a tar stream
//! (`docker export`) and unpacked into a folder of dfslim's (`tar -x`), not mounted.

use std::path::{Path, PathBuf};

use super::{Engine, Invocation, Step, build_arguments};

pub struct Docker;

impl Engine for Docker {
    fn name(&self) -> &'static str {
        "docker"
    }

    fn invocations(&self, step: &Step<'_>) -> Vec<Invocation> {
        let s = |p: &Path| p.display().to_string();
        match step {
            Step::Build { .. } => vec![Invocation::new(
                "docker",
                std::iter::once("build".to_string())
                    .chain(build_arguments(step).unwrap_or_default()),
            )],
            Step::Inspect { image } => vec![Invocation::new("docker", ["image", "inspect", image])],
            Step::Create { image } => vec![Invocation::new("docker", ["create", image])],
            Step::Mount { container, into } => {
                let tar = into.with_extension("tar");
                vec![
                    Invocation::new("docker", ["export", "-o", &s(&tar), container]),
                    Invocation::new("tar", ["-x", "-f", &s(&tar), "-C", &s(into)]),
                ]
            }
            Step::Run { container, .. } => {
                vec![Invocation::new("docker", ["start", "--attach", container])]
            }
            Step::Remove { container } => {
                vec![Invocation::new("docker", ["rm", "--force", container])]
            }
            Step::RemoveImage { image } => vec![Invocation::new("docker", ["rmi", image])],
        }
    }

    fn rootfs(&self, _mount_stdout: &str, into: &Path) -> PathBuf {
        into.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::run_step;
    use crate::engine::tests::Recorder;

    #[test]
    fn the_filesystem_is_exported_and_unpacked() {
        let mut runner = Recorder {
            ran: Vec::new(),
            answers: Vec::new(),
        };
        let into = Path::new("/tmp/dfslim-root");
        run_step(
            &Docker,
            &mut runner,
            &Step::Mount {
                container: "c1",
                into,
            },
        )
        .unwrap();
        let lines: Vec<String> = runner
            .ran
            .iter()
            .map(|i| format!("{} {}", i.program, i.args.join(" ")))
            .collect();
        assert_eq!(
            lines,
            [
                "docker export -o /tmp/dfslim-root.tar c1",
                "tar -x -f /tmp/dfslim-root.tar -C /tmp/dfslim-root"
            ]
        );
        assert_eq!(Docker.rootfs("", into), into);
    }

    #[test]
    fn run_starts_the_created_container() {
        let argv = vec!["ignored".to_string()];
        let run = Docker.invocations(&Step::Run {
            container: "c1",
            argv: &argv,
        });
        assert_eq!(run[0].program, "docker");
        assert_eq!(run[0].args, ["start", "--attach", "c1"]);
    }
}
