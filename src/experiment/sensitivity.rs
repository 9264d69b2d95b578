//! Designs on the unit cube and sensitivity indices: Latin hypercube,
//! Morris elementary effects (Morris 1991; μ* of Campolongo et al. 2007)
//! and Sobol' indices from Saltelli sampling (first order: Saltelli et al.
//! 2010; total: Jansen 1999). Pure functions: the caller maps the unit cube
//! to parameter values and runs the model.

use crate::engine::Stream;
use crate::output::stats::percentile;

/// A Latin hypercube of `n` points in `k` dimensions.
pub fn latin_hypercube(k: usize, n: usize, rng: &mut Stream) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; k]; n];
    for d in 0..k {
        let mut strata: Vec<usize> = (0..n).collect();
        shuffle(&mut strata, rng);
        for (i, p) in points.iter_mut().enumerate() {
            p[d] = (strata[i] as f64 + rng.uniform()) / n as f64;
        }
    }
    points
}

fn shuffle<T>(v: &mut [T], rng: &mut Stream) {
    for i in (1..v.len()).rev() {
        let j = ((rng.uniform() * (i + 1) as f64) as usize).min(i);
        v.swap(i, j);
    }
}

/// Morris trajectories: each starts on the `levels`-grid and moves one
/// parameter at a time by +Δ, Δ = levels / (2 (levels − 1)).
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    pub k: usize,
    pub delta: f64,
    /// r (k + 1) points, trajectory after trajectory.
    pub points: Vec<Vec<f64>>,
    /// For point j + 1 of each trajectory: the parameter that moved.
    pub moved: Vec<Vec<usize>>,
}

pub fn morris_design(
    k: usize,
    trajectories: usize,
    levels: usize,
    rng: &mut Stream,
) -> MorrisDesign {
    let p = levels.max(2) as f64;
    let delta = p / (2.0 * (p - 1.0));
    // Start levels from which +Δ stays inside [0, 1].
    let starts = ((p - 1.0) * (1.0 - delta)).round() as usize + 1;
    let mut points = Vec::new();
    let mut moved = Vec::new();
    for _ in 0..trajectories {
        let mut x: Vec<f64> = (0..k)
            .map(|_| ((rng.uniform() * starts as f64) as usize).min(starts - 1) as f64 / (p - 1.0))
            .collect();
        let mut order: Vec<usize> = (0..k).collect();
        shuffle(&mut order, rng);
        points.push(x.clone());
        for &i in &order {
            x[i] += delta;
            points.push(x.clone());
        }
        moved.push(order);
    }
    MorrisDesign {
        k,
        delta,
        points,
        moved,
    }
}

/// Morris indices per parameter: (μ, μ*, σ) of the elementary effects, in
/// units of the output per unit of the (0-1 scaled) parameter.
pub fn morris_indices(d: &MorrisDesign, y: &[f64]) -> Vec<(f64, f64, f64)> {
    let mut effects = vec![Vec::new(); d.k];
    for (t, order) in d.moved.iter().enumerate() {
        let base = t * (d.k + 1);
        for (step, &i) in order.iter().enumerate() {
            effects[i].push((y[base + step + 1] - y[base + step]) / d.delta);
        }
    }
    effects
        .iter()
        .map(|e| {
            let n = e.len().max(1) as f64;
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / n;
            let var = if e.len() > 1 {
                e.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (n - 1.0)
            } else {
                0.0
            };
            (mu, mu_star, var.sqrt())
        })
        .collect()
}

/// Saltelli's design for `k` parameters and `n` base samples: the rows of
/// A, then B, then A_B^(i) (A with column i from B) for i = 1..k.
pub fn sobol_design(k: usize, n: usize, rng: &mut Stream) -> Vec<Vec<f64>> {
    let a: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..k).map(|_| rng.uniform()).collect())
        .collect();
    let b: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..k).map(|_| rng.uniform()).collect())
        .collect();
    let mut rows = a.clone();
    rows.extend(b.iter().cloned());
    for i in 0..k {
        for j in 0..n {
            let mut r = a[j].clone();
            r[i] = b[j][i];
            rows.push(r);
        }
    }
    rows
}

/// First-order and total Sobol' indices per parameter from outputs `y` in
/// the order of [`sobol_design`].
pub fn sobol_indices(k: usize, n: usize, y: &[f64]) -> Vec<(f64, f64)> {
    let rows: Vec<usize> = (0..n).collect();
    sobol_from_rows(k, n, y, &rows)
}

/// The indices computed from the base samples `rows` (numbers in 0..n,
/// repeats allowed: a bootstrap resample takes row j of A, of B and of
/// every A_B^(i) together).
fn sobol_from_rows(k: usize, n: usize, y: &[f64], rows: &[usize]) -> Vec<(f64, f64)> {
    let m = rows.len() as f64;
    let fa = |j: usize| y[j];
    let fb = |j: usize| y[n + j];
    let a_and_b = || {
        rows.iter()
            .map(move |&j| fa(j))
            .chain(rows.iter().map(move |&j| fb(j)))
    };
    let mean = a_and_b().sum::<f64>() / (2.0 * m);
    let var = a_and_b().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (2.0 * m - 1.0);
    (0..k)
        .map(|i| {
            let fab = |j: usize| y[(2 + i) * n + j];
            if var <= 0.0 {
                return (0.0, 0.0);
            }
            // Centring f_B leaves the estimator's expectation unchanged
            // (E[f_AB - f_A] = 0) and removes most of its variance.
            let first = rows
                .iter()
                .map(|&j| (fb(j) - mean) * (fab(j) - fa(j)))
                .sum::<f64>()
                / m
                / var;
            let total =
                rows.iter().map(|&j| (fa(j) - fab(j)).powi(2)).sum::<f64>() / (2.0 * m) / var;
            (first, total)
        })
        .collect()
}

