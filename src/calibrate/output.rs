//! The outputs of a calibration, as bytes: `posterior.csv`, `waves.csv`,
//! `generations.csv`, `targets.csv`, `identifiability.csv`, `holdout.csv` and the
//! manifest (written last). Pure functions of the calibration's results,
//! so the same file and seed give the same bytes.

use super::Outcome;
use super::design::{prior_quantile, weighted_quantile};
use super::spec::Spec;
use crate::output::manifest::{ManifestFile, ManifestScenario, git_commit};
use crate::output::tables::{finish, writer};
use crate::output::{fmt_num, text_cell};
use crate::scenario::sha256_hex;
use serde::{Deserialize, Serialize};

/// Every file a calibration writes, the manifest last.
pub const FILES: [&str; 7] = [
    "posterior.csv",
    "waves.csv",
    "generations.csv",
    "targets.csv",
    "identifiability.csv",
    "holdout.csv",
    "manifest.json",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationFile {
    pub path: String,
    pub sha256: String,
    pub text: String,
}

/// `manifest.json` of a calibration. No time stamp: the same file and
/// seed give identical bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationManifest {
    pub regiosim_version: String,
    pub git_commit: String,
    pub command_line: Vec<String>,
    pub calibration: CalibrationFile,
    pub seed: u64,
    pub replications: u32,
    /// Simulator runs (scenario replications) the calibration used.
    pub simulator_runs: u64,
    pub waves: usize,
    pub generations: usize,
    pub scenarios: Vec<ManifestScenario>,
    pub outputs: Vec<ManifestFile>,
}

pub fn posterior_csv(spec: &Spec, o: &Outcome) -> Vec<u8> {
    let mut w = writer();
    let mut header = vec!["particle".to_string(), "weight".into()];
    header.extend(
        spec.parameters
            .iter()
            .map(|p| text_cell(&p.key).into_owned()),
    );
    header.push("distance".into());
    let _ = w.write_record(&header);
    for (i, p) in o.posterior.particles.iter().enumerate() {
        let mut row = vec![i.to_string(), fmt_num(p.weight)];
        row.extend(
            spec.parameters
                .iter()
                .zip(&p.u)
                .map(|(q, &x)| fmt_num(q.value(x))),
        );
        row.push(fmt_num(p.distance));
        let _ = w.write_record(&row);
    }
    finish(w)
}

pub fn waves_csv(spec: &Spec, o: &Outcome) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "wave",
        "target",
        "points_run",
        "points_fitted",
        "candidates_kept",
        "candidates_tried",
        "ruled_out_share",
        "mc_sd",
        "emulator_signal_sd",
        "emulator_nugget_sd",
        "loo_rms_z",
        "loo_share_over_3",
        "loo_rmse",
    ]);
    for wave in &o.matched.region.waves {
        let common = |target: &str| {
            vec![
                wave.index.to_string(),
                text_cell(target).into_owned(),
                wave.points_run.to_string(),
                wave.points_fitted.to_string(),
                wave.candidates_kept.to_string(),
                wave.candidates_tried.to_string(),
                fmt_num(wave.ruled_out),
            ]
        };
        if wave.emulators.is_empty() {
            let mut row = common("");
            row.extend(std::iter::repeat_n(String::new(), 6));
            let _ = w.write_record(&row);
        }
        for (t, e) in wave.emulators.iter().enumerate() {
            let mut row = common(&spec.targets[t].name);
            row.push(fmt_num(e.var_mc.sqrt()));
            match (&e.gp, &e.loo) {
                (Some(gp), Some(loo)) => {
                    let scale = gp.output_scale();
                    row.push(fmt_num(scale * gp.signal_var.sqrt()));
                    row.push(fmt_num(scale * gp.nugget_var.sqrt()));
                    row.push(fmt_num(loo.rms_z));
                    row.push(fmt_num(loo.share_over_3));
                    row.push(fmt_num(loo.rmse));
                }
                _ => row.extend(std::iter::repeat_n(String::new(), 5)),
            }
            let _ = w.write_record(&row);
        }
    }
    finish(w)
}

pub fn generations_csv(o: &Outcome) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "generation",
        "tolerance",
        "simulated",
        "accepted",
        "acceptance_rate",
        "ess",
        "complete",
    ]);
    for g in &o.posterior.generations {
        let _ = w.write_record([
            g.index.to_string(),
            fmt_num(g.tolerance),
            g.simulated.to_string(),
            g.accepted.to_string(),
            fmt_num(g.accepted as f64 / g.simulated.max(1) as f64),
            fmt_num(g.ess),
            g.complete.to_string(),
        ]);
    }
    finish(w)
}

