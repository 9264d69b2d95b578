//! The need clock of a student: onset, escalation while unmet, spontaneous
//! resolution, the competing signals that bring a need into the support
//! system, and leaving school. Only the earliest candidate is scheduled.
//!
//! Each competing event is a hazard: the event happens when the student has
//! accumulated a unit-exponential amount of it, drawn once per occurrence
//! (the modified next-reaction method, Anderson 2007). Whenever the state
//! changes, the hazard accumulated since the last change is taken off at the
//! rates of the old state and the next time computed at the new rates, so
//! the clock is exact for piecewise-constant rates, and a state change that
//! leaves a rate alone leaves its event time alone: two scenarios in which a
//! student's path differs elsewhere still give that student the same
//! escalation, resolution and signal times (common random numbers).
//!
//! Onsets come from a Poisson process of *candidates* at the onset rate
//! that runs whether or not the student has a need: the first candidate
//! while without a need is the onset (exact, the process being memoryless),
//! and every draw about that need is keyed by the candidate's number. A
//! student whose need ended earlier in one scenario than in another meets
//! the same next need in both unless a candidate fell in between, so paths
//! that diverged join again.

use super::calendar::SCHOOL_YEAR;
use super::*;
use crate::engine::minutes::{DAY, WEEK};

/// Converts a time in years (or school years) into ticks; `None` beyond any
/// horizon.
fn ticks(years: f64, unit: Time) -> Option<Time> {
    (years < 1.0e6).then_some((years * unit as f64) as Time)
}

/// Bits of [`Student::clock_state`] above the level (bits 0–2).
const RUNS: u8 = 1 << 3;
const UNMET: u8 = 1 << 4;
const OUT: u8 = 1 << 5;
const TREATMENT: u8 = 1 << 6;
/// On a second-line list, when `second_line.escalation_while_waiting` is
/// not 1 (only then, so the clock of a default run never sees it).
const WAITING: u8 = 1 << 7;

/// What the need clock's rates depend on besides the school and fixed
/// family attributes: level, whether the need can change by itself, unmet,
/// out of school, in treatment, waiting on a second-line list (when
/// `waiting_matters`).
fn clock_state(st: &Student, waiting_matters: bool) -> u8 {
    let mut x = st.level & 7;
    if st.stage.need_clock_runs() {
        x |= RUNS;
    }
    if st.stage == Stage::Unmet {
        x |= UNMET;
    }
    if st.out_since != NEVER {
        x |= OUT;
    }
    if st.stage == Stage::Treatment {
        x |= TREATMENT;
    }
    if waiting_matters && st.stage.on_second_line_list() {
        x |= WAITING;
    }
    x
}

/// The need clock's rates in one state: per year, the school signal per
/// school year. Onset candidates come at `onset` in every state.
#[derive(Debug, Clone, Copy, Default)]
struct Rates {
    onset: f64,
    escalate: f64,
    resolve: f64,
    leave: f64,
    school: f64,
    other: f64,
}

/// Takes `rate * dt` of hazard off `h` (never below zero).
#[inline]
fn spend(h: &mut f32, rate: f64, dt: f64) {
    if rate > 0.0 {
        *h = (f64::from(*h) - rate * dt).max(0.0) as f32;
    }
}

/// Time until hazard `h` is used up at `rate`, in ticks of `unit`.
#[inline]
fn time_left(h: f32, rate: f64, unit: Time) -> Option<Time> {
    if rate > 0.0 {
        ticks(f64::from(h) / rate, unit)
    } else {
        None
    }
}

