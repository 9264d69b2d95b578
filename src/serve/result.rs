//! The figures of the page from paired replications (replication r of the
//! variant against replication r of the baseline: common random numbers):
//! per output year and over the horizon, the baseline, the variant and
//! their paired difference, each with a 95% Student-t interval
//! (`output::stats`), and one plain-language sentence per figure.

use super::text::sentence;
use crate::model::metric_names;
use crate::output::effects::PERSPECTIVES;
use crate::output::stats::{Summary, summarise};
use crate::output::tables::RunRows;
use crate::report::text::Lang;
use serde::Serialize;
use std::sync::Arc;

/// How a figure adds up over the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// The mean of the yearly values (rates, waits, counts per year).
    Mean,
    /// The sum over the years (euros).
    Sum,
}

/// A figure: which metrics (summed) of the region's rows it shows.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub id: &'static str,
    pub metrics: &'static [&'static str],
    pub over: Over,
    /// The Treeknorm the figure is held against, in days.
    pub norm: Option<f64>,
}

const GEMEENTE_COSTS: &[&str] = PERSPECTIVES[0].1;

pub const FIGURES: [Spec; 6] = [
    Spec {
        id: "referrals",
        metrics: &["second_line_referrals_per_1000"],
        over: Over::Mean,
        norm: None,
    },
    Spec {
        id: "wait_assessment",
        metrics: &["wait_assessment_days_mean"],
        over: Over::Mean,
        // Treeknorm: at most 4 weeks from referral to the provider's intake.
        norm: Some(28.0),
    },
    Spec {
        id: "wait_treatment",
        metrics: &["wait_treatment_days_mean"],
        over: Over::Mean,
        // Treeknorm: at most 10 weeks from intake to treatment.
        norm: Some(70.0),
    },
    Spec {
        id: "thuiszitters",
        metrics: &["thuiszitters"],
        over: Over::Mean,
        norm: None,
    },
    Spec {
        id: "cost_gemeente",
        metrics: GEMEENTE_COSTS,
        over: Over::Sum,
        norm: None,
    },
    Spec {
        id: "budget_balance",
        metrics: &["budget_balance_eur"],
        over: Over::Sum,
        norm: None,
    },
];

/// A mean with its 95% interval (NaN, shown as null, when undefined).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Est {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    pub n: usize,
}

impl From<Summary> for Est {
    fn from(s: Summary) -> Est {
        Est {
            mean: s.mean,
            low: s.low,
            high: s.high,
            n: s.n,
        }
    }
}

/// Baseline, variant and their paired difference.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Triple {
    pub baseline: Est,
    pub variant: Est,
    pub difference: Est,
}

#[derive(Debug, Serialize)]
pub struct Figure {
    pub id: &'static str,
    pub norm: Option<f64>,
    /// Per output year.
    pub years: Vec<Triple>,
    pub last: Triple,
    /// Over all output years: mean per year, or the total.
    pub horizon: Triple,
    pub horizon_is_total: bool,
    pub sentence: String,
}

#[derive(Debug, Serialize)]
pub struct Comparison {
    pub replications: usize,
    pub years: Vec<i32>,
    pub figures: Vec<Figure>,
}

/// The figures of `base` and `variant`, paired by position (both sorted
/// by replication, the same replications).
pub fn compare(
    base: &[Arc<RunRows>],
    variant: &[Arc<RunRows>],
    start_year: i32,
    lang: Lang,
) -> Comparison {
    let names = metric_names();
    let n_years = base
        .iter()
        .chain(variant)
        .map(|r| r.metrics.len())
        .min()
        .unwrap_or(0);
    let years: Vec<i32> = (0..n_years).map(|y| start_year + y as i32).collect();
    let figures = FIGURES
        .iter()
        .map(|spec| {
            let cols: Vec<usize> = spec
                .metrics
                .iter()
                .filter_map(|m| names.iter().position(|n| n == m))
                .collect();
            let value = |rows: &RunRows, y: usize| -> f64 {
                cols.iter().map(|&c| rows.metrics[y][0][c]).sum()
            };
            let per_year: Vec<Triple> = (0..n_years)
                .map(|y| triple(base, variant, &|r| value(r, y)))
                .collect();
            let over = |rows: &RunRows| -> f64 {
                let v: Vec<f64> = (0..n_years)
                    .map(|y| value(rows, y))
                    .filter(|x| x.is_finite())
                    .collect();
                match spec.over {
                    Over::Sum => v.iter().sum(),
                    Over::Mean if v.is_empty() => f64::NAN,
                    Over::Mean => v.iter().sum::<f64>() / v.len() as f64,
                }
            };
            let horizon = triple(base, variant, &over);
            let last = per_year.last().copied().unwrap_or(horizon);
            let last_year = years.last().copied().unwrap_or(start_year);
            let first_year = years.first().copied().unwrap_or(start_year);
            Figure {
                id: spec.id,
                norm: spec.norm,
                sentence: sentence(spec, &last, &horizon, first_year, last_year, lang),
                years: per_year,
                last,
                horizon,
                horizon_is_total: spec.over == Over::Sum,
            }
        })
        .collect();
    Comparison {
        replications: base.len().min(variant.len()),
        years,
        figures,
    }
}

fn triple(
    base: &[Arc<RunRows>],
    variant: &[Arc<RunRows>],
    value: &dyn Fn(&RunRows) -> f64,
) -> Triple {
    let b: Vec<f64> = base.iter().map(|r| value(r)).collect();
    let v: Vec<f64> = variant.iter().map(|r| value(r)).collect();
    let d: Vec<f64> = b.iter().zip(&v).map(|(x, y)| y - x).collect();
    Triple {
        baseline: summarise(&b, 0.95).into(),
        variant: summarise(&v, 0.95).into(),
        difference: summarise(&d, 0.95).into(),
    }
}
