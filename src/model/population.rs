//! Building the region (schools, wijkteams, students) and the yearly cohort
//! step: every student moves up a grade; leavers of PO, SBO and SO go on to
//! VO or VSO, of VO and VSO partly to MBO; new pupils enter; a need carries
//! over a transition.

use super::*;
use crate::engine::minutes::WEEK;
use crate::scenario::Catchment;

/// Grades per school type.
pub fn grades(t: SchoolType) -> u8 {
    match t {
        SchoolType::PO | SchoolType::SBO | SchoolType::SO => 8,
        SchoolType::VO => 5,
        SchoolType::VSO => 6,
        SchoolType::MBO => 3,
    }
}

impl World<'_> {
    pub(super) fn build(&mut self, q: &mut EventQueue<Ev>) {
        let sc = self.sc;
        // Home-wijk tables: the region, then each gemeente; one pass each
        // over the wijken (sums in wijk order, as the tables need).
        let mut totals = vec![0.0f64; sc.gemeenten.len()];
        for w in &sc.wijken {
            totals[w.gemeente] += w.weight;
        }
        let weights: Vec<f64> = sc
            .wijken
            .iter()
            .map(|w| {
                let (inhabitants, total) =
                    (sc.gemeenten[w.gemeente].inhabitants, totals[w.gemeente]);
                if inhabitants > 0.0 && total > 0.0 {
                    inhabitants * w.weight / total
                } else {
                    w.weight
                }
            })
            .collect();
        let mut region = Vec::with_capacity(sc.wijken.len());
        let mut per_gemeente = vec![(0.0f64, Vec::new()); sc.gemeenten.len()];
        let mut acc = 0.0;
        for (i, (w, &x)) in sc.wijken.iter().zip(&weights).enumerate() {
            acc += x;
            region.push((acc, i as u32));
            let (g_acc, v) = &mut per_gemeente[w.gemeente];
            *g_acc += x;
            v.push((*g_acc, i as u32));
        }
        self.cdfs.push(region);
        self.cdfs.extend(per_gemeente.into_iter().map(|(_, v)| v));
        let p = self.p;
        let cadence = u64::from(p.school_route.ot_cadence_weeks);
        let population = sc.trends.population.at(sc.calendar_year(0));
        let most = sc.trends.population.max();
        for (group_index, group) in sc.school_groups.iter().enumerate() {
            for i in 0..group.count {
                let wijk = group.wijken[i as usize % group.wijken.len()];
                let gemeente = sc.wijken[wijk].gemeente;
                // The group's own choice, else its gemeente's, else the region's.
                let enabled = group
                    .dsav
                    .or(sc.gemeenten[gemeente].policy.dsav)
                    .unwrap_or(p.dsav.enabled);
                let dsav = enabled && p.dsav.school_types.contains(&group.school_type);
                let id = self.schools.len() as u64;
                self.schools.push(School {
                    school_type: group.school_type,
                    wijk: wijk as u32,
                    gemeente: gemeente as u32,
                    size: scaled_size(group.students, population),
                    base_size: group.students,
                    enrolled: 0,
                    dsav_hours: if dsav {
                        p.dsav.hours_per_school_week
                    } else {
                        0.0
                    },
                    dsav_factor: 1.0,
                    smw_factor: 1.0,
                    group: group_index as u32,
                    ot_offset: (id % cadence) * WEEK,
                    catchment_cdf: match group.catchment {
                        Catchment::Wijk => usize::MAX,
                        Catchment::Gemeente => 1 + gemeente,
                        Catchment::Region => 0,
                    },
                });
            }
        }
        // Places are numbered for the most students a school ever holds,
        // so no year's new pupils take another school's person numbers.
        for school in &self.schools {
            self.first_place.push(self.places);
            self.places += u64::from(scaled_size(school.base_size, most.max(1.0)));
        }
        for school in 0..self.schools.len() as u32 {
            let size = self.schools[school as usize].size;
            let g = grades(self.schools[school as usize].school_type);
            for k in 0..size {
                let person = self.person(0, school, k);
                self.enter(school, (k % u32::from(g)) as u8, person, 0, q);
            }
        }
        // Wijkteams: one per wijk, staffed per 1,000 students living there.
        let mut living = vec![0u64; sc.wijken.len()];
        for st in &self.students {
            living[st.wijk as usize] += 1;
        }
        for (i, w) in sc.wijken.iter().enumerate() {
            let fte = w
                .wijkteam_fte
                .unwrap_or(p.wijkteam.fte_per_1000_students * living[i] as f64 / 1000.0);
            self.teams.push(Team {
                gemeente: w.gemeente as u32,
                base_fte: fte,
                fte,
                intake: Service::new(0),
                intake_time: 0,
                caseload: Service::new(0),
            });
        }
    }

    /// The person number of the k-th student to enter `school` in model
    /// year `year` (0: those built at the start; y + 1: the new pupils of
    /// the cohort step at the end of year y). Unique: no school takes more
    /// new students in a year than it has places.
    fn person(&self, year: u32, school: u32, k: u32) -> u64 {
        self.first_person
            + u64::from(year) * self.places
            + self.first_place[school as usize]
            + u64::from(k)
    }

    /// Student `person` enters `school` in `grade`.
    fn enter(
        &mut self,
        school: u32,
        grade: u8,
        person: u64,
        now: Time,
        q: &mut EventQueue<Ev>,
    ) -> u32 {
        let sd = self.p.needs.family_risk_sd;
        let gp_mean = self.p.signalling.gp_preference_mean;
        let cdf_id = self.schools[school as usize].catchment_cdf;
        let own = self.schools[school as usize].wijk;
        let mut r = self.key.stream(person, kind::POPULATION);
        let z = r.standard_normal();
        let family_risk = libm::exp(sd * z - 0.5 * sd * sd) as f32;
        let gp_preference = r.bernoulli(gp_mean);
        let wijk = if cdf_id == usize::MAX {
            own
        } else {
            let cdf = &self.cdfs[cdf_id];
            let total = cdf.last().map_or(0.0, |c| c.0);
            let u = r.uniform() * total;
            let i = cdf.partition_point(|c| c.0 <= u).min(cdf.len() - 1);
            cdf[i].1
        };
        let student = Student {
            person,
            school,
            wijk,
            grade,
            level: 0,
            stage: Stage::Healthy,
            gp_preference,
            family_risk,
            hazard: [
                self.key.decision(person, kind::ONSET, 0).unit_exponential() as f32,
                0.0,
                0.0,
            ],
            candidate: 0,
            clock_state: 0,
            clock_time: now,
            out_since: NEVER,
            need_v: 0,
            care_v: 0,
        };
        let case = Case {
            route: Route::Wijkteam,
            open: false,
            referred: false,
            helped: false,
            generalist_done: false,
            level_at_help_start: 0,
            handoffs: 0,
            stories: 0,
            need_no: 0,
            counts: [0; COUNTED],
            hazard: [0.0; 3],
            cost_mark: now,
            until: now,
            helped_year: NO_YEAR,
            second_line_year: NO_YEAR,
            thuis_year: NO_YEAR,
            opened_day: 0,
            info_lost: false,
            stay: false,
        };
        let s = match self.free.pop() {
            Some(s) => {
                // A reused place keeps counting its versions, so events and
                // waiting-list entries of the one who left stay stale.
                let old = &self.students[s as usize];
                let mut student = student;
                student.need_v = old.need_v;
                student.care_v = old.care_v;
                self.students[s as usize] = student;
                self.cases[s as usize] = case;
                s
            }
            None => {
                self.students.push(student);
                self.cases.push(case);
                (self.students.len() - 1) as u32
            }
        };
        self.schools[school as usize].enrolled += 1;
        self.schedule_need(s, now, q);
        s
    }

    /// A student leaves the region (or the school system): out of every
    /// queue and service. The caller has already released the school place.
    fn leave(&mut self, s: u32, now: Time, q: &mut EventQueue<Ev>) {
        self.withdraw_from_care(s, now, q);
        self.count_thuiszitter(s, now);
        self.close_case(s);
        let st = self.st_mut(s);
        st.school = NO_SCHOOL;
        st.stage = Stage::Healthy;
        st.level = 0;
        self.bump_need(s);
        self.bump_care(s);
        self.free.push(s);
    }

    /// The end-of-year cohort step.
    pub(super) fn cohort_step(&mut self, now: Time, q: &mut EventQueue<Ev>) {
        let c = &self.p.cohorts;
        // Next year's sizes: the intake fills schools to their size times
        // the population trend, so the population drifts with it.
        let population = self
            .sc
            .trends
            .population
            .at(self.sc.calendar_year(self.year + 1));
        for school in &mut self.schools {
            school.size = scaled_size(school.base_size, population);
        }
        // Leavers waiting for a place, per destination type; and those who
        // leave the school system. Both keep their old school until placed.
        let mut pools: [Vec<u32>; 6] = Default::default();
        let mut leaving = Vec::new();
        for s in 0..self.students.len() as u32 {
            let school = self.st(s).school;
            if school == NO_SCHOOL {
                continue;
            }
            let t = self.schools[school as usize].school_type;
            let st = self.st_mut(s);
            st.grade += 1;
            if st.grade < grades(t) {
                continue;
            }
            let severe = st.level >= 3;
            let u = self.decision(s, kind::COHORT, self.year).uniform();
            let dest = match t {
                SchoolType::PO if severe && u < c.po_to_vso_if_severe => Some(SchoolType::VSO),
                SchoolType::PO => Some(SchoolType::VO),
                SchoolType::SBO if u < c.sbo_to_vso => Some(SchoolType::VSO),
                SchoolType::SBO => Some(SchoolType::VO),
                SchoolType::SO => Some(SchoolType::VSO),
                SchoolType::VO if u < c.vo_to_mbo => Some(SchoolType::MBO),
                SchoolType::VSO if u < c.vso_to_mbo => Some(SchoolType::MBO),
                _ => None,
            };
            self.schools[school as usize].enrolled -= 1;
            match dest {
                Some(d) => pools[d.index()].push(s),
                None => leaving.push(s),
            }
        }
        // Each school fills its first grade: from leavers of the feeding
        // schools first (in a per-year random order), then new pupils. The
        // order sorts each leaver by their own draw, so one leaver more or
        // fewer moves no other leaver's place in it.
        for pool in &mut pools {
            let mut keyed: Vec<(u64, u64, u32)> = pool
                .iter()
                .map(|&s| {
                    let u = self.decision(s, kind::POOL_ORDER, self.year).uniform();
                    // Descending: places are taken from the end.
                    (u.to_bits(), self.st(s).person, s)
                })
                .collect();
            keyed.sort_unstable_by_key(|&(u, person, _)| std::cmp::Reverse((u, person)));
            *pool = keyed.into_iter().map(|(_, _, s)| s).collect();
        }
        for school in 0..self.schools.len() as u32 {
            let t = self.schools[school as usize].school_type;
            let mut new_pupils = 0;
            while self.schools[school as usize].enrolled < self.schools[school as usize].size {
                // Pool and free places come in random order: load ahead.
                let pool = &pools[t.index()];
                let next = if pool.is_empty() { &self.free } else { pool };
                if let Some(&ahead) = next.len().checked_sub(AHEAD).and_then(|i| next.get(i)) {
                    self.prefetch_student(ahead);
                }
                match pools[t.index()].pop() {
                    Some(s) => {
                        // Hazards run at the old school's rates until now.
                        self.advance_need(s, now);
                        let st = self.st_mut(s);
                        st.school = school;
                        st.grade = 0;
                        self.schools[school as usize].enrolled += 1;
                        // School-dependent hazards change with the school.
                        self.schedule_need(s, now, q);
                    }
                    None => {
                        let person = self.person(self.year + 1, school, new_pupils);
                        new_pupils += 1;
                        self.enter(school, 0, person, now, q);
                    }
                }
            }
        }
        // Leavers without a place in the region move away.
        let movers: Vec<u32> = leaving
            .into_iter()
            .chain(pools.into_iter().flatten())
            .collect();
        for (i, &s) in movers.iter().enumerate() {
            if let Some(&ahead) = movers.get(i + AHEAD) {
                self.prefetch_student(ahead);
            }
            self.leave(s, now, q);
        }
    }
}

/// A school's size times a population factor (at least one student).
fn scaled_size(base: u32, factor: f64) -> u32 {
    if factor == 1.0 {
        return base;
    }
    (f64::from(base) * factor).round().max(1.0) as u32
}

/// How many students ahead the cohort step loads records it will touch.
const AHEAD: usize = 8;
