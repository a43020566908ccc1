//! buildah: builds without a daemon, as root or rootless. The storage flags are those of
//! `/work/shared/docs/E2E.md` when given (vfs driver, chroot isolation), so that dfslim can
//! build where overlay mounts are not allowed.

use super::{Engine, Invocation, Step, build_arguments};

/// buildah with optional global storage flags (`--storage-driver vfs --root …`).
#[derive(Clone, Debug, Default)]
pub struct Buildah {
    pub global: Vec<String>,
    /// `--isolation` for `bud` (`chroot` where namespaces are not available).
    pub isolation: Option<String>,
}

impl Buildah {
    fn command(&self, args: Vec<String>) -> Invocation {
        Invocation::new("buildah", self.global.iter().cloned().chain(args))
    }
}

impl Engine for Buildah {
    fn name(&self) -> &'static str {
        "buildah"
    }

    fn invocations(&self, step: &Step<'_>) -> Vec<Invocation> {
        vec![match step {
            Step::Build { .. } => {
                let mut args = vec!["bud".to_string(), "--pull=never".into()];
                if let Some(isolation) = &self.isolation {
                    args.push(format!("--isolation={isolation}"));
                }
                args.extend(build_arguments(step).unwrap_or_default());
                self.command(args)
            }
            Step::Inspect { image } => self.command(vec![
                "inspect".into(),
                "--type".into(),
                "image".into(),
                image.to_string(),
            ]),
            Step::Create { image } => self.command(vec![
                "from".into(),
                "--pull=never".into(),
                image.to_string(),
            ]),
            Step::Mount { container, .. } => {
                self.command(vec!["mount".into(), container.to_string()])
            }
            Step::Run { container, argv } => self.command(
                ["run", container, "--"]
                    .map(String::from)
                    .into_iter()
                    .chain(argv.iter().cloned())
                    .collect(),
            ),
            Step::Remove { container } => self.command(vec!["rm".into(), container.to_string()]),
            Step::RemoveImage { image } => self.command(vec!["rmi".into(), image.to_string()]),
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn command_lines() {
        let engine = Buildah {
            global: vec!["--storage-driver".into(), "vfs".into()],
            isolation: Some("chroot".into()),
        };
        let args = [("GO".to_string(), "1.24".to_string())];
        let build = engine.invocations(&Step::Build {
            dockerfile: Path::new("app/Dockerfile"),
            context: Path::new("app"),
            target: Some("build"),
            build_args: &args,
            tag: "localhost/dfslim-build:1",
        });
        assert_eq!(
            build[0].args.join(" "),
            "--storage-driver vfs bud --pull=never --isolation=chroot -f app/Dockerfile \
             -t localhost/dfslim-build:1 --target build --build-arg GO=1.24 app"
        );
        let mount = engine.invocations(&Step::Mount {
            container: "c1",
            into: Path::new("/unused"),
        });
        assert_eq!(mount[0].args, ["--storage-driver", "vfs", "mount", "c1"]);
        let argv = vec!["/app".to_string(), "--flag".to_string()];
        let run = engine.invocations(&Step::Run {
            container: "c1",
            argv: &argv,
        });
        assert_eq!(
            run[0].args,
            [
                "--storage-driver",
                "vfs",
                "run",
                "c1",
                "--",
                "/app",
                "--flag"
            ]
        );
        assert_eq!(
            engine.rootfs("/var/lib/containers/storage/vfs/dir/abc\n", Path::new("/x")),
            PathBuf::from("/var/lib/containers/storage/vfs/dir/abc")
        );
    }
}
