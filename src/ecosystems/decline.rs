//! Why a rewrite cannot go ahead: a [`Decline`] names the blocker with a stable code, one
//! sentence, the instruction that causes it and what the user could do. The ecosystems
//! produce most of them (what an application needs is their knowledge); the rewrite
//! reports them in its plan.

use serde::Serialize;

use crate::syntax::Span;

/// Every reason a rewrite can decline. The kebab-case name ([`DeclineCode::name`]) is the
/// stable id users see and scripts match on (`code` in the JSON output): a name is never
/// changed or reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclineCode {
    AppInRoot,
    BadBase,
    BaseMismatch,
    DenoCache,
    ExtraLibraries,
    ImageEntrypointScript,
    InstalledProgram,
    JavaClasspath,
    Musl,
    NativeModules,
    NeedsRoot,
    NeedsTrace,
    NoAppCommand,
    NoCommand,
    NoStage,
    NoTarget,
    NodePath,
    NpmScript,
    OpaqueRun,
    PythonInstall,
    PythonVersion,
    Onbuild,
    RootHome,
    RunInRuntimeStage,
    RunsPrograms,
    ScratchNeedsStatic,
    ScratchRuntimeStage,
    ScriptEntrypoint,
    ShellCommand,
    ShellFormCommand,
    ShellImage,
    StageChain,
    UncopiedFiles,
    UnknownArtifact,
    UnknownBase,
    UnknownDistro,
    UnknownForcedBase,
    UnknownInterpreterPath,
    UnknownPlatform,
    UnknownVariable,
    UnknownVersion,
    Unverified,
    UserFolder,
}

