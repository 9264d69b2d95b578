//! History matching (Craig et al. 1997; Vernon et al. 2010; as in the
//! hmer package): waves of space-filling designs inside the space not yet
//! ruled out, one Gaussian-process emulator per target fitted to each
//! wave's runs, and the implausibility
//!
//!   I(x) = |z − E[f(x)]| / sqrt(Var_em(x) + Var_obs + Var_MC)
//!
//! per target, where Var_obs is the observation's variance (sd² plus the
//! rounding variance step²/12) and Var_MC = s² (1 + 1/R): s² is one
//! simulator run's variance (the real region is one realisation of the
//! model) and s²/R the error of the simulated mean over the R replications
//! (with common random numbers an offset shared by every design point).
//! s² comes from `mc_replications` extra replications at a reference point
//! (the box centre for wave 1, then the most plausible point of the
//! previous wave): with common random numbers the spread over a design's
//! R replications has only R − 1 degrees of freedom, however many points.
//! A point whose largest I exceeds the cut-off in any wave is ruled out.

use super::design::{self, Purpose, maximin, unit_design};
use super::emulator::{Gp, Loo};
use super::simulate::{PointResult, Runner};
use super::spec::Spec;
use crate::engine::Stream;

/// Test points (uniform on the parameter box) that measure the share of
/// the space ruled out.
const TEST_POINTS: usize = 4000;
/// Candidate points per design point of a wave, and batches of them.
const CANDIDATES_PER_POINT: usize = 25;
const CANDIDATE_BATCHES: usize = 4;

/// One target's emulator in one wave.
#[derive(Debug, Clone)]
pub struct Emulator {
    pub gp: Option<Gp>,
    /// One run's Monte Carlo variance s² at the wave's reference point.
    pub var_mc: f64,
    pub loo: Option<Loo>,
}

#[derive(Debug, Clone)]
pub struct Wave {
    /// 1-based.
    pub index: usize,
    pub points_run: usize,
    pub points_fitted: usize,
    /// Non-implausible candidates found for the design (before the
    /// choice of `points_per_wave` of them), and the candidates tried.
    pub candidates_kept: usize,
    pub candidates_tried: usize,
    /// Per target.
    pub emulators: Vec<Emulator>,
    /// Share of the parameter box ruled out after this wave (all waves so far).
    pub ruled_out: f64,
}

/// The non-implausible region: every wave's emulators.
#[derive(Debug, Clone)]
pub struct Region {
    pub waves: Vec<Wave>,
    cutoff: f64,
    observed: Vec<f64>,
    var_obs: Vec<f64>,
    mc_factor: f64,
}

impl Region {
    pub fn new(spec: &Spec) -> Region {
        Region {
            waves: Vec::new(),
            cutoff: spec.method.cutoff,
            observed: spec.targets.iter().map(|t| t.observed).collect(),
            var_obs: spec.targets.iter().map(|t| t.var_obs).collect(),
            mc_factor: spec.mc_factor(),
        }
    }

    /// A region of given waves (for tests of what uses one).
    #[cfg(test)]
    pub fn of(waves: Vec<Wave>, cutoff: f64, observed: Vec<f64>, var_obs: Vec<f64>) -> Region {
        Region {
            waves,
            cutoff,
            observed,
            var_obs,
            mc_factor: 1.0,
        }
    }

    /// Target t's observation, its variance, and the Monte Carlo factor.
    pub fn observation(&self, t: usize) -> (f64, f64, f64) {
        (self.observed[t], self.var_obs[t], self.mc_factor)
    }

    pub fn targets(&self) -> usize {
        self.observed.len()
    }

    /// The largest implausibility at `u` under one wave's emulators.
    pub fn implausibility(&self, wave: &Wave, u: &[f64]) -> f64 {
        let mut worst: f64 = 0.0;
        for (t, e) in wave.emulators.iter().enumerate() {
            let Some(gp) = &e.gp else { continue };
            let (m, v) = gp.predict(u);
            let i = (self.observed[t] - m).abs()
                / (v + self.var_obs[t] + self.mc_factor * e.var_mc).sqrt();
            worst = worst.max(i);
        }
        worst
    }

