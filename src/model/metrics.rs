//! What a replication counts: per model year and gemeente, per school type,
//! and monthly queue lengths. Turned into named metrics (DESIGN §3 Outputs)
//! by [`YearAcc::metrics`].

use crate::scenario::SchoolType;

/// Who started the path that led to a referral (the route of the case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Route {
    School = 0,
    Wijkteam = 1,
    Huisarts = 2,
    Integraal = 3,
    /// A gecertificeerde instelling: court-ordered youth protection.
    Gi = 4,
    /// A medisch specialist (a hospital path).
    MedischSpecialist = 5,
    /// The jeugdarts (JGZ) refers directly.
    Jeugdarts = 6,
    /// No referrer: free-access care, self-referral.
    Other = 7,
}

/// Number of routes.
pub const ROUTE_COUNT: usize = 8;

/// Routes in output order, with their names in metric names.
pub const ROUTES: [(&str, Route); ROUTE_COUNT] = [
    ("school", Route::School),
    ("wijkteam", Route::Wijkteam),
    ("huisarts", Route::Huisarts),
    ("integraal", Route::Integraal),
    ("gi", Route::Gi),
    ("medisch_specialist", Route::MedischSpecialist),
    ("jeugdarts", Route::Jeugdarts),
    ("other", Route::Other),
];

/// Routes on which the gemeentelijke toegang (wijkteam, jeugdteam,
/// integraal arrangeren) makes the referral, as CBS counts the referrer:
/// the school's signals reach the second line through the wijkteam.
pub const GEMEENTE_ROUTES: [Route; 3] = [Route::School, Route::Wijkteam, Route::Integraal];

/// Budget lines; the first four are paid from the gemeente's youth budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Line {
    Wijkteam = 0,
    SecondLine = 1,
    Dsav = 2,
    Poh = 3,
    Swv = 4,
    Huisarts = 5,
}

pub const LINES: [(&str, Line); 6] = [
    ("wijkteam", Line::Wijkteam),
    ("second_line", Line::SecondLine),
    ("dsav", Line::Dsav),
    ("poh", Line::Poh),
    ("swv", Line::Swv),
    ("huisarts", Line::Huisarts),
];

/// Lines paid from the gemeente's youth budget (Jeugdwet).
pub const GEMEENTE_LINES: [Line; 4] = [Line::Wijkteam, Line::SecondLine, Line::Dsav, Line::Poh];

/// Counters for one model year and one area.
#[derive(Debug, Clone, Default)]
pub struct YearAcc {
    pub students: u64,
    pub helped: u64,
    pub light_help_starts: u64,
    pub referrals: [u64; ROUTE_COUNT],
    /// Cases closed in the year, by the route they ended on.
    pub cases_by_route: [u64; ROUTE_COUNT],
    /// Cases whose need was resolved (by help or on its own) before any
    /// referral, by route.
    pub resolved_before_referral: [u64; ROUTE_COUNT],
    pub second_line_starts: u64,
    pub wait_intake: Vec<u32>,
    pub wait_assessment: Vec<u32>,
    pub wait_treatment: Vec<u32>,
    pub wait_light_help: Vec<u32>,
    pub first_help_levels: u64,
    pub first_helps: u64,
    pub cases_closed: u64,
    pub handoffs: u64,
    pub stories: u64,
    pub thuiszitters: u64,
    pub clientenstop_bounces: u64,
    pub costs: [f64; 6],
    pub budget: f64,
    pub swv_budget: f64,
    pub deferred: u64,
    /// Families who left a second-line waiting list before being seen.
    pub list_dropouts: u64,
    /// Treatments started, by the band of their length (see `BANDS`).
    pub trajectory_bands: [u64; 7],
    /// Days from the signal that opened a case to its first help, summed
    /// over `first_helps`.
    pub time_to_help_days: u64,
    /// Youths who began a POH-jeugd trajectory, and of them those the
    /// huisarts referred after it.
    pub poh_seen: u64,
    pub poh_referred: u64,
    /// School signals DSAV could not take on: its caseload was full.
    pub dsav_refusals: u64,
    /// Care with stay (verblijf): starts (also in `second_line_starts`),
    /// waits, and treatments under way at the year's end by form.
    pub starts_verblijf: u64,
    pub wait_verblijf: Vec<u32>,
    pub caseload_ambulant: u64,
    pub caseload_verblijf: u64,
    /// The second line's costs split: assessments and ambulant treatment
    /// days, and days of stay (together `costs[Line::SecondLine]`).
    pub cost_ambulant: f64,
    pub cost_verblijf: f64,
    /// The stock-flow of care by form, for `forecast.csv`.
    pub flows: Flows,
}

