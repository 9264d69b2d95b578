//! Experiments: scenarios × replications scheduled on a rayon pool, merged
//! in a fixed order so the results never depend on the thread count.
//! Replication r of every scenario uses the random streams of (seed, r):
//! common random numbers across scenarios. Finished runs can be flushed to
//! `parts/` as they finish (resume, shards); this layer does that I/O, the
//! model below it does none.

pub mod parts;
pub mod posterior;
pub mod sensitivity;
pub mod size;
pub mod sweep;

use crate::engine::StreamKey;
use crate::model::{metric_names, run_replication_from};
use crate::output::forecast::FORECAST_VALUES;
use crate::output::manifest::{
    Manifest, ManifestFile, ManifestScenario, ManifestSweep, git_commit, now_unix,
};
use crate::output::tables::{self, RunRows, ScenarioRuns};
use crate::output::{drivers, effects, uncertainty};
use crate::output::{fmt_num, stats::summarise, text_cell};
use crate::scenario::{self, LoadedScenario, SourceFile, sha256_hex};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use sweep::{Method, Sweep};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExperimentError {
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
    #[error("cannot save a finished run in {dir}: {source}")]
    Flush { dir: String, source: std::io::Error },
    /// The run is above the limits of [`size`] (bad input).
    #[error("{0}")]
    TooLarge(String),
    /// A saved state that does not fit the run (bad input).
    #[error("{0}")]
    State(String),
    /// A manifest whose parts contradict each other (bad input).
    #[error(
        "the manifest is inconsistent: {0}; it was edited or damaged, so it cannot be reproduced or merged (run the original command again)"
    )]
    Inconsistent(String),
}

impl ExperimentError {
    /// True when the user's input caused the error (exit code 2).
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            ExperimentError::TooLarge(_)
                | ExperimentError::Inconsistent(_)
                | ExperimentError::State(_)
        )
    }
}

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// The output tables a run or sweep can write ([`Experiment::writes`]
/// says which it does): the one list of their file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Runs,
    BySchoolType,
    Timeseries,
    Summary,
    Comparison,
    Horizon,
    CostEffectiveness,
    Variants,
    Sensitivity,
    PosteriorDraws,
    Probabilities,
    VarianceSplit,
    Drivers,
    Forecast,
}

impl Table {
    /// Every table, in writing order.
    pub const ALL: [Table; 14] = [
        Table::Runs,
        Table::BySchoolType,
        Table::Timeseries,
        Table::Summary,
        Table::Comparison,
        Table::Horizon,
        Table::CostEffectiveness,
        Table::Variants,
        Table::Sensitivity,
        Table::PosteriorDraws,
        Table::Probabilities,
        Table::VarianceSplit,
        Table::Drivers,
        Table::Forecast,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            Table::Runs => "runs.csv",
            Table::BySchoolType => "by_school_type.csv",
            Table::Timeseries => "timeseries.csv",
            Table::Summary => "summary.csv",
            Table::Comparison => "comparison.csv",
            Table::Horizon => "horizon.csv",
            Table::CostEffectiveness => "cost_effectiveness.csv",
            Table::Variants => "variants.csv",
            Table::Sensitivity => "sensitivity.csv",
            Table::PosteriorDraws => "posterior_draws.csv",
            Table::Probabilities => "probabilities.csv",
            Table::VarianceSplit => "variance_split.csv",
            Table::Drivers => "drivers.csv",
            Table::Forecast => "forecast.csv",
        }
    }
}

