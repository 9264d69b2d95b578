//! Semantic checks: every problem in a scenario is listed at once, each with
//! the dotted path of its key. Only a scenario without problems becomes a
//! [`Scenario`].

use super::error::{Problem, did_you_mean};
use super::raw::*;
use std::collections::HashMap;
use std::sync::Arc;

/// A gemeente of the region.
#[derive(Debug, Clone, PartialEq)]
pub struct Gemeente {
    pub name: String,
    pub inhabitants: f64,
    pub youth_budget_eur: f64,
    /// Index into `Scenario::jeugdregios`.
    pub jeugdregio: usize,
    /// CBS gemeente code (`GM0268`), where the scenario gives one.
    pub cbs_code: Option<String>,
    /// Levers set for this gemeente (or its jeugdregio) in `[[policies]]`.
    pub policy: super::scope::LocalPolicy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wijk {
    pub name: String,
    pub gemeente: usize,
    pub risk: f64,
    pub weight: f64,
    pub wijkteam_fte: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SchoolGroup {
    pub name: String,
    pub school_type: SchoolType,
    pub count: u32,
    pub students: u32,
    /// Wijken the schools stand in, round-robin (groups without a list of
    /// their own share one: every wijk of the region, or of a gemeente).
    pub wijken: Arc<[usize]>,
    pub catchment: Catchment,
    /// DSAV at this group's schools whatever the gemeente or region sets.
    pub dsav: Option<bool>,
}

/// The policy and behaviour parameters, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub needs: Needs,
    pub signalling: Signalling,
    pub school_route: SchoolRoute,
    pub collaboration: CollaborationParams,
    pub wijkteam: Wijkteam,
    pub huisarts: Huisarts,
    pub dsav: Dsav,
    pub integraal: Integraal,
    pub second_line: SecondLine,
    pub thuiszitters: Thuiszitters,
    pub cohorts: Cohorts,
    pub costs: Costs,
    pub budget: Budget,
    pub routes: Routes,
    pub lost_information: LostInformation,
    pub verblijf: Verblijf,
}

/// A validated scenario: names resolved to indices, every value in range.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub simulation: Simulation,
    pub region_name: String,
    pub pooled_budget: bool,
    pub swv_budget_eur: f64,
    pub gemeenten: Vec<Gemeente>,
    /// Names of the jeugdregio's (one unnamed one when none are given).
    pub jeugdregios: Vec<String>,
    pub wijken: Vec<Wijk>,
    pub school_groups: Vec<SchoolGroup>,
    pub params: Params,
    /// `[trends]`, checked (factors 1 where none is given).
    pub trends: super::trend::TrendSet,
}

