//! The tables of a run over a posterior (`run --posterior`):
//! `probabilities.csv` (per comparison: the share of replications whose
//! paired difference is below zero — with one posterior draw per
//! replication, the probability that the effect is a reduction; for the
//! gemeente's cost, that the scenario saves money) and `variance_split.csv`
//! (per value and per comparison: the one-way ANOVA of a nested design of
//! D draws × m replications, as O'Hagan, Stevenson & Madan (2007) do for
//! patient-level models: Var_MC = MSW, Var_parameter = (MSB − MSW) / m,
//! never below 0; and the 5%–95% range of the draw means).
//!
//! Rows: every metric of every output year, plus the gemeente's cost
//! (`cost_gemeente_eur`, and the other perspectives of `horizon.csv`), and
//! the whole horizon for the metrics `horizon.csv` sums.

use super::effects::{PERSPECTIVES, SUMMED};
use super::tables::area_kind;
use super::tables::{ScenarioRuns, finish, writer};
use super::{fmt_num, text_cell};
use crate::model::metric_names;

/// A quantity of a table: a name and the metric columns it adds up.
struct Quantity {
    name: String,
    cols: Vec<usize>,
}

/// (first, last) output-year index and the quantities of that window.
fn windows(years: usize) -> Vec<((usize, usize), Vec<Quantity>)> {
    let names = metric_names();
    let col = |n: &str| names.iter().position(|m| m == n);
    let perspectives = || {
        PERSPECTIVES.iter().map(|(p, cols)| Quantity {
            name: format!("cost_{p}_eur"),
            cols: cols.iter().filter_map(|c| col(c)).collect(),
        })
    };
    let mut out = Vec::new();
    for y in 0..years {
        let mut q: Vec<Quantity> = (0..names.len())
            .map(|i| Quantity {
                name: names[i].clone(),
                cols: vec![i],
            })
            .collect();
        q.extend(perspectives());
        out.push(((y, y), q));
    }
    if years > 1 {
        let mut q: Vec<Quantity> = SUMMED
            .iter()
            .filter_map(|m| {
                Some(Quantity {
                    name: m.to_string(),
                    cols: vec![col(m)?],
                })
            })
            .collect();
        q.extend(perspectives());
        out.push(((0, years - 1), q));
    }
    out
}

/// The window's sum of `cols` in one replication's area `a`; NaN if any
/// year is missing or undefined.
fn value(
    metrics: &[Vec<Vec<f64>>],
    a: usize,
    (first, last): (usize, usize),
    cols: &[usize],
) -> f64 {
    (first..=last)
        .map(|y| {
            metrics.get(y).map_or(f64::NAN, |areas| {
                cols.iter().map(|&c| areas[a][c]).sum::<f64>()
            })
        })
        .sum()
}

/// Per replication (paired by number): scenario − baseline.
pub(super) fn paired(
    base: &ScenarioRuns,
    sc: &ScenarioRuns,
    ba: usize,
    a: usize,
    win: (usize, usize),
    cols: &[usize],
) -> Vec<(u32, f64)> {
    sc.reps
        .iter()
        .filter_map(|rep| {
            let b = base
                .reps
                .iter()
                .find(|b| b.replication == rep.replication)?;
            Some((
                rep.replication,
                value(&rep.metrics, a, win, cols) - value(&b.metrics, ba, win, cols),
            ))
        })
        .collect()
}

fn years_of(sc: &ScenarioRuns) -> usize {
    sc.reps.first().map_or(0, |r| r.metrics.len())
}

/// Calls `f(base, sc, base area, area)` for every comparison and area
/// (areas pair by name).
fn each_comparison(
    all: &[ScenarioRuns],
    mut f: impl FnMut(&ScenarioRuns, &ScenarioRuns, usize, usize),
) {
    let Some(base) = all.first() else { return };
    for sc in &all[1..] {
        for a in 0..sc.areas.len() {
            if let Some(ba) = base.areas.iter().position(|n| n == &sc.areas[a]) {
                f(base, sc, ba, a);
            }
        }
    }
}