pub fn targets_csv(spec: &Spec, o: &Outcome) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "target",
        "scenario",
        "metric",
        "area",
        "years",
        "observed",
        "sd",
        "round_to",
        "observation_sd",
        "mc_sd",
        "prior_design_min",
        "prior_design_max",
        "posterior_mean",
        "posterior_p05",
        "posterior_p95",
        "posterior_z",
        "source",
    ]);
    let ps = &o.posterior.particles;
    let weights: Vec<f64> = ps.iter().map(|p| p.weight).collect();
    for (t, target) in spec.targets.iter().enumerate() {
        let prior: Vec<f64> = o
            .prior_design
            .iter()
            .map(|p| p[t])
            .filter(|v| v.is_finite())
            .collect();
        let (lo, hi) = prior
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let values: Vec<f64> = ps.iter().map(|p| p.values[t]).collect();
        let mean = ps.iter().map(|p| p.weight * p.values[t]).sum::<f64>();
        let var_mc = o.posterior.var_mc.get(t).copied().unwrap_or(0.0);
        let z = (mean - target.observed) / (target.var_obs + spec.mc_factor() * var_mc).sqrt();
        let opt = |x: f64| {
            if x.is_finite() {
                fmt_num(x)
            } else {
                String::new()
            }
        };
        let _ = w.write_record([
            text_cell(&target.name).into_owned(),
            text_cell(spec.bases[target.scenario].name()).into_owned(),
            target.metric_name.clone(),
            text_cell(&target.area_name).into_owned(),
            target.year_text.clone(),
            fmt_num(target.observed),
            fmt_num(target.sd),
            fmt_num(target.round_to),
            fmt_num(target.var_obs.sqrt()),
            fmt_num(var_mc.sqrt()),
            opt(lo),
            opt(hi),
            fmt_num(mean),
            fmt_num(weighted_quantile(&values, &weights, 0.05)),
            fmt_num(weighted_quantile(&values, &weights, 0.95)),
            fmt_num(z),
            text_cell(&target.source).into_owned(),
        ]);
    }
    finish(w)
}

pub fn identifiability_csv(spec: &Spec, o: &Outcome) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "parameter",
        "prior",
        "min",
        "max",
        "prior_p05",
        "prior_p95",
        "prior_width90",
        "posterior_mean",
        "posterior_p05",
        "posterior_p95",
        "posterior_width90",
        "width_ratio",
    ]);
    let ps = &o.posterior.particles;
    let weights: Vec<f64> = ps.iter().map(|p| p.weight).collect();
    for (i, p) in spec.parameters.iter().enumerate() {
        let (a, b) = (prior_quantile(p, 0.05), prior_quantile(p, 0.95));
        let values: Vec<f64> = ps.iter().map(|q| p.value(q.u[i])).collect();
        let mean = ps.iter().map(|q| q.weight * p.value(q.u[i])).sum::<f64>();
        let (c, d) = (
            weighted_quantile(&values, &weights, 0.05),
            weighted_quantile(&values, &weights, 0.95),
        );
        let _ = w.write_record([
            text_cell(&p.key).into_owned(),
            p.prior_name().to_string(),
            fmt_num(p.min),
            fmt_num(p.max),
            fmt_num(a),
            fmt_num(b),
            fmt_num(b - a),
            fmt_num(mean),
            fmt_num(c),
            fmt_num(d),
            fmt_num(d - c),
            fmt_num((d - c) / (b - a)),
        ]);
    }
    finish(w)
}

/// `holdout.csv`: per target, what the other targets predict for it
/// (`holdout.rs`).
pub fn holdout_csv(spec: &Spec, o: &Outcome) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "target",
        "observed",
        "points_tried",
        "kept_all_targets",
        "kept_without_target",
        "predicted_mean",
        "predicted_sd",
        "predicted_p05",
        "predicted_p95",
        "observed_percentile",
        "covered90",
    ]);
    let opt = |x: f64| {
        if x.is_finite() {
            fmt_num(x)
        } else {
            String::new()
        }
    };
    for (target, h) in spec.targets.iter().zip(&o.holdout) {
        let covered = match h.covered() {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        let _ = w.write_record([
            text_cell(&target.name).into_owned(),
            fmt_num(target.observed),
            h.tried.to_string(),
            h.kept_all.to_string(),
            h.kept_without.to_string(),
            opt(h.mean),
            opt(h.sd),
            opt(h.p05),
            opt(h.p95),
            opt(h.percentile),
            covered.to_string(),
        ]);
    }
    finish(w)
}

/// Every table, in writing order (the manifest not included).
pub fn tables(spec: &Spec, o: &Outcome) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (FILES[0], posterior_csv(spec, o)),
        (FILES[1], waves_csv(spec, o)),
        (FILES[2], generations_csv(o)),
        (FILES[3], targets_csv(spec, o)),
        (FILES[4], identifiability_csv(spec, o)),
        (FILES[5], holdout_csv(spec, o)),
    ]
}

/// The manifest for these outputs.
pub fn manifest(spec: &Spec, o: &Outcome, outputs: Vec<ManifestFile>) -> CalibrationManifest {
    CalibrationManifest {
        regiosim_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: git_commit(),
        command_line: vec!["calibrate".into(), spec.path.display().to_string()],
        calibration: CalibrationFile {
            path: spec.path.display().to_string(),
            sha256: sha256_hex(spec.text.as_bytes()),
            text: spec.text.clone(),
        },
        seed: spec.method.seed,
        replications: spec.method.replications,
        simulator_runs: o.simulator_runs,
        waves: o.matched.region.waves.len(),
        generations: o
            .posterior
            .generations
            .iter()
            .filter(|g| g.complete)
            .count(),
        scenarios: spec
            .bases
            .iter()
            .map(|b| ManifestScenario {
                name: b.name().to_string(),
                path: b.path.display().to_string(),
                files: b
                    .loaded
                    .sources
                    .iter()
                    .map(|s| ManifestFile {
                        path: s.path.display().to_string(),
                        sha256: s.sha256.clone(),
                    })
                    .collect(),
                resolved_sha256: sha256_hex(b.loaded.resolved_toml.as_bytes()),
                resolved_toml: b.loaded.resolved_toml.clone(),
            })
            .collect(),
        outputs,
    }
}

impl CalibrationManifest {
    pub fn to_json(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s.into_bytes()
    }
}
