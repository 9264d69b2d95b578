//! The need clock of a student: onset, escalation while unmet, spontaneous
//! resolution, the competing signals that bring a need into the support
//! system, and leaving school. Only the earliest candidate is scheduled; the
//! clock is re-drawn whenever the student's state changes (all hazards are
//! exponential, so re-drawing is exact).

use super::calendar::SCHOOL_YEAR;
use super::*;
use crate::engine::minutes::{DAY, WEEK};

/// Converts an exponential draw in years into ticks; `None` beyond any horizon.
fn ticks(years: Option<f64>, unit: Time) -> Option<Time> {
    let y = years?;
    (y < 1.0e6).then_some((y * unit as f64) as Time)
}

impl World<'_> {
    /// Cancels the student's pending need events and schedules the next one.
    pub(super) fn schedule_need(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let v = self.bump_need(s);
        let st = self.st(s);
        if st.school == NO_SCHOOL {
            return;
        }
        let (level, stage, out) = (st.level, st.stage, st.out_since != NEVER);
        let p = self.p;
        let mut best: Option<(Time, NeedEvent)> = None;
        let mut consider = |t: Option<Time>, k: NeedEvent| {
            if let Some(t) = t
                && best.is_none_or(|(b, _)| t < b)
            {
                best = Some((t, k));
            }
        };
        if level == 0 {
            let school_type = self.school_type_of(s);
            let st = self.st(s);
            let rate = p.needs.onset_per_year.get(school_type)
                * self.sc.wijken[st.wijk as usize].risk
                * f64::from(st.family_risk);
            let t = self.draw(s, proc::ONSET, |r| ticks(r.exponential(rate), YEAR));
            consider(t, NeedEvent::Onset);
        } else {
            let l = usize::from(level - 1);
            if stage.need_clock_runs() {
                let esc = if level < 4 {
                    p.needs.escalation_per_year[l]
                } else {
                    0.0
                };
                let res = p.needs.resolution_per_year[l];
                let (te, tr) = self.draw(s, proc::COURSE, |r| {
                    (
                        ticks(r.exponential(esc), YEAR),
                        ticks(r.exponential(res), YEAR),
                    )
                });
                consider(te, NeedEvent::Escalate);
                consider(tr, NeedEvent::Resolve);
            }
            if stage == Stage::Unmet {
                let sig = &p.signalling;
                let school_rate = if out {
                    0.0
                } else {
                    sig.school_per_school_year[l] * self.dsav_boost(s, level)
                };
                let parents = sig.parents_per_year[l];
                let gp = self.st(s).gp_preference;
                let (ts, tp, tj, tl) = self.draw(s, proc::SIGNAL, |r| {
                    (
                        ticks(r.exponential(school_rate), SCHOOL_YEAR),
                        ticks(r.exponential(parents), YEAR),
                        ticks(r.exponential(sig.jeugdarts_per_year[l]), YEAR),
                        ticks(
                            r.exponential(if out { sig.leerplicht_per_year } else { 0.0 }),
                            YEAR,
                        ),
                    )
                });
                consider(
                    ts.map(|d| self.cal.after_school_time(now, d) - now),
                    NeedEvent::Signal(Source::School),
                );
                let parents_source = if gp {
                    Source::ParentsHuisarts
                } else {
                    Source::ParentsWijkteam
                };
                consider(tp, NeedEvent::Signal(parents_source));
                consider(tj, NeedEvent::Signal(Source::Jeugdarts));
                consider(tl, NeedEvent::Signal(Source::Leerplicht));
            }
            if level >= 3 && !out && stage != Stage::Treatment {
                let rate = p.thuiszitters.leave_school_per_year[l];
                let t = self.draw(s, proc::SCHOOLING, |r| ticks(r.exponential(rate), YEAR));
                consider(t, NeedEvent::LeaveSchool);
            }
        }
        if let Some((delay, k)) = best {
            q.schedule_in(delay, Ev::Need { s, v, k });
        }
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
        match k {
            NeedEvent::Onset => {
                let shares = self.p.needs.onset_level_shares;
                let u = self.draw(s, proc::ONSET, |r| r.uniform());
                let mut level = 4u8;
                let mut cum = 0.0;
                for (i, sh) in shares.iter().enumerate() {
                    cum += sh;
                    if u < cum {
                        level = i as u8 + 1;
                        break;
                    }
                }
                let st = self.st_mut(s);
                st.level = level;
                st.stage = Stage::Unmet;
                st.since = now;
                self.schedule_need(s, now, q);
            }
            NeedEvent::Escalate => {
                self.st_mut(s).level += 1;
                self.schedule_need(s, now, q);
            }
            NeedEvent::Resolve => {
                self.withdraw_from_care(s, now, q);
                self.resolve(s, now, q);
            }
            NeedEvent::LeaveSchool => {
                self.st_mut(s).out_since = now;
                self.schedule_need(s, now, q);
            }
            NeedEvent::Signal(source) => self.signal(s, source, now, q),
        }
    }

    /// The need is gone (help succeeded or it resolved by itself).
    pub(super) fn resolve(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
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
        st.since = now;
        self.schedule_need(s, now, q);
    }

    /// Care ended without resolving the need: back to unmet.
    pub(super) fn back_to_unmet(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        self.close_case(s);
        let st = self.st_mut(s);
        st.stage = Stage::Unmet;
        st.since = now;
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
            || self.case(s).thuis_year == self.year
        {
            return;
        }
        self.case_mut(s).thuis_year = self.year;
        self.acc_of(s).thuiszitters += 1;
    }

    /// A signal opens a case on the route of its source.
    fn signal(&mut self, s: u32, source: Source, now: Time, q: &mut EventQueue<Ev>) {
        let route = match source {
            Source::School => Route::School,
            Source::ParentsHuisarts => Route::Huisarts,
            _ => Route::Wijkteam,
        };
        let c = self.case_mut(s);
        c.open = true;
        c.referred = false;
        c.helped = false;
        c.generalist_done = false;
        c.handoffs = 0;
        c.stories = 1;
        c.route = route;
        match source {
            Source::School => self.school_signal(s, now, q),
            Source::ParentsHuisarts => self.to_huisarts(s, now, q),
            Source::ParentsWijkteam => self.to_wijkteam(s, now, q),
            Source::Jeugdarts | Source::Leerplicht => {
                // Jeugdarts and leerplicht pass the case on to the wijkteam.
                self.hand_off(s, Dest::Wijkteam, 7 * DAY, 0.0, now, q);
            }
        }
    }
}

/// Out of school this long makes a thuiszitter (three months).
pub const THUISZITTER_AFTER: Time = 13 * WEEK;