impl World<'_> {
    /// Whether waiting on a second-line list changes the need clock (a
    /// structural alternative, `second_line.escalation_while_waiting`).
    pub(super) fn waiting_matters(&self) -> bool {
        self.p.second_line.escalation_while_waiting != 1.0
    }

    /// The need clock's rates for student `s` in `state`.
    fn rates(&self, s: u32, state: u8) -> Rates {
        let p = self.p;
        let st = self.st(s);
        let level = state & 7;
        let mut r = Rates {
            onset: p.needs.onset_per_year.get(self.school_type_of(s))
                * self.sc.wijken[st.wijk as usize].risk
                * f64::from(st.family_risk)
                * self.onset_factor,
            ..Rates::default()
        };
        if level == 0 {
            return r;
        }
        let l = usize::from(level - 1);
        let out = state & OUT != 0;
        if state & RUNS != 0 {
            r.escalate = if level < 4 {
                p.needs.escalation_per_year[l]
            } else {
                0.0
            };
            r.resolve = p.needs.resolution_per_year[l];
            if state & WAITING != 0 {
                r.escalate *= p.second_line.escalation_while_waiting;
            }
        }
        if level >= 3 && !out && state & TREATMENT == 0 {
            r.leave = p.thuiszitters.leave_school_per_year[l];
        }
        if state & UNMET != 0 {
            let sig = &p.signalling;
            r.school = if out {
                0.0
            } else {
                sig.school_per_school_year[l] * self.dsav_boost(s, level)
            };
            let routes = &p.routes;
            r.other = sig.parents_per_year[l]
                + sig.jeugdarts_per_year[l]
                + routes.specialist_per_year[l]
                + routes.self_referral_per_year[l]
                + if out { sig.leerplicht_per_year } else { 0.0 };
        }
        r
    }

    /// Takes the hazard accumulated since the clock was last set off every
    /// competing event, at the rates of the state it was set from. Call it
    /// before anything that changes those rates without `schedule_need`
    /// (which calls it itself), and before a hazard is drawn anew.
    pub(super) fn advance_need(&mut self, s: u32, now: Time) {
        let st = self.st(s);
        if st.school == NO_SCHOOL || st.clock_time >= now {
            return;
        }
        let (from, state) = (st.clock_time, st.clock_state);
        let r = self.rates(s, state);
        let dt = (now - from) as f64 / YEAR as f64;
        if r.school > 0.0 || r.other > 0.0 || r.leave > 0.0 {
            let ds = (self.cal.school_time(now) - self.cal.school_time(from)) as f64
                / SCHOOL_YEAR as f64;
            let h = &mut self.case_mut(s).hazard;
            spend(&mut h[0], r.school, ds);
            spend(&mut h[1], r.other, dt);
            spend(&mut h[2], r.leave, dt);
        }
        // Onset candidates that came while the student had a need pass by.
        let mut onset = r.onset * dt;
        while state & 7 != 0 && onset >= f64::from(self.st(s).hazard[0]) && onset > 0.0 {
            let st = self.st_mut(s);
            onset -= f64::from(st.hazard[0]);
            st.candidate = st.candidate.wrapping_add(1);
            let c = u32::from(st.candidate);
            let h = self.decision(s, kind::ONSET, c).unit_exponential();
            self.st_mut(s).hazard[0] = h as f32;
        }
        let st = self.st_mut(s);
        if onset > 0.0 {
            st.hazard[0] = (f64::from(st.hazard[0]) - onset).max(0.0) as f32;
        }
        spend(&mut st.hazard[1], r.escalate, dt);
        spend(&mut st.hazard[2], r.resolve, dt);
        st.clock_time = now;
    }

    /// Cancels the student's pending need events and schedules the next one.
    pub(super) fn schedule_need(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let v = self.bump_need(s);
        if self.st(s).school == NO_SCHOOL {
            return;
        }
        self.advance_need(s, now);
        let state = clock_state(self.st(s), self.waiting_matters());
        self.st_mut(s).clock_state = state;
        let r = self.rates(s, state);
        let st = self.st(s);
        let h = st.hazard;
        let mut best: Option<(Time, NeedEvent)> = None;
        let mut consider = |t: Option<Time>, k: NeedEvent| {
            if let Some(t) = t
                && best.is_none_or(|(b, _)| t < b)
            {
                best = Some((t, k));
            }
        };
        if st.level == 0 {
            consider(time_left(h[0], r.onset, YEAR), NeedEvent::Onset);
        }
        consider(time_left(h[1], r.escalate, YEAR), NeedEvent::Escalate);
        consider(time_left(h[2], r.resolve, YEAR), NeedEvent::Resolve);
        if r.school > 0.0 || r.other > 0.0 || r.leave > 0.0 {
            let ch = self.case(s).hazard;
            consider(
                time_left(ch[0], r.school, SCHOOL_YEAR)
                    .map(|d| self.cal.after_school_time(now, d) - now),
                NeedEvent::Signal(Source::School),
            );
            consider(time_left(ch[1], r.other, YEAR), NeedEvent::OtherSignal);
            consider(time_left(ch[2], r.leave, YEAR), NeedEvent::LeaveSchool);
        }
        if let Some((delay, k)) = best {
            q.schedule_in(delay, Ev::Need { s, v, k });
        }
    }

    /// The DSAV hours of every school change to `scale` of their base (a
    /// new year's cut, or DSAV's introduction): the school signals of
    /// unmet needs it boosts run at the old rate until now, the new after.
    /// `factors` are each school's scoped multipliers (DSAV, school social
    /// work); only schools whose DSAV hours change have their students'
    /// clocks set anew.
    pub(super) fn set_dsav_scale(
        &mut self,
        scale: f64,
        factors: &[(f64, f64)],
        now: Time,
        q: &mut EventQueue<Ev>,
    ) {
        let changed: Vec<bool> = self
            .schools
            .iter()
            .zip(factors)
            .map(|(x, &(f, _))| {
                x.dsav_hours * self.dsav_scale * x.dsav_factor != x.dsav_hours * scale * f
            })
            .collect();
        if !changed.contains(&true) {
            self.dsav_scale = scale;
            for (x, &(f, _)) in self.schools.iter_mut().zip(factors) {
                x.dsav_factor = f;
            }
            return;
        }
        let boosted: Vec<u32> = (0..self.students.len() as u32)
            .filter(|&s| {
                let st = self.st(s);
                st.school != NO_SCHOOL
                    && st.clock_state & UNMET != 0
                    && st.clock_state & OUT == 0
                    && st.clock_state & 7 <= 2
                    && changed[st.school as usize]
            })
            .collect();
        for &s in &boosted {
            self.advance_need(s, now);
        }
        self.dsav_scale = scale;
        for (x, &(f, _)) in self.schools.iter_mut().zip(factors) {
            x.dsav_factor = f;
        }
        self.set_dsav_capacity();
        for &s in &boosted {
            self.schedule_need(s, now, q);
        }
    }

    /// The `[trends]` onset factor changes (a new calendar year): every
    /// hazard runs at the old rates until now, onsets at the new after.
    pub(super) fn set_onset_factor(&mut self, factor: f64, now: Time, q: &mut EventQueue<Ev>) {
        if factor == self.onset_factor {
            return;
        }
        for s in 0..self.students.len() as u32 {
            self.advance_need(s, now);
        }
        self.onset_factor = factor;
        for s in 0..self.students.len() as u32 {
            let st = self.st(s);
            // Only a student without a need has an onset scheduled.
            if st.school != NO_SCHOOL && st.level == 0 {
                self.schedule_need(s, now, q);
            }
        }
    }

    /// The first hazard of each of a new need's events.
    pub(super) fn arm_need(&mut self, s: u32) {
        let need = u32::from(self.case(s).need_no);
        let level = u32::from(self.st(s).level);
        let escalate = self
            .decision(s, kind::ESCALATE, (need << 16) | level)
            .unit_exponential();
        let resolve = self.decision(s, kind::RESOLVE, need).unit_exponential();
        let school = self.decide(s, Counted::SchoolSignal).unit_exponential();
        let other = self.decide(s, Counted::OtherSignal).unit_exponential();
        let leave = self.decide(s, Counted::LeaveSchool).unit_exponential();
        let st = self.st_mut(s);
        st.hazard[1] = escalate as f32;
        st.hazard[2] = resolve as f32;
        self.case_mut(s).hazard = [school as f32, other as f32, leave as f32];
    }

    /// DSAV raises the school's detection of light and moderate needs.
    fn dsav_boost(&self, s: u32, level: u8) -> f64 {
        let hours = self.dsav_hours(s);
        if level <= 2 && hours > 0.0 {
            1.0 + self.p.dsav.detection_boost_per_hour * hours
        } else {
            1.0
        }
    }

    pub(super) fn need_event(&mut self, s: u32, k: NeedEvent, now: Time, q: &mut EventQueue<Ev>) {
        // Every hazard up to now first: the one that ran out is drawn anew.
        self.advance_need(s, now);
        match k {
            NeedEvent::Onset => {
                // This candidate begins the need and names its draws.
                let st = self.st_mut(s);
                let need = st.candidate;
                st.candidate = need.wrapping_add(1);
                let next = u32::from(st.candidate);
                let h = self.decision(s, kind::ONSET, next).unit_exponential();
                self.st_mut(s).hazard[0] = h as f32;
                let c = self.case_mut(s);
                c.need_no = need;
                c.counts = [0; COUNTED];
                let need = u32::from(need);
                let shares = self.p.needs.onset_level_shares;
                let u = self.decision(s, kind::ONSET_LEVEL, need).uniform();
                let level = level_from_shares(&shares, u);
                let st = self.st_mut(s);
                st.level = level;
                st.stage = Stage::Unmet;
                self.arm_need(s);
                self.schedule_need(s, now, q);
            }
            NeedEvent::Escalate => {
                let st = self.st_mut(s);
                st.level += 1;
                let level = u32::from(st.level);
                let need = u32::from(self.case(s).need_no);
                let h = self
                    .decision(s, kind::ESCALATE, (need << 16) | level)
                    .unit_exponential();
                self.st_mut(s).hazard[1] = h as f32;
                self.schedule_need(s, now, q);
            }
            NeedEvent::Resolve => {
                self.withdraw_from_care(s, now, q);
                self.resolve(s, now, q);
            }
            NeedEvent::LeaveSchool => {
                let h = self.decide(s, Counted::LeaveSchool).unit_exponential();
                self.case_mut(s).hazard[2] = h as f32;
                self.st_mut(s).out_since = now;
                self.schedule_need(s, now, q);
            }
            NeedEvent::Signal(source) => {
                let h = self.decide(s, Counted::SchoolSignal).unit_exponential();
                self.case_mut(s).hazard[0] = h as f32;
                self.signal(s, source, now, q);
            }
            NeedEvent::OtherSignal => {
                // One draw: the next hazard, and who signals this time
                // (in proportion to the rates now).
                let d = self.decide(s, Counted::OtherSignal);
                self.case_mut(s).hazard[1] = d.unit_exponential() as f32;
                let source = self.other_source(s, d.second_uniform());
                self.signal(s, source, now, q);
            }
        }
    }

    /// Who signals when the other signals' summed hazard ran out: parents,
    /// jeugdarts, a medisch specialist, parents going straight to
    /// free-access care, or leerplicht, with probability proportional to
    /// its rate.
    fn other_source(&self, s: u32, u: f64) -> Source {
        let st = self.st(s);
        let l = usize::from(st.level.max(1) - 1);
        let sig = &self.p.signalling;
        let routes = &self.p.routes;
        let leerplicht = if st.out_since != NEVER {
            sig.leerplicht_per_year
        } else {
            0.0
        };
        let parents = if st.gp_preference {
            Source::ParentsHuisarts
        } else {
            Source::ParentsWijkteam
        };
        let sources = [
            (sig.parents_per_year[l], parents),
            (sig.jeugdarts_per_year[l], Source::Jeugdarts),
            (routes.specialist_per_year[l], Source::Specialist),
            (routes.self_referral_per_year[l], Source::SelfReferral),
            (leerplicht, Source::Leerplicht),
        ];
        let mut x = u * sources.iter().map(|&(r, _)| r).sum::<f64>();
        for (rate, source) in sources {
            if x < rate {
                return source;
            }
            x -= rate;
        }
        // Rounding at the top end: the last source with a rate.
        sources
            .iter()
            .rev()
            .find(|&&(r, _)| r > 0.0)
            .map_or(Source::Jeugdarts, |&(_, source)| source)
    }

    /// The need is gone (help succeeded or it resolved by itself).
    pub(super) fn resolve(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        self.advance_need(s, now);
        let c = self.case(s);
        if c.open && !c.referred {
            let r = c.route as usize;
            self.acc_of(s).resolved_before_referral[r] += 1;
        }
        self.close_case(s);
        self.return_to_school(s, now);
        let st = self.st_mut(s);
        st.level = 0;
        st.stage = Stage::Healthy;
        // The next onset is the next candidate, already under way.
        self.schedule_need(s, now, q);
    }

    /// Care ended without resolving the need: back to unmet.
    pub(super) fn back_to_unmet(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        self.close_case(s);
        self.st_mut(s).stage = Stage::Unmet;
        self.bump_care(s);
        self.schedule_need(s, now, q);
    }

    pub(super) fn close_case(&mut self, s: u32) {
        let c = self.case_mut(s);
        if !c.open {
            return;
        }
        c.open = false;
        let (h, t) = (u64::from(c.handoffs), u64::from(c.stories));
        let route = c.route as usize;
        let a = self.acc_of(s);
        a.cases_closed += 1;
        a.cases_by_route[route] += 1;
        a.handoffs += h;
        a.stories += t;
    }

    /// Ends an absence spell; a spell of three months or more makes the
    /// student a thuiszitter in the year it reached that length.
    pub(super) fn return_to_school(&mut self, s: u32, now: Time) {
        self.count_thuiszitter(s, now);
        self.st_mut(s).out_since = NEVER;
    }

    pub(super) fn count_thuiszitter(&mut self, s: u32, now: Time) {
        let st = self.st(s);
        if st.out_since == NEVER
            || now - st.out_since < THUISZITTER_AFTER
            || self.case(s).thuis_year == self.year as u8
        {
            return;
        }
        self.case_mut(s).thuis_year = self.year as u8;
        self.acc_of(s).thuiszitters += 1;
    }

    /// Opens a new case on `route` (the story told once).
    pub(super) fn open_case(&mut self, s: u32, route: Route) {
        let day = (self.now / DAY) as u16;
        let c = self.case_mut(s);
        c.opened_day = day;
        c.info_lost = false;
        c.open = true;
        c.referred = false;
        c.helped = false;
        c.generalist_done = false;
        c.handoffs = 0;
        c.stories = 1;
        c.route = route;
    }

    /// A signal opens a case on the route of its source.
    fn signal(&mut self, s: u32, source: Source, now: Time, q: &mut EventQueue<Ev>) {
        let route = match source {
            Source::School => Route::School,
            Source::ParentsHuisarts => Route::Huisarts,
            Source::Specialist => Route::MedischSpecialist,
            Source::SelfReferral => Route::Other,
            _ => Route::Wijkteam,
        };
        self.open_case(s, route);
        let l = usize::from(self.st(s).level.max(1) - 1);
        match source {
            Source::School => self.school_signal(s, now, q),
            Source::ParentsHuisarts => self.to_huisarts(s, now, q),
            Source::ParentsWijkteam => self.to_wijkteam(s, now, q),
            Source::Jeugdarts => {
                // The jeugdarts refers directly or passes the case on to
                // the wijkteam.
                let p = self.p.routes.jeugdarts_referral_prob[l];
                if p > 0.0 && self.decide(s, Counted::JeugdartsReferral).bernoulli(p) {
                    self.refer(s, Route::Jeugdarts, now, q);
                } else {
                    self.hand_off(s, Dest::Wijkteam, 7 * DAY, 0.0, now, q);
                }
            }
            Source::Leerplicht => {
                // Leerplicht passes the case on to the wijkteam.
                self.hand_off(s, Dest::Wijkteam, 7 * DAY, 0.0, now, q);
            }
            Source::Specialist => {
                let p = self.p.routes.specialist_referral_prob[l];
                if self.decide(s, Counted::SpecialistReferral).bernoulli(p) {
                    self.refer(s, Route::MedischSpecialist, now, q);
                } else {
                    self.back_to_unmet(s, now, q);
                }
            }
            Source::SelfReferral => self.refer(s, Route::Other, now, q),
        }
    }

    /// Draws this year's court orders (youth protection, a GI): one
    /// decision per student and year, whatever the scenario does, so no
    /// school or wijkteam lever can prevent them.
    pub(super) fn start_year_routes(&mut self, y: u32, q: &mut EventQueue<Ev>) {
        self.now = q.now();
        self.set_dsav_capacity();
        self.court_orders(y, q);
    }

    fn court_orders(&mut self, y: u32, q: &mut EventQueue<Ev>) {
        let r = &self.p.routes;
        let base = r.gi_per_1000_per_year / 1000.0;
        if base <= 0.0 {
            return;
        }
        let shares = r.gi_level_shares;
        for s in 0..self.students.len() as u32 {
            let st = self.st(s);
            if st.school == NO_SCHOOL {
                continue;
            }
            let p = -libm::expm1(-base * f64::from(st.family_risk));
            let d = self.decision(s, kind::COURT_ORDER, y);
            let u = d.uniform();
            if u >= p {
                continue;
            }
            // Given an order, u / p is uniform: when in the year it comes.
            let at = ((u / p) * YEAR as f64) as Time;
            let level = level_from_shares(&shares, d.second_uniform());
            let person = st.person as u32;
            q.schedule_in(
                at.min(YEAR - 2),
                Ev::CourtOrder {
                    s,
                    p: person,
                    level,
                },
            );
        }
    }

    /// A court order: the youth goes to the second line via the GI, at
    /// least at the order's severity, out of whatever first-line care they
    /// were in; one already in the second line stays where they are.
    /// Begins a need at `level` for a healthy student, numbered by the
    /// next onset candidate like any other (a court order, an observed
    /// state): unmet, its signals armed.
    pub(super) fn begin_need(&mut self, s: u32, level: u8) {
        let st = self.st_mut(s);
        let need = st.candidate;
        st.candidate = need.wrapping_add(1);
        let next = u32::from(st.candidate);
        let h = self.decision(s, kind::ONSET, next).unit_exponential();
        self.st_mut(s).hazard[0] = h as f32;
        let c = self.case_mut(s);
        c.need_no = need;
        c.counts = [0; COUNTED];
        let st = self.st_mut(s);
        st.level = level;
        st.stage = Stage::Unmet;
        self.arm_need(s);
    }

    /// Sets a need's level to `level` and draws the hazard to escalation
    /// from it (keyed by the need and the level, as an escalation is).
    pub(super) fn raise_level(&mut self, s: u32, level: u8) {
        self.st_mut(s).level = level;
        let need = u32::from(self.case(s).need_no);
        let h = self
            .decision(s, kind::ESCALATE, (need << 16) | u32::from(level))
            .unit_exponential();
        self.st_mut(s).hazard[1] = h as f32;
    }

    pub(super) fn court_order(&mut self, s: u32, level: u8, now: Time, q: &mut EventQueue<Ev>) {
        let st = self.st(s);
        if st.school == NO_SCHOOL || st.stage.in_second_line() {
            return;
        }
        self.advance_need(s, now);
        if self.st(s).level == 0 {
            // The order begins a need.
            self.begin_need(s, level);
        } else {
            self.withdraw_from_care(s, now, q);
            if level > self.st(s).level {
                self.raise_level(s, level);
            }
        }
        if !self.case(s).open {
            self.open_case(s, Route::Gi);
        }
        self.refer(s, Route::Gi, now, q);
    }
}

