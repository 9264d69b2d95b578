//! The school calendar: a model year starts on the first school day (late
//! August) and has 40 school weeks and 12 holiday weeks, as in Dutch
//! primary and secondary education. School-only processes (signalling by the
//! school, ondersteuningsteam meetings, DSAV presence) run on *school time*,
//! which stands still in holidays.

use crate::engine::{
    Time,
    minutes::{WEEK, YEAR},
};

/// Holiday weeks, counted from the first school week (0-based): autumn,
/// Christmas (2), spring, May (2) and summer (6, plus the 365th day).
const HOLIDAYS: [u32; 12] = [8, 17, 18, 25, 34, 35, 46, 47, 48, 49, 50, 51];

pub const SCHOOL_WEEKS: u64 = 40;
/// Ticks of school time in one year.
pub const SCHOOL_YEAR: Time = SCHOOL_WEEKS * WEEK;

pub struct Calendar {
    /// School ticks before the start of each week of the year (53 entries).
    before: [Time; 53],
    school_week: [bool; 52],
}

impl Default for Calendar {
    fn default() -> Self {
        let mut school_week = [true; 52];
        for h in HOLIDAYS {
            school_week[h as usize] = false;
        }
        let mut before = [0; 53];
        for w in 0..52 {
            before[w + 1] = before[w] + if school_week[w] { WEEK } else { 0 };
        }
        Calendar {
            before,
            school_week,
        }
    }
}

impl Calendar {
    /// School time elapsed from 0 to calendar time `t`.
    pub fn school_time(&self, t: Time) -> Time {
        let (y, r) = (t / YEAR, t % YEAR);
        let w = (r / WEEK) as usize;
        let base = y * SCHOOL_YEAR;
        if w >= 52 {
            return base + SCHOOL_YEAR;
        }
        base + self.before[w] + if self.school_week[w] { r % WEEK } else { 0 }
    }

    /// The earliest calendar time at which school time reaches `s`.
    pub fn calendar_time(&self, s: Time) -> Time {
        let (y, r) = (s / SCHOOL_YEAR, s % SCHOOL_YEAR);
        // The school week that contains school tick r.
        let w = self.before.partition_point(|&b| b <= r) - 1;
        let w = (w..52).find(|&w| self.school_week[w]).unwrap_or(51);
        y * YEAR + w as Time * WEEK + (r - self.before[w])
    }

    /// Calendar time after `duration` ticks of school time from `now`.
    pub fn after_school_time(&self, now: Time, duration: Time) -> Time {
        self.calendar_time(self.school_time(now).saturating_add(duration))
            .max(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::minutes::DAY;

    #[test]
    fn school_time_skips_holidays() {
        let c = Calendar::default();
        assert_eq!(c.school_time(YEAR), SCHOOL_YEAR);
        // Week 8 is the autumn holiday: school time stands still in it.
        assert_eq!(c.school_time(8 * WEEK), c.school_time(9 * WEEK));
        // One school week from the start of week 7 ends at the start of week 9.
        assert_eq!(c.after_school_time(7 * WEEK, WEEK), 9 * WEEK);
        assert_eq!(c.after_school_time(3 * DAY, 2 * DAY), 5 * DAY);
        for t in [0, 5 * DAY, 10 * WEEK + 3, 2 * YEAR + 40 * WEEK] {
            assert_eq!(
                c.school_time(c.calendar_time(c.school_time(t))),
                c.school_time(t)
            );
        }
    }
}
