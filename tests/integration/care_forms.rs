//! Care forms (issue #12 item 2): care with stay (verblijf) has its own
//! list and places beside ambulant second-line treatment, and the second
//! line's cost is the sum of its two forms.

use regiosim::model::{YearAcc, run_replication};
use regiosim::scenario;

/// The region's counters per replication (gemeenten and output years
/// pooled), seed 5, four replications of Nijmegen.
fn pooled(overrides: &[(&str, toml::Value)]) -> Vec<YearAcc> {
    let overrides: Vec<(String, toml::Value)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let l = scenario::load_with(&crate::scenario("nijmegen.toml"), &overrides).unwrap();
    (0..4)
        .map(|rep| {
            let r = run_replication(&l.scenario, 5, rep, &mut |_| {});
            let mut acc = YearAcc::default();
            for g in r.years.iter().flatten() {
                acc.add(g);
            }
            acc
        })
        .collect()
}

fn mean_wait(accs: &[YearAcc], stay: bool) -> f64 {
    let waits: Vec<u32> = accs
        .iter()
        .flat_map(|a| {
            if stay {
                a.wait_verblijf.clone()
            } else {
                a.wait_treatment.clone()
            }
        })
        .collect();
    waits.iter().map(|&w| f64::from(w)).sum::<f64>() / waits.len().max(1) as f64
}

#[test]
fn cutting_only_verblijf_places_lengthens_its_wait_and_not_the_ambulant_one() {
    let base = pooled(&[]);
    // Fewer places for the same demand: a higher planned load of the
    // verblijf places only.
    let cut = pooled(&[("verblijf.target_utilisation", 1.6.into())]);
    let (stay0, stay1) = (mean_wait(&base, true), mean_wait(&cut, true));
    let (amb0, amb1) = (mean_wait(&base, false), mean_wait(&cut, false));
    assert!(
        stay1 > 1.5 * stay0 + 7.0,
        "verblijf wait {stay0:.1} -> {stay1:.1} days: cutting its places did not lengthen it"
    );
    assert!(
        (amb1 - amb0).abs() <= 0.15 * amb0 + 2.0,
        "ambulant treatment wait {amb0:.1} -> {amb1:.1} days moved with the verblijf places"
    );
    let starts = |a: &[YearAcc]| a.iter().map(|x| x.starts_verblijf).sum::<u64>();
    assert!(starts(&base) > 0, "no stay ever started");
}

#[test]
fn the_cost_split_by_care_form_adds_up_to_the_second_line_cost() {
    let l = scenario::load(&crate::scenario("nijmegen.toml")).unwrap();
    let r = run_replication(&l.scenario, 3, 0, &mut |_| {});
    let second_line = regiosim::model::LINES
        .iter()
        .position(|(n, _)| *n == "second_line")
        .unwrap();
    for (y, year) in r.years.iter().enumerate() {
        for (g, a) in year.iter().enumerate() {
            let total = a.costs[second_line];
            let split = a.cost_ambulant + a.cost_verblijf;
            assert!(
                (split - total).abs() <= 1e-9 * total.max(1.0),
                "year {y}, gemeente {g}: ambulant {} + verblijf {} = {split}, second line {total}",
                a.cost_ambulant,
                a.cost_verblijf
            );
        }
        let region = |f: fn(&YearAcc) -> f64| year.iter().map(f).sum::<f64>();
        assert!(
            region(|a| a.cost_verblijf) > 0.0,
            "year {y}: no cost of stay"
        );
        assert!(
            region(|a| a.cost_ambulant) > 0.0,
            "year {y}: no ambulant cost"
        );
        let caseload: u64 = year.iter().map(|a| a.caseload_verblijf).sum();
        assert!(
            caseload > 0,
            "year {y}: nobody in care with stay on 31 December"
        );
    }
}
