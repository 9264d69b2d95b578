//! `regiosim run SCENARIO...`: replications of each scenario, CSV results,
//! comparisons against the first scenario, and the manifest (written last).

use super::InputError;
use super::execute::{ExecArgs, execute};
use super::set::{self, Setting, parse_setting};
use crate::experiment::Experiment;
use crate::model::metric_names;
use crate::output::tables::ScenarioRuns;
use crate::output::{fmt_num, stats::summarise};
use crate::scenario::{self, LoadedScenario, MAX_YEARS};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone, clap::Args)]
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
    /// Set a scenario key in every scenario, checked like a value in the
    /// file: `--set dsav.hours_per_school_week=4`, `--set
    /// collaboration.model=netwerk`. The value is TOML (a bare word is a
    /// string); repeat for more keys. Recorded in the manifest.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_setting)]
    pub set: Vec<Setting>,
    /// Print one JSON document on stdout instead of the text summary: the
    /// output folder, the scenarios and the region rows of summary.csv and
    /// comparison.csv (also with --quiet, which then only hides progress).
    #[arg(long)]
    pub json: bool,
    /// Also write the tables as one Excel workbook, DIR/results.xlsx (as
    /// `regiosim export DIR --xlsx`); the CSV files stay as they are.
    #[arg(long, conflicts_with_all = ["shard", "shard_index"])]
    pub xlsx: bool,
    #[command(flatten)]
    pub windows: WindowArgs,
    #[command(flatten)]
    pub posterior: PosteriorArgs,
    /// Stop every run at DATE, the first day of a simulated year
    /// (YYYY-01-01; warm-up years count), and save the state of all runs
    /// to --save-state FILE (no tables are written).
    #[arg(long, value_name = "DATE", requires = "save_state", conflicts_with_all = ["from_state", "state"])]
    pub until: Option<String>,
    /// The state file that --until writes (versioned, checksummed).
    #[arg(
        long,
        value_name = "FILE",
        requires = "until",
        conflicts_with_all = ["posterior", "shard", "shard_index", "xlsx"]
    )]
    pub save_state: Option<PathBuf>,
    #[command(flatten)]
    pub start: StartArgs,
    /// Structural alternatives (a file like scenarios/structures/dsav.toml):
    /// the whole run is repeated under each, into DIR/NAME/, and
    /// DIR/structures.csv puts their effects side by side.
    #[arg(long, conflicts_with_all = ["json", "shard", "shard_index", "xlsx", "until", "save_state"])]
    pub structures: Option<PathBuf>,
    #[command(flatten)]
    pub exec: ExecArgs,
}

/// Where a run or sweep starts: a saved state, or an observed one.
#[derive(Debug, Clone, clap::Args)]
pub struct StartArgs {
    /// Continue every run from a state saved with `run --until DATE
    /// --save-state FILE` to the scenarios' horizon. A state of one
    /// scenario starts every scenario (or variant) of the run: a fork,
    /// which may change policies, capacities and costs, not the
    /// population; else scenario i continues the i-th saved one.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["posterior", "state"])]
    pub from_state: Option<PathBuf>,
    /// With --from-state: the sha256 the state file must have (the
    /// manifest records it, so `reproduce` finds the same state).
    #[arg(long, value_name = "HEX", requires = "from_state")]
    pub state_sha256: Option<String>,
    /// An observed state folder (docs/STATE.md, checked as `check-state
    /// DIR --scenario FILE` checks it): every run starts from its
    /// caseloads and waiting lists on its reference date (1 January).
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
}

