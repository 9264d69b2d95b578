//! The first-line care process: the school route (basisondersteuning, smw,
//! DSAV, ondersteuningsteam, SWV arrangements, integraal arrangeren), the
//! wijkteam (intake queue, caseload, light help, mandate to refer) and the
//! huisarts (consult, POH-jeugd, referral).

use super::metrics::Line;
use super::*;
use crate::engine::minutes::{DAY, WEEK};
use crate::scenario::{Lever, PerLevel};

/// A warm hand-off (DSAV to wijkteam) takes a few days and loses nothing.
const WARM_HANDOFF: Time = 3 * DAY;

fn weeks(w: f64) -> Time {
    (w * WEEK as f64).round() as Time
}

fn days(d: f64) -> Time {
    (d * DAY as f64).round() as Time
}

/// Whole days between two times, for wait statistics.
pub(super) fn days_between(from: Time, to: Time) -> u32 {
    ((to - from) / DAY) as u32
}

impl World<'_> {
    pub(super) fn lever_cut(&self, lever: Lever) -> f64 {
        if self.p.budget.cut_levers.contains(&lever) {
            self.cut
        } else {
            0.0
        }
    }

    pub(super) fn cost(&mut self, s: u32, line: Line, eur: f64) {
        self.acc_of(s).costs[line as usize] += eur;
    }

    /// Counts spending against the student's pot for the hard cap.
    pub(super) fn commit(&mut self, s: u32, eur: f64) {
        let g = self.gemeente_of(s);
        self.spend[g] += eur;
    }

    /// Whether the pot that pays for this student (the gemeente's, or the
    /// region's when pooled) has spent this year's budget.
    pub(super) fn pot_spent(&self, s: u32) -> bool {
        let y = self.year as usize;
        if self.sc.pooled_budget {
            let budget: f64 = self.acc[y].iter().map(|a| a.budget).sum();
            self.spend.iter().sum::<f64>() >= budget
        } else {
            let g = self.gemeente_of(s);
            self.spend[g] >= self.acc[y][g].budget
        }
    }

    /// Whether first-line help succeeds; lost information in a hand-off
    /// of the case lowers the chance (help built on half a story).
    fn success(&mut self, s: u32, table: &PerLevel, decision: Counted) -> bool {
        let c = self.case(s);
        let mut p = table[c.help_level()];
        if c.info_lost {
            p = (p - self.p.lost_information.success_penalty).max(0.0);
        }
        self.decide(s, decision).bernoulli(p)
    }

    fn chance(&mut self, s: u32, p: f64, decision: Counted) -> bool {
        self.decide(s, decision).bernoulli(p)
    }

    /// Counts youth care (jeugdhulp) received this year, once per student.
    pub(super) fn mark_helped(&mut self, s: u32, second_line: bool) {
        let year = self.year as u8;
        let t = self.school_type_of(s).index();
        let c = self.case_mut(s);
        let first = c.helped_year != year;
        let first_second = second_line && c.second_line_year != year;
        c.helped_year = year;
        if second_line {
            c.second_line_year = year;
        }
        let y = self.year as usize;
        if first {
            self.acc_of(s).helped += 1;
            self.types[y][t].helped += 1;
        }
        if first_second {
            self.types[y][t].second_line += 1;
        }
    }

    /// Severity at the first help of a case.
    pub(super) fn note_help(&mut self, s: u32) {
        let level = self.st(s).level;
        let today = (self.now / DAY) as u16;
        let c = self.case_mut(s);
        c.level_at_help_start = level;
        if c.open && !c.helped {
            c.helped = true;
            let level = u64::from(level);
            let waited = u64::from(today.wrapping_sub(c.opened_day));
            let a = self.acc_of(s);
            a.first_help_levels += level;
            a.first_helps += 1;
            a.time_to_help_days += waited;
        }
    }

    /// Starts a help episode that ends with `done` after `duration`.
    fn start_help(
        &mut self,
        s: u32,
        stage: Stage,
        duration: Time,
        done: CareEvent,
        now: Time,
        q: &mut EventQueue<Ev>,
    ) {
        self.note_help(s);
        self.st_mut(s).stage = stage;
        self.care_event_at(s, duration, done, q);
        self.schedule_need(s, now, q);
    }

    fn set_stage(&mut self, s: u32, stage: Stage, now: Time, q: &mut EventQueue<Ev>) {
        self.st_mut(s).stage = stage;
        self.schedule_need(s, now, q);
    }

    pub(super) fn care_event(&mut self, s: u32, k: CareEvent, now: Time, q: &mut EventQueue<Ev>) {
        match k {
            CareEvent::OtMeeting => self.ot_meeting(s, now, q),
            CareEvent::Arrive(Dest::Wijkteam) => self.to_wijkteam(s, now, q),
            CareEvent::Arrive(Dest::Huisarts) => self.to_huisarts(s, now, q),
            CareEvent::Arrive(Dest::Jeugdprofessional) => {
                let route = self.case(s).route;
                self.refer(s, route, now, q)
            }
            CareEvent::IntakeDone => self.intake_done(s, now, q),
            CareEvent::LightHelpDone => self.light_help_done(s, now, q),
            CareEvent::ConsultDone => self.consult_done(s, now, q),
            CareEvent::PohDone => {
                if self.success(s, &self.p.huisarts.poh_success, Counted::PohSuccess) {
                    self.resolve(s, now, q);
                } else {
                    self.gp_decision(s, true, now, q);
                }
            }
            CareEvent::SwvDone => {
                if self.success(
                    s,
                    &self.p.school_route.swv_arrangement_success,
                    Counted::SwvSuccess,
                ) {
                    self.resolve(s, now, q);
                } else {
                    self.hand_off_to_wijkteam(s, now, q);
                }
            }
            CareEvent::DsavDone => {
                self.dsav_active = self.dsav_active.saturating_sub(1);
                if self.success(s, &self.p.dsav.intervention_success, Counted::DsavSuccess) {
                    // Detection-induced demand: a need that resolved is
                    // labelled and referred all the same (seed 000 §1.1,
                    // seed 004), through the wijkteam's mandate.
                    let p = self.p.dsav.induced_referral_prob;
                    if p > 0.0 && self.chance(s, p, Counted::InducedReferral) {
                        return self.hand_off(
                            s,
                            Dest::Jeugdprofessional,
                            WARM_HANDOFF,
                            0.0,
                            now,
                            q,
                        );
                    }
                    self.resolve(s, now, q);
                } else {
                    self.hand_off(s, Dest::Wijkteam, WARM_HANDOFF, 0.0, now, q);
                }
            }
            CareEvent::RetryReferral => self.to_assessment_queue(s, now, q),
            CareEvent::AssessmentDone => self.assessment_done(s, now, q),
            CareEvent::TreatmentDone => self.treatment_done(s, now, q),
            CareEvent::LeaveList => self.leave_list(s, now, q),
        }
    }

    /// Passes the case to another organisation after `delay`; with
    /// probability `loss` information is lost and the story is told again.
    pub(super) fn hand_off(
        &mut self,
        s: u32,
        dest: Dest,
        delay: Time,
        loss: f64,
        now: Time,
        q: &mut EventQueue<Ev>,
    ) {
        let lost = loss > 0.0 && self.chance(s, loss, Counted::HandoffLoss);
        let c = self.case_mut(s);
        c.handoffs = c.handoffs.saturating_add(1);
        let mut delay = delay;
        if lost {
            // The story is told again, the file rebuilt: that takes time,
            // and the help that follows works less well.
            c.stories = c.stories.saturating_add(1);
            c.info_lost = true;
            delay += days(self.p.lost_information.delay_days);
        }
        self.set_stage(s, Stage::Transit, now, q);
        self.care_event_at(s, delay, CareEvent::Arrive(dest), q);
    }

    fn hand_off_to_wijkteam(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let (delay, loss) = self.local[self.gemeente_of(s)].handoff;
        self.hand_off(s, Dest::Wijkteam, days(delay), loss, now, q);
    }

    /// The ondersteuningsteam passes a case on: it advises the parents to
    /// see their huisarts (who refers, as CBS counts it), or hands the case
    /// to the wijkteam.
    fn school_passes_on(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let p = self.p.school_route.huisarts_share;
        if p > 0.0 && self.chance(s, p, Counted::SchoolToHuisarts) {
            let (delay, loss) = self.local[self.gemeente_of(s)].handoff;
            return self.hand_off(s, Dest::Huisarts, days(delay), loss, now, q);
        }
        self.hand_off_to_wijkteam(s, now, q);
    }

    /// This year's DSAV caseload limit: the region's DSAV hours (after
    /// cuts) times the cases a weekly hour carries at once.
    pub(super) fn set_dsav_capacity(&mut self) {
        let hours: f64 = self
            .schools
            .iter()
            .map(|x| x.dsav_hours * x.dsav_factor)
            .sum::<f64>()
            * self.dsav_scale;
        self.dsav_capacity = (hours * self.p.dsav.cases_per_hour).floor() as u32;
    }

    /// DSAV hours at the student's school this year (after cuts; zero
    /// before an introduced DSAV starts).
    pub(super) fn dsav_hours(&self, s: u32) -> f64 {
        let school = &self.schools[self.st(s).school as usize];
        school.dsav_hours * self.dsav_scale * school.dsav_factor
    }

    // ----- school route -------------------------------------------------

    pub(super) fn school_signal(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let level = self.st(s).level;
        let r = &self.p.school_route;
        let local = self.schools[self.st(s).school as usize].smw_factor;
        let smw = (r.smw_hours_per_week * self.smw_scale * local * r.smw_success_per_hour).min(0.9);
        if level == 1 && self.chance(s, r.basisondersteuning_success, Counted::Basisondersteuning) {
            self.note_help(s);
            return self.resolve(s, now, q);
        }
        if level <= 2 && self.chance(s, smw, Counted::Smw) {
            self.note_help(s);
            return self.resolve(s, now, q);
        }
        if self.dsav_hours(s) > 0.0 {
            if level <= 2 {
                if self.dsav_active >= self.dsav_capacity {
                    // DSAV's caseload is full: the usual school route.
                    self.acc_of(s).dsav_refusals += 1;
                    return self.wait_for_ot(s, now, q);
                }
                self.dsav_active += 1;
                self.mark_helped(s, false);
                let d = weeks(self.p.dsav.intervention_weeks);
                return self.start_help(s, Stage::Dsav, d, CareEvent::DsavDone, now, q);
            }
            // DSAV cannot refer: a warm hand-off to the wijkteam.
            return self.hand_off(s, Dest::Wijkteam, WARM_HANDOFF, 0.0, now, q);
        }
        self.wait_for_ot(s, now, q);
    }

    fn wait_for_ot(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let school = &self.schools[self.st(s).school as usize];
        let cadence = u64::from(self.p.school_route.ot_cadence_weeks) * WEEK;
        let offset = school.ot_offset % cadence;
        let st = self.cal.school_time(now);
        let k = (st.saturating_sub(offset)) / cadence + 1;
        let meeting = self.cal.calendar_time(offset + k * cadence).max(now);
        self.set_stage(s, Stage::WaitOt, now, q);
        self.care_event_at(s, meeting - now, CareEvent::OtMeeting, q);
    }

    fn ot_meeting(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let level = self.st(s).level;
        let l = usize::from(level - 1);
        let swv = (self.p.school_route.swv_arrangement_prob[l]
            * self.local[self.gemeente_of(s)].swv_scale)
            .min(1.0);
        let w = self.p.school_route.swv_arrangement_weeks;
        let eur = w * self.p.costs.swv_arrangement_eur_per_week;
        // The SWV grants arrangements while its budget lasts.
        let affordable =
            self.sc.swv_budget_eur <= 0.0 || self.swv_spent + eur <= self.sc.swv_budget_eur;
        if self.local[self.gemeente_of(s)].integraal_on {
            // One meeting with mandate decides the whole arrangement.
            self.case_mut(s).route = Route::Integraal;
            if level > self.p.wijkteam.max_light_level {
                return self.refer(s, Route::Integraal, now, q);
            }
            if !(self.chance(s, swv, Counted::SwvGrant) && affordable) {
                return self.join_caseload(s, now, q);
            }
        } else if !(self.chance(s, swv, Counted::SwvGrant) && affordable) {
            return self.school_passes_on(s, now, q);
        }
        self.swv_spent += eur;
        self.cost(s, Line::Swv, eur);
        self.start_help(s, Stage::Swv, weeks(w), CareEvent::SwvDone, now, q);
    }

    // ----- wijkteam -----------------------------------------------------

    pub(super) fn to_wijkteam(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let team = self.st(s).wijk as usize;
        self.set_stage(s, Stage::IntakeQueue, now, q);
        let e = self.queue_entry(s, now);
        self.teams[team].intake.join(e);
        self.try_intake(team, now, q);
    }

    pub(super) fn try_intake(&mut self, team: usize, now: Time, q: &mut EventQueue<Ev>) {
        loop {
            let Some(e) = start_live(&mut self.teams[team].intake, &self.students) else {
                return;
            };
            let s = e.student;
            self.acc_of(s).wait_intake.push(days_between(e.since, now));
            self.set_stage(s, Stage::Intake, now, q);
            let t = self.teams[team].intake_time;
            self.care_event_at(s, t, CareEvent::IntakeDone, q);
        }
    }

    fn intake_done(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let team = self.st(s).wijk as usize;
        self.teams[team].intake.release();
        self.try_intake(team, now, q);
        let w = &self.p.wijkteam;
        let generalist = w.generalist_sessions > 0 && !self.case(s).generalist_done;
        if generalist || self.st(s).level <= w.max_light_level {
            self.case_mut(s).generalist_done = true;
            self.join_caseload(s, now, q);
        } else {
            self.wijkteam_refers(s, now, q);
        }
    }

    fn join_caseload(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let team = self.st(s).wijk as usize;
        self.set_stage(s, Stage::CaseloadQueue, now, q);
        let e = self.queue_entry(s, now);
        self.teams[team].caseload.join(e);
        self.try_light_help(team, now, q);
    }

    pub(super) fn try_light_help(&mut self, team: usize, now: Time, q: &mut EventQueue<Ev>) {
        loop {
            let Some(e) = start_live(&mut self.teams[team].caseload, &self.students) else {
                return;
            };
            let s = e.student;
            let a = self.acc_of(s);
            a.wait_light_help.push(days_between(e.since, now));
            a.light_help_starts += 1;
            self.mark_helped(s, false);
            let duration = self.light_help_length();
            self.start_help(
                s,
                Stage::LightHelp,
                duration,
                CareEvent::LightHelpDone,
                now,
                q,
            );
        }
    }

    /// How long light help lasts: the generalist's sessions (one a week),
    /// else `wijkteam.light_help_weeks`.
    pub(super) fn light_help_length(&self) -> Time {
        let w = &self.p.wijkteam;
        if w.generalist_sessions > 0 {
            weeks(f64::from(w.generalist_sessions))
        } else {
            weeks(w.light_help_weeks)
        }
    }

    fn light_help_done(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let team = self.st(s).wijk as usize;
        self.teams[team].caseload.release();
        self.try_light_help(team, now, q);
        if self.success(
            s,
            &self.p.wijkteam.light_help_success,
            Counted::LightHelpSuccess,
        ) {
            self.resolve(s, now, q);
        } else if self.st(s).level >= 2 {
            self.wijkteam_refers(s, now, q);
        } else {
            self.back_to_unmet(s, now, q);
        }
    }

    /// A referral from the wijkteam: direct with mandate, else via a
    /// jeugdprofessional who may refer (one more hand-off, story retold).
    fn wijkteam_refers(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let route = self.case(s).route;
        if self.local[self.gemeente_of(s)].mandate {
            self.refer(s, route, now, q);
        } else {
            let d = days(self.p.wijkteam.mandate_handoff_days);
            self.hand_off(s, Dest::Jeugdprofessional, d, 1.0, now, q);
        }
    }

    // ----- huisarts -----------------------------------------------------

    pub(super) fn to_huisarts(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        self.set_stage(s, Stage::Consult, now, q);
        let d = days(self.p.huisarts.consult_delay_days);
        self.care_event_at(s, d, CareEvent::ConsultDone, q);
    }

    /// Whether the family's practice has a POH-jeugd: a fixed draw per
    /// family, so coverage levers add practices without reshuffling.
    fn has_poh(&self, s: u32) -> bool {
        let u = self.key.stream(self.st(s).person, POH_PRACTICE).uniform();
        u < self.local[self.gemeente_of(s)].poh_coverage
    }

    fn consult_done(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        self.cost(s, Line::Huisarts, self.p.costs.huisarts_consult_eur);
        // A POH-jeugd sees every youth who comes to the practice.
        if self.has_poh(s) {
            self.acc_of(s).poh_seen += 1;
            self.cost(s, Line::Poh, self.p.costs.poh_trajectory_eur);
            self.commit(s, self.p.costs.poh_trajectory_eur);
            let d = weeks(self.p.huisarts.poh_weeks);
            return self.start_help(s, Stage::Poh, d, CareEvent::PohDone, now, q);
        }
        self.gp_decision(s, false, now, q);
    }

    fn gp_decision(&mut self, s: u32, after_poh: bool, now: Time, q: &mut EventQueue<Ev>) {
        let p = self.p.huisarts.referral_prob[usize::from(self.st(s).level - 1)];
        if self.chance(s, p, Counted::GpReferral) {
            if after_poh {
                self.acc_of(s).poh_referred += 1;
            }
            self.refer(s, Route::Huisarts, now, q);
        } else {
            self.back_to_unmet(s, now, q);
        }
    }

    /// Takes a student out of whatever care they are in (need resolved by
    /// itself, or moved away), freeing their place in any queue or service.
    pub(super) fn withdraw_from_care(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        let stage = self.st(s).stage;
        let team = self.st(s).wijk as usize;
        match stage {
            Stage::IntakeQueue => self.teams[team].intake.withdraw(),
            Stage::Intake => {
                self.teams[team].intake.release();
                self.bump_care(s);
                self.try_intake(team, now, q);
            }
            Stage::CaseloadQueue => self.teams[team].caseload.withdraw(),
            Stage::Dsav => self.dsav_active = self.dsav_active.saturating_sub(1),
            Stage::LightHelp => {
                self.teams[team].caseload.release();
                self.bump_care(s);
                self.try_light_help(team, now, q);
            }
            Stage::AssessQueue => self.assessment.withdraw(),
            Stage::Assessment => {
                self.assessment.release();
                self.bump_care(s);
                self.try_assess(now, q);
            }
            Stage::TreatQueue => {
                let stay = self.case(s).stay;
                self.places_of(stay).withdraw();
            }
            Stage::Treatment => {
                self.care_ended(s, now);
                self.accrue_treatment(s, now);
                let stay = self.case(s).stay;
                self.places_of(stay).release();
                self.bump_care(s);
                if stay {
                    self.try_stay(now, q);
                } else {
                    self.try_treat(now, q);
                }
            }
            _ => {}
        }
        if stage.in_second_line() {
            self.second_line_done += 1;
        }
        self.bump_care(s);
    }
}

/// Stream process for fixed family attributes drawn on demand.
const POH_PRACTICE: u32 = 100;
