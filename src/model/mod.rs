//! The regional model: students whose needs escalate while unmet, the
//! organisations that signal and help them, and the queues between them.
//!
//! One [`World`] is one replication of one scenario. Each student carries a
//! *need clock* (onset, escalation, resolution, signals, leaving school:
//! competing hazards, of which only the earliest is scheduled, brought up
//! to date whenever the state changes) and a *care process* (hand-offs,
//! intakes, help, referrals). Both are cancelled lazily by per-student
//! versions. Every random draw is a decision keyed by (person, kind,
//! occurrence), see `kind` and [`Counted`].
//! Invariant: no I/O; results are returned as values.

mod calendar;
mod care;
mod flows;
mod initial;
mod metric_spec;
mod metrics;
mod needs;
mod partition;
mod population;
mod queues;
mod second_line;
mod service;
mod snapshot;
mod year;

pub use calendar::{Calendar, SCHOOL_WEEKS};
pub use metric_spec::{MetricSpec, metric_label, metric_specs, metrics_markdown};
pub use metrics::{
    FORECAST_MEASURES, FORECAST_TOTAL, FORMS, Flows, GEMEENTE_ROUTES, LINES, Ledger, Month, ROUTES,
    ReplicationResult, Route, TypeAcc, YearAcc, metric_names, school_type_names,
};

use crate::engine::{
    Decision, EventQueue, Handler, Progress, StreamKey, Time, minutes::YEAR, run_until,
};
use crate::scenario::{Params, Scenario, SchoolType};
use service::Service;

/// What each random draw of a student decides: the `kind` of its decision
/// key (person, kind, occurrence), see [`crate::engine::Decision`]. The
/// occurrence is fixed by the student's own history, never by a running
/// stream position, so a decision taken in one scenario and not in another
/// shifts no other draw (common random numbers that survive divergence).
mod kind {
    /// Drawn once, when the student enters (a stream, never continued).
    pub const POPULATION: u32 = 0;
    /// The hazard to the n-th onset candidate (occurrence: n).
    pub const ONSET: u32 = 1;
    /// The severity of the need begun by candidate n (occurrence: n).
    pub const ONSET_LEVEL: u32 = 2;
    /// The hazard to escalation from a level (occurrence: need, level).
    pub const ESCALATE: u32 = 3;
    /// The hazard to spontaneous resolution of a need.
    pub const RESOLVE: u32 = 4;
    /// The destination at the end of a school type (occurrence: year).
    pub const COHORT: u32 = 5;
    /// The place in the queue for a school of the next type (year).
    pub const POOL_ORDER: u32 = 6;
    /// The unit hazard to leaving a second-line waiting list (occurrence:
    /// need, signals in the need, hand-offs in the case, which list; see
    /// `queues::World::join_list`).
    pub const WAIT_DROPOUT: u32 = 7;
    /// Whether, when and at which severity a court order (youth
    /// protection, a GI) comes in a year (occurrence: year).
    pub const COURT_ORDER: u32 = 8;
    /// Whether the treatment decided at an assessment needs stay
    /// (occurrence: need, signals, hand-offs; see
    /// `queues::World::decide_stay`).
    pub const STAY: u32 = 9;
    /// The draws that put a youth of an observed state in care or on a
    /// list on the reference date (occurrence: see `initial`).
    pub const STATE: u32 = 10;
    /// Kinds counted per need (see [`super::Counted`]) start here.
    pub const COUNTED: u32 = 100;
}

/// Decisions that can come more than once in one need: the n-th of each
/// kind in the need is occurrence (need, n); counters in [`Case`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Counted {
    /// Hazard to the next school signal (and its arming at onset).
    SchoolSignal,
    /// Hazard to the next signal by parents, jeugdarts or leerplicht, and
    /// which of them signals.
    OtherSignal,
    /// Hazard to leaving school (absence).
    LeaveSchool,
    Basisondersteuning,
    Smw,
    SwvGrant,
    SwvSuccess,
    DsavSuccess,
    HandoffLoss,
    LightHelpSuccess,
    GpReferral,
    PohSuccess,
    TreatmentDays,
    TreatmentSuccess,
    /// Whether a jeugdarts who signals refers directly.
    JeugdartsReferral,
    /// Whether a medisch specialist refers.
    SpecialistReferral,
    /// Whether the ondersteuningsteam sends the parents to the huisarts.
    SchoolToHuisarts,
    /// Whether a need resolved by DSAV is labelled and referred anyway.
    InducedReferral,
}

