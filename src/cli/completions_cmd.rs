//! `dfslim completions SHELL`: the shell completion script, generated from the clap
//! definition by `clap_complete`, printed to stdout. It never reads or writes files.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Out, Outcome};

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs, out: &Out) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "dfslim", &mut script);
    out.stdout(&String::from_utf8_lossy(&script));
    Outcome::Clean
}
