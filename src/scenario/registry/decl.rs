//! The declarations: one `visit_*` per raw struct of `raw.rs`, each taking
//! its struct apart with an exhaustive destructuring (no `..`), so that a
//! field added to a raw struct fails to compile until it is declared here.
//! Each field is handed on with its [`Spec`]; validation checks the value
//! against the spec's range, the registry listing takes the value of the
//! struct's `Default` as the default.

use super::{AsVal, Dist, Kind, Plausible, Prior, Range, Spec, Val};
use crate::scenario::raw::*;

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
/// Schools in a group, and students in a school.
pub const MAX_SCHOOLS_PER_GROUP: u32 = 100_000;
pub const MAX_STUDENTS_PER_SCHOOL: u32 = 100_000;
/// The shortest wait of a bounced referral: one day. A retry within the
/// same minute would find the same full list forever, and one a minute
/// later costs a minute's worth of events per bounced student for as long
/// as the cliëntenstop lasts.
pub const MIN_BOUNCE_BACK_DAYS: f64 = 1.0;

const fn nn((max, unit): Bound) -> Range {
    Range::NonNegative { max, unit }
}

const fn pos((max, unit): Bound) -> Range {
    Range::Positive { max, unit }
}

/// Visits every key of a scenario's tables (not the items of its arrays of
/// tables: [`visit_gemeenten`], [`visit_gemeenten_wijken`] and
/// [`visit_schools`] take those one by one), in the order `validate.rs`
/// checks them.
pub fn visit(raw: &RawScenario, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let RawScenario {
        name,
        description,
        description_nl,
        extends,
        simulation,
        region,
        gemeenten,
        schools,
        needs,
        signalling,
        school_route,
        collaboration,
        wijkteam,
        huisarts,
        dsav,
        integraal,
        second_line,
        thuiszitters,
        cohorts,
        costs,
        budget,
        routes,
        lost_information,
        verblijf,
        trends,
        policies,
    } = raw;
    for (key, meaning, value) in [
        (
            "name",
            "a short label used in the `scenario` column of every output (required)",
            name,
        ),
        ("description", "free text", description),
        (
            "description_nl",
            "the description in Dutch, shown by the Dutch report",
            description_nl,
        ),
    ] {
        v(top(key, meaning, Kind::Text), value.as_val());
    }
    v(
        top(
            "extends",
            "a parent scenario, path relative to this file",
            Kind::Text,
        ),
        extends.as_val(),
    );
    v(
        top("gemeenten", "the gemeenten (`[[gemeenten]]`)", Kind::Table),
        gemeenten.as_val(),
    );
    v(
        top("schools", "the school groups (`[[schools]]`)", Kind::Table),
        schools.as_val(),
    );
    v(
        top(
            "policies",
            "levers per gemeente or jeugdregio (`[[policies]]`)",
            Kind::Table,
        ),
        policies.as_val(),
    );
    visit_simulation(simulation, v);
    visit_region(region, v);
    visit_needs(needs, v);
    visit_signalling(signalling, v);
    visit_routes(routes, v);
    visit_school_route(school_route, v);
    visit_collaboration(collaboration, v);
    visit_lost_information(lost_information, v);
    visit_wijkteam(wijkteam, v);
    visit_huisarts(huisarts, v);
    visit_dsav(dsav, v);
    visit_integraal(integraal, v);
    visit_second_line(second_line, v);
    visit_thuiszitters(thuiszitters, v);
    visit_cohorts(cohorts, v);
    visit_costs(costs, v);
    visit_verblijf(verblijf, v);
    visit_budget(budget, v);
    visit_trends(trends, v);
}

/// A top-level key (described in docs/SCENARIOS.md's prose, no table).
fn top(key: &'static str, meaning: &'static str, kind: Kind) -> Spec {
    Spec {
        key,
        path: key,
        table: "",
        kind,
        unit: "text",
        range: Range::None,
        range_doc: None,
        default_doc: Some(""),
        meaning,
        source: "",
        prior: None,
    }
}