/// An upper bound and the unit it counts in.
type Bound = (f64, &'static str);

// Upper bounds of the numeric keys; docs/SCENARIOS.md gives them as each
// key's range. They lie far above any real value and exist so that no input
// makes a run endless (a hazard of 1e308 per year fires at the same minute
// forever) or a sum of money overflow to `inf`: with every amount at most
// 1e11 EUR and every count of students, events and years bounded, no total
// in any output comes near f64's 1.8e308.
const RATE: Bound = (1_000.0, "per year");
const DAYS: Bound = (3_650.0, "days");
/// Bounds of a second-line target utilisation (planned load / capacity).
const MIN_UTILISATION: f64 = 0.5;
const MAX_UTILISATION: f64 = 3.0;
const WEEKS: Bound = (520.0, "weeks");
const HOURS: Bound = (40.0, "hours per week");
/// One unit cost (an FTE-year, a consult, a day of treatment).
const EUR: Bound = (10_000_000.0, "EUR");
/// A yearly budget.
const BUDGET: Bound = (1e11, "EUR per year");
const PER_1000: Bound = (1_000.0, "per 1,000 students");
const FTE: Bound = (100_000.0, "FTE");
const INHABITANTS: Bound = (100_000_000.0, "inhabitants");
const RISK: Bound = (100.0, "(a multiplier)");
/// A lever's factor from a year (`simulation.changes`).
const FACTOR: Bound = (100.0, "(a multiplier)");
const WEIGHT: Bound = (1_000_000.0, "(a relative weight)");
const LOG_SD: Bound = (3.0, "(sd of a logarithm)");

/// Years simulated after the warm-up, and of the warm-up.
pub const MAX_YEARS: u32 = 100;
/// `simulation.start_year` lies in this range, so every year label fits.
pub const START_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;
/// Schools in a group, and students in a school.
pub const MAX_SCHOOLS_PER_GROUP: u32 = 100_000;
pub const MAX_STUDENTS_PER_SCHOOL: u32 = 100_000;
/// Students of one scenario the model can number (32-bit indices, with
/// room for the places re-used as students come and go). Runs above 50
/// million students are refused before they start unless asked for
/// (`--allow-large`); this bound holds even then.
pub const MAX_STUDENTS: u64 = 1_000_000_000;
/// The shortest wait of a bounced referral: one day. A retry within the
/// same minute would find the same full list forever, and one a minute
/// later costs a minute's worth of events per bounced student for as long
/// as the cliëntenstop lasts.
pub const MIN_BOUNCE_BACK_DAYS: f64 = 1.0;

/// A value as written in messages: very large or small ones in exponent
/// form (1e308, not 309 digits).
fn fmt_value(v: f64) -> String {
    if v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// A bound as written in messages: whole numbers with thousands separators.
fn fmt_bound(v: f64) -> String {
    if v.fract() != 0.0 || !(0.0..1e15).contains(&v) {
        v.to_string()
    } else {
        thousands(v as u64)
    }
}

/// `n` with thousands separators: 1,000,000.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn finite(&mut self, path: &str, v: f64) -> bool {
        if v.is_finite() {
            true
        } else {
            self.add(path, format!("must be a finite number, got {v}"));
            false
        }
    }

    fn prob(&mut self, path: &str, v: f64) {
        if self.finite(path, v) && !(0.0..=1.0).contains(&v) {
            self.add(
                path,
                format!("is a probability and must lie in [0, 1], got {v}"),
            );
        }
    }

    /// `v` in [0, `max`] (`unit` names what `max` counts).
    fn non_negative(&mut self, path: &str, v: f64, max: Bound) {
        if !self.finite(path, v) {
        } else if v < 0.0 {
            self.add(path, format!("must not be negative, got {v}"));
        } else {
            self.at_most(path, v, max);
        }
    }

    /// `v` in (0, `max`].
    fn positive(&mut self, path: &str, v: f64, max: Bound) {
        if !self.finite(path, v) {
        } else if v <= 0.0 {
            self.add(path, format!("must be greater than 0, got {v}"));
        } else {
            self.at_most(path, v, max);
        }
    }

    fn at_most(&mut self, path: &str, v: f64, (max, unit): Bound) {
        if v > max {
            self.add(
                path,
                format!(
                    "must be at most {} {unit} (docs/SCENARIOS.md gives each key's range), got {}",
                    fmt_bound(max),
                    fmt_value(v)
                ),
            );
        }
    }

    /// An integer in [`min`, `max`].
    fn count(&mut self, path: &str, v: u64, min: u64, (max, unit): (u64, &str)) {
        if v < min || v > max {
            self.add(
                path,
                format!(
                    "must lie between {} and {} {unit}, got {v}",
                    fmt_bound(min as f64),
                    fmt_bound(max as f64)
                ),
            );
        }
    }

    fn probs(&mut self, path: &str, vs: &[f64]) {
        for (i, v) in vs.iter().enumerate() {
            self.prob(&format!("{path}[{i}]"), *v);
        }
    }

    fn rates(&mut self, path: &str, vs: &[f64]) {
        for (i, v) in vs.iter().enumerate() {
            self.non_negative(&format!("{path}[{i}]"), *v, RATE);
        }
    }

    fn shares(&mut self, path: &str, vs: &[f64]) {
        self.probs(path, vs);
        let sum: f64 = vs.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            self.add(path, format!("shares must sum to 1, they sum to {sum}"));
        }
    }
}

