//! Effects over a horizon and cost per result, the answers of a policy
//! comparison: `horizon.csv` (cumulative paired differences over the output
//! years) and `cost_effectiveness.csv` (cost per referral, second-line start
//! or thuiszitter-year avoided, from three perspectives, with Fieller
//! intervals).
//!
//! Every figure is paired: replication r of a scenario is compared with
//! replication r of the baseline (common random numbers), and intervals
//! come from the spread of the per-replication differences.

use super::stats::{Summary, summarise, t_quantile, variance_reduction};
use super::tables::ScenarioRuns;
use super::tables::area_kind;
use super::{fmt_num, text_cell};
use crate::model::metric_names;

/// Who pays: the cost columns each perspective adds up.
pub const PERSPECTIVES: [(&str, &[&str]); 3] = [
    (
        // The gemeente's youth budget (Jeugdwet): wijkteam, second line,
        // DSAV and POH-jeugd.
        "gemeente",
        &[
            "cost_wijkteam_eur",
            "cost_second_line_eur",
            "cost_dsav_eur",
            "cost_poh_eur",
        ],
    ),
    (
        // The gemeente plus the samenwerkingsverband's arrangements.
        "gemeente_swv",
        &[
            "cost_wijkteam_eur",
            "cost_second_line_eur",
            "cost_dsav_eur",
            "cost_poh_eur",
            "cost_swv_eur",
        ],
    ),
    (
        // Society: also the huisarts consults (health insurer).
        "society",
        &[
            "cost_wijkteam_eur",
            "cost_second_line_eur",
            "cost_dsav_eur",
            "cost_poh_eur",
            "cost_swv_eur",
            "cost_huisarts_eur",
        ],
    ),
];

/// Outcomes a cost can be set against: (name in the outputs, metric summed
/// over the window). Thuiszitters are counted per year, so their sum is
/// thuiszitter-years.
pub const OUTCOMES: [(&str, &str); 3] = [
    ("second_line_referrals", "second_line_referrals"),
    ("second_line_starts", "second_line_starts"),
    ("thuiszitter_years", "thuiszitters"),
];

/// Metrics summed over a window in `horizon.csv`: counts and euros (not
/// shares, waits or per-1,000 rates, which do not add up over years).
pub(crate) const SUMMED: [&str; 9] = [
    "second_line_referrals",
    "second_line_starts",
    "light_help_starts",
    "thuiszitters",
    "clientenstop_bounces",
    "treatment_starts_deferred",
    "cost_total_eur",
    "budget_eur",
    "budget_balance_eur",
];

/// A window of output years, as indices into a run's years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: usize,
    pub last: usize,
}

