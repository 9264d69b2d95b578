//! One registry of the scenario's keys: every key of every raw struct of
//! `raw.rs` is declared once (dotted path, unit, meaning, valid range,
//! source and, for numbers, a prior), with its default read from the raw
//! struct's own `Default` (never retyped). Validation (`validate.rs`),
//! docs/SCENARIOS.md's key tables (`regiosim params --write-docs`), the
//! `params` command, sweep and `--set` key checks and calibration priors
//! all read it. `decl.rs` visits each raw struct with an exhaustive
//! destructuring, so a field added to a raw struct without a declaration
//! does not compile.

mod decl;
pub mod docs;

pub use decl::{
    MAX_SCHOOLS_PER_GROUP, MAX_STUDENTS_PER_SCHOOL, MAX_YEARS, MIN_BOUNCE_BACK_DAYS, visit,
    visit_change, visit_gemeenten, visit_gemeenten_wijken, visit_schools,
};

use super::raw::{PerSchoolType, RawScenario, SchoolType};
use std::sync::OnceLock;

/// What a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number, or numbers (its shape follows from the value).
    Number,
    Bool,
    /// Free text or a name.
    Text,
    /// One of a fixed set of words.
    Choice,
    /// A list of words or numbers.
    List,
    /// An array of tables (`[[gemeenten]]`) or a table of its own.
    Table,
}

/// The valid range of a number, as `validate.rs` checks it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// Not a number, or not range-checked.
    None,
    /// A probability, in [0, 1].
    Prob,
    /// In [0, max]; `unit` names what `max` counts (in messages).
    NonNegative { max: f64, unit: &'static str },
    /// In (0, max].
    Positive { max: f64, unit: &'static str },
    /// A whole number in [min, max]; with `zero`, 0 is refused with
    /// "must be at least 1" and that text.
    Count {
        min: u64,
        max: u64,
        unit: &'static str,
        zero: Option<&'static str>,
    },
    /// A whole number in [min, max] written without separators (a year).
    Span { min: i64, max: i64 },
    /// Shares per level that sum to 1.
    Shares,
    /// A severity level, 1 to 4.
    Level,
    /// 0 (fixed capacity: `fixed`) or in [0.5, 3] (`load`).
    Utilisation {
        fixed: &'static str,
        load: &'static str,
    },
    /// In [min, max], checked by hand in `validate.rs` (a cross-field rule
    /// or a message of its own), reading these bounds.
    Custom { min: f64, max: f64 },
}

/// Bounds of a second-line target utilisation (planned load / capacity).
pub const MIN_UTILISATION: f64 = 0.5;
pub const MAX_UTILISATION: f64 = 3.0;

impl Range {
    /// The smallest and largest valid value, where the range is numeric.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        match *self {
            Range::None => None,
            Range::Prob | Range::Shares => Some((0.0, 1.0)),
            Range::NonNegative { max, .. } | Range::Positive { max, .. } => Some((0.0, max)),
            Range::Count { min, max, .. } => Some((min as f64, max as f64)),
            Range::Span { min, max } => Some((min as f64, max as f64)),
            Range::Level => Some((1.0, 4.0)),
            Range::Utilisation { .. } => Some((0.0, MAX_UTILISATION)),
            Range::Custom { min, max } => Some((min, max)),
        }
    }

    /// Whether `v` lies in the range (NaN never does).
    pub fn contains(&self, v: f64) -> bool {
        if !v.is_finite() {
            return false;
        }
        match *self {
            Range::Positive { max, .. } => v > 0.0 && v <= max,
            Range::Utilisation { .. } => {
                v == 0.0 || (MIN_UTILISATION..=MAX_UTILISATION).contains(&v)
            }
            _ => self.bounds().is_none_or(|(lo, hi)| (lo..=hi).contains(&v)),
        }
    }
}

/// How a prior spreads its mass over its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dist {
    Uniform,
    /// Uniform in the logarithm (for hazards and durations).
    LogUniform,
}

impl Dist {
    pub fn as_str(self) -> &'static str {
        match self {
            Dist::Uniform => "uniform",
            Dist::LogUniform => "loguniform",
        }
    }
}