const COUNTED: usize = 18;

/// Where a student is in the support system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Stage {
    /// No need.
    Healthy,
    /// A need nobody has signalled yet (or that care left unresolved).
    Unmet,
    /// Waiting for the school's next ondersteuningsteam meeting.
    WaitOt,
    /// Being handed over to another organisation.
    Transit,
    IntakeQueue,
    Intake,
    CaseloadQueue,
    LightHelp,
    Consult,
    Poh,
    Swv,
    Dsav,
    /// Referral bounced by a cliëntenstop; tries again later.
    Bounced,
    AssessQueue,
    Assessment,
    TreatQueue,
    /// Treatment start deferred to next year: the paying pot is spent.
    Deferred,
    Treatment,
}

pub const STAGE_COUNT: usize = 18;

impl Stage {
    /// Whether the need can escalate or resolve by itself in this stage
    /// (everywhere except while help is under way).
    fn need_clock_runs(self) -> bool {
        !matches!(
            self,
            Stage::Healthy
                | Stage::LightHelp
                | Stage::Poh
                | Stage::Swv
                | Stage::Dsav
                | Stage::Treatment
        )
    }

    /// Waiting on a second-line list (assessment, treatment or stay; or
    /// bounced by a cliëntenstop, or deferred by a spent budget).
    fn on_second_line_list(self) -> bool {
        matches!(
            self,
            Stage::Bounced | Stage::AssessQueue | Stage::TreatQueue | Stage::Deferred
        )
    }

    fn in_second_line(self) -> bool {
        matches!(
            self,
            Stage::Bounced
                | Stage::AssessQueue
                | Stage::Assessment
                | Stage::TreatQueue
                | Stage::Deferred
                | Stage::Treatment
        )
    }
}

/// Who signals a need first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    School,
    ParentsHuisarts,
    ParentsWijkteam,
    Jeugdarts,
    Leerplicht,
    /// A hospital visit: the medisch specialist.
    Specialist,
    /// Parents who go to free-access care or refer themselves.
    SelfReferral,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedEvent {
    Onset,
    Escalate,
    Resolve,
    Signal(Source),
    /// A signal by parents, jeugdarts or leerplicht (one competing
    /// hazard, their sum); which of them is drawn when it happens.
    OtherSignal,
    LeaveSchool,
}