/// Bootstrap confidence intervals of the Sobol' indices: `resamples` times
/// the `n` base samples are drawn with replacement and the indices computed
/// again; the interval is the central `level` part of those estimates
/// (percentile method). Per parameter: ((first low, first high), (total
/// low, total high)).
pub fn sobol_intervals(
    k: usize,
    n: usize,
    y: &[f64],
    resamples: usize,
    level: f64,
    rng: &mut Stream,
) -> Vec<((f64, f64), (f64, f64))> {
    let mut first = vec![Vec::with_capacity(resamples); k];
    let mut total = vec![Vec::with_capacity(resamples); k];
    let mut rows = vec![0; n];
    for _ in 0..resamples {
        for r in rows.iter_mut() {
            *r = ((rng.uniform() * n as f64) as usize).min(n.saturating_sub(1));
        }
        for (i, (f, t)) in sobol_from_rows(k, n, y, &rows).into_iter().enumerate() {
            first[i].push(f);
            total[i].push(t);
        }
    }
    let tail = (1.0 - level) / 2.0;
    let interval = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (percentile(v, tail), percentile(v, 1.0 - tail))
    };
    first
        .iter_mut()
        .zip(total.iter_mut())
        .map(|(f, t)| (interval(f), interval(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::StreamKey;

    fn rng() -> Stream {
        StreamKey::new(42, 0).stream(0, 0)
    }

    /// The Ishigami function on [-π, π]^3 with a = 7, b = 0.1.
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u
            .iter()
            .map(|v| -std::f64::consts::PI + 2.0 * std::f64::consts::PI * v)
            .collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn sobol_indices_of_ishigami_match_the_analytic_values() {
        let n = 20_000;
        let design = sobol_design(3, n, &mut rng());
        let y: Vec<f64> = design.iter().map(|u| ishigami(u)).collect();
        let idx = sobol_indices(3, n, &y);
        // Analytic values (Ishigami & Homma 1990; Sobol' & Levitan 1999).
        let want = [(0.3139, 0.5576), (0.4424, 0.4424), (0.0, 0.2437)];
        for (i, ((s1, st), (w1, wt))) in idx.iter().zip(want).enumerate() {
            assert!((s1 - w1).abs() < 0.04, "S{} = {s1:.4}, want {w1}", i + 1);
            assert!((st - wt).abs() < 0.04, "ST{} = {st:.4}, want {wt}", i + 1);
        }
    }

    #[test]
    fn bootstrap_intervals_cover_the_ishigami_indices_and_shrink_with_n() {
        let want = [(0.3139, 0.5576), (0.4424, 0.4424), (0.0, 0.2437)];
        let mut widths = Vec::new();
        for n in [1_000, 16_000] {
            let design = sobol_design(3, n, &mut rng());
            let y: Vec<f64> = design.iter().map(|u| ishigami(u)).collect();
            let point = sobol_indices(3, n, &y);
            let ci = sobol_intervals(3, n, &y, 400, 0.95, &mut rng());
            let mut covered = 0;
            let mut width = 0.0;
            for ((p, c), w) in point.iter().zip(&ci).zip(want) {
                for (v, (lo, hi), truth) in [(p.0, c.0, w.0), (p.1, c.1, w.1)] {
                    assert!(lo <= v && v <= hi, "estimate {v} outside [{lo}, {hi}]");
                    covered += usize::from(lo <= truth && truth <= hi);
                    width += hi - lo;
                }
            }
            // Six 95% intervals: all but at most one should cover.
            assert!(covered >= 5, "n = {n}: {covered} of 6 intervals cover");
            widths.push(width);
        }
        // Sixteen times the samples: about a quarter of the width.
        let ratio = widths[0] / widths[1];
        assert!((2.5..6.0).contains(&ratio), "width ratio {ratio}");
    }

    #[test]
    fn morris_effects_of_a_linear_function_are_its_slopes() {
        let d = morris_design(3, 10, 4, &mut rng());
        let slopes = [2.0, -1.0, 0.0];
        let y: Vec<f64> = d
            .points
            .iter()
            .map(|u| u.iter().zip(slopes).map(|(x, c)| x * c).sum())
            .collect();
        for (i, (mu, mu_star, sigma)) in morris_indices(&d, &y).into_iter().enumerate() {
            assert!(
                (mu - slopes[i]).abs() < 1e-9
                    && (mu_star - slopes[i].abs()).abs() < 1e-9
                    && sigma < 1e-9
            );
        }
        assert!(
            d.points
                .iter()
                .flatten()
                .all(|x| (0.0..=1.0 + 1e-12).contains(x))
        );
    }

    #[test]
    fn morris_sigma_shows_interactions_and_unused_parameters_score_zero() {
        let d = morris_design(3, 20, 4, &mut rng());
        let y: Vec<f64> = d.points.iter().map(|u| u[0] * u[1]).collect();
        let idx = morris_indices(&d, &y);
        assert!(idx[0].1 > 0.0 && idx[0].2 > 0.0, "{idx:?}");
        assert_eq!(idx[2], (0.0, 0.0, 0.0));
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum() {
        let p = latin_hypercube(2, 10, &mut rng());
        for d in 0..2 {
            let mut strata: Vec<usize> = p.iter().map(|x| (x[d] * 10.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
    }
}