/// The plausible range of a prior.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plausible {
    /// The same bounds for the key (and each of its entries).
    Fixed(f64, f64),
    /// One pair per entry of an array (per level).
    PerEntry(&'static [(f64, f64)]),
    /// The default divided and multiplied by this factor, within the
    /// valid range (no prior for an entry whose default is 0).
    Around(f64),
}

/// A prior: a distribution over a plausible range (narrower than the
/// valid one), with where that range comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    pub dist: Dist,
    pub plausible: Plausible,
    /// The source of the range, or "assumption: " and a reason.
    pub why: &'static str,
}

/// One declared key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    /// Dotted path without indices (`gemeenten.wijken.risk`).
    pub path: &'static str,
    /// The key as docs/SCENARIOS.md's table shows it (`wijken.risk`).
    pub key: &'static str,
    /// The docs/SCENARIOS.md table it is listed in (its marker name).
    pub table: &'static str,
    pub kind: Kind,
    pub unit: &'static str,
    pub meaning: &'static str,
    pub range: Range,
    /// The range as the docs show it, where it says more than `range`.
    pub range_doc: Option<&'static str>,
    /// The default as the docs show it, where the value does not say it
    /// (text, lists, an unset option).
    pub default_doc: Option<&'static str>,
    pub source: &'static str,
    pub prior: Option<Prior>,
}

/// A value of a raw struct's field, as the registry sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    F(f64),
    /// An array (per level, per escalation step, a list of numbers).
    Arr(&'a [f64]),
    PerType(&'a PerSchoolType),
    U(u64),
    I(i64),
    B(bool),
    OptF(Option<f64>),
    OptB(Option<bool>),
    Other,
}

/// A field as a [`Val`].
pub trait AsVal {
    fn as_val(&self) -> Val<'_>;
}

macro_rules! as_val {
    ($($t:ty => |$s:ident| $e:expr),* $(,)?) => {
        $(impl AsVal for $t {
            fn as_val(&self) -> Val<'_> {
                let $s = self;
                $e
            }
        })*
    };
}

as_val! {
    f64 => |s| Val::F(*s),
    [f64; 4] => |s| Val::Arr(s),
    [f64; 3] => |s| Val::Arr(s),
    Vec<f64> => |s| Val::Arr(s),
    PerSchoolType => |s| Val::PerType(s),
    u8 => |s| Val::U(u64::from(*s)),
    u32 => |s| Val::U(u64::from(*s)),
    i32 => |s| Val::I(i64::from(*s)),
    bool => |s| Val::B(*s),
    Option<f64> => |s| Val::OptF(*s),
    Option<bool> => |s| Val::OptB(*s),
}

/// Fields the registry lists but does not range-check.
macro_rules! other {
    ($($t:ty),* $(,)?) => {
        $(impl AsVal for $t {
            fn as_val(&self) -> Val<'_> {
                Val::Other
            }
        })*
    };
}

other!(
    String,
    Option<String>,
    super::raw::SchoolType,
    super::raw::Collaboration,
    super::raw::ChangeLever,
    Option<super::raw::Catchment>,
    Option<super::raw::Collaboration>,
    Option<super::raw::TrendPoints>,
    Vec<String>,
    Vec<super::raw::Policy>,
    Vec<super::raw::Change>,
    Vec<super::raw::Lever>,
    Vec<SchoolType>,
    Vec<super::raw::RawGemeente>,
    Vec<super::raw::RawWijk>,
    Vec<super::raw::RawSchoolGroup>,
    Vec<super::raw::ScopedPolicy>,
    super::raw::Simulation,
    super::raw::Region,
    super::raw::Trends,
);

/// A declared key with its default as written in the docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub spec: Spec,
    /// The default, from the raw struct's `Default`.
    pub default: String,
    /// The shape of its value: scalar, per level, per school type, ...
    pub shape: &'static str,
    /// The default's numbers, one per entry (none for non-numbers).
    pub defaults: Vec<f64>,
}

impl Entry {
    /// The prior's bounds for entry `i` (0 for a scalar), where it has one.
    pub fn prior_bounds(&self, i: usize) -> Option<(Dist, f64, f64)> {
        let p = self.spec.prior?;
        let (lo, hi) = match p.plausible {
            Plausible::Fixed(lo, hi) => (lo, hi),
            Plausible::PerEntry(v) => *v.get(i)?,
            Plausible::Around(f) => {
                let d = *self.defaults.get(i)?;
                if d <= 0.0 {
                    return None;
                }
                let (vlo, vhi) = self.spec.range.bounds().unwrap_or((0.0, f64::INFINITY));
                ((d / f).max(vlo), (d * f).min(vhi))
            }
        };
        (lo < hi).then_some((p.dist, lo, hi))
    }