/// Where a hand-off goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    Wijkteam,
    /// A worker with the mandate to refer (after an OK-coach without one).
    Jeugdprofessional,
    /// The parents take the school's advice to the huisarts.
    Huisarts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareEvent {
    OtMeeting,
    Arrive(Dest),
    IntakeDone,
    LightHelpDone,
    ConsultDone,
    PohDone,
    SwvDone,
    DsavDone,
    RetryReferral,
    AssessmentDone,
    TreatmentDone,
    /// The family leaves the second-line list it waits on.
    LeaveList,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ev {
    Need {
        s: u32,
        v: u32,
        k: NeedEvent,
    },
    Care {
        s: u32,
        v: u32,
        k: CareEvent,
    },
    /// A court order for the student in place `s`, if it still holds the
    /// person whose number ends in `p` (places are reused).
    CourtOrder {
        s: u32,
        p: u32,
        level: u8,
    },
    Month,
}

/// The event list sorts this much simulated time at once: long enough that
/// few events are scheduled into the window being run (they go to a small
/// heap), short enough that the sort stays in cache. 28 days was fastest of
/// 7, 28 and 91 at 25,000 and 1.5 million students (docs/PERFORMANCE.md).
const BUCKET_WIDTH: Time = 28 * crate::engine::minutes::DAY;

/// Bytes per student of the two per-student records.
pub const STUDENT_BYTES: usize = std::mem::size_of::<Student>() + std::mem::size_of::<Case>();
pub const NO_SCHOOL: u32 = u32::MAX;
const NEVER: Time = Time::MAX;

/// What the need clock reads and writes: every event of a student touches
/// this record, so it is one cache line (64 bytes, aligned). The state of
/// the student's case, which only care events need, is in [`Case`].
#[derive(Debug, Clone)]
#[repr(align(64))]
pub struct Student {
    /// Identity for random streams; never reused.
    person: u64,
    school: u32,
    wijk: u32,
    grade: u8,
    level: u8,
    stage: Stage,
    gp_preference: bool,
    family_risk: f32,
    /// Hazard (unit exponential) still to accumulate before the need
    /// clock's competing events happen, as of `clock_time`: the next onset
    /// candidate, escalation, resolution (signals and leaving school are
    /// in `Case`).
    hazard: [f32; 3],
    /// Number of the next onset candidate: candidates come at the onset
    /// rate whether or not the student has a need, and the first one while
    /// without a need is an onset (see `needs`).
    candidate: u16,
    /// The state the need clock's rates were last set from (see
    /// `needs::clock_state`).
    clock_state: u8,
    /// When the hazards were last brought up to date.
    clock_time: Time,
    /// Out of school since (NEVER when in school).
    out_since: Time,
    /// Versions for lazy cancellation: the need clock's and the care
    /// process's (also stamped on waiting-list entries).
    need_v: u32,
    care_v: u32,
}

/// A student's case and care history, the need's decision counters and
/// the hazards of its signals: read by care events and by the need clock
/// while a need is unmet. One cache line (64 bytes, aligned).
#[derive(Debug, Clone)]
#[repr(align(64))]
pub struct Case {
    route: Route,
    open: bool,
    /// The case led to a second-line referral.
    referred: bool,
    helped: bool,
    generalist_done: bool,
    level_at_help_start: u8,
    handoffs: u8,
    stories: u8,
    /// Number of the current (or last) need: the onset candidate that
    /// began it. Every draw about a need is keyed by it.
    need_no: u16,
    /// Decisions of each counted kind taken in the current need.
    counts: [u8; COUNTED],
    /// Hazard still to accumulate, as of the student's `clock_time`,
    /// before the school signal (in school time), the other signals and
    /// leaving school.
    hazard: [f32; 3],
    /// Treatment costs accrued up to this time.
    cost_mark: Time,
    /// When the current treatment ends.
    until: Time,
    /// Model years (u8: room in the cache line, and a run has at most
    /// 200 years; `NO_YEAR` for none).
    helped_year: u8,
    second_line_year: u8,
    thuis_year: u8,
    /// The day (modulo 2^16) the case was opened, for the time to first
    /// help (a difference of days, so the wrap never shows).
    opened_day: u16,
    /// A hand-off of this case lost information (it costs time and success).
    info_lost: bool,
    /// The treatment decided at the last assessment is care with stay
    /// (verblijf): it waits on, occupies and is paid as a verblijf place.
    stay: bool,
}

/// No model year yet (for `Case`'s year fields).
const NO_YEAR: u8 = u8::MAX;

impl Case {
    /// Index (0-based) of the need level at the first help of the case, for
    /// per-level tables of success rates and treatment costs.
    #[inline]
    fn help_level(&self) -> usize {
        usize::from(self.level_at_help_start.max(1) - 1)
    }
}

pub struct School {
    pub school_type: SchoolType,
    pub wijk: u32,
    pub gemeente: u32,
    /// Students the school holds this year (its group's size times the
    /// `[trends]` population factor).
    pub size: u32,
    /// Its group's students per school, as written.
    pub base_size: u32,
    pub enrolled: u32,
    pub dsav_hours: f64,
    /// This year's multiplier of `dsav_hours` from scoped levers (0 before
    /// a scoped DSAV start; 1 without scoped levers).
    pub dsav_factor: f64,
    /// This year's multiplier of school social work from scoped levers.
    pub smw_factor: f64,
    /// Index of its `[[schools]]` group.
    pub group: u32,
    /// Offset of its ondersteuningsteam meetings, in school time.
    pub ot_offset: Time,
    pub catchment_cdf: usize,
}

pub struct Team {
    pub gemeente: u32,
    pub base_fte: f64,
    pub fte: f64,
    pub intake: Service,
    pub intake_time: Time,
    pub caseload: Service,
}

/// One replication of one scenario.
pub struct World<'a> {
    sc: &'a Scenario,
    p: &'a Params,
    cal: Calendar,
    key: StreamKey,
    schools: Vec<School>,
    teams: Vec<Team>,
    students: Vec<Student>,
    /// The case of each student, same index.
    cases: Vec<Case>,
    free: Vec<u32>,
    /// Person numbers: a student who enters school `i` as the k-th new
    /// pupil of model year y is `first_person + y * places +
    /// first_place[i] + k` (y = 0 for the students built at the start),
    /// so a scenario with more or fewer new pupils elsewhere numbers
    /// nobody else anew.
    first_person: u64,
    first_place: Vec<u64>,
    places: u64,
    assessment: Service,
    treatment: Service,
    /// Places of care with stay (verblijf) and their list.
    verblijf: Service,
    /// Treatment starts deferred to next year by the hard cap.
    deferred: Vec<service::Entry>,
    /// Spending of this year per gemeente as the hard cap sees it: fixed
    /// staff, POH, assessments, and treatment days committed this year.
    spend: Vec<f64>,
    /// SWV arrangement spending this year.
    swv_spent: f64,
    /// Cumulative wijk weights for drawing home wijken: one table per
    /// catchment (0 = region, 1 + g = gemeente g).
    cdfs: Vec<Vec<(f64, u32)>>,
    /// Current model year (0-based, warm-up included).
    year: u32,
    /// Effective (after cuts) values for the current year.
    cut: f64,
    /// DSAV hours kept this year: 1 - cut, or 0 before DSAV is introduced.
    dsav_scale: f64,

    /// School social work hours kept this year (1 without a change).
    smw_scale: f64,
    /// This year's levers per gemeente (region values where none is scoped).
    local: Vec<year::Local>,
    clientenstop_limit: u32,
    acc: Vec<Vec<YearAcc>>,
    types: Vec<[TypeAcc; 6]>,
    monthly: Vec<Month>,
    ledger: Vec<Ledger>,
    referrals_total: u64,
    /// Every referral as (person, model year), when asked for
    /// ([`run_replication_with_referrals`]); `None` otherwise.
    referral_log: Option<Vec<(u64, u32)>>,
    second_line_done: u64,
    /// Demand seen this year by the assessment and treatment lists, for
    /// the capacity that follows it (see `queues`).
    demand: queues::Demand,
    /// The time of the event being handled.
    now: Time,
    /// DSAV interventions under way, and the most the region's DSAV
    /// specialists can carry at once this year.
    dsav_active: u32,
    dsav_capacity: u32,
    /// When each student's current (or last) treatment began (minutes;
    /// below zero for a youth of an observed state in care since before
    /// the run): a side array of `flows`, indexed like `students`.
    care_start: Vec<i64>,
    /// The observed state to start from at its reference date.
    initial: Option<&'a crate::state::InitialState>,
    /// The `[trends]` onset factor of the current year (1 without one).
    onset_factor: f64,
}

