//! .NET: `dotnet publish` and its output folder.

use crate::analysis::shell::ShellCommand;

use super::Ecosystem;
use super::artifact::ArtifactKind;
use super::build::RunReader;
use super::compiled::Compiled;
use crate::analysis::catalogue::{ImageFacts, Libc, Needs};
use crate::analysis::command::basename;
use crate::analysis::image_ref::ImageRef;

use super::start::{App, AppFinder, Provenance};
use super::{Decline, DeclineCode};

/// .NET.
#[derive(Debug)]
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

    fn is_interpreter(&self, name: &str) -> bool {
        name == "dotnet"
    }

    fn start<'t>(
        &self,
        finder: &AppFinder<'_, 't>,
        argv: &[String],
    ) -> Option<Result<App<'t>, Decline>> {
        if !self.is_interpreter(basename(argv.first()?)) {
            return finder.dotnet_apphost(argv);
        }
        Some(
            finder
                .image_runtime()
                .and_then(|(facts, version)| finder.dotnet(argv, &facts, version)),
        )
    }

    fn target_misfit(&self, target: &ImageRef, facts: &ImageFacts) -> Option<Decline> {
        // The sdk and runtime images carry ICU and tzdata; without them .NET runs
        // globalization-invariant (cultures other than the invariant one throw) and
        // finds no time zone but UTC.
        if ["icu", "tzdata"]
            .iter()
            .all(|p| facts.provides.iter().any(|x| x == p))
        {
            return None;
        }
        Some(
            Decline::new(
                DeclineCode::NoTarget,
                format!(
                    "`{}` has no ICU or time zone data, which the .NET application had where it was built; cultures and time zones would behave differently",
                    target.familiar()
                ),
            )
            .help(format!(
                "name an image with both, e.g. --base {}-extra",
                target.familiar()
            )),
        )
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
        let Some(output) = output else {
            self.default_publish_folders(command, &args[1..]);
            return;
        };
        let Some(path) = self.absolute(command, &output) else {
            return;
        };
        let first = self.build.artifacts.len();
        self.push(
            path.clone(),
            ArtifactKind::DotnetPublish,
            "dotnet publish",
            format!("output of `dotnet publish -o {output}`"),
        );
        // The whole working folder, not only the published project's: a `<ProjectReference>`
        // compiles a sibling project (`../Infrastructure`) into the output.
        let runs = self.sources_run(command, Compiled::Dotnet, None);
        self.mark_runs(first, runs);
    }
}

/// `dotnet publish` without `-o`: where the SDK puts each project's output.
impl RunReader<'_, '_> {
    /// `dotnet publish` without `-o` writes `<project>/bin/<configuration>/<tfm>[/<rid>]/publish/`
    /// for the project it is given (a .csproj, or the project or solution of a folder, by
    /// default the working folder); for a solution, every project below it, each
    /// read from the build context for its single `<TargetFramework>`. A project of the
    /// solution may not be built: a COPY that names its folder then fails in the original
    /// too. Flags that move the output (`--artifacts-path`, `-p:OutputPath=…`, `--arch`,
    /// `--os`) leave the output unknown.
    fn default_publish_folders(&mut self, command: &ShellCommand, args: &[Option<String>]) {
        let Some(flags) = PublishFlags::read(args) else {
            return;
        };
        let Some(target) = self.absolute(command, flags.project.as_deref().unwrap_or(".")) else {
            return;
        };
        let projects: Vec<String> = if target.ends_with(".csproj") || target.ends_with(".fsproj") {
            vec![target]
        } else {
            self.projects_below(&target)
        };
        let first = self.build.artifacts.len();
        for project in projects {
            let Some(text) = self.context_file(&project) else {
                continue;
            };
            let Some(tfm) = flags
                .framework
                .clone()
                .or_else(|| target_framework(&text))
                .or_else(|| self.props_target_framework(&project))
            else {
                continue;
            };
            // Release by default from .NET 8 on (PublishRelease), Debug before.
            let configuration = flags.configuration.clone().unwrap_or_else(|| {
                if net_version(&tfm).is_some_and(|v| v >= 8) {
                    "Release".into()
                } else {
                    "Debug".into()
                }
            });
            let dir = crate::ecosystems::sources::parent(&project);
            let rid = flags
                .runtime
                .as_ref()
                .map(|r| format!("/{r}"))
                .unwrap_or_default();
            let path = crate::analysis::env::normalize_path(&format!(
                "{dir}/bin/{configuration}/{tfm}{rid}/publish"
            ));
            self.push(
                path.clone(),
                ArtifactKind::DotnetPublish,
                "dotnet publish",
                format!("output of `dotnet publish` for {project} (its default folder, {path})"),
            );
        }
        if self.build.artifacts.len() > first {
            let runs = self.sources_run(command, Compiled::Dotnet, None);
            self.mark_runs(first, runs);
        }
    }

