//! `regiosim run SCENARIO...`: replications of each scenario, CSV results,
//! comparisons against the first scenario, and the manifest (written last).

use super::InputError;
use super::execute::{ExecArgs, execute};
use crate::experiment::Experiment;
use crate::model::metric_names;
use crate::output::tables::ScenarioRuns;
use crate::output::{fmt_num, stats::summarise};
use crate::scenario::{self, LoadedScenario};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario files; the first is the baseline for comparison.csv.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Replications per scenario (replication r shares random streams across scenarios).
    #[arg(long, default_value_t = 8)]
    pub replications: u32,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output years, overriding `simulation.years` of every scenario.
    #[arg(long)]
    pub years: Option<u32>,
    /// A calibration's posterior.csv: replication r runs with a weighted
    /// draw of its parameter values, the same draw in every scenario.
    #[arg(long)]
    pub posterior: Option<PathBuf>,
    /// Posterior draws D (D must divide --replications; each draw runs
    /// replications / D of them): a nested design for variance_split.csv.
    #[arg(long, requires = "posterior")]
    pub posterior_draws: Option<u32>,
    #[command(flatten)]
    pub exec: ExecArgs,
}

/// The override that `--years` sets (none without it).
pub fn years_override(years: Option<u32>) -> Vec<(String, toml::Value)> {
    years
        .map(|y| {
            (
                "simulation.years".to_string(),
                toml::Value::Integer(i64::from(y)),
            )
        })
        .into_iter()
        .collect()
}

/// Loads every scenario, with `--years` applied; names must be unique.
pub fn load_scenarios(
    paths: &[PathBuf],
    years: Option<u32>,
) -> anyhow::Result<Vec<LoadedScenario>> {
    let overrides = years_override(years);
    let mut loaded: Vec<LoadedScenario> = Vec::new();
    for p in paths {
        let l = scenario::load_with(p, &overrides)?;
        if let Some(other) = loaded.iter().find(|o| o.scenario.name == l.scenario.name) {
            return Err(InputError(format!(
                "scenarios {} and {} are both named `{}`; give each a unique `name`",
                other.sources[0].path.display(),
                p.display(),
                l.scenario.name
            ))
            .into());
        }
        loaded.push(l);
    }
    Ok(loaded)
}

pub fn run(a: RunArgs) -> anyhow::Result<()> {
    if a.replications == 0 {
        return Err(InputError("--replications must be at least 1".into()).into());
    }
    if a.years == Some(0) {
        return Err(InputError("--years must be at least 1".into()).into());
    }
    let scenarios = load_scenarios(&a.scenarios, a.years)?;
    let mut command_line = vec!["run".to_string()];
    command_line.extend(a.scenarios.iter().map(|p| p.display().to_string()));
    command_line.extend([
        "--replications".into(),
        a.replications.to_string(),
        "--seed".into(),
        a.seed.to_string(),
    ]);
    if let Some(y) = a.years {
        command_line.extend(["--years".into(), y.to_string()]);
    }
    let posterior = match &a.posterior {
        Some(p) => {
            command_line.extend(["--posterior".into(), p.display().to_string()]);
            if let Some(d) = a.posterior_draws {
                command_line.extend(["--posterior-draws".into(), d.to_string()]);
            }
            Some(crate::experiment::posterior::Posterior::load(
                p,
                a.posterior_draws,
                a.replications,
                a.seed,
                &scenarios,
            )?)
        }
        None => None,
    };
    let exp = Experiment {
        scenarios,
        replications: a.replications,
        seed: a.seed,
        command_line,
        sweep: None,
        posterior,
    };
    let started = Instant::now();
    let x = a.exec.execution();
    if let Some(results) = execute(&exp, &x)?
        && !a.exec.quiet
    {
        print_summary(
            &results,
            exp.units().len(),
            started.elapsed().as_secs_f64(),
            &a.exec.out,
        );
        if exp.posterior.is_some() {
            super::print_stdout(&crate::output::uncertainty::saving_sentences(&results));
        }
    }
    Ok(())
}

fn print_summary(results: &[ScenarioRuns], runs: usize, secs: f64, out: &Path) {
    use std::fmt::Write;
    let mut text = format!(
        "regiosim: {runs} runs in {secs:.1} s; results in {}\n",
        out.display()
    );
    let names = metric_names();
    let shown = [
        "second_line_referrals_per_1000",
        "wait_assessment_days_mean",
        "thuiszitters_per_1000",
        "cost_total_eur",
    ];
    for sc in results {
        let Some(last) = sc.reps.first().map(|r| r.metrics.len().saturating_sub(1)) else {
            continue;
        };
        let _ = writeln!(
            text,
            "  {} (region, year {}):",
            sc.name,
            sc.start_year + last as i32
        );
        for m in shown {
            let Some(i) = names.iter().position(|n| n == m) else {
                continue;
            };
            let values: Vec<f64> = sc.reps.iter().map(|r| r.metrics[last][0][i]).collect();
            let s = summarise(&values, 0.95);
            let ci = if s.n >= 2 {
                format!(
                    "95% CI {} to {}",
                    fmt_num(round3(s.low)),
                    fmt_num(round3(s.high))
                )
            } else {
                "one replication: no CI".to_string()
            };
            let _ = writeln!(text, "    {m:<32} {:>14} ({ci})", fmt_num(round3(s.mean)));
        }
    }
    super::print_stdout(&text);
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