/// Everything that determines the results of a run or sweep.
#[derive(Debug, Clone)]
pub struct Experiment {
    /// For a sweep: the base, then each variant.
    pub scenarios: Vec<LoadedScenario>,
    pub replications: u32,
    pub seed: u64,
    /// The arguments that determine the results (execution options left out).
    pub command_line: Vec<String>,
    pub sweep: Option<(Sweep, ManifestSweep)>,
    /// For a run over a calibration's posterior: replication r runs with
    /// the values of its draw (`posterior.rs`).
    pub posterior: Option<posterior::Posterior>,
    /// For a run with `--from-state`: the saved worlds each run continues
    /// from (`crate::checkpoint`); `None` runs from the start.
    pub start: Option<std::sync::Arc<crate::checkpoint::Start>>,
    /// `--state DIR`: the observed state each scenario starts from (one
    /// per scenario, in scenario order; empty without a state).
    pub states: Vec<std::sync::Arc<crate::state::InitialState>>,
}

/// Loads the state folder `dir` for every scenario (`--state`): each must
/// pass `check-state` against it.
pub fn load_states(
    dir: &Path,
    scenarios: &[LoadedScenario],
) -> anyhow::Result<Vec<std::sync::Arc<crate::state::InitialState>>> {
    scenarios
        .iter()
        .map(|l| {
            let observed = crate::state::load(dir, l)?;
            let init = crate::state::InitialState::from_observed(&observed, &l.scenario)?;
            Ok(std::sync::Arc::new(init))
        })
        .collect()
}

/// The folder of `--state DIR` on a command line, if any.
pub fn state_dir(command_line: &[String]) -> Option<&str> {
    command_line
        .windows(2)
        .find(|w| w[0] == "--state")
        .map(|w| w[1].as_str())
}

impl Experiment {
    /// The extra windows of `horizon.csv` and `cost_effectiveness.csv`
    /// (`--window FROM-TO`), read from the command line, which the
    /// manifest keeps, so `reproduce` and `merge` find them too.
    pub fn windows(&self) -> Vec<(i32, i32)> {
        self.command_line
            .windows(2)
            .filter(|w| w[0] == "--window")
            .filter_map(|w| parse_window(&w[1]).ok())
            .collect()
    }

    /// All (scenario, replication) units, scenario-major.
    pub fn units(&self) -> Vec<(usize, u32)> {
        (0..self.scenarios.len())
            .flat_map(|s| (0..self.replications).map(move |r| (s, r)))
            .collect()
    }

    /// The units of one shard: every `count`-th unit from `index`.
    pub fn shard_units(&self, shard: Option<Shard>) -> Vec<(usize, u32)> {
        let all = self.units();
        match shard {
            None => all,
            Some(s) => all
                .into_iter()
                .enumerate()
                .filter(|(i, _)| i % s.count == s.index - 1)
                .map(|(_, u)| u)
                .collect(),
        }
    }

    /// A digest of everything that determines the results; parts written
    /// for another experiment are never mixed in.
    pub fn fingerprint(&self) -> String {
        let mut m = self.manifest(Vec::new());
        m.created_unix = 0;
        m.git_commit.clear();
        m.command_line.clear();
        let mut text = m.to_json();
        // A run from a saved state is another experiment than the
        // straight one: its parts are never mixed with those.
        if let Some(st) = &self.start {
            text.extend_from_slice(format!("\nfrom-state {}", st.sha256).as_bytes());
        }
        // An observed state's figures determine the results too.
        for s in &self.states {
            text.extend_from_slice(s.digest().as_bytes());
        }
        sha256_hex(&text)
    }

