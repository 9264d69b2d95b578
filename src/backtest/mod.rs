//! `regiosim backtest`: fit on the years up to Y (a calibration, or a
//! finished posterior), forecast Y+1..Y+k from the observed state at
//! 1 January Y+1 over the posterior, and score the forecast against the
//! observed figures of those years (MAPE, 90% interval coverage) beside a
//! naive benchmark (the figure of year Y carried forward). The file
//! (`spec.rs`), the scoring (`score.rs`) and the outputs (`output.rs`) are
//! their own modules; `src/cli/backtest.rs` runs it into a folder.
//! docs/BACKTEST.md describes the file and how to read the scores.

pub mod output;
pub mod score;
pub mod spec;

use crate::calibrate::spec::Spec as Calibration;
use crate::cli::InputError;
use crate::experiment::Experiment;
use crate::output::tables::ScenarioRuns;
use crate::scenario;
use spec::Backtest;
use std::path::Path;
use std::sync::Arc;

/// Every target of the calibration must lie in the years up to
/// `fit_until`: a target after it is the future the backtest forecasts
/// (leakage). Its parameters must be keys of the forecast scenario.
pub fn check_fit(b: &Backtest, cal: &Calibration) -> Result<(), InputError> {
    let mut problems = Vec::new();
    for (i, t) in cal.targets.iter().enumerate() {
        let start = cal.bases[t.scenario].loaded.scenario.simulation.start_year;
        let last = t.years.last().map_or(start, |&y| start + y as i32);
        if last > b.fit_until {
            problems.push(format!(
                "  - `targets[{i}]` (`{}`) uses the years {} of scenario `{}`, after fit_until = {}: fitting to it would let the forecast see the years it is scored on (leakage); end its `years` at {} or remove it",
                t.name,
                t.year_text,
                cal.bases[t.scenario].name(),
                b.fit_until,
                b.fit_until
            ));
        }
    }
    // Each parameter at its range's midpoint, set in the forecast scenario:
    // a key the forecast scenario does not have fails here, before the fit.
    let table: toml::Table = b.scenario.resolved_toml.parse().unwrap_or_default();
    let file = b.scenario_path.clone();
    for p in &cal.parameters {
        let mid = 0.5 * (p.min + p.max);
        let overrides = [(p.key.clone(), toml::Value::Float(mid))];
        if let Err(e) =
            scenario::with_overrides(&file, table.clone(), b.scenario.sources.clone(), &overrides)
        {
            problems.push(format!(
                "  - parameter `{}` cannot be set in the forecast scenario {}: {e}",
                p.key,
                file.display()
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(InputError(format!(
        "{}: the fit {} does not fit this backtest:\n{}\n  fix: the calibration may use only figures of the years up to fit_until, and calibrate keys of the backtest's scenario",
        b.path.display(),
        cal.path.display(),
        problems.join("\n")
    )))
}

/// The observed state of the forecast scenario; its reference date must
/// be 1 January after `fit_until`.
pub fn load_state(b: &Backtest) -> anyhow::Result<Arc<crate::state::InitialState>> {
    let states = crate::experiment::load_states(&b.state, std::slice::from_ref(&b.scenario))?;
    let state = states
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no state loaded"))?;
    let (first, _) = b.years();
    let d = state.reference_date;
    if (d.year, d.month, d.day) != (first, 1, 1) {
        return Err(InputError(format!(
            "{}: `state` {} has the reference date {d}, not {first}-01-01 (1 January after fit_until = {}); give the state at the forecast's start (the CBS period {}JJ00)",
            b.path.display(),
            b.state.display(),
            b.fit_until,
            b.fit_until
        ))
        .into());
    }
    Ok(state)
}

/// The forecast run: the scenario over the forecast years, every
/// replication from the observed state, replication r with the
/// posterior's draw r / (replications / posterior_draws).
pub fn forecast_experiment(
    b: &Backtest,
    posterior: &Path,
    state: Arc<crate::state::InitialState>,
) -> anyhow::Result<Experiment> {
    let scenarios = vec![b.scenario.clone()];
    let p = crate::experiment::posterior::Posterior::load(
        posterior,
        Some(b.posterior_draws),
        b.replications,
        b.seed,
        &scenarios,
    )?;
    let (first, _) = b.years();
    let mut command_line = vec![
        "run".to_string(),
        b.scenario_path.display().to_string(),
        "--replications".into(),
        b.replications.to_string(),
        "--seed".into(),
        b.seed.to_string(),
        "--years".into(),
        b.forecast_years.to_string(),
        "--set".into(),
        format!("simulation.start_year={first}"),
    ];
    for (k, v) in &b.set {
        command_line.extend(["--set".into(), format!("{k}={v}")]);
    }
    command_line.extend([
        "--posterior".into(),
        posterior.display().to_string(),
        "--posterior-draws".into(),
        b.posterior_draws.to_string(),
        "--state".into(),
        b.state.display().to_string(),
    ]);
    Ok(Experiment {
        scenarios,
        replications: b.replications,
        seed: b.seed,
        command_line,
        sweep: None,
        posterior: Some(p),
        start: None,
        states: vec![state],
    })
}

/// Runs the forecast on `threads` workers; the results never depend on
/// the thread count.
pub fn run_forecast(
    exp: &Experiment,
    threads: usize,
    on_done: &(dyn Fn(usize) + Sync),
) -> anyhow::Result<ScenarioRuns> {
    exp.size(None, threads).check(false)?;
    let rows = exp.execute(&exp.units(), threads, None, on_done)?;
    exp.assemble(rows)
        .and_then(|mut v| v.pop())
        .ok_or_else(|| anyhow::anyhow!("some forecast runs are missing"))
}
