//! The calibration file (`CALIBRATION.toml`): the base scenarios, the
//! targets (observed values with their uncertainty), the parameters with
//! their priors, and the method. Read in two stages like a scenario: serde
//! structs that reject unknown keys (errors at file:line:column), then every
//! semantic check at once, each problem named by its key
//! (`targets[2].metric`) with the line where the file sets it.

use crate::cli::InputError;
use crate::model::metric_names;
use crate::scenario::{
    self, LoadedScenario, ScenarioError, SchoolType, did_you_mean, locate_key, path_segments,
};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    name: String,
    #[serde(default)]
    description: String,
    scenarios: Vec<String>,
    #[serde(default)]
    set: toml::Table,
    #[serde(default)]
    targets: Vec<RawTarget>,
    #[serde(default)]
    parameters: Vec<RawParameter>,
    #[serde(default)]
    method: RawMethod,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: String,
    scenario: Option<String>,
    metric: String,
    area: Option<String>,
    school_type: Option<String>,
    years: Option<RawYears>,
    observed: f64,
    sd: f64,
    round_to: Option<f64>,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawYears {
    List(Vec<i64>),
    Range(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParameter {
    key: String,
    /// Left out (with `min` and `max`): the registry's prior of the key
    /// (`regiosim params`).
    prior: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    median: Option<f64>,
    sigma: Option<f64>,
    scenarios: Option<Vec<String>>,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawMethod {
    waves: usize,
    points_per_wave: usize,
    design: String,
    cutoff: f64,
    replications: u32,
    mc_replications: u32,
    max_fit_points: usize,
    particles: usize,
    generations: usize,
    quantile: f64,
    min_tolerance: f64,
    max_proposals: Option<usize>,
    seed: u64,
}

impl Default for RawMethod {
    fn default() -> Self {
        RawMethod {
            waves: 3,
            points_per_wave: 40,
            design: "lhs".into(),
            cutoff: 3.0,
            replications: 4,
            mc_replications: 10,
            max_fit_points: 150,
            particles: 100,
            generations: 4,
            quantile: 0.5,
            min_tolerance: DEFAULT_MIN_TOLERANCE,
            max_proposals: None,
            seed: 1,
        }
    }
}

/// The floor of the ABC tolerance: sqrt(3) standard deviations, the
/// half-width of the uniform error with the observation's variance
/// (Wilkinson 2013: ABC with a uniform kernel is exact for that error).
pub const DEFAULT_MIN_TOLERANCE: f64 = 1.732_050_807_568_877_2;

/// A base scenario the targets refer to, loaded with `set` applied.
#[derive(Debug, Clone)]
pub struct Base {
    pub loaded: LoadedScenario,
    /// The resolved scenario as a table, to set parameter values in.
    pub table: toml::Table,
    pub path: PathBuf,
}

impl Base {
    pub fn name(&self) -> &str {
        &self.loaded.scenario.name
    }
}

/// What a target reads from a replication.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// A column of `runs.csv` (index into `metric_names()`) of one area.
    Run { metric: usize, area: usize },
    /// `youth_care_share` or `second_line_share` of one school type
    /// (`by_school_type.csv`, region-wide).
    SchoolType { school: usize, second_line: bool },
}

#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub scenario: usize,
    pub metric_name: String,
    pub area_name: String,
    pub metric: Metric,
    /// Output-year indices the target averages over.
    pub years: Vec<usize>,
    /// The calendar years, for the outputs.
    pub year_text: String,
    pub observed: f64,
    pub sd: f64,
    pub round_to: f64,
    /// sd² plus the rounding variance step²/12.
    pub var_obs: f64,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    Uniform,
    /// Uniform in the logarithm over [min, max] (density 1/x); the
    /// registry's prior for hazards and durations.
    LogUniform,
    /// A normal truncated to [min, max].
    Normal {
        mean: f64,
        sd: f64,
    },
    /// A log-normal (median, sd of the log) truncated to [min, max].
    LogNormal {
        median: f64,
        sigma: f64,
    },
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub key: String,
    pub prior: Prior,
    pub min: f64,
    pub max: f64,
    /// The scenarios (indices into `Spec::bases`) it is set in.
    pub scenarios: Vec<usize>,
    pub source: String,
}

impl Parameter {
    /// The value at unit coordinate `u`.
    pub fn value(&self, u: f64) -> f64 {
        self.min + u * (self.max - self.min)
    }

    /// The prior density at `x`, up to a constant; 0 outside the bounds.
    pub fn density(&self, x: f64) -> f64 {
        if !(self.min..=self.max).contains(&x) {
            return 0.0;
        }
        match self.prior {
            Prior::Uniform => 1.0,
            Prior::LogUniform => {
                if x <= 0.0 {
                    return 0.0;
                }
                1.0 / x
            }
            Prior::Normal { mean, sd } => {
                let z = (x - mean) / sd;
                libm::exp(-0.5 * z * z)
            }
            Prior::LogNormal { median, sigma } => {
                if x <= 0.0 {
                    return 0.0;
                }
                let z = (libm::log(x) - libm::log(median)) / sigma;
                libm::exp(-0.5 * z * z) / x
            }
        }
    }

    pub fn prior_name(&self) -> &'static str {
        match self.prior {
            Prior::Uniform => "uniform",
            Prior::LogUniform => "loguniform",
            Prior::Normal { .. } => "normal",
            Prior::LogNormal { .. } => "lognormal",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    Lhs,
    Sobol,
}

#[derive(Debug, Clone)]
pub struct Method {
    pub waves: usize,
    pub points_per_wave: usize,
    pub design: Design,
    pub cutoff: f64,
    pub replications: u32,
    /// Replications at the reference point that estimate one run's
    /// Monte Carlo variance.
    pub mc_replications: u32,
    pub max_fit_points: usize,
    pub particles: usize,
    pub generations: usize,
    pub quantile: f64,
    pub min_tolerance: f64,
    pub max_proposals: usize,
    pub seed: u64,
}

/// A checked calibration.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    pub description: String,
    pub path: PathBuf,
    /// The file's text, for the manifest.
    pub text: String,
    pub bases: Vec<Base>,
    pub targets: Vec<Target>,
    pub parameters: Vec<Parameter>,
    pub method: Method,
}

/// The most parameters a Sobol' design takes (the direction numbers held).
pub const SOBOL_MAX_DIM: usize = 32;

/// Reads and checks a calibration file and the scenarios it names.
pub fn load(path: &Path) -> anyhow::Result<Spec> {
    let text = scenario::read_source(path, "calibration file")?;
    let raw: RawSpec = scenario::parse_checked(path, &text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut c = Checker::new(path, &text, "calibration", "docs/CALIBRATION.md");
    if raw.name.trim().is_empty() {
        c.add("name", "is required: name the calibration");
    }
    let set = flatten_set(&raw.set);
    let bases = load_bases(path, &text, dir, &raw.scenarios, &set, &mut c)?;
    let targets = check_targets(&raw.targets, &bases, &mut c);
    let parameters = check_parameters(&raw.parameters, &bases, &mut c);
    let method = check_method(&raw.method, parameters.len(), &mut c);
    c.finish()?;
    check_bounds(&parameters, &bases, &mut c);
    c.finish()?;
    Ok(Spec {
        name: raw.name,
        description: raw.description,
        path: path.to_path_buf(),
        text,
        bases,
        targets,
        parameters,
        method: method.expect("checked above"),
    })
}

/// The `[set]` table as dotted keys: `[set] simulation.years = 3` and
/// `"simulation.years" = 3` both set `simulation.years`.
pub(crate) fn flatten_set(t: &toml::Table) -> Vec<(String, toml::Value)> {
    fn walk(prefix: &str, t: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
        for (k, v) in t {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(inner) => walk(&key, inner, out),
                other => out.push((key, other.clone())),
            }
        }
    }
    let mut out = Vec::new();
    walk("", t, &mut out);
    out
}

/// Collects the problems of a keyed input file (a calibration or a
/// backtest file), each named by its key and place, and reports them all at
/// once (exit 2).
pub(crate) struct Checker {
    pub file: PathBuf,
    pub text: String,
    pub problems: Vec<String>,
    /// What the file is ("calibration", "backtest"), for the message.
    pub kind: &'static str,
    /// The document that describes the file.
    pub doc: &'static str,
}

impl Checker {
    pub fn new(file: &Path, text: &str, kind: &'static str, doc: &'static str) -> Checker {
        Checker {
            file: file.to_path_buf(),
            text: text.to_string(),
            problems: Vec::new(),
            kind,
            doc,
        }
    }

    pub fn add(&mut self, key: &str, message: impl AsRef<str>) {
        let place = locate_key(&self.text, key).map_or(String::new(), |(l, col)| {
            format!(" (line {l}, column {col})")
        });
        self.problems
            .push(format!("`{key}`{place}: {}", message.as_ref()));
    }

    pub fn finish(&mut self) -> Result<(), InputError> {
        if self.problems.is_empty() {
            return Ok(());
        }
        let n = self.problems.len();
        let list: Vec<String> = self.problems.iter().map(|p| format!("  - {p}")).collect();
        let what = if n == 1 { "problem" } else { "problems" };
        Err(InputError(format!(
            "{}: {n} {what} in the {} file:\n{}\n  fix: correct the keys named; {} describes the file",
            self.file.display(),
            self.kind,
            list.join("\n"),
            self.doc
        )))
    }
}

fn load_bases(
    path: &Path,
    text: &str,
    dir: &Path,
    names: &[String],
    set: &[(String, toml::Value)],
    c: &mut Checker,
) -> anyhow::Result<Vec<Base>> {
    if names.is_empty() {
        c.add("scenarios", "name at least one scenario file");
    }
    let mut bases: Vec<Base> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let p = dir.join(name);
        if let Err(e) = scenario::read_referenced(path, text, "scenarios", &p) {
            // Place the error at this entry rather than the whole list.
            return Err(match e {
                ScenarioError::Reference { reason, .. } => InputError(format!(
                    "{}: `scenarios[{i}]` = \"{name}\": {reason} (looked for {})\n  fix: correct the path; it is relative to the folder of {}",
                    path.display(),
                    p.display(),
                    path.display()
                ))
                .into(),
                other => other.into(),
            });
        }
        let loaded = scenario::load_with(&p, set).map_err(|e| {
            let err = anyhow::Error::new(e);
            if set.is_empty() {
                err
            } else {
                let keys: Vec<&str> = set.iter().map(|(k, _)| k.as_str()).collect();
                err.context(format!(
                    "{}: scenarios[{i}] with the keys of `[set]` ({})",
                    path.display(),
                    keys.join(", ")
                ))
            }
        })?;
        if let Some(other) = bases.iter().find(|b| b.name() == loaded.scenario.name) {
            c.add(
                &format!("scenarios[{i}]"),
                format!(
                    "{} and {} are both named `{}`; give each a unique `name`",
                    other.path.display(),
                    p.display(),
                    loaded.scenario.name
                ),
            );
        }
        let table: toml::Table = loaded.resolved_toml.parse().unwrap_or_default();
        bases.push(Base {
            loaded,
            table,
            path: p,
        });
    }
    Ok(bases)
}