/// The windows of the tables: from the first output year to each year
/// (cumulative to date), so the last of these is the whole horizon; then
/// each extra window (calendar years, from `--window FROM-TO`) that lies
/// in the output years and is not one of those.
fn windows(years: usize, start_year: i32, extra: &[(i32, i32)]) -> Vec<Window> {
    let mut out: Vec<Window> = (0..years).map(|last| Window { first: 0, last }).collect();
    for &(from, to) in extra {
        let (first, last) = (from - start_year, to - start_year);
        if first < 0 || first > last || last as usize >= years {
            continue;
        }
        let w = Window {
            first: first as usize,
            last: last as usize,
        };
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Per replication pair (baseline, scenario), the window sum of `value`
/// of one area: `(baseline, scenario)` values, paired by replication number.
fn paired_sums(
    base: &ScenarioRuns,
    sc: &ScenarioRuns,
    base_area: usize,
    area: usize,
    w: Window,
    value: &dyn Fn(&[f64]) -> f64,
) -> Vec<(f64, f64)> {
    sc.reps
        .iter()
        .filter_map(|rep| {
            let b = base
                .reps
                .iter()
                .find(|b| b.replication == rep.replication)?;
            let sum = |metrics: &Vec<Vec<Vec<f64>>>, a: usize| -> Option<f64> {
                (w.first..=w.last)
                    .map(|y| metrics.get(y).map(|areas| value(&areas[a])))
                    .sum()
            };
            Some((sum(&b.metrics, base_area)?, sum(&rep.metrics, area)?))
        })
        .collect()
}

/// A ratio of means with its Fieller interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    pub estimate: f64,
    /// NaN when the interval is unbounded (the denominator is not
    /// distinguishable from zero at this level).
    pub low: f64,
    pub high: f64,
}

/// The ratio mean(num) / mean(den) of paired observations with its
/// two-sided Fieller interval at `level` (Fieller 1954; as used for
/// incremental cost-effectiveness ratios, Willan & O'Brien 1996). The
/// interval is bounded only when the denominator's mean differs from zero
/// at that level; otherwise `low` and `high` are NaN.
pub fn fieller(num: &[f64], den: &[f64], level: f64) -> Ratio {
    let n = num.len().min(den.len());
    let nan = Ratio {
        estimate: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
    };
    if n == 0 {
        return nan;
    }
    let nf = n as f64;
    let (c, a) = (
        num[..n].iter().sum::<f64>() / nf,
        den[..n].iter().sum::<f64>() / nf,
    );
    if a == 0.0 {
        return nan;
    }
    let estimate = c / a;
    if n < 2 {
        return Ratio { estimate, ..nan };
    }
    let cov = |x: &[f64], mx: f64, y: &[f64], my: f64| {
        x.iter()
            .zip(y)
            .map(|(xi, yi)| (xi - mx) * (yi - my))
            .sum::<f64>()
            / (nf - 1.0)
            / nf
    };
    let (vcc, vaa, vca) = (
        cov(&num[..n], c, &num[..n], c),
        cov(&den[..n], a, &den[..n], a),
        cov(&num[..n], c, &den[..n], a),
    );
    let t2 = t_quantile(0.5 + level / 2.0, nf - 1.0).powi(2);
    // (a² − t²·vaa) R² − 2 (c·a − t²·vca) R + (c² − t²·vcc) = 0
    let qa = a * a - t2 * vaa;
    let qb = c * a - t2 * vca;
    let qc = c * c - t2 * vcc;
    let disc = qb * qb - qa * qc;
    if qa <= 0.0 || disc < 0.0 {
        return Ratio { estimate, ..nan };
    }
    let root = disc.sqrt();
    Ratio {
        estimate,
        low: (qb - root) / qa,
        high: (qb + root) / qa,
    }
}

/// How to read a cost-effectiveness pair, from the intervals of the cost
/// difference and of the outcomes avoided: "dominant" when the scenario
/// surely saves money and avoids outcomes, "dominated" when it surely costs
/// more and adds outcomes, otherwise each part on its own.
fn reading(cost: &Summary, avoided: &Summary) -> String {
    if cost.n < 2 {
        return "too few replications for an interval".into();
    }
    let money = if cost.high < 0.0 {
        Some(true)
    } else if cost.low > 0.0 {
        Some(false)
    } else {
        None
    };
    let fewer = if avoided.low > 0.0 {
        Some(true)
    } else if avoided.high < 0.0 {
        Some(false)
    } else {
        None
    };
    match (money, fewer) {
        (Some(true), Some(true)) => "dominant: saves money and avoids outcomes".into(),
        (Some(false), Some(false)) => "dominated: costs more and adds outcomes".into(),
        _ => {
            let m = match money {
                Some(true) => "saves money",
                Some(false) => "costs more",
                None => "no demonstrable cost difference",
            };
            let o = match fewer {
                Some(true) => "avoids outcomes",
                Some(false) => "adds outcomes",
                None => "no demonstrable effect on the outcome",
            };
            format!("{m}; {o}")
        }
    }
}

/// Cumulative paired differences over windows of output years.
pub fn horizon_csv(all: &[ScenarioRuns], extra: &[(i32, i32)]) -> Vec<u8> {
    let mut w = super::tables::writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "area",
        "area_kind",
        "from_year",
        "to_year",
        "metric",
        "baseline_total",
        "scenario_total",
        "difference_mean",
        "difference_sd",
        "ci95_low",
        "ci95_high",
        "relative_difference",
        "n",
        "variance_reduction",
    ]);
    let names = metric_names();
    let mut metrics: Vec<(String, Vec<usize>)> = SUMMED
        .iter()
        .filter_map(|m| Some((m.to_string(), vec![names.iter().position(|n| n == m)?])))
        .collect();
    for (p, cols) in PERSPECTIVES {
        let idx = cols
            .iter()
            .filter_map(|c| names.iter().position(|n| n == c))
            .collect();
        metrics.push((format!("cost_{p}_eur"), idx));
    }
    each_pair(all, extra, |base, sc, ba, a, win| {
        for (name, cols) in &metrics {
            let pairs = paired_sums(base, sc, ba, a, win, &|v| cols.iter().map(|&c| v[c]).sum());
            let diffs: Vec<f64> = pairs.iter().map(|(b, s)| s - b).collect();
            let d = summarise(&diffs, 0.95);
            let bm = summarise(&pairs.iter().map(|p| p.0).collect::<Vec<_>>(), 0.95).mean;
            let sm = summarise(&pairs.iter().map(|p| p.1).collect::<Vec<_>>(), 0.95).mean;
            let rel = if bm.is_finite() && bm != 0.0 {
                d.mean / bm
            } else {
                f64::NAN
            };
            let _ = w.write_record([
                text_cell(&sc.name).into_owned(),
                text_cell(&base.name).into_owned(),
                text_cell(&sc.areas[a]).into_owned(),
                area_kind(a).into(),
                (sc.start_year + win.first as i32).to_string(),
                (sc.start_year + win.last as i32).to_string(),
                name.clone(),
                fmt_num(bm),
                fmt_num(sm),
                fmt_num(d.mean),
                fmt_num(d.sd),
                fmt_num(d.low),
                fmt_num(d.high),
                fmt_num(rel),
                d.n.to_string(),
                fmt_num(variance_reduction(&pairs)),
            ]);
        }
    });
    super::tables::finish(w)
}