pub fn probabilities_csv(all: &[ScenarioRuns]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "area",
        "area_kind",
        "from_year",
        "to_year",
        "metric",
        "prob_reduction",
        "prob_increase",
        "n",
    ]);
    each_comparison(all, |base, sc, ba, a| {
        for (win, quantities) in windows(years_of(sc)) {
            for q in quantities {
                let d: Vec<f64> = paired(base, sc, ba, a, win, &q.cols)
                    .into_iter()
                    .map(|x| x.1)
                    .filter(|x| x.is_finite())
                    .collect();
                let n = d.len();
                let share = |k: usize| {
                    if n == 0 {
                        f64::NAN
                    } else {
                        k as f64 / n as f64
                    }
                };
                let _ = w.write_record([
                    text_cell(&sc.name).into_owned(),
                    text_cell(&base.name).into_owned(),
                    text_cell(&sc.areas[a]).into_owned(),
                    area_kind(a).into(),
                    (sc.start_year + win.0 as i32).to_string(),
                    (sc.start_year + win.1 as i32).to_string(),
                    q.name,
                    fmt_num(share(d.iter().filter(|x| **x < 0.0).count())),
                    fmt_num(share(d.iter().filter(|x| **x > 0.0).count())),
                    n.to_string(),
                ]);
            }
        }
    });
    finish(w)
}

/// The one-way ANOVA of values grouped by draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub mean: f64,
    /// Variance of the expected outcome over the posterior (NaN with one
    /// replication per draw).
    pub var_parameter: f64,
    /// Variance of one run around its draw's expectation (NaN likewise).
    pub var_mc: f64,
    /// 5% and 95% points of the draw means.
    pub p05: f64,
    pub p95: f64,
    pub n: usize,
}

/// Splits `(draw, value)` pairs; values that are not finite are left out.
pub fn split(values: &[(usize, f64)]) -> Split {
    let mut groups: std::collections::BTreeMap<usize, Vec<f64>> = Default::default();
    for &(d, v) in values {
        if v.is_finite() {
            groups.entry(d).or_default().push(v);
        }
    }
    let n: usize = groups.values().map(Vec::len).sum();
    let g = groups.len();
    let nf = n as f64;
    let mean = groups.values().flatten().sum::<f64>() / nf;
    let means: Vec<f64> = groups
        .values()
        .map(|v| v.iter().sum::<f64>() / v.len() as f64)
        .collect();
    let mut sorted = means.clone();
    sorted.sort_by(f64::total_cmp);
    let (mut var_parameter, mut var_mc) = (f64::NAN, f64::NAN);
    if g >= 2 && n > g {
        let ssb: f64 = groups
            .values()
            .zip(&means)
            .map(|(v, m)| v.len() as f64 * (m - mean) * (m - mean))
            .sum();
        let ssw: f64 = groups
            .values()
            .zip(&means)
            .map(|(v, m)| v.iter().map(|x| (x - m) * (x - m)).sum::<f64>())
            .sum();
        let msb = ssb / (g - 1) as f64;
        let msw = ssw / (n - g) as f64;
        // The mean group size of an unbalanced design (n0).
        let n0 = (nf
            - groups
                .values()
                .map(|v| (v.len() * v.len()) as f64)
                .sum::<f64>()
                / nf)
            / (g - 1) as f64;
        var_mc = msw;
        var_parameter = ((msb - msw) / n0).max(0.0);
    }
    Split {
        mean: if n == 0 { f64::NAN } else { mean },
        var_parameter,
        var_mc,
        p05: super::stats::percentile(&sorted, 0.05),
        p95: super::stats::percentile(&sorted, 0.95),
        n,
    }
}