/// Care forms of [`Flows`]: ambulant treatment and care with stay.
pub const FORMS: [&str; 2] = ["ambulant", "verblijf"];

/// The stock-flow decomposition of second-line care in one year and area,
/// by form (index 0 ambulant, 1 verblijf): the stock on 1 January,
/// trajectories started and ended in the year, the stock after the year
/// (`stock_end = stock_start + starts - ends`, exactly), the days of care
/// given in the year (its integral: the mean stock is `care_days / 365`)
/// and the summed lengths of the trajectories that ended (from their own
/// start, before the year or before a state's reference date included).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flows {
    pub stock_start: [u64; 2],
    pub stock_end: [u64; 2],
    pub starts: [u64; 2],
    pub ends: [u64; 2],
    pub care_days: [f64; 2],
    pub ended_days: [f64; 2],
    /// Youths on each list on 1 January: wijkteam intake, assessment,
    /// ambulant treatment, verblijf (the order of `state::Queue::ALL`).
    pub waiting_start: [u64; 4],
    /// Youths in the wijkteams' light help on 1 January.
    pub light_start: u64,
}

impl Flows {
    pub fn add(&mut self, o: &Flows) {
        for f in 0..2 {
            self.stock_start[f] += o.stock_start[f];
            self.stock_end[f] += o.stock_end[f];
            self.starts[f] += o.starts[f];
            self.ends[f] += o.ends[f];
            self.care_days[f] += o.care_days[f];
            self.ended_days[f] += o.ended_days[f];
        }
        for q in 0..4 {
            self.waiting_start[q] += o.waiting_start[q];
        }
        self.light_start += o.light_start;
    }
}

/// The measures of `forecast.csv` per care form, in the order of
/// [`YearAcc::forecast`]; then [`FORECAST_TOTAL`] for the gemeente's budget.
pub const FORECAST_MEASURES: [&str; 9] = [
    "stock_1jan",
    "instroom",
    "uitstroom",
    "stock_31dec",
    "mean_stock",
    "duration_ended_days",
    "duration_little_days",
    "cost_eur",
    "waiting_1jan",
];

/// The measures of `forecast.csv` for all care together (`care_form`
/// `total`): the cost paid from the youth budget, the budget, 1 when the
/// cost exceeds the budget (its mean is the chance of overspending), and
/// the youths in the wijkteams' light help on 1 January.
pub const FORECAST_TOTAL: [&str; 4] = ["cost_eur", "budget_eur", "over_budget", "light_help_1jan"];

/// The bands of CBS's ended-trajectory lengths (DATA.md "How long
/// trajectories last"): upper bounds in days, and the names in metrics.
pub const BANDS: [(f64, &str); 7] = [
    (91.0, "lt_3m"),
    (182.0, "3_6m"),
    (365.0, "6_12m"),
    (730.0, "1_2y"),
    (1095.0, "2_3y"),
    (1460.0, "3_4y"),
    (f64::INFINITY, "ge_4y"),
];

/// The band of a treatment length in days.
pub fn band(days: f64) -> usize {
    BANDS
        .iter()
        .position(|&(hi, _)| days < hi)
        .unwrap_or(BANDS.len() - 1)
}

/// Per school type: students and students with (second-line) youth care.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeAcc {
    pub students: u64,
    pub helped: u64,
    pub second_line: u64,
}

fn mean(v: &[u32]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64
}

