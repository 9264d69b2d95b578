//! The outputs of a backtest, as bytes: `backtest.csv` (one row per scored
//! figure), `backtest_summary.csv` (MAPE and coverage of the model, and of
//! the naive benchmark) and the manifest (written last; no time stamp, so
//! the same file and seed give the same bytes).

use super::score::{Row, Summary};
use super::spec::{Backtest, Observed};
use crate::output::manifest::{ManifestFile, git_commit};
use crate::output::tables::{finish, writer};
use crate::output::{fmt_num, text_cell};
use crate::scenario::sha256_hex;
use serde::{Deserialize, Serialize};

pub const BACKTEST_CSV: &str = "backtest.csv";
pub const SUMMARY_CSV: &str = "backtest_summary.csv";
/// The forecast run's `forecast.csv`, for reading the whole path.
pub const FORECAST_CSV: &str = "forecast.csv";
/// The fit's folder (a calibration's outputs) when the backtest runs one.
pub const FIT_DIR: &str = "fit";

fn num(x: f64) -> String {
    fmt_num(x)
}

pub fn backtest_csv(b: &Backtest, rows: &[Row]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "metric",
        "area",
        "care_form",
        "year",
        "horizon_years",
        "observed",
        "model_mean",
        "model_p5",
        "model_p95",
        "ape_pct",
        "covered",
        "naive",
        "naive_ape_pct",
        "n",
        "source",
    ]);
    for (o, r) in b.scored.iter().zip(rows) {
        let _ = w.write_record([
            text_cell(&o.metric).into_owned(),
            text_cell(&o.area).into_owned(),
            text_cell(&o.care_form).into_owned(),
            o.year.to_string(),
            (o.year - b.fit_until).to_string(),
            num(r.observed),
            num(r.mean),
            num(r.low),
            num(r.high),
            num(r.ape),
            u8::from(r.covered).to_string(),
            num(r.naive),
            num(r.naive_ape),
            r.n.to_string(),
            text_cell(&o.source).into_owned(),
        ]);
    }
    finish(w)
}

pub fn summary_csv(s: &Summary) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(["forecast", "rows", "mape_pct", "covered", "coverage_90"]);
    let _ = w.write_record([
        "model".to_string(),
        s.rows.to_string(),
        num(s.mape),
        s.covered.to_string(),
        num(s.coverage()),
    ]);
    let _ = w.write_record([
        "naive_last_value".to_string(),
        s.naive_rows.to_string(),
        num(s.naive_mape),
        String::new(),
        String::new(),
    ]);
    let _ = w.write_record([
        "model_on_naive_rows".to_string(),
        s.naive_rows.to_string(),
        num(s.model_mape_naive_rows),
        String::new(),
        String::new(),
    ]);
    finish(w)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestFile {
    pub path: String,
    pub sha256: String,
    pub text: String,
}

/// `manifest.json` of a backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestManifest {
    pub regiosim_version: String,
    pub git_commit: String,
    pub command_line: Vec<String>,
    pub backtest: BacktestFile,
    pub fit_until: i32,
    pub forecast_years: u32,
    pub seed: u64,
    pub replications: u32,
    pub posterior_draws: u32,
    /// The posterior the forecast ran over: its path and sha256.
    pub posterior: ManifestFile,
    /// The observed state folder and the digest of what it sets.
    pub state: ManifestFile,
    pub scenario: String,
    pub scenario_resolved_sha256: String,
    pub outputs: Vec<ManifestFile>,
}

impl BacktestManifest {
    pub fn to_json(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s.into_bytes()
    }
}

pub fn manifest(
    b: &Backtest,
    posterior: ManifestFile,
    state_digest: String,
    outputs: Vec<ManifestFile>,
) -> BacktestManifest {
    BacktestManifest {
        regiosim_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: git_commit(),
        command_line: vec!["backtest".into(), b.path.display().to_string()],
        backtest: BacktestFile {
            path: b.path.display().to_string(),
            sha256: sha256_hex(b.text.as_bytes()),
            text: b.text.clone(),
        },
        fit_until: b.fit_until,
        forecast_years: b.forecast_years,
        seed: b.seed,
        replications: b.replications,
        posterior_draws: b.posterior_draws,
        posterior,
        state: ManifestFile {
            path: b.state.display().to_string(),
            sha256: state_digest,
        },
        scenario: b.scenario_path.display().to_string(),
        scenario_resolved_sha256: sha256_hex(b.scenario.resolved_toml.as_bytes()),
        outputs,
    }
}

/// The text summary printed after a backtest.
pub fn summary_text(b: &Backtest, s: &Summary, rows: &[Row]) -> String {
    use std::fmt::Write;
    let (first, last) = b.years();
    let mut t = format!(
        "regiosim: backtest `{}`: fitted on the years up to {}, forecast {first}-{last} from the observed state at 1 January {first}, {} replications over {} posterior draws\n",
        b.name, b.fit_until, b.replications, b.posterior_draws
    );
    for (o, r) in b.scored.iter().zip(rows) {
        let _ = writeln!(
            t,
            "  {:<34} {} observed {:>12}  model {:>12} (90%: {} to {}){}  APE {:.1}%",
            label(o),
            o.year,
            short(r.observed),
            short(r.mean),
            short(r.low),
            short(r.high),
            if r.covered { " covered" } else { " outside" },
            r.ape
        );
    }
    let _ = writeln!(
        t,
        "  model: MAPE {:.1}%, 90% interval coverage {} of {} ({:.0}%)",
        s.mape,
        s.covered,
        s.rows,
        100.0 * s.coverage()
    );
    if s.naive_rows > 0 {
        let _ = writeln!(
            t,
            "  naive ({} figure carried forward): MAPE {:.1}% over {} rows (model on the same rows: {:.1}%)",
            b.fit_until, s.naive_mape, s.naive_rows, s.model_mape_naive_rows
        );
    } else {
        let _ = writeln!(
            t,
            "  naive benchmark: no figure of {} given ([[observed]] with year = fit_until)",
            b.fit_until
        );
    }
    t
}

fn label(o: &Observed) -> String {
    if o.care_form.is_empty() {
        format!("{} {}", o.metric, o.area)
    } else {
        format!("{} {} {}", o.metric, o.care_form, o.area)
    }
}

fn short(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.4}")
    }
}
