//! A world's state as bytes (for `crate::checkpoint`): every student and
//! case record, the lists, the event queue, the clock, the yearly counters
//! and the per-year settings, written at the start of a model year.
//!
//! What a world builds from its scenario (schools, wijkteams, catchment
//! tables, person numbering) is not saved: a world is built from the
//! (possibly forked) scenario, then its state is read over it, so the
//! saved worlds re-attach to the scenario they continue with.

use super::metrics::Line;
use super::service::{Entry, Service};
use super::*;
use crate::checkpoint::codec::{DecodeError, Reader, Writer};

fn bad(what: &str) -> DecodeError {
    DecodeError::new(what.to_string())
}

const STAGES: [Stage; STAGE_COUNT] = [
    Stage::Healthy,
    Stage::Unmet,
    Stage::WaitOt,
    Stage::Transit,
    Stage::IntakeQueue,
    Stage::Intake,
    Stage::CaseloadQueue,
    Stage::LightHelp,
    Stage::Consult,
    Stage::Poh,
    Stage::Swv,
    Stage::Dsav,
    Stage::Bounced,
    Stage::AssessQueue,
    Stage::Assessment,
    Stage::TreatQueue,
    Stage::Deferred,
    Stage::Treatment,
];

const SOURCES: [Source; 7] = [
    Source::School,
    Source::ParentsHuisarts,
    Source::ParentsWijkteam,
    Source::Jeugdarts,
    Source::Leerplicht,
    Source::Specialist,
    Source::SelfReferral,
];

const DESTS: [Dest; 3] = [Dest::Wijkteam, Dest::Jeugdprofessional, Dest::Huisarts];

const CARE: [CareEvent; 12] = [
    CareEvent::OtMeeting,
    CareEvent::Arrive(Dest::Wijkteam),
    CareEvent::IntakeDone,
    CareEvent::LightHelpDone,
    CareEvent::ConsultDone,
    CareEvent::PohDone,
    CareEvent::SwvDone,
    CareEvent::DsavDone,
    CareEvent::RetryReferral,
    CareEvent::AssessmentDone,
    CareEvent::TreatmentDone,
    CareEvent::LeaveList,
];

fn pick<T: Copy + PartialEq>(all: &[T], x: T) -> u8 {
    all.iter().position(|&a| a == x).unwrap_or(0) as u8
}

fn from_tag<T: Copy>(all: &[T], tag: u8, what: &str) -> Result<T, DecodeError> {
    all.get(tag as usize)
        .copied()
        .ok_or_else(|| DecodeError::new(format!("{tag} is not a {what}")))
}

fn route_from(tag: u8) -> Result<Route, DecodeError> {
    ROUTES
        .iter()
        .map(|&(_, r)| r)
        .find(|&r| r as u8 == tag)
        .ok_or_else(|| bad("an unknown route"))
}

fn encode_event(e: &Ev, w: &mut Writer) {
    match *e {
        Ev::Need { s, v, k } => {
            w.u8(0);
            w.u32(s);
            w.u32(v);
            let (tag, source) = match k {
                NeedEvent::Onset => (0, 0),
                NeedEvent::Escalate => (1, 0),
                NeedEvent::Resolve => (2, 0),
                NeedEvent::Signal(x) => (3, pick(&SOURCES, x)),
                NeedEvent::OtherSignal => (4, 0),
                NeedEvent::LeaveSchool => (5, 0),
            };
            w.u8(tag);
            w.u8(source);
        }
        Ev::Care { s, v, k } => {
            w.u8(1);
            w.u32(s);
            w.u32(v);
            let (tag, dest) = match k {
                CareEvent::Arrive(d) => (1, pick(&DESTS, d)),
                k => (pick(&CARE, k), 0),
            };
            w.u8(tag);
            w.u8(dest);
        }
        Ev::CourtOrder { s, p, level } => {
            w.u8(2);
            w.u32(s);
            w.u32(p);
            w.u8(level);
            w.u8(0);
        }
        Ev::Month => {
            w.u8(3);
            w.u32(0);
            w.u32(0);
            w.u8(0);
            w.u8(0);
        }
    }
}