    /// The prior as text: `loguniform[0.3, 1.2]` (one pair per entry).
    pub fn prior_text(&self) -> String {
        let Some(p) = self.spec.prior else {
            return String::new();
        };
        let n = self.defaults.len().max(1);
        let parts: Vec<String> = (0..n)
            .map(|i| match self.prior_bounds(i) {
                Some((_, lo, hi)) => format!("[{}, {}]", short(lo), short(hi)),
                None => "-".into(),
            })
            .collect();
        format!("{} {}", p.dist.as_str(), parts.join(" "))
    }
}

/// A number with at most four significant decimals.
fn short(v: f64) -> String {
    let r = (v * 1e4).round() / 1e4;
    docs::number(if r == 0.0 && v != 0.0 { v } else { r })
}

fn shape_of(v: &Val<'_>, kind: Kind) -> &'static str {
    match (v, kind) {
        (Val::Arr(a), _) if a.len() == 4 => "per level",
        (Val::Arr(a), _) if a.len() == 3 => "per step (1→2, 2→3, 3→4)",
        (Val::Arr(_), _) => "list of numbers",
        (Val::PerType(_), _) => "per school type",
        (Val::U(_) | Val::I(_), _) => "whole number",
        (Val::F(_) | Val::OptF(_), _) => "scalar",
        (Val::B(_) | Val::OptB(_), _) | (_, Kind::Bool) => "bool",
        (_, Kind::Text) => "text",
        (_, Kind::Choice) => "choice",
        (_, Kind::List) => "list",
        (_, Kind::Table) => "table",
        (_, Kind::Number) => "scalar",
    }
}

fn entry(spec: Spec, v: Val<'_>) -> Entry {
    let defaults = match v {
        Val::F(x) => vec![x],
        Val::Arr(a) => a.to_vec(),
        Val::PerType(t) => SchoolType::ALL.iter().map(|&s| t.get(s)).collect(),
        Val::U(x) => vec![x as f64],
        Val::I(x) => vec![x as f64],
        Val::OptF(Some(x)) => vec![x],
        _ => Vec::new(),
    };
    let default = match spec.default_doc {
        Some(d) => d.to_string(),
        None => docs::value(&v),
    };
    Entry {
        shape: shape_of(&v, spec.kind),
        spec,
        default,
        defaults,
    }
}

/// Every declared key, in declaration order, defaults from `Default`.
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut out = Vec::new();
        let raw = RawScenario::default();
        visit(&raw, &mut |s, v| out.push(entry(s, v)));
        decl::visit_items(&mut |s, v| out.push(entry(s, v)));
        out
    })
}

/// The declared key at a dotted path as written in a scenario, sweep or
/// `--set` (`huisarts.referral_prob[1]`, `needs.onset_per_year.PO`,
/// `gemeenten[0].wijken[2].risk`): the entry and the index of the array
/// entry (0 for a scalar), or none when the path names no declared key.
pub fn find(path: &str) -> Option<(&'static Entry, usize)> {
    let mut plain = String::new();
    let mut index = 0;
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        plain.push_str(&rest[..open]);
        let close = rest[open..].find(']')? + open;
        index = rest[open + 1..close].trim().parse().ok()?;
        rest = &rest[close + 1..];
    }
    plain.push_str(rest);
    if let Some(e) = entries().iter().find(|e| e.spec.path == plain) {
        return Some((e, index));
    }
    // A school type's entry: `needs.onset_per_year.PO`.
    let (head, last) = plain.rsplit_once('.')?;
    let t = SchoolType::ALL.iter().position(|t| t.as_str() == last)?;
    let e = entries().iter().find(|e| e.spec.path == head)?;
    matches!(e.shape, "per school type").then_some((e, t))
}

/// The declared paths, for a did-you-mean.
pub fn paths() -> impl Iterator<Item = &'static str> {
    entries().iter().map(|e| e.spec.path)
}

