//! DFS011 `musl-artifact-on-glibc-image`: a binary linked against musl copied into an image
//! whose C library is glibc.

use crate::analysis::catalogue::Libc;
use crate::analysis::model::Model;
use crate::ecosystems::{Linkage, stage_build};
use crate::rules::{FinalImage, Finding, Rule, Severity, copied_binaries};

pub static RULE: Rule = Rule {
    code: "DFS011",
    name: "musl-artifact-on-glibc-image",
    severity: Severity::Error,
    fixable: false,
    summary: "A binary dynamically linked against musl is copied into a glibc final image",
    doc: "\
## What it does
Reports a `COPY --from=<stage>` into a final stage whose image has glibc (distroless
`base`, `cc`, Debian, Ubuntu…) of a binary that the build stage links dynamically against
musl: built on Alpine with a C toolchain (cgo with `gcc` installed, `gcc` without
`-static`).

## Why is this bad?
The binary asks for musl's loader, `/lib/ld-musl-x86_64.so.1`, which a glibc image does
not have: the container fails at start with `exec /app: no such file or directory`. No
distroless image carries musl.

## Example
```dockerfile
FROM golang:1.24-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 go build -o /out/app .

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT [\"/app\"]
```

Use instead: build on a Debian image (`golang:1.24-trixie`), or link statically
(`-ldflags '-linkmode external -extldflags -static'`) and end on distroless `static`.

## Fix
Not fixed by `dfslim rewrite`: no distroless target runs a musl-linked binary.
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(image) = FinalImage::of(model) else {
        return;
    };
    if image.facts.libc != Libc::Glibc {
        return;
    }
    let musl: Vec<_> = copied_binaries(model, image.stage.index)
        .into_iter()
        .filter(|(_, linkage)| *linkage == Linkage::Musl)
        .collect();
    // A full distro can install musl's loader itself (`apt-get install musl`). Asked only
    // when a musl binary is copied: reading the stage's RUNs is the costly part.
    if musl.is_empty()
        || stage_build(model, image.stage.index, None)
            .packages
            .iter()
            .any(|p| p.package.starts_with("musl"))
    {
        return;
    }
    for (copied, _) in musl {
        let artifact = &copied.artifact;
        let from = model.stages.stages[copied.from_stage].reference();
        findings.push(
            Finding::new(
                &RULE,
                copied.copy.line_span,
                format!(
                    "`{}` from stage `{from}` is linked against musl, but `{}` has glibc: {}",
                    artifact.path, image.name, artifact.why
                ),
            )
            .with_help("build on a glibc image (Debian, Ubuntu), or link it statically"),
        );
    }
}