fn decode_event(r: &mut Reader, students: usize) -> Result<Ev, DecodeError> {
    let (kind, s, v, tag, sub) = (r.u8()?, r.u32()?, r.u32()?, r.u8()?, r.u8()?);
    if kind < 3 && s as usize >= students {
        return Err(bad("an event of no student"));
    }
    Ok(match kind {
        0 => Ev::Need {
            s,
            v,
            k: match tag {
                0 => NeedEvent::Onset,
                1 => NeedEvent::Escalate,
                2 => NeedEvent::Resolve,
                3 => NeedEvent::Signal(from_tag(&SOURCES, sub, "signal source")?),
                4 => NeedEvent::OtherSignal,
                5 => NeedEvent::LeaveSchool,
                _ => return Err(bad("an unknown need event")),
            },
        },
        1 => Ev::Care {
            s,
            v,
            k: match tag {
                1 => CareEvent::Arrive(from_tag(&DESTS, sub, "hand-off destination")?),
                t => from_tag(&CARE, t, "care event")?,
            },
        },
        2 => Ev::CourtOrder {
            s,
            p: v,
            level: tag,
        },
        3 => Ev::Month,
        _ => return Err(bad("an unknown event")),
    })
}

fn encode_student(st: &Student, w: &mut Writer) {
    w.u64(st.person);
    w.u32(st.school);
    w.u32(st.wijk);
    w.u8(st.grade);
    w.u8(st.level);
    w.u8(pick(&STAGES, st.stage));
    w.bool(st.gp_preference);
    w.f32(st.family_risk);
    st.hazard.iter().for_each(|&h| w.f32(h));
    w.u16(st.candidate);
    w.u8(st.clock_state);
    w.u64(st.clock_time);
    w.u64(st.out_since);
    w.u32(st.need_v);
    w.u32(st.care_v);
}

fn decode_student(r: &mut Reader, schools: usize, wijken: usize) -> Result<Student, DecodeError> {
    let st = Student {
        person: r.u64()?,
        school: r.u32()?,
        wijk: r.u32()?,
        grade: r.u8()?,
        level: r.u8()?,
        stage: from_tag(&STAGES, r.u8()?, "stage")?,
        gp_preference: r.bool()?,
        family_risk: r.f32()?,
        hazard: [r.f32()?, r.f32()?, r.f32()?],
        candidate: r.u16()?,
        clock_state: r.u8()?,
        clock_time: r.u64()?,
        out_since: r.u64()?,
        need_v: r.u32()?,
        care_v: r.u32()?,
    };
    if (st.school != NO_SCHOOL && st.school as usize >= schools) || st.wijk as usize >= wijken {
        return Err(bad("a student of no school or wijk of the scenario"));
    }
    Ok(st)
}

fn encode_case(c: &Case, w: &mut Writer) {
    w.u8(c.route as u8);
    for b in [c.open, c.referred, c.helped, c.generalist_done] {
        w.bool(b);
    }
    w.u8(c.level_at_help_start);
    w.u8(c.handoffs);
    w.u8(c.stories);
    w.u16(c.need_no);
    c.counts.iter().for_each(|&n| w.u8(n));
    c.hazard.iter().for_each(|&h| w.f32(h));
    w.u64(c.cost_mark);
    w.u64(c.until);
    w.u8(c.helped_year);
    w.u8(c.second_line_year);
    w.u8(c.thuis_year);
    w.u16(c.opened_day);
    w.bool(c.info_lost);
    w.bool(c.stay);
}

fn decode_case(r: &mut Reader) -> Result<Case, DecodeError> {
    let route = route_from(r.u8()?)?;
    let (open, referred, helped, generalist_done) = (r.bool()?, r.bool()?, r.bool()?, r.bool()?);
    let (level_at_help_start, handoffs, stories, need_no) = (r.u8()?, r.u8()?, r.u8()?, r.u16()?);
    let mut counts = [0u8; COUNTED];
    for n in &mut counts {
        *n = r.u8()?;
    }
    Ok(Case {
        route,
        open,
        referred,
        helped,
        generalist_done,
        level_at_help_start,
        handoffs,
        stories,
        need_no,
        counts,
        hazard: [r.f32()?, r.f32()?, r.f32()?],
        cost_mark: r.u64()?,
        until: r.u64()?,
        helped_year: r.u8()?,
        second_line_year: r.u8()?,
        thuis_year: r.u8()?,
        opened_day: r.u16()?,
        info_lost: r.bool()?,
        stay: r.bool()?,
    })
}

