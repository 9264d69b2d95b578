//! The `regiosim` binary: parse the command line, run, print errors, exit
//! with 0 (success), 1 (failure) or 2 (bad input).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = regiosim::cli::Cli::parse();
    match regiosim::cli::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error_text(&e));
            if regiosim::cli::is_input_error(&e) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause whose text
/// an outer message already holds (an error that shows its source, such as
/// "cannot read X: No such file (os error 2)", would otherwise repeat it).
fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if text.contains(&s) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&s);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read f.toml: {source}")]
    struct ShowsSource {
        source: std::io::Error,
    }

    #[test]
    fn an_os_error_is_printed_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file (os error 2)");
        let e = anyhow::Error::new(ShowsSource { source: io }).context("loading x");
        assert_eq!(
            error_text(&e),
            "loading x: cannot read f.toml: no such file (os error 2)"
        );
    }

    #[test]
    fn causes_not_yet_said_are_kept() {
        let e = anyhow::anyhow!("disk full").context("writing out/runs.csv");
        assert_eq!(error_text(&e), "writing out/runs.csv: disk full");
    }
}
