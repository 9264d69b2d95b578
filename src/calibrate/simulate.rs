//! Running the simulator at points of the unit cube: every base scenario
//! that has targets, with the point's parameter values set, replications
//! 0..R of the calibration seed (common random numbers: every point uses
//! the same streams), reduced to the target values. Points run in parallel
//! and come back in the order asked for; each finished point is stored.

use super::spec::{Metric, Spec, Target};
use super::store::Store;
use crate::model::run_replication;
use crate::output::tables::RunRows;
use crate::scenario;
use anyhow::Context;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// A point's simulated target values.
#[derive(Debug, Clone)]
pub struct PointResult {
    pub u: Vec<f64>,
    /// [replication][target]
    pub reps: Vec<Vec<f64>>,
    /// Per target: mean over replications (NaN if any is undefined).
    pub mean: Vec<f64>,
    /// Per target: sample variance over replications (one run's Monte
    /// Carlo variance).
    pub var: Vec<f64>,
}

impl PointResult {
    fn new(u: Vec<f64>, reps: Vec<Vec<f64>>) -> PointResult {
        let t = reps.first().map_or(0, |r| r.len());
        let n = reps.len() as f64;
        let mut mean = vec![0.0; t];
        let mut var = vec![0.0; t];
        for j in 0..t {
            let m = reps.iter().map(|r| r[j]).sum::<f64>() / n;
            mean[j] = m;
            var[j] = if reps.len() > 1 {
                reps.iter().map(|r| (r[j] - m) * (r[j] - m)).sum::<f64>() / (n - 1.0)
            } else {
                f64::NAN
            };
        }
        PointResult { u, reps, mean, var }
    }

    /// True when every target is defined at this point.
    pub fn finite(&self) -> bool {
        self.mean.iter().all(|m| m.is_finite())
    }
}

/// The value of `t` in one replication: the mean over its years of the
/// yearly value (years where it is undefined left out; NaN if all are).
pub fn target_value(t: &Target, rows: &RunRows) -> f64 {
    let values: Vec<f64> = t
        .years
        .iter()
        .filter_map(|&y| match t.metric {
            Metric::Run { metric, area } => rows.metrics.get(y).map(|a| a[area][metric]),
            Metric::SchoolType {
                school,
                second_line,
            } => rows.by_type.get(y).map(|types| {
                let a = types[school];
                let n = if second_line { a.second_line } else { a.helped };
                if a.students == 0 {
                    f64::NAN
                } else {
                    n as f64 / a.students as f64
                }
            }),
        })
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Runs the simulator at points and counts the runs.
pub struct Runner<'a> {
    pub spec: &'a Spec,
    pub store: Store,
    pool: rayon::ThreadPool,
    /// Simulator runs (scenario replications) this calibration has used,
    /// those found on disk included.
    pub runs: u64,
    /// Runs found on disk instead of run.
    pub restored: u64,
    on_runs: &'a (dyn Fn(u64) + Sync),
}

impl<'a> Runner<'a> {
    pub fn new(
        spec: &'a Spec,
        store: Store,
        threads: usize,
        on_runs: &'a (dyn Fn(u64) + Sync),
    ) -> anyhow::Result<Runner<'a>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .with_context(|| format!("cannot start {threads} worker threads"))?;
        Ok(Runner {
            spec,
            store,
            pool,
            runs: 0,
            restored: 0,
            on_runs,
        })
    }

    /// `f` over `items` on the worker threads, in the order of `items`.
    /// The pool the runs use (for other parallel work of the calibration).
    pub fn pool(&self) -> &rayon::ThreadPool {
        &self.pool
    }

    pub fn par_map<T: Sync, R: Send>(
        &self,
        items: &[T],
        f: impl Fn(&T) -> R + Sync + Send,
    ) -> Vec<R> {
        self.pool.install(|| items.par_iter().map(f).collect())
    }

    /// Scenarios with targets: the simulator runs per point and replication.
    pub fn scenarios_run(&self) -> u64 {
        (0..self.spec.bases.len())
            .filter(|&s| self.spec.targets.iter().any(|t| t.scenario == s))
            .count() as u64
    }

    /// The results at `points` (labelled `labels`) with the calibration's
    /// replications, in their order: stored ones read back, the others run
    /// in parallel and stored.
    pub fn evaluate(
        &mut self,
        labels: &[String],
        points: &[Vec<f64>],
    ) -> anyhow::Result<Vec<PointResult>> {
        self.evaluate_with(labels, points, self.spec.method.replications)
    }

    /// As [`Runner::evaluate`] with `replications` replications (0..R of
    /// the calibration seed).
    pub fn evaluate_with(
        &mut self,
        labels: &[String],
        points: &[Vec<f64>],
        replications: u32,
    ) -> anyhow::Result<Vec<PointResult>> {
        let per_point = self.scenarios_run() * u64::from(replications);
        let spec = self.spec;
        let store = &self.store;
        let on_runs = self.on_runs;
        let restored = AtomicU64::new(0);
        let results: Vec<anyhow::Result<PointResult>> = self.pool.install(|| {
            labels
                .par_iter()
                .zip(points)
                .map(|(label, u)| {
                    if let Some(reps) = store.get(label, u)
                        && reps.len() == replications as usize
                    {
                        restored.fetch_add(per_point, Ordering::Relaxed);
                        on_runs(per_point);
                        return Ok(PointResult::new(u.clone(), reps));
                    }
                    let reps = run_point(spec, u, replications)?;
                    store
                        .put(label, u, &reps)
                        .with_context(|| format!("cannot save a finished run of point {label}"))?;
                    on_runs(per_point);
                    Ok(PointResult::new(u.clone(), reps))
                })
                .collect()
        });
        self.runs += per_point * points.len() as u64;
        self.restored += restored.into_inner();
        results.into_iter().collect()
    }
}

/// The target values at `u` of replications 0..`replications` of the
/// calibration seed.
pub fn run_point(spec: &Spec, u: &[f64], replications: u32) -> anyhow::Result<Vec<Vec<f64>>> {
    let m = &spec.method;
    let mut reps = vec![vec![f64::NAN; spec.targets.len()]; replications as usize];
    for (s, base) in spec.bases.iter().enumerate() {
        if !spec.targets.iter().any(|t| t.scenario == s) {
            continue;
        }
        let overrides = spec.overrides(s, u);
        let loaded = scenario::with_overrides(
            &base.path,
            base.table.clone(),
            base.loaded.sources.clone(),
            &overrides,
        )
        .map_err(|e| {
            let values: Vec<String> = overrides
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            anyhow::Error::new(e).context(format!(
                "the point ({}) is not a valid scenario `{}`",
                values.join(", "),
                base.name()
            ))
        })?;
        for (r, rep) in reps.iter_mut().enumerate() {
            let result = run_replication(&loaded.scenario, m.seed, r as u32, &mut |_| {});
            let rows = RunRows::from_result(r as u32, &result);
            for (j, t) in spec.targets.iter().enumerate() {
                if t.scenario == s {
                    rep[j] = target_value(t, &rows);
                }
            }
        }
    }
    Ok(reps)
}