impl Scenario {
    /// Checks a raw scenario; returns every problem found.
    pub fn from_raw(raw: RawScenario) -> Result<Scenario, Vec<Problem>> {
        let mut c = Checker {
            problems: Vec::new(),
        };
        if raw.name.trim().is_empty() {
            c.add(
                "name",
                "is required: a short label used in every output row",
            );
        }
        let sim = &raw.simulation;
        if sim.years == 0 {
            c.add("simulation.years", "must be at least 1");
        } else {
            c.count(
                "simulation.years",
                sim.years.into(),
                1,
                (MAX_YEARS.into(), "years"),
            );
        }
        c.count(
            "simulation.warmup_years",
            sim.warmup_years.into(),
            0,
            (MAX_YEARS.into(), "years"),
        );
        if !START_YEARS.contains(&sim.start_year) {
            c.add(
                "simulation.start_year",
                format!(
                    "must lie between {} and {}, got {}",
                    START_YEARS.start(),
                    START_YEARS.end(),
                    sim.start_year
                ),
            );
        }
        check_changes(&mut c, &raw.simulation);
        if raw.region.name.trim().is_empty() {
            c.add(
                "region.name",
                "is required: the area name of region-wide output rows",
            );
        }
        c.non_negative("region.swv_budget_eur", raw.region.swv_budget_eur, BUDGET);
        let (mut gemeenten, wijken, jeugdregios) = check_structure(&mut c, &raw);
        let school_groups = check_schools(&mut c, &raw, &gemeenten, &wijken);
        super::scope::check(
            &mut c.problems,
            &raw,
            &mut gemeenten,
            &jeugdregios,
            &school_groups,
        );
        check_params(&mut c, &raw);
        let trends = super::trend::check(&raw.trends, &mut c.problems);
        let most = trends.population.max();
        let students: u64 = school_groups
            .iter()
            .map(|g| u64::from(g.count) * u64::from(g.students))
            .sum();
        if most > 1.0 && students as f64 * most > MAX_STUDENTS as f64 {
            c.add(
                "trends.population",
                format!(
                    "raises the {} students to more than a scenario holds ({}); lower its largest factor",
                    fmt_bound(students as f64),
                    fmt_bound(MAX_STUDENTS as f64)
                ),
            );
        }
        if !c.problems.is_empty() {
            return Err(c.problems);
        }
        Ok(Scenario {
            name: raw.name,
            description: raw.description,
            simulation: raw.simulation,
            region_name: raw.region.name,
            pooled_budget: raw.region.pooled_budget,
            swv_budget_eur: raw.region.swv_budget_eur,
            gemeenten,
            jeugdregios,
            wijken,
            school_groups,
            params: Params {
                needs: raw.needs,
                signalling: raw.signalling,
                school_route: raw.school_route,
                collaboration: raw.collaboration,
                wijkteam: raw.wijkteam,
                huisarts: raw.huisarts,
                dsav: raw.dsav,
                integraal: raw.integraal,
                second_line: raw.second_line,
                thuiszitters: raw.thuiszitters,
                cohorts: raw.cohorts,
                costs: raw.costs,
                budget: raw.budget,
                routes: raw.routes,
                lost_information: raw.lost_information,
                verblijf: raw.verblijf,
            },
            trends,
        })
    }

    pub fn students(&self) -> u64 {
        self.school_groups
            .iter()
            .map(|g| u64::from(g.count) * u64::from(g.students))
            .sum()
    }

    /// The calendar year of model year `y` (0-based, warm-up included):
    /// warm-up years are the calendar years before `start_year`.
    pub fn calendar_year(&self, y: u32) -> i32 {
        let sim = &self.simulation;
        (i64::from(sim.start_year) - i64::from(sim.warmup_years) + i64::from(y)) as i32
    }
}

/// `simulation.changes`: a year from the first output year on, a `factor`
/// exactly for numeric levers, a `model` exactly for `collaboration`, and
/// each policy introduced once.
fn check_changes(c: &mut Checker, sim: &Simulation) {
    for (i, ch) in sim.changes.iter().enumerate() {
        let p = format!("simulation.changes[{i}]");
        let lever = ch.lever.as_str();
        if ch.year < sim.start_year {
            c.add(
                format!("{p}.year"),
                format!(
                    "{} is before the first output year {} (`simulation.start_year`); a value that holds from the start belongs in the scenario itself",
                    ch.year, sim.start_year
                ),
            );
        }
        match (ch.lever.is_numeric(), ch.factor) {
            (true, Some(f)) => c.non_negative(&format!("{p}.factor"), f, FACTOR),
            (true, None) => c.add(
                format!("{p}.factor"),
                format!("`{lever}` is a numeric lever: give `factor` (e.g. 1.25 for 25% more)"),
            ),
            (false, Some(_)) => c.add(
                format!("{p}.factor"),
                format!("`{lever}` takes no `factor`; remove it"),
            ),
            (false, None) => {}
        }
        match (ch.lever == ChangeLever::Collaboration, ch.model) {
            (true, None) => c.add(
                format!("{p}.model"),
                "`collaboration` needs `model` (schotten, keten, netwerk or integraal)",
            ),
            (false, Some(_)) => c.add(
                format!("{p}.model"),
                format!("`{lever}` takes no `model`; remove it"),
            ),
            _ => {}
        }
        if let Some(policy) = ch.lever.policy() {
            if ch.scope.is_none() && sim.introduced.contains(&policy) {
                c.add(
                    format!("{p}.lever"),
                    format!("`{lever}` is also in `simulation.introduced`; give its start once"),
                );
            } else if sim.changes[..i]
                .iter()
                .any(|o| o.lever == ch.lever && o.scope == ch.scope)
            {
                c.add(
                    format!("{p}.lever"),
                    format!(
                        "`{lever}` is introduced twice in one scope; a policy starts once there"
                    ),
                );
            }
        }
        if ch.lever == ChangeLever::Collaboration
            && sim.changes[..i]
                .iter()
                .any(|o| o.lever == ch.lever && o.year == ch.year && o.scope == ch.scope)
        {
            c.add(
                format!("{p}.year"),
                format!("two `collaboration` changes in {}; keep one", ch.year),
            );
        }
    }
}