    /// Runs `units`, flushing each finished run to `parts` when given.
    pub fn execute(
        &self,
        units: &[(usize, u32)],
        threads: usize,
        parts: Option<&Path>,
        on_done: &(dyn Fn(usize) + Sync),
    ) -> Result<BTreeMap<(usize, u32), RunRows>, ExperimentError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| ExperimentError::Threads {
                threads,
                message: e.to_string(),
            })?;
        let done = AtomicUsize::new(0);
        let fingerprint = parts.map(|_| self.fingerprint()).unwrap_or_default();
        let rows: Vec<Result<((usize, u32), RunRows), ExperimentError>> = pool.install(|| {
            units
                .par_iter()
                .map(|&(s, r)| {
                    let scenario = match &self.posterior {
                        Some(p) => p.scenario(s, r),
                        None => &self.scenarios[s].scenario,
                    };
                    let result = match &self.start {
                        Some(st) => crate::model::resume_replication(
                            scenario,
                            self.seed,
                            r,
                            st.worlds(s, r),
                        )
                        .map_err(|e| {
                            ExperimentError::State(format!(
                                "{}: the saved state of scenario {s}, replication {r} does not decode ({e}); save the state again",
                                st.path
                            ))
                        })?,
                        None => {
                            let init = self.states.get(s).map(|x| &**x);
                            run_replication_from(scenario, init, self.seed, r, &mut |_| {})
                        }
                    };
                    let rows = RunRows::from_result(r, &result);
                    if let Some(dir) = parts {
                        parts::write_part(dir, &fingerprint, s, &rows).map_err(|source| {
                            ExperimentError::Flush {
                                dir: dir.display().to_string(),
                                source,
                            }
                        })?;
                    }
                    on_done(done.fetch_add(1, Ordering::Relaxed) + 1);
                    Ok(((s, r), rows))
                })
                .collect()
        });
        rows.into_iter().collect()
    }

    /// Whether `rows` has the shape of a run of scenario `s` (as many
    /// years, areas and metrics, each year's school types and months): a
    /// part read from disk passed its checksum but may still come from
    /// another experiment, or another version, and the tables index by
    /// this shape.
    pub fn fits(&self, s: usize, rows: &RunRows) -> bool {
        let Some(l) = self.scenarios.get(s) else {
            return false;
        };
        let sc = &l.scenario;
        let years = sc.simulation.years as usize;
        let (areas, metrics) = (1 + sc.gemeenten.len(), metric_names().len());
        rows.replication < self.replications
            && rows.metrics.len() == years
            && rows.by_type.len() == years
            && rows.monthly.len() == 12 * years
            && rows
                .metrics
                .iter()
                .all(|y| y.len() == areas && y.iter().all(|m| m.len() == metrics))
            && rows.forecast.len() == years
            && rows
                .forecast
                .iter()
                .all(|y| y.len() == areas && y.iter().all(|m| m.len() == FORECAST_VALUES))
    }

    /// The parts that are runs of this experiment; others (of another
    /// shape, or no unit of it) are left out and, for a resumed run, run again.
    pub fn own_parts(
        &self,
        mut parts: BTreeMap<(usize, u32), RunRows>,
    ) -> BTreeMap<(usize, u32), RunRows> {
        parts.retain(|&(s, r), rows| r == rows.replication && self.fits(s, rows));
        parts
    }

    /// Orders finished runs by scenario and replication; `None` if any is
    /// missing or is not the shape of its scenario's runs.
    pub fn assemble(&self, mut rows: BTreeMap<(usize, u32), RunRows>) -> Option<Vec<ScenarioRuns>> {
        self.scenarios
            .iter()
            .enumerate()
            .map(|(s, l)| {
                let sc = &l.scenario;
                let reps = (0..self.replications)
                    .map(|r| rows.remove(&(s, r)).filter(|rows| self.fits(s, rows)))
                    .collect::<Option<Vec<_>>>()?;
                Some(ScenarioRuns {
                    name: sc.name.clone(),
                    start_year: sc.simulation.start_year,
                    areas: std::iter::once(sc.region_name.clone())
                        .chain(sc.gemeenten.iter().map(|g| g.name.clone()))
                        .collect(),
                    reps,
                })
            })
            .collect()
    }

    /// Whether this experiment writes `table`: the comparisons need two or
    /// more scenarios, `variants.csv` a sweep, `sensitivity.csv` a Morris
    /// or Sobol' design.
    pub fn writes(&self, table: Table) -> bool {
        let design = self.sweep.as_ref().map(|(sw, _)| sw.method);
        match table {
            Table::Runs
            | Table::BySchoolType
            | Table::Timeseries
            | Table::Summary
            | Table::Forecast => true,
            Table::Comparison | Table::Horizon | Table::CostEffectiveness => {
                self.scenarios.len() >= 2
            }
            Table::Variants => design.is_some(),
            Table::Sensitivity => matches!(design, Some(Method::Morris | Method::Sobol)),
            Table::PosteriorDraws | Table::VarianceSplit => self.posterior.is_some(),
            Table::Probabilities | Table::Drivers => {
                self.posterior.is_some() && self.scenarios.len() >= 2
            }
        }
    }

    /// The file names of the tables this experiment writes, in writing order.
    pub fn table_names(&self) -> Vec<&'static str> {
        Table::ALL
            .into_iter()
            .filter(|&t| self.writes(t))
            .map(Table::file_name)
            .collect()
    }

    /// Every output table, in writing order.
    pub fn tables(&self, results: &[ScenarioRuns]) -> Vec<(&'static str, Vec<u8>)> {
        Table::ALL
            .into_iter()
            .filter(|&t| self.writes(t))
            .map(|t| (t.file_name(), self.table(t, results)))
            .collect()
    }

    fn table(&self, table: Table, results: &[ScenarioRuns]) -> Vec<u8> {
        let sweep = self.sweep.as_ref().map(|(sw, _)| sw);
        match (table, sweep) {
            (Table::Runs, _) => tables::runs_csv(results),
            (Table::BySchoolType, _) => tables::by_school_type_csv(results),
            (Table::Timeseries, _) => tables::timeseries_csv(results),
            (Table::Summary, _) => tables::summary_csv(results),
            (Table::Comparison, _) => tables::comparison_csv(results),
            (Table::Horizon, _) => effects::horizon_csv(results, &self.windows()),
            (Table::CostEffectiveness, _) => {
                effects::cost_effectiveness_csv(results, &self.windows())
            }
            (Table::Variants, Some(sw)) => variants_csv(sw, &self.scenarios),
            (Table::Sensitivity, Some(sw)) => sensitivity_csv(sw, results, self.seed),
            (Table::Variants | Table::Sensitivity, None) => Vec::new(),
            (Table::PosteriorDraws, _) => self
                .posterior
                .as_ref()
                .map(|p| p.draws_csv(self.replications))
                .unwrap_or_default(),
            (Table::Probabilities, _) => uncertainty::probabilities_csv(results),
            (Table::VarianceSplit, _) => match &self.posterior {
                Some(p) => uncertainty::variance_split_csv(
                    results,
                    &|r| p.draw_of(r),
                    p.source.draws,
                    p.per_draw,
                ),
                None => Vec::new(),
            },
            (Table::Drivers, _) => match &self.posterior {
                Some(p) => {
                    let values: Vec<Vec<f64>> =
                        p.chosen.iter().map(|&c| p.values[c].clone()).collect();
                    drivers::drivers_csv(results, &|r| p.draw_of(r), &p.keys, &values)
                }
                None => Vec::new(),
            },
            (Table::Forecast, _) => crate::output::forecast::forecast_csv(results),
        }
    }

    /// The manifest for these outputs.
    pub fn manifest(&self, outputs: Vec<ManifestFile>) -> Manifest {
        Manifest {
            regiosim_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: git_commit(),
            command_line: self.command_line.clone(),
            seed: self.seed,
            replications: self.replications,
            scenarios: self
                .scenarios
                .iter()
                .map(|l| ManifestScenario {
                    name: l.scenario.name.clone(),
                    path: l
                        .sources
                        .first()
                        .map(|s| s.path.display().to_string())
                        .unwrap_or_default(),
                    files: l
                        .sources
                        .iter()
                        .map(|s| ManifestFile {
                            path: s.path.display().to_string(),
                            sha256: s.sha256.clone(),
                        })
                        .collect(),
                    resolved_sha256: sha256_hex(l.resolved_toml.as_bytes()),
                    resolved_toml: l.resolved_toml.clone(),
                })
                .collect(),
            sweep: self.sweep.as_ref().map(|(_, m)| m.clone()),
            posterior: self.posterior.as_ref().map(|p| p.source.clone()),
            outputs,
            created_unix: now_unix(),
        }
    }

    /// Rebuilds the experiment a manifest describes, from the resolved
    /// scenario texts (and sweep text) it holds.
    pub fn from_manifest(m: &Manifest) -> anyhow::Result<Experiment> {
        if m.scenarios.is_empty() {
            return Err(ExperimentError::Inconsistent("it lists no scenarios".into()).into());
        }
        let mut scenarios = Vec::new();
        for s in &m.scenarios {
            let mut l = scenario::from_resolved_text(Path::new(&s.path), &s.resolved_toml)?;
            l.sources = s
                .files
                .iter()
                .map(|f| SourceFile {
                    path: f.path.clone().into(),
                    sha256: f.sha256.clone(),
                    text: String::new(),
                })
                .collect();
            scenarios.push(l);
        }
        let sweep = match &m.sweep {
            None => None,
            Some(ms) => {
                // Not empty: checked above.
                let sw = sweep::from_text(Path::new(&ms.path), &ms.text, &scenarios[0], m.seed)?;
                consistent_sweep(&sw, m)?;
                Some((sw, ms.clone()))
            }
        };
        let posterior = match &m.posterior {
            Some(p) => Some(posterior::Posterior::from_source(
                p.clone(),
                m.replications,
                m.seed,
                &scenarios,
            )?),
            None => None,
        };
        let start = crate::checkpoint::start_from_command_line(
            &m.command_line,
            &scenarios,
            m.seed,
            m.replications,
        )?;
        let states = match state_dir(&m.command_line) {
            Some(dir) => load_states(Path::new(dir), &scenarios)?,
            None => Vec::new(),
        };
        Ok(Experiment {
            scenarios,
            replications: m.replications,
            seed: m.seed,
            command_line: m.command_line.clone(),
            sweep,
            posterior,
            start,
            states,
        })
    }
}

