//! Sweep files: a base scenario and the keys to vary (by dotted path), as a
//! full grid, a Latin hypercube, a Morris or a Sobol' design. Every design
//! point is a variant scenario; variant 0 is the base itself.

use super::sensitivity::{MorrisDesign, latin_hypercube, morris_design, sobol_design};
use crate::engine::StreamKey;
use crate::output::fmt_num;
use crate::scenario::{
    self, LoadedScenario, Problem, ScenarioError, did_you_mean, path_segments, thousands,
};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    #[default]
    Grid,
    Lhs,
    Morris,
    Sobol,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Grid => "grid",
            Method::Lhs => "lhs",
            Method::Morris => "morris",
            Method::Sobol => "sobol",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    name: String,
    #[serde(default)]
    description: String,
    base: String,
    #[serde(default = "default_replications")]
    replications: u32,
    #[serde(default)]
    method: Method,
    points: Option<usize>,
    levels: Option<usize>,
    #[serde(default)]
    metrics: Vec<String>,
    #[serde(default)]
    parameters: Vec<RawParam>,
}

fn default_replications() -> u32 {
    4
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    path: String,
    values: Option<Vec<toml::Value>>,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Float,
    Bool,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub path: String,
    kind: Kind,
    values: Option<Vec<toml::Value>>,
    range: (f64, f64),
}

/// A checked sweep with its design.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub name: String,
    pub description: String,
    pub method: Method,
    pub replications: u32,
    pub params: Vec<Param>,
    pub metrics: Vec<String>,
    /// The sweep file's text, for the manifest.
    pub text: String,
    /// Parameter values per design point (variant i + 1).
    pub points: Vec<Vec<toml::Value>>,
    pub morris: Option<MorrisDesign>,
    /// Base samples of a Sobol' design.
    pub sobol_n: usize,
}

/// Reads a sweep file and its base scenario, with `overrides` (such as
/// `--years`) set in the base before validation, so every variant and the
/// resolved scenarios in the manifest carry them.
pub fn load(
    path: &Path,
    seed: u64,
    overrides: &[(String, toml::Value)],
) -> Result<(Sweep, LoadedScenario), ScenarioError> {
    let text = scenario::read_source(path, "sweep file")?;
    let raw = parse(path, &text)?;
    let base_path = path.parent().unwrap_or(Path::new(".")).join(&raw.base);
    // A missing or unreadable base is named at the `base` line of this file.
    scenario::read_referenced(path, &text, "base", &base_path)?;
    let base = scenario::load_with(&base_path, overrides)?;
    let sweep = build(path, raw, text, &base, seed)?;
    Ok((sweep, base))
}

/// Rebuilds a sweep from its text and its resolved base (from a manifest).
pub fn from_text(
    name: &Path,
    text: &str,
    base: &LoadedScenario,
    seed: u64,
) -> Result<Sweep, ScenarioError> {
    let raw = parse(name, text)?;
    build(name, raw, text.to_string(), base, seed)
}

fn parse(path: &Path, text: &str) -> Result<RawSweep, ScenarioError> {
    scenario::parse_checked(path, text)
}

/// Finds the value at a dotted path in the resolved base, or says why not.
fn lookup<'t>(table: &'t toml::Table, path: &str) -> Result<Option<&'t toml::Value>, String> {
    // Keys that may be absent from a resolved scenario (no default).
    const OPTIONAL: [&str; 4] = [
        "handoff_delay_days",
        "information_loss",
        "wijkteam_fte",
        "catchment",
    ];
    let segs = path_segments(path)?;
    let mut cur = table;
    let mut found: Option<&toml::Value> = None;
    for (i, (name, index)) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        let Some(v) = cur.get(*name) else {
            if last && OPTIONAL.contains(name) {
                return Ok(None);
            }
            let hint = did_you_mean(name, cur.keys().map(|k| k.as_str()))
                .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
            return Err(format!("unknown scenario key `{name}` in `{path}`{hint}"));
        };
        let v = match index {
            None => v,
            Some(k) => v
                .as_array()
                .and_then(|a| a.get(*k))
                .ok_or_else(|| format!("`{name}[{k}]` does not exist in the base scenario"))?,
        };
        if last {
            found = Some(v);
        } else {
            cur = v
                .as_table()
                .ok_or_else(|| format!("`{name}` in `{path}` holds a value, not a table"))?;
        }
    }
    Ok(found)
}

