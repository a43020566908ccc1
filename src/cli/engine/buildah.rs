//! buildah: builds without a daemon (`buildah bud --layers`), opens an image with
//! `buildah from` + `buildah mount`, runs it with `buildah run` (which applies the image's
//! USER, WORKDIR and ENV but not its ENTRYPOINT and CMD, so they go on the command line).
//! Storage, isolation and registries come from buildah's own configuration and
//! environment (`CONTAINERS_STORAGE_CONF`, `BUILDAH_ISOLATION`, …).

use std::time::Duration;

use serde_json::Value;

use dfslim::image::ImageConfig;

use super::process::{Call, Undo, run_ok};
use super::{
    BuildRequest, Engine, EngineError, Inspected, Opened, Output, build_args, build_with,
    config_from, run_limited, scratch_path,
};

pub struct Buildah;

fn call<I: IntoIterator<Item = S>, S: Into<String>>(args: I) -> Call {
    Call::new("buildah", args)
}

pub fn build_call(request: &BuildRequest, iidfile: &std::path::Path) -> Call {
    let mut args = vec!["bud".to_string(), "--layers".to_string()];
    args.extend(build_args(request, iidfile));
    call(args)
}

pub fn from_call(image: &str) -> Call {
    call(["from", "--pull=never", image])
}

pub fn mount_call(container: &str) -> Call {
    call(["mount", container])
}

pub fn undo_calls(container: &str) -> Vec<Call> {
    vec![call(["umount", container]), call(["rm", container])]
}

pub fn inspect_call(image: &str) -> Call {
    call(["inspect", "--type", "image", image])
}

pub fn run_call(container: &str, argv: &[String]) -> Call {
    let mut args = vec!["run".to_string(), container.to_string(), "--".to_string()];
    args.extend(argv.iter().cloned());
    call(args)
}

pub fn remove_call(image: &str) -> Call {
    call(["rmi", image])
}

/// `buildah inspect --type image`: the OCI config, and the size as the sum of the
/// manifest's layers (uncompressed in local storage).
fn parse_inspect(json: &str) -> Result<Inspected, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let config = value
        .pointer("/OCIv1/config")
        .ok_or("the inspect output has no OCIv1.config")?;
    let size = value
        .get("Manifest")
        .and_then(Value::as_str)
        .and_then(|m| serde_json::from_str::<Value>(m).ok())
        .and_then(|m| {
            m.get("layers")?
                .as_array()?
                .iter()
                .map(|l| l.get("size").and_then(Value::as_u64))
                .sum::<Option<u64>>()
        });
    Ok(Inspected {
        config: config_from(config),
        size,
    })
}

impl Engine for Buildah {
    fn name(&self) -> &'static str {
        "buildah"
    }

    fn build(&self, request: &BuildRequest) -> Result<String, EngineError> {
        let iidfile = scratch_path("iid");
        build_with(&build_call(request, &iidfile), &iidfile)
    }

    fn open(&self, image: &str) -> Result<Opened, EngineError> {
        let container = run_ok(&from_call(image))?;
        let undo = Undo::new(undo_calls(&container));
        let root = run_ok(&mount_call(&container))?;
        Ok(Opened {
            root: root.into(),
            temp: None,
            _undo: undo,
        })
    }

    fn inspect(&self, image: &str) -> Result<Inspected, EngineError> {
        let call = inspect_call(image);
        let json = run_ok(&call)?;
        parse_inspect(&json).map_err(|message| EngineError::Unexpected {
            call: call.display(),
            message,
        })
    }

    fn run(
        &self,
        image: &str,
        config: &ImageConfig,
        limit: Duration,
    ) -> Result<Output, EngineError> {
        let container = run_ok(&from_call(image))?;
        let _undo = Undo::new(vec![call(["rm", container.as_str()])]);
        run_limited(&run_call(&container, &config.argv()), limit)
    }

    fn remove(&self, image: &str) -> Result<(), EngineError> {
        run_ok(&remove_call(image)).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn argv(call: &Call) -> Vec<&str> {
        std::iter::once(call.program.as_str())
            .chain(call.args.iter().map(String::as_str))
            .collect()
    }

    #[test]
    fn command_lines() {
        let request = BuildRequest {
            dockerfile: Path::new("/src/Dockerfile"),
            context: Path::new("/src"),
            target: None,
            build_args: &[],
            tag: "localhost/dfslim/app:original",
        };
        assert_eq!(
            argv(&build_call(&request, Path::new("/tmp/iid"))),
            [
                "buildah",
                "bud",
                "--layers",
                "-f",
                "/src/Dockerfile",
                "--iidfile",
                "/tmp/iid",
                "-t",
                "localhost/dfslim/app:original",
                "/src"
            ]
        );
        assert_eq!(
            argv(&from_call("abc")),
            ["buildah", "from", "--pull=never", "abc"]
        );
        assert_eq!(argv(&mount_call("c1")), ["buildah", "mount", "c1"]);
        let undo = undo_calls("c1");
        let undo: Vec<Vec<&str>> = undo.iter().map(argv).collect();
        assert_eq!(
            undo,
            [vec!["buildah", "umount", "c1"], vec!["buildah", "rm", "c1"]]
        );
        assert_eq!(
            argv(&inspect_call("abc")),
            ["buildah", "inspect", "--type", "image", "abc"]
        );
        assert_eq!(
            argv(&run_call("c1", &["/usr/bin/jq".into(), "-r".into()])),
            ["buildah", "run", "c1", "--", "/usr/bin/jq", "-r"]
        );
        assert_eq!(argv(&remove_call("abc")), ["buildah", "rmi", "abc"]);
    }

    #[test]
    fn reads_its_inspect_output() {
        let json = r#"{"OCIv1":{"config":{"Cmd":["jq"],"WorkingDir":"/data","Env":["PATH=/bin"],"User":"1000"}},
            "Manifest":"{\"layers\":[{\"size\":10},{\"size\":32}]}"}"#;
        let inspected = parse_inspect(json).unwrap();
        assert_eq!(inspected.size, Some(42));
        assert_eq!(inspected.config.cmd, ["jq"]);
        assert_eq!(inspected.config.workdir, "/data");
        assert_eq!(inspected.config.user, "1000");
        assert!(parse_inspect("{}").is_err());
    }
}
