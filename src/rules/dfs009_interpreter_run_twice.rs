//! DFS009 `interpreter-run-twice`: `CMD` names the interpreter that the image's own
//! `ENTRYPOINT` already runs.

use crate::analysis::model::{CommandForm, Model, Origin};
use crate::ecosystems::interpreter;
use crate::rules::{Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DFS009",
    name: "interpreter-run-twice",
    severity: Severity::Error,
    fixable: true,
    summary: "CMD starts with the interpreter that the image's ENTRYPOINT already runs",
    doc: "\
## What it does
Reports an exec-form `CMD` in the final stage whose first element is the interpreter that
the image's preset `ENTRYPOINT` runs: `node` on distroless `nodejs*` (ENTRYPOINT
`/nodejs/bin/node`), `python` on distroless `python3`, `java` on distroless `java*`
(ENTRYPOINT `java -jar`), `dotnet` on the chiseled .NET `runtime` and `aspnet` images.

## Why is this bad?
Docker appends `CMD` to `ENTRYPOINT`. `CMD [\"node\", \"server.js\"]` on distroless nodejs
runs `/nodejs/bin/node node server.js`: node looks for a script called `node` and the
container exits at once.

## Example
```dockerfile
FROM gcr.io/distroless/nodejs22-debian13:nonroot
COPY --from=build /app /app
WORKDIR /app
CMD [\"node\", \"server.js\"]
```

Use instead:
```dockerfile
CMD [\"server.js\"]
```

## Fix
`dfslim rewrite` drops the interpreter (and `-jar` on Java) from `CMD`.
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = model.final_stage() else {
        return;
    };
    let command = model.run_command(stage.index);
    let Some((CommandForm::Exec(entrypoint), Origin::Image)) = &command.entrypoint else {
        return;
    };
    let Some((CommandForm::Exec(cmd), Origin::Instruction(instruction))) = &command.cmd else {
        return;
    };
    let (Some(preset), Some(first)) = (entrypoint.first(), cmd.first()) else {
        return;
    };
    let Some(preset_interpreter) = interpreter(preset).map(|e| e.name()) else {
        return;
    };
    if interpreter(first).map(|e| e.name()) != Some(preset_interpreter) {
        return;
    }
    let rest = match (preset_interpreter, cmd.get(1).map(String::as_str)) {
        ("java", Some("-jar")) => &cmd[2..],
        _ => &cmd[1..],
    };
    let mut finding = Finding::new(
        &RULE,
        instruction.line_span,
        format!(
            "CMD starts with `{first}`, which the image's ENTRYPOINT `{}` already runs: the container runs `{} {}`",
            entrypoint.join(" "),
            entrypoint.join(" "),
            cmd.join(" ")
        ),
    );
    if let Ok(json) = serde_json::to_string(rest) {
        finding = finding.with_help(format!(
            "give only the arguments: `CMD {}`",
            json.replace("\",\"", "\", \"")
        ));
    }
    findings.push(finding);
}
