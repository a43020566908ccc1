//! Docker: `docker build`, then `docker create` + `docker export` unpacked into a temporary
//! folder (Docker cannot mount an image), `docker run --rm` to run its own command. Needs a
//! running daemon; its command lines are unit-tested, and CI runs them where one exists.

use std::path::Path;
use std::time::Duration;

use dfslim::image::ImageConfig;

use super::process::{Call, Undo, run_ok};
use super::{
    BuildRequest, Engine, EngineError, Inspected, Opened, Output, build_args, build_with,
    config_from_docker_inspect, container_name, run_limited, scratch_path,
};

pub struct Docker;

fn call<I: IntoIterator<Item = S>, S: Into<String>>(args: I) -> Call {
    Call::new("docker", args)
}

pub fn build_call(request: &BuildRequest, iidfile: &Path) -> Call {
    let mut args = vec!["build".to_string()];
    args.extend(build_args(request, iidfile));
    call(args)
}

pub fn create_call(image: &str) -> Call {
    call(["create", image])
}

pub fn export_call(container: &str, tar: &Path) -> Call {
    call(["export", "-o", &tar.display().to_string(), container])
}

/// The export is unpacked with the host's `tar`, without owners (dfslim only reads it).
pub fn unpack_call(tar: &Path, dir: &Path) -> Call {
    Call::new(
        "tar",
        [
            "-x",
            "--no-same-owner",
            "-f",
            &tar.display().to_string(),
            "-C",
            &dir.display().to_string(),
        ],
    )
}

pub fn remove_container_call(container: &str) -> Call {
    call(["rm", "--force", container])
}

pub fn inspect_call(image: &str) -> Call {
    call(["image", "inspect", image])
}

pub fn run_call(name: &str, image: &str) -> Call {
    call(["run", "--rm", "--pull=never", "--name", name, image])
}

pub fn remove_call(image: &str) -> Call {
    call(["rmi", image])
}

impl Engine for Docker {
    fn name(&self) -> &'static str {
        "docker"
    }

    fn build(&self, request: &BuildRequest) -> Result<String, EngineError> {
        let iidfile = scratch_path("iid");
        build_with(&build_call(request, &iidfile), &iidfile)
    }

    fn open(&self, image: &str) -> Result<Opened, EngineError> {
        let container = run_ok(&create_call(image))?;
        let undo = Undo::new(vec![remove_container_call(&container)]);
        let dir = scratch_path("rootfs");
        let tar = scratch_path("export.tar");
        let unexpected = |e: std::io::Error| EngineError::Unexpected {
            call: format!("mkdir {}", dir.display()),
            message: e.to_string(),
        };
        std::fs::create_dir_all(&dir).map_err(unexpected)?;
        let opened = Opened {
            root: dir.clone(),
            temp: Some(dir.clone()),
            _undo: undo,
        };
        let unpacked =
            run_ok(&export_call(&container, &tar)).and_then(|_| run_ok(&unpack_call(&tar, &dir)));
        let _ = std::fs::remove_file(&tar);
        unpacked?;
        Ok(opened)
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
        let _undo = Undo::new(vec![remove_container_call(&name)]);
        run_limited(&run_call(&name, image), limit)
    }

    fn remove(&self, image: &str) -> Result<(), EngineError> {
        run_ok(&remove_call(image)).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines() {
        let request = BuildRequest {
            dockerfile: Path::new("Dockerfile"),
            context: Path::new("ctx"),
            target: None,
            build_args: &[],
            tag: "localhost/dfslim/x:rewrite",
        };
        let lines = [
            build_call(&request, Path::new("/tmp/iid")),
            create_call("abc"),
            export_call("c1", Path::new("/tmp/x.tar")),
            unpack_call(Path::new("/tmp/x.tar"), Path::new("/tmp/root")),
            remove_container_call("c1"),
            inspect_call("abc"),
            run_call("dfslim-run-1", "abc"),
            remove_call("abc"),
        ]
        .map(|c| c.display());
        assert_eq!(
            lines,
            [
                "docker build -f Dockerfile --iidfile /tmp/iid -t localhost/dfslim/x:rewrite ctx",
                "docker create abc",
                "docker export -o /tmp/x.tar c1",
                "tar -x --no-same-owner -f /tmp/x.tar -C /tmp/root",
                "docker rm --force c1",
                "docker image inspect abc",
                "docker run --rm --pull=never --name dfslim-run-1 abc",
                "docker rmi abc",
            ]
        );
    }
}
