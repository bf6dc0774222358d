use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tidings::cli::Cli::parse();
    // Off unless `--log LEVEL` or TIDINGS_LOG asks; the guard flushes the log when main returns.
    let _log = tidings::logging::init(tidings::logging::level(cli.log_level()));
    tidings::commands::run(cli)
}
