//! DFS002 `final-stage-has-shell`: the image that ships has a shell but no package manager.

use crate::analysis::level::Level;
use crate::analysis::model::Model;
use crate::rules::{FinalImage, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DFS002",
    name: "final-stage-has-shell",
    severity: Severity::Warning,
    fixable: false,
    summary: "The final stage runs on an image with a shell (busybox, distroless :debug, Chainguard -dev)",
    doc: "\
## What it does
Reports a final stage whose base image has a shell but no package manager: `busybox`,
distroless `:debug` and `:debug-nonroot` tags, Chainguard `-dev` tags.

## Why is this bad?
A shell is what an attacker who gets code execution wants next: with it, one command
becomes any command. The debug variants exist to look inside a container while developing;
shipped, they turn a distroless image back into one with a shell.

## Example
```dockerfile
FROM golang:1.24-bookworm AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian13:debug
COPY --from=build /out/app /app
ENTRYPOINT [\"/app\"]
```

Use instead:
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Not fixed by `dfslim rewrite`: drop the `:debug` tag (or `-dev` suffix) yourself, after
checking that nothing in the stage runs the shell (shell-form `RUN`, `CMD` or
`HEALTHCHECK`).
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(image) = FinalImage::of(model) else {
        return;
    };
    if image.facts.level != Level::Shell {
        return;
    }
    findings.push(
        Finding::new(
            &RULE,
            image.image_span(),
            format!(
                "final stage runs on `{}`, which has a shell: code execution in the container gets a shell too",
                image.name
            ),
        )
        .with_help("end on the variant without a shell (no `:debug` tag, no `-dev` suffix)"),
    );
}
