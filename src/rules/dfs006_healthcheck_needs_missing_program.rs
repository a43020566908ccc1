//! DFS006 `healthcheck-needs-missing-program`: the final stage's `HEALTHCHECK` runs a shell
//! or a program the final image does not have.

use crate::analysis::catalogue::ImageFacts;
use crate::analysis::level::Level;
use crate::analysis::model::Model;
use crate::rules::{FinalImage, Finding, Rule, Severity};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    code: "DFS006",
    name: "healthcheck-needs-missing-program",
    severity: Severity::Error,
    fixable: true,
    summary: "HEALTHCHECK needs a shell or a program (curl, wget, nc…) the final image lacks",
    doc: "\
## What it does
Reports the `HEALTHCHECK` of the final stage when it is in shell form
(`HEALTHCHECK CMD curl -f http://localhost/`) and the image has no shell, or in exec form
and its program is one that minimal images never carry (`curl`, `wget`, `nc`, `sh`,
`bash`, …) and the stage does not copy it in.

## Why is this bad?
The check can never succeed: after its retries the container is marked `unhealthy`, and an
orchestrator that trusts the health status restarts it or never sends it traffic.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
HEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1
ENTRYPOINT [\"/app\"]
```

Use instead (a health probe built into the application):
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
HEALTHCHECK CMD [\"/app\", \"healthcheck\"]
ENTRYPOINT [\"/app\"]
```

## Fix
`dfslim rewrite` converts a shell-form check to exec form when its program is there, and
otherwise drops it with a warning (orchestrators such as Kubernetes ignore `HEALTHCHECK`
and probe the application themselves).
",
    check,
};

/// Programs that health checks call and that no minimal image carries.
const EXTERNAL_PROGRAMS: &[&str] = &[
    "curl",
    "wget",
    "nc",
    "netcat",
    "ncat",
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "busybox",
    "test",
    "cat",
    "grep",
    "pgrep",
    "ps",
    "pg_isready",
    "redis-cli",
    "mysqladmin",
];

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(FinalImage {
        stage,
        facts,
        name: image,
    }) = FinalImage::of(model)
    else {
        return;
    };
    let Some(healthcheck) = model
        .chain_instructions(stage.index)
        .into_iter()
        .map(|(_, i)| i)
        .rfind(|i| i.keyword == Keyword::Healthcheck)
    else {
        return;
    };
    let Args::Healthcheck {
        command: Some(command),
        ..
    } = &healthcheck.args
    else {
        return;
    };
    let message = match command.as_ref() {
        Args::Shell { text } => {
            if crate::ecosystems::has_shell(model, stage.index, None) != Some(false) {
                return;
            }
            format!(
                "HEALTHCHECK in shell form runs `/bin/sh -c {}`, but `{image}` has no shell: the check always fails",
                text.text
            )
        }
        Args::Exec { elements, .. } => {
            let Some(program) = elements.first().map(|w| w.text.as_str()) else {
                return;
            };
            let name = program.rsplit('/').next().unwrap_or(program);
            if !EXTERNAL_PROGRAMS.contains(&name)
                || !lacks_program(model, stage.index, facts, program)
            {
                return;
            }
            format!(
                "HEALTHCHECK runs `{name}`, which `{image}` does not have: the check always fails"
            )
        }
        _ => return,
    };
    findings.push(
        Finding::new(&RULE, healthcheck.line_span, message).with_help(
            "probe the application itself (`HEALTHCHECK CMD [\"/app\", \"healthcheck\"]`), or leave health checks to the orchestrator",
        ),
    );
}

/// Whether the stage's image certainly lacks `program` (a path, or a name looked up in
/// `PATH`): a minimal image without a shell, and no copy that may bring it.
fn lacks_program(model: &Model<'_>, stage: usize, facts: &ImageFacts, program: &str) -> bool {
    if facts.shell || !matches!(facts.level, Level::Distroless | Level::Binaryless) {
        return false;
    }
    let candidates: Vec<String> = if program.starts_with('/') {
        vec![program.to_string()]
    } else {
        let path = model.states(stage).end.value("PATH").unwrap_or_else(|| {
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()
        });
        path.split(':')
            .filter(|dir| dir.starts_with('/'))
            .map(|dir| format!("{}/{program}", dir.trim_end_matches('/')))
            .collect()
    };
    let transfers = crate::ecosystems::transfers(model, stage);
    !candidates
        .iter()
        .any(|candidate| transfers.iter().any(|t| t.may_provide(candidate)))
}