/// The keys of the items of arrays of tables, with each item struct's
/// `Default` (a `[[simulation.changes]]` entry has none: its keys are all
/// required or optional).
pub fn visit_items(v: &mut dyn FnMut(Spec, Val<'_>)) {
    visit_gemeenten(&RawGemeente::default(), v);
    visit_gemeenten_wijken(&RawWijk::default(), v);
    visit_schools(&RawSchoolGroup::default(), v);
    visit_policies(&ScopedPolicy::default(), v);
    visit_change(
        &Change {
            lever: ChangeLever::Dsav,
            year: Simulation::default().start_year,
            factor: None,
            model: None,
            scope: None,
        },
        v,
    );
}

/// `[[simulation.changes]]` (a two-column table in the docs).
pub fn visit_change(x: &Change, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Change {
        lever,
        year,
        factor,
        model,
        scope,
    } = x;
    let spec = |key: &'static str, path: &'static str, kind, range, meaning| Spec {
        key,
        path,
        table: "changes",
        kind,
        unit: "",
        range,
        range_doc: None,
        default_doc: Some("(required)"),
        meaning,
        source: "",
        prior: None,
    };
    v(
        spec(
            "lever",
            "simulation.changes.lever",
            Kind::Choice,
            Range::None,
            "what changes, one of the list below",
        ),
        lever.as_val(),
    );
    v(
        spec(
            "year",
            "simulation.changes.year",
            Kind::Number,
            Range::Custom {
                min: 1900.0,
                max: i32::MAX as f64,
            },
            "calendar year from which the change holds (≥ `start_year`)",
        ),
        year.as_val(),
    );
    v(
        spec(
            "factor",
            "simulation.changes.factor",
            Kind::Number,
            nn(FACTOR),
            "numeric levers only (required there): the multiplier from `year` on (0–100; 1.25 = 25% more)",
        ),
        factor.as_val(),
    );
    v(
        spec(
            "model",
            "simulation.changes.model",
            Kind::Choice,
            Range::None,
            "`collaboration` only (required there): `schotten`, `keten`, `netwerk` or `integraal`",
        ),
        model.as_val(),
    );
    v(
        spec(
            "scope",
            "simulation.changes.scope",
            Kind::Text,
            Range::None,
            "optional: `gemeente:NAME`, `jeugdregio:NAME` or `school:NAME`; the change holds there only (see \"Scoped levers\"); a policy starts once per scope",
        ),
        scope.as_val(),
    );
}

fn visit_simulation(x: &Simulation, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Simulation {
        years,
        warmup_years,
        start_year,
        introduced,
        changes,
    } = x;
    v(
        Spec {
            key: "years",
            path: "simulation.years",
            table: "simulation",
            kind: Kind::Number,
            unit: "years",
            range: Range::Count {
                min: 1,
                max: MAX_YEARS as u64,
                unit: "years",
                zero: Some(""),
            },
            meaning: "output years simulated after warm-up (`--years` overrides)",
            source: "DESIGN §3 (horizon)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        years.as_val(),
    );
    v(
        Spec {
            key: "warmup_years",
            path: "simulation.warmup_years",
            table: "simulation",
            kind: Kind::Number,
            unit: "years",
            range: Range::Count {
                min: 0,
                max: MAX_YEARS as u64,
                unit: "years",
                zero: None,
            },
            meaning: "years simulated first and not reported, so queues and need prevalence settle",
            source: "assumption: waiting lists and prevalence reach a steady level within about 3 years in test runs",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        warmup_years.as_val(),
    );
    v(
        Spec {
            key: "start_year",
            path: "simulation.start_year",
            table: "simulation",
            kind: Kind::Number,
            unit: "year",
            range: Range::Span {
                min: 1900,
                max: 2200,
            },
            meaning: "calendar year of the first output year; warm-up years are the calendar years before it (model year y is calendar year `start_year − warmup_years + y`), which is where `[trends]` and `changes` are read",
            source: "label, and the anchor of `[trends]`",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        start_year.as_val(),
    );
    v(
        Spec {
            key: "introduced",
            path: "simulation.introduced",
            table: "simulation",
            kind: Kind::List,
            unit: "list",
            range: Range::None,
            meaning: "policies that are off during the warm-up and start in the first output year: `dsav`, `poh`, `integraal` (a policy being introduced, rather than one already in place)",
            source: "design choice: transition effects such as the short-term rise in referrals (000 §1.1) need a start date",
            range_doc: Some("those three"),
            default_doc: Some("[]"),
            prior: None,
        },
        introduced.as_val(),
    );
    v(
        Spec {
            key: "changes",
            path: "simulation.changes",
            table: "simulation",
            kind: Kind::List,
            unit: "list",
            range: Range::None,
            meaning: "levers that change from a later year on: a list of `{ lever, year, factor }` (or `model`) entries, see below",
            source: "design choice: a lever introduced at a year, as `introduced` does for the first output year",
            range_doc: Some("see below"),
            default_doc: Some("[]"),
            prior: None,
        },
        changes.as_val(),
    );
}

fn visit_region(x: &Region, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Region {
        name,
        pooled_budget,
        swv_budget_eur,
    } = x;
    v(
        Spec {
            key: "name",
            path: "region.name",
            table: "region",
            kind: Kind::Text,
            unit: "text",
            range: Range::None,
            meaning: "area name of the region-wide output rows",
            source: "—",
            range_doc: Some("non-empty"),
            default_doc: Some("(required)"),
            prior: None,
        },
        name.as_val(),
    );
    v(
        Spec {
            key: "pooled_budget",
            path: "region.pooled_budget",
            table: "region",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "all gemeenten pay from one pot: the hard cap looks at the region's spending against the sum of budgets",
            source: "000 §5.3 (Drechtsteden: \"alle geld in één pot\")",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        pooled_budget.as_val(),
    );
    v(
        Spec {
            key: "swv_budget_eur",
            path: "region.swv_budget_eur",
            table: "region",
            kind: Kind::Number,
            unit: "EUR/year",
            range: nn(BUDGET),
            meaning: "the SWV's budget for arrangements per year; the OT grants no arrangement that would exceed it; 0: not limited",
            source: "000 §3.1, §4.1, §7.3 (negatieve verevening)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        swv_budget_eur.as_val(),
    );
}

pub fn visit_gemeenten(x: &RawGemeente, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let RawGemeente {
        name,
        jeugdregio,
        cbs_code,
        inhabitants,
        youth_budget_eur,
        wijken,
    } = x;
    v(
        Spec {
            key: "gemeenten.name",
            path: "gemeenten.name",
            table: "gemeenten",
            kind: Kind::Text,
            unit: "text",
            range: Range::None,
            meaning: "gemeente name, also an output area",
            source: "DESIGN §3",
            range_doc: None,
            default_doc: Some("(required, unique)"),
            prior: None,
        },
        name.as_val(),
    );
    v(
        Spec {
            key: "gemeenten.jeugdregio",
            path: "gemeenten.jeugdregio",
            table: "gemeenten",
            kind: Kind::Text,
            unit: "name",
            range: Range::None,
            meaning: "the jeugdregio of the gemeente: jeugdregio's are simulated as independent regions (own second line, catchments within the jeugdregio), in parallel; give it to every gemeente or to none; a `[[schools]]` group must stay inside one jeugdregio",
            source: "DESIGN §3 (42 jeugdregio's)",
            range_doc: None,
            default_doc: Some("\"\" (one region)"),
            prior: None,
        },
        jeugdregio.as_val(),
    );
    v(
        Spec {
            key: "gemeenten.cbs_code",
            path: "gemeenten.cbs_code",
            table: "gemeenten",
            kind: Kind::Text,
            unit: "`GM` and 4 digits",
            range: Range::None,
            meaning: "CBS gemeente code (`GM0268`), so that state files (docs/STATE.md) may name the gemeente by code; unique",
            source: "CBS StatLine `RegioS`",
            range_doc: None,
            default_doc: Some("\"\" (none)"),
            prior: None,
        },
        cbs_code.as_val(),
    );
    v(
        Spec {
            key: "gemeenten.inhabitants",
            path: "gemeenten.inhabitants",
            table: "gemeenten",
            kind: Kind::Number,
            unit: "persons",
            range: nn(INHABITANTS),
            meaning: "inhabitants; weights where students of gemeente- or region-wide schools live",
            source: "DESIGN §3 (populations)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        inhabitants.as_val(),
    );
    v(
        Spec {
            key: "gemeenten.youth_budget_eur",
            path: "gemeenten.youth_budget_eur",
            table: "gemeenten",
            kind: Kind::Number,
            unit: "EUR/year",
            range: nn(BUDGET),
            meaning: "youth (Jeugdwet) budget per year before cuts",
            source: "per scenario; the shipped baselines give EUR 1,450 per student living in the gemeente, the national gemeentefonds youth budget (EUR 3.8 bn, 2019) per modelled student; the model spends about 1.5 times it, as Dutch gemeenten do (docs/CALIBRATION.md, \"Youth budgets\")",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        youth_budget_eur.as_val(),
    );
    v(
        Spec {
            key: "gemeenten.wijken",
            path: "gemeenten.wijken",
            table: "",
            kind: Kind::Table,
            unit: "table",
            range: Range::None,
            meaning: "the gemeente's wijken (`[[gemeenten.wijken]]`, below)",
            source: "DESIGN §3",
            range_doc: None,
            default_doc: Some("[]"),
            prior: None,
        },
        wijken.as_val(),
    );
}

pub fn visit_gemeenten_wijken(x: &RawWijk, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let RawWijk {
        name,
        risk,
        weight,
        wijkteam_fte,
    } = x;
    v(
        Spec {
            key: "wijken.name",
            path: "gemeenten.wijken.name",
            table: "gemeenten",
            kind: Kind::Text,
            unit: "text",
            range: Range::None,
            meaning: "wijk name, unique in the region; each wijk has its own wijkteam",
            source: "—",
            range_doc: None,
            default_doc: Some("(required)"),
            prior: None,
        },
        name.as_val(),
    );
    v(
        Spec {
            key: "wijken.risk",
            path: "gemeenten.wijken.risk",
            table: "gemeenten",
            kind: Kind::Number,
            unit: "factor",
            range: nn(RISK),
            meaning: "multiplier on the onset hazard of needs for students living here",
            source: "assumption per scenario (relative deprivation)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        risk.as_val(),
    );
    v(
        Spec {
            key: "wijken.weight",
            path: "gemeenten.wijken.weight",
            table: "gemeenten",
            kind: Kind::Number,
            unit: "weight",
            range: nn(WEIGHT),
            meaning: "share of the gemeente's inhabitants living here (relative)",
            source: "assumption: even split unless known",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        weight.as_val(),
    );
    v(
        Spec {
            key: "wijken.wijkteam_fte",
            path: "gemeenten.wijken.wijkteam_fte",
            table: "gemeenten",
            kind: Kind::Number,
            unit: "FTE",
            range: nn(FTE),
            meaning: "wijkteam staff; omitted: `wijkteam.fte_per_1000_students` × students living in the wijk / 1000",
            source: "per scenario",
            range_doc: None,
            default_doc: Some("—"),
            prior: None,
        },
        wijkteam_fte.as_val(),
    );
}

pub fn visit_schools(x: &RawSchoolGroup, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let RawSchoolGroup {
        name,
        school_type,
        count,
        students,
        wijken,
        gemeente,
        catchment,
        dsav,
    } = x;
    v(
        Spec {
            key: "name",
            path: "schools.name",
            table: "schools",
            kind: Kind::Text,
            unit: "text",
            range: Range::None,
            meaning: "name prefix of the group",
            source: "—",
            range_doc: None,
            default_doc: Some("`TYPE-n`"),
            prior: None,
        },
        name.as_val(),
    );
    v(
        Spec {
            key: "type",
            path: "schools.type",
            table: "schools",
            kind: Kind::Choice,
            unit: "—",
            range: Range::None,
            meaning: "`PO`, `SBO`, `SO`, `VO`, `VSO` or `MBO`",
            source: "DESIGN §2",
            range_doc: Some("those six"),
            default_doc: Some("`PO`"),
            prior: None,
        },
        school_type.as_val(),
    );
    v(
        Spec {
            key: "count",
            path: "schools.count",
            table: "schools",
            kind: Kind::Number,
            unit: "schools",
            range: Range::Count {
                min: 1,
                max: MAX_SCHOOLS_PER_GROUP as u64,
                unit: "schools",
                zero: Some(""),
            },
            meaning: "schools in the group",
            source: "DESIGN §3 structural inputs",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        count.as_val(),
    );
    v(
        Spec {
            key: "students",
            path: "schools.students",
            table: "schools",
            kind: Kind::Number,
            unit: "students",
            range: Range::Count {
                min: 1,
                max: MAX_STUDENTS_PER_SCHOOL as u64,
                unit: "students per school",
                zero: Some(""),
            },
            meaning: "students per school (kept constant: leavers are replaced; times the `[trends]` population factor where one is given)",
            source: "DESIGN §3 (basisonderwijs averages 226)",
            range_doc: Some("1–100,000 (all groups together: at most 10⁹)"),
            default_doc: None,
            prior: None,
        },
        students.as_val(),
    );
    v(
        Spec {
            key: "wijken",
            path: "schools.wijken",
            table: "schools",
            kind: Kind::List,
            unit: "names",
            range: Range::None,
            meaning: "wijken the schools stand in, round-robin; empty: all wijken of `gemeente` (or of the region)",
            source: "—",
            range_doc: Some("existing wijken"),
            default_doc: Some("[]"),
            prior: None,
        },
        wijken.as_val(),
    );
    v(
        Spec {
            key: "gemeente",
            path: "schools.gemeente",
            table: "schools",
            kind: Kind::Text,
            unit: "name",
            range: Range::None,
            meaning: "restricts the group to one gemeente",
            source: "—",
            range_doc: Some("existing gemeente"),
            default_doc: Some("\"\""),
            prior: None,
        },
        gemeente.as_val(),
    );
    v(
        Spec {
            key: "catchment",
            path: "schools.catchment",
            table: "schools",
            kind: Kind::Choice,
            unit: "—",
            range: Range::None,
            meaning: "where students live: `wijk` (the school's own), `gemeente` or `region`",
            source: "002 (PO draws from its wijk; VO from many wijken and gemeenten; MBO regional)",
            range_doc: None,
            default_doc: Some("`wijk` for PO, else `region`"),
            prior: None,
        },
        catchment.as_val(),
    );
    v(
        Spec {
            key: "dsav",
            path: "schools.dsav",
            table: "schools",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "DSAV at this group's schools whatever `dsav.enabled` or the gemeente's `[[policies]]` say (a pilot: `true`; a group left out: `false`); the group's type must be in `dsav.school_types`. Hours, caseload limit, costs and timing (`introduced`, `changes`) are the region's",
            source: "design choice (see \"Scoped levers\")",
            range_doc: None,
            default_doc: Some("none (as the gemeente, else the region)"),
            prior: None,
        },
        dsav.as_val(),
    );
}

fn visit_needs(x: &Needs, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Needs {
        onset_per_year,
        onset_level_shares,
        escalation_per_year,
        resolution_per_year,
        family_risk_sd,
    } = x;
    v(
        Spec {
            key: "onset_per_year",
            path: "needs.onset_per_year",
            table: "needs",
            kind: Kind::Number,
            unit: "per year",
            range: nn(RATE),
            meaning: "hazard of a new need for a student without one, per school type (`{PO, SBO, SO, VO, VSO, MBO}`), at wijk risk 1 and average family risk",
            source: "fitted, as the 2023 level, through the history 2015-2023 (scenarios/nijmegen-2015.toml) to the CBS 2016 shares of students with jeugdhulp by school type and the overall 11% (000 §1.1) and 2023's 13.5% (CBS 85098NED; docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the fitted value (docs/CALIBRATION.md) halved or doubled",
            }),
        },
        onset_per_year.as_val(),
    );
    v(
        Spec {
            key: "onset_level_shares",
            path: "needs.onset_level_shares",
            table: "needs",
            kind: Kind::Number,
            unit: "shares per level",
            range: Range::Shares,
            meaning: "severity of a new need",
            source: "assumption: most needs start light (000 §1.1, 004)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        onset_level_shares.as_val(),
    );
    v(
        Spec {
            key: "escalation_per_year",
            path: "needs.escalation_per_year",
            table: "needs",
            kind: Kind::Number,
            unit: "per year",
            range: nn(RATE),
            meaning: "hazard that an unmet need rises one level (1→2, 2→3, 3→4); runs while waiting too",
            source: "assumption (verergering, DESIGN §3)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::PerEntry(&[(0.3, 1.2), (0.2, 0.9), (0.125, 0.5)]),
                why: "calibration/*.toml for 1→2 and 2→3; 3→4 assumption: the default halved or doubled",
            }),
        },
        escalation_per_year.as_val(),
    );
    v(
        Spec {
            key: "resolution_per_year",
            path: "needs.resolution_per_year",
            table: "needs",
            kind: Kind::Number,
            unit: "per year per level",
            range: nn(RATE),
            meaning: "hazard that an unmet need resolves by itself",
            source: "assumption: light needs often pass",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        resolution_per_year.as_val(),
    );
    v(
        Spec {
            key: "family_risk_sd",
            path: "needs.family_risk_sd",
            table: "needs",
            kind: Kind::Number,
            unit: "—",
            range: nn(LOG_SD),
            meaning: "sd of the log of a family's risk multiplier (mean 1)",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.3, 1.0),
                why: "assumption: families differ by a factor of about 2 to 7 between the 16th and 84th percentile",
            }),
        },
        family_risk_sd.as_val(),
    );
}

fn visit_signalling(x: &Signalling, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Signalling {
        school_per_school_year,
        parents_per_year,
        gp_preference_mean,
        jeugdarts_per_year,
        leerplicht_per_year,
    } = x;
    v(
        Spec {
            key: "school_per_school_year",
            path: "signalling.school_per_school_year",
            table: "signalling",
            kind: Kind::Number,
            unit: "per school year (40 weeks) per level",
            range: nn(RATE),
            meaning: "hazard that the school (teacher, IB'er, zorgcoördinator) signals a need; runs only in school weeks",
            source: "assumption: detection grows with severity (DESIGN §3)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::PerEntry(&[(0.4, 1.6), (1.0, 4.0), (2.0, 8.0), (3.0, 12.0)]),
                why: "calibration/nijmegen-quick.toml for levels 1-2; levels 3-4 assumption: the default halved or doubled",
            }),
        },
        school_per_school_year.as_val(),
    );
    v(
        Spec {
            key: "parents_per_year",
            path: "signalling.parents_per_year",
            table: "signalling",
            kind: Kind::Number,
            unit: "per year per level",
            range: nn(RATE),
            meaning: "hazard that parents seek help",
            source: "assumption; Drechtsteden's [0.77, 2.3, 5.12, 7.67] is fitted to about half of referrals via the huisarts (000 §5.5; docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.6),
                why: "assumption: Drechtsteden's fitted values lie 2.6 times above the default (docs/CALIBRATION.md)",
            }),
        },
        parents_per_year.as_val(),
    );
    v(
        Spec {
            key: "gp_preference_mean",
            path: "signalling.gp_preference_mean",
            table: "signalling",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "share of families who go to the huisarts rather than the wijkteam",
            source: "000 §6.2 (some prefer the GP to a \"keukentafelgesprek\"); Drechtsteden 0.7 (000 §5.5)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.2, 0.9),
                why: "calibration/nijmegen-quick.toml (000 §5.5: Drechtsteden 0.7)",
            }),
        },
        gp_preference_mean.as_val(),
    );
    v(
        Spec {
            key: "jeugdarts_per_year",
            path: "signalling.jeugdarts_per_year",
            table: "signalling",
            kind: Kind::Number,
            unit: "per year per level",
            range: nn(RATE),
            meaning: "hazard that the jeugdarts signals; the jeugdarts refers directly with `routes.jeugdarts_referral_prob`, else the case goes to the wijkteam",
            source: "assumption; raised in 0.5.0 with the jeugdarts route so that the jeugdarts refers about 3% (DATA.md \"Who referred\"; docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        jeugdarts_per_year.as_val(),
    );
    v(
        Spec {
            key: "leerplicht_per_year",
            path: "signalling.leerplicht_per_year",
            table: "signalling",
            kind: Kind::Number,
            unit: "per year",
            range: nn(RATE),
            meaning: "hazard that leerplicht signals a student who is out of school",
            source: "assumption: absence is noticed within about two months (000 §6.2)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(2.0, 12.0),
                why: "assumption: absence is noticed within one to six months",
            }),
        },
        leerplicht_per_year.as_val(),
    );
}