impl DeclineCode {
    /// Every code, in the order of the documentation.
    pub const ALL: &'static [DeclineCode] = &[
        DeclineCode::AppInRoot,
        DeclineCode::BadBase,
        DeclineCode::BaseMismatch,
        DeclineCode::DenoCache,
        DeclineCode::ExtraLibraries,
        DeclineCode::ImageEntrypointScript,
        DeclineCode::InstalledProgram,
        DeclineCode::JavaClasspath,
        DeclineCode::Musl,
        DeclineCode::NativeModules,
        DeclineCode::NeedsRoot,
        DeclineCode::NeedsTrace,
        DeclineCode::NoAppCommand,
        DeclineCode::NoCommand,
        DeclineCode::NoStage,
        DeclineCode::NoTarget,
        DeclineCode::NodePath,
        DeclineCode::NpmScript,
        DeclineCode::OpaqueRun,
        DeclineCode::PythonInstall,
        DeclineCode::PythonVersion,
        DeclineCode::Onbuild,
        DeclineCode::RootHome,
        DeclineCode::RunInRuntimeStage,
        DeclineCode::RunsPrograms,
        DeclineCode::ScratchNeedsStatic,
        DeclineCode::ScratchRuntimeStage,
        DeclineCode::ScriptEntrypoint,
        DeclineCode::ShellCommand,
        DeclineCode::ShellFormCommand,
        DeclineCode::ShellImage,
        DeclineCode::StageChain,
        DeclineCode::UncopiedFiles,
        DeclineCode::UnknownArtifact,
        DeclineCode::UnknownBase,
        DeclineCode::UnknownDistro,
        DeclineCode::UnknownForcedBase,
        DeclineCode::UnknownInterpreterPath,
        DeclineCode::UnknownPlatform,
        DeclineCode::UnknownVariable,
        DeclineCode::UnknownVersion,
        DeclineCode::Unverified,
        DeclineCode::UserFolder,
    ];

    /// The stable kebab-case id.
    pub fn name(self) -> &'static str {
        match self {
            DeclineCode::AppInRoot => "app-in-root",
            DeclineCode::BadBase => "bad-base",
            DeclineCode::BaseMismatch => "base-mismatch",
            DeclineCode::DenoCache => "deno-cache",
            DeclineCode::ExtraLibraries => "extra-libraries",
            DeclineCode::ImageEntrypointScript => "image-entrypoint-script",
            DeclineCode::InstalledProgram => "installed-program",
            DeclineCode::JavaClasspath => "java-classpath",
            DeclineCode::Musl => "musl",
            DeclineCode::NativeModules => "native-modules",
            DeclineCode::NeedsRoot => "needs-root",
            DeclineCode::NeedsTrace => "needs-trace",
            DeclineCode::NoAppCommand => "no-app-command",
            DeclineCode::NoCommand => "no-command",
            DeclineCode::NoStage => "no-stage",
            DeclineCode::NoTarget => "no-target",
            DeclineCode::NodePath => "node-path",
            DeclineCode::NpmScript => "npm-script",
            DeclineCode::OpaqueRun => "opaque-run",
            DeclineCode::PythonInstall => "python-install",
            DeclineCode::PythonVersion => "python-version",
            DeclineCode::Onbuild => "onbuild",
            DeclineCode::RootHome => "root-home",
            DeclineCode::RunsPrograms => "runs-programs",
            DeclineCode::RunInRuntimeStage => "run-in-runtime-stage",
            DeclineCode::ScratchNeedsStatic => "scratch-needs-static",
            DeclineCode::ScratchRuntimeStage => "scratch-runtime-stage",
            DeclineCode::ScriptEntrypoint => "script-entrypoint",
            DeclineCode::ShellCommand => "shell-command",
            DeclineCode::ShellFormCommand => "shell-form-command",
            DeclineCode::ShellImage => "shell-image",
            DeclineCode::StageChain => "stage-chain",
            DeclineCode::UncopiedFiles => "uncopied-files",
            DeclineCode::UnknownArtifact => "unknown-artifact",
            DeclineCode::UnknownBase => "unknown-base",
            DeclineCode::UnknownDistro => "unknown-distro",
            DeclineCode::UnknownForcedBase => "unknown-forced-base",
            DeclineCode::UnknownInterpreterPath => "unknown-interpreter-path",
            DeclineCode::UnknownPlatform => "unknown-platform",
            DeclineCode::UnknownVariable => "unknown-variable",
            DeclineCode::UnknownVersion => "unknown-version",
            DeclineCode::Unverified => "unverified",
            DeclineCode::UserFolder => "user-folder",
        }
    }

    /// What the code means and what the user can do about it.
    pub fn doc(self) -> DeclineDoc {
        doc_of(self)
    }

    /// The code whose name is `name`.
    pub fn from_name(name: &str) -> Option<DeclineCode> {
        DeclineCode::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl std::fmt::Display for DeclineCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The JSON output keeps the string ids it always had.
impl Serialize for DeclineCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The documentation of a decline code, as a rule has its `doc`: `dfslim explain CODE`
/// prints it and `docs/declines.md` is generated from it.
#[derive(Clone, Copy, Debug)]
pub struct DeclineDoc {
    /// One line: what blocks the rewrite.
    pub summary: &'static str,
    /// Markdown: why dfslim cannot go ahead.
    pub explanation: &'static str,
    /// Markdown, a list: the changes to the Dockerfile (or the flags) that lead on.
    pub what_to_do: &'static str,
}

impl DeclineDoc {
    /// The first way out of [`DeclineDoc::what_to_do`] as one line, for a decline whose
    /// step gave no advice of its own.
    pub fn first_step(&self) -> String {
        let first = self.what_to_do.split("\n- ").next().unwrap_or_default();
        let line = first
            .trim_start_matches("- ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let line = line.trim_end_matches('.');
        let mut chars = line.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_lowercase().chain(chars).collect())
    }
}

// A match rather than a table: a new code does not compile until it is documented.
fn doc_of(code: DeclineCode) -> DeclineDoc {
    match code {
        DeclineCode::AppInRoot => DeclineDoc {
            summary: "The application's files live in `/`, mixed with the image's own",
            explanation: "\
The command runs a script (or installs dependencies) whose folder is `/`: with no WORKDIR,
`COPY . .` and `npm ci` put the application beside `/bin`, `/etc` and `/usr`. A new final
stage copies the application's folder, and copying `/` would copy the whole distro.
",
            what_to_do: "\
- Set a WORKDIR such as `/app` before copying the application and installing its
  dependencies (`WORKDIR /app`).
",
        },
        DeclineCode::BadBase => DeclineDoc {
            summary: "`--base` (or the config's `base:`) is not an image reference",
            explanation: "\
The image forced with `--base`, or with `base:` in `.dfslim.yaml`, does not parse as an
image reference (`registry/name:tag@digest`). This is a usage error: the run exits 2 and
says so, rather than declining the file.
",
            what_to_do: "\
- Fix the reference, e.g. `--base gcr.io/distroless/static-debian13:nonroot`.
- Leave out `--base` to let dfslim pick the image.
",
        },
        DeclineCode::BaseMismatch => DeclineDoc {
            summary: "The image forced with `--base` cannot run the application",
            explanation: "\
dfslim knows what the forced image holds (its libc, its runtime and version, its Debian
release) and it does not fit what the application needs: a musl image for a glibc binary, a
Node 22 image for an application built on Node 20, an image older than the build's glibc.
This is a usage error: the run exits 2 and says why.
",
            what_to_do: "\
- Leave out `--base`: dfslim picks an image that fits, or declines with the reason.
- Name an image that has what the message says is missing.
",
        },
        DeclineCode::DenoCache => DeclineDoc {
            summary: "`deno cache` (or `deno install`) fetched modules outside the application folder",
            explanation: "\
The build ran `deno cache`, `deno install` or a similar command, which fetches the
application's remote modules into DENO_DIR (`/deno-dir`), not into the application's folder.
A new final stage copies the application's folder only: the image would fetch the modules
again when it starts, or fail without a network.
",
            what_to_do: "\
- Vendor the dependencies into the application folder (`\"vendor\": true` in `deno.json`)
  and drop the `deno cache` RUN.
- Or keep the Debian image.
",
        },
        DeclineCode::ExtraLibraries => DeclineDoc {
            summary: "The program loads shared libraries the build installed, which no distroless image has",
            explanation: "\
The program (or a native addon) is dynamically linked, and the build installed a runtime
library package (`apt-get install libpq5`, `libssl3` …) or sets `LD_LIBRARY_PATH` /
`LD_PRELOAD`. The distroless images carry glibc and, for `cc`, libgcc and libstdc++, but not
those libraries, so the program would fail to start.

The same holds for what was built on a full image that carries the development files of
many libraries (`python:3.13`, `node:22`, `rust:1.85`, built on buildpack-deps: libpq,
libmysqlclient, liblzma, libxml2 …): pip, node-gyp or a `*-sys` crate may have linked one.
For Python packages and node_modules a slim final stage shows they run without them; a
native program may link any library of the image it ran on.
",
            what_to_do: "\
- Link the program statically (`CGO_ENABLED=0`, `-static`, a `*-musl` Rust target), so
  that it needs no library.
- Build on the image's `-slim` variant, which has no such files.
- Or run `dfslim rewrite --build`, which reads what the program loads from the built image.
- Or keep a final image that installs the library.
",
        },
        DeclineCode::ImageEntrypointScript => DeclineDoc {
            summary: "The image starts through its own entrypoint script, which needs a shell",
            explanation: "\
The final image's preset ENTRYPOINT is a shell script (nginx's, redis's, php's, Temurin's
certificate importer when it is switched on) that does work before the program starts.
Without a shell that work is lost, and the program does not start as the image intends.
Temurin's is switched on by `USE_SYSTEM_CA_CERTS`, from the stage's ENV or from where the
container gets its environment (a Compose file, a Kubernetes manifest, an env file).
",
            what_to_do: "\
- Servers such as nginx, httpd or redis have no distroless image: keep the official one.
- For Temurin: leave `USE_SYSTEM_CA_CERTS` unset, and the script is a pass-through.
",
        },
        DeclineCode::InstalledProgram => DeclineDoc {
            summary: "The final stage installs a program the application may run",
            explanation: "\
The final stage installs a package with a program (`git`, `gpg`, `file`, `node`, `ssh`,
`curl`) that no later build step runs, so it was installed for the application, which
may run it (GitPython runs `git`, python-gnupg runs `gpg`, a subprocess calls `node`).
The new image would not have it, and the application would fail when it calls it.
",
            what_to_do: "\
- If only the build used it, use it in a build stage (or in the RUN that installs it).
- If the application runs it, keep a final image that has it, or write the final stage
  by hand.
",
        },
        DeclineCode::JavaClasspath => DeclineDoc {
            summary: "The command runs `java` without `-jar`, so its classpath is unknown",
            explanation: "\
`java -cp …` or `java Main` takes its classes from a classpath that dfslim cannot
enumerate; the new stage would not know which jars and folders to copy.
",
            what_to_do: "\
- Package the application as an executable jar (`mvn package`, the Spring Boot or shadow
  plugin) and run it with `CMD [\"java\", \"-jar\", \"/app/app.jar\"]`.