/// `FROM-TO` (calendar years, inclusive) for `--window`.
pub fn parse_window(s: &str) -> Result<(i32, i32), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("`{s}`: expected FROM-TO, for example 2027-2030"))?;
    let year = |x: &str| {
        x.trim()
            .parse::<i32>()
            .map_err(|_| format!("`{x}` in `{s}` is not a year"))
    };
    let (from, to) = (year(a)?, year(b)?);
    if from > to {
        return Err(format!("`{s}`: the first year is after the last"));
    }
    Ok((from, to))
}

/// A sweep's design must describe the manifest's scenarios: the base, then
/// one variant per design point, named in order, with the sweep's
/// replications (the sensitivity indices index the outputs by design point).
fn consistent_sweep(sw: &Sweep, m: &Manifest) -> Result<(), ExperimentError> {
    let expected = sw.points.len() + 1;
    if m.scenarios.len() != expected {
        return Err(ExperimentError::Inconsistent(format!(
            "its sweep text describes {expected} scenarios (the base and {} variants) but it lists {}",
            sw.points.len(),
            m.scenarios.len()
        )));
    }
    if let Some((i, s)) = m
        .scenarios
        .iter()
        .enumerate()
        .skip(1)
        .find(|(i, s)| s.name != sweep::variant_name(&sw.name, *i))
    {
        return Err(ExperimentError::Inconsistent(format!(
            "scenario {i} is named `{}`, but the sweep's variant {i} is `{}`",
            s.name,
            sweep::variant_name(&sw.name, i)
        )));
    }
    if m.replications != sw.replications {
        return Err(ExperimentError::Inconsistent(format!(
            "it records {} replications, its sweep text {}",
            m.replications, sw.replications
        )));
    }
    Ok(())
}

