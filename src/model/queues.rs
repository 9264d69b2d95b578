//! The second line's waiting lists as real ones behave (docs/ODD.md,
//! "Second line and its waiting lists"): capacity that follows last year's
//! demand at a target utilisation, triage (level 4 first), and families
//! who leave a list while they wait.

use super::*;
use crate::engine::minutes::{DAY, WEEK};

/// What the assessment and treatment lists saw in each of the last twelve
/// months: the demand that capacity follows (a trailing year, updated at
/// each month's end, so capacity lags demand by about half a year).
#[derive(Debug, Clone, Copy, Default)]
pub struct Demand {
    /// Months completed so far; the current month's slot is `months % 12`.
    months: u32,
    assess_joins: [u64; 12],
    treat_joins: [u64; 12],
    treat_starts: [u64; 12],
    /// Treatment days drawn for the treatments started.
    treat_days: [f64; 12],
    /// The same for the verblijf list and its stays.
    stay_joins: [u64; 12],
    stay_starts: [u64; 12],
    stay_days: [f64; 12],
    /// This year's factor on capacity (cuts, changes), that on the
    /// verblijf places (the same times `verblijf_capacity`'s cuts and
    /// changes) and students / 1,000.
    keep: f64,
    stay_keep: f64,
    thousands: f64,
}

impl Demand {
    pub fn encode(&self, w: &mut crate::checkpoint::codec::Writer) {
        w.u32(self.months);
        for a in [&self.assess_joins, &self.treat_joins, &self.treat_starts] {
            a.iter().for_each(|&x| w.u64(x));
        }
        self.treat_days.iter().for_each(|&x| w.f64(x));
        for a in [&self.stay_joins, &self.stay_starts] {
            a.iter().for_each(|&x| w.u64(x));
        }
        self.stay_days.iter().for_each(|&x| w.f64(x));
        w.f64(self.keep);
        w.f64(self.stay_keep);
        w.f64(self.thousands);
    }

    pub fn decode(
        r: &mut crate::checkpoint::codec::Reader,
    ) -> Result<Self, crate::checkpoint::codec::DecodeError> {
        let mut d = Demand {
            months: r.u32()?,
            ..Demand::default()
        };
        for a in [&mut d.assess_joins, &mut d.treat_joins, &mut d.treat_starts] {
            for x in a.iter_mut() {
                *x = r.u64()?;
            }
        }
        for x in d.treat_days.iter_mut() {
            *x = r.f64()?;
        }
        for a in [&mut d.stay_joins, &mut d.stay_starts] {
            for x in a.iter_mut() {
                *x = r.u64()?;
            }
        }
        for x in d.stay_days.iter_mut() {
            *x = r.f64()?;
        }
        d.keep = r.f64()?;
        d.stay_keep = r.f64()?;
        d.thousands = r.f64()?;
        Ok(d)
    }

    fn slot(&self) -> usize {
        (self.months % 12) as usize
    }

    pub fn assess_join(&mut self) {
        self.assess_joins[self.slot()] += 1;
    }

    pub fn treat_join(&mut self) {
        self.treat_joins[self.slot()] += 1;
    }

    pub fn treat_start(&mut self, days: f64) {
        let i = self.slot();
        self.treat_starts[i] += 1;
        self.treat_days[i] += days;
    }

    pub fn stay_join(&mut self) {
        self.stay_joins[self.slot()] += 1;
    }

    pub fn stay_start(&mut self, days: f64) {
        let i = self.slot();
        self.stay_starts[i] += 1;
        self.stay_days[i] += days;
    }

    /// Yearly arrivals on the verblijf list and the mean stay days (None
    /// before any stay started), over the same window.
    fn stay_per_year(&self, window: u32) -> (f64, Option<f64>) {
        let n = (self.months + 1).min(window);
        let scale = 12.0 / f64::from(n);
        let slots = (0..n).map(|k| ((self.months + 12 - k) % 12) as usize);
        let (mut joins, mut starts, mut days) = (0u64, 0u64, 0.0);
        for i in slots {
            joins += self.stay_joins[i];
            starts += self.stay_starts[i];
            days += self.stay_days[i];
        }
        let mean = (starts > 0).then(|| days / starts as f64);
        (joins as f64 * scale, mean)
    }

