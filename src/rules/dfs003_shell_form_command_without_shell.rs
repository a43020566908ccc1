//! DFS003 `shell-form-command-without-shell`: the command that starts the container needs
//! `/bin/sh`, and the final image has none.

use crate::analysis::model::{CommandForm, Model, Origin};
use crate::rules::{FinalImage, Finding, Rule, Severity};
use crate::syntax::Instruction;

pub static RULE: Rule = Rule {
    code: "DFS003",
    name: "shell-form-command-without-shell",
    severity: Severity::Error,
    fixable: true,
    summary: "A shell-form ENTRYPOINT or CMD on a final image without a shell: the container cannot start",
    doc: "\
## What it does
Reports the `ENTRYPOINT` or `CMD` that takes effect in the final stage when it is written
in shell form (`CMD /app --port 8080`) and the final image has no shell (`scratch`,
distroless, Chainguard, .NET chiseled). A shell-form `CMD` under an exec-form `ENTRYPOINT`
is reported too: it reaches the entrypoint as the arguments `/bin/sh -c …`.

## Why is this bad?
Docker runs a shell-form command as `/bin/sh -c \"…\"`. Without `/bin/sh` the container
fails at start with `exec: \"/bin/sh\": stat /bin/sh: no such file or directory`.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
CMD /app --port 8080
```

Use instead:
```dockerfile
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
CMD [\"/app\", \"--port\", \"8080\"]
```

## Fix
`dfslim rewrite` writes the command in exec form when it uses no shell feature (no `&&`,
pipes, redirections, globs or `$(…)`, and only variables whose values are known), and
declines otherwise.
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
    if crate::ecosystems::has_shell(model, stage.index, None) != Some(false) {
        return;
    }
    let command = model.run_command(stage.index);
    let entrypoint = match &command.entrypoint {
        Some((CommandForm::Exec(argv), _)) if argv.is_empty() => None,
        other => other.as_ref(),
    };
    let finding = match (entrypoint, &command.cmd) {
        (Some((CommandForm::Shell(text), Origin::Instruction(instruction))), _) => {
            starts_with_shell(instruction, "ENTRYPOINT", text, &image)
        }
        (None, Some((CommandForm::Shell(text), Origin::Instruction(instruction)))) => {
            starts_with_shell(instruction, "CMD", text, &image)
        }
        (
            Some((CommandForm::Exec(argv), _)),
            Some((CommandForm::Shell(text), Origin::Instruction(instruction))),
        ) => {
            let finding = Finding::new(
                &RULE,
                instruction.line_span,
                format!(
                    "shell-form CMD reaches the ENTRYPOINT `{}` as the arguments `/bin/sh -c {text}`, and `{image}` has no shell",
                    argv.join(" ")
                ),
            );
            match exec_form(text) {
                Some(json) => finding.with_help(format!("write it in exec form: `CMD {json}`")),
                None => finding,
            }
        }
        _ => return,
    };
    findings.push(finding);
}

fn starts_with_shell(instruction: &Instruction, keyword: &str, text: &str, image: &str) -> Finding {
    let finding = Finding::new(
        &RULE,
        instruction.line_span,
        format!(
            "{keyword} in shell form runs `/bin/sh -c {text}`, but `{image}` has no shell: the container cannot start"
        ),
    );
    match exec_form(text) {
        Some(json) => finding.with_help(format!("write it in exec form: `{keyword} {json}`")),
        None => finding.with_help(format!(
            "{keyword} uses shell features: move them into the program, or into a script run in a build stage"
        )),
    }
}

/// The exec form of a command that uses no shell feature, as JSON.
fn exec_form(text: &str) -> Option<String> {
    const SHELL_SYNTAX: &str = "&|;<>()$`\\\"'*?[]{}~#\n";
    if text.trim().is_empty() || text.contains(|c| SHELL_SYNTAX.contains(c)) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    serde_json::to_string(&words)
        .ok()
        .map(|json| json.replace("\",\"", "\", \""))
}