    /// The `<TargetFramework>` a project inherits from the nearest `Directory.Build.props`
    /// above it that sets one.
    fn props_target_framework(&self, project: &str) -> Option<String> {
        let mut dir = crate::ecosystems::sources::parent(project);
        loop {
            let props =
                crate::analysis::env::normalize_path(&format!("{dir}/Directory.Build.props"));
            if let Some(tfm) = self.context_file(&props).and_then(|t| target_framework(&t)) {
                return Some(tfm);
            }
            if dir == "/" || dir.is_empty() {
                return None;
            }
            dir = crate::ecosystems::sources::parent(&dir);
        }
    }

    /// The project files at `folder`, or when it holds a solution instead, those of the
    /// folders below it (four levels down at most).
    fn projects_below(&self, folder: &str) -> Vec<String> {
        let folder = folder.trim_end_matches('/');
        let entries = |dir: &str| -> Vec<String> {
            self.context_path(&format!("{dir}/"))
                .map(|text| text.lines().map(str::to_string).collect())
                .unwrap_or_default()
        };
        let is_project = |name: &str| name.ends_with(".csproj") || name.ends_with(".fsproj");
        let top = entries(folder);
        let own: Vec<String> = top
            .iter()
            .filter(|name| is_project(name))
            .map(|name| format!("{folder}/{name}"))
            .collect();
        if !own.is_empty()
            || !top
                .iter()
                .any(|name| name.ends_with(".sln") || name.ends_with(".slnx"))
        {
            return own;
        }
        let mut found = Vec::new();
        let mut level: Vec<String> = vec![folder.to_string()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for dir in &level {
                for name in entries(dir) {
                    let path = format!("{dir}/{name}");
                    if let Some(sub) = path.strip_suffix('/') {
                        if !matches!(name.as_str(), "bin/" | "obj/" | "node_modules/" | ".git/") {
                            next.push(sub.to_string());
                        }
                    } else if is_project(&name) && dir != folder {
                        found.push(path);
                    }
                }
            }
            level = next;
        }
        found
    }
}

/// The flags of `dotnet publish` that say where its default output goes.
#[derive(Default)]
struct PublishFlags {
    project: Option<String>,
    configuration: Option<String>,
    framework: Option<String>,
    runtime: Option<String>,
}

impl PublishFlags {
    /// `None` when a flag moves the output somewhere these do not say, or a word is not
    /// known statically.
    fn read(args: &[Option<String>]) -> Option<Self> {
        let mut flags = Self::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let arg = arg.as_deref()?;
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
                _ => (arg, None),
            };
            let mut value = || inline.clone().or_else(|| iter.next().cloned().flatten());
            match name {
                "-c" | "--configuration" => flags.configuration = Some(value()?),
                "-f" | "--framework" => flags.framework = Some(value()?),
                "-r" | "--runtime" => flags.runtime = Some(value()?),
                "-v" | "--verbosity" | "-s" | "--source" | "--version-suffix" | "--manifest" => {
                    value()?;
                }
                "--artifacts-path"
                | "-a"
                | "--arch"
                | "--os"
                | "--ucr"
                | "--use-current-runtime" => {
                    return None;
                }
                _ if name.starts_with("-p:")
                    || name.starts_with("/p:")
                    || name.starts_with("--property")
                    || name == "-p" =>
                {
                    let setting = if name == "-p" || name == "--property" {
                        value()?
                    } else {
                        arg.to_string()
                    };
                    let lower = setting.to_ascii_lowercase();
                    if [
                        "output",
                        "publishdir",
                        "artifacts",
                        "runtimeidentifier",
                        "targetframework",
                        "configuration",
                        "appendtargetframework",
                    ]
                    .iter()
                    .any(|key| lower.contains(key))
                    {
                        return None;
                    }
                }
                _ if name.starts_with('-') => {}
                // The value of `--self-contained true`.
                "true" | "false" => {}
                _ if flags.project.is_none() => flags.project = Some(arg.to_string()),
                _ => return None,
            }
        }
        Some(flags)
    }
}