fn encode_acc(a: &YearAcc, w: &mut Writer) {
    for x in [a.students, a.helped, a.light_help_starts] {
        w.u64(x);
    }
    for arr in [&a.referrals, &a.cases_by_route, &a.resolved_before_referral] {
        arr.iter().for_each(|&x| w.u64(x));
    }
    w.u64(a.second_line_starts);
    for v in [
        &a.wait_intake,
        &a.wait_assessment,
        &a.wait_treatment,
        &a.wait_light_help,
        &a.wait_verblijf,
    ] {
        w.u32s(v);
    }
    for x in [
        a.first_help_levels,
        a.first_helps,
        a.cases_closed,
        a.handoffs,
        a.stories,
        a.thuiszitters,
        a.clientenstop_bounces,
        a.deferred,
        a.list_dropouts,
        a.time_to_help_days,
        a.poh_seen,
        a.poh_referred,
        a.dsav_refusals,
        a.starts_verblijf,
        a.caseload_ambulant,
        a.caseload_verblijf,
    ] {
        w.u64(x);
    }
    a.costs.iter().for_each(|&x| w.f64(x));
    a.trajectory_bands.iter().for_each(|&x| w.u64(x));
    for x in [a.budget, a.swv_budget, a.cost_ambulant, a.cost_verblijf] {
        w.f64(x);
    }
    let f = &a.flows;
    for arr in [&f.stock_start, &f.stock_end, &f.starts, &f.ends] {
        arr.iter().for_each(|&x| w.u64(x));
    }
    for arr in [&f.care_days, &f.ended_days] {
        arr.iter().for_each(|&x| w.f64(x));
    }
    f.waiting_start.iter().for_each(|&x| w.u64(x));
    w.u64(f.light_start);
}

fn decode_acc(r: &mut Reader) -> Result<YearAcc, DecodeError> {
    let mut a = YearAcc {
        students: r.u64()?,
        helped: r.u64()?,
        light_help_starts: r.u64()?,
        ..YearAcc::default()
    };
    for arr in [
        &mut a.referrals,
        &mut a.cases_by_route,
        &mut a.resolved_before_referral,
    ] {
        for x in arr.iter_mut() {
            *x = r.u64()?;
        }
    }
    a.second_line_starts = r.u64()?;
    for v in [
        &mut a.wait_intake,
        &mut a.wait_assessment,
        &mut a.wait_treatment,
        &mut a.wait_light_help,
        &mut a.wait_verblijf,
    ] {
        *v = r.u32s()?;
    }
    for x in [
        &mut a.first_help_levels,
        &mut a.first_helps,
        &mut a.cases_closed,
        &mut a.handoffs,
        &mut a.stories,
        &mut a.thuiszitters,
        &mut a.clientenstop_bounces,
        &mut a.deferred,
        &mut a.list_dropouts,
        &mut a.time_to_help_days,
        &mut a.poh_seen,
        &mut a.poh_referred,
        &mut a.dsav_refusals,
        &mut a.starts_verblijf,
        &mut a.caseload_ambulant,
        &mut a.caseload_verblijf,
    ] {
        *x = r.u64()?;
    }
    for x in a.costs.iter_mut() {
        *x = r.f64()?;
    }
    for x in a.trajectory_bands.iter_mut() {
        *x = r.u64()?;
    }
    for x in [
        &mut a.budget,
        &mut a.swv_budget,
        &mut a.cost_ambulant,
        &mut a.cost_verblijf,
    ] {
        *x = r.f64()?;
    }
    let f = &mut a.flows;
    for arr in [
        &mut f.stock_start,
        &mut f.stock_end,
        &mut f.starts,
        &mut f.ends,
    ] {
        for x in arr.iter_mut() {
            *x = r.u64()?;
        }
    }
    for arr in [&mut f.care_days, &mut f.ended_days] {
        for x in arr.iter_mut() {
            *x = r.f64()?;
        }
    }
    for x in f.waiting_start.iter_mut() {
        *x = r.u64()?;
    }
    f.light_start = r.u64()?;
    Ok(a)
}

