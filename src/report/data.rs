//! What a report reads from a finished run or sweep: the manifest,
//! `summary.csv`, `comparison.csv` and, for sweeps, `variants.csv` and
//! `sensitivity.csv`. Only these summaries are needed, so a published run
//! that keeps nothing else still has a report.
//!
//! Every output the manifest lists and the folder keeps must have the
//! sha256 the manifest gives it, and those the report reads must be there:
//! a file changed or cut short after the run (a copy interrupted at a row
//! boundary still parses) is an input error, never a report that quietly
//! misses data. Files the manifest does not list (left over from an
//! earlier run in the same folder) are not read.

use crate::output::manifest::Manifest;
use crate::output::read_text_cell;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path};

/// The outputs a report reads, when the run wrote them.
const READ: [&str; 10] = [
    "summary.csv",
    "forecast.csv",
    "probabilities.csv",
    "variance_split.csv",
    "drivers.csv",
    "comparison.csv",
    "horizon.csv",
    "cost_effectiveness.csv",
    "variants.csv",
    "sensitivity.csv",
];

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

fn input(path: &Path, message: impl Into<String>) -> ReportError {
    ReportError::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Mean and 95% CI of a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Est {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

impl Est {
    /// No estimate (drawn as a gap).
    pub const NAN: Est = Est {
        mean: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
    };
}

/// A paired difference against the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Diff {
    pub baseline: f64,
    pub diff: Est,
}

impl Diff {
    /// The difference relative to the baseline mean, with its CI.
    pub fn relative(&self) -> Option<Est> {
        (self.baseline.is_finite() && self.baseline != 0.0).then(|| Est {
            mean: self.diff.mean / self.baseline,
            low: self.diff.low / self.baseline,
            high: self.diff.high / self.baseline,
        })
    }
}

#[derive(Debug, Clone)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    /// The Dutch description (`description_nl`), empty if none.
    pub description_nl: String,
    /// The area name of the region-wide rows.
    pub region: String,
    /// The gemeenten of the scenario, in file order.
    pub gemeenten: Vec<String>,
    /// The resolved scenario.
    pub table: toml::Table,
}

/// Cost per result avoided over a window (`cost_effectiveness.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct CostEffect {
    /// Cost difference (scenario − baseline), euro.
    pub cost: Est,
    /// Outcomes avoided (baseline − scenario).
    pub avoided: Est,
    /// Cost per outcome avoided with its Fieller interval (NaN bounds when
    /// the interval is unbounded).
    pub ratio: Est,
    /// The reading written by `run` (dominant, dominated, …).
    pub reading: String,
}

#[derive(Debug, Clone)]
pub struct RunData {
    pub manifest: Manifest,
    pub scenarios: Vec<ScenarioInfo>,
    pub years: Vec<i32>,
    /// (scenario, year, metric) → estimate, region rows only.
    pub summary: BTreeMap<(String, i32, String), Est>,
    /// The gemeenten, in the order of `summary.csv`.
    pub gemeenten: Vec<String>,
    /// (scenario, year, gemeente, metric) → estimate.
    pub by_gemeente: BTreeMap<(String, i32, String, String), Est>,
    /// (scenario, year, metric) → difference from the baseline, region rows.
    pub comparison: BTreeMap<(String, i32, String), Diff>,
    /// Swept parameters and, per variant scenario name, their values.
    pub variant_params: Vec<String>,
    pub variants: BTreeMap<String, Vec<String>>,
    /// (method, metric, parameter, index, value, 95% interval if any)
    pub sensitivity: Vec<(String, String, String, String, f64, Option<(f64, f64)>)>,
    /// (scenario, from year, to year, metric) → summed difference, region rows.
    pub horizon: BTreeMap<(String, i32, i32, String), Diff>,
    /// (scenario, from year, to year, perspective, outcome) → cost per
    /// outcome avoided, region rows.
    pub cost_effect: BTreeMap<(String, i32, i32, String, String), CostEffect>,
    /// For a run over a posterior: (scenario, from year, to year, metric) →
    /// (share of replications with a paired difference below zero,
    /// replications), region rows (`probabilities.csv`).
    pub probabilities: BTreeMap<(String, i32, i32, String), (f64, usize)>,
    /// (scenario, metric) → the parameters with the share of the effect's
    /// uncertainty each explains, largest first; region rows, whole
    /// horizon (`drivers.csv`).
    pub drivers: BTreeMap<(String, String), Vec<(String, f64)>>,
    /// (scenario, metric) → the share of the effect's variance that is
    /// parameter uncertainty; region rows, whole horizon
    /// (`variance_split.csv`).
    pub parameter_share: BTreeMap<(String, String), f64>,
    /// (scenario, year, care_form, measure) → (mean with its 95% CI, the
    /// 2.5% and 97.5% points of the replications), region rows of
    /// `forecast.csv` (empty for runs before it).
    pub forecast: BTreeMap<(String, i32, String, String), (Est, (f64, f64))>,
}