    /// Yearly rates over the months seen (at most the last twelve, the
    /// current one included): (assessment arrivals, treatment arrivals,
    /// mean treatment days or None before any start).
    fn per_year(&self, window: u32) -> (f64, f64, Option<f64>) {
        let n = (self.months + 1).min(window);
        let scale = 12.0 / f64::from(n);
        let slots: Vec<usize> = (0..n)
            .map(|k| ((self.months + 12 - k) % 12) as usize)
            .collect();
        let a: u64 = slots.iter().map(|&i| self.assess_joins[i]).sum();
        let t: u64 = slots.iter().map(|&i| self.treat_joins[i]).sum();
        let starts: u64 = slots.iter().map(|&i| self.treat_starts[i]).sum();
        let days: f64 = slots.iter().map(|&i| self.treat_days[i]).sum();
        let mean = (starts > 0).then(|| days / starts as f64);
        (a as f64 * scale, t as f64 * scale, mean)
    }

    /// A month ended: its slot is kept, the oldest makes way.
    fn next_month(&mut self) {
        self.months += 1;
        let i = self.slot();
        self.assess_joins[i] = 0;
        self.treat_joins[i] = 0;
        self.treat_starts[i] = 0;
        self.treat_days[i] = 0.0;
        self.stay_joins[i] = 0;
        self.stay_starts[i] = 0;
        self.stay_days[i] = 0.0;
    }
}