/// The base a target or parameter names: by scenario name or file stem.
fn find_base(bases: &[Base], name: &str) -> Result<usize, String> {
    if let Some(i) = bases.iter().position(|b| b.name() == name) {
        return Ok(i);
    }
    if let Some(i) = bases
        .iter()
        .position(|b| b.path.file_stem().is_some_and(|s| s == name))
    {
        return Ok(i);
    }
    let names: Vec<&str> = bases.iter().map(|b| b.name()).collect();
    let hint = did_you_mean(name, names.iter().copied())
        .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
    Err(format!(
        "no scenario `{name}` among `scenarios` ({}){hint}",
        names.join(", ")
    ))
}

fn check_targets(raw: &[RawTarget], bases: &[Base], c: &mut Checker) -> Vec<Target> {
    if raw.is_empty() {
        c.add("targets", "at least one [[targets]] entry is required");
    }
    let names = metric_names();
    let mut out = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let at = |k: &str| format!("targets[{i}].{k}");
        if t.name.trim().is_empty() {
            c.add(&at("name"), "is required");
        } else if raw[..i].iter().any(|o| o.name == t.name) {
            c.add(&at("name"), format!("`{}` names two targets", t.name));
        }
        let scenario = match (&t.scenario, bases.len()) {
            (Some(s), _) => match find_base(bases, s) {
                Ok(b) => Some(b),
                Err(m) => {
                    c.add(&at("scenario"), m);
                    None
                }
            },
            (None, 1) => Some(0),
            (None, 0) => None,
            (None, _) => {
                c.add(
                    &format!("targets[{i}]"),
                    "give `scenario`: the calibration has several",
                );
                None
            }
        };
        let Some(s) = scenario else { continue };
        let sc = &bases[s].loaded.scenario;
        let metric = match &t.school_type {
            Some(ty) => {
                let school = SchoolType::ALL.iter().position(|x| x.as_str() == ty);
                let second_line = match t.metric.as_str() {
                    "youth_care_share" => Some(false),
                    "second_line_share" => Some(true),
                    _ => None,
                };
                if school.is_none() {
                    c.add(
                        &at("school_type"),
                        format!("unknown school type `{ty}`: one of PO, SBO, SO, VO, VSO, MBO"),
                    );
                }
                if second_line.is_none() {
                    c.add(
                        &at("metric"),
                        format!(
                            "`{}` is not a metric by school type: with `school_type` use `youth_care_share` or `second_line_share`",
                            t.metric
                        ),
                    );
                }
                if t.area.is_some() {
                    c.add(
                        &at("area"),
                        "a target by school type is region-wide: remove `area`",
                    );
                }
                match (school, second_line) {
                    (Some(school), Some(second_line)) => Some(Metric::SchoolType {
                        school,
                        second_line,
                    }),
                    _ => None,
                }
            }
            None => {
                let area = match &t.area {
                    None => Some(0),
                    Some(a) if *a == sc.region_name => Some(0),
                    Some(a) => match sc.gemeenten.iter().position(|g| g.name == *a) {
                        Some(g) => Some(g + 1),
                        None => {
                            let all: Vec<&str> = std::iter::once(sc.region_name.as_str())
                                .chain(sc.gemeenten.iter().map(|g| g.name.as_str()))
                                .collect();
                            let hint = did_you_mean(a, all.iter().copied())
                                .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
                            c.add(
                                &at("area"),
                                format!(
                                    "`{a}` is neither the region nor a gemeente of `{}` ({}){hint}",
                                    sc.name,
                                    all.join(", ")
                                ),
                            );
                            None
                        }
                    },
                };
                let metric = names.iter().position(|n| *n == t.metric);
                if metric.is_none() {
                    let hint = did_you_mean(&t.metric, names.iter().map(|n| n.as_str()))
                        .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
                    c.add(
                        &at("metric"),
                        format!(
                            "unknown metric `{}`{hint}; any column of runs.csv, or `youth_care_share` / `second_line_share` with `school_type`",
                            t.metric
                        ),
                    );
                }
                match (metric, area) {
                    (Some(metric), Some(area)) => Some(Metric::Run { metric, area }),
                    _ => None,
                }
            }
        };
        let first = sc.simulation.start_year;
        let count = sc.simulation.years as i64;
        let last = i64::from(first) + count - 1;
        let years: Option<Vec<i64>> = match &t.years {
            None => Some((i64::from(first)..=last).collect()),
            Some(RawYears::List(v)) if v.is_empty() => {
                c.add(&at("years"), "must not be empty");
                None
            }
            Some(RawYears::List(v)) => Some(v.clone()),
            Some(RawYears::Range(s)) => {
                match parse_range(s) {
                    Some((a, b)) => Some((a..=b).collect()),
                    None => {
                        c.add(
                        &at("years"),
                        format!("`{s}` is not a year range; write \"2026-2030\" or a list [2026, 2027]"),
                    );
                        None
                    }
                }
            }
        };
        let years = years.and_then(|ys| {
            let bad: Vec<String> = ys
                .iter()
                .filter(|&&y| y < i64::from(first) || y > last)
                .map(|y| y.to_string())
                .collect();
            if bad.is_empty() {
                let mut idx: Vec<usize> = ys.iter().map(|&y| (y - i64::from(first)) as usize).collect();
                idx.sort_unstable();
                idx.dedup();
                Some(idx)
            } else {
                c.add(
                    &at("years"),
                    format!(
                        "{} outside the output years {first}-{last} of `{}` (simulation.start_year and simulation.years, after `set`)",
                        bad.join(", "),
                        sc.name
                    ),
                );
                None
            }
        });
        if !t.observed.is_finite() {
            c.add(&at("observed"), "must be a finite number");
        }
        let round = t.round_to.unwrap_or(0.0);
        if !t.sd.is_finite() || t.sd < 0.0 {
            c.add(&at("sd"), "must be a finite number, at least 0");
        }
        if !round.is_finite() || round < 0.0 {
            c.add(&at("round_to"), "must be a finite number, at least 0");
        }
        let var_obs = t.sd * t.sd + round * round / 12.0;
        if t.sd.is_finite() && round.is_finite() && var_obs <= 0.0 {
            c.add(
                &at("sd"),
                "the observation needs an uncertainty: give `sd` > 0 (or `round_to` > 0)",
            );
        }
        if t.source.trim().is_empty() {
            c.add(
                &at("source"),
                "is required: say where the observed value comes from",
            );
        }
        let (Some(metric), Some(years)) = (metric, years) else {
            continue;
        };
        let year_text = {
            let a = first + years[0] as i32;
            let b = first + years[years.len() - 1] as i32;
            if years.len() == (b - a + 1) as usize {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            } else {
                years
                    .iter()
                    .map(|&y| (first + y as i32).to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        out.push(Target {
            name: t.name.clone(),
            scenario: s,
            metric_name: t.metric.clone(),
            area_name: match (&t.school_type, metric) {
                (Some(ty), _) => format!("{} {ty}", sc.region_name),
                (None, Metric::Run { area, .. }) if area > 0 => sc.gemeenten[area - 1].name.clone(),
                _ => sc.region_name.clone(),
            },
            metric,
            years,
            year_text,
            observed: t.observed,
            sd: t.sd,
            round_to: round,
            var_obs,
            source: t.source.clone(),
        });
    }
    out
}

fn parse_range(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('-')?;
    let (a, b): (i64, i64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then_some((a, b))
}

/// The value at a dotted key in a resolved scenario; `Err` says why there is none.
fn lookup<'t>(table: &'t toml::Table, key: &str) -> Result<&'t toml::Value, String> {
    let segs = path_segments(key)?;
    let mut cur = table;
    for (i, (name, index)) in segs.iter().enumerate() {
        let Some(v) = cur.get(*name) else {
            let hint = did_you_mean(name, cur.keys().map(|k| k.as_str()))
                .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
            return Err(format!("unknown scenario key `{name}` in `{key}`{hint}"));
        };
        let v = match index {
            None => v,
            Some(k) => v
                .as_array()
                .and_then(|a| a.get(*k))
                .ok_or_else(|| format!("`{name}[{k}]` does not exist in the scenario"))?,
        };
        if i + 1 == segs.len() {
            return Ok(v);
        }
        cur = v
            .as_table()
            .ok_or_else(|| format!("`{name}` in `{key}` holds a value, not a table"))?;
    }
    Err(format!("`{key}` is empty"))
}

fn check_parameters(raw: &[RawParameter], bases: &[Base], c: &mut Checker) -> Vec<Parameter> {
    if raw.is_empty() {
        c.add(
            "parameters",
            "at least one [[parameters]] entry is required",
        );
    }
    let mut out = Vec::new();
    for (i, p) in raw.iter().enumerate() {
        let at = |k: &str| format!("parameters[{i}].{k}");
        if raw[..i].iter().any(|o| o.key == p.key) {
            c.add(&at("key"), format!("`{}` is calibrated twice", p.key));
        }
        let scenarios: Vec<usize> = match &p.scenarios {
            None => (0..bases.len()).collect(),
            Some(list) if list.is_empty() => {
                c.add(&at("scenarios"), "must not be empty (leave it out for all)");
                Vec::new()
            }
            Some(list) => list
                .iter()
                .enumerate()
                .filter_map(|(j, s)| match find_base(bases, s) {
                    Ok(b) => Some(b),
                    Err(m) => {
                        c.add(&format!("parameters[{i}].scenarios[{j}]"), m);
                        None
                    }
                })
                .collect(),
        };
        let mut key_ok = true;
        for &s in &scenarios {
            match lookup(&bases[s].table, &p.key) {
                Ok(toml::Value::Float(_)) => {}
                Ok(toml::Value::Integer(_)) => {
                    c.add(
                        &at("key"),
                        format!(
                            "`{}` is a whole number in `{}`; only real-valued keys can be calibrated",
                            p.key,
                            bases[s].name()
                        ),
                    );
                    key_ok = false;
                }
                Ok(_) => {
                    c.add(
                        &at("key"),
                        format!(
                            "`{}` is not a number in `{}`; give a numeric key, or one entry such as `{}[0]`",
                            p.key,
                            bases[s].name(),
                            p.key
                        ),
                    );
                    key_ok = false;
                }
                Err(m) => {
                    c.add(&at("key"), format!("{m} (scenario `{}`)", bases[s].name()));
                    key_ok = false;
                }
            }
            if !key_ok {
                break;
            }
        }
        // What the entry leaves out comes from the registry's prior of the
        // key (its distribution and plausible range).
        let registry = crate::scenario::registry::find(&p.key).and_then(|(e, j)| e.prior_bounds(j));
        let (min, max) = match (p.min, p.max, registry) {
            (Some(lo), Some(hi), _) => (lo, hi),
            (None, None, Some((_, lo, hi))) => (lo, hi),
            _ => {
                c.add(
                    &format!("parameters[{i}]"),
                    format!(
                        "give `min` and `max`{}",
                        if registry.is_some() {
                            " (or neither, for the registry's plausible range)"
                        } else {
                            ": `regiosim params` gives this key no prior"
                        }
                    ),
                );
                continue;
            }
        };
        let prior_name = match (&p.prior, registry) {
            (Some(name), _) => name.clone(),
            (None, Some((dist, ..))) if p.min.is_none() => dist.as_str().to_string(),
            _ => {
                c.add(
                    &format!("parameters[{i}]"),
                    "give `prior` (uniform, loguniform, normal or lognormal)",
                );
                continue;
            }
        };
        let bounds_ok = min.is_finite() && max.is_finite() && min < max;
        if !bounds_ok {
            c.add(
                &at("min"),
                format!("min {min} must be finite and below max {max}"),
            );
        }
        let extra = |c: &mut Checker, allowed: &[&str]| {
            for (name, set) in [
                ("mean", p.mean.is_some()),
                ("sd", p.sd.is_some()),
                ("median", p.median.is_some()),
                ("sigma", p.sigma.is_some()),
            ] {
                if set && !allowed.contains(&name) {
                    c.add(
                        &at(name),
                        format!("`{name}` does not belong to a {prior_name} prior"),
                    );
                }
            }
        };
        let positive = |c: &mut Checker, name: &str, v: Option<f64>| -> Option<f64> {
            match v {
                Some(x) if x.is_finite() && x > 0.0 => Some(x),
                Some(_) => {
                    c.add(&at(name), "must be a finite number above 0");
                    None
                }
                None => {
                    c.add(
                        &format!("parameters[{i}]"),
                        format!("a {prior_name} prior needs `{name}`"),
                    );
                    None
                }
            }
        };
        let prior = match prior_name.as_str() {
            "uniform" => {
                extra(c, &[]);
                Some(Prior::Uniform)
            }
            "loguniform" => {
                extra(c, &[]);
                if bounds_ok && min <= 0.0 {
                    c.add(
                        &at("min"),
                        "a loguniform prior lives above 0: min must be above 0",
                    );
                }
                Some(Prior::LogUniform)
            }
            "normal" => {
                extra(c, &["mean", "sd"]);
                let mean = match p.mean {
                    Some(m) if m.is_finite() => Some(m),
                    Some(_) => {
                        c.add(&at("mean"), "must be a finite number");
                        None
                    }
                    None => {
                        c.add(&format!("parameters[{i}]"), "a normal prior needs `mean`");
                        None
                    }
                };
                let sd = positive(c, "sd", p.sd);
                mean.zip(sd).map(|(mean, sd)| Prior::Normal { mean, sd })
            }
            "lognormal" => {
                extra(c, &["median", "sigma"]);
                if bounds_ok && min < 0.0 {
                    c.add(
                        &at("min"),
                        "a lognormal prior lives above 0: min must be at least 0",
                    );
                }
                let median = positive(c, "median", p.median);
                let sigma = positive(c, "sigma", p.sigma);
                median
                    .zip(sigma)
                    .map(|(median, sigma)| Prior::LogNormal { median, sigma })
            }
            other => {
                let hint = did_you_mean(other, ["uniform", "loguniform", "normal", "lognormal"])
                    .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
                c.add(
                    &at("prior"),
                    format!(
                        "unknown prior `{other}`: uniform, loguniform, normal or lognormal{hint}"
                    ),
                );
                None
            }
        };
        let (Some(prior), true, true) = (prior, key_ok, bounds_ok) else {
            continue;
        };
        let param = Parameter {
            key: p.key.clone(),
            prior,
            min,
            max,
            scenarios,
            source: p.source.clone(),
        };
        // The prior must put mass inside the bounds (a normal far outside
        // them cannot be sampled).
        let peak = (0..=64)
            .map(|j| param.density(param.value(j as f64 / 64.0)))
            .fold(0.0, f64::max);
        if !peak.is_finite() || peak <= 0.0 {
            c.add(
                &format!("parameters[{i}]"),
                "the prior has no mass between min and max; widen the bounds or move the prior",
            );
            continue;
        }
        out.push(param);
    }
    out
}

fn check_method(m: &RawMethod, k: usize, c: &mut Checker) -> Option<Method> {
    let design = match m.design.as_str() {
        "lhs" => Some(Design::Lhs),
        "sobol" => Some(Design::Sobol),
        other => {
            c.add(
                "method.design",
                format!("unknown design `{other}`: `lhs` (Latin hypercube) or `sobol`"),
            );
            None
        }
    };
    if design == Some(Design::Sobol) && k > SOBOL_MAX_DIM {
        c.add(
            "method.design",
            format!("a Sobol' design takes at most {SOBOL_MAX_DIM} parameters; use `lhs`"),
        );
    }
    let need = (k + 2).max(5);
    if m.waves > 0 && m.points_per_wave < need {
        c.add(
            "method.points_per_wave",
            format!("must be at least {need} for {k} parameters (an emulator needs more points than it has mean coefficients)"),
        );
    }
    if !(m.cutoff.is_finite() && m.cutoff > 0.0) {
        c.add("method.cutoff", "must be a number above 0 (3 is usual)");
    }
    if m.replications < 2 {
        c.add(
            "method.replications",
            "must be at least 2: the spread over replications is the Monte Carlo variance",
        );
    }
    if m.mc_replications < 3 {
        c.add(
            "method.mc_replications",
            "must be at least 3 (10 is usual): they estimate one run's Monte Carlo variance",
        );
    }
    if m.max_fit_points < need {
        c.add("method.max_fit_points", format!("must be at least {need}"));
    }
    let particles_need = (2 * k + 2).max(10);
    if m.particles < particles_need {
        c.add(
            "method.particles",
            format!("must be at least {particles_need} for {k} parameters"),
        );
    }
    if m.generations == 0 {
        c.add("method.generations", "must be at least 1");
    }
    if !(m.quantile > 0.0 && m.quantile < 1.0) {
        c.add(
            "method.quantile",
            "must lie strictly between 0 and 1 (0.5: each tolerance is the median distance of the previous population)",
        );
    }
    if !(m.min_tolerance.is_finite() && m.min_tolerance >= 0.0) {
        c.add(
            "method.min_tolerance",
            "must be a finite number, at least 0",
        );
    }
    let max_proposals = m.max_proposals.unwrap_or(20 * m.particles.max(1));
    if max_proposals < m.particles {
        c.add(
            "method.max_proposals",
            "must be at least `particles` (the proposals one generation may simulate)",
        );
    }
    Some(Method {
        waves: m.waves,
        points_per_wave: m.points_per_wave,
        design: design?,
        cutoff: m.cutoff,
        replications: m.replications,
        mc_replications: m.mc_replications,
        max_fit_points: m.max_fit_points,
        particles: m.particles,
        generations: m.generations,
        quantile: m.quantile,
        min_tolerance: m.min_tolerance,
        max_proposals,
        seed: m.seed,
    })
}

/// Every scenario must validate with each parameter at its min and at its
/// max (the others at their base values): the prior box lies inside the
/// valid ranges of docs/SCENARIOS.md.
fn check_bounds(params: &[Parameter], bases: &[Base], c: &mut Checker) {
    for (i, p) in params.iter().enumerate() {
        for (end, x) in [("min", p.min), ("max", p.max)] {
            for &s in &p.scenarios {
                let b = &bases[s];
                let o = [(p.key.clone(), toml::Value::Float(x))];
                if let Err(e) =
                    scenario::with_overrides(&b.path, b.table.clone(), b.loaded.sources.clone(), &o)
                {
                    let why = match e {
                        ScenarioError::Invalid { problems, .. } => problems
                            .iter()
                            .map(|p| p.to_string())
                            .collect::<Vec<_>>()
                            .join("; "),
                        other => other.to_string(),
                    };
                    c.add(
                        &format!("parameters[{i}].{end}"),
                        format!("`{}` = {x} is not valid in `{}`: {why}", p.key, b.name()),
                    );
                }
            }
        }
    }
}

impl Spec {
    /// The overrides that put the point `u` (unit coordinates) into base `s`.
    pub fn overrides(&self, s: usize, u: &[f64]) -> Vec<(String, toml::Value)> {
        self.parameters
            .iter()
            .zip(u)
            .filter(|(p, _)| p.scenarios.contains(&s))
            .map(|(p, &x)| (p.key.clone(), toml::Value::Float(p.value(x))))
            .collect()
    }

    /// The prior density at `u`, up to a constant.
    pub fn prior_density(&self, u: &[f64]) -> f64 {
        self.parameters
            .iter()
            .zip(u)
            .map(|(p, &x)| {
                if (0.0..=1.0).contains(&x) {
                    p.density(p.value(x))
                } else {
                    0.0
                }
            })
            .product()
    }

    /// The factor on one run's Monte Carlo variance in the implausibility
    /// and the ABC distance: the region is one realisation (1) and the
    /// simulated mean over R replications has its own error (1/R; with
    /// common random numbers an offset shared by every point).
    pub fn mc_factor(&self) -> f64 {
        1.0 + 1.0 / f64::from(self.method.replications)
    }

    /// The highest prior density on a grid, per parameter (for rejection
    /// sampling).
    pub fn density_peaks(&self) -> Vec<f64> {
        self.parameters
            .iter()
            .map(|p| {
                let mut peak = (0..=1024)
                    .map(|j| p.density(p.value(j as f64 / 1024.0)))
                    .fold(0.0, f64::max);
                // The mode may lie between grid points.
                if let Prior::Normal { mean, .. } = p.prior {
                    peak = peak.max(p.density(mean));
                }
                if let Prior::LogNormal { median, sigma } = p.prior {
                    peak = peak.max(p.density(median * libm::exp(-sigma * sigma)));
                }
                peak
            })
            .collect()
    }
}
