//! DFS010 `runtime-version-mismatch`: what the final stage copies from a build stage was
//! made for another version of the language runtime than the final image runs.

use crate::analysis::catalogue::Runtime;
use crate::analysis::model::Model;
use crate::analysis::stages::Base;
use crate::rules::{FinalImage, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DFS010",
    name: "runtime-version-mismatch",
    severity: Severity::Warning,
    fixable: false,
    summary: "A stage the final stage copies from has another language runtime version than the final image",
    doc: "\
## What it does
Reports a `COPY --from` into the final stage from a stage (or image) whose language
runtime differs in version from the final image's: built on `python:3.12`, run on
`gcr.io/distroless/python3-debian13` (Python 3.13); `node:20` against `nodejs22`; .NET SDK
8.0 against the 9.0 runtime. For Java only a newer build than runtime is reported, since a
newer JVM runs older bytecode.

## Why is this bad?
What the build stage produced is tied to its runtime's version: Python packages install
into `site-packages` of one minor version and compiled extensions load only there, a venv
points at its interpreter by path, Node native addons are built for one ABI, a .NET
application targets one runtime major, Java class files refuse older JVMs. The image builds
and then fails at start, or worse, at the first import of a compiled module.

## Example
```dockerfile
FROM python:3.12-slim AS build
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt

FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
```

Use instead:
```dockerfile
FROM python:3.13-slim AS build
```

## Fix
Not fixed by `dfslim rewrite`, which picks a target matching the build's version and
declines when there is none: align the build image's version with the final image's.
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(FinalImage {
        stage,
        facts,
        name: image,
    }) = FinalImage::of(model)
    else {
        return;
    };
    let Some(runtime) = facts.runtime.as_ref() else {
        return;
    };
    let mut reported = Vec::new();
    for transfer in crate::ecosystems::transfers(model, stage.index) {
        let (source, source_facts) = match &transfer.from {
            Some(Base::Stage(index)) => {
                let image = model.root_image(*index).map(|i| i.familiar());
                let from = model.stages.stages[*index].reference();
                let described = match image {
                    Some(image) => format!("stage `{from}` (on `{image}`)"),
                    None => format!("stage `{from}`"),
                };
                (described, model.facts(*index).cloned())
            }
            Some(Base::Image(image)) => (
                format!("image `{}`", image.familiar()),
                model.catalogue.lookup(image),
            ),
            _ => continue,
        };
        let Some(built) = source_facts.and_then(|f| f.runtime) else {
            continue;
        };
        let (Some(built_version), Some(run_version)) = (&built.version, &runtime.version) else {
            continue;
        };
        if !mismatch(&built, runtime) || reported.contains(&transfer.instruction.span) {
            continue;
        }
        reported.push(transfer.instruction.span);
        findings.push(
            Finding::new(
                &RULE,
                transfer.instruction.line_span,
                format!(
                    "copies from {source}, which has {} {built_version}, into `{image}`, which runs {} {run_version}",
                    built.name, runtime.name
                ),
            )
            .with_help("build on the runtime version the final image runs"),
        );
    }
}

/// Whether a build on `built` and a run on `run` disagree, both versions being known.
fn mismatch(built: &Runtime, run: &Runtime) -> bool {
    let (Some(family), Some(run_family)) = (family(&built.name), family(&run.name)) else {
        return false;
    };
    if family != run_family {
        return false;
    }
    let (Some(built), Some(run)) = (
        built.version.as_deref().and_then(components),
        run.version.as_deref().and_then(components),
    ) else {
        return false;
    };
    // `python:3` says less than `3.13`: not a known difference.
    let shared = built.len().min(run.len());
    if built.len() != run.len() && built[..shared] == run[..shared] {
        return false;
    }
    match family {
        // A newer JVM runs older class files.
        "java" => built > run,
        _ => built != run,
    }
}

/// The runtimes whose build output depends on their version, by family.
fn family(name: &str) -> Option<&'static str> {
    match name {
        "python" => Some("python"),
        "node" => Some("node"),
        "java" => Some("java"),
        "ruby" => Some("ruby"),
        "dotnet" | "dotnet-sdk" | "aspnetcore" => Some("dotnet"),
        _ => None,
    }
}

fn components(version: &str) -> Option<Vec<u64>> {
    version.split('.').map(|c| c.parse().ok()).collect()
}