/// A text cell as the user wrote it (the CSV guards formula starts).
fn cell_text(cell: &str) -> String {
    read_text_cell(cell).to_string()
}

/// The rows of `sensitivity.csv`: since 0.5.0 an index's interval is in
/// its `low` and `high` columns; before, in rows of their own
/// (`first_order_low`, ...), which are folded into their index here.
fn sensitivity_rows(
    rows: &[Vec<String>],
) -> Vec<(String, String, String, String, f64, Option<(f64, f64)>)> {
    let bound = |lo: &str, hi: &str| (!lo.is_empty() && !hi.is_empty()).then(|| (num(lo), num(hi)));
    let mut out: Vec<(String, String, String, String, f64, Option<(f64, f64)>)> = rows
        .iter()
        .filter_map(|r| match &r[..] {
            [m, metric, p, i, v, lo, hi] => Some((
                m.clone(),
                metric.clone(),
                cell_text(p),
                i.clone(),
                num(v),
                bound(lo, hi),
            )),
            [m, metric, p, i, v] => Some((
                m.clone(),
                metric.clone(),
                cell_text(p),
                i.clone(),
                num(v),
                None,
            )),
            _ => None,
        })
        .collect();
    let old: Vec<_> = out
        .iter()
        .filter_map(|r| {
            let base =
                r.3.strip_suffix("_low")
                    .or_else(|| r.3.strip_suffix("_high"))?;
            Some((
                r.1.clone(),
                r.2.clone(),
                base.to_string(),
                r.3.ends_with("_low"),
                r.4,
            ))
        })
        .collect();
    out.retain(|r| !r.3.ends_with("_low") && !r.3.ends_with("_high"));
    for (metric, param, base, low, v) in old {
        if let Some(r) = out
            .iter_mut()
            .find(|r| r.1 == metric && r.2 == param && r.3 == base)
        {
            let b = r.5.get_or_insert((f64::NAN, f64::NAN));
            if low {
                b.0 = v;
            } else {
                b.1 = v;
            }
        }
    }
    out
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

/// The sha256 of a file, read in blocks (a sweep's timeseries.csv is large).
fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Checks every output the manifest lists against its sha256 and returns
/// the bytes of those the report reads (absent: the run did not write it).
fn verified_outputs(
    dir: &Path,
    manifest: &Manifest,
) -> Result<BTreeMap<&'static str, Vec<u8>>, ReportError> {
    let again = format!(
        "re-run the command in manifest.json's command_line, or check the folder with `regiosim reproduce {}`",
        dir.display()
    );
    let mut read = BTreeMap::new();
    for out in &manifest.outputs {
        let name = Path::new(&out.path);
        if !matches!(
            name.components().collect::<Vec<_>>()[..],
            [Component::Normal(_)]
        ) {
            return Err(input(
                &dir.join("manifest.json"),
                format!(
                    "lists the output `{}`, which is not a file name in the folder; is it a regiosim manifest?",
                    out.path
                ),
            ));
        }
        let path = dir.join(name);
        let needed = READ.iter().find(|n| **n == out.path);
        let sha = match needed {
            Some(n) => std::fs::read(&path).map(|bytes| {
                let sha = crate::scenario::sha256_hex(&bytes);
                read.insert(*n, bytes);
                sha
            }),
            None => file_sha256(&path),
        };
        match sha {
            Ok(sha) if sha.eq_ignore_ascii_case(&out.sha256) => {}
            Ok(_) => {
                return Err(input(
                    &path,
                    format!(
                        "does not match its sha256 in manifest.json: the file was changed or cut short after the run. Restore it, or {again}"
                    ),
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A published folder may keep only what its readers need.
                if needed.is_some() {
                    return Err(input(
                        &path,
                        format!(
                            "is listed in manifest.json but missing, and the report needs it: the folder is incomplete. Copy the file back, or {again}"
                        ),
                    ));
                }
            }
            Err(e) => return Err(input(&path, e.to_string())),
        }
    }
    Ok(read)
}

fn read_csv(
    path: &Path,
    bytes: Option<&Vec<u8>>,
) -> Result<Option<(Vec<String>, Vec<Vec<String>>)>, ReportError> {
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| input(path, e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| input(path, e.to_string()))?;
        rows.push(rec.iter().map(String::from).collect());
    }
    Ok(Some((header, rows)))
}

fn col(path: &Path, header: &[String], name: &str) -> Result<usize, ReportError> {
    header.iter().position(|h| h == name).ok_or_else(|| {
        input(
            path,
            format!("has no column `{name}`; is it a regiosim output?"),
        )
    })
}

pub fn load(dir: &Path) -> Result<RunData, ReportError> {
    let mpath = dir.join("manifest.json");
    let text = std::fs::read_to_string(&mpath).map_err(|e| {
        input(
            &mpath,
            format!("{e}; is {} the folder of a finished run?", dir.display()),
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| input(&mpath, format!("not a regiosim manifest: {e}")))?;
    let scenarios: Vec<ScenarioInfo> = manifest
        .scenarios
        .iter()
        .map(|s| {
            let t: toml::Table = s.resolved_toml.parse().unwrap_or_default();
            let get = |k: &str| {
                t.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let region = t
                .get("region")
                .and_then(|r| r.get("name"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let gemeenten = t
                .get("gemeenten")
                .and_then(|g| g.as_array())
                .map(|g| {
                    g.iter()
                        .filter_map(|x| x.get("name")?.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            ScenarioInfo {
                name: s.name.clone(),
                description: get("description"),
                description_nl: get("description_nl"),
                region,
                gemeenten,
                table: t,
            }
        })
        .collect();
    let region_of: BTreeMap<&str, &str> = scenarios
        .iter()
        .map(|s| (s.name.as_str(), s.region.as_str()))
        .collect();

    let files = verified_outputs(dir, &manifest)?;
    let spath = dir.join("summary.csv");
    let (h, rows) = read_csv(&spath, files.get("summary.csv"))?.ok_or_else(|| {
        input(
            &spath,
            "is not among the outputs in manifest.json; the report needs the run's summary",
        )
    })?;
    let (cs, cy, ca, cm) = (
        col(&spath, &h, "scenario")?,
        col(&spath, &h, "year")?,
        col(&spath, &h, "area")?,
        col(&spath, &h, "metric")?,
    );
    let (cmean, clow, chigh) = (
        col(&spath, &h, "mean")?,
        col(&spath, &h, "ci95_low")?,
        col(&spath, &h, "ci95_high")?,
    );
    let mut summary = BTreeMap::new();
    let mut gemeenten: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut by_gemeente = BTreeMap::new();
    let mut years = std::collections::BTreeSet::new();
    for r in &rows {
        let y: i32 = r[cy].parse().unwrap_or(0);
        let e = Est {
            mean: num(&r[cmean]),
            low: num(&r[clow]),
            high: num(&r[chigh]),
        };
        let (sc, area) = (cell_text(&r[cs]), cell_text(&r[ca]));
        if region_of.get(sc.as_str()) != Some(&area.as_str()) {
            if seen.insert(area.clone()) {
                gemeenten.push(area.clone());
            }
            by_gemeente.insert((sc, y, area, r[cm].clone()), e);
            continue;
        }
        years.insert(y);
        summary.insert((sc, y, r[cm].clone()), e);
    }

    let mut comparison = BTreeMap::new();
    let cpath = dir.join("comparison.csv");
    if let Some((h, rows)) = read_csv(&cpath, files.get("comparison.csv"))? {
        let (cs, cy, ca, cm) = (
            col(&cpath, &h, "scenario")?,
            col(&cpath, &h, "year")?,
            col(&cpath, &h, "area")?,
            col(&cpath, &h, "metric")?,
        );
        let cb = col(&cpath, &h, "baseline_mean")?;
        let (cd, cl, ch) = (
            col(&cpath, &h, "difference_mean")?,
            col(&cpath, &h, "ci95_low")?,
            col(&cpath, &h, "ci95_high")?,
        );
        for r in &rows {
            let sc = cell_text(&r[cs]);
            if region_of.get(sc.as_str()) != Some(&cell_text(&r[ca]).as_str()) {
                continue;
            }
            comparison.insert(
                (sc, r[cy].parse().unwrap_or(0), r[cm].clone()),
                Diff {
                    baseline: num(&r[cb]),
                    diff: Est {
                        mean: num(&r[cd]),
                        low: num(&r[cl]),
                        high: num(&r[ch]),
                    },
                },
            );
        }
    }

    let mut variant_params = Vec::new();
    let mut variants = BTreeMap::new();
    let vpath = dir.join("variants.csv");
    if let Some((h, rows)) = read_csv(&vpath, files.get("variants.csv"))? {
        variant_params = h.iter().skip(2).map(|c| cell_text(c)).collect();
        for r in rows {
            if r.len() >= 2 {
                variants.insert(
                    cell_text(&r[1]),
                    r[2..].iter().map(|c| cell_text(c)).collect(),
                );
            }
        }
    }
    let mut sensitivity = Vec::new();
    let sens_path = dir.join("sensitivity.csv");
    if let Some((_, rows)) = read_csv(&sens_path, files.get("sensitivity.csv"))? {
        sensitivity = sensitivity_rows(&rows);
    }
    let (horizon, cost_effect) = effects(dir, &files, &region_of)?;
    let mut probabilities = BTreeMap::new();
    let ppath = dir.join("probabilities.csv");
    if let Some((h, rows)) = read_csv(&ppath, files.get("probabilities.csv"))? {
        let c = |n: &str| col(&ppath, &h, n);
        let (cs, ca, cf, ct, cm, cp, cn) = (
            c("scenario")?,
            c("area")?,
            c("from_year")?,
            c("to_year")?,
            c("metric")?,
            c("prob_reduction")?,
            c("n")?,
        );
        for r in &rows {
            let sc = cell_text(&r[cs]);
            if region_of.get(sc.as_str()) != Some(&cell_text(&r[ca]).as_str()) {
                continue;
            }
            probabilities.insert(
                (
                    sc,
                    r[cf].parse().unwrap_or(0),
                    r[ct].parse().unwrap_or(0),
                    r[cm].clone(),
                ),
                (num(&r[cp]), r[cn].parse().unwrap_or(0)),
            );
        }
    }
    let (drivers, parameter_share) = posterior_tables(dir, &files, &region_of, &years)?;
    let forecast = forecast_table(dir, &files, &region_of)?;
    Ok(RunData {
        forecast,
        horizon,
        cost_effect,
        probabilities,
        drivers,
        parameter_share,
        manifest,
        scenarios,
        years: years.into_iter().collect(),
        summary,
        gemeenten,
        by_gemeente,
        comparison,
        variant_params,
        variants,
        sensitivity,
    })
}

type Forecast = BTreeMap<(String, i32, String, String), (Est, (f64, f64))>;

/// The region rows of `forecast.csv`, where the run wrote it.
fn forecast_table(
    dir: &Path,
    files: &BTreeMap<&'static str, Vec<u8>>,
    region_of: &BTreeMap<&str, &str>,
) -> Result<Forecast, ReportError> {
    let mut out = BTreeMap::new();
    let path = dir.join("forecast.csv");
    let Some((h, rows)) = read_csv(&path, files.get("forecast.csv"))? else {
        return Ok(out);
    };
    let c = |name: &str| col(&path, &h, name);
    let (cs, cy, ca, cf, cm) = (
        c("scenario")?,
        c("year")?,
        c("area")?,
        c("care_form")?,
        c("measure")?,
    );
    let (cmean, clow, chigh, cp0, cp1) = (
        c("mean")?,
        c("ci95_low")?,
        c("ci95_high")?,
        c("p2_5")?,
        c("p97_5")?,
    );
    for r in &rows {
        let sc = cell_text(&r[cs]);
        if region_of.get(sc.as_str()) != Some(&cell_text(&r[ca]).as_str()) {
            continue;
        }
        let e = Est {
            mean: num(&r[cmean]),
            low: num(&r[clow]),
            high: num(&r[chigh]),
        };
        out.insert(
            (sc, r[cy].parse().unwrap_or(0), r[cf].clone(), r[cm].clone()),
            (e, (num(&r[cp0]), num(&r[cp1]))),
        );
    }
    Ok(out)
}

type Drivers = BTreeMap<(String, String), Vec<(String, f64)>>;
type Shares = BTreeMap<(String, String), f64>;

/// `drivers.csv` and the effects of `variance_split.csv`, region rows over
/// the whole horizon (both only in runs over a posterior).
fn posterior_tables(
    dir: &Path,
    files: &BTreeMap<&'static str, Vec<u8>>,
    region_of: &BTreeMap<&str, &str>,
    years: &std::collections::BTreeSet<i32>,
) -> Result<(Drivers, Shares), ReportError> {
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return Ok(Default::default());
    };
    let horizon = |r: &[String], cf: usize, ct: usize| {
        r[cf].parse::<i32>().ok() == Some(*first) && r[ct].parse::<i32>().ok() == Some(*last)
    };
    let region_row = |r: &[String], cs: usize, ca: usize| {
        region_of.get(cell_text(&r[cs]).as_str()) == Some(&cell_text(&r[ca]).as_str())
    };
    let mut drivers: Drivers = BTreeMap::new();
    let path = dir.join("drivers.csv");
    if let Some((h, rows)) = read_csv(&path, files.get("drivers.csv"))? {
        let c = |n: &str| col(&path, &h, n);
        let (cs, ca, cf, ct, cm, cp, cv) = (
            c("scenario")?,
            c("area")?,
            c("from_year")?,
            c("to_year")?,
            c("metric")?,
            c("parameter")?,
            c("share_explained")?,
        );
        for r in rows
            .iter()
            .filter(|r| region_row(r, cs, ca) && horizon(r, cf, ct))
        {
            drivers
                .entry((cell_text(&r[cs]), r[cm].clone()))
                .or_default()
                .push((cell_text(&r[cp]), num(&r[cv])));
        }
    }
    let mut shares: Shares = BTreeMap::new();
    let path = dir.join("variance_split.csv");
    if let Some((h, rows)) = read_csv(&path, files.get("variance_split.csv"))? {
        let c = |n: &str| col(&path, &h, n);
        let (cs, ck, ca, cf, ct, cm, cv) = (
            c("scenario")?,
            c("kind")?,
            c("area")?,
            c("from_year")?,
            c("to_year")?,
            c("metric")?,
            c("share_parameter")?,
        );
        for r in rows
            .iter()
            .filter(|r| r[ck] != "value" && region_row(r, cs, ca) && horizon(r, cf, ct))
        {
            shares.insert((cell_text(&r[cs]), r[cm].clone()), num(&r[cv]));
        }
    }
    Ok((drivers, shares))
}

type Horizon = BTreeMap<(String, i32, i32, String), Diff>;
type CostEffects = BTreeMap<(String, i32, i32, String, String), CostEffect>;

/// `horizon.csv` and `cost_effectiveness.csv`, region rows (both absent in
/// folders written before regiosim 0.4).
fn effects(
    dir: &Path,
    files: &BTreeMap<&'static str, Vec<u8>>,
    region_of: &BTreeMap<&str, &str>,
) -> Result<(Horizon, CostEffects), ReportError> {
    let region_row = |r: &[String], cs: usize, ca: usize| {
        region_of.get(cell_text(&r[cs]).as_str()) == Some(&cell_text(&r[ca]).as_str())
    };
    let mut horizon = BTreeMap::new();
    let hpath = dir.join("horizon.csv");
    if let Some((h, rows)) = read_csv(&hpath, files.get("horizon.csv"))? {
        let c = |n: &str| col(&hpath, &h, n);
        let (cs, ca, cf, ct, cm) = (
            c("scenario")?,
            c("area")?,
            c("from_year")?,
            c("to_year")?,
            c("metric")?,
        );
        let (cb, cd, cl, ch) = (
            c("baseline_total")?,
            c("difference_mean")?,
            c("ci95_low")?,
            c("ci95_high")?,
        );
        for r in rows.iter().filter(|r| region_row(r, cs, ca)) {
            let key = (
                cell_text(&r[cs]),
                r[cf].parse().unwrap_or(0),
                r[ct].parse().unwrap_or(0),
                r[cm].clone(),
            );
            let diff = Est {
                mean: num(&r[cd]),
                low: num(&r[cl]),
                high: num(&r[ch]),
            };
            horizon.insert(
                key,
                Diff {
                    baseline: num(&r[cb]),
                    diff,
                },
            );
        }
    }
    let mut cost_effect = BTreeMap::new();
    let epath = dir.join("cost_effectiveness.csv");
    if let Some((h, rows)) = read_csv(&epath, files.get("cost_effectiveness.csv"))? {
        let c = |n: &str| col(&epath, &h, n);
        let (cs, ca, cf, ct) = (c("scenario")?, c("area")?, c("from_year")?, c("to_year")?);
        let (cp, co, cr) = (c("perspective")?, c("outcome")?, c("reading")?);
        let est = |r: &[String], m: &str, lo: &str, hi: &str| -> Result<Est, ReportError> {
            Ok(Est {
                mean: num(&r[c(m)?]),
                low: num(&r[c(lo)?]),
                high: num(&r[c(hi)?]),
            })
        };
        for r in rows.iter().filter(|r| region_row(r, cs, ca)) {
            let key = (
                cell_text(&r[cs]),
                r[cf].parse().unwrap_or(0),
                r[ct].parse().unwrap_or(0),
                r[cp].clone(),
                r[co].clone(),
            );
            let value = CostEffect {
                cost: est(r, "cost_difference_eur", "cost_ci95_low", "cost_ci95_high")?,
                avoided: est(
                    r,
                    "outcome_avoided",
                    "avoided_ci95_low",
                    "avoided_ci95_high",
                )?,
                ratio: est(
                    r,
                    "cost_per_outcome_avoided_eur",
                    "ratio_ci95_low",
                    "ratio_ci95_high",
                )?,
                reading: r[cr].clone(),
            };
            cost_effect.insert(key, value);
        }
    }
    Ok((horizon, cost_effect))
}

impl RunData {
    /// For a run over a posterior: the share of replications in which
    /// `metric` summed over the whole horizon falls, and their number.
    pub fn probability_total(&self, scenario: &str, metric: &str) -> Option<(f64, usize)> {
        let (first, last) = (*self.years.first()?, self.last_year());
        self.probabilities
            .get(&(scenario.to_string(), first, last, metric.to_string()))
            .copied()
            .filter(|(p, n)| p.is_finite() && *n > 0)
    }

    /// The summed difference over the whole output horizon.
    pub fn horizon_total(&self, scenario: &str, metric: &str) -> Option<Diff> {
        let (first, last) = (*self.years.first()?, self.last_year());
        self.horizon
            .get(&(scenario.to_string(), first, last, metric.to_string()))
            .copied()
            .filter(|d| d.diff.mean.is_finite())
    }

    /// Cost per outcome avoided over the whole output horizon.
    pub fn cost_effect_total(
        &self,
        scenario: &str,
        perspective: &str,
        outcome: &str,
    ) -> Option<&CostEffect> {
        let (first, last) = (*self.years.first()?, self.last_year());
        self.cost_effect.get(&(
            scenario.to_string(),
            first,
            last,
            perspective.to_string(),
            outcome.to_string(),
        ))
    }

    /// The place a reader knows: the gemeente when the region is one
    /// gemeente, else the region's name.
    pub fn place(&self) -> String {
        match self.baseline() {
            Some(b) if b.gemeenten.len() == 1 => b.gemeenten[0].clone(),
            Some(b) => b.region.clone(),
            None => String::new(),
        }
    }

    pub fn est(&self, scenario: &str, year: i32, metric: &str) -> Option<Est> {
        self.summary
            .get(&(scenario.to_string(), year, metric.to_string()))
            .copied()
            .filter(|e| e.mean.is_finite())
    }

    /// A gemeente's estimate (from its rows in `summary.csv`).
    pub fn est_in(&self, scenario: &str, year: i32, gemeente: &str, metric: &str) -> Option<Est> {
        self.by_gemeente
            .get(&(
                scenario.to_string(),
                year,
                gemeente.to_string(),
                metric.to_string(),
            ))
            .copied()
            .filter(|e| e.mean.is_finite())
    }

    pub fn diff(&self, scenario: &str, year: i32, metric: &str) -> Option<Diff> {
        self.comparison
            .get(&(scenario.to_string(), year, metric.to_string()))
            .copied()
            .filter(|d| d.diff.mean.is_finite())
    }

    pub fn last_year(&self) -> i32 {
        self.years.last().copied().unwrap_or(0)
    }

    pub fn baseline(&self) -> Option<&ScenarioInfo> {
        self.scenarios.first()
    }
}
