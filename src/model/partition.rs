//! Scenarios with several jeugdregio's: each becomes an independent
//! sub-scenario (its gemeenten, wijken and schools, its own second line),
//! and their results are merged back into the scenario's gemeente order.

use super::metrics::{Ledger, Month, ReplicationResult, YearAcc};
use crate::scenario::{Scenario, SchoolGroup};
use std::collections::HashMap;
use std::sync::Arc;

/// One sub-scenario per jeugdregio, with the global index of each of its gemeenten.
/// Each gemeente, wijk and school group is visited once (local indices
/// from tables, not searches), so splitting is linear in the scenario.
pub fn split(sc: &Scenario) -> Vec<(Scenario, Vec<usize>)> {
    let regions = sc.jeugdregios.len();
    // Local index of each gemeente and wijk within its jeugdregio.
    let mut gemeenten: Vec<Vec<usize>> = vec![Vec::new(); regions];
    let mut local_g = vec![0usize; sc.gemeenten.len()];
    for (g, gem) in sc.gemeenten.iter().enumerate() {
        local_g[g] = gemeenten[gem.jeugdregio].len();
        gemeenten[gem.jeugdregio].push(g);
    }
    let region_of_wijk = |w: usize| sc.gemeenten[sc.wijken[w].gemeente].jeugdregio;
    let mut wijken: Vec<Vec<usize>> = vec![Vec::new(); regions];
    let mut local_w = vec![0usize; sc.wijken.len()];
    for (w, local) in local_w.iter_mut().enumerate() {
        let r = region_of_wijk(w);
        *local = wijken[r].len();
        wijken[r].push(w);
    }
    // Validation keeps every school group inside one jeugdregio; groups
    // sharing one list of wijken share its local list too.
    let mut groups: Vec<Vec<SchoolGroup>> = vec![Vec::new(); regions];
    // Keyed by where the shared list lies in memory: groups of one list
    // (the defaults of validation) get one local list.
    let mut local_lists: HashMap<*const usize, Arc<[usize]>> = HashMap::new();
    for grp in &sc.school_groups {
        let Some(&first) = grp.wijken.first() else {
            continue;
        };
        let list = local_lists
            .entry(grp.wijken.as_ptr())
            .or_insert_with(|| grp.wijken.iter().map(|&w| local_w[w]).collect())
            .clone();
        groups[region_of_wijk(first)].push(SchoolGroup {
            wijken: list,
            ..grp.clone()
        });
    }
    gemeenten
        .into_iter()
        .zip(wijken)
        .zip(groups)
        .enumerate()
        .map(|(r, ((gemeenten, wijken), school_groups))| {
            // Field by field: cloning `sc` whole would copy every region's
            // lists once per region.
            let sub = Scenario {
                name: sc.name.clone(),
                description: sc.description.clone(),
                simulation: sc.simulation.clone(),
                region_name: sc.jeugdregios[r].clone(),
                pooled_budget: sc.pooled_budget,
                swv_budget_eur: sc.swv_budget_eur,
                gemeenten: gemeenten
                    .iter()
                    .map(|&g| {
                        let mut x = sc.gemeenten[g].clone();
                        x.jeugdregio = 0;
                        x
                    })
                    .collect(),
                jeugdregios: vec![sc.jeugdregios[r].clone()],
                wijken: wijken
                    .iter()
                    .map(|&w| {
                        let mut x = sc.wijken[w].clone();
                        x.gemeente = local_g[x.gemeente];
                        x
                    })
                    .collect(),
                school_groups,
                params: sc.params.clone(),
                trends: sc.trends.clone(),
            };
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
                    .map(|m| Month {
                        queues: [0; 4],
                        ..*m
                    })
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
            for (a, b) in o.queues.iter_mut().zip(m.queues) {
                *a += b;
            }
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