fn visit_routes(x: &Routes, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Routes {
        gi_per_1000_per_year,
        gi_level_shares,
        specialist_per_year,
        specialist_referral_prob,
        jeugdarts_referral_prob,
        self_referral_per_year,
    } = x;
    v(
        Spec {
            key: "gi_per_1000_per_year",
            path: "routes.gi_per_1000_per_year",
            table: "routes",
            kind: Kind::Number,
            unit: "per 1,000 students a year",
            range: nn((100.0, "orders per 1,000 students a year")),
            meaning: "court-ordered youth protection measures (a gecertificeerde instelling refers) begun per 1,000 students a year, times the family risk; drawn once per student and year, whatever the student's need or care, so DSAV, POH or the wijkteam cannot prevent them; a youth already in the second line is left there",
            source: "fitted to the GI's national ~8% of referrals (DATA.md; docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the fitted value within half again (docs/CALIBRATION.md)",
            }),
        },
        gi_per_1000_per_year.as_val(),
    );
    v(
        Spec {
            key: "gi_level_shares",
            path: "routes.gi_level_shares",
            table: "routes",
            kind: Kind::Number,
            unit: "shares per level",
            range: Range::Shares,
            meaning: "severity of the need at a court order (a need already more severe stays so; a student without a need begins one)",
            source: "assumption: youth protection concerns severe situations",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        gi_level_shares.as_val(),
    );
    v(
        Spec {
            key: "specialist_per_year",
            path: "routes.specialist_per_year",
            table: "routes",
            kind: Kind::Number,
            unit: "per year per level",
            range: nn(RATE),
            meaning: "hazard that an unmet need brings the youth to a medisch specialist (paediatrics, psychiatry: a hospital path)",
            source: "fitted to the specialists' national ~5% (DATA.md; docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        specialist_per_year.as_val(),
    );
    v(
        Spec {
            key: "specialist_referral_prob",
            path: "routes.specialist_referral_prob",
            table: "routes",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance the specialist refers to the second line (else the need stays unmet)",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the default within half again",
            }),
        },
        specialist_referral_prob.as_val(),
    );
    v(
        Spec {
            key: "jeugdarts_referral_prob",
            path: "routes.jeugdarts_referral_prob",
            table: "routes",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance the jeugdarts who signals a need refers it directly (else it goes to the wijkteam)",
            source: "fitted with `signalling.jeugdarts_per_year` to the jeugdarts's national ~3% (DATA.md; docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the default within half again",
            }),
        },
        jeugdarts_referral_prob.as_val(),
    );
    v(
        Spec {
            key: "self_referral_per_year",
            path: "routes.self_referral_per_year",
            table: "routes",
            kind: Kind::Number,
            unit: "per year per level",
            range: nn(RATE),
            meaning: "hazard that parents go straight to free-access care or refer themselves (no referrer)",
            source: "fitted to the national ~15% without a referrer (DATA.md; docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        self_referral_per_year.as_val(),
    );
}