impl Handler<Ev> for World<'_> {
    fn handle(&mut self, now: Time, ev: Ev, q: &mut EventQueue<Ev>) {
        self.now = now;
        match ev {
            Ev::Need { s, v, k } => {
                if self.students[s as usize].need_v == v {
                    self.need_event(s, k, now, q);
                }
            }
            Ev::Care { s, v, k } => {
                if self.students[s as usize].care_v == v {
                    self.care_event(s, k, now, q);
                }
            }
            Ev::CourtOrder { s, p, level } => {
                if self.students[s as usize].person as u32 == p {
                    self.court_order(s, level, now, q);
                }
            }
            Ev::Month => self.month(now, q),
        }
    }

    #[inline]
    fn prefetch(&self, next: &Ev) {
        if let Ev::Need { s, .. } | Ev::Care { s, .. } | Ev::CourtOrder { s, .. } = next {
            self.prefetch_student(*s);
        }
    }
}

/// Takes the next live entry of `service` for a free server.
fn start_live(service: &mut service::Service, students: &[Student]) -> Option<service::Entry> {
    service.start_next(|e| World::is_live(students, e))
}

/// Asks the CPU to start loading the cache lines of `x` (a hint: no effect
/// on results, and nothing on targets without a prefetch instruction).
#[inline]
fn prefetch_lines<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        const LINE: usize = 64;
        let p = (x as *const T).cast::<i8>();
        let size = std::mem::size_of::<T>().max(1);
        // The first byte of `x`, then the first byte of every further cache
        // line that `x` reaches into.
        let mut off = 0;
        while off < size {
            // SAFETY: `off < size`, so the address is inside `x`; and
            // prefetching never faults or changes memory.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(p.add(off)) };
            off += LINE - (p as usize + off) % LINE;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Runs one replication of `sc` and returns its counts for the output years.
/// `progress` receives the fraction of simulated time done (0 to 1).
///
/// A scenario with several jeugdregio's runs each as an independent region
/// (its own second line), in parallel; their results are merged in a fixed
/// order, so nothing depends on the thread count.
pub fn run_replication(
    sc: &Scenario,
    seed: u64,
    replication: u32,
    progress: &mut dyn FnMut(f64),
) -> ReplicationResult {
    run_replication_from(sc, None, seed, replication, progress)
}

/// [`run_replication`] from an observed state: at the start of the state's
/// model year its caseloads and waiting lists are set (see `initial`).
/// Without a state the same as `run_replication`.
pub fn run_replication_from(
    sc: &Scenario,
    initial: Option<&crate::state::InitialState>,
    seed: u64,
    replication: u32,
    progress: &mut dyn FnMut(f64),
) -> ReplicationResult {
    // A state's budgets replace the scenario's youth budgets (whole run).
    let budgeted;
    let sc = match initial {
        Some(init) if init.gemeenten.iter().any(|g| g.budget_eur.is_some()) => {
            let mut x = sc.clone();
            for g in &init.gemeenten {
                if let (Some(b), Some(gem)) = (g.budget_eur, x.gemeenten.get_mut(g.gemeente)) {
                    gem.youth_budget_eur = b;
                }
            }
            budgeted = x;
            &budgeted
        }
        _ => sc,
    };
    if sc.jeugdregios.len() <= 1 {
        return run_region(sc, initial, seed, replication, 0, progress);
    }
    use rayon::prelude::*;
    let parts = partition::split(sc);
    let results: Vec<ReplicationResult> = parts
        .par_iter()
        .enumerate()
        // Person numbers of region i start at i * 2^40: unique streams
        // (a region numbers (years + 1) x its school places, far fewer).
        .map(|(i, (sub, global))| {
            let init = initial.map(|s| s.subset(global));
            let first = (i as u64) << 40;
            run_region(sub, init.as_ref(), seed, replication, first, &mut |_| {})
        })
        .collect();
    progress(1.0);
    partition::merge(sc, &parts, results)
}

fn run_region(
    sc: &Scenario,
    initial: Option<&crate::state::InitialState>,
    seed: u64,
    replication: u32,
    first_person: u64,
    progress: &mut dyn FnMut(f64),
) -> ReplicationResult {
    let span = Span {
        initial,
        ..Span::default()
    };
    match run_span(sc, seed, replication, first_person, span, progress) {
        Ok(RegionEnd::Done(r, _)) => r,
        // Without a saved state and a stop, a region always runs to its end.
        _ => unreachable!("a region run from its start returns its results"),
    }
}

/// [`run_replication`] of a scenario of one jeugdregio, with every
/// second-line referral as (person, calendar year), in the order they were
/// made, warm-up years included: which students a scenario refers and
/// when, to see how the paths of a pair of scenarios diverge
/// (`benches/vrf.rs --churn`). `None` for a scenario of several
/// jeugdregio's.
pub fn run_replication_with_referrals(
    sc: &Scenario,
    seed: u64,
    replication: u32,
) -> Option<(ReplicationResult, Vec<(u64, i32)>)> {
    if sc.jeugdregios.len() > 1 {
        return None;
    }
    let span = Span {
        log_referrals: true,
        ..Span::default()
    };
    match run_span(sc, seed, replication, 0, span, &mut |_| {}) {
        Ok(RegionEnd::Done(r, log)) => {
            let first = sc.simulation.start_year - sc.simulation.warmup_years as i32;
            let log = log
                .into_iter()
                .map(|(p, y)| (p, first + y as i32))
                .collect();
            Some((r, log))
        }
        _ => unreachable!("a region run from its start returns its results"),
    }
}

/// How a region's run ends: with its results, or saved at a year's start.
enum RegionEnd {
    /// The results, and the referral log when the span asked for one.
    Done(ReplicationResult, Vec<(u64, u32)>),
    Saved(Vec<u8>),
}

/// Where a region's run starts and stops: from an observed state set at
/// its reference date (`initial`), from a saved state (`from`), up to the
/// start of model year `until`.
#[derive(Default, Clone, Copy)]
struct Span<'a> {
    initial: Option<&'a crate::state::InitialState>,
    from: Option<&'a [u8]>,
    until: Option<u32>,
    /// Keep every referral as (person, model year).
    log_referrals: bool,
}