/// Cost per outcome avoided over windows of output years, per perspective.
pub fn cost_effectiveness_csv(all: &[ScenarioRuns], extra: &[(i32, i32)]) -> Vec<u8> {
    let mut w = super::tables::writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "area",
        "area_kind",
        "from_year",
        "to_year",
        "perspective",
        "outcome",
        "cost_difference_eur",
        "cost_ci95_low",
        "cost_ci95_high",
        "outcome_avoided",
        "avoided_ci95_low",
        "avoided_ci95_high",
        "cost_per_outcome_avoided_eur",
        "ratio_ci95_low",
        "ratio_ci95_high",
        "interval_method",
        "reading",
        "n",
    ]);
    let names = metric_names();
    let col = |m: &str| names.iter().position(|n| n == m);
    each_pair(all, extra, |base, sc, ba, a, win| {
        for (perspective, cols) in PERSPECTIVES {
            let cols: Vec<usize> = cols.iter().filter_map(|c| col(c)).collect();
            let cost_pairs =
                paired_sums(base, sc, ba, a, win, &|v| cols.iter().map(|&c| v[c]).sum());
            let dc: Vec<f64> = cost_pairs.iter().map(|(b, s)| s - b).collect();
            let cost = summarise(&dc, 0.95);
            for (outcome, metric) in OUTCOMES {
                let Some(m) = col(metric) else { continue };
                let pairs = paired_sums(base, sc, ba, a, win, &|v| v[m]);
                // Avoided = baseline − scenario: positive when the scenario has fewer.
                let av: Vec<f64> = pairs.iter().map(|(b, s)| b - s).collect();
                let avoided = summarise(&av, 0.95);
                let r = fieller(&dc, &av, 0.95);
                let _ = w.write_record([
                    text_cell(&sc.name).into_owned(),
                    text_cell(&base.name).into_owned(),
                    text_cell(&sc.areas[a]).into_owned(),
                    area_kind(a).into(),
                    (sc.start_year + win.first as i32).to_string(),
                    (sc.start_year + win.last as i32).to_string(),
                    perspective.to_string(),
                    outcome.to_string(),
                    fmt_num(cost.mean),
                    fmt_num(cost.low),
                    fmt_num(cost.high),
                    fmt_num(avoided.mean),
                    fmt_num(avoided.low),
                    fmt_num(avoided.high),
                    fmt_num(r.estimate),
                    fmt_num(r.low),
                    fmt_num(r.high),
                    "fieller".to_string(),
                    reading(&cost, &avoided),
                    cost.n.to_string(),
                ]);
            }
        }
    });
    super::tables::finish(w)
}