fn visit_school_route(x: &SchoolRoute, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let SchoolRoute {
        basisondersteuning_success,
        ot_cadence_weeks,
        smw_hours_per_week,
        smw_success_per_hour,
        swv_arrangement_prob,
        swv_arrangement_success,
        swv_arrangement_weeks,
        huisarts_share,
    } = x;
    v(
        Spec {
            key: "basisondersteuning_success",
            path: "school_route.basisondersteuning_success",
            table: "school_route",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "chance that basisondersteuning resolves a level-1 need the school signalled",
            source: "assumption (DESIGN §2)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.15, 0.6),
                why: "assumption: basisondersteuning resolves a minority to a majority of light needs",
            }),
        },
        basisondersteuning_success.as_val(),
    );
    v(
        Spec {
            key: "ot_cadence_weeks",
            path: "school_route.ot_cadence_weeks",
            table: "school_route",
            kind: Kind::Number,
            unit: "school weeks",
            range: Range::Count {
                min: 1,
                max: WEEKS.0 as u64,
                unit: "school weeks",
                zero: Some(" (school weeks between meetings)"),
            },
            meaning: "school weeks between ondersteuningsteam meetings",
            source: "DESIGN §3 (\"e.g. every 6 school weeks\")",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        ot_cadence_weeks.as_val(),
    );
    v(
        Spec {
            key: "smw_hours_per_week",
            path: "school_route.smw_hours_per_week",
            table: "school_route",
            kind: Kind::Number,
            unit: "hours/week",
            range: nn(HOURS),
            meaning: "school social work presence",
            source: "000 §6.2 (1–2 h/week)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        smw_hours_per_week.as_val(),
    );
    v(
        Spec {
            key: "smw_success_per_hour",
            path: "school_route.smw_success_per_hour",
            table: "school_route",
            kind: Kind::Number,
            unit: "probability per hour",
            range: nn((1.0, "per hour")),
            meaning: "chance per weekly smw hour that smw resolves a level 1–2 need (capped at 0.9)",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.05, 0.2),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        smw_success_per_hour.as_val(),
    );
    v(
        Spec {
            key: "swv_arrangement_prob",
            path: "school_route.swv_arrangement_prob",
            table: "school_route",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance the OT grants an SWV arrangement instead of handing off to the wijkteam",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        swv_arrangement_prob.as_val(),
    );
    v(
        Spec {
            key: "swv_arrangement_success",
            path: "school_route.swv_arrangement_success",
            table: "school_route",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance an arrangement resolves the need",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        swv_arrangement_success.as_val(),
    );
    v(
        Spec {
            key: "swv_arrangement_weeks",
            path: "school_route.swv_arrangement_weeks",
            table: "school_route",
            kind: Kind::Number,
            unit: "weeks",
            range: pos(WEEKS),
            meaning: "length of an arrangement",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(10.0, 40.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        swv_arrangement_weeks.as_val(),
    );
    v(
        Spec {
            key: "huisarts_share",
            path: "school_route.huisarts_share",
            table: "school_route",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "chance that the OT, granting no arrangement, sends the parents to the huisarts (a hand-off with the collaboration's delay and loss; the huisarts then refers as CBS counts it) instead of handing the case to the wijkteam; not under integraal arrangeren",
            source: "fitted with the `[routes]` keys to the national referrer shares, the huisarts's 38.5% (DATA.md \"Who referred\"; docs/CALIBRATION.md); without it the huisarts refers 14% outside Drechtsteden",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.3, 0.9),
                why: "assumption: the fitted value (docs/CALIBRATION.md) within about half",
            }),
        },
        huisarts_share.as_val(),
    );
}

fn visit_collaboration(x: &CollaborationParams, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let CollaborationParams {
        model,
        handoff_delay_days,
        information_loss,
    } = x;
    v(
        Spec {
            key: "model",
            path: "collaboration.model",
            table: "collaboration",
            kind: Kind::Choice,
            unit: "—",
            range: Range::None,
            meaning: "`schotten`, `keten`, `netwerk` or `integraal`; sets hand-off delay and information loss: 35 d/0.5, 21 d/0.3, 10 d/0.15, 3 d/0.05",
            source: "004 (forms of collaboration); values are assumptions ordered as 004 describes",
            range_doc: Some("those four"),
            default_doc: Some("`keten`"),
            prior: None,
        },
        model.as_val(),
    );
    v(
        Spec {
            key: "handoff_delay_days",
            path: "collaboration.handoff_delay_days",
            table: "collaboration",
            kind: Kind::Number,
            unit: "days",
            range: nn(DAYS),
            meaning: "overrides the model's hand-off delay (school → wijkteam)",
            source: "—",
            range_doc: None,
            default_doc: Some("preset"),
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(3.0, 35.0),
                why: "004: the presets, from integraal (3 days) to schotten (35)",
            }),
        },
        handoff_delay_days.as_val(),
    );
    v(
        Spec {
            key: "information_loss",
            path: "collaboration.information_loss",
            table: "collaboration",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "overrides the chance a hand-off loses information (the family tells its story again; what that costs: `[lost_information]`)",
            source: "000 §6.2 (\"de dood in de pot\")",
            range_doc: None,
            default_doc: Some("preset"),
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.05, 0.5),
                why: "004: the presets, from integraal (0.05) to schotten (0.5)",
            }),
        },
        information_loss.as_val(),
    );
}

fn visit_lost_information(x: &LostInformation, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let LostInformation {
        delay_days,
        success_penalty,
    } = x;
    v(
        Spec {
            key: "delay_days",
            path: "lost_information.delay_days",
            table: "lost_information",
            kind: Kind::Number,
            unit: "days",
            range: nn((365.0, "days")),
            meaning: "the hand-off takes this much longer (the story told again, the file rebuilt: a repeated assessment)",
            source: "assumption: about one extra intake appointment's wait",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(7.0, 28.0),
                why: "assumption: one to four weeks for an extra intake appointment",
            }),
        },
        delay_days.as_val(),
    );
    v(
        Spec {
            key: "success_penalty",
            path: "lost_information.success_penalty",
            table: "lost_information",
            kind: Kind::Number,
            unit: "probability (absolute)",
            range: Range::Prob,
            meaning: "the first-line help that follows (light help, POH, SWV arrangement, DSAV) succeeds this much less often, for the rest of the case",
            source: "assumption: help built on half a story (000 §6.2)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.0, 0.2),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        success_penalty.as_val(),
    );
}