/// The severity (1-4) that uniform `u` picks from shares of levels 1-4.
pub(super) fn level_from_shares(shares: &[f64; 4], u: f64) -> u8 {
    let mut cum = 0.0;
    for (i, sh) in shares.iter().enumerate() {
        cum += sh;
        if u < cum {
            return i as u8 + 1;
        }
    }
    4
}

/// Out of school this long makes a thuiszitter (three months).
pub const THUISZITTER_AFTER: Time = 13 * WEEK;

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join("test-region.toml");
        crate::scenario::load(&path).unwrap().scenario
    }

    /// The first student in a primary school, given an unmet need of level
    /// 2 at time 0 (its first need: candidate 0).
    fn with_need(w: &mut World<'_>) -> u32 {
        let s = (0..w.students.len() as u32)
            .find(|&s| w.school_type_of(s) == SchoolType::PO)
            .unwrap();
        let st = w.st_mut(s);
        st.level = 2;
        st.stage = Stage::Unmet;
        st.candidate = 1;
        w.case_mut(s).need_no = 0;
        w.arm_need(s);
        w.schedule_need(s, 0, &mut EventQueue::new());
        s
    }

    /// When each competing event would happen from the clock's state now:
    /// (escalation, resolution, other signals), absolute.
    fn event_times(w: &World<'_>, s: u32) -> [Option<Time>; 3] {
        let st = w.st(s);
        let r = w.rates(s, st.clock_state);
        let at = |t: Option<Time>| t.map(|t| st.clock_time + t);
        [
            at(time_left(st.hazard[1], r.escalate, YEAR)),
            at(time_left(st.hazard[2], r.resolve, YEAR)),
            at(time_left(w.case(s).hazard[1], r.other, YEAR)),
        ]
    }

    fn close(a: Option<Time>, b: Option<Time>) -> bool {
        // One tick of rounding per update, f32 hazards.
        matches!((a, b), (Some(a), Some(b)) if a.abs_diff(b) <= 2)
    }

    /// The modified next-reaction clock: stage changes that leave a rate
    /// alone leave its event where it was, and a pause moves it by exactly
    /// the pause, so a student whose care differs between two scenarios
    /// still escalates and resolves at the same times.
    #[test]
    fn a_state_change_that_keeps_a_rate_keeps_its_event_time() {
        let sc = scenario();
        let mut q = EventQueue::new();
        let mut w = World::new(&sc, None, 5, 0, 0, &mut q);
        let s = with_need(&mut w);
        let [esc, res, other] = event_times(&w, s);
        let first = [esc, res, other].iter().flatten().min().copied().unwrap();
        assert!(esc.is_some() && res.is_some() && other.is_some() && first > 100);
        // Steps well before any of them: unmet, in the intake queue, in a
        // caseload queue (the need clock runs in both; signals stop),
        // unmet again.
        let step = first / 10;
        for (t, stage) in [
            (step, Stage::IntakeQueue),
            (2 * step, Stage::CaseloadQueue),
            (3 * step, Stage::Unmet),
        ] {
            w.st_mut(s).stage = stage;
            w.schedule_need(s, t, &mut EventQueue::new());
            let [e, r, _] = event_times(&w, s);
            assert!(close(e, esc) && close(r, res), "{stage:?}: {e:?} {r:?}");
        }
        let [_, _, o] = event_times(&w, s);
        assert!(close(o, other.map(|t| t + 2 * step)), "{o:?} {other:?}");
        // Light help stops the need clock: escalation and resolution move
        // by the help's length.
        w.st_mut(s).stage = Stage::LightHelp;
        w.schedule_need(s, 4 * step, &mut EventQueue::new());
        w.st_mut(s).stage = Stage::Unmet;
        w.schedule_need(s, 7 * step, &mut EventQueue::new());
        let [e, r, _] = event_times(&w, s);
        let later = |t: Option<Time>| t.map(|t| t + 3 * step);
        assert!(close(e, later(esc)) && close(r, later(res)), "{e:?} {r:?}");
    }

    /// Onset candidates run through a need; a need that ends a day later
    /// meets the same next need unless a candidate came in that day, so
    /// paths that diverged join again.
    #[test]
    fn a_need_that_ends_later_meets_the_same_next_onset() {
        let sc = scenario();
        let onset_after = |end: Time| {
            let mut q = EventQueue::new();
            let mut w = World::new(&sc, None, 5, 0, 0, &mut q);
            let s = with_need(&mut w);
            let mut q = EventQueue::new();
            q.advance_to(end);
            w.withdraw_from_care(s, end, &mut q);
            w.resolve(s, end, &mut q);
            let (t, ev) = q.pop().expect("an onset is scheduled");
            assert!(
                matches!(
                    ev,
                    Ev::Need {
                        k: NeedEvent::Onset,
                        ..
                    }
                ),
                "{ev:?}"
            );
            (t, w.st(s).candidate)
        };
        let end = 30 * YEAR;
        let (early, c_early) = onset_after(end);
        let (late, c_late) = onset_after(end + DAY);
        assert!(early > end + DAY, "a candidate fell in the day");
        assert!(early.abs_diff(late) <= 2, "{early} {late}");
        assert_eq!(c_early, c_late);
        // Over 30 years with a need, candidates came and were passed by.
        assert!(c_early > 1, "{c_early}");
    }
}
