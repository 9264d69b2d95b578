//! The backtest file (`BACKTEST.toml`, docs/BACKTEST.md): the scenario, the
//! fit (a calibration file whose targets all lie in years up to
//! `fit_until`, or a finished `posterior.csv`), the observed state at
//! 1 January after `fit_until`, the forecast's size and the observed
//! figures it is scored against. Read like a calibration file: serde
//! structs that reject unknown keys (errors at file:line:column), then
//! every semantic check at once, each problem named by its key
//! (`observed[2].metric`) with its line, exit 2.

use crate::calibrate::spec::{Checker, flatten_set};
use crate::model::{FORECAST_MEASURES, FORECAST_TOTAL, FORMS, metric_names};
use crate::scenario::{self, LoadedScenario, did_you_mean};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBacktest {
    name: String,
    #[serde(default)]
    description: String,
    scenario: String,
    #[serde(default)]
    set: toml::Table,
    fit_until: i64,
    calibration: Option<String>,
    posterior: Option<String>,
    state: String,
    forecast_years: i64,
    #[serde(default = "default_replications")]
    replications: i64,
    posterior_draws: Option<i64>,
    #[serde(default = "default_seed")]
    seed: u64,
    #[serde(default)]
    observed: Vec<RawObserved>,
}

fn default_replications() -> i64 {
    20
}

fn default_seed() -> u64 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObserved {
    metric: String,
    area: Option<String>,
    care_form: Option<String>,
    year: i64,
    value: f64,
    #[serde(default)]
    source: String,
}

/// Most forecast years a backtest takes (as `simulation.years` allows).
pub const MAX_FORECAST_YEARS: i64 = scenario::MAX_YEARS as i64;

/// Where the posterior comes from.
#[derive(Debug, Clone)]
pub enum Fit {
    /// A calibration file, run first (its targets all lie in years up to
    /// `fit_until`).
    Calibration(PathBuf),
    /// A finished calibration's `posterior.csv`.
    Posterior(PathBuf),
}

/// What an observed figure reads from a replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A column of `runs.csv` (index into `metric_names()`).
    Run(usize),
    /// A value of `forecast.csv` (index into its columns).
    Forecast(usize),
    /// The sum over the care forms of a `forecast.csv` measure
    /// (`care_form = "all"`): the two indices.
    FormsSum(usize, usize),
}

/// One observed figure.
#[derive(Debug, Clone)]
pub struct Observed {
    pub metric: String,
    /// The area's name (the region's or a gemeente's).
    pub area: String,
    /// 0 the region, 1 + g gemeente g.
    pub area_index: usize,
    /// The care form of a `forecast.csv` measure; empty for a run metric.
    pub care_form: String,
    pub measure: Measure,
    pub year: i32,
    pub value: f64,
    pub source: String,
}

/// A checked backtest.
#[derive(Debug, Clone)]
pub struct Backtest {
    pub name: String,
    pub description: String,
    pub path: PathBuf,
    /// The file's text, for the manifest.
    pub text: String,
    pub scenario_path: PathBuf,
    /// The forecast scenario: `set` applied, `simulation.start_year` the
    /// year after `fit_until`, `simulation.years` the forecast years.
    pub scenario: LoadedScenario,
    /// `set` as dotted keys (recorded on the forecast run's command line).
    pub set: Vec<(String, toml::Value)>,
    pub fit_until: i32,
    pub fit: Fit,
    pub state: PathBuf,
    pub forecast_years: u32,
    pub replications: u32,
    pub posterior_draws: u32,
    pub seed: u64,
    /// Figures in the forecast years, scored.
    pub scored: Vec<Observed>,
    /// Figures of the year `fit_until`: the naive benchmark's values.
    pub origins: Vec<Observed>,
}

impl Backtest {
    /// The first and last forecast year.
    pub fn years(&self) -> (i32, i32) {
        (
            self.fit_until + 1,
            self.fit_until + self.forecast_years as i32,
        )
    }
}

