//! The `dfslim` binary: a thin shell around the library. All of clap, files, stdout and
//! exit codes live in [`cli`].
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
