//! DFS008 `user-does-not-exist`: the final stage's `USER` names a user its image does not
//! have.

use crate::analysis::model::Model;
use crate::ecosystems::created_accounts;
use crate::rules::{FinalImage, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DFS008",
    name: "user-does-not-exist",
    severity: Severity::Error,
    fixable: true,
    summary: "USER names a user that the final image does not have",
    doc: "\
## What it does
Reports a named (non-numeric) `USER` in the final stage that the final image does not
define: a user created with `useradd`/`adduser` only in another stage, any user on a
distroless or Chainguard image other than `root`, `nobody` and `nonroot` (`app` on .NET
chiseled), or any name on `scratch` unless an `/etc/passwd` is copied in.

## Why is this bad?
The runtime resolves the name in the image's `/etc/passwd` when the container starts. When
it is not there, the container fails with `unable to find user app: no matching entries in
passwd file`. Users created in a build stage stay in that stage.

## Example
```dockerfile
FROM debian:bookworm-slim AS build
RUN useradd --system app

FROM gcr.io/distroless/static-debian13
COPY --from=build /out/app /app
USER app
ENTRYPOINT [\"/app\"]
```

Use instead:
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
USER nonroot
ENTRYPOINT [\"/app\"]
```

## Fix
`dfslim rewrite` maps a user created with `useradd` to `nonroot` (uid 65532). Numeric users
(`USER 10001:10001`) need no passwd entry and are left alone.
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = model.final_stage() else {
        return;
    };
    let Some((instruction, Some(user))) = model.last_user(stage.index) else {
        return;
    };
    let name = user.split(':').next().unwrap_or(&user).trim();
    if name.is_empty() || name.chars().all(|c| c.is_ascii_digit()) {
        return;
    }
    let Some(FinalImage {
        facts, name: image, ..
    }) = FinalImage::of(model)
    else {
        return;
    };
    if crate::ecosystems::transfers(model, stage.index)
        .iter()
        .any(|t| t.may_provide("/etc/passwd"))
    {
        return;
    }
    let Some(created_here) = created_accounts(model, stage.index) else {
        return;
    };
    if created_here.iter().any(|n| n == name) {
        return;
    }
    let message = match &facts.passwd_users {
        Some(users) if users.iter().any(|u| u == name) => return,
        Some(users) if users.is_empty() => {
            format!("user `{name}` does not exist: `{image}` has no /etc/passwd")
        }
        Some(users) => format!(
            "user `{name}` does not exist in `{image}`, whose /etc/passwd has only {}",
            users
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => {
            let chain = model.chain(stage.index);
            let Some(other) = model.stages.stages.iter().find(|s| {
                !chain.contains(&s.index)
                    && created_accounts(model, s.index)
                        .is_some_and(|names| names.iter().any(|n| n == name))
            }) else {
                return;
            };
            format!(
                "user `{name}` is created in stage `{}`, not in the final stage's image `{image}`",
                other.reference()
            )
        }
    };
    findings.push(
        Finding::new(&RULE, instruction.line_span, message).with_help(
            "use a numeric user (`USER 65532`), a user the image defines (`nonroot` on distroless), or copy /etc/passwd in",
        ),
    );
}
