//! DFS007 `dynamic-artifact-on-static-image`: a dynamically linked binary copied into an
//! image without a C library.

use crate::analysis::catalogue::Libc;
use crate::analysis::model::Model;
use crate::ecosystems::Linkage;
use crate::rules::{FinalImage, Finding, Rule, Severity, copied_binaries};

pub static RULE: Rule = Rule {
    code: "DFS007",
    name: "dynamic-artifact-on-static-image",
    severity: Severity::Error,
    fixable: false,
    summary: "A dynamically linked binary is copied into a final image without a C library",
    doc: "\
## What it does
Reports a `COPY --from=<stage>` into a final stage whose image has no C library
(`scratch`, distroless `static`, Chainguard `static`) of a binary that the build stage
links dynamically against glibc or musl. The typical case is `go build` in a Debian-based
`golang` image without `CGO_ENABLED=0`: gcc is there, so cgo is on, and a program that
imports `net` or `os/user` needs `libc.so.6`.

## Why is this bad?
The kernel starts the binary's dynamic loader, which is not in the image: the container
fails at start with the misleading `exec /app: no such file or directory`.

## Example
```dockerfile
FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT [\"/app\"]
```

Use instead:
```dockerfile
RUN CGO_ENABLED=0 go build -o /out/app .
```

## Fix
Not fixed by `dfslim rewrite`, which does not change how a binary is built: link it
statically (`CGO_ENABLED=0`, a `*-musl` Rust target, `-static`), or end on an image with
the C library it needs (distroless `base` or `cc`).
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(image) = FinalImage::of(model) else {
        return;
    };
    if image.facts.libc != Libc::Absent {
        return;
    }
    for (copied, linkage) in copied_binaries(model, image.stage.index) {
        if linkage == Linkage::Static {
            continue;
        }
        let artifact = &copied.artifact;
        let from = model.stages.stages[copied.from_stage].reference();
        findings.push(
            Finding::new(
                &RULE,
                copied.copy.line_span,
                format!(
                    "`{}` from stage `{from}` is linked dynamically, but `{}` has no C library to load it: {}",
                    artifact.path, image.name, artifact.why
                ),
            )
            .with_help(match artifact.tool {
                "go build" | "go install" => {
                    "build with `CGO_ENABLED=0`, or end on `gcr.io/distroless/base-debian13`"
                }
                "cargo build" | "cargo install" => {
                    "build for a `*-unknown-linux-musl` target, or end on `gcr.io/distroless/cc-debian13`"
                }
                _ => "link it statically, or end on an image with its C library (distroless `base` or `cc`)",
            }),
        );
    }
}