fn build(
    path: &Path,
    raw: RawSweep,
    text: String,
    base: &LoadedScenario,
    seed: u64,
) -> Result<Sweep, ScenarioError> {
    let mut problems = Vec::new();
    let mut add = |p: String, m: String| {
        problems.push(Problem {
            path: p,
            message: m,
        })
    };
    if raw.name.trim().is_empty() {
        add("name".into(), "is required".into());
    }
    if raw.replications == 0 {
        add("replications".into(), "must be at least 1".into());
    }
    if raw.parameters.is_empty() {
        add(
            "parameters".into(),
            "at least one [[parameters]] entry is required".into(),
        );
    }
    let table: toml::Table = base.resolved_toml.parse().unwrap_or_default();
    let mut params = Vec::new();
    for (i, p) in raw.parameters.iter().enumerate() {
        let at = format!("parameters[{i}]");
        let kind = match lookup(&table, &p.path) {
            Err(m) => {
                add(format!("{at}.path"), m);
                continue;
            }
            Ok(None) => Kind::Float,
            Ok(Some(toml::Value::Integer(_))) => Kind::Integer,
            Ok(Some(toml::Value::Float(_))) => Kind::Float,
            Ok(Some(toml::Value::Boolean(_))) => Kind::Bool,
            Ok(Some(_)) => Kind::Other,
        };
        // Without values or bounds: the registry's plausible range (its
        // prior's bounds), where the key has one.
        let plausible = (p.values.is_none() && p.min.is_none() && p.max.is_none())
            .then(|| scenario::registry::find(&p.path))
            .flatten()
            .and_then(|(e, i)| e.prior_bounds(i));
        let (min, max) = match plausible {
            Some((_, lo, hi)) => (Some(lo), Some(hi)),
            None => (p.min, p.max),
        };
        let range = match (min, max) {
            (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() && lo <= hi => (lo, hi),
            (Some(lo), Some(hi)) => {
                add(at.clone(), format!("min {lo} must not exceed max {hi}"));
                (lo, hi)
            }
            _ => (0.0, 0.0),
        };
        let has_range = min.is_some() && max.is_some();
        match (&p.values, has_range) {
            (Some(v), _) if v.is_empty() => add(format!("{at}.values"), "must not be empty".into()),
            (None, false) => add(
                at.clone(),
                "give `values = [...]`, or `min` and `max` (this key has no plausible range in `regiosim params`)".into(),
            ),
            (None, true) if matches!(kind, Kind::Other | Kind::Bool) => add(
                at.clone(),
                format!("`{}` is not a number: give `values = [...]`", p.path),
            ),
            _ => {}
        }
        if raw.method == Method::Grid && p.values.is_none() && raw.levels.is_none() {
            add(
                at.clone(),
                "a grid needs `values`, or `min`, `max` and the sweep's `levels`".into(),
            );
        }
        params.push(Param {
            path: p.path.clone(),
            kind,
            values: p.values.clone(),
            range,
        });
    }
    let names = crate::model::metric_names();
    let metrics = if raw.metrics.is_empty() {
        vec!["second_line_referrals_per_1000".to_string()]
    } else {
        raw.metrics.clone()
    };
    for (i, m) in metrics.iter().enumerate() {
        if !names.contains(m) {
            let hint = did_you_mean(m, names.iter().map(|n| n.as_str()))
                .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
            add(
                format!("metrics[{i}]"),
                format!("unknown metric `{m}`{hint}"),
            );
        }
    }
    let needs_points = matches!(raw.method, Method::Lhs | Method::Morris | Method::Sobol);
    if needs_points && raw.points.is_none_or(|n| n == 0) {
        add(
            "points".into(),
            format!(
                "method `{}` needs `points` (at least 1)",
                raw.method.as_str()
            ),
        );
    }
    if raw.levels.is_some_and(|l| l < 2) {
        add("levels".into(), "must be at least 2".into());
    } else if let Some(l) = raw.levels
        && l > MAX_VARIANTS
    {
        add(
            "levels".into(),
            format!(
                "must be at most {}, got {l}",
                thousands(MAX_VARIANTS as u64)
            ),
        );
    }
    if raw.parameters.len() > MAX_PARAMETERS {
        add(
            "parameters".into(),
            format!(
                "{} parameters; a sweep varies at most {MAX_PARAMETERS}",
                raw.parameters.len()
            ),
        );
    }
    // The design's size, known before anything is allocated.
    let k = raw.parameters.len();
    let n = raw.points.unwrap_or(0);
    let levels = raw.levels.unwrap_or(4);
    let variants = match raw.method {
        Method::Grid => raw.parameters.iter().fold(1usize, |acc, p| {
            acc.saturating_mul(p.values.as_ref().map_or(levels, Vec::len))
        }),
        Method::Lhs => n,
        Method::Morris => n.saturating_mul(k + 1),
        Method::Sobol => n.saturating_mul(k.saturating_add(2)),
    };
    if variants > MAX_VARIANTS || variants.saturating_mul(k) > MAX_DESIGN_VALUES {
        let what = match raw.method {
            Method::Grid => "the product of the parameters' value counts (`values`, or `levels`)",
            Method::Lhs => "`points`",
            Method::Morris => "`points` × (parameters + 1)",
            Method::Sobol => "`points` × (parameters + 2)",
        };
        let size = if variants == usize::MAX {
            "more than 10^19".to_string()
        } else {
            thousands(variants as u64)
        };
        add(
            if raw.method == Method::Grid {
                if raw.levels.is_some() {
                    "levels"
                } else {
                    "parameters"
                }
            } else {
                "points"
            }
            .into(),
            format!(
                "the design has {size} variants ({what}); a sweep has at most {} variants and {} swept values (variants × parameters), each variant being a scenario held in memory and in the manifest; split the sweep, or use `lhs`, `morris` or `sobol` with fewer `points`",
                thousands(MAX_VARIANTS as u64),
                thousands(MAX_DESIGN_VALUES as u64)
            ),
        );
    }
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: path.to_path_buf(),
            problems,
        });
    }
    let mut rng = StreamKey::new(seed, u32::MAX).stream(0, DESIGN_STREAM);
    let (unit, morris) = match raw.method {
        Method::Grid => (Vec::new(), None),
        Method::Lhs => (latin_hypercube(k, n, &mut rng), None),
        Method::Morris => {
            let d = morris_design(k, n, levels, &mut rng);
            (d.points.clone(), Some(d))
        }
        Method::Sobol => (sobol_design(k, n, &mut rng), None),
    };
    let points = if raw.method == Method::Grid {
        grid(&params, levels)
    } else {
        unit.iter()
            .map(|u| params.iter().zip(u).map(|(p, &x)| p.at(x)).collect())
            .collect()
    };
    Ok(Sweep {
        name: raw.name,
        description: raw.description,
        method: raw.method,
        replications: raw.replications,
        params,
        metrics,
        text,
        points,
        morris,
        sobol_n: if raw.method == Method::Sobol { n } else { 0 },
    })
}

