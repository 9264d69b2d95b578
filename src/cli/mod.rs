//! The command-line interface: argument definitions and one module per
//! subcommand. `main.rs` only parses, dispatches and maps errors to exit
//! codes (0 success, 1 failure, 2 bad input).

mod calibrate;
mod check;
mod execute;
mod folder;
mod merge;
mod progress;
mod report;
mod reproduce;
mod run;
mod sweep;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "regiosim",
    version,
    about = "Simulate a Dutch regional youth support system: schools, wijkteams, huisarts routes and specialist youth care with their waiting lists."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios with replications and write CSV results and a manifest.
    Run(run::RunArgs),
    /// Validate scenario files and print each fully resolved scenario as TOML;
    /// check sweep files with their base and every variant, running nothing.
    Check(check::CheckArgs),
    /// Run a sweep: a base scenario with keys varied over a grid, a Latin
    /// hypercube, or a Morris or Sobol' design.
    Sweep(sweep::SweepArgs),
    /// Combine the output folders of sharded runs (--shard K/N) into one.
    Merge(merge::MergeArgs),
    /// Re-run a finished run or sweep from its manifest and compare the bytes.
    Reproduce(reproduce::ReproduceArgs),
    /// Write a report a gemeente can read (self-contained HTML, Dutch by default).
    Report(report::ReportArgs),
    /// Calibrate parameters with uncertainty: history matching, then ABC-SMC.
    Calibrate(calibrate::CalibrateArgs),
}

pub use check::check_file;

/// Bad input that is not a scenario file problem (arguments, output folder).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// True when the error was caused by the user's input (exit code 2).
pub fn is_input_error(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.is::<InputError>() || c.is::<crate::scenario::ScenarioError>())
}

/// The error and its causes, "error: cause: cause", each cause once: a
/// cause whose text the message already holds (an error that prints its
/// source) is not repeated.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
    }
    text
}

pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Check(a) => check::check(a),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Merge(a) => merge::merge(a),
        Command::Reproduce(a) => reproduce::reproduce(a),
        Command::Report(a) => report::report(a),
        Command::Calibrate(a) => calibrate::calibrate(a),
    }
}

/// Writes to stdout; a closed pipe (`regiosim check x | head`) is not an error.
pub(crate) fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn an_os_error_is_printed_once() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let io_text = io.to_string();
        // An error that prints its source, as thiserror's `{source}` does.
        let e = anyhow::Error::new(crate::scenario::ScenarioError::Io {
            path: "a.toml".into(),
            source: io,
        });
        let text = error_text(&e);
        assert_eq!(text.matches(&io_text).count(), 1, "{text}");
        // Context on a bare error keeps both.
        let e = Err::<(), _>(std::io::Error::from(std::io::ErrorKind::NotFound))
            .context("cannot write out/runs.csv")
            .unwrap_err();
        assert_eq!(
            error_text(&e),
            format!("cannot write out/runs.csv: {io_text}")
        );
    }
}