/// The single `<TargetFramework>` of a project file (`net10.0`); none for several
/// (`<TargetFrameworks>`), which need `-f`.
fn target_framework(project: &str) -> Option<String> {
    let start = project.find("<TargetFramework>")? + "<TargetFramework>".len();
    let end = start + project[start..].find('<')?;
    let tfm = project[start..end].trim();
    (!tfm.is_empty() && !tfm.contains(['$', ';'])).then(|| tfm.to_string())
}

/// The major version of a `netN.M` target framework (none for `netcoreapp3.1`, `net48`).
fn net_version(tfm: &str) -> Option<u32> {
    let rest = tfm.strip_prefix("net")?;
    let (major, _) = rest.split_once('.')?;
    major.parse().ok()
}

impl<'t> AppFinder<'_, 't> {
    /// A framework-dependent apphost: `./App`, the native launcher `dotnet publish` writes
    /// beside `App.dll`, which finds the image's shared .NET runtime and runs the dll, as
    /// Microsoft's own chiseled samples do (`ENTRYPOINT ["./aspnetapp"]` on
    /// `aspnet:N-noble-chiseled`); on runtime-deps, a self-contained or native AOT program.
    /// Only a file of a `dotnet publish -o` folder, on an image whose runtime is .NET's;
    /// `None` for anything else, which is not .NET's to answer.
    fn dotnet_apphost(&self, argv: &[String]) -> Option<Result<App<'t>, Decline>> {
        let program = argv.first()?;
        if basename(program).contains('.') {
            // `App.dll`, `run.sh`: not an apphost, which has no extension on Linux.
            return None;
        }
        let facts = self.model.facts(self.stage)?.clone();
        let runtime = facts.runtime.clone()?;
        if !matches!(
            runtime.name.as_str(),
            "aspnetcore" | "dotnet" | "dotnet-deps"
        ) {
            return None;
        }
        let (path, main) = self.resolve_program(program).into_iter().find_map(|path| {
            let main = self.provenance(&path)?;
            matches!(main.artifact().kind, ArtifactKind::DotnetPublish).then_some((path, main))
        })?;
        let Some(version) = runtime.version else {
            return Some(Err(self.decline_at_from(
                self.stage,
                DeclineCode::UnknownVersion,
                "the .NET version of the image is not known from its tag",
            )));
        };
        // The apphost is built for the libc of the image it runs on (`linux-musl-x64` on
        // Alpine): the original final stage runs it, so that libc is the image's.
        if facts.libc != Libc::Glibc {
            return Some(Err(self.decline_at_from(
                self.stage,
                DeclineCode::Musl,
                format!("the .NET program `{program}` runs on an image without glibc (Alpine), so it was built for musl"),
            )));
        }
        // On runtime-deps, which has no runtime, the program carries its own (self-contained,
        // or native AOT): what it needs is what runtime-deps holds.
        let why = if runtime.name == "dotnet-deps" {
            format!(
                "{}; `{path}` is a self-contained .NET program, which needs what runtime-deps holds",
                main.artifact().why
            )
        } else {
            format!(
                "{}; `{path}` is its apphost, which starts the image's .NET runtime",
                main.artifact().why
            )
        };
        let needs = Needs::Runtime {
            name: runtime.name,
            version,
        };
        Some(Ok(App {
            interpreter: None,
            launches: Some(&Dotnet as &dyn Ecosystem),
            program: Some(path),
            ..published(main, needs, why)
        }))
    }

    pub(crate) fn dotnet(
        &self,
        argv: &[String],
        facts: &ImageFacts,
        version: Option<String>,
    ) -> Result<App<'t>, Decline> {
        let Some(dll) = argv.get(1).filter(|a| a.ends_with(".dll")) else {
            return Err(self.decline(
                DeclineCode::NoAppCommand,
                "the command does not run an application dll with dotnet",
            ));
        };
        let Some(version) = version else {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::UnknownVersion,
                "the .NET version of the image is not known from its tag",
            ));
        };
        if facts.libc == Libc::Musl {
            return Err(self.decline_at_from(
                self.stage,
                DeclineCode::Musl,
                "the .NET application was published on a musl (Alpine) image",
            ));
        }
        let path = self.state.resolve_path(dll).unwrap_or_default();
        let Some(main) = self.provenance(&path) else {
            return Err(self.decline_at(
                self.copy_bringing(&path),
                DeclineCode::UnknownArtifact,
                format!("no `dotnet publish -o` of this Dockerfile is known to produce `{dll}`"),
            ));
        };
        let why = main.artifact().why.clone();
        // The image's own runtime: a console app on `runtime:N` needs no ASP.NET Core. The
        // SDK holds both, and an app run on it may be a web app.
        let name = match facts.runtime.as_ref().map(|r| r.name.as_str()) {
            Some("dotnet") => "dotnet",
            _ => "aspnetcore",
        };
        let needs = Needs::Runtime {
            name: name.into(),
            version,
        };
        Ok(published(main, needs, why))
    }
}

