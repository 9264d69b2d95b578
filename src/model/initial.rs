//! Starting from an observed state (`regiosim run --state DIR`,
//! docs/STATE.md "A run from a state"): the warm-up runs as without a
//! state, so students carry need histories; at the start of the state's
//! model year (its reference date, 1 January) the caseloads (ambulant,
//! with stay, the wijkteams' light help) and waiting lists of each
//! gemeente are set to the observed counts. Youths the
//! warm-up already has in that care (or on that list) stay, with their own
//! histories; a surplus is taken out (their care ended before the
//! reference date: the need is resolved, a list entry is withdrawn); a
//! shortfall is filled with students of the gemeente without care, those
//! with an unmet need first. A youth put in care gets a need level that
//! care is given at (kept when it is; else drawn from the onset shares,
//! for care with stay weighted by `verblijf.share`), and a time already in
//! care and a remaining time drawn together from the length-biased stock
//! of the law of completed durations (`state::draw_stock`: left
//! truncation; the state's published mean with the model's sigma, else the
//! model's own law). Light help has a fixed length in the model
//! (`wijkteam.light_help_weeks`, or the generalist's sessions), so the time
//! already in it is uniform over that length; its level is one the
//! wijkteam helps at (`wijkteam.max_light_level`). A wijkteam whose
//! observed caseload exceeds its places (FTE × `caseload_per_fte`) starts
//! no new light help until the caseload has fallen below them. A youth
//! put on a list gets the observed days waited.
//! Every draw is a decision keyed (person, `kind::STATE`, what): the same
//! youths in every scenario and thread count. Setting the state is not a
//! flow: `forecast.csv`'s stock on the reference date is the observed
//! count, and its instroom and uitstroom are those after it.

use super::*;
use crate::engine::minutes::DAY;
use crate::state::{DurationLaw, InitialGemeente, Queue, draw_stock};

/// What a `kind::STATE` decision decides (its occurrence).
const ORDER: u32 = 0;
const LEVEL: u32 = 1;
const DURATION: u32 = 2;
const WAITED: u32 = 3;

/// Where a youth of the state is: in care of a form, or on a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Care {
        stay: bool,
    },
    /// The wijkteams' light help.
    Light,
    List(Queue),
}

