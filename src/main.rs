//! The `regiosim` binary: parse the command line, run, print errors, exit
//! with 0 (success), 1 (failure) or 2 (bad input).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = regiosim::cli::Cli::parse();
    match regiosim::cli::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", regiosim::cli::error_text(&e));
            if regiosim::cli::is_input_error(&e) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
