//! podman: `podman build --layers`, `podman image mount` (root, or inside `podman unshare`)
//! to read an image's filesystem, `podman run --rm` to run its own command. Untested on
//! this project's machine for `run` (podman needs cgroups there); its command lines are
//! unit-tested, and CI runs them where podman works.

use std::time::Duration;

use dfslim::image::ImageConfig;

use super::process::{Call, Undo, run_ok};
use super::{
    BuildRequest, Engine, EngineError, Inspected, Opened, Output, build_args, build_with,
    config_from_docker_inspect, container_name, run_limited, scratch_path,
};

pub struct Podman;

fn call<I: IntoIterator<Item = S>, S: Into<String>>(args: I) -> Call {
    Call::new("podman", args)
}

pub fn build_call(request: &BuildRequest, iidfile: &std::path::Path) -> Call {
    let mut args = vec!["build".to_string(), "--layers".to_string()];
    args.extend(build_args(request, iidfile));
    call(args)
}

pub fn mount_call(image: &str) -> Call {
    call(["image", "mount", image])
}

pub fn unmount_call(image: &str) -> Call {
    call(["image", "unmount", image])
}

pub fn inspect_call(image: &str) -> Call {
    call(["image", "inspect", image])
}

pub fn run_call(name: &str, image: &str) -> Call {
    call(["run", "--rm", "--pull=never", "--name", name, image])
}

pub fn stop_call(name: &str) -> Call {
    call(["rm", "--force", "--ignore", name])
}

pub fn remove_call(image: &str) -> Call {
    call(["rmi", image])
}

impl Engine for Podman {
    fn name(&self) -> &'static str {
        "podman"
    }

    fn build(&self, request: &BuildRequest) -> Result<String, EngineError> {
        let iidfile = scratch_path("iid");
        build_with(&build_call(request, &iidfile), &iidfile)
    }

    fn open(&self, image: &str) -> Result<Opened, EngineError> {
        let undo = Undo::new(vec![unmount_call(image)]);
        let root = run_ok(&mount_call(image))?;
        Ok(Opened {
            root: root.into(),
            temp: None,
            _undo: undo,
        })
    }

    fn inspect(&self, image: &str) -> Result<Inspected, EngineError> {
        let call = inspect_call(image);
        let json = run_ok(&call)?;
        config_from_docker_inspect(&json).map_err(|message| EngineError::Unexpected {
            call: call.display(),
            message,
        })
    }

    fn run(&self, image: &str, _: &ImageConfig, limit: Duration) -> Result<Output, EngineError> {
        let name = container_name();
        let _undo = Undo::new(vec![stop_call(&name)]);
        run_limited(&run_call(&name, image), limit)
    }

    fn remove(&self, image: &str) -> Result<(), EngineError> {
        run_ok(&remove_call(image)).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn line(call: &Call) -> String {
        call.display()
    }

    #[test]
    fn command_lines() {
        let request = BuildRequest {
            dockerfile: Path::new("Dockerfile"),
            context: Path::new("."),
            target: Some("app"),
            build_args: &["A=1".to_string()],
            tag: "localhost/dfslim/x:original",
        };
        assert_eq!(
            line(&build_call(&request, Path::new("/tmp/iid"))),
            "podman build --layers -f Dockerfile --iidfile /tmp/iid -t localhost/dfslim/x:original --target app --build-arg A=1 ."
        );
        assert_eq!(line(&mount_call("abc")), "podman image mount abc");
        assert_eq!(line(&unmount_call("abc")), "podman image unmount abc");
        assert_eq!(line(&inspect_call("abc")), "podman image inspect abc");
        assert_eq!(
            line(&run_call("dfslim-run-1", "abc")),
            "podman run --rm --pull=never --name dfslim-run-1 abc"
        );
        assert_eq!(
            line(&stop_call("dfslim-run-1")),
            "podman rm --force --ignore dfslim-run-1"
        );
        assert_eq!(line(&remove_call("abc")), "podman rmi abc");
    }
}