/// The application a `dotnet publish` folder holds, run as `dotnet App.dll`: the folder is
/// what the new image needs besides the runtime.
fn published<'t>(main: Provenance<'t>, needs: Needs, why: String) -> App<'t> {
    let dir = main.artifact().path.clone();
    App {
        interpreter: Some(&Dotnet as &dyn Ecosystem),
        launches: None,
        needs,
        main,
        copies: vec![(dir, why)],
        env: Vec::new(),
        built_on_debian: None,
        run_argv: None,
        run_expanded: Vec::new(),
        program: None,
    }
}

/// What, in any file, tells ASP.NET Core where to listen (matched without case): the
/// variables (`ASPNETCORE_URLS`, `DOTNET_URLS`, `HTTP_PORTS`, `HTTPS_PORTS` and their
/// prefixed forms, `Kestrel__Endpoints__…`), the `--urls` option and appsettings' `Urls`
/// key, the code (`UseUrls`, `Urls.Add`, `ConfigureKestrel`, `UseKestrel`, `ListenAnyIP`,
/// `Listen(`, a `TcpListener` or `HttpListener`, a socket's `Bind`) and appsettings'
/// `Kestrel` section. Broad on purpose: a word that only looks like one (an `ImageUrls`
/// class) keeps the EXPOSE as the port, as before.
const ENDPOINT_WORDS: &[&str] = &[
    "urls",
    "http_ports",
    "https_ports",
    "kestrel",
    "listen",
    ".bind(",
    "ipendpoint",
];

