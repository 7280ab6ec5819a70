//! The `mandate-map` binary: parses the command line and maps errors to exit codes
//! (1: the data has problems or a command failed; 2: bad usage, from clap or a filter value
//! the data does not know; a reader that stops reading, as `| head` does, is not a failure).

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = mandate_map::cli::Cli::parse();
    match mandate_map::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                mandate_map::cli::Error::Usage(_) => std::process::ExitCode::from(2),
                _ => std::process::ExitCode::FAILURE,
            }
        }
    }
}
