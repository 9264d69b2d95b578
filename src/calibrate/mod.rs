//! `regiosim calibrate`: calibration with uncertainty. History matching
//! with Gaussian-process emulators rules out the parameter space where the
//! model cannot meet the targets (`history.rs`); ABC-SMC inside what is
//! left gives a weighted posterior ensemble, with the simulator itself
//! deciding acceptance (`abc.rs`). The calibration file (`spec.rs`), the
//! designs (`design.rs`), the emulator (`emulator.rs`), the simulator runs
//! (`simulate.rs`, stored for resume by `store.rs`) and the outputs
//! (`output.rs`) are their own modules. docs/CALIBRATION.md describes the
//! method and the file.

pub mod abc;
pub mod design;
pub mod emulator;
pub mod history;
pub mod holdout;
pub mod output;
pub mod simulate;
pub mod spec;
pub mod store;

use crate::scenario::sha256_hex;
use simulate::Runner;
use spec::Spec;

/// What a calibration found.
pub struct Outcome {
    pub matched: history::Matched,
    pub posterior: abc::Posterior,
    /// Target means over the whole prior box: the first wave's design
    /// (or, without waves, ABC's generation 0).
    pub prior_design: Vec<Vec<f64>>,
    /// Per target: the leave-one-target-out check (`holdout.rs`).
    pub holdout: Vec<holdout::HoldOut>,
    pub simulator_runs: u64,
}

/// A digest of everything that determines a calibration's results: stored
/// runs of another calibration are never used.
pub fn fingerprint(spec: &Spec) -> String {
    let mut text = format!("regiosim {}\n", env!("CARGO_PKG_VERSION"));
    text.push_str(&spec.text);
    for b in &spec.bases {
        text.push_str("\n--- scenario\n");
        text.push_str(&b.loaded.resolved_toml);
    }
    sha256_hex(text.as_bytes())
}

/// History matching, then ABC-SMC in the region it leaves.
pub fn calibrate(spec: &Spec, runner: &mut Runner) -> anyhow::Result<Outcome> {
    let matched = history::run(runner, spec)?;
    let k = spec.parameters.len();
    let last = matched.region.waves.last().map_or(0, |w| w.points_run);
    let reference = history::most_plausible(
        &matched.region,
        &matched.points[matched.points.len() - last..],
        k,
    );
    let var_mc = history::mc_variance(runner, spec, "mc-abc", reference, &matched.points)?;
    let posterior = abc::run(runner, spec, &matched.region, var_mc)?;
    let prior_design = if matched.first_wave.is_empty() {
        posterior.generation0.clone()
    } else {
        matched.first_wave.iter().map(|p| p.mean.clone()).collect()
    };
    let holdout = holdout::check(&matched.region, k, spec.method.seed, runner.pool());
    Ok(Outcome {
        matched,
        posterior,
        prior_design,
        holdout,
        simulator_runs: runner.runs,
    })
}
