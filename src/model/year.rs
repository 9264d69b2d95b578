//! The yearly rhythm: at a year's start the budget cut of that year sets
//! capacities and budgets; at its end fixed costs and ongoing treatment are
//! booked, thuiszitters counted, the books checked, and cohorts move on.

use super::metrics::Line;
use super::*;
use crate::engine::minutes::WEEK;
use crate::scenario::{
    ChangeLever, Collaboration, CollaborationParams, Lever, Params, Policy, ScopeRef, rank_of,
};

/// The levers of one gemeente in one year (the region's where the
/// scenario scopes none there).
#[derive(Debug, Clone, Copy)]
pub struct Local {
    pub poh_coverage: f64,
    pub integraal_on: bool,
    pub swv_scale: f64,
    /// (hand-off delay in days, chance of information loss).
    pub handoff: (f64, f64),
    /// The wijkteam may refer itself.
    pub mandate: bool,
}

impl Local {
    /// Before the first year starts.
    pub fn new(p: &Params) -> Self {
        Local {
            poh_coverage: 0.0,
            integraal_on: false,
            swv_scale: 1.0,
            handoff: p.collaboration.effective(),
            mandate: p.wijkteam.mandate,
        }
    }
}

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

    /// The model year (0-based, warm-up included) of calendar year `year`.
    fn model_year(&self, year: i32) -> i64 {
        let sim = &self.sc.simulation;
        i64::from(sim.warmup_years) + i64::from(year) - i64::from(sim.start_year)
    }

    /// Whether a change with `scope` holds at gemeente `g` (unscoped: everywhere;
    /// a school group's scope: at no gemeente-wide lever).
    fn covers_gemeente(&self, scope: Option<&str>, g: usize) -> bool {
        let Some(text) = scope else { return true };
        let gem = &self.sc.gemeenten[g];
        match ScopeRef::parse(text) {
            Some(ScopeRef::Gemeente(n)) => gem.name == n,
            Some(ScopeRef::Jeugdregio(n)) => self.sc.jeugdregios[gem.jeugdregio] == n,
            _ => false,
        }
    }

    /// Whether a change with `scope` holds at school `i` (its group, or the
    /// gemeente it stands in).
    fn covers_school(&self, scope: Option<&str>, i: usize) -> bool {
        let school = &self.schools[i];
        match scope.and_then(ScopeRef::parse) {
            Some(ScopeRef::School(n)) => self.sc.school_groups[school.group as usize].name == n,
            _ => self.covers_gemeente(scope, school.gemeente as usize),
        }
    }

    /// Whether a change with `scope` holds for this (jeugd)region's shared
    /// levers: unscoped, or scoped to its jeugdregio.
    fn covers_region(&self, scope: Option<&str>) -> bool {
        match scope.map(ScopeRef::parse) {
            None => true,
            Some(Some(ScopeRef::Jeugdregio(n))) => self.sc.jeugdregios.iter().any(|j| j == n),
            _ => false,
        }
    }

    /// The model year from which `policy` is on where `covers` holds: the
    /// year of the most specific scoped `changes` entry that covers it,
    /// else the first output year when it is `introduced`, else the year
    /// of its unscoped entry, else from the start.
    fn policy_start(&self, policy: Policy, covers: impl Fn(Option<&str>) -> bool) -> i64 {
        let sim = &self.sc.simulation;
        let scoped = sim
            .changes
            .iter()
            .filter(|c| c.lever.policy() == Some(policy) && c.scope.is_some())
            .filter(|c| covers(c.scope.as_deref()))
            .max_by_key(|c| rank_of(c.scope.as_deref()));
        if let Some(c) = scoped {
            return self.model_year(c.year);
        }
        if sim.introduced.contains(&policy) {
            return i64::from(sim.warmup_years);
        }
        sim.changes
            .iter()
            .find(|c| c.lever.policy() == Some(policy) && c.scope.is_none())
            .map_or(0, |c| self.model_year(c.year))
    }

    /// The product of the factors of the `lever` changes in effect in model
    /// year `y` whose scope `covers` holds for (1 without any).
    fn change_factor(
        &self,
        lever: ChangeLever,
        y: u32,
        covers: impl Fn(Option<&str>) -> bool,
    ) -> f64 {
        self.sc
            .simulation
            .changes
            .iter()
            .filter(|c| c.lever == lever && self.model_year(c.year) <= i64::from(y))
            .filter(|c| covers(c.scope.as_deref()))
            .map(|c| c.factor.unwrap_or(1.0))
            .product()
    }

    /// The collaboration model of the `collaboration` change in effect in
    /// model year `y` at gemeente `g`: the most specific scope, then the
    /// latest year.
    fn changed_collaboration(&self, y: u32, g: usize) -> Option<Collaboration> {
        self.sc
            .simulation
            .changes
            .iter()
            .filter(|c| {
                c.lever == ChangeLever::Collaboration
                    && self.model_year(c.year) <= i64::from(y)
                    && self.covers_gemeente(c.scope.as_deref(), g)
            })
            .max_by_key(|c| (rank_of(c.scope.as_deref()), c.year))
            .and_then(|c| c.model)
    }

    /// The share of `poh_coverage` reached in model year `y` at gemeente
    /// `g`: rising by 1 / `poh_rollout_years` a year from the year POH
    /// starts there (1 at once without a roll-out).
    fn poh_rollout(&self, y: u32, g: usize) -> f64 {
        let n = self.p.huisarts.poh_rollout_years;
        if n == 0 {
            return 1.0;
        }
        let start = self.policy_start(Policy::Poh, |sc| self.covers_gemeente(sc, g));
        let since = i64::from(y) - start + 1;
        (since.max(0) as f64 / f64::from(n)).min(1.0)
    }

    /// The gemeente-wide levers of gemeente `g` in model year `y`: its
    /// `[[policies]]` value where it has one, else the region's, with the
    /// changes that cover it.
    fn local_levers(&self, y: u32, g: usize) -> Local {
        let p = self.p;
        let policy = &self.sc.gemeenten[g].policy;
        let covers = |sc: Option<&str>| self.covers_gemeente(sc, g);
        let on = |policy: Policy| i64::from(y) >= self.policy_start(policy, covers);
        let active = |policy: Policy| if on(policy) { 1.0 } else { 0.0 };
        let factor = |lever: ChangeLever| self.change_factor(lever, y, covers);
        let poh_coverage = (policy.poh_coverage.unwrap_or(p.huisarts.poh_coverage)
            * (1.0 - self.lever_cut(Lever::PohCoverage))
            * active(Policy::Poh)
            * self.poh_rollout(y, g)
            * factor(ChangeLever::PohCoverage))
        .min(1.0);
        let integraal_on = policy.integraal.unwrap_or(p.integraal.enabled) && on(Policy::Integraal);
        let swv_scale =
            (1.0 - self.lever_cut(Lever::SwvArrangements)) * factor(ChangeLever::SwvArrangements);
        let preset = |model| {
            CollaborationParams {
                model,
                handoff_delay_days: None,
                information_loss: None,
            }
            .effective()
        };
        let handoff = match (self.changed_collaboration(y, g), policy.collaboration) {
            (Some(model), _) | (None, Some(model)) => preset(model),
            (None, None) => p.collaboration.effective(),
        };
        Local {
            poh_coverage,
            integraal_on,
            swv_scale,
            handoff,
            mandate: policy.mandate.unwrap_or(p.wijkteam.mandate),
        }
    }

    /// Each school's DSAV and school social work multipliers from scoped
    /// levers in model year `y`: a scoped DSAV start (0 before it) and the
    /// scoped `dsav_hours` and `smw_hours` factors that cover the school.
    fn school_factors(&self, y: u32) -> Vec<(f64, f64)> {
        let scoped = |sc: Option<&str>| sc.is_some();
        if !self
            .sc
            .simulation
            .changes
            .iter()
            .any(|c| scoped(c.scope.as_deref()))
        {
            // Without scoped changes: DSAV's start is region-wide.
            return vec![(self.region_dsav_active(y), 1.0); self.schools.len()];
        }
        (0..self.schools.len())
            .map(|i| {
                let covers = |sc: Option<&str>| self.covers_school(sc, i);
                let start = self.policy_start(Policy::Dsav, covers);
                let active = if i64::from(y) >= start { 1.0 } else { 0.0 };
                let only_scoped = |sc: Option<&str>| sc.is_some() && covers(sc);
                (
                    active * self.change_factor(ChangeLever::DsavHours, y, only_scoped),
                    self.change_factor(ChangeLever::SmwHours, y, only_scoped),
                )
            })
            .collect()
    }

    fn region_dsav_active(&self, y: u32) -> f64 {
        let start = self.policy_start(Policy::Dsav, |sc| sc.is_none());
        if i64::from(y) >= start { 1.0 } else { 0.0 }
    }

    pub(super) fn start_year(&mut self, y: u32, q: &mut EventQueue<Ev>) {
        self.year = y;
        self.cut = self.cut_in(y);
        self.count_year_start();
        let p = self.p;
        let now = q.now();
        let onset = self.sc.trends.onset.at(self.sc.calendar_year(y));
        self.set_onset_factor(onset, now, q);
        // Capacities for this year.
        let team_cut = self.lever_cut(Lever::WijkteamFte);
        let team_factors: Vec<f64> = (0..self.sc.gemeenten.len())
            .map(|g| {
                self.change_factor(ChangeLever::WijkteamFte, y, |sc| {
                    self.covers_gemeente(sc, g)
                })
            })
            .collect();
        for t in &mut self.teams {
            t.fte = t.base_fte * (1.0 - team_cut) * team_factors[t.gemeente as usize];
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
        let covers = |sc: Option<&str>| self.covers_region(sc);
        let keep = (1.0 - self.lever_cut(Lever::SecondLineCapacity))
            * self.change_factor(ChangeLever::SecondLineCapacity, y, covers);
        // The verblijf places: the second line's factor, times their own
        // (exactly `keep` without a cut or change of `verblijf_capacity`).
        let stay_keep = keep
            * (1.0 - self.lever_cut(Lever::VerblijfCapacity))
            * self.change_factor(ChangeLever::VerblijfCapacity, y, covers);
        self.set_second_line_capacity(keep, stay_keep, thousands);
        self.clientenstop_limit = if sl.clientenstop_queue_per_1000 > 0.0 {
            (sl.clientenstop_queue_per_1000 * thousands).round() as u32
        } else {
            u32::MAX
        };
        // DSAV's hours region-wide (its start and scoped factors are per
        // school), school social work, and the levers of each gemeente.
        let region = |sc: Option<&str>| sc.is_none();
        let dsav_scale = (1.0 - self.lever_cut(Lever::DsavHours))
            * self.change_factor(ChangeLever::DsavHours, y, region);
        let smw_scale = self.change_factor(ChangeLever::SmwHours, y, region);
        let factors = self.school_factors(y);
        self.local = (0..self.sc.gemeenten.len())
            .map(|g| self.local_levers(y, g))
            .collect();
        self.set_dsav_scale(dsav_scale, &factors, now, q);
        for (school, &(_, smw)) in self.schools.iter_mut().zip(&factors) {
            school.smw_factor = smw;
        }
        self.smw_scale = smw_scale;
        // Budgets and the students counted this year.
        let budget_keep = 1.0 - self.cut;
        for (g, gem) in self.sc.gemeenten.iter().enumerate() {
            self.acc[y as usize][g].budget = gem.youth_budget_eur * budget_keep;
        }
        // What the hard cap sees as spent from the start: staff, DSAV hours
        // and treatments running on into this year.
        let year_start = u64::from(y) * YEAR;
        self.spend = self
            .fixed_costs()
            .iter()
            .map(|&[w, d, poh]| if poh > 0.0 { w + d + poh } else { w + d })
            .collect();
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
                let stay = self.case(e.student).stay;
                self.places_of(stay).push_front(e);
            }
        }
        // Capacity may have grown: start whoever can start.
        for team in 0..self.teams.len() {
            self.try_intake(team, now, q);
            self.try_light_help(team, now, q);
        }
        self.try_assess(now, q);
        self.try_treat(now, q);
        self.try_stay(now, q);
    }

    /// This year's staff costs per gemeente: [wijkteam FTE, DSAV hours,
    /// POH-jeugd at the practices that have one].
    fn fixed_costs(&self) -> Vec<[f64; 3]> {
        let c = &self.p.costs;
        let mut v = vec![[0.0; 3]; self.sc.gemeenten.len()];
        for t in &self.teams {
            v[t.gemeente as usize][0] += t.fte * c.wijkteam_fte_eur_per_year;
        }
        // DSAV specialists are employed per gemeente, whole: each covers
        // `schools_per_specialist` schools for all of their hours.
        // Schools whose DSAV has not started (a scoped start) employ
        // nobody; scoped hours scale the gemeente's by their mean.
        let mut dsav_schools = vec![(0.0f64, 0.0f64); v.len()];
        for school in &self.schools {
            if school.dsav_hours > 0.0 && school.dsav_factor > 0.0 {
                let (n, f) = &mut dsav_schools[school.gemeente as usize];
                *n += 1.0;
                *f += school.dsav_factor;
            }
        }
        let d = &self.p.dsav;
        for (g, (n, f)) in dsav_schools.into_iter().enumerate() {
            let specialists = (n / d.schools_per_specialist).ceil();
            let mean = if n > 0.0 { f / n } else { 0.0 };
            let hours = specialists
                * d.schools_per_specialist
                * d.hours_per_school_week
                * self.dsav_scale
                * mean;
            v[g][1] = hours * SCHOOL_WEEKS as f64 * c.dsav_eur_per_hour;
        }
        // A POH-jeugd at the share `poh_coverage` of the gemeente's practices.
        for (g, gem) in self.sc.gemeenten.iter().enumerate() {
            let coverage = self.local[g].poh_coverage;
            if coverage > 0.0 {
                let practices = gem.inhabitants / self.p.huisarts.inhabitants_per_practice;
                v[g][2] = practices * coverage * c.poh_practice_eur_per_year;
            }
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
                // The caseload on 31 December, by care form.
                let stay = self.case(s).stay;
                let a = self.acc_of(s);
                if stay {
                    a.caseload_verblijf += 1;
                } else {
                    a.caseload_ambulant += 1;
                }
            }
            self.count_thuiszitter(s, now);
        }
        for (g, [wijkteam, dsav, poh]) in self.fixed_costs().into_iter().enumerate() {
            self.acc[y][g].costs[Line::Wijkteam as usize] += wijkteam;
            self.acc[y][g].costs[Line::Dsav as usize] += dsav;
            if poh > 0.0 {
                self.acc[y][g].costs[Line::Poh as usize] += poh;
            }
        }
        self.ledger.push(self.balance_books());
        self.cohort_step(now, q);
        self.count_year_end();
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