/// Runs one region from its start, or from the state `from` saved by an
/// earlier run of it (`snapshot`); to the end of the run, or only up to the
/// start of model year `until` (then its state is returned).
fn run_span(
    sc: &Scenario,
    seed: u64,
    replication: u32,
    first_person: u64,
    Span {
        initial,
        from,
        until,
        log_referrals,
    }: Span,
    progress: &mut dyn FnMut(f64),
) -> Result<RegionEnd, crate::checkpoint::codec::DecodeError> {
    let total_years = sc.simulation.warmup_years + sc.simulation.years;
    let end = u64::from(total_years) * YEAR;
    // Events are sorted four weeks at a time (see `EventQueue::with_buckets`).
    let mut q = EventQueue::with_buckets(1024, BUCKET_WIDTH);
    // The last year runs up to `end - 1`; later events would never run.
    q.set_horizon(end - 1);
    let mut w = World::new(sc, initial, seed, replication, first_person, &mut q);
    w.referral_log = log_referrals.then(Vec::new);
    let (mut events, first_year) = match from {
        None => {
            // Month events fall on the last minute of each month.
            q.schedule_in(YEAR / 12 - 1, Ev::Month);
            (0, 0)
        }
        Some(bytes) => {
            // The world was built from this scenario; its state (and its
            // event queue) are the saved ones.
            let (saved, next_year, events) = w.restore(bytes)?;
            if saved.horizon() != end - 1 {
                return Err(crate::checkpoint::codec::DecodeError::new(
                    "a state saved from a run of another length",
                ));
            }
            q = saved;
            (events, next_year)
        }
    };
    let stop = until.unwrap_or(total_years).min(total_years);
    for y in first_year..stop {
        if initial.is_some_and(|s| s.model_year == y) {
            w.inject_state(y, &mut q);
        }
        w.start_year(y, &mut q);
        w.start_year_routes(y, &mut q);
        let year_end = u64::from(y + 1) * YEAR;
        events += run_until(&mut w, &mut q, year_end - 1, &mut |p: Progress| {
            progress(p.now as f64 / end as f64);
        });
        w.end_year(year_end - 1, &mut q);
    }
    if until.is_some() {
        return Ok(RegionEnd::Saved(w.encode(&q, stop, events)));
    }
    let warm = sc.simulation.warmup_years as usize;
    Ok(RegionEnd::Done(
        ReplicationResult {
            years: w.acc.split_off(warm),
            by_type: w.types.split_off(warm),
            monthly: w.monthly,
            events,
            ledger: w.ledger,
        },
        w.referral_log.unwrap_or_default(),
    ))
}