/// Calls `f(baseline, scenario, baseline area, area, window)` for every
/// scenario after the first, every area it shares with the baseline (by
/// name) and every window, in output order.
fn each_pair(
    all: &[ScenarioRuns],
    extra: &[(i32, i32)],
    mut f: impl FnMut(&ScenarioRuns, &ScenarioRuns, usize, usize, Window),
) {
    let Some(base) = all.first() else { return };
    for sc in &all[1..] {
        let years = sc.reps.first().map_or(0, |r| r.metrics.len());
        for a in 0..sc.areas.len() {
            let Some(ba) = base.areas.iter().position(|n| n == &sc.areas[a]) else {
                continue;
            };
            for win in windows(years, sc.start_year, extra) {
                f(base, sc, ba, a, win);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fieller_interval_contains_the_ratio_and_widens_with_noise() {
        // cost = 1000 per unit avoided, plus noise.
        let den = [10.0, 12.0, 9.0, 11.0, 10.5, 9.5, 10.0, 11.5];
        let noise = [5.0, -3.0, 2.0, -4.0, 1.0, 0.0, -2.0, 3.0];
        let num: Vec<f64> = den.iter().zip(noise).map(|(d, e)| 1000.0 * d + e).collect();
        let r = fieller(&num, &den, 0.95);
        assert!((r.estimate - 1000.0).abs() < 1.0, "{r:?}");
        assert!(r.low < r.estimate && r.estimate < r.high, "{r:?}");
        assert!(r.high - r.low < 5.0, "{r:?}");
        let noisy: Vec<f64> = num.iter().zip(noise).map(|(c, e)| c + 400.0 * e).collect();
        let wide = fieller(&noisy, &den, 0.95);
        assert!(wide.high - wide.low > r.high - r.low, "{wide:?}");
    }

    #[test]
    fn fieller_is_unbounded_when_the_denominator_may_be_zero() {
        let den = [1.0, -1.0, 2.0, -2.0, 0.5, -0.5];
        let num = [100.0, 90.0, 110.0, 95.0, 105.0, 100.0];
        let r = fieller(&num, &den, 0.95);
        assert!(r.low.is_nan() && r.high.is_nan(), "{r:?}");
    }

    #[test]
    fn fieller_matches_the_closed_form_for_an_exact_denominator() {
        // A constant denominator: the interval is the numerator's t interval / a.
        let den = [4.0; 5];
        let num = [10.0, 12.0, 8.0, 11.0, 9.0];
        let r = fieller(&num, &den, 0.95);
        let s = summarise(&num, 0.95);
        assert!((r.low - s.low / 4.0).abs() < 1e-9, "{r:?} {s:?}");
        assert!((r.high - s.high / 4.0).abs() < 1e-9, "{r:?} {s:?}");
    }
}
