//! `regiosim check FILE...`: validates scenario files and prints each fully
//! resolved scenario (extends merged, defaults filled) as TOML. A sweep file
//! (one with a sweep's keys, such as `base` or `[[parameters]]`) is checked
//! with its base and every variant, without running anything.

use super::InputError;
use super::set::{self, Setting, parse_setting};
use crate::experiment::sweep;
use crate::scenario::{self, LoadedScenario, ScenarioError};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenario or sweep files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Set a scenario key before checking, as `run --set` does (for a sweep
    /// file: in its base). Repeat for more keys.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_setting)]
    pub set: Vec<Setting>,
}

pub fn check(a: CheckArgs) -> anyhow::Result<()> {
    set::check(None, &a.set)?;
    let mut failed = 0;
    for file in &a.files {
        match check_file_with(file, &a.set) {
            Ok(text) => super::print_stdout(&text),
            Err(e) => {
                eprintln!("error: {}", super::error_text(&e));
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(InputError(format!("{failed} of {} files have errors", a.files.len())).into());
    }
    Ok(())
}

/// Top-level keys that only a sweep file has.
const SWEEP_KEYS: [&str; 7] = [
    "base",
    "replications",
    "method",
    "points",
    "levels",
    "metrics",
    "parameters",
];

/// Checks one scenario or sweep file; returns what `check` prints for it.
pub fn check_file(file: &Path) -> Result<String, ScenarioError> {
    if is_sweep(file) {
        // The design's seed only picks points; seed 1 is `sweep`'s default.
        let (sw, base) = sweep::load(file, 1, &[])?;
        return Ok(sweep_line(
            file,
            &sw,
            sw.variants(&base, file)?.len(),
            &base,
        ));
    }
    let l = scenario::load(file)?;
    Ok(scenario_text(file, &l))
}

/// As [`check_file`], with `--set` applied to the scenario (for a sweep
/// file: to its base) first.
fn check_file_with(file: &Path, settings: &[Setting]) -> anyhow::Result<String> {
    if settings.is_empty() {
        return Ok(check_file(file)?);
    }
    if is_sweep(file) {
        let (sw, base) = sweep::load(file, 1, &[])?;
        let base = set::apply(base, settings)?;
        let n = sw.variants(&base, file)?.len();
        return Ok(sweep_line(file, &sw, n, &base));
    }
    let l = set::apply(scenario::load(file)?, settings)?;
    Ok(scenario_text(file, &l))
}

fn sweep_line(file: &Path, sw: &sweep::Sweep, variants: usize, base: &LoadedScenario) -> String {
    format!(
        "# {}: ok (sweep `{}`, method {}: {} variants, base included, × {} replications; base {} students)\n",
        file.display(),
        sw.name,
        sw.method.as_str(),
        variants,
        sw.replications,
        base.scenario.students()
    )
}

fn scenario_text(file: &Path, l: &LoadedScenario) -> String {
    format!(
        "# {}: ok ({} students)\n{}\n",
        file.display(),
        l.scenario.students(),
        l.resolved_toml
    )
}

/// True for a readable file with a sweep's top-level keys; anything else
/// is checked (and its errors reported) as a scenario. The keys are read
/// with error recovery, so a sweep file with a syntax error is reported as
/// a sweep, not as a scenario with unknown keys.
fn is_sweep(file: &Path) -> bool {
    let Ok(text) = scenario::read_source(file, "scenario file") else {
        return false;
    };
    let (table, _errors) = toml::de::DeTable::parse_recoverable(&text);
    SWEEP_KEYS.iter().any(|k| table.get_ref().contains_key(*k))
}