/// The spec at a path without indices; panics on an undeclared path (a
/// defect: every path used in code is declared).
pub fn spec(path: &str) -> &'static Spec {
    match entries().iter().find(|e| e.spec.path == path) {
        Some(e) => &e.spec,
        None => panic!("`{path}` is not declared in scenario::registry"),
    }
}

/// `path` without its indices: `gemeenten[0].risk` gives `gemeenten.risk`.
fn plain(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for ch in path.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Whether `path` names a declared key, an entry of one, a table of keys
/// (`needs`) or a point inside a declared table (`trends.onset.2015`).
pub fn is_known(path: &str) -> bool {
    if find(path).is_some() {
        return true;
    }
    let p = plain(path);
    entries().iter().any(|e| {
        let d = e.spec.path;
        d.strip_prefix(p.as_str())
            .is_some_and(|r| r.starts_with('.'))
            || (e.spec.kind == Kind::Table && p.strip_prefix(d).is_some_and(|r| r.starts_with('.')))
    })
}

/// Refuses a key the registry does not declare: "unknown key `PATH`", with
/// a did-you-mean among the keys of the same table.
pub fn check_key(path: &str) -> Result<(), String> {
    if is_known(path) {
        return Ok(());
    }
    let p = plain(path);
    let (parent, last) = p.rsplit_once('.').unwrap_or(("", p.as_str()));
    let siblings = entries().iter().filter_map(|e| {
        let rest = if parent.is_empty() {
            Some(e.spec.path)
        } else {
            e.spec.path.strip_prefix(parent)?.strip_prefix('.')
        }?;
        Some(rest.split('.').next().unwrap_or(rest))
    });
    let hint = super::did_you_mean(last, siblings)
        .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
    Err(format!(
        "unknown key `{path}`{hint}; `regiosim params` lists every scenario key"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_the_raw_structs() {
        let (e, i) = find("needs.escalation_per_year[1]").unwrap();
        assert_eq!((e.defaults[i], i), (0.45, 1));
        let (e, i) = find("needs.onset_per_year.SO").unwrap();
        assert_eq!(
            e.defaults[i],
            super::super::raw::Needs::default().onset_per_year.SO
        );
        assert_eq!(
            find("costs.wijkteam_fte_eur_per_year").unwrap().0.default,
            "75,000"
        );
        assert!(find("needs.no_such_key").is_none());
        assert!(find("gemeenten[0].wijken[3].risk").is_some());
    }

    #[test]
    fn known_keys_include_tables_and_trend_points_and_unknown_ones_get_a_hint() {
        for k in [
            "needs",
            "trends.onset.2015",
            "gemeenten[1]",
            "simulation.changes[0].factor",
        ] {
            assert!(is_known(k), "{k}");
        }
        let e = check_key("dsav.hours_per_schoolweek").unwrap_err();
        assert!(e.contains("(did you mean `hours_per_school_week`?)"), "{e}");
        assert!(
            check_key("needs.onset_per_yer")
                .unwrap_err()
                .contains("(did you mean `onset_per_year`?)")
        );
    }

    #[test]
    fn every_path_is_declared_once_and_numbers_have_a_range() {
        let all = entries();
        for (i, e) in all.iter().enumerate() {
            assert!(
                all[..i].iter().all(|o| o.spec.path != e.spec.path),
                "{} declared twice",
                e.spec.path
            );
            if e.spec.kind == Kind::Number {
                assert!(e.spec.range != Range::None, "{} has no range", e.spec.path);
            }
        }
    }

    #[test]
    fn priors_lie_inside_the_valid_range_and_defaults_too() {
        for e in entries() {
            for (i, d) in e.defaults.iter().enumerate() {
                assert!(
                    e.spec.range == Range::None || e.spec.range.contains(*d),
                    "{}[{i}] default {d} outside its range",
                    e.spec.path
                );
                if let Some((_, lo, hi)) = e.prior_bounds(i) {
                    assert!(
                        e.spec.range.contains(lo) || lo == 0.0,
                        "{}[{i}] prior low {lo}",
                        e.spec.path
                    );
                    assert!(
                        e.spec.range.contains(hi),
                        "{}[{i}] prior high {hi}",
                        e.spec.path
                    );
                }
            }
        }
    }
}