fn visit_wijkteam(x: &Wijkteam, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Wijkteam {
        fte_per_1000_students,
        intakes_per_fte_per_week,
        caseload_per_fte,
        mandate,
        mandate_handoff_days,
        light_help_weeks,
        light_help_success,
        max_light_level,
        generalist_sessions,
    } = x;
    v(
        Spec {
            key: "fte_per_1000_students",
            path: "wijkteam.fte_per_1000_students",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "FTE",
            range: nn(PER_1000),
            meaning: "staff per 1,000 students living in the wijk (when a wijk has no `wijkteam_fte`)",
            source: "assumption: Oost Achterhoek's OT (14 for about 14,500 students, 000 §3.2) and Deventer's 21 gezinscoaches (000 §4.2) are about 1 per 1,000; waits near the Treeknorm (docs/CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.8, 1.6),
                why: "000 §3.2, §4.2: about 1 FTE per 1,000 students in two seed regions",
            }),
        },
        fte_per_1000_students.as_val(),
    );
    v(
        Spec {
            key: "intakes_per_fte_per_week",
            path: "wijkteam.intakes_per_fte_per_week",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "intakes/FTE/week",
            range: pos((1_000.0, "intakes per FTE per week")),
            meaning: "intake capacity",
            source: "assumption (see CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        intakes_per_fte_per_week.as_val(),
    );
    v(
        Spec {
            key: "caseload_per_fte",
            path: "wijkteam.caseload_per_fte",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "cases/FTE",
            range: pos((10_000.0, "cases per FTE")),
            meaning: "concurrent light-help cases",
            source: "assumption (see CALIBRATION.md)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(8.0, 30.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        caseload_per_fte.as_val(),
    );
    v(
        Spec {
            key: "mandate",
            path: "wijkteam.mandate",
            table: "wijkteam",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "workers may refer to the second line; false: an extra hand-off to a jeugdprofessional",
            source: "000 §5.2 (OK-coach vs jeugdprofessional)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        mandate.as_val(),
    );
    v(
        Spec {
            key: "mandate_handoff_days",
            path: "wijkteam.mandate_handoff_days",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "days",
            range: nn(DAYS),
            meaning: "delay of that extra hand-off",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        mandate_handoff_days.as_val(),
    );
    v(
        Spec {
            key: "light_help_weeks",
            path: "wijkteam.light_help_weeks",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "weeks",
            range: pos(WEEKS),
            meaning: "length of light help",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(6.0, 24.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        light_help_weeks.as_val(),
    );
    v(
        Spec {
            key: "light_help_success",
            path: "wijkteam.light_help_success",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance light help resolves the need, by level at its start",
            source: "assumption: earlier help succeeds more often (DESIGN §3)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the default within half again",
            }),
        },
        light_help_success.as_val(),
    );
    v(
        Spec {
            key: "max_light_level",
            path: "wijkteam.max_light_level",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "level",
            range: Range::Level,
            meaning: "highest level the wijkteam helps itself; above it refers",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        max_light_level.as_val(),
    );
    v(
        Spec {
            key: "generalist_sessions",
            path: "wijkteam.generalist_sessions",
            table: "wijkteam",
            kind: Kind::Number,
            unit: "sessions",
            range: Range::Count {
                min: 0,
                max: WEEKS.0 as u64,
                unit: "weekly sessions",
                zero: None,
            },
            meaning: "if > 0, every case first gets this many weekly sessions from a generalist before any referral",
            source: "000 §3.2 (Oost Achterhoek: 5–7 sessions)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        generalist_sessions.as_val(),
    );
}

fn visit_huisarts(x: &Huisarts, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Huisarts {
        consult_delay_days,
        referral_prob,
        poh_coverage,
        poh_weeks,
        poh_success,
        poh_rollout_years,
        inhabitants_per_practice,
        informs_school,
    } = x;
    v(
        Spec {
            key: "consult_delay_days",
            path: "huisarts.consult_delay_days",
            table: "huisarts",
            kind: Kind::Number,
            unit: "days",
            range: nn(DAYS),
            meaning: "from the parents' decision to the consult",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(2.0, 21.0),
                why: "assumption: a consult within a few days to three weeks",
            }),
        },
        consult_delay_days.as_val(),
    );
    v(
        Spec {
            key: "referral_prob",
            path: "huisarts.referral_prob",
            table: "huisarts",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance the huisarts refers to the second line; high at level 2 (over-referral)",
            source: "000 §5.5, §6.2 (a referral \"within ten minutes\")",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.3),
                why: "assumption: the default within 30%",
            }),
        },
        referral_prob.as_val(),
    );
    v(
        Spec {
            key: "poh_coverage",
            path: "huisarts.poh_coverage",
            table: "huisarts",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "share of families whose practice has a POH-jeugd",
            source: "000 §3.4, 002",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        poh_coverage.as_val(),
    );
    v(
        Spec {
            key: "poh_weeks",
            path: "huisarts.poh_weeks",
            table: "huisarts",
            kind: Kind::Number,
            unit: "weeks",
            range: pos(WEEKS),
            meaning: "length of a POH trajectory (every level: the POH sees every youth who comes to a practice that has one)",
            source: "assumption; every severity: AEF 2020 (DATA.md \"POH-jeugd\")",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(4.0, 12.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        poh_weeks.as_val(),
    );
    v(
        Spec {
            key: "poh_success",
            path: "huisarts.poh_success",
            table: "huisarts",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance a POH trajectory resolves the need",
            source: "fitted so that 40–50% of the youths a POH sees are not referred on (AEF 2020, DATA.md \"POH-jeugd\"): 0.47 in Nijmegen with a POH at every practice (`poh_not_referred_share`; it was 0.79 with the POH seeing levels 1–2 and [0.65, 0.45, 0, 0])",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the fitted value within half again (AEF 2020: 40-50% not referred)",
            }),
        },
        poh_success.as_val(),
    );
    v(
        Spec {
            key: "poh_rollout_years",
            path: "huisarts.poh_rollout_years",
            table: "huisarts",
            kind: Kind::Number,
            unit: "years",
            range: Range::Count {
                min: 0,
                max: MAX_YEARS as u64,
                unit: "years",
                zero: None,
            },
            meaning: "years over which coverage rises linearly to `poh_coverage` from the year POH starts (the first output year when `poh` is `introduced`, the year of its `simulation.changes` entry, else the first warm-up year): `poh_coverage` × k / N in the k-th year; 0: full coverage at once",
            source: "design choice: practices join a POH-jeugd scheme over years (000 §3.4: the gemeenten want to give every huisarts a POH)",
            range_doc: Some("0–100 (u32)"),
            default_doc: None,
            prior: None,
        },
        poh_rollout_years.as_val(),
    );
    v(
        Spec {
            key: "inhabitants_per_practice",
            path: "huisarts.inhabitants_per_practice",
            table: "huisarts",
            kind: Kind::Number,
            unit: "inhabitants",
            range: pos(INHABITANTS),
            meaning: "inhabitants per huisarts practice: a gemeente has `gemeenten.inhabitants` / this practices (not rounded), which the POH-jeugd's fixed cost counts",
            source: "assumption: about 5,000 huisarts practices for 17.9 million inhabitants (order of magnitude; the seeds and DATA.md give no count)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(2_500.0, 5_000.0),
                why: "assumption: order of magnitude of 5,000 practices for 17.9 million inhabitants",
            }),
        },
        inhabitants_per_practice.as_val(),
    );
    v(
        Spec {
            key: "informs_school",
            path: "huisarts.informs_school",
            table: "huisarts",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "the huisarts tells the school about a referral, so treatment gets `second_line.success_bonus_school_involved`",
            source: "000 §5.5, §6.2 (the school is not informed); §6.2 POH pilots aim to link to the school",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        informs_school.as_val(),
    );
}

fn visit_dsav(x: &Dsav, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Dsav {
        enabled,
        hours_per_school_week,
        schools_per_specialist,
        school_types,
        detection_boost_per_hour,
        intervention_success,
        intervention_weeks,
        induced_referral_prob,
        cases_per_hour,
    } = x;
    v(
        Spec {
            key: "enabled",
            path: "dsav.enabled",
            table: "dsav",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "a second-line youth specialist present in the schools of `school_types`",
            source: "000 §6.2",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        enabled.as_val(),
    );
    v(
        Spec {
            key: "hours_per_school_week",
            path: "dsav.hours_per_school_week",
            table: "dsav",
            kind: Kind::Number,
            unit: "hours/week",
            range: nn(HOURS),
            meaning: "presence per school",
            source: "000 §6.2 (\"minimaal zes uur per week\")",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        hours_per_school_week.as_val(),
    );
    v(
        Spec {
            key: "schools_per_specialist",
            path: "dsav.schools_per_specialist",
            table: "dsav",
            kind: Kind::Number,
            unit: "schools",
            range: Range::Custom {
                min: 1.0,
                max: 1_000.0,
            },
            meaning: "schools one specialist covers; specialists are employed per gemeente, whole, and paid for all their hours (`hours_per_school_week` × this must fit a 40-hour week)",
            source: "000 §6.2 (one specialist in three to five schools)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(3.0, 5.0),
                why: "000 §6.2 (one specialist in three to five schools)",
            }),
        },
        schools_per_specialist.as_val(),
    );
    v(
        Spec {
            key: "school_types",
            path: "dsav.school_types",
            table: "dsav",
            kind: Kind::List,
            unit: "list",
            range: Range::None,
            meaning: "school types with DSAV",
            source: "000 §6.2 (VO declined)",
            range_doc: Some("school types"),
            default_doc: Some("[PO, SBO, SO]"),
            prior: None,
        },
        school_types.as_val(),
    );
    v(
        Spec {
            key: "detection_boost_per_hour",
            path: "dsav.detection_boost_per_hour",
            table: "dsav",
            kind: Kind::Number,
            unit: "per hour",
            range: nn((10.0, "per hour")),
            meaning: "school detection of level 1–2 needs is multiplied by 1 + this × hours",
            source: "assumption (early detection, DESIGN §3)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.0, 0.5),
                why: "calibration/*.toml",
            }),
        },
        detection_boost_per_hour.as_val(),
    );
    v(
        Spec {
            key: "intervention_success",
            path: "dsav.intervention_success",
            table: "dsav",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance a short DSAV intervention resolves the need; failures get a warm hand-off to the wijkteam (DSAV cannot refer)",
            source: "assumption; 000 §6.2",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::PerEntry(&[(0.3, 0.9), (0.15, 0.75)]),
                why: "calibration/nijmegen-quick.toml (levels 1-2; DSAV does not resolve levels 3-4)",
            }),
        },
        intervention_success.as_val(),
    );
    v(
        Spec {
            key: "intervention_weeks",
            path: "dsav.intervention_weeks",
            table: "dsav",
            kind: Kind::Number,
            unit: "weeks",
            range: pos(WEEKS),
            meaning: "length of the short intervention",
            source: "assumption (\"kortdurende interventie\")",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(4.0, 12.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        intervention_weeks.as_val(),
    );
    v(
        Spec {
            key: "induced_referral_prob",
            path: "dsav.induced_referral_prob",
            table: "dsav",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "detection-induced demand: chance that a need a DSAV intervention resolved is labelled and referred all the same (warm hand-off to a worker with mandate, route `school`)",
            source: "assumption; seed 000 §1.1 (Friele et al. 2018) and seed 004 warn that early detection can raise specialist demand (DATA.md \"What early detection can do\"). At 0.5 DSAV raises Nijmegen's referrals on net, at 0 it lowers them (`tests/integration/routes.rs`)",
            range_doc: Some("[0, 1]; plausible 0–0.5"),
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.0, 0.5),
                why: "docs/SCENARIOS.md (plausible 0-0.5; calibration/seed-regions.toml takes 0-0.6)",
            }),
        },
        induced_referral_prob.as_val(),
    );
    v(
        Spec {
            key: "cases_per_hour",
            path: "dsav.cases_per_hour",
            table: "dsav",
            kind: Kind::Number,
            unit: "cases per weekly hour",
            range: pos((100.0, "cases at once per weekly hour")),
            meaning: "DSAV interventions one weekly specialist hour carries at once; the region's DSAV caseload is this × its DSAV hours (after cuts), and a level 1–2 signal that finds it full takes the usual school route (`dsav_refusals`)",
            source: "assumption: 6 hours a week carry 3 families at once, the other hours going to consulting teachers and the OT; it seldom binds in Nijmegen (about 3 refusals in 4 years) but does under cuts to DSAV hours",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        cases_per_hour.as_val(),
    );
}

