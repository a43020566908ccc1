//! DFS005 `run-without-shell`: a shell-form `RUN` in a final stage whose image has no shell.

use crate::analysis::model::Model;
use crate::rules::{FinalImage, Finding, Rule, Severity};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    code: "DFS005",
    name: "run-without-shell",
    severity: Severity::Error,
    fixable: false,
    summary: "A shell-form RUN in a final stage whose image has no shell: the build fails",
    doc: "\
## What it does
Reports a shell-form `RUN` (or `RUN <<EOF` heredoc) in the final stage, or in a stage the
final stage is built on, when the image has no shell (`scratch`, distroless, Chainguard,
.NET chiseled) and nothing before it brought one in.

## Why is this bad?
A shell-form `RUN` is run as `/bin/sh -c \"…\"`. Without `/bin/sh` the build stops with
`/bin/sh: no such file or directory`. The usual intent (create a folder, change
permissions, add a user) has a shell-free form.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
RUN chmod +x /app
ENTRYPOINT [\"/app\"]
```

Use instead:
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build --chmod=755 /out/app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Not fixed by `dfslim rewrite`, which never writes a `RUN` into a shell-less stage: do the
work in a build stage and copy its result, or use `COPY --chmod`/`--chown`.
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(FinalImage {
        stage, name: image, ..
    }) = FinalImage::of(model)
    else {
        return;
    };
    for (_, instruction) in model.chain_instructions(stage.index) {
        if instruction.keyword != Keyword::Run || !matches!(instruction.args, Args::Shell { .. }) {
            continue;
        }
        // A mount from another stage or image may put a shell in place for this RUN only.
        let mounts_files = instruction
            .flags
            .iter()
            .any(|f| f.name == "mount" && f.value.as_deref().is_some_and(|v| v.contains("from=")));
        if mounts_files
            || crate::ecosystems::has_shell(model, stage.index, Some(instruction)) != Some(false)
        {
            continue;
        }
        findings.push(
            Finding::new(
                &RULE,
                instruction.line_span,
                format!("RUN in shell form needs `/bin/sh`, which `{image}` does not have: the build fails"),
            )
            .with_help(
                "do this work in a build stage and COPY the result, or use COPY --chmod/--chown",
            ),
        );
    }
}
