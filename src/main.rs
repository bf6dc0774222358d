use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tidings::cli::Cli::parse();
    tidings::commands::run(cli)
}
