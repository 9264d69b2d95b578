//! Scenarios with several jeugdregio's: each becomes an independent
//! sub-scenario (its gemeenten, wijken and schools, its own second line),
//! and their results are merged back into the scenario's gemeente order.

use super::metrics::{Ledger, ReplicationResult, YearAcc};
use crate::scenario::Scenario;

/// One sub-scenario per jeugdregio, with the global index of each of its gemeenten.
pub fn split(sc: &Scenario) -> Vec<(Scenario, Vec<usize>)> {
    (0..sc.jeugdregios.len())
        .map(|r| {
            let gemeenten: Vec<usize> = (0..sc.gemeenten.len())
                .filter(|&g| sc.gemeenten[g].jeugdregio == r)
                .collect();
            let local_g = |g: usize| gemeenten.iter().position(|&x| x == g);
            let wijken: Vec<usize> = (0..sc.wijken.len())
                .filter(|&w| local_g(sc.wijken[w].gemeente).is_some())
                .collect();
            let local_w = |w: usize| wijken.iter().position(|&x| x == w);
            let mut sub = sc.clone();
            sub.region_name = sc.jeugdregios[r].clone();
            sub.jeugdregios = vec![sc.jeugdregios[r].clone()];
            sub.gemeenten = gemeenten
                .iter()
                .map(|&g| {
                    let mut x = sc.gemeenten[g].clone();
                    x.jeugdregio = 0;
                    x
                })
                .collect();
            sub.wijken = wijken
                .iter()
                .map(|&w| {
                    let mut x = sc.wijken[w].clone();
                    x.gemeente = local_g(x.gemeente).unwrap_or(0);
                    x
                })
                .collect();
            // Validation keeps every school group inside one jeugdregio.
            sub.school_groups = sc
                .school_groups
                .iter()
                .filter(|grp| grp.wijken.first().is_some_and(|&w| local_w(w).is_some()))
                .map(|grp| {
                    let mut x = grp.clone();
                    x.wijken = grp.wijken.iter().filter_map(|&w| local_w(w)).collect();
                    x
                })
                .collect();
            (sub, gemeenten)
        })
        .collect()
}

/// Puts the regions' results back together, gemeenten in scenario order.
pub fn merge(
    sc: &Scenario,
    parts: &[(Scenario, Vec<usize>)],
    results: Vec<ReplicationResult>,
) -> ReplicationResult {
    let years = results.first().map_or(0, |r| r.years.len());
    let mut out = ReplicationResult {
        years: vec![vec![YearAcc::default(); sc.gemeenten.len()]; years],
        by_type: results
            .first()
            .map(|r| r.by_type.iter().map(|_| Default::default()).collect())
            .unwrap_or_default(),
        monthly: results
            .first()
            .map(|r| {
                r.monthly
                    .iter()
                    .map(|&(y, m, ..)| (y, m, 0, 0, 0))
                    .collect()
            })
            .unwrap_or_default(),
        events: 0,
        ledger: results
            .first()
            .map(|r| {
                r.ledger
                    .iter()
                    .map(|l| Ledger {
                        year: l.year,
                        ..Default::default()
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    for ((_, global), r) in parts.iter().zip(results) {
        for (y, accs) in r.years.into_iter().enumerate() {
            for (local, acc) in accs.into_iter().enumerate() {
                out.years[y][global[local]] = acc;
            }
        }
        for (y, types) in r.by_type.iter().enumerate() {
            for (t, a) in types.iter().enumerate() {
                let o = &mut out.by_type[y][t];
                o.students += a.students;
                o.helped += a.helped;
                o.second_line += a.second_line;
            }
        }
        for (o, m) in out.monthly.iter_mut().zip(&r.monthly) {
            o.2 += m.2;
            o.3 += m.3;
            o.4 += m.4;
        }
        for (o, l) in out.ledger.iter_mut().zip(&r.ledger) {
            o.students += l.students;
            o.students_in_stages += l.students_in_stages;
            o.referrals_total += l.referrals_total;
            o.referrals_accounted += l.referrals_accounted;
        }
        out.events += r.events;
    }
    out
}
