//! Experiments: scenarios × replications scheduled on a rayon pool, merged
//! in a fixed order so the results never depend on the thread count.
//! Replication r of every scenario uses the random streams of (seed, r):
//! common random numbers across scenarios.

use crate::model::run_replication;
use crate::output::tables::{RunRows, ScenarioRuns};
use crate::scenario::LoadedScenario;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExperimentError {
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
}

/// What to run.
pub struct Plan<'a> {
    pub scenarios: &'a [LoadedScenario],
    pub replications: u32,
    pub seed: u64,
    /// 0 means one per core.
    pub threads: usize,
}

impl Plan<'_> {
    pub fn units(&self) -> usize {
        self.scenarios.len() * self.replications as usize
    }
}

/// Runs every (scenario, replication); `on_done` is called after each
/// finished run with the number finished so far.
pub fn run(
    plan: &Plan,
    on_done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<ScenarioRuns>, ExperimentError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| ExperimentError::Threads {
            threads: plan.threads,
            message: e.to_string(),
        })?;
    let units: Vec<(usize, u32)> = (0..plan.scenarios.len())
        .flat_map(|s| (0..plan.replications).map(move |r| (s, r)))
        .collect();
    let done = AtomicUsize::new(0);
    let rows: Vec<RunRows> = pool.install(|| {
        units
            .par_iter()
            .map(|&(s, r)| {
                let result =
                    run_replication(&plan.scenarios[s].scenario, plan.seed, r, &mut |_| {});
                let rows = RunRows::from_result(r, &result);
                on_done(done.fetch_add(1, Ordering::Relaxed) + 1);
                rows
            })
            .collect()
    });
    let mut rows = rows.into_iter();
    Ok(plan
        .scenarios
        .iter()
        .map(|l| {
            let sc = &l.scenario;
            ScenarioRuns {
                name: sc.name.clone(),
                start_year: sc.simulation.start_year,
                areas: std::iter::once(sc.region_name.clone())
                    .chain(sc.gemeenten.iter().map(|g| g.name.clone()))
                    .collect(),
                reps: rows.by_ref().take(plan.replications as usize).collect(),
            }
        })
        .collect())
}
