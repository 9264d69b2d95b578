//! The CSV tables of a run: `runs.csv`, `by_school_type.csv`,
//! `timeseries.csv`, `summary.csv` and `comparison.csv`. Each is built as
//! bytes from [`ScenarioRuns`]; writing them is the caller's business.

use super::stats::{summarise, variance_reduction};
use super::{fmt_num, text_cell};
use crate::model::{ReplicationResult, TypeAcc, YearAcc, metric_names, school_type_names};

/// One scenario's replications, reduced to named metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRuns {
    pub name: String,
    pub start_year: i32,
    /// Area names: the region first, then each gemeente.
    pub areas: Vec<String>,
    /// One entry per replication, in replication order.
    pub reps: Vec<RunRows>,
}

/// One replication's metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRows {
    pub replication: u32,
    /// [year][area][metric]
    pub metrics: Vec<Vec<Vec<f64>>>,
    /// [year][school type]
    pub by_type: Vec<[TypeAcc; 6]>,
    pub monthly: Vec<crate::model::Month>,
    /// [year][area][value]: the stock-flow values of `forecast.csv`
    /// (`YearAcc::forecast`).
    pub forecast: Vec<Vec<Vec<f64>>>,
}

impl RunRows {
    pub fn from_result(replication: u32, r: &ReplicationResult) -> RunRows {
        let mut forecast = Vec::with_capacity(r.years.len());
        let metrics = r
            .years
            .iter()
            .map(|gemeenten| {
                let mut region = YearAcc::default();
                for g in gemeenten {
                    region.add(g);
                }
                forecast.push(
                    std::iter::once(region.forecast())
                        .chain(gemeenten.iter().map(|g| g.forecast()))
                        .collect(),
                );
                std::iter::once(region.metrics())
                    .chain(gemeenten.iter().map(|g| g.metrics()))
                    .collect()
            })
            .collect();
        RunRows {
            replication,
            forecast,
            metrics,
            by_type: r.by_type.clone(),
            monthly: r.monthly.clone(),
        }
    }
}

/// The `area_kind` column: the first area of a scenario is its region (the
/// sum of its gemeenten), every other one a gemeente.
pub fn area_kind(area: usize) -> &'static str {
    if area == 0 { "region" } else { "gemeente" }
}

pub(crate) fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

pub fn runs_csv(all: &[ScenarioRuns]) -> Vec<u8> {
    let mut w = writer();
    let mut header = vec![
        "scenario".to_string(),
        "replication".into(),
        "year".into(),
        "area".into(),
        "area_kind".into(),
    ];
    header.extend(metric_names());
    let _ = w.write_record(&header);
    for sc in all {
        for rep in &sc.reps {
            for (y, areas) in rep.metrics.iter().enumerate() {
                for (a, values) in areas.iter().enumerate() {
                    let mut row = vec![
                        text_cell(&sc.name).into_owned(),
                        rep.replication.to_string(),
                        (sc.start_year + y as i32).to_string(),
                        text_cell(&sc.areas[a]).into_owned(),
                        area_kind(a).into(),
                    ];
                    row.extend(values.iter().map(|&v| fmt_num(v)));
                    let _ = w.write_record(&row);
                }
            }
        }
    }
    finish(w)
}

fn share(a: u64, b: u64) -> String {
    if b == 0 {
        String::new()
    } else {
        fmt_num(a as f64 / b as f64)
    }
}

pub fn by_school_type_csv(all: &[ScenarioRuns]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "replication",
        "year",
        "school_type",
        "students",
        "youth_care_share",
        "second_line_share",
    ]);
    let names = school_type_names();
    for sc in all {
        for rep in &sc.reps {
            for (y, types) in rep.by_type.iter().enumerate() {
                for (t, acc) in types.iter().enumerate() {
                    if acc.students == 0 {
                        continue;
                    }
                    let _ = w.write_record([
                        text_cell(&sc.name).into_owned(),
                        rep.replication.to_string(),
                        (sc.start_year + y as i32).to_string(),
                        names[t].to_string(),
                        acc.students.to_string(),
                        share(acc.helped, acc.students),
                        share(acc.second_line, acc.students),
                    ]);
                }
            }
        }
    }
    finish(w)
}