/// The ports an ASP.NET Core application listens on when only its image says so, with why.
///
/// From .NET 8 the images set `ASPNETCORE_HTTP_PORTS=8080` and Kestrel listens there
/// unless told otherwise (see [`ENDPOINT_WORDS`]). Dockerfiles written for .NET 6 and 7,
/// whose images listened on port 80 (`ASPNETCORE_URLS=http://+:80`), often still `EXPOSE
/// 80` after the move to 8: a port the application no longer binds, so the non-root
/// user of the rewrite need not bind it either (the chiseled images set the same
/// variable). `Some` only when `runtime` is ASP.NET Core (or the runtime-deps image a
/// self-contained one runs on) 8 or later, `env` sets `ASPNETCORE_HTTP_PORTS` to ports from
/// 1024 up and names no other endpoint, `argv` names none, and no file of the build
/// context (read whole: a walk cut short by its bounds counts as naming one) or of
/// `deploy` (the Compose files, manifests and platform files that start the container,
/// with their text) does.
pub fn default_listen_ports<'a>(
    runtime: &str,
    version: &str,
    mut env: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    argv: &[String],
    read: &dyn Fn(&str) -> Option<String>,
    deploy: &[(String, String)],
) -> Option<(Vec<u32>, String)> {
    if !matches!(runtime, "aspnetcore" | "dotnet-deps") {
        return None;
    }
    let major: u32 = version.split('.').next()?.parse().ok()?;
    if major < 8 {
        return None;
    }
    let names_endpoint = |text: &str| {
        let lower = text.to_ascii_lowercase();
        ENDPOINT_WORDS.iter().any(|w| lower.contains(w))
    };
    let mut ports = None;
    let mut other = false;
    for (name, value) in env.by_ref() {
        if name.eq_ignore_ascii_case("ASPNETCORE_HTTP_PORTS") {
            ports = value.map(|v| {
                v.split([';', ','])
                    .map(|p| p.trim().parse::<u32>().ok())
                    .collect::<Option<Vec<u32>>>()
            });
        } else if names_endpoint(name) {
            other = true;
        }
    }
    let ports = ports.flatten().filter(|p| !p.is_empty())?;
    if other || ports.iter().any(|p| *p < 1024) || argv.iter().any(|w| names_endpoint(w)) {
        return None;
    }
    if deploy.iter().any(|(_, text)| names_endpoint(text)) {
        return None;
    }
    // The build context's files, bin/ and obj/ (build outputs) and .git/ aside; then the
    // files of the two folders above it (a Compose file or a script at the repository's
    // root) and their CI workflows.
    let text_file = |name: &str| !name.ends_with(".dll") && !name.ends_with(".exe");
    // Whether the walk from `starts` read every file, and none names an endpoint.
    let quiet = |starts: Vec<String>, descend: &dyn Fn(&str) -> bool| {
        let mut named = false;
        let complete = super::compiled::walk(read, starts, descend, text_file, |_, text, _| {
            named = names_endpoint(text);
            named
        });
        complete && !named
    };
    let own = |entry: &str| !matches!(entry, "bin/" | "obj/" | ".git/" | "node_modules/");
    if !quiet(vec![String::new()], &own) {
        return None;
    }
    for up in ["../", "../../"] {
        if !quiet(
            vec![up.to_string(), format!("{up}.github/workflows")],
            &|_| false,
        ) {
            return None;
        }
    }
    let shown: Vec<String> = ports.iter().map(u32::to_string).collect();
    let why = format!(
        "ASP.NET Core {major} listens on {} (`ASPNETCORE_HTTP_PORTS`), and nothing in the build context or the files that start the container names another endpoint",
        shown.join(" and ")
    );
    Some((ports, why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |path: &str| {
            if path.is_empty() || path.ends_with('/') {
                let names: Vec<String> = list
                    .iter()
                    .filter_map(|(p, _)| p.strip_prefix(path))
                    .map(|rest| match rest.split_once('/') {
                        Some((dir, _)) => format!("{dir}/"),
                        None => rest.to_string(),
                    })
                    .collect();
                return (!names.is_empty()).then(|| names.join("\n"));
            }
            list.iter()
                .find(|(p, _)| *p == path)
                .map(|(_, t)| t.to_string())
        }
    }

    fn ports(
        runtime: &str,
        version: &str,
        env: &[(&str, &str)],
        context: &'static [(&'static str, &'static str)],
    ) -> Option<Vec<u32>> {
        let read = files(context);
        let env = env.iter().map(|(n, v)| (*n, Some(*v)));
        default_listen_ports(runtime, version, env, &[], &read, &[]).map(|(p, _)| p)
    }

    #[test]
    fn aspnet_8_listens_on_its_images_port_unless_told_otherwise() {
        let http = [("ASPNETCORE_HTTP_PORTS", "8080")];
        let plain: &[(&str, &str)] =
            &[("Api/Program.cs", "var app = builder.Build();\napp.Run();\n")];
        assert_eq!(ports("aspnetcore", "8.0", &http, plain), Some(vec![8080]));
        assert_eq!(ports("aspnetcore", "10.0", &http, plain), Some(vec![8080]));
        // .NET 7 listened on 80; a console runtime has no Kestrel default.
        assert_eq!(ports("aspnetcore", "7.0", &http, plain), None);
        assert_eq!(ports("dotnet", "8.0", &http, plain), None);
        // The environment, the code, appsettings or a Compose file names an endpoint.
        assert_eq!(
            ports(
                "aspnetcore",
                "8.0",
                &[("ASPNETCORE_HTTP_PORTS", "80")],
                plain
            ),
            None
        );
        assert_eq!(
            ports(
                "aspnetcore",
                "8.0",
                &[
                    ("ASPNETCORE_HTTP_PORTS", "8080"),
                    ("ASPNETCORE_URLS", "http://+:80")
                ],
                plain
            ),
            None
        );
        let code: &[(&str, &str)] = &[(
            "Program.cs",
            "builder.WebHost.ConfigureKestrel(o => o.ListenAnyIP(port));",
        )];
        assert_eq!(ports("aspnetcore", "8.0", &http, code), None);
        let settings: &[(&str, &str)] = &[("appsettings.json", "{\"urls\": \"http://*:80\"}")];
        assert_eq!(ports("aspnetcore", "8.0", &http, settings), None);
        let compose: &[(&str, &str)] = &[(
            "../docker-compose.yml",
            "services:\n  api:\n    environment:\n      - ASPNETCORE_URLS=http://+:80\n",
        )];
        assert_eq!(ports("aspnetcore", "8.0", &http, compose), None);
        let workflow: &[(&str, &str)] = &[(
            "../../.github/workflows/ci.yml",
            "run: docker run -e HTTP_PORTS=80 api\n",
        )];
        assert_eq!(ports("aspnetcore", "8.0", &http, workflow), None);
    }
}
