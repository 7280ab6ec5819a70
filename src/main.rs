//! The `mandate-map` binary: parses the command line and maps errors to exit codes
//! (1: the data has problems or a command failed; 2: bad usage, from clap).

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = mandate_map::cli::Cli::parse();
    match mandate_map::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