/// Variants of one sweep (design points; the base comes on top).
pub const MAX_VARIANTS: usize = 1_000_000;
/// Parameters of one sweep.
pub const MAX_PARAMETERS: usize = 100;
/// Swept values of one design (variants × parameters).
pub const MAX_DESIGN_VALUES: usize = 10_000_000;

/// Stream process for sweep designs.
const DESIGN_STREAM: u32 = 300;

impl Param {
    /// The value at unit-cube coordinate `x`.
    fn at(&self, x: f64) -> toml::Value {
        if let Some(v) = &self.values {
            let i = ((x * v.len() as f64) as usize).min(v.len() - 1);
            return v[i].clone();
        }
        let (lo, hi) = self.range;
        let v = lo + x * (hi - lo);
        match self.kind {
            Kind::Integer => toml::Value::Integer(v.round() as i64),
            _ => toml::Value::Float(v),
        }
    }

    /// The grid values: the listed ones, or `levels` evenly spaced.
    fn grid_values(&self, levels: usize) -> Vec<toml::Value> {
        self.values.clone().unwrap_or_else(|| {
            (0..levels)
                .map(|i| self.at(i as f64 / (levels - 1).max(1) as f64 * (1.0 - 1e-12)))
                .collect()
        })
    }
}

fn grid(params: &[Param], levels: usize) -> Vec<Vec<toml::Value>> {
    let mut points = vec![Vec::new()];
    for p in params {
        let values = p.grid_values(levels);
        points = points
            .into_iter()
            .flat_map(|pt| {
                values.iter().map(move |v| {
                    let mut q = pt.clone();
                    q.push(v.clone());
                    q
                })
            })
            .collect();
    }
    points
}

