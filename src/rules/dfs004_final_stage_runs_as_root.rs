//! DFS004 `final-stage-runs-as-root`: the container's process runs as root.

use crate::analysis::model::Model;
use crate::rules::{FinalImage, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DFS004",
    name: "final-stage-runs-as-root",
    severity: Severity::Warning,
    fixable: true,
    summary: "The final stage runs as root",
    doc: "\
## What it does
Reports a final stage that runs as root: its last `USER` is `root` or `0` (with any
group), or it has no `USER` and its base image runs as root. Images that default to a
non-root user (distroless `:nonroot`, Chainguard, .NET chiseled) are not reported.

## Why is this bad?
A process that runs as root inside the container is root against the kernel it shares
with the host: a container escape, a writable host mount or a misconfigured capability is
then worth far more to an attacker.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian13
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
`dfslim rewrite` ends on a `:nonroot` target (uid 65532) and maps users created with
`useradd` to `nonroot`.
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = model.final_stage() else {
        return;
    };
    let Some((instruction, user)) = model.last_user(stage.index) else {
        let Some(image) = FinalImage::of(model) else {
            return;
        };
        let Some(user) = image.facts.user.clone().filter(|u| is_root(u)) else {
            return;
        };
        findings.push(
            Finding::new(
                &RULE,
                stage.from.line_span,
                format!(
                    "final stage has no USER and `{}` runs as {user}",
                    image.name
                ),
            )
            .with_help("add `USER 65532` (or use a `:nonroot` tag of a distroless image)"),
        );
        return;
    };
    let Some(user) = user.filter(|u| is_root(u)) else {
        return;
    };
    findings.push(
        Finding::new(
            &RULE,
            instruction.line_span,
            format!("final stage runs as `{user}`"),
        )
        .with_help("run as a non-root user: `USER 65532` or a user the image defines"),
    );
}

/// `root`, `0`, `root:root`, `0:0`, … : the user part decides.
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}
