//! The command-line interface: argument definitions and one module per
//! subcommand. `main.rs` only parses, dispatches and maps errors to exit
//! codes (0 success, 1 failure, 2 bad input).

mod backtest;
mod calibrate;
mod check;
mod completions;
mod execute;
mod export;
mod folder;
mod json;
mod merge;
mod params;
mod progress;
mod report;
mod reproduce;
mod run;
mod serve;
pub mod set;
mod state;
mod structures;
mod sweep;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "regiosim",
    version = env!("REGIOSIM_VERSION"),
    about = "Simulate a Dutch regional youth support system: schools, wijkteams, huisarts routes and specialist youth care with their waiting lists.",
    after_help = "Examples:
  regiosim run scenarios/nijmegen.toml scenarios/nijmegen-dsav.toml --out out/dsav
  regiosim report out/dsav -o rapport.html
  regiosim export out/dsav --xlsx
  regiosim sweep scenarios/sweeps/dsav-grid.toml --out out/grid

Exit codes: 0 success, 1 failure, 2 bad input (the message names the problem and the fix).
`regiosim SUBCOMMAND --help` shows each subcommand's options and examples."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios with replications and write CSV results and a manifest.
    #[command(after_help = "Examples:
  regiosim run scenarios/nijmegen.toml scenarios/nijmegen-dsav.toml --out out/dsav
  regiosim run scenarios/test-region.toml --replications 2 --years 2 --json --quiet --out out/t
  regiosim run scenarios/nijmegen.toml --set dsav.enabled=true --set dsav.hours_per_school_week=4 --out out/dsav4
  regiosim run scenarios/nijmegen.toml --set collaboration.model=netwerk --xlsx --out out/netwerk
  regiosim run scenarios/nijmegen.toml --shard 2/8 --out out/shard-2        # 1-based
  regiosim run scenarios/nijmegen.toml --shard-index 1 --shard-count 8 --out out/shard-2   # 0-based
  regiosim run scenarios/nijmegen.toml --until 2026-01-01 --save-state nijmegen-2026.state
  regiosim run scenarios/nijmegen.toml scenarios/nijmegen-dsav.toml --from-state nijmegen-2026.state --out out/fork")]
    Run(run::RunArgs),
    /// Validate scenario files and print each fully resolved scenario as TOML;
    /// check sweep files with their base and every variant, running nothing.
    #[command(after_help = "Examples:
  regiosim check scenarios/nijmegen-dsav.toml
  regiosim check scenarios/sweeps/nijmegen-sobol.toml
  regiosim check scenarios/nijmegen.toml --set wijkteam.fte_per_1000_students=1.2")]
    Check(check::CheckArgs),
    /// Run a sweep: a base scenario with keys varied over a grid, a Latin
    /// hypercube, or a Morris or Sobol' design.
    #[command(after_help = "Examples:
  regiosim sweep scenarios/sweeps/dsav-grid.toml --out out/grid
  regiosim sweep scenarios/sweeps/nijmegen-morris.toml --years 3 --json --quiet --out out/morris
  regiosim sweep scenarios/sweeps/dsav-grid.toml --set huisarts.poh_coverage=0.5 --out out/grid-poh
  regiosim sweep scenarios/sweeps/nijmegen-sobol.toml --shard-index $SLURM_ARRAY_TASK_ID --shard-count 16 --out out/sobol/shard-$SLURM_ARRAY_TASK_ID")]
    Sweep(sweep::SweepArgs),
    /// Combine the output folders of sharded runs (--shard K/N) into one.
    #[command(after_help = "Examples:
  regiosim merge -o out/sobol out/sobol/shard-*")]
    Merge(merge::MergeArgs),
    /// Re-run a finished run or sweep from its manifest and compare the bytes.
    #[command(after_help = "Examples:
  regiosim reproduce results/nijmegen-dsav")]
    Reproduce(reproduce::ReproduceArgs),
    /// Write a report a gemeente can read (self-contained HTML, Dutch by default).
    #[command(after_help = "Examples:
  regiosim report out/dsav -o rapport.html
  regiosim report out/dsav -o report.html --lang en
  regiosim report out/dsav -o - --format md")]
    Report(report::ReportArgs),
    /// Serve the what-if page: move a lever, see the paired effect with its interval.
    #[command(after_help = "Examples:
  regiosim serve scenarios/nijmegen.toml            # then open http://127.0.0.1:8080/
  regiosim serve scenarios/nijmegen.toml scenarios/deventer.toml --port 0 --years 5 --replications 10")]
    Serve(serve::ServeArgs),
    /// Write a finished run's tables as one Excel workbook (--xlsx).
    Export(export::ExportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write every page to a folder.
    Man(completions::ManArgs),
    /// Calibrate parameters with uncertainty: history matching, then ABC-SMC.
    #[command(after_help = "Examples:
  regiosim calibrate calibration/nijmegen-quick.toml -o out/nijmegen-quick
  regiosim calibrate calibration/nijmegen-quick.toml -o out/nijmegen-quick --resume
  regiosim run scenarios/nijmegen.toml scenarios/nijmegen-dsav.toml --replications 40 --posterior calibration/nijmegen-quick/posterior.csv --posterior-draws 20")]
    Calibrate(calibrate::CalibrateArgs),
    /// Check an observed starting state (CBS StatLine CSVs, waiting lists)
    /// against a scenario and print its counts with their rounding intervals.
    #[command(after_help = "Examples:
  regiosim check-state scenarios/state/nijmegen-2025 --scenario scenarios/nijmegen.toml")]
    CheckState(state::CheckStateArgs),
    /// Backtest a forecast: fit on the years up to Y, forecast Y+1..Y+k
    /// from the observed state, score it against the observed figures
    /// (MAPE, 90% interval coverage) beside a naive benchmark.
    #[command(after_help = "Examples:
  regiosim backtest scenarios/backtest/nijmegen-2016.toml -o out/backtest-nijmegen-2016")]
    Backtest(backtest::BacktestArgs),
    /// List every scenario key with its unit, default, valid range and prior
    /// (CSV, or markdown); regenerate docs/SCENARIOS.md's key tables.
    Params(params::ParamsArgs),
}

pub use check::check_file;

/// Bad input that is not a scenario file problem (arguments, output folder).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// True when the error was caused by the user's input (exit code 2).
pub fn is_input_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.is::<InputError>()
            || c.is::<crate::scenario::ScenarioError>()
            || c.is::<crate::state::StateError>()
            || c.downcast_ref::<crate::experiment::ExperimentError>()
                .is_some_and(|x| x.is_input())
    })
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
        Command::Serve(a) => serve::serve(a),
        Command::Export(a) => export::export(a),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
        Command::Calibrate(a) => calibrate::calibrate(a),
        Command::CheckState(a) => state::check_state(a),
        Command::Backtest(a) => backtest::backtest(a),
        Command::Params(a) => params::params(a),
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