/// Reads and checks a backtest file and the scenario it names.
pub fn load(path: &Path) -> anyhow::Result<Backtest> {
    let text = scenario::read_source(path, "backtest file")?;
    let raw: RawBacktest = scenario::parse_checked(path, &text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut c = Checker::new(path, &text, "backtest", "docs/BACKTEST.md");
    if raw.name.trim().is_empty() {
        c.add("name", "is required: name the backtest");
    }
    let fit = match (&raw.calibration, &raw.posterior) {
        (Some(f), None) => Some(Fit::Calibration(dir.join(f))),
        (None, Some(p)) => Some(Fit::Posterior(dir.join(p))),
        (Some(_), Some(_)) => {
            c.add(
                "posterior",
                "give either `calibration` (a fit to run) or `posterior` (a finished fit), not both",
            );
            None
        }
        (None, None) => {
            c.add(
                "calibration",
                "the file has no fit: add `calibration = \"FILE.toml\"` (a calibration to run on the years up to fit_until) or `posterior = \"DIR/posterior.csv\"` (a finished one)",
            );
            None
        }
    };
    if !(1900..=2200).contains(&raw.fit_until) {
        c.add(
            "fit_until",
            format!("{} is not a calendar year (1900-2200)", raw.fit_until),
        );
    }
    if !(1..=MAX_FORECAST_YEARS).contains(&raw.forecast_years) {
        c.add(
            "forecast_years",
            format!("must be 1 to {MAX_FORECAST_YEARS}"),
        );
    }
    if !(1..=100_000).contains(&raw.replications) {
        c.add("replications", "must be 1 to 100000");
    }
    let draws = raw.posterior_draws.unwrap_or(raw.replications);
    if draws < 1 || (raw.replications >= 1 && raw.replications % draws != 0) {
        c.add(
            "posterior_draws",
            format!(
                "{draws} must be at least 1 and divide replications ({}): each draw runs replications / posterior_draws replications",
                raw.replications
            ),
        );
    }
    c.finish()?;
    let fit_until = raw.fit_until as i32;
    let forecast_years = raw.forecast_years as u32;
    let set = flatten_set(&raw.set);
    let mut overrides = set.clone();
    overrides.push((
        "simulation.start_year".into(),
        toml::Value::Integer(i64::from(fit_until) + 1),
    ));
    overrides.push((
        "simulation.years".into(),
        toml::Value::Integer(i64::from(forecast_years)),
    ));
    let scenario_path = dir.join(&raw.scenario);
    let loaded = scenario::load_with(&scenario_path, &overrides)?;
    let sc = &loaded.scenario;
    let areas: Vec<String> = std::iter::once(sc.region_name.clone())
        .chain(sc.gemeenten.iter().map(|g| g.name.clone()))
        .collect();
    let names = metric_names();
    let (first, last) = (fit_until + 1, fit_until + forecast_years as i32);
    let (mut scored, mut origins) = (Vec::new(), Vec::new());
    if raw.observed.is_empty() {
        c.add(
            "observed",
            "the file has no observed figures: add [[observed]] entries for the forecast years to score against",
        );
    }
    for (i, o) in raw.observed.iter().enumerate() {
        let at = |k: &str| format!("observed[{i}].{k}");
        let area_index = match &o.area {
            None => Some(0),
            Some(a) => match areas.iter().position(|n| n == a) {
                Some(x) => Some(x),
                None => {
                    let hint = did_you_mean(a, areas.iter().map(String::as_str))
                        .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                    c.add(
                        &at("area"),
                        format!(
                            "`{a}` is neither the region nor a gemeente of scenario `{}` (areas: {}){hint}",
                            sc.name,
                            areas.join(", ")
                        ),
                    );
                    None
                }
            },
        };
        let measure = resolve_measure(&o.metric, o.care_form.as_deref(), &names, &at, &mut c);
        if !(o.value.is_finite() && o.value != 0.0) {
            c.add(
                &at("value"),
                "must be a finite number other than 0 (the percentage error divides by it)",
            );
        }
        if o.source.trim().is_empty() {
            c.add(
                &at("source"),
                "is required: say where the observed figure comes from",
            );
        }
        let year_ok = o.year == i64::from(fit_until)
            || (i64::from(first)..=i64::from(last)).contains(&o.year);
        if !year_ok {
            c.add(
                &at("year"),
                format!(
                    "{} is outside the forecast years {first}-{last} (fit_until + 1 to fit_until + forecast_years) and is not fit_until {fit_until} (the naive benchmark's year)",
                    o.year
                ),
            );
        }
        let (Some(area_index), Some(measure), true) = (area_index, measure, year_ok) else {
            continue;
        };
        let item = Observed {
            metric: o.metric.clone(),
            area: areas[area_index].clone(),
            area_index,
            care_form: o.care_form.clone().unwrap_or_default(),
            measure,
            year: o.year as i32,
            value: o.value,
            source: o.source.clone(),
        };
        let list = if item.year == fit_until {
            &mut origins
        } else {
            &mut scored
        };
        if list
            .iter()
            .any(|x: &Observed| same_series(x, &item) && x.year == item.year)
        {
            c.add(
                &at("year"),
                format!(
                    "a second figure for {} in {} {}: give each (metric, area, care form, year) once",
                    item.metric, item.area, item.year
                ),
            );
            continue;
        }
        list.push(item);
    }
    if !raw.observed.is_empty() && raw.observed.iter().all(|o| o.year == raw.fit_until) {
        c.add(
            "observed",
            format!("no figure lies in the forecast years {first}-{last}: add one to score"),
        );
    }
    let state = dir.join(&raw.state);
    if !state.is_dir() {
        c.add(
            "state",
            format!(
                "{} is not a folder; give the observed state at 1 January {first} (a `run --state` folder, docs/STATE.md)",
                state.display()
            ),
        );
    }
    c.finish()?;
    Ok(Backtest {
        name: raw.name,
        description: raw.description,
        path: path.to_path_buf(),
        text,
        scenario_path,
        scenario: loaded,
        set,
        fit_until,
        fit: fit.expect("checked above"),
        state,
        forecast_years,
        replications: raw.replications as u32,
        posterior_draws: draws as u32,
        seed: raw.seed,
        scored,
        origins,
    })
}

/// Whether two figures are of the same series (metric, area, care form).
pub fn same_series(a: &Observed, b: &Observed) -> bool {
    a.metric == b.metric && a.area_index == b.area_index && a.care_form == b.care_form
}

/// Measures that add up over the care forms (`care_form = "all"`).
const ADDITIVE: [&str; 7] = [
    "stock_1jan",
    "instroom",
    "uitstroom",
    "stock_31dec",
    "mean_stock",
    "cost_eur",
    "waiting_1jan",
];

fn resolve_measure(
    metric: &str,
    care_form: Option<&str>,
    names: &[String],
    at: &dyn Fn(&str) -> String,
    c: &mut Checker,
) -> Option<Measure> {
    use crate::output::forecast::forecast_index;
    if let Some(i) = names.iter().position(|n| n == metric) {
        if care_form.is_some() {
            c.add(
                &at("care_form"),
                format!(
                    "`{metric}` is a runs.csv metric, which has no care form: leave care_form out"
                ),
            );
            return None;
        }
        return Some(Measure::Run(i));
    }
    let forecast_measure = FORECAST_MEASURES.contains(&metric) || FORECAST_TOTAL.contains(&metric);
    if !forecast_measure {
        let candidates = names
            .iter()
            .map(String::as_str)
            .chain(FORECAST_MEASURES)
            .chain(FORECAST_TOTAL);
        let hint = did_you_mean(metric, candidates)
            .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        c.add(
            &at("metric"),
            format!(
                "`{metric}` is neither a runs.csv metric nor a forecast.csv measure ({}){hint}",
                FORECAST_MEASURES.join(", ")
            ),
        );
        return None;
    }
    let forms = format!("{}, total or all", FORMS.join(", "));
    let Some(form) = care_form else {
        c.add(
            &at("care_form"),
            format!("`{metric}` is a forecast.csv measure: give its care_form ({forms})"),
        );
        return None;
    };
    if form == "all" {
        if !ADDITIVE.contains(&metric) {
            c.add(
                &at("care_form"),
                format!("`all` sums the care forms, which `{metric}` does not add up over; give one form ({})", FORMS.join(", ")),
            );
            return None;
        }
        let a = forecast_index(FORMS[0], metric)?;
        let b = forecast_index(FORMS[1], metric)?;
        return Some(Measure::FormsSum(a, b));
    }
    match forecast_index(form, metric) {
        Some(k) => Some(Measure::Forecast(k)),
        None => {
            c.add(
                &at("care_form"),
                format!("forecast.csv has no `{metric}` for care form `{form}` (care forms: {forms}; `total` has {})", FORECAST_TOTAL.join(", ")),
            );
            None
        }
    }
}