/// Runs replication `replication` of `sc` up to the start of model year
/// `until` (0-based, warm-up included; 0 < until < all years) and returns
/// the state of each of its regions (one per jeugdregio, in order).
pub fn save_replication(sc: &Scenario, seed: u64, replication: u32, until: u32) -> Vec<Vec<u8>> {
    let saved = |sub: &Scenario, first_person: u64| match run_span(
        sub,
        seed,
        replication,
        first_person,
        Span {
            until: Some(until),
            ..Span::default()
        },
        &mut |_| {},
    ) {
        Ok(RegionEnd::Saved(b)) => b,
        _ => unreachable!("a region run with a stop returns its state"),
    };
    if sc.jeugdregios.len() <= 1 {
        return vec![saved(sc, 0)];
    }
    use rayon::prelude::*;
    partition::split(sc)
        .par_iter()
        .enumerate()
        .map(|(i, (sub, _))| saved(sub, (i as u64) << 40))
        .collect()
}

/// Continues replication `replication` of `sc` from the states
/// [`save_replication`] returned (of `sc` or of a scenario with the same
/// population) to the end of the run.
pub fn resume_replication(
    sc: &Scenario,
    seed: u64,
    replication: u32,
    states: &[Vec<u8>],
) -> Result<ReplicationResult, crate::checkpoint::codec::DecodeError> {
    let resumed = |sub: &Scenario, first_person: u64, state: &[u8]| match run_span(
        sub,
        seed,
        replication,
        first_person,
        Span {
            from: Some(state),
            ..Span::default()
        },
        &mut |_| {},
    )? {
        RegionEnd::Done(r, _) => Ok(r),
        RegionEnd::Saved(_) => unreachable!("a region run without a stop runs to its end"),
    };
    let regions = sc.jeugdregios.len().max(1);
    if states.len() != regions {
        return Err(crate::checkpoint::codec::DecodeError::new(format!(
            "a state of {} jeugdregio's for a scenario of {regions}",
            states.len()
        )));
    }
    if regions == 1 {
        return resumed(sc, 0, &states[0]);
    }
    use rayon::prelude::*;
    let parts = partition::split(sc);
    let results = parts
        .par_iter()
        .zip(states)
        .enumerate()
        .map(|(i, ((sub, _), state))| resumed(sub, (i as u64) << 40, state))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(partition::merge(sc, &parts, results))
}