fn visit_integraal(x: &Integraal, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Integraal { enabled } = x;
    v(
        Spec {
            key: "enabled",
            path: "integraal.enabled",
            table: "integraal",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "the ondersteuningsteam meets with wijkteam and gemeente with mandate: levels above `wijkteam.max_light_level` are referred directly, others get an SWV arrangement or light help without an intake queue; no hand-off, no story retold",
            source: "000 §3.2 (OT/ZATT), 002",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        enabled.as_val(),
    );
}

fn visit_second_line(x: &SecondLine, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let SecondLine {
        assessments_per_week_per_1000,
        treatment_slots_per_1000,
        assessment_days,
        treatment_median_days,
        treatment_sigma,
        treatment_success,
        success_bonus_school_involved,
        clientenstop_queue_per_1000,
        bounce_back_days,
        target_utilisation,
        treatment_target_utilisation,
        capacity_window_months,
        dropout_per_week,
        triage_urgent_first,
        escalation_while_waiting,
    } = x;
    v(
        Spec {
            key: "assessments_per_week_per_1000",
            path: "second_line.assessments_per_week_per_1000",
            table: "second_line",
            kind: Kind::Number,
            unit: "assessments/week",
            range: nn(PER_1000),
            meaning: "assessment throughput per 1,000 students in the region",
            source: "assumption: waits within the Treeknorm where no shortage is reported; since capacity follows demand (`target_utilisation`), this sets only the first warm-up year",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: sets only the first warm-up year",
            }),
        },
        assessments_per_week_per_1000.as_val(),
    );
    v(
        Spec {
            key: "treatment_slots_per_1000",
            path: "second_line.treatment_slots_per_1000",
            table: "second_line",
            kind: Kind::Number,
            unit: "places",
            range: nn(PER_1000),
            meaning: "concurrent treatments per 1,000 students",
            source: "assumption (as above)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: sets only the first warm-up year",
            }),
        },
        treatment_slots_per_1000.as_val(),
    );
    v(
        Spec {
            key: "assessment_days",
            path: "second_line.assessment_days",
            table: "second_line",
            kind: Kind::Number,
            unit: "days",
            range: nn(DAYS),
            meaning: "length of an assessment",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(14.0, 56.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        assessment_days.as_val(),
    );
    v(
        Spec {
            key: "treatment_median_days",
            path: "second_line.treatment_median_days",
            table: "second_line",
            kind: Kind::Number,
            unit: "days per level",
            range: pos(DAYS),
            meaning: "median treatment length (log-normal), by level at start",
            source: "fitted with `treatment_sigma` to the lengths of ended trajectories (DATA.md \"How long trajectories last\", CBS 2021): model shares per band `trajectory_share_*` in docs/CALIBRATION.md",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the fitted value within half again (docs/CALIBRATION.md)",
            }),
        },
        treatment_median_days.as_val(),
    );
    v(
        Spec {
            key: "treatment_sigma",
            path: "second_line.treatment_sigma",
            table: "second_line",
            kind: Kind::Number,
            unit: "—",
            range: nn(LOG_SD),
            meaning: "sd of log treatment length",
            source: "fitted (as above): the long tail, 14% of trajectories last 2 years or more",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.6, 1.3),
                why: "assumption: around the fitted 0.95 (docs/CALIBRATION.md)",
            }),
        },
        treatment_sigma.as_val(),
    );
    v(
        Spec {
            key: "treatment_success",
            path: "second_line.treatment_success",
            table: "second_line",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance treatment resolves the need, by level at start",
            source: "assumption: earlier help succeeds more often",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.3),
                why: "assumption: the default within 30%",
            }),
        },
        treatment_success.as_val(),
    );
    v(
        Spec {
            key: "success_bonus_school_involved",
            path: "second_line.success_bonus_school_involved",
            table: "second_line",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "added to the treatment success chance when the school knows of the treatment (every route but the huisarts's, unless `huisarts.informs_school`)",
            source: "assumption: 000 §3.2 (the OT keeps following a referred case, \"an important advantage over referral via the huisarts\")",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.0, 0.15),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        success_bonus_school_involved.as_val(),
    );
    v(
        Spec {
            key: "clientenstop_queue_per_1000",
            path: "second_line.clientenstop_queue_per_1000",
            table: "second_line",
            kind: Kind::Number,
            unit: "per 1,000 students",
            range: nn(PER_1000),
            meaning: "assessment queue length per 1,000 students above which referrals bounce back; 0: never",
            source: "000 §5.5 (cliëntenstop)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        clientenstop_queue_per_1000.as_val(),
    );
    v(
        Spec {
            key: "bounce_back_days",
            path: "second_line.bounce_back_days",
            table: "second_line",
            kind: Kind::Number,
            unit: "days",
            range: Range::Custom {
                min: MIN_BOUNCE_BACK_DAYS,
                max: DAYS.0,
            },
            meaning: "wait before a bounced referral tries again",
            source: "assumption",
            range_doc: Some(
                "1–3,650 (at least a day: a shorter wait would have a bounced referral retry without end while the cliëntenstop lasts)",
            ),
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(28.0, 112.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        bounce_back_days.as_val(),
    );
    v(
        Spec {
            key: "target_utilisation",
            path: "second_line.target_utilisation",
            table: "second_line",
            kind: Kind::Number,
            unit: "load / places",
            range: Range::Utilisation {
                fixed: "fixed capacity from the per-1000 keys",
                load: "planned load over capacity",
            },
            meaning: "planned load of the assessment list: at each month's end its places are the demand of the trailing `capacity_window_months` (arrivals × `assessment_days`, per day) / this × the year's cuts and changes; above 1 the list is held steady by the families who leave it (docs/ODD.md §7.8); 0: fixed places from `assessments_per_week_per_1000`",
            source: "fitted: mean wait to assessment about 5 weeks with `dropout_per_week` 0.02 (DATA.md \"Waiting\": mean about 6 weeks to intake, persistent)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(1.0, 1.3),
                why: "assumption: around the fitted 1.12 (docs/CALIBRATION.md)",
            }),
        },
        target_utilisation.as_val(),
    );
    v(
        Spec {
            key: "treatment_target_utilisation",
            path: "second_line.treatment_target_utilisation",
            table: "second_line",
            kind: Kind::Number,
            unit: "load / places",
            range: Range::Utilisation {
                fixed: "fixed capacity from the per-1000 keys",
                load: "planned load over capacity",
            },
            meaning: "the same for treatment places (arrivals × mean treatment days of the starts in the window); 0: fixed from `treatment_slots_per_1000`",
            source: "assumption: a shorter wait for treatment than for intake, within the Treeknorm's 10 weeks (DATA.md \"Waiting\")",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.95, 1.2),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        treatment_target_utilisation.as_val(),
    );
    v(
        Spec {
            key: "capacity_window_months",
            path: "second_line.capacity_window_months",
            table: "second_line",
            kind: Kind::Number,
            unit: "months",
            range: Range::Count {
                min: 1,
                max: 12,
                unit: "months",
                zero: None,
            },
            meaning: "months of past demand that capacity follows (the delay of the rule: about half the window)",
            source: "assumption: providers' contracts and staffing follow demand within a quarter; 12 months left the lists' first years out of balance for years after the warm-up",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        capacity_window_months.as_val(),
    );
    v(
        Spec {
            key: "dropout_per_week",
            path: "second_line.dropout_per_week",
            table: "second_line",
            kind: Kind::Number,
            unit: "per week",
            range: nn((1.0, "per week")),
            meaning: "hazard per week of waiting that a family leaves a second-line list (goes elsewhere, gives up); the need stays unmet and may be signalled again",
            source: "assumption: about 1 in 10 referrals leave the list at a wait of about 5 weeks; DATA.md \"Waiting\" (lists persistent rather than exploding needs such a balancing flow)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.005, 0.05),
                why: "calibration/seed-regions.toml",
            }),
        },
        dropout_per_week.as_val(),
    );
    v(
        Spec {
            key: "escalation_while_waiting",
            path: "second_line.escalation_while_waiting",
            table: "second_line",
            kind: Kind::Number,
            unit: "× escalation",
            range: nn((3.0, "times the escalation of an unmet need")),
            meaning: "escalation of a need while it waits on a second-line list (assessment, treatment, stay, bounced, deferred), relative to an unmet need elsewhere; 0 switches the channel \"waits drive escalation\" off (a structural alternative, `scenarios/structures/`), above 1 makes waiting itself worsen the need",
            source: "assumption: seed 000 (needs worsen while nobody helps; a wait is unmet need); no figure isolates it, hence a structural alternative rather than a fitted value",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.0, 2.0),
                why: "assumption: from 0 (the structural alternative, scenarios/structures/) to waiting doubling escalation",
            }),
        },
        escalation_while_waiting.as_val(),
    );
    v(
        Spec {
            key: "triage_urgent_first",
            path: "second_line.triage_urgent_first",
            table: "second_line",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "level-4 (most severe) referrals go before the others on both lists",
            source: "assumption: providers triage urgent cases (spoed) first",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        triage_urgent_first.as_val(),
    );
}

