//! DFS012 `final-image-unknown`: dfslim cannot tell how slim the image that ships is.

use crate::analysis::level::Level;
use crate::analysis::model::Model;
use crate::analysis::stages::Base;
use crate::rules::{Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DFS012",
    name: "final-image-unknown",
    severity: Severity::Info,
    fixable: false,
    summary: "The final stage runs on an image whose level dfslim does not know",
    doc: "\
## What it does
Reports a final stage whose base image is neither in dfslim's image catalogue nor in one
of the families it knows by name (`*/distroless/*`, Chainguard, chiseled), or whose
reference is not known statically (`FROM ${BASE}` without a default). Its level is
`unknown`, so the other rules say nothing about it: this finding says so instead of
passing in silence.

## Why is this bad?
An unknown image may be a full distro with a shell and a package manager, and nothing
would tell. Private base images, CUDA and vendor images are common reasons; most of them
are full distros underneath.

## Example
```dockerfile
FROM registry.example.com/platform/base:2024.06
COPY app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Describe the image in a catalogue file named by the config key `catalogue:` (the schema of
`src/analysis/catalogue.yaml`), or give the `ARG` of the reference a default. Not fixed by
`dfslim rewrite`, which declines an unknown base (`unknown-base`).
",
    check,
};

fn check(model: &Model<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = model.final_stage() else {
        return;
    };
    if model.level(stage.index) != Level::Unknown {
        return;
    }
    let message = match model.stages.root_base(stage.index).0 {
        Base::Unresolved { text, reason } => {
            format!("level unknown: the final image `{text}` is not known statically ({reason})")
        }
        Base::Image(image) => format!(
            "level unknown: `{}` is not in the catalogue",
            image.familiar()
        ),
        Base::Stage(_) => return,
    };
    let span = stage
        .image_word
        .map_or(stage.from.keyword_word.span, |w| w.span);
    findings.push(
        Finding::new(&RULE, span, message)
            .with_help("describe the image with the config key `catalogue:` to have it checked"),
    );
}