fn check_structure(c: &mut Checker, raw: &RawScenario) -> (Vec<Gemeente>, Vec<Wijk>, Vec<String>) {
    let mut gemeenten = Vec::new();
    let mut wijken = Vec::new();
    let mut jeugdregios: Vec<String> = Vec::new();
    let named = raw
        .gemeenten
        .iter()
        .filter(|g| !g.jeugdregio.is_empty())
        .count();
    if named > 0 && named < raw.gemeenten.len() {
        c.add("gemeenten", "give every gemeente a `jeugdregio`, or none");
    }
    if raw.gemeenten.is_empty() {
        c.add("gemeenten", "at least one [[gemeenten]] entry is required");
    }
    let mut seen_g: HashMap<&str, usize> = HashMap::new();
    let mut seen_w: HashMap<&str, String> = HashMap::new();
    let mut jeugdregio_index: HashMap<&str, usize> = HashMap::new();
    for (gi, g) in raw.gemeenten.iter().enumerate() {
        let p = format!("gemeenten[{gi}]");
        if g.name.trim().is_empty() {
            c.add(format!("{p}.name"), "is required");
        } else if g.name == raw.region.name {
            c.add(
                format!("{p}.name"),
                format!(
                    "`{}` is also the region's name; output areas must have unique names",
                    g.name
                ),
            );
        } else if seen_g.insert(&g.name, gi).is_some() {
            c.add(
                format!("{p}.name"),
                format!("gemeente `{}` is defined twice", g.name),
            );
        }
        c.non_negative(&format!("{p}.inhabitants"), g.inhabitants, INHABITANTS);
        c.non_negative(&format!("{p}.youth_budget_eur"), g.youth_budget_eur, BUDGET);
        if !g.cbs_code.is_empty() {
            let code = &g.cbs_code;
            if crate::state::cbs::gemeente_code(code).as_deref() != Some(code.as_str()) {
                c.add(
                    format!("{p}.cbs_code"),
                    format!(
                        "`{code}` is not a CBS gemeente code; write GM and 4 digits, as `GM0268`"
                    ),
                );
            } else if let Some(other) = raw.gemeenten[..gi].iter().find(|o| o.cbs_code == *code) {
                c.add(
                    format!("{p}.cbs_code"),
                    format!("`{code}` is also the code of gemeente `{}`", other.name),
                );
            }
        }
        if g.wijken.is_empty() {
            c.add(
                format!("{p}.wijken"),
                "each gemeente needs at least one wijk",
            );
        }
        for (wi, w) in g.wijken.iter().enumerate() {
            let wp = format!("{p}.wijken[{wi}]");
            if w.name.trim().is_empty() {
                c.add(format!("{wp}.name"), "is required");
            } else if let Some(other) = seen_w.insert(&w.name, wp.clone()) {
                c.add(
                    format!("{wp}.name"),
                    format!("wijk `{}` is also defined at {other}; wijk names must be unique in the region", w.name),
                );
            }
            c.non_negative(&format!("{wp}.risk"), w.risk, RISK);
            c.non_negative(&format!("{wp}.weight"), w.weight, WEIGHT);
            if let Some(f) = w.wijkteam_fte {
                c.non_negative(&format!("{wp}.wijkteam_fte"), f, FTE);
            }
            wijken.push(Wijk {
                name: w.name.clone(),
                gemeente: gi,
                risk: w.risk,
                weight: w.weight,
                wijkteam_fte: w.wijkteam_fte,
            });
        }
        let jr = *jeugdregio_index
            .entry(g.jeugdregio.as_str())
            .or_insert_with(|| {
                jeugdregios.push(g.jeugdregio.clone());
                jeugdregios.len() - 1
            });
        gemeenten.push(Gemeente {
            name: g.name.clone(),
            inhabitants: g.inhabitants,
            youth_budget_eur: g.youth_budget_eur,
            jeugdregio: jr,
            cbs_code: (!g.cbs_code.is_empty()).then(|| g.cbs_code.clone()),
            policy: Default::default(),
        });
    }
    (gemeenten, wijken, jeugdregios)
}