/// A parameter value as written in `variants.csv`.
pub fn show(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(f) => fmt_num(*f),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Sweep {
    /// The variant scenarios: the base, then one per design point.
    pub fn variants(
        &self,
        base: &LoadedScenario,
        path: &Path,
    ) -> Result<Vec<LoadedScenario>, ScenarioError> {
        let table: toml::Table = base.resolved_toml.parse().unwrap_or_default();
        let mut out = vec![base.clone()];
        for (i, point) in self.points.iter().enumerate() {
            let mut overrides: Vec<(String, toml::Value)> = self
                .params
                .iter()
                .zip(point)
                .map(|(p, v)| (p.path.clone(), v.clone()))
                .collect();
            let name = variant_name(&self.name, i + 1);
            overrides.push(("name".into(), name.clone().into()));
            let l = scenario::with_overrides(path, table.clone(), base.sources.clone(), &overrides);
            // Name the variant, its values and the key in every problem it has.
            let mut l = l.map_err(|e| self.variant_error(e, path, i, point))?;
            l.sources = base.sources.clone();
            out.push(l);
        }
        Ok(out)
    }

    /// `variant N (NAME: key = value, ...)`, as errors name a variant.
    fn describe(&self, i: usize, point: &[toml::Value]) -> String {
        let values: Vec<String> = self
            .params
            .iter()
            .zip(point)
            .map(|(p, v)| {
                // A value as TOML, shortened: a fuzzed array can be huge.
                let v = v.to_string();
                match v.char_indices().nth(40) {
                    Some((cut, _)) => format!("{} = {}...", p.path, &v[..cut]),
                    None => format!("{} = {v}", p.path),
                }
            })
            .collect();
        format!(
            "variant {} ({}: {})",
            i + 1,
            variant_name(&self.name, i + 1),
            values.join(", ")
        )
    }

    /// An error of design point `i` as the user can act on it: the variant
    /// and its values named, a type error placed at the parameter's values
    /// in the sweep file.
    fn variant_error(
        &self,
        e: ScenarioError,
        path: &Path,
        i: usize,
        point: &[toml::Value],
    ) -> ScenarioError {
        let variant = self.describe(i, point);
        match e {
            ScenarioError::Invalid { file, problems } => ScenarioError::Invalid {
                file,
                problems: problems
                    .into_iter()
                    .map(|p| Problem {
                        path: format!("{variant}: {}", p.path),
                        message: p.message,
                    })
                    .collect(),
            },
            ScenarioError::Type {
                file,
                line,
                column,
                path: key,
                message,
                suggestion,
            } => {
                let param = self.params.iter().position(|p| {
                    key == p.path
                        || key
                            .strip_prefix(p.path.as_str())
                            .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
                });
                let place = param.and_then(|j| {
                    ["values", "min", "path"].iter().find_map(|k| {
                        scenario::locate_key(&self.text, &format!("parameters[{j}].{k}"))
                    })
                });
                let (file, line, column) = match place {
                    Some((l, c)) => (path.to_path_buf(), l, c),
                    None => (file, line, column),
                };
                ScenarioError::Type {
                    file,
                    line,
                    column,
                    path: key,
                    message: format!("in {variant}: {message}"),
                    suggestion,
                }
            }
            other => other,
        }
    }

    /// The base's values of the swept keys, as shown in `variants.csv`.
    pub fn base_values(&self, base: &LoadedScenario) -> Vec<String> {
        let table: toml::Table = base.resolved_toml.parse().unwrap_or_default();
        self.params
            .iter()
            .map(|p| {
                lookup(&table, &p.path)
                    .ok()
                    .flatten()
                    .map(show)
                    .unwrap_or_default()
            })
            .collect()
    }
}

pub fn variant_name(sweep: &str, i: usize) -> String {
    format!("{sweep}-v{i:04}")
}