/// The 90th percentile (nearest rank) of waits in days.
fn p90(v: &[u32]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_unstable();
    let rank = ((0.9 * s.len() as f64).ceil() as usize).clamp(1, s.len());
    f64::from(s[rank - 1])
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

/// The names of the metrics in `runs.csv`, in column order (from the
/// metric registry, `metric_spec.rs`).
pub fn metric_names() -> Vec<String> {
    super::metric_spec::metric_specs()
        .into_iter()
        .map(|m| m.name)
        .collect()
}

impl YearAcc {
    /// Adds another area's counters (region = sum of gemeenten).
    pub fn add(&mut self, o: &YearAcc) {
        self.students += o.students;
        self.helped += o.helped;
        self.light_help_starts += o.light_help_starts;
        for i in 0..ROUTE_COUNT {
            self.referrals[i] += o.referrals[i];
            self.cases_by_route[i] += o.cases_by_route[i];
            self.resolved_before_referral[i] += o.resolved_before_referral[i];
        }
        self.second_line_starts += o.second_line_starts;
        self.wait_intake.extend_from_slice(&o.wait_intake);
        self.wait_assessment.extend_from_slice(&o.wait_assessment);
        self.wait_treatment.extend_from_slice(&o.wait_treatment);
        self.wait_light_help.extend_from_slice(&o.wait_light_help);
        self.first_help_levels += o.first_help_levels;
        self.first_helps += o.first_helps;
        self.cases_closed += o.cases_closed;
        self.handoffs += o.handoffs;
        self.stories += o.stories;
        self.thuiszitters += o.thuiszitters;
        self.clientenstop_bounces += o.clientenstop_bounces;
        for i in 0..6 {
            self.costs[i] += o.costs[i];
        }
        self.budget += o.budget;
        self.swv_budget += o.swv_budget;
        self.deferred += o.deferred;
        self.list_dropouts += o.list_dropouts;
        for i in 0..BANDS.len() {
            self.trajectory_bands[i] += o.trajectory_bands[i];
        }
        self.time_to_help_days += o.time_to_help_days;
        self.poh_seen += o.poh_seen;
        self.poh_referred += o.poh_referred;
        self.dsav_refusals += o.dsav_refusals;
        self.starts_verblijf += o.starts_verblijf;
        self.wait_verblijf.extend_from_slice(&o.wait_verblijf);
        self.caseload_ambulant += o.caseload_ambulant;
        self.caseload_verblijf += o.caseload_verblijf;
        self.cost_ambulant += o.cost_ambulant;
        self.cost_verblijf += o.cost_verblijf;
        self.flows.add(&o.flows);
    }

    /// The values of `forecast.csv`: [`FORECAST_MEASURES`] for each of
    /// [`FORMS`], then [`FORECAST_TOTAL`]. A duration without an ended
    /// trajectory is NaN.
    pub fn forecast(&self) -> Vec<f64> {
        let f = &self.flows;
        let year_days = crate::engine::minutes::YEAR as f64 / crate::engine::minutes::DAY as f64;
        let mut v = Vec::with_capacity(2 * FORECAST_MEASURES.len() + FORECAST_TOTAL.len());
        for i in 0..2 {
            let mean_stock = f.care_days[i] / year_days;
            let ends = f.ends[i] as f64;
            v.extend([
                f.stock_start[i] as f64,
                f.starts[i] as f64,
                ends,
                f.stock_end[i] as f64,
                mean_stock,
                ratio(f.ended_days[i], ends),
                // Little's law: time in care = mean stock / throughput.
                ratio(mean_stock * year_days, ends),
                [self.cost_ambulant, self.cost_verblijf][i],
                f.waiting_start[[2, 3][i]] as f64,
            ]);
        }
        let cost: f64 = GEMEENTE_LINES.iter().map(|&l| self.costs[l as usize]).sum();
        let over = if self.budget > 0.0 {
            f64::from(u8::from(cost > self.budget))
        } else {
            f64::NAN
        };
        v.extend([cost, self.budget, over, f.light_start as f64]);
        v
    }

    /// Values in the order of [`metric_names`]. Undefined values (a mean
    /// over no cases) are NaN and written as empty cells.
    pub fn metrics(&self) -> Vec<f64> {
        let students = self.students as f64;
        let refs: u64 = self.referrals.iter().sum();
        let r = refs as f64;
        let gemeente_cost: f64 = GEMEENTE_LINES.iter().map(|&l| self.costs[l as usize]).sum();
        let mut v = vec![
            students,
            ratio(self.helped as f64, students),
            self.light_help_starts as f64,
            r,
            ratio(1000.0 * r, students),
            ratio(self.referrals[Route::Huisarts as usize] as f64, r),
            ratio(self.referrals[Route::Wijkteam as usize] as f64, r),
            ratio(self.referrals[Route::School as usize] as f64, r),
            ratio(self.referrals[Route::Integraal as usize] as f64, r),
            ratio(
                GEMEENTE_ROUTES
                    .iter()
                    .map(|&g| self.referrals[g as usize] as f64)
                    .sum(),
                r,
            ),
            ratio(self.referrals[Route::Gi as usize] as f64, r),
            ratio(self.referrals[Route::MedischSpecialist as usize] as f64, r),
            ratio(self.referrals[Route::Jeugdarts as usize] as f64, r),
            ratio(self.referrals[Route::Other as usize] as f64, r),
            self.second_line_starts as f64,
            mean(&self.wait_intake),
            p90(&self.wait_intake),
            mean(&self.wait_light_help),
            mean(&self.wait_assessment),
            p90(&self.wait_assessment),
            mean(&self.wait_treatment),
            p90(&self.wait_treatment),
            ratio(self.first_help_levels as f64, self.first_helps as f64),
            ratio(self.handoffs as f64, self.cases_closed as f64),
            ratio(self.stories as f64, self.cases_closed as f64),
            self.thuiszitters as f64,
            ratio(1000.0 * self.thuiszitters as f64, students),
            self.clientenstop_bounces as f64,
            self.costs.iter().sum(),
        ];
        v.extend(self.costs.iter().copied());
        v.push(self.budget);
        v.push(self.budget - gemeente_cost);
        v.push(self.swv_budget);
        v.push(self.swv_budget - self.costs[Line::Swv as usize]);
        v.push(self.deferred as f64);
        v.push(self.list_dropouts as f64);
        let trajectories: u64 = self.trajectory_bands.iter().sum();
        v.extend(
            self.trajectory_bands
                .iter()
                .map(|&n| ratio(n as f64, trajectories as f64)),
        );
        for counts in [
            &self.cases_by_route,
            &self.referrals,
            &self.resolved_before_referral,
        ] {
            v.extend(ROUTES.iter().map(|&(_, r)| counts[r as usize] as f64));
        }
        v.push(ratio(
            self.time_to_help_days as f64,
            self.first_helps as f64,
        ));
        v.push(self.poh_seen as f64);
        v.push(ratio(
            (self.poh_seen - self.poh_referred.min(self.poh_seen)) as f64,
            self.poh_seen as f64,
        ));
        v.push(self.dsav_refusals as f64);
        let ambulant = self.second_line_starts - self.starts_verblijf.min(self.second_line_starts);
        v.push(ambulant as f64);
        v.push(self.starts_verblijf as f64);
        v.push(self.caseload_ambulant as f64);
        v.push(self.caseload_verblijf as f64);
        v.push(self.cost_ambulant);
        v.push(self.cost_verblijf);
        v.push(mean(&self.wait_verblijf));
        v.push(ratio(
            self.starts_verblijf as f64,
            self.second_line_starts as f64,
        ));
        v
    }
}

/// Results of one replication, for output years only.
/// The waiting lists on one month's sample date (`timeseries.csv`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Month {
    /// Calendar year (an output year).
    pub year: u32,
    /// 1 to 12.
    pub month: u32,
    /// Families waiting, in `timeseries.csv`'s order: wijkteam intake,
    /// assessment, ambulant treatment, a place with stay.
    pub queues: [u32; 4],
}

#[derive(Debug, Clone, Default)]
pub struct ReplicationResult {
    /// [year][gemeente]
    pub years: Vec<Vec<YearAcc>>,
    /// [year][school type]
    pub by_type: Vec<[TypeAcc; 6]>,
    /// The waiting lists on each month's sample date.
    pub monthly: Vec<Month>,
    pub events: u64,
    /// End-of-year conservation checks: (year, students counted, students by stage).
    pub ledger: Vec<Ledger>,
}

/// Accounting at a year's end: every student is in exactly one stage and
/// every referral is either waiting, in care, finished or withdrawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ledger {
    pub year: u32,
    pub students: u64,
    pub students_in_stages: u64,
    pub referrals_total: u64,
    pub referrals_accounted: u64,
}

pub fn school_type_names() -> [&'static str; 6] {
    SchoolType::ALL.map(|t| t.as_str())
}