fn check_schools(
    c: &mut Checker,
    raw: &RawScenario,
    gemeenten: &[Gemeente],
    wijken: &[Wijk],
) -> Vec<SchoolGroup> {
    let mut groups = Vec::new();
    if raw.schools.is_empty() {
        c.add("schools", "at least one [[schools]] group is required");
    }
    // Names to indices (the first of equal names, as a search would find),
    // and the wijken a group without a `wijken` list stands in, built once
    // and shared: checking is linear in the size of the scenario.
    let mut gemeente_of: HashMap<&str, usize> = HashMap::new();
    for (i, g) in gemeenten.iter().enumerate() {
        gemeente_of.entry(g.name.as_str()).or_insert(i);
    }
    let mut wijk_of: HashMap<&str, usize> = HashMap::new();
    for (i, w) in wijken.iter().enumerate() {
        wijk_of.entry(w.name.as_str()).or_insert(i);
    }
    let all_wijken: Arc<[usize]> = (0..wijken.len()).collect();
    let mut per_gemeente = vec![Vec::new(); gemeenten.len()];
    for (i, w) in wijken.iter().enumerate() {
        per_gemeente[w.gemeente].push(i);
    }
    let per_gemeente: Vec<Arc<[usize]>> = per_gemeente.into_iter().map(Arc::from).collect();
    let jeugdregio_of = |w: usize| gemeenten[wijken[w].gemeente].jeugdregio;
    let region_spans_jeugdregios = all_wijken.first().is_some_and(|&first| {
        all_wijken
            .iter()
            .any(|&w| jeugdregio_of(w) != jeugdregio_of(first))
    });
    let mut students: u64 = 0;
    for (si, s) in raw.schools.iter().enumerate() {
        let p = format!("schools[{si}]");
        if s.count == 0 {
            c.add(format!("{p}.count"), "must be at least 1");
        } else {
            c.count(
                &format!("{p}.count"),
                s.count.into(),
                1,
                (MAX_SCHOOLS_PER_GROUP.into(), "schools"),
            );
        }
        if s.students == 0 {
            c.add(format!("{p}.students"), "must be at least 1");
        } else {
            c.count(
                &format!("{p}.students"),
                s.students.into(),
                1,
                (MAX_STUDENTS_PER_SCHOOL.into(), "students per school"),
            );
        }
        students = students.saturating_add(u64::from(s.count) * u64::from(s.students));
        let gemeente = if s.gemeente.is_empty() {
            None
        } else {
            let found = gemeente_of.get(s.gemeente.as_str()).copied();
            if found.is_none() {
                let hint = did_you_mean(&s.gemeente, gemeenten.iter().map(|g| g.name.as_str()))
                    .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
                c.add(
                    format!("{p}.gemeente"),
                    format!(
                        "unknown gemeente `{}`{hint}; define it under [[gemeenten]]",
                        s.gemeente
                    ),
                );
            }
            found
        };
        let mut ids = Vec::new();
        for (wi, name) in s.wijken.iter().enumerate() {
            match wijk_of.get(name.as_str()) {
                Some(&i) => ids.push(i),
                None => {
                    let hint = did_you_mean(name, wijken.iter().map(|w| w.name.as_str()))
                        .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
                    c.add(
                        format!("{p}.wijken[{wi}]"),
                        format!(
                            "unknown wijk `{name}`{hint}; define it under [[gemeenten.wijken]]"
                        ),
                    );
                }
            }
        }
        let (ids, spans_jeugdregios): (Arc<[usize]>, bool) = if s.wijken.is_empty() {
            match gemeente {
                // One gemeente lies in one jeugdregio.
                Some(g) => (per_gemeente[g].clone(), false),
                None => (all_wijken.clone(), region_spans_jeugdregios),
            }
        } else {
            if let Some(g) = gemeente
                && ids.iter().any(|&w| wijken[w].gemeente != g)
            {
                c.add(
                    format!("{p}.wijken"),
                    format!("lists a wijk outside gemeente `{}`", s.gemeente),
                );
            }
            let spans = ids.first().is_some_and(|&first| {
                ids.iter()
                    .any(|&w| jeugdregio_of(w) != jeugdregio_of(first))
            });
            (ids.into(), spans)
        };
        if spans_jeugdregios {
            c.add(
                format!("{p}.wijken"),
                "the schools stand in more than one jeugdregio; give each jeugdregio its own [[schools]] groups (or name `gemeente`)",
            );
        }
        let catchment = s.catchment.unwrap_or(match s.school_type {
            SchoolType::PO => Catchment::Wijk,
            _ => Catchment::Region,
        });
        groups.push(SchoolGroup {
            name: if s.name.is_empty() {
                format!("{}-{}", s.school_type.as_str(), si + 1)
            } else {
                s.name.clone()
            },
            school_type: s.school_type,
            count: s.count,
            students: s.students,
            wijken: ids,
            catchment,
            dsav: s.dsav,
        });
    }
    if students > MAX_STUDENTS {
        c.add(
            "schools",
            format!(
                "the groups hold {} students (count × students summed); a scenario holds at most {}",
                fmt_bound(students as f64),
                fmt_bound(MAX_STUDENTS as f64)
            ),
        );
    }
    groups
}