",
        },
        DeclineCode::Musl => DeclineDoc {
            summary: "The application was built on, or linked against, musl (Alpine); no distroless image has musl",
            explanation: "\
The program is dynamically linked against musl, or the application's packages
(node_modules, Python wheels, a .NET publish) were installed on an Alpine image and may hold
native code built for musl. Every distroless target is glibc-based, where that code does
not load. Python or Node packages whose stages run only package installers and file
commands are moved to the Debian tag of the same version by dfslim itself (a
`libc-change` warning); this decline's help names what kept them on Alpine.
",
            what_to_do: "\
- Build on a Debian-based image (`golang:1.24-bookworm`, `node:22-bookworm-slim`,
  `python:3.13-slim-bookworm`).
- Or link statically (`CGO_ENABLED=0`, `-static`, a `*-musl` Rust target with static CRT)
  and end on distroless `static`.
",
        },
        DeclineCode::NativeModules => DeclineDoc {
            summary: "The Bun application's packages may hold native addons",
            explanation: "\
`bun install` installed packages that may build native addons against the build image's
glibc, and which Debian release the Bun distroless image is built on is not recorded, so
whether they would load is unknown.
",
            what_to_do: "\
- Bundle the application with `bun build --compile` and run the binary from a distroless
  `cc` image.
- Or keep the Debian image.
",
        },
        DeclineCode::NeedsRoot => DeclineDoc {
            summary: "The application runs as root and needs it (a port below 1024, a volume)",
            explanation: "\
The rewrite runs the application as a non-root user (the distroless `nonroot` tags). The
final stage runs as root and either listens on a port below 1024, which a non-root user
cannot bind, or declares a VOLUME, which the engine creates owned by root. A port counts
when an EXPOSE, the command (`--port 80`, `-b :80`, `--urls http://+:80`, `runserver
0.0.0.0:80`, a listen address such as `:53`) or the environment (`PORT=80`,
`ASPNETCORE_HTTP_PORTS=80`, `LISTEN_ADDR=0.0.0.0:443`) names it; not an `EXPOSE 80` left
from .NET 6 on an ASP.NET Core 8 image, which listens on 8080, when nothing in the build
context, its Compose files or manifests names another endpoint. Also when a Compose
service that builds this Dockerfile mounts a host socket (`/var/run/docker.sock`), which
only root and the socket's group may use, or a named volume, which the engine makes owned
by root as it does a VOLUME (`VOLUME /tmp` is fine: the engine copies /tmp's mode 1777);
and when a script's or README's `docker run` of the image mounts a folder writable (`-v
$(PWD)/data:/app/data`, `--mount` without `readonly`).
The application's own code counts too: a server started on such a port
(`http.ListenAndServe(\":80\")`, `app.listen(80)`), a file or database it writes outside
the folders the new image gives its user (`os.makedirs(\"/data\")`, `sql.Open(\"sqlite3\",
\"/var/lib/app.db\")`, a log file in `/var/log`), or a folder it makes with a mode only root
may enter (`os.Mkdir(dir, 0666)`); so do its settings: a Spring profile's `server.port`
(any profile's file, since a profile can be made active from outside), a `SERVER_PORT` or
`-Dserver.port=80` in a deploy file, a Kubernetes pod's `containerPort` or arguments in
the context's manifests and Helm charts (a template read with its chart's values:
`--secure-port={{ default 443 .Values.port }}`), a library that binds one itself
(cert-manager's `RunWebhookServer`, on 443), an `appsettings.json` place to keep data (`\"Data\":
{\"Path\": \"/data\"}`), and code that reads where Railway mounted its volume
(`RAILWAY_VOLUME_MOUNT_PATH`), which the platform makes owned by root. So does what only root's processes may use:
a device (a serial port library, `-device /dev/ttyS0`, Compose's `devices:`), the Docker
engine's socket (`client.FromEnv`, `docker.from_env()`, dockerode), a raw socket
(`ip4:icmp`, `SOCK_RAW`), Compose's `privileged: true`. Writes among the
application's own files are not a reason: the rewrite copies those owned by the new user. A GitHub Docker action (an
`action.yml` whose `runs:` builds this Dockerfile) needs root too: GitHub mounts the
runner's workspace and command files (`GITHUB_OUTPUT`) into its container, and asks such
actions not to set `USER`.
",
            what_to_do: "\
- Make the application listen on a port from 1024 up and EXPOSE that one.
- Create the folder in the build stage owned by a non-root user, and add `USER` to the
  original stage first.
",
        },
        DeclineCode::NeedsTrace => DeclineDoc {
            summary: "The built image runs a script or a language runtime, which loads its code at run time",
            explanation: "\
`rewrite --build` found the program the image runs, and it is a script (`#!/usr/bin/perl`)
or a language runtime (`python3.13`, `ruby`, `php`) that the catalogue has no static rule
for. Its ELF closure says nothing of the modules, scripts and data it reads when it runs,
so a final stage built from the closure would lack them. No input produces it without
`--build`: static mode never reads a built image.
",
            what_to_do: "\
- Run the application through a runtime dfslim knows statically (`CMD [\"python\",
  \"app.py\"]` on a python image), so that the runtime's distroless image carries it.
- Or keep the final image, and list what it reads by hand.
",
        },
        DeclineCode::NoAppCommand => DeclineDoc {
            summary: "The command starts an interpreter or runtime with no application",
            explanation: "\
The command runs `node`, `python`, `bun`, `deno` or `dotnet` without a script, module,
jar or dll (an interactive interpreter), or in a way dfslim cannot read as an application
(`deno` without `run`).
",
            what_to_do: "\
- Name the entry point in exec form: `CMD [\"node\", \"server.js\"]`,
  `CMD [\"python\", \"-m\", \"app\"]`, `CMD [\"dotnet\", \"App.dll\"]`,
  `CMD [\"run\", \"--allow-net\", \"main.ts\"]`.
",
        },
        DeclineCode::NoCommand => DeclineDoc {
            summary: "The final stage runs no command",
            explanation: "\
The final stage sets no ENTRYPOINT or CMD (and its image presets none), so what the
image runs is unknown. Images without a command are usually base images meant to be built
on, which dfslim leaves alone.
",
            what_to_do: "\
- If the image runs an application, say which: `ENTRYPOINT [\"/app/server\"]`.
",
        },
        DeclineCode::NoStage => DeclineDoc {
            summary: "The file has no stage to rewrite",
            explanation: "\
The file has no FROM, or its final FROM names no image. BuildKit refuses both, and so
does dfslim's parser (exit 2) before a plan is made. No command-line input produces it: the
code is kept for a model built another way (the library's API).
",
            what_to_do: "\
- Add a `FROM image` line.
",
        },
        DeclineCode::NoTarget => DeclineDoc {
            summary: "No target image carries what the application needs",
            explanation: "\
The application needs a runtime (Node 20, Python 3.12, a .NET version) or a libc for
which the chosen family (`--target-family`, distroless by default) has no image, or the
images it has lack something the application used (ICU and time zone data for .NET). The
message names what is missing; the help names images that exist.
",
            what_to_do: "\
- Move the application to a version that has an image: the help lists them and names the
  FROM, e.g. `FROM node:22-bookworm-slim` for Node 20. (`--base` does not help: an image
  of another version is refused as `base-mismatch`.)
- Or pass `--allow-version-change`: the rewrite moves the runtime's tags to that version
  itself, and warns.
- Or try another family: `--target-family chainguard`.
",
        },
        DeclineCode::NodePath => DeclineDoc {
            summary: "`NODE_PATH` makes node load modules from outside the application",
            explanation: "\
The final stage sets `NODE_PATH`, so node also loads modules from the folders it names.
A new final stage copies the application's folder only, and would not have them.
",
            what_to_do: "\
- Install the modules in the application's folder (`npm ci` in WORKDIR) and drop
  `NODE_PATH`.
",
        },
        DeclineCode::NpmScript => DeclineDoc {
            summary: "The command runs a package-manager script, not the application",
            explanation: "\
`npm start`, `npm run NAME`, `yarn start` or `bun run NAME` runs a script of
package.json through a shell, and a distroless image has neither the package manager nor
the shell. For `npm start`, dfslim reads the script from package.json in the build context
when it can; this code says it could not, or that the script does not run node directly.
",
            what_to_do: "\
- Run the application with node directly: `CMD [\"node\", \"server.js\"]` (or
  `CMD [\"bun\", \"run\", \"index.ts\"]`).
- For `npm start`: pass `--context DIR` so that dfslim can read package.json.
",
        },
        DeclineCode::OpaqueRun => DeclineDoc {
            summary: "A RUN of the final stage cannot be read, so what it installs is unknown",
            explanation: "\
A Python application's final stage has a RUN whose shell text dfslim cannot read
statically (a construct brush-parser cannot parse, or a command built from variables), so
what it writes, and what the new image would lack, is unknown.
",
            what_to_do: "\
- Move that RUN to a build stage and copy what it makes, or write it as plain commands
  (`pip install -r requirements.txt`).
",
        },
        DeclineCode::PythonInstall => DeclineDoc {
            summary: "Python packages are installed where dfslim cannot tell",
            explanation: "\
A RUN installs Python packages (`poetry install`, `pipenv install`, `pip install --user`,
a `.pth` file …) into a place dfslim cannot tell, so the new final stage might lack them.
",
            what_to_do: "\
- Install with `pip install` into a virtual environment (`python -m venv /opt/venv`, then
  `/opt/venv/bin/pip install …`) or with `pip install --target DIR`.
- With Poetry: `poetry export` to a requirements file and `pip install -r` it into a venv.
",
        },
        DeclineCode::PythonVersion => DeclineDoc {
            summary: "Python packages were made by a stage whose Python version differs",
            explanation: "\
A venv or site-packages copied from another stage was made by a Python that is not known
to be the version of the image that runs it. Compiled extensions and the venv's
interpreter link are tied to the version.
",
            what_to_do: "\
- Build the packages on the same Python version as the final image
  (`FROM python:3.13-slim-bookworm` in both stages).
",
        },
        DeclineCode::Onbuild => DeclineDoc {
            summary: "The image is a base for other builds: its ONBUILD triggers run in them",
            explanation: "\
An `ONBUILD` instruction runs in every build `FROM` this image, not in this one. The
rewritten image has no shell, so a triggered `RUN` would fail in those builds, and a new
final stage would drop the triggers altogether: either way the builds that use this image
as their base change.
",
            what_to_do: "\
- Keep the base image for the builds that use it, and rewrite the Dockerfiles of those
  builds instead.
- Or move the triggers' work into those Dockerfiles and remove `ONBUILD`.
",
        },
        DeclineCode::RootHome => DeclineDoc {
            summary: "The application lives or runs in `/root`, which a non-root user cannot enter",
            explanation: "\
The new image runs as a non-root user, and `/root` is mode 0700: an application copied
there, or a WORKDIR there, would not start. A runtime stage whose one `WORKDIR /root/`
holds everything it copies there is moved to `/app` by dfslim itself (warning
`workdir-moved`); this decline means something may find the application through the home
folder, and the help says what: `/root` or `~/` named in the stage, its Compose files or
manifests, or a file of the build context; a call that asks for the home
(`os.UserHomeDir()`, `Path.home()`, `os.homedir()`); a dotfile copied there; or no source
of the application in the context to read.
",
            what_to_do: "\
- Put the application in a folder of its own, such as `/app` (`WORKDIR /app`).
- Or take out what the help names, so that the move to `/app` can be checked.
",
        },
        DeclineCode::RunsPrograms => DeclineDoc {
            summary: "The application's code runs programs or a shell, which the new image lacks",
            explanation: "\
The application's entry file, or a local module it loads (both read from the build
context), runs other programs: Node's `child_process` (`exec` always goes through
`/bin/sh`), `execa`, `shelljs`, zx, simple-git, check-disk-space, or gm and imagemagick
(ImageMagick's `convert`, which the full `node` images carry); Python's `subprocess`,
`os.system`, `os.popen`, `shutil.which`, `sh`, plumbum or pdf2image. The original image had a shell
and the distro's programs; a distroless image has neither, so the call would fail where
it worked before. Local imports are followed (`from backup import …`, `require('./lib/x')`);
installed packages are not read. A Go tool fetched at build time (`go install
gotest.tools/gotestsum@v1.12.0`) and kept on the golang image counts too: its code cannot
be read, and a tool kept beside `go` is there to run it; so does code that loads packages
with golang.org/x/tools (`go list`).
The same holds for the files that run things in the container from outside: a Compose
service that builds this Dockerfile (`compose.yaml` in the context or the two folders above)
with a healthcheck that runs a shell or another program, or its own `command`/`entrypoint`;
a Kubernetes manifest in the context with an exec probe or hook, or a `command` (a
Helm chart's templates and `values.yaml` too, and the per-environment values kept beside
the chart; Kustomize overlays' patches, strategic-merge or JSON 6902); Skaffold's
development loop (`sync` uses `tar`, container hooks); Tilt's `live_update`; a Makefile,
justfile, shell script, `package.json` script, CI workflow or README whose `docker run` starts the
image built here with its own command (`sh -c …`) or `--entrypoint`, whose `docker compose
run`/`exec` does so in a service that builds it, or whose `docker exec` runs a program in
its container (named by `--name` or Compose's `container_name`); and a CI job that runs
its script inside the image its pipeline builds (GitLab's `image: $CI_REGISTRY_IMAGE`
after `docker build -t $CI_REGISTRY_IMAGE`, a GitHub job's `container:`), since the
runner starts that script with a shell. So does a comment on the final stage, or just
above its FROM, that names the shell (`# busybox, not scratch: it has a shell to debug
with`): the image was chosen for it.
",
            what_to_do: "\
- Do the work in the application's own language, or copy the program it runs into the
  image from a build stage that shows how it was built.
- Or keep a full image for this application.
",
        },
        DeclineCode::RunInRuntimeStage => DeclineDoc {
            summary: "A RUN in the runtime stage cannot be done without a shell",
            explanation: "\
The final stage is a runtime stage that keeps its lines and gets a slim base, so its RUNs
must go. dfslim drops those it can express another way (`chmod` as `COPY --chmod`,
`chown` as `COPY --chown`, package installs the target already has); this one it cannot.
",
            what_to_do: "\
- Move the RUN to a build stage and copy its result.
- Or write the final stage by hand.
",
        },
        DeclineCode::ScratchNeedsStatic => DeclineDoc {
            summary: "`scratch` can only run a static binary",
            explanation: "\
`--target-family scratch` was asked for, and the application needs glibc, a C++ runtime
or an interpreter, which `scratch` does not have.
",
            what_to_do: "\
- Use `--target-family distroless` (the default).
- Or link the program statically.
",
        },
        DeclineCode::ScratchRuntimeStage => DeclineDoc {
            summary: "A runtime stage cannot be moved onto `scratch`",
            explanation: "\
`scratch` provides nothing: the CA certificates, time zone data and users the runtime
stage had would have to be copied from a build stage, and this stage keeps its lines rather
than being rebuilt from one.
",
            what_to_do: "\
- Use `--target-family distroless`, whose `static` image has them.
",
        },
        DeclineCode::ScriptEntrypoint => DeclineDoc {
            summary: "The command runs a shell script",
            explanation: "\
The ENTRYPOINT or CMD runs a `.sh` file, which needs a shell that a distroless image does
not have.
",
            what_to_do: "\
- Move what the script does into the build, then run the program directly in exec form
  (`ENTRYPOINT [\"/app/server\"]`).
",
        },
        DeclineCode::ShellCommand => DeclineDoc {
            summary: "The command runs a shell (or inline code)",
            explanation: "\
The ENTRYPOINT or CMD starts `sh`, `bash` or similar (`[\"sh\", \"-c\", \"…\"]`), or runs
inline Python code (`python -c`). A distroless image has no shell, and what inline code
needs cannot be told. Also a HEALTHCHECK that needs a shell or a program the target lacks,
which the rewrite would drop, when something waits on it: a Compose `service_healthy`
condition, a restart watcher (autoheal), or a script or CI step that reads the container's
health (`docker inspect -f '{{.State.Health.Status}}'`, `docker compose up --wait`).
",
            what_to_do: "\
- Run the application directly in exec form: `ENTRYPOINT [\"/app/server\"]`.
",
        },
        DeclineCode::ShellFormCommand => DeclineDoc {
            summary: "A shell-form ENTRYPOINT or CMD cannot run without a shell",
            explanation: "\
Shell form (`CMD ./server --port $PORT`) runs through `/bin/sh -c`. dfslim converts it to
exec form when the text is a plain command with known variables; this one uses shell
features (pipes, `&&`, redirections, unknown variables), or is a shell-form CMD after an
exec-form ENTRYPOINT, which passes `/bin/sh -c …` to the program as arguments.
",
            what_to_do: "\
- Write the command in exec form: `CMD [\"/app/server\", \"--port\", \"8080\"]`.
",
        },
        DeclineCode::ShellImage => DeclineDoc {
            summary: "The image without its shell cannot run the application",
            explanation: "\
The final image is a distroless `:debug` tag or a Chainguard `-dev` tag, which add a shell
to an otherwise distroless image. dfslim moves such a stage to the same image without the
shell (`:debug-nonroot` to `:nonroot`, `latest-dev` to `latest`), and that image cannot run
what the stage copies in: a binary linked against a libc the image does not have, or a
runtime it does not carry. Then the original image could not run it either, unless the
program needed something busybox or apk brought.
",
            what_to_do: "\
- Build the program for the image (`CGO_ENABLED=0` for `static`), or pick the image
  that carries what it needs with `--base`.
",
        },
        DeclineCode::StageChain => DeclineDoc {
            summary: "The runtime stage is built on another stage",
            explanation: "\
The final stage is `FROM` another stage of the file, whose files, packages and users a
new base would drop.
",
            what_to_do: "\
- Write the runtime stage `FROM` the image directly, and copy what it needs from the
  other stage with `COPY --from`.
",
        },
        DeclineCode::UserFolder => DeclineDoc {
            summary: "The image's user was given a folder, or a home, the new image would not give it",
            explanation: "\
The original gave the user the application runs as a place to write that the new image
would not:
- the final stage keeps a user (`USER 1001`, `USER nobody`) and gave it the application's
  folder (`chown -R app /app`, `chmod -R 777 /app`), so the application may create files
  there (a celery beat schedule, a SQLite database, uploads). The new stage's `WORKDIR`
  would make that folder as another user, and `COPY` does not change the owner of a
  folder that exists;
- a numeric `USER 10001` is a user that `useradd -m`/`adduser` made with a home (or
  node's `node`, 1000): the target's passwd has no such uid, so the application would run
  with `HOME=/`, which it cannot write, and no user name;
- a named user the new image replaces by `nonroot` had files put in its home for `$HOME`
  to find (`~/.ssh/known_hosts`, `~/.config/app`), or `ENV HOME` names that home: the new
  user's home is `/home/nonroot`;
- the program looks a user or group up by name (Go's `user.Lookup(\"www-data\")`): the
  target's passwd and group hold only `root`, `nonroot` and `nobody`.
",
            what_to_do: "\
- Run as the target's own non-root user (`nonroot`, 65532), and let dfslim hand it the
  folder.
- Put files the application reads where it finds them without `$HOME`.
- Or write the final stage by hand: copy the folder with `COPY --chown` before any
  `WORKDIR` names it.
",
        },
        DeclineCode::UncopiedFiles => DeclineDoc {
            summary: "The final stage puts files outside the application's folder",
            explanation: "\
A COPY or RUN of the final stage writes files (configuration, data) outside the folders
the new final stage copies, so the rewritten image would not have them.
",
            what_to_do: "\
- Move those files under the application's folder (and point the application at them).
- Or write the final stage by hand.
",
        },
        DeclineCode::UnknownArtifact => DeclineDoc {
            summary: "What the command runs was not built by this Dockerfile",
            explanation: "\
dfslim follows the program back to the build step that made it (go build, cargo build,
gcc, dotnet publish …) to learn how it links. No build step of this file is known to make
it: it comes from the build context, a download, a package, or a path built from a
variable. Also for a program installed by `make install` into `/` or `/usr`, and for a
`deno run` of a remote or non-source file.
",
            what_to_do: "\
- Let dfslim read it from the built image: `dfslim rewrite --build` builds the Dockerfile
  with buildah, podman or docker and copies the program and its libraries.
- Build the program in this Dockerfile (`go build -o /out/app`), and copy it with
  `COPY --from=build`.
- Install into a prefix of its own: `make install PREFIX=/opt/NAME`.
- Or write the final stage by hand.
",
        },
        DeclineCode::UnknownBase => DeclineDoc {
            summary: "An image of the file is not in the catalogue",
            explanation: "\
The final (or build) stage's image is not in dfslim's image catalogue, or cannot be
resolved statically (a FROM built from an ARG without a default), so what it holds (its
distro, libc, runtime) is unknown.
",
            what_to_do: "\
- Use an image the catalogue knows (`dfslim check` reports the final image's level).
- Give the ARG a default, or pass the build argument's value through the config.
- Or describe the image in a catalogue file named by the config key `catalogue:`.
",
        },
        DeclineCode::UnknownDistro => DeclineDoc {
            summary: "The build image's distro release is not known from its tag",
            explanation: "\
Native code (a C, Go or Rust binary, a Python or Node addon) needs a glibc no newer than
the target's, so dfslim compares the build image's Debian release with the target's. A
plain tag (`node:20-slim`, `golang:1.22`, `rust:1.80`) follows the image's default release,
which moves: for every version it still built, docker-library moved it from bookworm
(Debian 12) to trixie (Debian 13) in August 2025. Where the catalogue records an image's
history (golang, rust, node, python …), a plain tag takes the newest release that version's
tag has meant; an image without that history, or a distro whose glibc dfslim cannot
compare (Alpine with gcompat, Fedora …), declines. The help names the tags that say it
(`node:20-bookworm-slim`, `node:20-trixie-slim`).
",
            what_to_do: "\
- Name the release in the tag: `FROM node:20-bookworm-slim` (Debian 12) or
  `FROM node:22-trixie-slim` (Debian 13).
- Build on Debian or Ubuntu.
",
        },
        DeclineCode::UnknownForcedBase => DeclineDoc {
            summary: "The image forced with `--base` is not in the catalogue",
            explanation: "\
dfslim does not know what the forced image holds, so whether it can run the application
is unknown. This is a usage error: the run exits 2.
",
            what_to_do: "\
- Leave out `--base` to let dfslim pick an image.
- Or describe the image in a catalogue file named by the config key `catalogue:`.
",
        },
        DeclineCode::UnknownInterpreterPath => DeclineDoc {
            summary: "The target image does not say where its interpreter is",
            explanation: "\
The target image's preset ENTRYPOINT does not start the application's interpreter, so
the new command cannot name it. Every target in the built-in catalogue starts its
interpreter; this happens with a target described by a catalogue file of your own.
",
            what_to_do: "\
- In your catalogue file, give the target an `entrypoint:` that starts the interpreter
  (`[/nodejs/bin/node]`).
",
        },
        DeclineCode::UnknownPlatform => DeclineDoc {
            summary: "The final stage's `--platform` is not known statically",
            explanation: "\
The final FROM has `--platform=$VAR` with a variable other than BuildKit's automatic
`BUILDPLATFORM`/`TARGETPLATFORM`, so which image the new FROM should pin is unknown.
",
            what_to_do: "\
- Use `--platform=$TARGETPLATFORM`, a literal platform (`linux/amd64`), or drop the flag.
",
        },
        DeclineCode::UnknownVariable => DeclineDoc {
            summary: "A value the rewrite needs depends on a variable not known statically",
            explanation: "\
The WORKDIR, a carried LABEL/ENV, or a build argument's default uses a variable with no
known value (an ARG without a default, an ENV set from another unknown), so the new final
stage cannot be written with the same meaning.
",
            what_to_do: "\
- Give the ARG a default (`ARG APP_DIR=/app`), or write the value literally.
",
        },
        DeclineCode::UnknownVersion => DeclineDoc {
            summary: "The runtime's version is not known from the image tag",
            explanation: "\
An interpreted application needs a target with the same runtime version (Node, Python,
Java, .NET, Bun, Deno). The image tag does not name it (`node:latest`, `python:slim`).
",
            what_to_do: "\
- Use a tag that names the version: `node:22-bookworm-slim`, `python:3.13-slim-bookworm`,
  `oven/bun:1`, `denoland/deno:2.1.4`.
",
        },
        DeclineCode::Unverified => DeclineDoc {
            summary: "The rewrite failed dfslim's own check and was withdrawn",
            explanation: "\
After planning, dfslim parses the rewritten file and runs its rules on it; a result that
does not parse or still gets a warning is withdrawn. This means a bug in dfslim: the plan
should have declined earlier. No known input produces it.
",
            what_to_do: "\
- Please report the Dockerfile. Meanwhile, write the final stage by hand.
",
        },
    }
}

/// Why a rewrite was declined, anchored to the instruction that blocks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decline {
    /// A short, stable id (`script-entrypoint`, `no-target`, …).
    pub code: DeclineCode,
    /// One sentence saying why.
    pub message: String,
    /// The instruction that causes the decline (its FROM, RUN, COPY…); `None` only when
    /// the cause is a flag (`--base`) or dfslim itself, not a line of the file.
    #[serde(skip)]
    pub span: Option<Span>,
    /// Other places that take part, each with a label: the COPY that brings a musl binary
    /// built elsewhere, the command that runs it.
    #[serde(skip)]
    pub related: Vec<(Span, String)>,
    /// What the user could do.
    pub help: Option<String>,
}