impl World<'_> {
    /// Sets the observed state at the start of model year `y`.
    pub(super) fn inject_state(&mut self, y: u32, q: &mut EventQueue<Ev>) {
        let Some(init) = self.initial else {
            return;
        };
        self.year = y;
        let now = q.now();
        self.now = now;
        for g in &init.gemeenten {
            self.inject_gemeente(g, now, q);
        }
    }

    fn order_key(&self, s: u32) -> (u64, u64) {
        let u = self.decision(s, kind::STATE, ORDER).uniform();
        (u.to_bits(), self.st(s).person)
    }

    fn place_of(&self, s: u32) -> Option<Place> {
        match self.st(s).stage {
            Stage::Treatment => Some(Place::Care {
                stay: self.case(s).stay,
            }),
            Stage::LightHelp => Some(Place::Light),
            Stage::IntakeQueue => Some(Place::List(Queue::WijkteamIntake)),
            Stage::AssessQueue => Some(Place::List(Queue::Assessment)),
            Stage::TreatQueue if self.case(s).stay => Some(Place::List(Queue::Verblijf)),
            Stage::TreatQueue => Some(Place::List(Queue::Treatment)),
            _ => None,
        }
    }

    fn inject_gemeente(&mut self, g: &InitialGemeente, now: Time, q: &mut EventQueue<Ev>) {
        let mut targets: Vec<(Place, u64)> = Vec::new();
        if let Some(n) = g.ambulant {
            targets.push((Place::Care { stay: false }, n));
        }
        if let Some(n) = g.verblijf {
            targets.push((Place::Care { stay: true }, n));
        }
        if let Some(n) = g.light {
            targets.push((Place::Light, n));
        }
        for l in &g.lists {
            targets.push((Place::List(l.queue), l.waiting));
        }
        // The gemeente's students: where they are, and who is free.
        let mut members: Vec<(Place, (u64, u64), u32)> = Vec::new();
        let mut free: Vec<(bool, (u64, u64), u32)> = Vec::new();
        for s in 0..self.students.len() as u32 {
            if self.st(s).school == NO_SCHOOL || self.gemeente_of(s) != g.gemeente {
                continue;
            }
            match (self.place_of(s), self.st(s).stage) {
                (Some(p), _) => members.push((p, self.order_key(s), s)),
                (None, Stage::Unmet) => free.push((false, self.order_key(s), s)),
                (None, Stage::Healthy) => free.push((true, self.order_key(s), s)),
                _ => {}
            }
        }
        // Unmet needs first, then by the student's own draw; taken from the end.
        free.sort_unstable_by(|a, b| b.cmp(a));
        for (place, n) in targets {
            let mut here: Vec<((u64, u64), u32)> = members
                .iter()
                .filter(|m| m.0 == place)
                .map(|m| (m.1, m.2))
                .collect();
            here.sort_unstable();
            let n = n as usize;
            for &(_, s) in here.iter().skip(n) {
                self.take_out(s, place, now, q);
            }
            let missing = n.saturating_sub(here.len());
            let list = match place {
                Place::List(queue) => g.lists.iter().find(|l| l.queue == queue),
                Place::Care { .. } | Place::Light => None,
            };
            let light_max = self.light_help_max_level();
            for k in 0..missing {
                // Light help takes a youth whose need it helps at.
                let at = match place {
                    Place::Light => free.iter().rposition(|f| self.st(f.2).level <= light_max),
                    _ => free.len().checked_sub(1),
                };
                let Some((_, _, s)) = at.map(|i| free.remove(i)) else {
                    // check-state keeps the counts below the students.
                    break;
                };
                match place {
                    Place::Care { stay } => {
                        let mean = if stay {
                            g.verblijf_mean_days
                        } else {
                            g.ambulant_mean_days
                        };
                        self.put_in_care(s, stay, mean, now, q);
                    }
                    Place::Light => self.put_in_light_help(s, now, q),
                    Place::List(queue) => {
                        let waited = list.map_or(0.0, |l| self.waited_days(s, l, k, missing));
                        self.put_on_list(s, queue, waited, now, q);
                    }
                }
            }
        }
    }

    /// Days already waited by the k-th of `m` youths put on list `l`:
    /// spread over its bands in proportion (uniform within a band), else
    /// exponential around its mean, else none.
    fn waited_days(&self, s: u32, l: &crate::state::InitialList, k: usize, m: usize) -> f64 {
        let d = self.decision(s, kind::STATE, WAITED);
        let total: u64 = l.bands.iter().map(|b| b.2).sum();
        if total > 0 {
            // The youth's position among the band slots, evenly spread.
            let slot = (k as u64 * total) / m.max(1) as u64;
            let mut below = 0;
            for &(from, to, n) in &l.bands {
                if slot < below + n {
                    return from + d.uniform() * (to - from);
                }
                below += n;
            }
            return 0.0;
        }
        l.waited_days_mean
            .map_or(0.0, |mean| mean * d.unit_exponential())
    }

    /// A youth in care or on a list before the reference date whom the
    /// observed state does not have: the care ended (the need resolved),
    /// the list entry is withdrawn (the need stays unmet).
    fn take_out(&mut self, s: u32, place: Place, now: Time, q: &mut EventQueue<Ev>) {
        match place {
            Place::Care { stay } => {
                self.accrue_treatment(s, now);
                self.places_of(stay).release();
                self.second_line_done += 1;
                self.bump_care(s);
                self.resolve(s, now, q);
            }
            Place::Light => {
                let team = self.st(s).wijk as usize;
                self.teams[team].caseload.release();
                self.resolve(s, now, q);
            }
            Place::List(queue) => {
                match queue {
                    Queue::WijkteamIntake => {
                        let team = self.st(s).wijk as usize;
                        self.teams[team].intake.withdraw();
                    }
                    Queue::Assessment => self.assessment.withdraw(),
                    Queue::Treatment => self.treatment.withdraw(),
                    Queue::Verblijf => self.verblijf.withdraw(),
                }
                if self.st(s).stage.in_second_line() {
                    self.second_line_done += 1;
                }
                self.back_to_unmet(s, now, q);
            }
        }
    }

    /// Gives `s` a need at a level care with stay (`stay`), or any care,
    /// is given at, at most `max_level`; keeps the student's own where it
    /// is one.
    fn need_for(&mut self, s: u32, stay: bool, max_level: u8, now: Time) {
        self.advance_need(s, now);
        let p = self.p;
        let v = &p.verblijf;
        let fits = |level: u8| {
            level >= 1 && level <= max_level && (!stay || v.share[usize::from(level - 1)] > 0.0)
        };
        let level = self.st(s).level;
        if fits(level) {
            return;
        }
        let onset = p.needs.onset_level_shares;
        let mut w: [f64; 4] = std::array::from_fn(|l| {
            if l >= usize::from(max_level) {
                0.0
            } else if stay {
                onset[l] * v.share[l]
            } else {
                onset[l]
            }
        });
        let sum: f64 = w.iter().sum();
        if sum > 0.0 {
            w.iter_mut().for_each(|x| *x /= sum);
        } else {
            w = [0.0; 4];
            w[usize::from(max_level.clamp(1, 4)) - 1] = 1.0;
        }
        let u = self.decision(s, kind::STATE, LEVEL).uniform();
        let new = needs::level_from_shares(&w, u).max(level);
        if level == 0 {
            self.begin_need(s, new);
        } else {
            self.raise_level(s, new);
        }
    }

    /// Opens the youth's case as one that reached the second line before
    /// the reference date (a referral of the past: counted in the books,
    /// not in this year's referrals).
    fn past_referral(&mut self, s: u32, route: Route) {
        if !self.case(s).open {
            self.open_case(s, route);
        }
        self.case_mut(s).referred = true;
        self.referrals_total += 1;
    }

    fn put_in_care(
        &mut self,
        s: u32,
        stay: bool,
        mean_days: Option<f64>,
        now: Time,
        q: &mut EventQueue<Ev>,
    ) {
        self.need_for(s, stay, 4, now);
        self.past_referral(s, Route::Other);
        let level = self.st(s).level;
        let p = self.p;
        let (sl, v) = (&p.second_line, &p.verblijf);
        let (median, sigma) = if stay {
            (v.median_days, v.sigma)
        } else {
            (
                sl.treatment_median_days[usize::from(level - 1)],
                sl.treatment_sigma,
            )
        };
        let law = match mean_days {
            Some(m) if m > 0.0 && sigma > 0.0 => DurationLaw::lognormal_with_mean(m, sigma),
            Some(m) if m > 0.0 => DurationLaw::Exponential { mean_days: m },
            _ if sigma > 0.0 => DurationLaw::LogNormal {
                mu: median.ln(),
                sigma,
            },
            _ => DurationLaw::Exponential { mean_days: median },
        };
        let d = self.decision(s, kind::STATE, DURATION);
        let (elapsed, remaining) = draw_stock(&law, d.uniform(), d.second_uniform());
        let c = self.case_mut(s);
        c.stay = stay;
        c.level_at_help_start = level;
        c.helped = true;
        c.cost_mark = now;
        let rem = (remaining * DAY as f64).round().clamp(1.0, 1e15) as Time;
        c.until = now.saturating_add(rem);
        self.places_of(stay).occupy();
        let elapsed = (elapsed * DAY as f64).round().clamp(0.0, 1e15) as i64;
        self.care_began_at(s, now as i64 - elapsed);
        self.return_to_school(s, now);
        self.st_mut(s).stage = Stage::Treatment;
        self.care_event_at(s, rem, CareEvent::TreatmentDone, q);
        self.schedule_need(s, now, q);
    }

    /// The highest need level the wijkteams give light help at (every
    /// level in the generalist model).
    fn light_help_max_level(&self) -> u8 {
        let w = &self.p.wijkteam;
        if w.generalist_sessions > 0 {
            4
        } else {
            w.max_light_level.clamp(1, 4)
        }
    }

    /// Puts `s` in a wijkteam's light help that began before the
    /// reference date: the time already in it uniform over its fixed
    /// length (the stock of a fixed-length service), the rest to go.
    fn put_in_light_help(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        self.need_for(s, false, self.light_help_max_level(), now);
        if !self.case(s).open {
            self.open_case(s, Route::Wijkteam);
        }
        let u = self.decision(s, kind::STATE, DURATION).uniform();
        let remaining = ((1.0 - u) * self.light_help_length() as f64)
            .round()
            .max(1.0) as Time;
        let level = self.st(s).level;
        let c = self.case_mut(s);
        c.generalist_done = true;
        c.level_at_help_start = level;
        c.helped = true;
        let team = self.st(s).wijk as usize;
        self.teams[team].caseload.occupy();
        self.st_mut(s).stage = Stage::LightHelp;
        self.care_event_at(s, remaining, CareEvent::LightHelpDone, q);
        self.schedule_need(s, now, q);
    }

    fn put_on_list(
        &mut self,
        s: u32,
        queue: Queue,
        waited: f64,
        now: Time,
        q: &mut EventQueue<Ev>,
    ) {
        let since = now.saturating_sub((waited.max(0.0) * DAY as f64).round().min(1e15) as Time);
        let stay = queue == Queue::Verblijf;
        self.need_for(s, stay, 4, now);
        match queue {
            Queue::WijkteamIntake => {
                if !self.case(s).open {
                    self.open_case(s, Route::Wijkteam);
                }
                self.st_mut(s).stage = Stage::IntakeQueue;
                self.schedule_need(s, now, q);
                let mut e = self.queue_entry(s, now);
                e.since = since;
                let team = self.st(s).wijk as usize;
                self.teams[team].intake.join(e);
            }
            Queue::Assessment => {
                self.past_referral(s, Route::Other);
                self.st_mut(s).stage = Stage::AssessQueue;
                self.schedule_need(s, now, q);
                self.join_list_since(s, false, since, now, q);
            }
            Queue::Treatment | Queue::Verblijf => {
                self.past_referral(s, Route::Other);
                self.case_mut(s).stay = stay;
                self.st_mut(s).stage = Stage::TreatQueue;
                self.schedule_need(s, now, q);
                self.join_list_since(s, true, since, now, q);
            }
        }
    }
}
