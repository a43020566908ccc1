//! `dfslim man`: the roff man page, generated from the clap definition by `clap_mangen`,
//! printed to stdout. `docs/dfslim.1` is this output, kept current by a test.
//!
//! One page holds everything: the global options, then every subcommand with its synopsis,
//! description and options under COMMANDS (clap_mangen alone would point at `dfslim-check(1)`
//! and friends, pages that are not installed), then the exit status.

use std::io::Write;

use clap::CommandFactory;
use clap_mangen::Man;

use super::{Cli, Out, Outcome};

pub fn run(out: &Out) -> Outcome {
    let mut page = Vec::new();
    if let Err(e) = render(&mut page) {
        out.stderr(&format!("dfslim: error: cannot render the man page: {e}\n"));
        return Outcome::Error;
    }
    out.stdout(&String::from_utf8_lossy(&page));
    Outcome::Clean
}

fn render(page: &mut Vec<u8>) -> std::io::Result<()> {
    let mut cli = Cli::command();
    // Building sets each subcommand's bin name to `dfslim NAME`, used in its synopsis.
    cli.build();
    let man = Man::new(cli.clone());
    man.render_title(page)?;
    man.render_name_section(page)?;
    man.render_synopsis_section(page)?;
    man.render_description_section(page)?;
    man.render_options_section(page)?;
    page.write_all(b".SH COMMANDS\n")?;
    // clap's own `help` subcommand is left out: `dfslim help CMD` is `dfslim CMD --help`.
    let commands = cli
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help");
    for command in commands {
        writeln!(page, ".SS {}", command.get_name())?;
        let command = without_shared_options(command);
        let man = Man::new(command.clone());
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        if command.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut section)?;
        }
        page.write_all(&subsection(&String::from_utf8_lossy(&section)))?;
    }
    page.write_all(EXIT_STATUS.as_bytes())?;
    man.render_version_section(page)
}

/// A subcommand without the options every command has (`--color`, `--help`,
/// `--version`): the page lists them once, at the top.
fn without_shared_options(command: &clap::Command) -> clap::Command {
    let shared: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| a.is_global_set() || ["help", "version"].contains(&a.get_id().as_str()))
        .map(|a| a.get_id().clone())
        .collect();
    shared.into_iter().fold(command.clone(), |command, id| {
        command.mut_arg(id, |a| a.hide(true))
    })
}

/// A subcommand's sections made part of one `.SS`: the synopsis and description headings
/// go (the `.SS` names the command), the options heading becomes a paragraph title.
fn subsection(sections: &str) -> Vec<u8> {
    let mut text = String::new();
    for line in sections.lines() {
        match line {
            ".SH SYNOPSIS" | ".SH DESCRIPTION" => text.push_str(".PP\n"),
            ".SH OPTIONS" => text.push_str(".PP\nOptions:\n"),
            _ => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text.into_bytes()
}

const EXIT_STATUS: &str = r".SH EXIT STATUS
.TP
0
Clean, or nothing to change.
.TP
1
Findings at or above the failure threshold, or \fBrewrite \-\-check\fR would change a file.
.TP
2
Usage, configuration, I/O or parse error.
.PP
The exit status never depends on the output format.
";