fn visit_verblijf(x: &Verblijf, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Verblijf {
        share,
        share_court_order,
        median_days,
        sigma,
        places_per_1000,
        target_utilisation,
        dropout_per_week,
        triage_urgent_first,
    } = x;
    v(
        Spec {
            key: "share",
            path: "verblijf.share",
            table: "verblijf",
            kind: Kind::Number,
            unit: "probability per level",
            range: Range::Prob,
            meaning: "chance that the treatment needs stay, by need level at assessment",
            source: "fitted: the four baselines pooled give DATA.md's \"about one in ten\" trajectories with stay (`share_verblijf`, docs/CALIBRATION.md); rising with level is an assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the fitted value (docs/CALIBRATION.md) halved or doubled",
            }),
        },
        share.as_val(),
    );
    v(
        Spec {
            key: "share_court_order",
            path: "verblijf.share_court_order",
            table: "verblijf",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "the same for a case referred by a GI (court order), any level",
            source: "assumption: youth protection places children out of home far more often than other referrers (scaled with `share` in the fit)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.2, 0.6),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        share_court_order.as_val(),
    );
    v(
        Spec {
            key: "median_days",
            path: "verblijf.median_days",
            table: "verblijf",
            kind: Kind::Number,
            unit: "days",
            range: pos(DAYS),
            meaning: "median length of a stay (log-normal)",
            source: "assumption: stays last longer than most ambulant treatments (DATA.md gives no length by form)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Fixed(135.0, 540.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        median_days.as_val(),
    );
    v(
        Spec {
            key: "sigma",
            path: "verblijf.sigma",
            table: "verblijf",
            kind: Kind::Number,
            unit: "—",
            range: nn(LOG_SD),
            meaning: "sd of log stay length",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.5, 1.2),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        sigma.as_val(),
    );
    v(
        Spec {
            key: "places_per_1000",
            path: "verblijf.places_per_1000",
            table: "verblijf",
            kind: Kind::Number,
            unit: "places",
            range: nn(PER_1000),
            meaning: "verblijf places per 1,000 students in the first model year (always, with `target_utilisation` 0)",
            source: "assumption: sets only the first warm-up year",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: sets only the first warm-up year",
            }),
        },
        places_per_1000.as_val(),
    );
    v(
        Spec {
            key: "target_utilisation",
            path: "verblijf.target_utilisation",
            table: "verblijf",
            kind: Kind::Number,
            unit: "load / places",
            range: Range::Utilisation {
                fixed: "fixed places from verblijf.places_per_1000",
                load: "planned load over places",
            },
            meaning: "planned load of the verblijf places: arrivals × mean stay days of the trailing `second_line.capacity_window_months`, per day, / this × the year's second-line cuts and changes; 0: fixed places",
            source: "assumption: as `second_line.treatment_target_utilisation`",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.95, 1.2),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        target_utilisation.as_val(),
    );
    v(
        Spec {
            key: "dropout_per_week",
            path: "verblijf.dropout_per_week",
            table: "verblijf",
            kind: Kind::Number,
            unit: "per week",
            range: nn((1.0, "per week")),
            meaning: "hazard per week of waiting that a family leaves the verblijf list",
            source: "assumption: half the ambulant rate (a need for stay is seldom met elsewhere)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Fixed(0.0025, 0.025),
                why: "assumption: half the ambulant range",
            }),
        },
        dropout_per_week.as_val(),
    );
    v(
        Spec {
            key: "triage_urgent_first",
            path: "verblijf.triage_urgent_first",
            table: "verblijf",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "level-4 needs go first on the verblijf list",
            source: "assumption (as `second_line.triage_urgent_first`)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        triage_urgent_first.as_val(),
    );
}

fn visit_thuiszitters(x: &Thuiszitters, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Thuiszitters {
        leave_school_per_year,
    } = x;
    v(
        Spec {
            key: "leave_school_per_year",
            path: "thuiszitters.leave_school_per_year",
            table: "thuiszitters",
            kind: Kind::Number,
            unit: "per year per level",
            range: nn(RATE),
            meaning: "hazard that a student with an unmet need (not in treatment) stops attending school; out 3+ months (13 weeks) counts as thuiszitter",
            source: "assumption; definition from 004",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::LogUniform,
                plausible: Plausible::Around(2.0),
                why: "assumption: the default halved or doubled (no figure bounds it)",
            }),
        },
        leave_school_per_year.as_val(),
    );
}

fn visit_cohorts(x: &Cohorts, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Cohorts {
        po_to_vso_if_severe,
        sbo_to_vso,
        vo_to_mbo,
        vso_to_mbo,
    } = x;
    v(
        Spec {
            key: "po_to_vso_if_severe",
            path: "cohorts.po_to_vso_if_severe",
            table: "cohorts",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "share of PO leavers with a level ≥ 3 need who go to VSO",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the default within half again",
            }),
        },
        po_to_vso_if_severe.as_val(),
    );
    v(
        Spec {
            key: "sbo_to_vso",
            path: "cohorts.sbo_to_vso",
            table: "cohorts",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "share of SBO leavers who go to VSO (others VO)",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the default within half again",
            }),
        },
        sbo_to_vso.as_val(),
    );
    v(
        Spec {
            key: "vo_to_mbo",
            path: "cohorts.vo_to_mbo",
            table: "cohorts",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "share of VO leavers who continue in MBO in the region",
            source: "assumption (vmbo leavers go on to MBO; havo/vwo leave)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the default within half again",
            }),
        },
        vo_to_mbo.as_val(),
    );
    v(
        Spec {
            key: "vso_to_mbo",
            path: "cohorts.vso_to_mbo",
            table: "cohorts",
            kind: Kind::Number,
            unit: "probability",
            range: Range::Prob,
            meaning: "share of VSO leavers who continue in MBO",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: the default within half again",
            }),
        },
        vso_to_mbo.as_val(),
    );
}