impl World<'_> {
    /// Puts `s` on the assessment list (or the treatment list: the
    /// verblijf list when the case needs stay): level 4 ahead of the
    /// others when triage is on, and the week the family would leave the
    /// list if still waiting then.
    pub(super) fn join_list(&mut self, s: u32, treatment: bool, now: Time, q: &mut EventQueue<Ev>) {
        self.join_list_since(s, treatment, now, now, q);
    }

    /// [`World::join_list`] for a youth waiting since `since` (an observed
    /// state's list on its reference date; `now` otherwise).
    pub(super) fn join_list_since(
        &mut self,
        s: u32,
        treatment: bool,
        since: Time,
        now: Time,
        q: &mut EventQueue<Ev>,
    ) {
        let mut e = self.queue_entry(s, now);
        e.since = since;
        let stay = treatment && self.case(s).stay;
        let (triage, rate) = if stay {
            let v = &self.p.verblijf;
            (v.triage_urgent_first, v.dropout_per_week)
        } else {
            let sl = &self.p.second_line;
            (sl.triage_urgent_first, sl.dropout_per_week)
        };
        let urgent = triage && self.st(s).level >= 4;
        let list = if stay {
            self.demand.stay_join();
            &mut self.verblijf
        } else if treatment {
            self.demand.treat_join();
            &mut self.treatment
        } else {
            self.demand.assess_join();
            &mut self.assessment
        };
        if urgent {
            list.join_urgent(e);
        } else {
            list.join(e);
        }
        if rate > 0.0 {
            let weeks = self.dropout_decision(s, treatment).unit_exponential() / rate;
            let d = (weeks * WEEK as f64).round().max(1.0);
            // Far beyond any horizon: never scheduled (it would never run).
            if d < 1e15 {
                let ev = Ev::Care {
                    s,
                    v: e.ticket,
                    k: CareEvent::LeaveList,
                };
                q.schedule_in(d as Time, ev);
            }
        }
    }

    /// The decision of when `s` would leave this list: keyed by the need,
    /// the signals so far in it (a new case of the same need comes with a
    /// new signal), the hand-offs of the case and the list, so each join
    /// has its own occurrence without a counter in the case record.
    fn dropout_decision(&self, s: u32, treatment: bool) -> Decision {
        let occurrence = self.list_occurrence(s) | u32::from(treatment);
        self.decision(s, kind::WAIT_DROPOUT, occurrence)
    }

    /// The need, its signals so far and the case's hand-offs, shifted one
    /// bit left: one occurrence per assessment of a case.
    fn list_occurrence(&self, s: u32) -> u32 {
        let c = self.case(s);
        let signals = u32::from(c.counts[Counted::SchoolSignal as usize])
            + u32::from(c.counts[Counted::OtherSignal as usize]);
        (u32::from(c.need_no) << 16) | ((signals & 0x7f) << 9) | (u32::from(c.handoffs) << 1)
    }

    /// Whether the treatment decided at this assessment needs stay: a
    /// court order (GI route) has its own chance, others by level.
    pub(super) fn decide_stay(&self, s: u32) -> bool {
        let v = &self.p.verblijf;
        let p = if self.case(s).route == Route::Gi {
            v.share_court_order
        } else {
            v.share[usize::from(self.st(s).level.clamp(1, 4) - 1)]
        };
        p > 0.0
            && self
                .decision(s, kind::STAY, self.list_occurrence(s))
                .bernoulli(p)
    }

    /// The family leaves the list it still waits on (its entry's ticket
    /// is its care version, so the event is stale once it left the list).
    pub(super) fn leave_list(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        if !matches!(self.st(s).stage, Stage::AssessQueue | Stage::TreatQueue) {
            return;
        }
        self.acc_of(s).list_dropouts += 1;
        self.withdraw_from_care(s, now, q);
        self.back_to_unmet(s, now, q);
    }

    /// Sets this year's factors on second-line capacity (`stay_keep` on
    /// the verblijf places) and the capacity itself (see
    /// [`World::follow_demand`]). In the first model year, before any
    /// month of demand is seen, and without a target utilisation: the
    /// per-1,000-student keys.
    pub(super) fn set_second_line_capacity(&mut self, keep: f64, stay_keep: f64, thousands: f64) {
        self.demand.keep = keep;
        self.demand.stay_keep = stay_keep;
        self.demand.thousands = thousands;
        self.second_line_capacity();
    }

    /// At a month's end: capacity follows the demand of the trailing year,
    /// and whoever can start now starts.
    pub(super) fn follow_demand(&mut self, now: Time, q: &mut EventQueue<Ev>) {
        self.second_line_capacity();
        self.demand.next_month();
        self.try_assess(now, q);
        self.try_treat(now, q);
        self.try_stay(now, q);
    }

    /// Capacity: the offered load (arrivals x days each, per day of the
    /// year) over the target utilisation, times `keep` (the verblijf
    /// places times `stay_keep`).
    fn second_line_capacity(&mut self) {
        let sl = &self.p.second_line;
        let d = &self.demand;
        let (keep, stay_keep, thousands) = (d.keep, d.stay_keep, d.thousands);
        let seen = d.months > 0;
        let (assess_per_year, treat_per_year, mean_days) = d.per_year(sl.capacity_window_months);
        let year_days = YEAR as f64 / DAY as f64;
        self.assessment.capacity = if seen && sl.target_utilisation > 0.0 {
            places(assess_per_year * sl.assessment_days / year_days / sl.target_utilisation * keep)
        } else {
            (sl.assessments_per_week_per_1000 * thousands * sl.assessment_days / 7.0 * keep).round()
                as u32
        };
        self.treatment.capacity = match mean_days {
            Some(days) if seen && sl.treatment_target_utilisation > 0.0 => {
                places(treat_per_year * days / year_days / sl.treatment_target_utilisation * keep)
            }
            _ => (sl.treatment_slots_per_1000 * thousands * keep).round() as u32,
        };
        let v = &self.p.verblijf;
        let (stay_per_year, stay_days) = d.stay_per_year(sl.capacity_window_months);
        self.verblijf.capacity = match stay_days {
            Some(days) if seen && v.target_utilisation > 0.0 => {
                places(stay_per_year * days / year_days / v.target_utilisation * stay_keep)
            }
            _ => (v.places_per_1000 * thousands * stay_keep).round() as u32,
        };
    }
}

/// Whole places for a load: rounded, at least one where there is any load.
fn places(load: f64) -> u32 {
    if load > 0.0 {
        (load.round() as u32).max(1)
    } else {
        0
    }
}