impl Decline {
    /// Whether the decline is about the image forced with `--base` (or the config's
    /// `base`): the user asked for something that cannot work, which the CLI reports as
    /// a usage error rather than as a decline.
    pub fn is_about_forced_base(&self) -> bool {
        matches!(
            self.code,
            DeclineCode::BadBase | DeclineCode::UnknownForcedBase | DeclineCode::BaseMismatch
        )
    }

    pub fn new(code: DeclineCode, message: impl Into<String>) -> Decline {
        Decline {
            code,
            message: message.into(),
            span: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn at(mut self, span: Span) -> Decline {
        self.span = Some(span);
        self
    }

    /// Anchor the decline at `span` unless it already is.
    pub fn or_at(mut self, span: Span) -> Decline {
        self.span.get_or_insert(span);
        self
    }

    /// A second place, with what it has to do with the decline.
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Decline {
        self.related.push((span, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Decline {
        self.help = Some(help.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::DeclineCode;

    #[test]
    fn names_are_unique_and_round_trip() {
        for code in DeclineCode::ALL {
            assert_eq!(DeclineCode::from_name(code.name()), Some(*code));
        }
        let mut names: Vec<_> = DeclineCode::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DeclineCode::ALL.len());
    }

    #[test]
    fn every_code_is_documented() {
        for code in DeclineCode::ALL {
            let doc = code.doc();
            assert!(
                !doc.summary.ends_with('.'),
                "{code}: the summary is one line"
            );
            assert!(!doc.summary.contains('\n'), "{code}");
            assert!(doc.explanation.len() > 40, "{code}");
            assert!(doc.what_to_do.starts_with("- "), "{code}: a list");
        }
    }
}