impl<'a> World<'a> {
    fn new(
        sc: &'a Scenario,
        initial: Option<&'a crate::state::InitialState>,
        seed: u64,
        replication: u32,
        first_person: u64,
        q: &mut EventQueue<Ev>,
    ) -> Self {
        let total_years = (sc.simulation.warmup_years + sc.simulation.years) as usize;
        let mut w = World {
            sc,
            p: &sc.params,
            cal: Calendar::default(),
            key: StreamKey::new(seed, replication),
            schools: Vec::new(),
            teams: Vec::new(),
            students: Vec::new(),
            cases: Vec::new(),
            free: Vec::new(),
            first_person,
            first_place: Vec::new(),
            places: 0,
            assessment: Service::new(0),
            treatment: Service::new(0),
            verblijf: Service::new(0),
            deferred: Vec::new(),
            spend: vec![0.0; sc.gemeenten.len()],
            swv_spent: 0.0,
            cdfs: Vec::new(),
            year: 0,
            cut: 0.0,
            dsav_scale: 0.0,
            smw_scale: 1.0,
            local: vec![year::Local::new(&sc.params); sc.gemeenten.len()],
            clientenstop_limit: u32::MAX,
            acc: vec![vec![YearAcc::default(); sc.gemeenten.len()]; total_years],
            types: vec![[TypeAcc::default(); 6]; total_years],
            monthly: Vec::new(),
            ledger: Vec::new(),
            referrals_total: 0,
            referral_log: None,
            second_line_done: 0,
            demand: queues::Demand::default(),
            now: 0,
            dsav_active: 0,
            dsav_capacity: 0,
            care_start: Vec::new(),
            initial,
            onset_factor: sc.trends.onset.at(sc.calendar_year(0)),
        };
        w.build(q);
        w
    }

    /// Cancels the student's pending care events; returns the new version.
    #[inline]
    fn bump_care(&mut self, s: u32) -> u32 {
        let st = &mut self.students[s as usize];
        st.care_v = st.care_v.wrapping_add(1);
        st.care_v
    }