// Every budget line is in `costs` (the encoder writes the array whole).
const _: () = assert!(Line::Huisarts as usize == 5);

impl World<'_> {
    /// Writes the world's state at the start of model year `next_year`
    /// (before `start_year`), with its event queue and the events run so far.
    pub(super) fn encode(&self, q: &EventQueue<Ev>, next_year: u32, events: u64) -> Vec<u8> {
        let mut w = Writer::new();
        w.u32(next_year);
        w.u64(events);
        w.u64(self.now);
        w.len(self.students.len());
        for (st, c) in self.students.iter().zip(&self.cases) {
            encode_student(st, &mut w);
            encode_case(c, &mut w);
        }
        // Trajectory start times (`flows`): a side array of the students.
        w.len(self.care_start.len());
        self.care_start.iter().for_each(|&x| w.u64(x as u64));
        w.len(self.schools.len());
        for x in &self.schools {
            w.u32(x.enrolled);
            w.u32(x.size);
            w.f64(x.dsav_factor);
            w.f64(x.smw_factor);
        }
        w.len(self.teams.len());
        for t in &self.teams {
            w.f64(t.fte);
            t.intake.encode(&mut w);
            w.u64(t.intake_time);
            t.caseload.encode(&mut w);
        }
        w.u32s(&self.free);
        for s in [&self.assessment, &self.treatment, &self.verblijf] {
            s.encode(&mut w);
        }
        w.len(self.deferred.len());
        self.deferred.iter().for_each(|e| e.encode(&mut w));
        w.len(self.spend.len());
        self.spend.iter().for_each(|&x| w.f64(x));
        w.f64(self.swv_spent);
        w.u32(self.year);
        for x in [self.cut, self.dsav_scale, self.smw_scale, self.onset_factor] {
            w.f64(x);
        }
        // Each gemeente's levers this year (scoped levers).
        w.len(self.local.len());
        for l in &self.local {
            for x in [l.poh_coverage, l.swv_scale, l.handoff.0, l.handoff.1] {
                w.f64(x);
            }
            w.bool(l.integraal_on);
            w.bool(l.mandate);
        }
        w.u32(self.clientenstop_limit);
        w.len(self.acc.len());
        for year in &self.acc {
            w.len(year.len());
            year.iter().for_each(|a| encode_acc(a, &mut w));
        }
        w.len(self.types.len());
        for year in &self.types {
            for t in year {
                for x in [t.students, t.helped, t.second_line] {
                    w.u64(x);
                }
            }
        }
        w.len(self.monthly.len());
        for m in &self.monthly {
            w.u32(m.year);
            w.u32(m.month);
            for x in m.queues {
                w.u32(x);
            }
        }
        w.len(self.ledger.len());
        for l in &self.ledger {
            w.u32(l.year);
            for x in [
                l.students,
                l.students_in_stages,
                l.referrals_total,
                l.referrals_accounted,
            ] {
                w.u64(x);
            }
        }
        w.u64(self.referrals_total);
        w.u64(self.second_line_done);
        self.demand.encode(&mut w);
        w.u32(self.dsav_active);
        w.u32(self.dsav_capacity);
        q.encode(&mut w, encode_event);
        w.buf
    }

    /// Reads a state written by [`World::encode`] over this freshly built
    /// world; returns its event queue, the next model year and the events
    /// run so far.
    pub(super) fn restore(
        &mut self,
        bytes: &[u8],
    ) -> Result<(EventQueue<Ev>, u32, u64), DecodeError> {
        let r = &mut Reader::new(bytes);
        let next_year = r.u32()?;
        let events = r.u64()?;
        self.now = r.u64()?;
        let n = r.len(64)?;
        let (schools, wijken) = (self.schools.len(), self.sc.wijken.len());
        let mut students = Vec::with_capacity(n);
        let mut cases = Vec::with_capacity(n);
        for _ in 0..n {
            students.push(decode_student(r, schools, wijken)?);
            cases.push(decode_case(r)?);
        }
        let m = r.len(8)?;
        let mut care_start = Vec::with_capacity(m);
        for _ in 0..m {
            care_start.push(r.u64()? as i64);
        }
        if r.len(4)? != schools {
            return Err(bad("another number of schools than the scenario's"));
        }
        for s in &mut self.schools {
            s.enrolled = r.u32()?;
            s.size = r.u32()?;
            s.dsav_factor = r.f64()?;
            s.smw_factor = r.f64()?;
        }
        if r.len(8)? != self.teams.len() {
            return Err(bad("another number of wijkteams than the scenario's"));
        }
        for t in &mut self.teams {
            t.fte = r.f64()?;
            t.intake = Service::decode(r, n)?;
            t.intake_time = r.u64()?;
            t.caseload = Service::decode(r, n)?;
        }
        let free = r.u32s()?;
        if free.iter().any(|&s| s as usize >= n) {
            return Err(bad("a free place of no student"));
        }
        self.assessment = Service::decode(r, n)?;
        self.treatment = Service::decode(r, n)?;
        self.verblijf = Service::decode(r, n)?;
        self.deferred = r.vec(16, |r| Entry::decode(r, n))?;
        let spend = r.vec(8, |r| r.f64())?;
        if spend.len() != self.sc.gemeenten.len() {
            return Err(bad("another number of gemeenten than the scenario's"));
        }
        self.spend = spend;
        self.swv_spent = r.f64()?;
        self.year = r.u32()?;
        self.cut = r.f64()?;
        self.dsav_scale = r.f64()?;
        self.smw_scale = r.f64()?;
        self.onset_factor = r.f64()?;
        let local = r.vec(34, |r| {
            let (poh_coverage, swv_scale) = (r.f64()?, r.f64()?);
            let handoff = (r.f64()?, r.f64()?);
            Ok(year::Local {
                poh_coverage,
                swv_scale,
                handoff,
                integraal_on: r.bool()?,
                mandate: r.bool()?,
            })
        })?;
        if local.len() != self.sc.gemeenten.len() {
            return Err(bad(
                "levers of another number of gemeenten than the scenario's",
            ));
        }
        self.local = local;
        self.clientenstop_limit = r.u32()?;
        let years = (self.sc.simulation.warmup_years + self.sc.simulation.years) as usize;
        let gemeenten = self.sc.gemeenten.len();
        let acc = r.vec(8, |r| r.vec(8, decode_acc))?;
        if acc.len() != years || acc.iter().any(|y| y.len() != gemeenten) {
            return Err(bad("counters of another number of years or gemeenten"));
        }
        self.acc = acc;
        let types = r.vec(8, |r| {
            let mut a = [TypeAcc::default(); 6];
            for t in &mut a {
                *t = TypeAcc {
                    students: r.u64()?,
                    helped: r.u64()?,
                    second_line: r.u64()?,
                };
            }
            Ok(a)
        })?;
        if types.len() != years {
            return Err(bad("school-type counters of another number of years"));
        }
        self.types = types;
        self.monthly = r.vec(24, |r| {
            Ok(Month {
                year: r.u32()?,
                month: r.u32()?,
                queues: [r.u32()?, r.u32()?, r.u32()?, r.u32()?],
            })
        })?;
        self.ledger = r.vec(36, |r| {
            Ok(Ledger {
                year: r.u32()?,
                students: r.u64()?,
                students_in_stages: r.u64()?,
                referrals_total: r.u64()?,
                referrals_accounted: r.u64()?,
            })
        })?;
        self.referrals_total = r.u64()?;
        self.second_line_done = r.u64()?;
        self.demand = queues::Demand::decode(r)?;
        self.dsav_active = r.u32()?;
        self.dsav_capacity = r.u32()?;
        let q = EventQueue::decode(r, |r| decode_event(r, n))?;
        r.finish()?;
        if next_year == 0 || next_year as usize >= years || self.year + 1 != next_year {
            return Err(bad("a model year outside the scenario's run"));
        }
        self.students = students;
        self.cases = cases;
        self.care_start = care_start;
        self.free = free;
        Ok((q, next_year, events))
    }
}