/// `variance_split.csv`; `draw_of(r)` is replication r's draw.
pub fn variance_split_csv(
    all: &[ScenarioRuns],
    draw_of: &dyn Fn(u32) -> usize,
    draws: u32,
    per_draw: u32,
) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "kind",
        "area",
        "area_kind",
        "from_year",
        "to_year",
        "metric",
        "draws",
        "replications_per_draw",
        "mean",
        "var_parameter",
        "var_monte_carlo",
        "share_parameter",
        "draw_p05",
        "draw_p95",
        "n",
    ]);
    let mut row = |sc: &ScenarioRuns,
                   base: &str,
                   kind: &str,
                   a: usize,
                   win: (usize, usize),
                   name: &str,
                   s: Split| {
        let total = s.var_parameter + s.var_mc;
        let share = if total > 0.0 {
            s.var_parameter / total
        } else {
            f64::NAN
        };
        let _ = w.write_record([
            text_cell(&sc.name).into_owned(),
            text_cell(base).into_owned(),
            kind.to_string(),
            text_cell(&sc.areas[a]).into_owned(),
            area_kind(a).into(),
            (sc.start_year + win.0 as i32).to_string(),
            (sc.start_year + win.1 as i32).to_string(),
            name.to_string(),
            draws.to_string(),
            per_draw.to_string(),
            fmt_num(s.mean),
            fmt_num(s.var_parameter),
            fmt_num(s.var_mc),
            fmt_num(share),
            fmt_num(s.p05),
            fmt_num(s.p95),
            s.n.to_string(),
        ]);
    };
    for sc in all {
        for a in 0..sc.areas.len() {
            for (win, quantities) in windows(years_of(sc)) {
                for q in quantities {
                    let v: Vec<(usize, f64)> = sc
                        .reps
                        .iter()
                        .map(|r| (draw_of(r.replication), value(&r.metrics, a, win, &q.cols)))
                        .collect();
                    row(sc, "", "value", a, win, &q.name, split(&v));
                }
            }
        }
    }
    each_comparison(all, |base, sc, ba, a| {
        for (win, quantities) in windows(years_of(sc)) {
            for q in quantities {
                let v: Vec<(usize, f64)> = paired(base, sc, ba, a, win, &q.cols)
                    .into_iter()
                    .map(|(r, x)| (draw_of(r), x))
                    .collect();
                row(sc, &base.name, "difference", a, win, &q.name, split(&v));
            }
        }
    });
    finish(w)
}

/// One sentence per comparison: the probability that the scenario saves
/// the gemeente money over the whole horizon (region rows).
pub fn saving_sentences(all: &[ScenarioRuns]) -> String {
    let mut t = String::new();
    let Some(base) = all.first() else { return t };
    let names = metric_names();
    let cols: Vec<usize> = PERSPECTIVES[0]
        .1
        .iter()
        .filter_map(|c| names.iter().position(|n| n == c))
        .collect();
    for sc in &all[1..] {
        let years = years_of(sc);
        if years == 0 {
            continue;
        }
        let d: Vec<f64> = paired(base, sc, 0, 0, (0, years - 1), &cols)
            .into_iter()
            .map(|x| x.1)
            .filter(|x| x.is_finite())
            .collect();
        let saves = d.iter().filter(|x| **x < 0.0).count();
        t.push_str(&format!(
            "  {} saves the gemeente money over {}-{} (against {}) in {saves} of {} posterior replications: probability {:.2}\n",
            sc.name,
            sc.start_year,
            sc.start_year + years as i32 - 1,
            base.name,
            d.len(),
            saves as f64 / d.len().max(1) as f64
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anova_split_recovers_parameter_and_monte_carlo_variance() {
        // 4 draws with means 0, 2, 4, 6 (variance 20/3), each seen 3 times
        // with deviations -1, 0, +1 (variance 1).
        let mut v = Vec::new();
        for d in 0..4 {
            for e in [-1.0, 0.0, 1.0] {
                v.push((d, 2.0 * d as f64 + e));
            }
        }
        let s = split(&v);
        assert_eq!(s.n, 12);
        assert!((s.mean - 3.0).abs() < 1e-12);
        assert!((s.var_mc - 1.0).abs() < 1e-12, "{s:?}");
        // MSB = 3 · 20/3 = 20; (20 − 1) / 3.
        assert!((s.var_parameter - 19.0 / 3.0).abs() < 1e-12, "{s:?}");
        assert!((s.p05 - 0.3).abs() < 1e-12 && (s.p95 - 5.7).abs() < 1e-12);
        // One replication per draw: no split.
        let single = split(&[(0, 1.0), (1, 2.0), (2, 3.0)]);
        assert!(single.var_parameter.is_nan() && single.var_mc.is_nan());
        // Draws that agree: no parameter variance (never negative).
        let same = split(&[(0, 1.0), (0, 3.0), (1, 3.0), (1, 1.0)]);
        assert_eq!(same.var_parameter, 0.0);
    }
}
