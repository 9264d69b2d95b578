//! `forecast.csv`: per scenario, output year, area (region and each
//! gemeente) and care form, the stock-flow decomposition of second-line
//! care — the stock (bezetting) on 1 January, instroom, uitstroom, the
//! stock after the year, the mean stock over the year, the mean length of
//! the trajectories that ended and Little's-law length (mean stock /
//! uitstroom), the cost and the waiting list on 1 January — and for all
//! care together the cost paid from the youth budget, the budget and the
//! chance of overspending. Each with its mean over replications, the 95%
//! confidence interval of that mean, and the 2.5% and 97.5% points of the
//! replications themselves (the range a year's figure may take; over the
//! posterior draws too when replications carry them).

use super::stats::summarise;
use super::tables::{ScenarioRuns, area_kind, finish, writer};
use super::{fmt_num, text_cell};
use crate::model::{FORECAST_MEASURES, FORECAST_TOTAL, FORMS};

/// Values per area and year in `RunRows::forecast`.
pub const FORECAST_VALUES: usize = FORMS.len() * FORECAST_MEASURES.len() + FORECAST_TOTAL.len();

/// The (care_form, measure) of each forecast value, in order.
pub fn forecast_columns() -> Vec<(&'static str, &'static str)> {
    let mut v = Vec::with_capacity(FORECAST_VALUES);
    for form in FORMS {
        v.extend(FORECAST_MEASURES.iter().map(|&m| (form, m)));
    }
    v.extend(FORECAST_TOTAL.iter().map(|&m| ("total", m)));
    v
}

/// The index of (care_form, measure) in a forecast row.
pub fn forecast_index(form: &str, measure: &str) -> Option<usize> {
    forecast_columns()
        .iter()
        .position(|&(f, m)| f == form && m == measure)
}

/// The `p` quantile (0 to 1) of the finite values, linear between order
/// statistics; NaN without any.
pub fn quantile(xs: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    super::stats::percentile(&v, p)
}

pub fn forecast_csv(all: &[ScenarioRuns]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "year",
        "area",
        "area_kind",
        "care_form",
        "measure",
        "mean",
        "ci95_low",
        "ci95_high",
        "p2_5",
        "p97_5",
        "n",
    ]);
    let columns = forecast_columns();
    for sc in all {
        let Some(first) = sc.reps.first() else {
            continue;
        };
        for y in 0..first.forecast.len() {
            for a in 0..sc.areas.len() {
                for (k, (form, measure)) in columns.iter().enumerate() {
                    let values: Vec<f64> = sc
                        .reps
                        .iter()
                        .map(|r| {
                            r.forecast
                                .get(y)
                                .and_then(|x| x.get(a))
                                .and_then(|x| x.get(k))
                                .copied()
                                .unwrap_or(f64::NAN)
                        })
                        .collect();
                    let s = summarise(&values, 0.95);
                    let _ = w.write_record([
                        text_cell(&sc.name).into_owned(),
                        (sc.start_year + y as i32).to_string(),
                        text_cell(&sc.areas[a]).into_owned(),
                        area_kind(a).into(),
                        (*form).into(),
                        (*measure).into(),
                        fmt_num(s.mean),
                        fmt_num(s.low),
                        fmt_num(s.high),
                        fmt_num(quantile(&values, 0.025)),
                        fmt_num(quantile(&values, 0.975)),
                        s.n.to_string(),
                    ]);
                }
            }
        }
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_replications_and_skip_undefined_ones() {
        let xs = [4.0, f64::NAN, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&xs, 0.0), 1.0);
        assert_eq!(quantile(&xs, 1.0), 4.0);
        assert_eq!(quantile(&xs, 0.5), 2.5);
        assert!((quantile(&xs, 0.025) - 1.075).abs() < 1e-12);
        assert!(quantile(&[f64::NAN], 0.5).is_nan());
    }

    #[test]
    fn every_forecast_value_has_one_named_column() {
        let c = forecast_columns();
        assert_eq!(c.len(), FORECAST_VALUES);
        assert_eq!(forecast_index("ambulant", "stock_1jan"), Some(0));
        assert_eq!(
            forecast_index("total", "over_budget"),
            Some(FORECAST_VALUES - 2)
        );
        assert_eq!(
            forecast_index("total", "light_help_1jan"),
            Some(FORECAST_VALUES - 1)
        );
    }
}