fn check_params(c: &mut Checker, raw: &RawScenario) {
    let n = &raw.needs;
    for t in SchoolType::ALL {
        c.non_negative(
            &format!("needs.onset_per_year.{}", t.as_str()),
            n.onset_per_year.get(t),
            RATE,
        );
    }
    c.shares("needs.onset_level_shares", &n.onset_level_shares);
    c.rates("needs.escalation_per_year", &n.escalation_per_year);
    c.rates("needs.resolution_per_year", &n.resolution_per_year);
    c.non_negative("needs.family_risk_sd", n.family_risk_sd, LOG_SD);

    let s = &raw.signalling;
    c.rates(
        "signalling.school_per_school_year",
        &s.school_per_school_year,
    );
    c.rates("signalling.parents_per_year", &s.parents_per_year);
    c.prob("signalling.gp_preference_mean", s.gp_preference_mean);
    c.rates("signalling.jeugdarts_per_year", &s.jeugdarts_per_year);
    c.non_negative(
        "signalling.leerplicht_per_year",
        s.leerplicht_per_year,
        RATE,
    );

    let r = &raw.routes;
    c.non_negative(
        "routes.gi_per_1000_per_year",
        r.gi_per_1000_per_year,
        (100.0, "orders per 1,000 students a year"),
    );
    c.shares("routes.gi_level_shares", &r.gi_level_shares);
    c.rates("routes.specialist_per_year", &r.specialist_per_year);
    c.probs(
        "routes.specialist_referral_prob",
        &r.specialist_referral_prob,
    );
    c.probs("routes.jeugdarts_referral_prob", &r.jeugdarts_referral_prob);
    c.rates("routes.self_referral_per_year", &r.self_referral_per_year);

    let r = &raw.school_route;
    c.prob(
        "school_route.basisondersteuning_success",
        r.basisondersteuning_success,
    );
    if r.ot_cadence_weeks == 0 {
        c.add(
            "school_route.ot_cadence_weeks",
            "must be at least 1 (school weeks between meetings)",
        );
    } else {
        c.count(
            "school_route.ot_cadence_weeks",
            r.ot_cadence_weeks.into(),
            1,
            (WEEKS.0 as u64, "school weeks"),
        );
    }
    c.non_negative(
        "school_route.smw_hours_per_week",
        r.smw_hours_per_week,
        HOURS,
    );
    c.non_negative(
        "school_route.smw_success_per_hour",
        r.smw_success_per_hour,
        (1.0, "per hour"),
    );
    c.probs("school_route.swv_arrangement_prob", &r.swv_arrangement_prob);
    c.probs(
        "school_route.swv_arrangement_success",
        &r.swv_arrangement_success,
    );
    c.positive(
        "school_route.swv_arrangement_weeks",
        r.swv_arrangement_weeks,
        WEEKS,
    );
    c.prob("school_route.huisarts_share", r.huisarts_share);

    if let Some(d) = raw.collaboration.handoff_delay_days {
        c.non_negative("collaboration.handoff_delay_days", d, DAYS);
    }
    if let Some(l) = raw.collaboration.information_loss {
        c.prob("collaboration.information_loss", l);
    }
    let li = &raw.lost_information;
    c.non_negative(
        "lost_information.delay_days",
        li.delay_days,
        (365.0, "days"),
    );
    c.prob("lost_information.success_penalty", li.success_penalty);

    let w = &raw.wijkteam;
    c.non_negative(
        "wijkteam.fte_per_1000_students",
        w.fte_per_1000_students,
        PER_1000,
    );
    c.positive(
        "wijkteam.intakes_per_fte_per_week",
        w.intakes_per_fte_per_week,
        (1_000.0, "intakes per FTE per week"),
    );
    c.positive(
        "wijkteam.caseload_per_fte",
        w.caseload_per_fte,
        (10_000.0, "cases per FTE"),
    );
    c.non_negative(
        "wijkteam.mandate_handoff_days",
        w.mandate_handoff_days,
        DAYS,
    );
    c.positive("wijkteam.light_help_weeks", w.light_help_weeks, WEEKS);
    c.probs("wijkteam.light_help_success", &w.light_help_success);
    if !(1..=4).contains(&w.max_light_level) {
        c.add(
            "wijkteam.max_light_level",
            format!("must be a severity level 1 to 4, got {}", w.max_light_level),
        );
    }
    c.count(
        "wijkteam.generalist_sessions",
        w.generalist_sessions.into(),
        0,
        (WEEKS.0 as u64, "weekly sessions"),
    );

    let h = &raw.huisarts;
    c.non_negative("huisarts.consult_delay_days", h.consult_delay_days, DAYS);
    c.probs("huisarts.referral_prob", &h.referral_prob);
    c.prob("huisarts.poh_coverage", h.poh_coverage);
    c.positive("huisarts.poh_weeks", h.poh_weeks, WEEKS);
    c.probs("huisarts.poh_success", &h.poh_success);
    c.positive(
        "huisarts.inhabitants_per_practice",
        h.inhabitants_per_practice,
        INHABITANTS,
    );
    c.count(
        "huisarts.poh_rollout_years",
        h.poh_rollout_years.into(),
        0,
        (MAX_YEARS.into(), "years"),
    );

    let d = &raw.dsav;
    c.non_negative("dsav.hours_per_school_week", d.hours_per_school_week, HOURS);
    if d.schools_per_specialist < 1.0 || !d.schools_per_specialist.is_finite() {
        c.add(
            "dsav.schools_per_specialist",
            format!("must be at least 1, got {}", d.schools_per_specialist),
        );
    } else if d.schools_per_specialist > 1_000.0 {
        c.at_most(
            "dsav.schools_per_specialist",
            d.schools_per_specialist,
            (1_000.0, "schools"),
        );
    } else if d.hours_per_school_week * d.schools_per_specialist > 40.0 {
        c.add(
            "dsav.hours_per_school_week",
            format!(
                "{} hours at each of {} schools exceeds a specialist's 40-hour week; lower one of them",
                d.hours_per_school_week, d.schools_per_specialist
            ),
        );
    }
    c.non_negative(
        "dsav.detection_boost_per_hour",
        d.detection_boost_per_hour,
        (10.0, "per hour"),
    );
    c.probs("dsav.intervention_success", &d.intervention_success);
    c.positive("dsav.intervention_weeks", d.intervention_weeks, WEEKS);
    c.prob("dsav.induced_referral_prob", d.induced_referral_prob);
    c.positive(
        "dsav.cases_per_hour",
        d.cases_per_hour,
        (100.0, "cases at once per weekly hour"),
    );

    let l = &raw.second_line;
    c.non_negative(
        "second_line.assessments_per_week_per_1000",
        l.assessments_per_week_per_1000,
        PER_1000,
    );
    c.non_negative(
        "second_line.treatment_slots_per_1000",
        l.treatment_slots_per_1000,
        PER_1000,
    );
    c.non_negative("second_line.assessment_days", l.assessment_days, DAYS);
    for (i, v) in l.treatment_median_days.iter().enumerate() {
        c.positive(&format!("second_line.treatment_median_days[{i}]"), *v, DAYS);
    }
    c.non_negative("second_line.treatment_sigma", l.treatment_sigma, LOG_SD);
    c.probs("second_line.treatment_success", &l.treatment_success);
    c.prob(
        "second_line.success_bonus_school_involved",
        l.success_bonus_school_involved,
    );
    c.non_negative(
        "second_line.clientenstop_queue_per_1000",
        l.clientenstop_queue_per_1000,
        PER_1000,
    );
    for (key, v) in [
        ("second_line.target_utilisation", l.target_utilisation),
        (
            "second_line.treatment_target_utilisation",
            l.treatment_target_utilisation,
        ),
    ] {
        if c.finite(key, v) && v != 0.0 && !(MIN_UTILISATION..=MAX_UTILISATION).contains(&v) {
            c.add(
                key,
                format!(
                    "must be 0 (fixed capacity from the per-1000 keys) or lie in [{MIN_UTILISATION}, {MAX_UTILISATION}] (planned load over capacity), got {}",
                    fmt_value(v)
                ),
            );
        }
    }
    c.count(
        "second_line.capacity_window_months",
        u64::from(l.capacity_window_months),
        1,
        (12, "months"),
    );
    c.non_negative(
        "second_line.dropout_per_week",
        l.dropout_per_week,
        (1.0, "per week"),
    );
    c.non_negative(
        "second_line.escalation_while_waiting",
        l.escalation_while_waiting,
        (3.0, "times the escalation of an unmet need"),
    );
    if l.bounce_back_days.is_finite() && l.bounce_back_days < MIN_BOUNCE_BACK_DAYS {
        c.add(
            "second_line.bounce_back_days",
            format!(
                "must be at least {MIN_BOUNCE_BACK_DAYS} day: a bounced referral tries again no sooner, or a cliëntenstop would have it retry without end; got {}",
                fmt_value(l.bounce_back_days)
            ),
        );
    } else {
        c.positive("second_line.bounce_back_days", l.bounce_back_days, DAYS);
    }

    c.rates(
        "thuiszitters.leave_school_per_year",
        &raw.thuiszitters.leave_school_per_year,
    );

    let h = &raw.cohorts;
    c.prob("cohorts.po_to_vso_if_severe", h.po_to_vso_if_severe);
    c.prob("cohorts.sbo_to_vso", h.sbo_to_vso);
    c.prob("cohorts.vo_to_mbo", h.vo_to_mbo);
    c.prob("cohorts.vso_to_mbo", h.vso_to_mbo);

    let k = &raw.costs;
    for (path, v) in [
        (
            "costs.wijkteam_fte_eur_per_year",
            k.wijkteam_fte_eur_per_year,
        ),
        ("costs.huisarts_consult_eur", k.huisarts_consult_eur),
        ("costs.poh_trajectory_eur", k.poh_trajectory_eur),
        (
            "costs.poh_practice_eur_per_year",
            k.poh_practice_eur_per_year,
        ),
        (
            "costs.swv_arrangement_eur_per_week",
            k.swv_arrangement_eur_per_week,
        ),
        ("costs.dsav_eur_per_hour", k.dsav_eur_per_hour),
        ("costs.assessment_eur", k.assessment_eur),
    ] {
        c.non_negative(path, v, EUR);
    }
    for (i, v) in k.treatment_eur_per_day.iter().enumerate() {
        c.non_negative(&format!("costs.treatment_eur_per_day[{i}]"), *v, EUR);
    }
    c.non_negative("costs.verblijf_eur_per_day", k.verblijf_eur_per_day, EUR);

    let v = &raw.verblijf;
    c.probs("verblijf.share", &v.share);
    c.prob("verblijf.share_court_order", v.share_court_order);
    c.positive("verblijf.median_days", v.median_days, DAYS);
    c.non_negative("verblijf.sigma", v.sigma, LOG_SD);
    c.non_negative("verblijf.places_per_1000", v.places_per_1000, PER_1000);
    let u = v.target_utilisation;
    if c.finite("verblijf.target_utilisation", u)
        && u != 0.0
        && !(MIN_UTILISATION..=MAX_UTILISATION).contains(&u)
    {
        c.add(
            "verblijf.target_utilisation",
            format!(
                "must be 0 (fixed places from verblijf.places_per_1000) or lie in [{MIN_UTILISATION}, {MAX_UTILISATION}] (planned load over places), got {}",
                fmt_value(u)
            ),
        );
    }
    c.non_negative(
        "verblijf.dropout_per_week",
        v.dropout_per_week,
        (1.0, "per week"),
    );

    let b = &raw.budget;
    c.probs("budget.cut_schedule", &b.cut_schedule);
    if !b.cut_schedule.is_empty() && b.cut_levers.is_empty() {
        c.add(
            "budget.cut_levers",
            "a cut_schedule needs at least one lever to cut",
        );
    }
}
