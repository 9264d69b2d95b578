//! Scoring a forecast against observed figures: per figure the model's
//! mean over replications (and posterior draws), its 90% interval (the 5%
//! and 95% points of the replications), the absolute percentage error and
//! whether the interval covers the figure; beside it the naive benchmark,
//! the figure of the year `fit_until` carried forward. Pure functions.

use super::spec::{Measure, Observed, same_series};
use crate::output::forecast::quantile;
use crate::output::tables::{RunRows, ScenarioRuns};

/// The interval's tails: a 90% interval.
pub const LOW: f64 = 0.05;
pub const HIGH: f64 = 0.95;

/// One scored figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub observed: f64,
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    /// Replications with a finite value.
    pub n: usize,
    pub ape: f64,
    pub covered: bool,
    /// The naive benchmark (NaN without a figure of the year `fit_until`).
    pub naive: f64,
    pub naive_ape: f64,
}

/// The averages over the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub rows: usize,
    /// Mean absolute percentage error of the model's mean, in percent.
    pub mape: f64,
    /// Rows inside the model's 90% interval.
    pub covered: usize,
    /// Rows with a naive benchmark, and its MAPE over them.
    pub naive_rows: usize,
    pub naive_mape: f64,
    /// The model's MAPE over the rows that have a naive benchmark (a like
    /// for like comparison).
    pub model_mape_naive_rows: f64,
}

impl Summary {
    pub fn coverage(&self) -> f64 {
        if self.rows == 0 {
            f64::NAN
        } else {
            self.covered as f64 / self.rows as f64
        }
    }
}

/// The value of `m` in one replication's year and area.
pub fn value(rows: &RunRows, m: Measure, year: usize, area: usize) -> f64 {
    let get = |k: usize| {
        rows.forecast
            .get(year)
            .and_then(|y| y.get(area))
            .and_then(|a| a.get(k))
            .copied()
            .unwrap_or(f64::NAN)
    };
    match m {
        Measure::Run(i) => rows
            .metrics
            .get(year)
            .and_then(|y| y.get(area))
            .and_then(|a| a.get(i))
            .copied()
            .unwrap_or(f64::NAN),
        Measure::Forecast(k) => get(k),
        Measure::FormsSum(a, b) => get(a) + get(b),
    }
}

/// Absolute percentage error of `forecast` against `observed` (not 0).
pub fn ape(forecast: f64, observed: f64) -> f64 {
    100.0 * (forecast - observed).abs() / observed.abs()
}

/// Scores `o` from its values over the replications.
pub fn score(o: &Observed, values: &[f64], origins: &[Observed]) -> Row {
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let n = finite.len();
    let mean = if n == 0 {
        f64::NAN
    } else {
        finite.iter().sum::<f64>() / n as f64
    };
    let (low, high) = (quantile(&finite, LOW), quantile(&finite, HIGH));
    let naive = origins
        .iter()
        .find(|x| same_series(x, o))
        .map_or(f64::NAN, |x| x.value);
    Row {
        observed: o.value,
        mean,
        low,
        high,
        n,
        ape: ape(mean, o.value),
        covered: low <= o.value && o.value <= high,
        naive,
        naive_ape: ape(naive, o.value),
    }
}

/// Scores every figure against the forecast run `sc` (one scenario).
pub fn score_all(sc: &ScenarioRuns, scored: &[Observed], origins: &[Observed]) -> Vec<Row> {
    scored
        .iter()
        .map(|o| {
            let year = (o.year - sc.start_year) as usize;
            let values: Vec<f64> = sc
                .reps
                .iter()
                .map(|r| value(r, o.measure, year, o.area_index))
                .collect();
            score(o, &values, origins)
        })
        .collect()
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for x in xs {
        s += x;
        n += 1;
    }
    if n == 0 { f64::NAN } else { s / n as f64 }
}

/// MAPE, coverage and the naive benchmark over `rows`. A row whose model
/// value is undefined (no replication gave one) counts as not covered
/// and is left out of the MAPE.
pub fn summarise(rows: &[Row]) -> Summary {
    let with_naive = || rows.iter().filter(|r| r.naive.is_finite());
    Summary {
        rows: rows.len(),
        mape: mean(rows.iter().map(|r| r.ape).filter(|x| x.is_finite())),
        covered: rows.iter().filter(|r| r.covered).count(),
        naive_rows: with_naive().count(),
        naive_mape: mean(with_naive().map(|r| r.naive_ape)),
        model_mape_naive_rows: mean(with_naive().map(|r| r.ape).filter(|x| x.is_finite())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(value: f64, year: i32) -> Observed {
        Observed {
            metric: "youth_care_share".into(),
            area: "R".into(),
            area_index: 0,
            care_form: String::new(),
            measure: Measure::Run(0),
            year,
            value,
            source: "test".into(),
        }
    }

    #[test]
    fn a_figure_inside_the_ninety_percent_interval_is_covered_and_its_error_is_relative() {
        let values: Vec<f64> = (0..=100).map(|i| 0.10 + 0.0004 * f64::from(i)).collect();
        // Values 0.10 to 0.14: mean 0.12, 5% point 0.102, 95% point 0.138.
        let origin = figure(0.11, 2016);
        let r = score(&figure(0.125, 2019), &values, std::slice::from_ref(&origin));
        assert!((r.mean - 0.12).abs() < 1e-12);
        assert!((r.low - 0.102).abs() < 1e-12 && (r.high - 0.138).abs() < 1e-12);
        assert!(r.covered);
        assert!((r.ape - 4.0).abs() < 1e-9, "{}", r.ape);
        assert!((r.naive_ape - 12.0).abs() < 1e-9, "{}", r.naive_ape);
        let out = score(&figure(0.15, 2019), &values, &[]);
        assert!(!out.covered && out.naive.is_nan());
    }

    #[test]
    fn the_summary_averages_errors_and_counts_coverage_over_rows() {
        let values = [1.0, 2.0, 3.0];
        let rows = vec![
            score(&figure(2.0, 2019), &values, &[figure(1.0, 2016)]),
            score(&figure(4.0, 2020), &values, &[]),
        ];
        let s = summarise(&rows);
        assert_eq!((s.rows, s.covered, s.naive_rows), (2, 1, 1));
        // APEs 0% and 50%.
        assert!((s.mape - 25.0).abs() < 1e-12);
        assert!((s.coverage() - 0.5).abs() < 1e-12);
        assert!((s.naive_mape - 50.0).abs() < 1e-12);
        assert!(s.model_mape_naive_rows.abs() < 1e-12);
    }
}