    /// True when no wave rules `u` out (and `u` lies in the box).
    pub fn contains(&self, u: &[f64]) -> bool {
        u.iter().all(|x| (0.0..=1.0).contains(x))
            && self
                .waves
                .iter()
                .all(|w| self.implausible_in(w, u).is_none())
    }

    /// The targets that rule `u` out in some wave (ascending, each once).
    pub fn ruling_targets(&self, u: &[f64]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for wave in &self.waves {
            for (t, e) in wave.emulators.iter().enumerate() {
                let Some(gp) = &e.gp else { continue };
                let (m, v) = gp.predict(u);
                let i = (self.observed[t] - m).abs()
                    / (v + self.var_obs[t] + self.mc_factor * e.var_mc).sqrt();
                if (i > self.cutoff || i.is_nan()) && !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// `Some(target)` for the first target of `wave` that rules `u` out.
    fn implausible_in(&self, wave: &Wave, u: &[f64]) -> Option<usize> {
        wave.emulators.iter().enumerate().find_map(|(t, e)| {
            let gp = e.gp.as_ref()?;
            let (m, v) = gp.predict(u);
            let i = (self.observed[t] - m).abs()
                / (v + self.var_obs[t] + self.mc_factor * e.var_mc).sqrt();
            (i > self.cutoff || i.is_nan()).then_some(t)
        })
    }
}

/// The most plausible of `points` under every wave so far (the first of
/// equals; the box centre when there are no waves or no defined points).
pub fn most_plausible(region: &Region, points: &[PointResult], k: usize) -> Vec<f64> {
    let mut best: Option<(f64, &PointResult)> = None;
    for p in points.iter().filter(|p| p.finite()) {
        let i = region
            .waves
            .iter()
            .map(|w| region.implausibility(w, &p.u))
            .fold(0.0, f64::max);
        if best.is_none_or(|b| i < b.0) {
            best = Some((i, p));
        }
    }
    best.map_or_else(|| vec![0.5; k], |b| b.1.u.clone())
}

/// One run's Monte Carlo variance per target: `mc_replications`
/// replications at `reference`; a target undefined there falls back to the
/// mean spread over `fallback`'s replications (0 without any).
pub fn mc_variance(
    runner: &mut Runner,
    spec: &Spec,
    label: &str,
    reference: Vec<f64>,
    fallback: &[PointResult],
) -> anyhow::Result<Vec<f64>> {
    let r = runner.evaluate_with(
        &[label.to_string()],
        &[reference],
        spec.method.mc_replications,
    )?;
    Ok((0..spec.targets.len())
        .map(|t| {
            let v = r[0].var[t];
            if v.is_finite() {
                return v;
            }
            let vs: Vec<f64> = fallback
                .iter()
                .map(|p| p.var[t])
                .filter(|v| v.is_finite())
                .collect();
            if vs.is_empty() {
                0.0
            } else {
                vs.iter().sum::<f64>() / vs.len() as f64
            }
        })
        .collect())
}

/// What history matching leaves: the region, every point run, and the
/// first wave's results (over the whole prior box).
pub struct Matched {
    pub region: Region,
    pub points: Vec<PointResult>,
    pub first_wave: Vec<PointResult>,
}

/// Points in the region for a design of `n`: candidates of the design kind
/// filtered by the region, `n` chosen by maximin; if too few are found, more
/// by Gaussian steps from those found. Returns (points, kept, tried).
fn region_design(
    runner: &Runner,
    spec: &Spec,
    region: &Region,
    n: usize,
    rng: &mut Stream,
) -> (Vec<Vec<f64>>, usize, usize) {
    let k = spec.parameters.len();
    let mut kept: Vec<Vec<f64>> = Vec::new();
    let mut tried = 0;
    for _ in 0..CANDIDATE_BATCHES {
        let cands = unit_design(spec.method.design, k, CANDIDATES_PER_POINT * n, rng);
        tried += cands.len();
        let inside = runner.par_map(&cands, |u| region.contains(u));
        kept.extend(
            cands
                .into_iter()
                .zip(inside)
                .filter(|(_, ok)| *ok)
                .map(|(u, _)| u),
        );
        if kept.len() >= 4 * n {
            break;
        }
    }
    let found = kept.len();
    if found == 0 {
        return (Vec::new(), 0, tried);
    }
    if found < n {
        // Spread of what was found, per dimension, for the steps.
        let sd: Vec<f64> = (0..k)
            .map(|d| {
                let m = kept.iter().map(|u| u[d]).sum::<f64>() / found as f64;
                let v = kept.iter().map(|u| (u[d] - m) * (u[d] - m)).sum::<f64>() / found as f64;
                (0.5 * v.sqrt()).max(0.02)
            })
            .collect();
        let seeds = kept.clone();
        let mut j = 0;
        while kept.len() < 4 * n && j < 200 * n {
            let base = &seeds[j % seeds.len()];
            let u: Vec<f64> = base
                .iter()
                .zip(&sd)
                .map(|(x, s)| x + s * rng.standard_normal())
                .collect();
            tried += 1;
            if region.contains(&u) {
                kept.push(u);
            }
            j += 1;
        }
    }
    (maximin(&kept, n), found, tried)
}

/// Runs the waves of history matching.
pub fn run(runner: &mut Runner, spec: &Spec) -> anyhow::Result<Matched> {
    let m = &spec.method;
    let k = spec.parameters.len();
    let mut region = Region::new(spec);
    let mut points: Vec<PointResult> = Vec::new();
    let mut first_wave = Vec::new();
    let mut rng = design::stream(m.seed, Purpose::TestPoints, 0);
    let test: Vec<Vec<f64>> = (0..TEST_POINTS)
        .map(|_| (0..k).map(|_| rng.uniform()).collect())
        .collect();
    for w in 1..=m.waves {
        let mut rng = design::stream(m.seed, Purpose::Design, w as u64);
        let (design, kept, tried) = if w == 1 {
            (
                unit_design(m.design, k, m.points_per_wave, &mut rng),
                m.points_per_wave,
                m.points_per_wave,
            )
        } else {
            region_design(runner, spec, &region, m.points_per_wave, &mut rng)
        };
        if design.is_empty() {
            // Everything tried is ruled out: record the empty wave and stop.
            region.waves.push(Wave {
                index: w,
                points_run: 0,
                points_fitted: 0,
                candidates_kept: 0,
                candidates_tried: tried,
                emulators: Vec::new(),
                ruled_out: 1.0,
            });
            break;
        }
        let labels: Vec<String> = (0..design.len())
            .map(|i| format!("w{w:02}-{i:04}"))
            .collect();
        let reference = if w == 1 {
            vec![0.5; k]
        } else {
            let last = points.len() - region.waves.last().map_or(0, |x| x.points_run);
            most_plausible(&region, &points[last..], k)
        };
        let results = runner.evaluate(&labels, &design)?;
        let var_mc = mc_variance(runner, spec, &format!("mc-w{w:02}"), reference, &results)?;
        let run_now = results.len();
        if w == 1 {
            first_wave = results.clone();
        }
        points.extend(results);
        // Fit on this wave's points, then earlier ones still in the
        // region, newest first, up to max_fit_points; in run order.
        let mut fit: Vec<&PointResult> = Vec::new();
        for (i, p) in points.iter().enumerate().rev() {
            if fit.len() >= m.max_fit_points {
                break;
            }
            let this_wave = i >= points.len() - run_now;
            if p.finite() && (this_wave || region.contains(&p.u)) {
                fit.push(p);
            }
        }
        fit.reverse();
        let x: Vec<Vec<f64>> = fit.iter().map(|p| p.u.clone()).collect();
        let targets: Vec<usize> = (0..spec.targets.len()).collect();
        let emulators = runner.par_map(&targets, |&t| {
            let y: Vec<f64> = fit.iter().map(|p| p.mean[t]).collect();
            let gp = Gp::fit(&x, &y);
            let loo = gp.as_ref().map(Gp::loo);
            Emulator {
                gp,
                var_mc: var_mc[t],
                loo,
            }
        });
        region.waves.push(Wave {
            index: w,
            points_run: run_now,
            points_fitted: fit.len(),
            candidates_kept: kept,
            candidates_tried: tried,
            emulators,
            ruled_out: 0.0,
        });
        let inside = runner.par_map(&test, |u| region.contains(u));
        let out = inside.iter().filter(|ok| !**ok).count();
        if let Some(last) = region.waves.last_mut() {
            last.ruled_out = out as f64 / TEST_POINTS as f64;
        }
    }
    Ok(Matched {
        region,
        points,
        first_wave,
    })
}