impl StartArgs {
    /// The saved state every run continues, and the observed states per
    /// scenario, each recorded on the command line.
    pub fn load(
        &self,
        scenarios: &[crate::scenario::LoadedScenario],
        seed: u64,
        replications: u32,
        quiet: bool,
        command_line: &mut Vec<String>,
    ) -> anyhow::Result<(
        Option<std::sync::Arc<crate::checkpoint::Start>>,
        Vec<std::sync::Arc<crate::state::InitialState>>,
    )> {
        let start = match &self.from_state {
            Some(path) => {
                let started = Instant::now();
                let st = crate::checkpoint::load(
                    path,
                    self.state_sha256.as_deref(),
                    scenarios,
                    seed,
                    replications,
                )
                .map_err(|e| InputError(e.0))?;
                if !quiet {
                    eprintln!(
                        "regiosim: continuing from the state at {} in {} (read and checked in {:.2} s)",
                        st.state.date,
                        path.display(),
                        started.elapsed().as_secs_f64()
                    );
                }
                command_line.extend([
                    "--from-state".into(),
                    path.display().to_string(),
                    "--state-sha256".into(),
                    st.sha256.clone(),
                ]);
                Some(std::sync::Arc::new(st))
            }
            None => None,
        };
        let states = match &self.state {
            Some(dir) => {
                command_line.extend(["--state".into(), dir.display().to_string()]);
                crate::experiment::load_states(dir, scenarios)?
            }
            None => Vec::new(),
        };
        Ok((start, states))
    }
}

/// A run or sweep over a calibration's posterior.
#[derive(Debug, Clone, clap::Args)]
pub struct PosteriorArgs {
    /// A calibration's posterior.csv: replication r runs with a weighted
    /// draw of its parameter values, the same draw in every scenario.
    #[arg(long)]
    pub posterior: Option<PathBuf>,
    /// Posterior draws D (D must divide the replications; each draw runs
    /// replications / D of them): a nested design for variance_split.csv.
    #[arg(long, requires = "posterior")]
    pub posterior_draws: Option<u32>,
}

impl PosteriorArgs {
    /// The posterior's draws for `scenarios` (none without --posterior),
    /// recorded on the command line.
    pub fn load(
        &self,
        replications: u32,
        seed: u64,
        scenarios: &[crate::scenario::LoadedScenario],
        command_line: &mut Vec<String>,
    ) -> anyhow::Result<Option<crate::experiment::posterior::Posterior>> {
        let Some(p) = &self.posterior else {
            return Ok(None);
        };
        command_line.extend(["--posterior".into(), p.display().to_string()]);
        if let Some(d) = self.posterior_draws {
            command_line.extend(["--posterior-draws".into(), d.to_string()]);
        }
        let posterior = crate::experiment::posterior::Posterior::load(
            p,
            self.posterior_draws,
            replications,
            seed,
            scenarios,
        )?;
        Ok(Some(posterior))
    }
}

/// Extra windows of `horizon.csv` and `cost_effectiveness.csv`.
#[derive(Debug, Clone, clap::Args)]
pub struct WindowArgs {
    /// Also sum effects and costs over the calendar years FROM-TO (for
    /// example 2027-2030; repeatable); every window from the first output
    /// year is always there.
    #[arg(long = "window", value_name = "FROM-TO", value_parser = crate::experiment::parse_window)]
    pub windows: Vec<(i32, i32)>,
}

