//! DFS001 `final-stage-full-distro`: the image that ships is a whole distribution.

use crate::analysis::level::Level;
use crate::analysis::model::Model;
use crate::rules::{FinalImage, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DFS001",
    name: "final-stage-full-distro",
    severity: Severity::Warning,
    fixable: true,
    summary: "The final stage runs on a full distro, with a shell and a package manager",
    doc: "\
## What it does
Reports a final stage whose base image is a full distribution (debian, ubuntu, alpine) or a
language image built on one (golang, python, node, eclipse-temurin, nginx…).

## Why is this bad?
The image ships a shell, a package manager and hundreds of programs the application never
runs. Each one is attack surface for get-shell and command-execution attacks, and weight to
pull and scan.

## Example
```dockerfile
FROM golang:1.24-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .
ENTRYPOINT [\"/out/app\"]
```

Use instead:
```dockerfile
FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /out/app
ENTRYPOINT [\"/out/app\"]
```

## Fix
`dfslim rewrite` adds a distroless (or `scratch`) final stage that copies only what the
application needs, or retargets a runtime stage, and declines with a reason when it cannot
prove the result right.
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(image) = FinalImage::of(model) else {
        by_family(model, findings);
        return;
    };
    if image.facts.level != Level::FullDistro {
        return;
    }
    let manager = image
        .facts
        .package_manager
        .as_ref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    findings.push(
        Finding::new(
            &RULE,
            image.image_span(),
            format!(
                "final stage runs on `{}`, a full distro with a shell and a package manager{manager}",
                image.name
            ),
        )
        .with_help("run `dfslim rewrite` to end the build on a distroless stage"),
    );
}

/// A final image the catalogue knows by its name only (a tag it does not list): a full
/// distro all the same, whose release is not known.
fn by_family(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = model.final_stage() else {
        return;
    };
    let Some(family) = model.family(stage.index) else {
        return;
    };
    if family.level != Level::FullDistro {
        return;
    }
    let name = model
        .root_image(stage.index)
        .map(|i| i.familiar())
        .unwrap_or_default();
    let span = stage
        .image_word
        .map_or(stage.from.keyword_word.span, |w| w.span);
    findings.push(
        Finding::new(
            &RULE,
            span,
            format!(
                "final stage runs on `{name}`, a full distro by its name ({}); this tag is not in the catalogue, so its release is not known",
                family.family
            ),
        )
        .with_help("end the build on a distroless stage; `dfslim rewrite` needs a tag the catalogue knows"),
    );
}