fn variants_csv(sw: &Sweep, scenarios: &[LoadedScenario]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header = vec!["variant".to_string(), "scenario".to_string()];
    header.extend(sw.params.iter().map(|p| text_cell(&p.path).into_owned()));
    let _ = w.write_record(&header);
    if let Some(base) = scenarios.first() {
        let mut row = vec!["0".to_string(), text_cell(&base.scenario.name).into_owned()];
        row.extend(
            sw.base_values(base)
                .iter()
                .map(|v| text_cell(v).into_owned()),
        );
        let _ = w.write_record(&row);
    }
    for (i, point) in sw.points.iter().enumerate() {
        let name = sweep::variant_name(&sw.name, i + 1);
        let mut row = vec![(i + 1).to_string(), text_cell(&name).into_owned()];
        row.extend(
            point
                .iter()
                .map(|v| text_cell(&sweep::show(v)).into_owned()),
        );
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// Per design point: the region value of `metric` averaged over output
/// years and replications.
fn design_outputs(results: &[ScenarioRuns], metric: usize) -> Vec<f64> {
    results[1..]
        .iter()
        .map(|sc| {
            let per_rep: Vec<f64> = sc
                .reps
                .iter()
                .map(|r| {
                    summarise(
                        &r.metrics.iter().map(|y| y[0][metric]).collect::<Vec<_>>(),
                        0.95,
                    )
                    .mean
                })
                .collect();
            summarise(&per_rep, 0.95).mean
        })
        .collect()
}

/// Stream process of the bootstrap of Sobol' indices (sweep designs use 300).
const BOOTSTRAP_STREAM: u32 = 301;
/// Bootstrap resamples per Sobol' interval.
const BOOTSTRAP_RESAMPLES: usize = 1000;

fn sensitivity_csv(sw: &Sweep, results: &[ScenarioRuns], seed: u64) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record([
        "method",
        "metric",
        "parameter",
        "index",
        "value",
        "low",
        "high",
    ]);
    let names = metric_names();
    for metric in &sw.metrics {
        let Some(m) = names.iter().position(|n| n == metric) else {
            continue;
        };
        let y = design_outputs(results, m);
        // An index with its 95% interval (empty bounds: none, as Morris's).
        let mut row = |param: &str, index: &str, value: f64, bounds: Option<(f64, f64)>| {
            let (low, high) = bounds.map_or((String::new(), String::new()), |(l, h)| {
                (fmt_num(l), fmt_num(h))
            });
            let _ = w.write_record([
                sw.method.as_str(),
                metric,
                &text_cell(param),
                index,
                &fmt_num(value),
                &low,
                &high,
            ]);
        };
        match (sw.method, &sw.morris) {
            (Method::Morris, Some(d)) => {
                for (p, (mu, mu_star, sigma)) in
                    sw.params.iter().zip(sensitivity::morris_indices(d, &y))
                {
                    row(&p.path, "mu", mu, None);
                    row(&p.path, "mu_star", mu_star, None);
                    row(&p.path, "sigma", sigma, None);
                }
            }
            (Method::Sobol, _) => {
                let (k, n) = (sw.params.len(), sw.sobol_n);
                let mut rng = StreamKey::new(seed, u32::MAX).stream(m as u64, BOOTSTRAP_STREAM);
                let ci =
                    sensitivity::sobol_intervals(k, n, &y, BOOTSTRAP_RESAMPLES, 0.95, &mut rng);
                for ((p, (first, total)), ((f_lo, f_hi), (t_lo, t_hi))) in sw
                    .params
                    .iter()
                    .zip(sensitivity::sobol_indices(k, n, &y))
                    .zip(ci)
                {
                    row(&p.path, "first_order", first, Some((f_lo, f_hi)));
                    row(&p.path, "total", total, Some((t_lo, t_hi)));
                }
            }
            _ => {}
        }
    }
    w.into_inner().unwrap_or_default()
}
