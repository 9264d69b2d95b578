//! `drivers.csv` of a run over a posterior with two or more scenarios:
//! which calibrated parameters drive the uncertainty of each effect.
//!
//! Per comparison, area and effect over the whole horizon (referrals,
//! thuiszitters and the cost perspectives of `horizon.csv`), the effect's
//! mean per posterior draw is regressed on one parameter at a time, a
//! quadratic in the parameter fitted by least squares; the adjusted R² (at
//! least 0) is the share of the variance of the draw means that the
//! parameter explains on its own. This is the single-parameter regression
//! behind the non-parametric EVPPI of Strong, Oakley & Brennan (2014), with
//! a quadratic instead of a GAM because a run has tens of draws, not
//! thousands. Posterior parameters are correlated, so the shares need not
//! add up to 1: a parameter correlated with a driver shares its credit.
//! The draw means also carry Monte Carlo noise (variance_split.csv says how
//! much); a share near 0 for every parameter means noise or interactions.

use super::effects::{PERSPECTIVES, SUMMED};
use super::tables::{ScenarioRuns, area_kind, finish, writer};
use super::uncertainty::paired;
use super::{fmt_num, text_cell};
use crate::model::metric_names;

/// The effects ranked: the counts that `horizon.csv` sums and whose
/// drivers matter for a decision.
const EFFECTS: [&str; 2] = ["second_line_referrals", "thuiszitters"];

/// Adjusted R² of `y ~ 1 + x + x²`; NaN with fewer than 4 points or no
/// spread in `y`.
pub fn quadratic_share(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    if n < 4 || n != y.len() {
        return f64::NAN;
    }
    let nf = n as f64;
    let (mx, my) = (x.iter().sum::<f64>() / nf, y.iter().sum::<f64>() / nf);
    let sx = (x.iter().map(|v| (v - mx) * (v - mx)).sum::<f64>() / nf).sqrt();
    let sst: f64 = y.iter().map(|v| (v - my) * (v - my)).sum();
    if sst <= 0.0 || !sst.is_finite() {
        return f64::NAN;
    }
    if sx <= 0.0 {
        return 0.0;
    }
    // Columns 1, z, z² with z standardised; normal equations solved by
    // Gaussian elimination with partial pivoting.
    let rows: Vec<[f64; 3]> = x
        .iter()
        .map(|v| {
            let z = (v - mx) / sx;
            [1.0, z, z * z]
        })
        .collect();
    let mut a = [[0.0f64; 4]; 3];
    for (r, yv) in rows.iter().zip(y) {
        for i in 0..3 {
            for j in 0..3 {
                a[i][j] += r[i] * r[j];
            }
            a[i][3] += r[i] * yv;
        }
    }
    for c in 0..3 {
        let p = (c..3)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        if a[c][c].abs() < 1e-12 {
            return 0.0;
        }
        let pivot = a[c];
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot[c];
                for (x, p) in row.iter_mut().zip(pivot).skip(c) {
                    *x -= f * p;
                }
            }
        }
    }
    let beta: Vec<f64> = (0..3).map(|i| a[i][3] / a[i][i]).collect();
    let sse: f64 = rows
        .iter()
        .zip(y)
        .map(|(r, yv)| {
            let fit: f64 = r.iter().zip(&beta).map(|(a, b)| a * b).sum();
            (yv - fit) * (yv - fit)
        })
        .sum();
    let r2 = 1.0 - sse / sst;
    (1.0 - (1.0 - r2) * (nf - 1.0) / (nf - 3.0)).clamp(0.0, 1.0)
}

/// `drivers.csv`. `draw_of(r)` is replication r's draw; `values[d]` the
/// calibrated parameters' values of draw d, in the order of `keys`.
pub fn drivers_csv(
    all: &[ScenarioRuns],
    draw_of: &dyn Fn(u32) -> usize,
    keys: &[String],
    values: &[Vec<f64>],
) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "area",
        "area_kind",
        "from_year",
        "to_year",
        "metric",
        "parameter",
        "share_explained",
        "rank",
        "draws",
    ]);
    let names = metric_names();
    let col = |n: &str| names.iter().position(|m| m == n);
    let mut effects: Vec<(String, Vec<usize>)> = EFFECTS
        .iter()
        .filter(|m| SUMMED.contains(m))
        .filter_map(|m| Some((m.to_string(), vec![col(m)?])))
        .collect();
    effects.extend(PERSPECTIVES.iter().map(|(p, cols)| {
        (
            format!("cost_{p}_eur"),
            cols.iter().filter_map(|c| col(c)).collect(),
        )
    }));
    let Some(base) = all.first() else {
        return finish(w);
    };
    for sc in &all[1..] {
        let years = sc.reps.first().map_or(0, |r| r.metrics.len());
        if years == 0 {
            continue;
        }
        for a in 0..sc.areas.len() {
            let Some(ba) = base.areas.iter().position(|n| n == &sc.areas[a]) else {
                continue;
            };
            for (name, cols) in &effects {
                // Per draw: the mean paired effect over its replications.
                let mut sums: std::collections::BTreeMap<usize, (f64, usize)> = Default::default();
                for (r, d) in paired(base, sc, ba, a, (0, years - 1), cols) {
                    if d.is_finite() {
                        let e = sums.entry(draw_of(r)).or_default();
                        e.0 += d;
                        e.1 += 1;
                    }
                }
                let draws: Vec<usize> = sums.keys().copied().collect();
                let y: Vec<f64> = sums.values().map(|(s, n)| s / *n as f64).collect();
                let mut shares: Vec<(usize, f64)> = (0..keys.len())
                    .map(|k| {
                        let x: Vec<f64> = draws
                            .iter()
                            .map(|&d| values.get(d).map_or(f64::NAN, |v| v[k]))
                            .collect();
                        (k, quadratic_share(&x, &y))
                    })
                    .collect();
                shares.sort_by(|p, q| q.1.total_cmp(&p.1).then(p.0.cmp(&q.0)));
                for (rank, (k, share)) in shares.iter().enumerate() {
                    let _ = w.write_record([
                        text_cell(&sc.name).into_owned(),
                        text_cell(&base.name).into_owned(),
                        text_cell(&sc.areas[a]).into_owned(),
                        area_kind(a).into(),
                        sc.start_year.to_string(),
                        (sc.start_year + years as i32 - 1).to_string(),
                        name.clone(),
                        text_cell(&keys[*k]).into_owned(),
                        fmt_num(*share),
                        (rank + 1).to_string(),
                        draws.len().to_string(),
                    ]);
                }
            }
        }
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::quadratic_share;

    #[test]
    fn a_parameter_that_sets_the_effect_explains_it_and_noise_explains_nothing() {
        let x: Vec<f64> = (0..40).map(|i| i as f64 / 40.0).collect();
        // y = x² exactly: all of it.
        let y: Vec<f64> = x.iter().map(|v| v * v).collect();
        assert!((quadratic_share(&x, &y) - 1.0).abs() < 1e-9);
        // y independent of x (a deterministic scramble): about nothing.
        let noise: Vec<f64> = (0..40).map(|i| ((i * 7919) % 41) as f64).collect();
        assert!(quadratic_share(&x, &noise) < 0.15);
        // Too few draws or no spread: undefined.
        assert!(quadratic_share(&x[..3], &y[..3]).is_nan());
        assert!(quadratic_share(&x, &vec![1.0; 40]).is_nan());
        // A parameter that does not vary explains nothing.
        assert_eq!(quadratic_share(&[0.5; 10], &y[..10]), 0.0);
    }
}
