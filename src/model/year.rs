//! The yearly rhythm: at a year's start the budget cut of that year sets
//! capacities and budgets; at its end fixed costs and ongoing treatment are
//! booked, thuiszitters counted, the books checked, and cohorts move on.

use super::metrics::Line;
use super::*;
use crate::engine::minutes::WEEK;
use crate::scenario::{Lever, Policy};

impl World<'_> {
    /// The cumulative budget cut in model year `y` (none during warm-up).
    fn cut_in(&self, y: u32) -> f64 {
        let warm = self.sc.simulation.warmup_years;
        let sched = &self.p.budget.cut_schedule;
        if y < warm || sched.is_empty() {
            return 0.0;
        }
        sched[((y - warm) as usize).min(sched.len() - 1)]
    }

    pub(super) fn start_year(&mut self, y: u32, q: &mut EventQueue<Ev>) {
        self.year = y;
        self.cut = self.cut_in(y);
        let p = self.p;
        let now = q.now();
        // Capacities for this year.
        let team_cut = self.lever_cut(Lever::WijkteamFte);
        for t in &mut self.teams {
            t.fte = t.base_fte * (1.0 - team_cut);
            let per_week = t.fte * p.wijkteam.intakes_per_fte_per_week;
            t.intake.capacity = u32::from(per_week > 0.0);
            t.intake_time = if per_week > 0.0 {
                (WEEK as f64 / per_week).round() as Time
            } else {
                0
            };
            t.caseload.capacity = (t.fte * p.wijkteam.caseload_per_fte).floor() as u32;
        }
        let thousands = self.students_enrolled() as f64 / 1000.0;
        let sl = &p.second_line;
        let keep = 1.0 - self.lever_cut(Lever::SecondLineCapacity);
        self.assessment.capacity = (sl.assessments_per_week_per_1000
            * thousands
            * sl.assessment_days
            / 7.0
            * keep)
            .round() as u32;
        self.treatment.capacity = (sl.treatment_slots_per_1000 * thousands * keep).round() as u32;
        self.clientenstop_limit = if sl.clientenstop_queue_per_1000 > 0.0 {
            (sl.clientenstop_queue_per_1000 * thousands).round() as u32
        } else {
            u32::MAX
        };
        let sim = &self.sc.simulation;
        let on = |policy: Policy| !sim.introduced.contains(&policy) || y >= sim.warmup_years;
        let active = |policy: Policy| if on(policy) { 1.0 } else { 0.0 };
        self.poh_coverage = p.huisarts.poh_coverage
            * (1.0 - self.lever_cut(Lever::PohCoverage))
            * active(Policy::Poh);
        let dsav_scale = (1.0 - self.lever_cut(Lever::DsavHours)) * active(Policy::Dsav);
        self.set_dsav_scale(dsav_scale, now, q);
        self.integraal_on = p.integraal.enabled && on(Policy::Integraal);
        self.swv_scale = 1.0 - self.lever_cut(Lever::SwvArrangements);
        // Budgets and the students counted this year.
        let budget_keep = 1.0 - self.cut;
        for (g, gem) in self.sc.gemeenten.iter().enumerate() {
            self.acc[y as usize][g].budget = gem.youth_budget_eur * budget_keep;
        }
        // What the hard cap sees as spent from the start: staff, DSAV hours
        // and treatments running on into this year.
        let year_start = u64::from(y) * YEAR;
        self.spend = self.fixed_costs().iter().map(|[w, d]| w + d).collect();
        self.swv_spent = 0.0;
        for s in 0..self.students.len() as u32 {
            let st = self.st(s);
            if st.school == NO_SCHOOL {
                continue;
            }
            let t = self.school_type_of(s).index();
            let stage = st.stage;
            if stage == Stage::Treatment {
                self.commit_treatment(s, year_start);
            }
            self.acc_of(s).students += 1;
            self.types[y as usize][t].students += 1;
            // Care that runs on into the new year counts in it too.
            match stage {
                Stage::LightHelp | Stage::Dsav => self.mark_helped(s, false),
                Stage::Assessment | Stage::Treatment => self.mark_helped(s, true),
                _ => {}
            }
        }
        // The SWV budget is shared by students, wherever they live.
        let enrolled = self.students_enrolled().max(1) as f64;
        for a in &mut self.acc[y as usize] {
            a.swv_budget = self.sc.swv_budget_eur * a.students as f64 / enrolled;
        }
        // Deferred treatment starts return to the front of the list.
        for e in std::mem::take(&mut self.deferred).into_iter().rev() {
            if World::is_live(&self.students, &e) {
                self.st_mut(e.student).stage = Stage::TreatQueue;
                self.treatment.push_front(e);
            }
        }
        // Capacity may have grown: start whoever can start.
        for team in 0..self.teams.len() {
            self.try_intake(team, now, q);
            self.try_light_help(team, now, q);
        }
        self.try_assess(now, q);
        self.try_treat(now, q);
    }

    /// This year's staff costs per gemeente: [wijkteam FTE, DSAV hours].
    fn fixed_costs(&self) -> Vec<[f64; 2]> {
        let c = &self.p.costs;
        let mut v = vec![[0.0; 2]; self.sc.gemeenten.len()];
        for t in &self.teams {
            v[t.gemeente as usize][0] += t.fte * c.wijkteam_fte_eur_per_year;
        }
        // DSAV specialists are employed per gemeente, whole: each covers
        // `schools_per_specialist` schools for all of their hours.
        let mut dsav_schools = vec![0.0f64; v.len()];
        for school in &self.schools {
            if school.dsav_hours > 0.0 {
                dsav_schools[school.gemeente as usize] += 1.0;
            }
        }
        let d = &self.p.dsav;
        for (g, n) in dsav_schools.into_iter().enumerate() {
            let specialists = (n / d.schools_per_specialist).ceil();
            let hours =
                specialists * d.schools_per_specialist * d.hours_per_school_week * self.dsav_scale;
            v[g][1] = hours * SCHOOL_WEEKS as f64 * c.dsav_eur_per_hour;
        }
        v
    }

    fn students_enrolled(&self) -> u64 {
        self.schools.iter().map(|s| u64::from(s.enrolled)).sum()
    }

    pub(super) fn end_year(&mut self, now: Time, q: &mut EventQueue<Ev>) {
        let y = self.year as usize;
        for s in 0..self.students.len() as u32 {
            let st = self.st(s);
            if st.school == NO_SCHOOL {
                continue;
            }
            if st.stage == Stage::Treatment {
                self.accrue_treatment(s, now);
            }
            self.count_thuiszitter(s, now);
        }
        for (g, [wijkteam, dsav]) in self.fixed_costs().into_iter().enumerate() {
            self.acc[y][g].costs[Line::Wijkteam as usize] += wijkteam;
            self.acc[y][g].costs[Line::Dsav as usize] += dsav;
        }
        self.ledger.push(self.balance_books());
        self.cohort_step(now, q);
    }

    /// Counts students by stage and referrals by whereabouts.
    fn balance_books(&self) -> Ledger {
        let mut by_stage = [0u64; STAGE_COUNT];
        let mut in_second_line = 0;
        for st in &self.students {
            if st.school != NO_SCHOOL {
                by_stage[st.stage as usize] += 1;
                in_second_line += u64::from(st.stage.in_second_line());
            }
        }
        Ledger {
            year: self.year,
            students: self.students_enrolled(),
            students_in_stages: by_stage.iter().sum(),
            referrals_total: self.referrals_total,
            referrals_accounted: in_second_line + self.second_line_done,
        }
    }
}
