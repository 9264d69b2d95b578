//! The stock-flow of second-line care for `forecast.csv`: every start and
//! every end of a treatment (ambulant or with stay) is counted where it
//! happens, with the exact time in care of each trajectory, so that per
//! gemeente and year `stock_end = stock_start + starts - ends` holds by
//! construction and Little's law can be checked on measured times.
//! Trajectory start times live in a side array indexed by student (the
//! 64-byte `Case` record is full); only starts and ends touch it.

use super::*;
use crate::engine::minutes::DAY;

/// Index of a form in [`metrics::Flows`].
fn form(stay: bool) -> usize {
    usize::from(stay)
}

impl World<'_> {
    /// A trajectory of `s` began at `start` (earlier than now for a youth
    /// of an observed state already in care).
    pub(super) fn care_began_at(&mut self, s: u32, start: i64) {
        let i = s as usize;
        if self.care_start.len() <= i {
            self.care_start.resize(self.students.len().max(i + 1), 0);
        }
        self.care_start[i] = start;
    }

    /// A treatment started now: an inflow of this year.
    pub(super) fn care_started(&mut self, s: u32, stay: bool, now: Time) {
        self.care_began_at(s, now as i64);
        self.acc_of(s).flows.starts[form(stay)] += 1;
    }

    /// The treatment of `s` ends now (done, withdrawn, or the youth left
    /// school): an outflow of this year, with its whole length and the
    /// part of it in this year.
    pub(super) fn care_ended(&mut self, s: u32, now: Time) {
        let stay = self.case(s).stay;
        let start = self
            .care_start
            .get(s as usize)
            .copied()
            .unwrap_or(now as i64);
        let year_start = (u64::from(self.year) * YEAR) as i64;
        let now = now as i64;
        let f = &mut self.acc_of(s).flows;
        f.ends[form(stay)] += 1;
        f.ended_days[form(stay)] += (now - start) as f64 / DAY as f64;
        f.care_days[form(stay)] += (now - start.max(year_start)).max(0) as f64 / DAY as f64;
    }

    /// At a year's start, after any injected state: the stock on 1
    /// January, the waiting lists and the wijkteams' light help, per
    /// gemeente.
    pub(super) fn count_year_start(&mut self) {
        let y = self.year as usize;
        for s in 0..self.students.len() as u32 {
            let (school, stage) = (self.st(s).school, self.st(s).stage);
            if school == NO_SCHOOL {
                continue;
            }
            let stay = self.case(s).stay;
            let g = self.gemeente_of(s);
            let f = &mut self.acc[y][g].flows;
            match stage {
                Stage::Treatment => f.stock_start[form(stay)] += 1,
                Stage::IntakeQueue => f.waiting_start[0] += 1,
                Stage::AssessQueue => f.waiting_start[1] += 1,
                Stage::TreatQueue => f.waiting_start[2 + form(stay)] += 1,
                Stage::LightHelp => f.light_start += 1,
                _ => {}
            }
        }
    }

    /// After a year's end (and its cohort step): the stock carried into
    /// the next year, and the days in care of this year of those still in
    /// care.
    pub(super) fn count_year_end(&mut self) {
        let y = self.year as usize;
        let (year_start, year_end) = (
            (u64::from(self.year) * YEAR) as i64,
            (u64::from(self.year + 1) * YEAR) as i64,
        );
        for s in 0..self.students.len() as u32 {
            let st = self.st(s);
            if st.school == NO_SCHOOL || st.stage != Stage::Treatment {
                continue;
            }
            let stay = self.case(s).stay;
            let start = self
                .care_start
                .get(s as usize)
                .copied()
                .unwrap_or(year_start);
            let g = self.gemeente_of(s);
            let f = &mut self.acc[y][g].flows;
            f.stock_end[form(stay)] += 1;
            f.care_days[form(stay)] += (year_end - start.max(year_start)) as f64 / DAY as f64;
        }
    }
}
