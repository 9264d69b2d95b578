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

use super::registry::{MAX_UTILISATION, MIN_UTILISATION, Range, Spec, Val};
pub use super::registry::{MAX_YEARS, MIN_BOUNCE_BACK_DAYS};

/// Students of one scenario the model can number (32-bit indices, with
/// room for the places re-used as students come and go). Runs above 50
/// million students are refused before they start unless asked for
/// (`--allow-large`); this bound holds even then.
pub const MAX_STUDENTS: u64 = 1_000_000_000;

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

    /// `v` at `path` against the registry's range of its key.
    fn check(&mut self, path: &str, spec: &Spec, v: Val<'_>) {
        let range = &spec.range;
        match v {
            Val::F(x) | Val::OptF(Some(x)) => self.value(path, range, x),
            Val::Arr(a) if *range == Range::Shares => self.shares(path, a),
            Val::Arr(a) => {
                for (i, x) in a.iter().enumerate() {
                    self.value(&format!("{path}[{i}]"), range, *x);
                }
            }
            Val::PerType(t) => {
                for s in SchoolType::ALL {
                    self.value(&format!("{path}.{}", s.as_str()), range, t.get(s));
                }
            }
            Val::U(n) => self.whole(path, range, n),
            Val::I(n) => {
                if let Range::Span { min, max } = *range
                    && !(min..=max).contains(&n)
                {
                    self.add(path, format!("must lie between {min} and {max}, got {n}"));
                }
            }
            Val::OptF(None) | Val::B(_) | Val::OptB(_) | Val::Other => {}
        }
    }

    /// A number against a range (`Custom` ranges are checked by hand).
    fn value(&mut self, path: &str, range: &Range, v: f64) {
        match *range {
            Range::Prob | Range::Shares => self.prob(path, v),
            Range::NonNegative { max, unit } => self.non_negative(path, v, (max, unit)),
            Range::Positive { max, unit } => self.positive(path, v, (max, unit)),
            Range::Utilisation { fixed, load } => {
                if self.finite(path, v)
                    && v != 0.0
                    && !(MIN_UTILISATION..=MAX_UTILISATION).contains(&v)
                {
                    self.add(
                        path,
                        format!(
                            "must be 0 ({fixed}) or lie in [{MIN_UTILISATION}, {MAX_UTILISATION}] ({load}), got {}",
                            fmt_value(v)
                        ),
                    );
                }
            }
            Range::None
            | Range::Custom { .. }
            | Range::Count { .. }
            | Range::Span { .. }
            | Range::Level => {}
        }
    }

    /// A whole number against a range.
    fn whole(&mut self, path: &str, range: &Range, n: u64) {
        match *range {
            Range::Count { zero: Some(z), .. } if n == 0 => {
                self.add(path, format!("must be at least 1{z}"));
            }
            Range::Count { min, max, unit, .. } => self.count(path, n, min, (max, unit)),
            Range::Level if !(1..=4).contains(&n) => {
                self.add(path, format!("must be a severity level 1 to 4, got {n}"));
            }
            _ => {}
        }
    }

    /// Every key of registry table `table` in `raw`.
    fn table(&mut self, raw: &RawScenario, table: &str) {
        super::registry::visit(raw, &mut |spec, v| {
            if spec.table == table {
                self.check(spec.path, &spec, v);
            }
        });
    }

    fn shares(&mut self, path: &str, vs: &[f64]) {
        for (i, v) in vs.iter().enumerate() {
            self.prob(&format!("{path}[{i}]"), *v);
        }
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
        c.table(&raw, "simulation");
        check_changes(&mut c, &raw.simulation);
        if raw.region.name.trim().is_empty() {
            c.add(
                "region.name",
                "is required: the area name of region-wide output rows",
            );
        }
        c.table(&raw, "region");
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
            (true, Some(f)) => c.value(
                &format!("{p}.factor"),
                &super::registry::spec("simulation.changes.factor").range,
                f,
            ),
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
        super::registry::visit_gemeenten(g, &mut |spec, v| c.check(&item(&p, spec), &spec, v));
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
            super::registry::visit_gemeenten_wijken(w, &mut |spec, v| {
                c.check(&item(&wp, spec), &spec, v)
            });
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
        super::registry::visit_schools(s, &mut |spec, v| c.check(&item(&p, spec), &spec, v));
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

/// The path of an item's key: `gemeenten[0]` and `wijken.risk` give
/// `gemeenten[0].risk`.
fn item(prefix: &str, spec: Spec) -> String {
    let field = spec.path.rsplit('.').next().unwrap_or(spec.path);
    format!("{prefix}.{field}")
}

/// Every parameter table's keys against their registry ranges, then the
/// checks across keys.
fn check_params(c: &mut Checker, raw: &RawScenario) {
    super::registry::visit(raw, &mut |spec, v| {
        if !matches!(spec.table, "simulation" | "region") {
            c.check(spec.path, &spec, v);
        }
    });

    let d = &raw.dsav;
    let key = "dsav.schools_per_specialist";
    let spec = super::registry::spec(key);
    let (least, most) = spec.range.bounds().unwrap_or((1.0, 1_000.0));
    if d.schools_per_specialist < least || !d.schools_per_specialist.is_finite() {
        c.add(
            key,
            format!("must be at least {least}, got {}", d.schools_per_specialist),
        );
    } else if d.schools_per_specialist > most {
        c.at_most(key, d.schools_per_specialist, (most, spec.unit));
    } else if d.hours_per_school_week * d.schools_per_specialist > 40.0 {
        c.add(
            "dsav.hours_per_school_week",
            format!(
                "{} hours at each of {} schools exceeds a specialist's 40-hour week; lower one of them",
                d.hours_per_school_week, d.schools_per_specialist
            ),
        );
    }

    let l = &raw.second_line;
    let key = "second_line.bounce_back_days";
    let spec = super::registry::spec(key);
    let (least, most) = spec
        .range
        .bounds()
        .unwrap_or((MIN_BOUNCE_BACK_DAYS, 3_650.0));
    if l.bounce_back_days.is_finite() && l.bounce_back_days < least {
        c.add(
            key,
            format!(
                "must be at least {least} day: a bounced referral tries again no sooner, or a cliëntenstop would have it retry without end; got {}",
                fmt_value(l.bounce_back_days)
            ),
        );
    } else {
        c.positive(key, l.bounce_back_days, (most, spec.unit));
    }

    let b = &raw.budget;
    if !b.cut_schedule.is_empty() && b.cut_levers.is_empty() {
        c.add(
            "budget.cut_levers",
            "a cut_schedule needs at least one lever to cut",
        );
    }
}