impl WindowArgs {
    /// Checks each window against the output years of `scenario` and adds
    /// it to the command line (which the manifest keeps).
    pub fn record(
        &self,
        scenario: &LoadedScenario,
        command_line: &mut Vec<String>,
    ) -> Result<(), InputError> {
        let sim = &scenario.scenario.simulation;
        let (first, last) = (
            i64::from(sim.start_year),
            i64::from(sim.start_year) + i64::from(sim.years) - 1,
        );
        for &(from, to) in &self.windows {
            if i64::from(from) < first || i64::from(to) > last {
                return Err(InputError(format!(
                    "--window {from}-{to} is outside the output years {first}-{last}; choose years in that range (or change --years)"
                )));
            }
            command_line.extend(["--window".into(), format!("{from}-{to}")]);
        }
        Ok(())
    }
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

/// Loads every scenario with `--years`, then `--set`, applied; names must
/// be unique.
pub fn load_scenarios(
    paths: &[PathBuf],
    years: Option<u32>,
    settings: &[Setting],
) -> anyhow::Result<Vec<LoadedScenario>> {
    let overrides = years_override(years);
    let mut loaded: Vec<LoadedScenario> = Vec::new();
    for p in paths {
        let l = set::apply(scenario::load_with(p, &overrides)?, settings)?;
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

pub fn run(mut a: RunArgs) -> anyhow::Result<()> {
    a.exec.resolve_shard()?;
    if let Some(file) = a.structures.take() {
        return super::structures::run(a, &file);
    }
    if a.replications == 0 {
        return Err(InputError("--replications must be at least 1".into()).into());
    }
    if a.years == Some(0) {
        return Err(InputError("--years must be at least 1".into()).into());
    }
    if let Some(y) = a.years
        && y > MAX_YEARS
    {
        return Err(InputError(format!("--years {y}: at most {MAX_YEARS} output years")).into());
    }
    set::check(a.years, &a.set)?;
    let scenarios = load_scenarios(&a.scenarios, a.years, &a.set)?;
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
    if let Some(first) = scenarios.first() {
        a.windows.record(first, &mut command_line)?;
    }
    command_line.extend(set::command_line(&a.set));
    let posterior = a
        .posterior
        .load(a.replications, a.seed, &scenarios, &mut command_line)?;
    let (start, states) = a.start.load(
        &scenarios,
        a.seed,
        a.replications,
        a.exec.quiet || a.json,
        &mut command_line,
    )?;
    let exp = Experiment {
        scenarios,
        replications: a.replications,
        seed: a.seed,
        command_line,
        sweep: None,
        posterior,
        start,
        states,
    };
    if let (Some(date), Some(file)) = (&a.until, &a.save_state) {
        return save_state(&exp, date, file, &a.exec);
    }
    let started = Instant::now();
    let x = a.exec.execution();
    let done = execute(&exp, &x)?;
    if a.xlsx && done.is_some() {
        super::export::write_workbook(&a.exec.out, &a.exec.out.join(super::export::WORKBOOK))?;
    }
    if a.json {
        return super::json::print(&a.exec.out, a.exec.shard);
    }
    if let Some(results) = done
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

/// `--until DATE --save-state FILE`: runs every (scenario, replication)
/// up to DATE and writes their worlds to FILE.
fn save_state(exp: &Experiment, date: &str, file: &Path, x: &ExecArgs) -> anyhow::Result<()> {
    use crate::checkpoint::{SavedScenario, SavedState, model_year_of, population_keys};
    use rayon::prelude::*;
    let mut model_year = None;
    for l in &exp.scenarios {
        let y = model_year_of(&l.scenario, date).map_err(|e| InputError(format!("--until {e}")))?;
        if model_year.is_some_and(|m| m != y) {
            return Err(InputError(format!(
                "--until {date} falls in different model years of the scenarios (their simulation.start_year or warmup_years differ); save each scenario's state in a run of its own"
            ))
            .into());
        }
        model_year = Some(y);
    }
    let Some(model_year) = model_year else {
        return Ok(());
    };
    exp.size(None, x.threads).check(x.allow_large)?;
    if file.is_dir() {
        return Err(InputError(format!(
            "--save-state {} is a folder; give a file name",
            file.display()
        ))
        .into());
    }
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(x.threads)
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start {} worker threads: {e}", x.threads))?;
    let units = exp.units();
    let bar = super::progress::bar(units.len() as u64, "runs", x.quiet);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let worlds: Vec<Vec<Vec<u8>>> = pool.install(|| {
        units
            .par_iter()
            .map(|&(s, r)| {
                let w = crate::model::save_replication(
                    &exp.scenarios[s].scenario,
                    exp.seed,
                    r,
                    model_year,
                );
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                bar.set_position(n as u64);
                w
            })
            .collect()
    });
    bar.finish_and_clear();
    let simulated = started.elapsed().as_secs_f64();
    let mut worlds = worlds.into_iter();
    let state = SavedState {
        regiosim_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: exp.seed,
        replications: exp.replications,
        model_year,
        date: date.to_string(),
        scenarios: exp
            .scenarios
            .iter()
            .map(|l| SavedScenario {
                name: l.scenario.name.clone(),
                keys: population_keys(&l.scenario),
                worlds: worlds.by_ref().take(exp.replications as usize).collect(),
            })
            .collect(),
    };
    let bytes = state.to_bytes();
    crate::output::atomic_write(file, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
    if !x.quiet {
        super::print_stdout(&format!(
            "regiosim: saved the state of {} runs at {date} in {} ({:.1} MB; simulated in {simulated:.1} s, encoded and written in {:.2} s)\n",
            units.len(),
            file.display(),
            bytes.len() as f64 / 1e6,
            started.elapsed().as_secs_f64() - simulated
        ));
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