fn visit_costs(x: &Costs, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Costs {
        wijkteam_fte_eur_per_year,
        huisarts_consult_eur,
        poh_trajectory_eur,
        poh_practice_eur_per_year,
        swv_arrangement_eur_per_week,
        dsav_eur_per_hour,
        assessment_eur,
        treatment_eur_per_day,
        verblijf_eur_per_day,
    } = x;
    v(
        Spec {
            key: "wijkteam_fte_eur_per_year",
            path: "costs.wijkteam_fte_eur_per_year",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR/FTE/year",
            range: nn(EUR),
            meaning: "cost of one wijkteam FTE",
            source: "assumption (salary scale plus overhead)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        wijkteam_fte_eur_per_year.as_val(),
    );
    v(
        Spec {
            key: "huisarts_consult_eur",
            path: "costs.huisarts_consult_eur",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR",
            range: nn(EUR),
            meaning: "one GP consult (health insurance, not the gemeente)",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        huisarts_consult_eur.as_val(),
    );
    v(
        Spec {
            key: "poh_trajectory_eur",
            path: "costs.poh_trajectory_eur",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR",
            range: nn(EUR),
            meaning: "one POH-jeugd trajectory",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        poh_trajectory_eur.as_val(),
    );
    v(
        Spec {
            key: "poh_practice_eur_per_year",
            path: "costs.poh_practice_eur_per_year",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR/practice/year",
            range: nn(EUR),
            meaning: "the POH-jeugd's fixed yearly cost per practice that has one, paid by the gemeente (`cost_poh_eur`, counted by the hard cap from the year's start): practices × this year's coverage × this",
            source: "assumption: a POH-jeugd works about 0.2 FTE per practice (a day a week) at the cost of a wijkteam FTE (75,000, a comparable youth professional); the seeds give no figure (000 §3.4: the gemeente pays the POH)",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        poh_practice_eur_per_year.as_val(),
    );
    v(
        Spec {
            key: "swv_arrangement_eur_per_week",
            path: "costs.swv_arrangement_eur_per_week",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR/week",
            range: nn(EUR),
            meaning: "SWV arrangement",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        swv_arrangement_eur_per_week.as_val(),
    );
    v(
        Spec {
            key: "dsav_eur_per_hour",
            path: "costs.dsav_eur_per_hour",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR/hour",
            range: nn(EUR),
            meaning: "DSAV specialist",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        dsav_eur_per_hour.as_val(),
    );
    v(
        Spec {
            key: "assessment_eur",
            path: "costs.assessment_eur",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR",
            range: nn(EUR),
            meaning: "one second-line assessment",
            source: "assumption",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        assessment_eur.as_val(),
    );
    v(
        Spec {
            key: "treatment_eur_per_day",
            path: "costs.treatment_eur_per_day",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR/day per level",
            range: nn(EUR),
            meaning: "second-line treatment by level at start",
            source: "assumption: help at a lower level costs less",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        treatment_eur_per_day.as_val(),
    );
    v(
        Spec {
            key: "verblijf_eur_per_day",
            path: "costs.verblijf_eur_per_day",
            table: "costs",
            kind: Kind::Number,
            unit: "EUR/day",
            range: nn(EUR),
            meaning: "a day of care with stay, any level",
            source: "assumption: DATA.md \"Care with stay\" says far costlier per trajectory than ambulant care; one rate for the mix of residential care, gezinshuis and (cheaper) foster care",
            range_doc: None,
            default_doc: None,
            prior: Some(Prior {
                dist: Dist::Uniform,
                plausible: Plausible::Around(1.5),
                why: "assumption: a unit cost known within half again",
            }),
        },
        verblijf_eur_per_day.as_val(),
    );
}

fn visit_budget(x: &Budget, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Budget {
        cut_schedule,
        cut_levers,
        hard_cap,
    } = x;
    v(
        Spec {
            key: "cut_schedule",
            path: "budget.cut_schedule",
            table: "budget",
            kind: Kind::Number,
            unit: "fraction",
            range: Range::Prob,
            meaning: "cumulative cut per output year (the last value holds after); applied to the youth budgets and to the levers in `cut_levers`",
            source: "000 §1.1 (15% over three years: `[0.05, 0.10, 0.15]`)",
            range_doc: Some("[0, 1] each"),
            default_doc: None,
            prior: None,
        },
        cut_schedule.as_val(),
    );
    v(
        Spec {
            key: "hard_cap",
            path: "budget.hard_cap",
            table: "budget",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "defer second-line treatment starts to the next year while the paying pot (gemeente, or region when pooled) has spent its budget; spending counts staff, DSAV and POH practice costs of the year, POH trajectories, assessments and treatment days committed in the year",
            source: "DESIGN §3 (optional hard cap); 000 §5.5 (overspending gemeenten)",
            range_doc: None,
            default_doc: None,
            prior: None,
        },
        hard_cap.as_val(),
    );
    v(
        Spec {
            key: "cut_levers",
            path: "budget.cut_levers",
            table: "budget",
            kind: Kind::List,
            unit: "list",
            range: Range::None,
            meaning: "what the cut reduces: `wijkteam_fte`, `second_line_capacity` (all second-line places), `verblijf_capacity` (the places with stay only), `dsav_hours`, `poh_coverage`, `swv_arrangements`",
            source: "DESIGN §3",
            range_doc: Some("those six"),
            default_doc: Some("[]"),
            prior: None,
        },
        cut_levers.as_val(),
    );
}

fn visit_trends(x: &Trends, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let Trends {
        population,
        onset,
        treatment_duration,
        stay_duration,
    } = x;
    v(
        Spec {
            key: "population",
            path: "trends.population",
            table: "trends",
            kind: Kind::Table,
            unit: "factor by year",
            range: Range::None,
            meaning: "students per school: each year's intake fills a school to `students` × factor (rounded; at least 1), so the population drifts through the grades (students already enrolled stay)",
            source: "DATA.md \"Use of jeugdhulp\" (youth population fell slightly 2015→2021)",
            range_doc: Some("years 1990–2100, factors in (0, 5]"),
            default_doc: Some("none (1)"),
            prior: None,
        },
        population.as_val(),
    );
    v(
        Spec {
            key: "onset",
            path: "trends.onset",
            table: "trends",
            kind: Kind::Table,
            unit: "factor by year",
            range: Range::None,
            meaning: "every onset hazard of needs (`needs.onset_per_year`, all school types); court orders (`routes.gi_per_1000_per_year`) are not scaled",
            source: "DATA.md \"Use of jeugdhulp\" (share with jeugdhulp 10% 2015 → 13.5% 2023)",
            range_doc: Some("same"),
            default_doc: Some("none (1)"),
            prior: None,
        },
        onset.as_val(),
    );
    v(
        Spec {
            key: "treatment_duration",
            path: "trends.treatment_duration",
            table: "trends",
            kind: Kind::Table,
            unit: "factor by year",
            range: Range::None,
            meaning: "the medians of ambulant second-line treatment (`second_line.treatment_median_days`), for treatments that start in the year",
            source: "DATA.md \"Use of jeugdhulp\" (mean duration without stay +35% 2015→2021)",
            range_doc: Some("same"),
            default_doc: Some("none (1)"),
            prior: None,
        },
        treatment_duration.as_val(),
    );
    v(
        Spec {
            key: "stay_duration",
            path: "trends.stay_duration",
            table: "trends",
            kind: Kind::Table,
            unit: "factor by year",
            range: Range::None,
            meaning: "the median of care with stay (`verblijf.median_days`), for stays that start in the year",
            source: "DATA.md \"Use of jeugdhulp\" (with stay +88% 2015→2021)",
            range_doc: Some("same"),
            default_doc: Some("none (1)"),
            prior: None,
        },
        stay_duration.as_val(),
    );
}

fn visit_policies(x: &ScopedPolicy, v: &mut dyn FnMut(Spec, Val<'_>)) {
    let ScopedPolicy {
        scope,
        dsav,
        poh_coverage,
        integraal,
        mandate,
        collaboration,
    } = x;
    v(
        Spec {
            key: "scope",
            path: "policies.scope",
            table: "policies",
            kind: Kind::Text,
            unit: "text",
            range: Range::None,
            meaning: "`gemeente:NAME` or `jeugdregio:NAME` (one entry per scope; a gemeente's entry over its jeugdregio's)",
            source: "design choice",
            range_doc: Some("defined names"),
            default_doc: Some("(required)"),
            prior: None,
        },
        scope.as_val(),
    );
    v(
        Spec {
            key: "dsav",
            path: "policies.dsav",
            table: "policies",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "DSAV at the schools standing in the scope (of `dsav.school_types`), replacing `dsav.enabled`",
            source: "as `dsav.enabled`",
            range_doc: None,
            default_doc: Some("none (region)"),
            prior: None,
        },
        dsav.as_val(),
    );
    v(
        Spec {
            key: "poh_coverage",
            path: "policies.poh_coverage",
            table: "policies",
            kind: Kind::Number,
            unit: "share of practices",
            range: Range::Prob,
            meaning: "replaces `huisarts.poh_coverage` for families living there (roll-out, cuts and `changes` apply on top; costs per practice follow)",
            source: "as `huisarts.poh_coverage`",
            range_doc: None,
            default_doc: Some("none (region)"),
            prior: None,
        },
        poh_coverage.as_val(),
    );
    v(
        Spec {
            key: "integraal",
            path: "policies.integraal",
            table: "policies",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "replaces `integraal.enabled` for students living there",
            source: "as `integraal.enabled`",
            range_doc: None,
            default_doc: Some("none (region)"),
            prior: None,
        },
        integraal.as_val(),
    );
    v(
        Spec {
            key: "mandate",
            path: "policies.mandate",
            table: "policies",
            kind: Kind::Bool,
            unit: "bool",
            range: Range::None,
            meaning: "replaces `wijkteam.mandate` for students living there",
            source: "as `wijkteam.mandate`",
            range_doc: None,
            default_doc: Some("none (region)"),
            prior: None,
        },
        mandate.as_val(),
    );
    v(
        Spec {
            key: "collaboration",
            path: "policies.collaboration",
            table: "policies",
            kind: Kind::Choice,
            unit: "model",
            range: Range::None,
            meaning: "the hand-off preset of this model for students living there (the region's `handoff_delay_days` / `information_loss` overrides do not apply); a `collaboration` change that covers the gemeente holds over it from its year",
            source: "as `collaboration.model`",
            range_doc: Some("`schotten`, `keten`, `netwerk`, `integraal`"),
            default_doc: Some("none (region)"),
            prior: None,
        },
        collaboration.as_val(),
    );
}