    /// Cancels the student's pending need-clock events; returns the new version.
    #[inline]
    fn bump_need(&mut self, s: u32) -> u32 {
        let st = &mut self.students[s as usize];
        st.need_v = st.need_v.wrapping_add(1);
        st.need_v
    }

    /// Whether a waiting-list entry still stands for its student.
    #[inline]
    fn is_live(students: &[Student], e: &service::Entry) -> bool {
        students[e.student as usize].care_v == e.ticket
    }

    /// A waiting-list entry for `s`, whose care version (the ticket) is
    /// bumped: any older entry of `s` becomes stale.
    fn queue_entry(&mut self, s: u32, now: Time) -> service::Entry {
        service::Entry {
            student: s,
            ticket: self.bump_care(s),
            since: now,
        }
    }

    #[inline]
    fn st(&self, s: u32) -> &Student {
        &self.students[s as usize]
    }

    #[inline]
    fn st_mut(&mut self, s: u32) -> &mut Student {
        &mut self.students[s as usize]
    }

    #[inline]
    fn case(&self, s: u32) -> &Case {
        &self.cases[s as usize]
    }

    #[inline]
    fn case_mut(&mut self, s: u32) -> &mut Case {
        &mut self.cases[s as usize]
    }

    /// Starts loading the records of student `s` (a hint; no effect on
    /// results).
    #[inline]
    fn prefetch_student(&self, s: u32) {
        if let (Some(st), Some(c)) = (self.students.get(s as usize), self.cases.get(s as usize)) {
            prefetch_lines(st);
            prefetch_lines(c);
        }
    }

    /// The draws of a decision of `kind` for `s` at `occurrence`.
    #[inline]
    fn decision(&self, s: u32, kind: u32, occurrence: u32) -> Decision {
        self.key
            .decision(self.students[s as usize].person, kind, occurrence)
    }

    /// The draws of the next decision of a counted kind in the student's
    /// current need: occurrence (need, n) for the n-th of that kind.
    #[inline]
    fn decide(&mut self, s: u32, c: Counted) -> Decision {
        let case = &mut self.cases[s as usize];
        let need = u32::from(case.need_no);
        let n = &mut case.counts[c as usize];
        let occurrence = (need << 16) | u32::from(*n);
        *n = n.wrapping_add(1);
        self.decision(s, kind::COUNTED + c as u32, occurrence)
    }

    fn gemeente_of(&self, s: u32) -> usize {
        self.sc.wijken[self.st(s).wijk as usize].gemeente
    }

    /// The counters of the current year for the student's home gemeente.
    fn acc_of(&mut self, s: u32) -> &mut YearAcc {
        let g = self.gemeente_of(s);
        &mut self.acc[self.year as usize][g]
    }

    fn school_type_of(&self, s: u32) -> SchoolType {
        self.schools[self.st(s).school as usize].school_type
    }

    fn care_event_at(&mut self, s: u32, delay: Time, k: CareEvent, q: &mut EventQueue<Ev>) {
        let v = self.bump_care(s);
        q.schedule_in(delay, Ev::Care { s, v, k });
    }

    fn month(&mut self, now: Time, q: &mut EventQueue<Ev>) {
        let warm = self.sc.simulation.warmup_years;
        let month = ((now % YEAR) * 12 / YEAR) as u32 + 1;
        if self.year >= warm {
            let intake: u32 = self.teams.iter().map(|t| t.intake.waiting()).sum();
            let label = (self.sc.simulation.start_year + (self.year - warm) as i32) as u32;
            self.monthly.push(Month {
                year: label,
                month,
                queues: [
                    intake,
                    self.assessment.waiting(),
                    self.treatment.waiting(),
                    self.verblijf.waiting(),
                ],
            });
        }
        self.follow_demand(now, q);
        q.schedule_in(YEAR / 12, Ev::Month);
    }
}

// The need clock's record is one cache line, the case one more
// (docs/PERFORMANCE.md).
const _: () = assert!(std::mem::size_of::<Student>() == 64);
const _: () = assert!(std::mem::size_of::<Case>() == 64);