pub fn timeseries_csv(all: &[ScenarioRuns]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "replication",
        "year",
        "month",
        "wijkteam_intake_queue",
        "assessment_queue",
        "treatment_queue",
        "verblijf_queue",
    ]);
    for sc in all {
        for rep in &sc.reps {
            for m in &rep.monthly {
                let [intake, assess, treat, stay] = m.queues;
                let (year, month) = (m.year, m.month);
                let _ = w.write_record([
                    text_cell(&sc.name).into_owned(),
                    rep.replication.to_string(),
                    year.to_string(),
                    month.to_string(),
                    intake.to_string(),
                    assess.to_string(),
                    treat.to_string(),
                    stay.to_string(),
                ]);
            }
        }
    }
    finish(w)
}

/// Calls `f(year, area, metric, values over replications)` in output order.
fn each_cell(sc: &ScenarioRuns, mut f: impl FnMut(usize, usize, usize, Vec<f64>)) {
    let Some(first) = sc.reps.first() else { return };
    let n_metrics = metric_names().len();
    for y in 0..first.metrics.len() {
        for a in 0..sc.areas.len() {
            for m in 0..n_metrics {
                let values = sc.reps.iter().map(|r| r.metrics[y][a][m]).collect();
                f(y, a, m, values);
            }
        }
    }
}

pub fn summary_csv(all: &[ScenarioRuns]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "year",
        "area",
        "area_kind",
        "metric",
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
        "n",
    ]);
    let names = metric_names();
    for sc in all {
        each_cell(sc, |y, a, m, values| {
            let s = summarise(&values, 0.95);
            let _ = w.write_record([
                text_cell(&sc.name).into_owned(),
                (sc.start_year + y as i32).to_string(),
                text_cell(&sc.areas[a]).into_owned(),
                area_kind(a).into(),
                names[m].clone(),
                fmt_num(s.mean),
                fmt_num(s.sd),
                fmt_num(s.low),
                fmt_num(s.high),
                s.n.to_string(),
            ]);
        });
    }
    finish(w)
}

/// Paired differences (scenario − baseline) per replication; the first
/// scenario is the baseline. Replications pair by number: they share
/// random streams (common random numbers); `variance_reduction` says how
/// much that pairing gains over independent runs.
pub fn comparison_csv(all: &[ScenarioRuns]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "year",
        "area",
        "area_kind",
        "metric",
        "baseline_mean",
        "scenario_mean",
        "difference_mean",
        "difference_sd",
        "ci95_low",
        "ci95_high",
        "relative_difference",
        "n",
        "variance_reduction",
    ]);
    let names = metric_names();
    let Some(base) = all.first() else {
        return finish(w);
    };
    for sc in &all[1..] {
        each_cell(sc, |y, a, m, values| {
            // Areas pair by name; a scenario may have other gemeenten.
            let Some(ba) = base.areas.iter().position(|n| n == &sc.areas[a]) else {
                return;
            };
            let mut diffs = Vec::new();
            let mut bvals = Vec::new();
            let mut pairs = Vec::new();
            for (rep, v) in sc.reps.iter().zip(values.iter()) {
                let Some(b) = base.reps.iter().find(|b| b.replication == rep.replication) else {
                    continue;
                };
                let Some(bv) = b.metrics.get(y).map(|areas| areas[ba][m]) else {
                    continue;
                };
                bvals.push(bv);
                diffs.push(v - bv);
                pairs.push((bv, *v));
            }
            let d = summarise(&diffs, 0.95);
            let bm = summarise(&bvals, 0.95).mean;
            let sm = summarise(&values, 0.95).mean;
            let rel = if bm.is_finite() && bm != 0.0 {
                d.mean / bm
            } else {
                f64::NAN
            };
            let _ = w.write_record([
                text_cell(&sc.name).into_owned(),
                text_cell(&base.name).into_owned(),
                (sc.start_year + y as i32).to_string(),
                text_cell(&sc.areas[a]).into_owned(),
                area_kind(a).into(),
                names[m].clone(),
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
        });
    }
    finish(w)
}
