//! Care forms (issue #12 item 2): care with stay (verblijf) has its own
//! list and places beside ambulant second-line treatment, and the second
//! line's cost is the sum of its two forms. The `verblijf_capacity` lever
//! changes those places only, and the monthly timeseries counts their list.

use crate::{regiosim, write_scenario};
use regiosim::model::{YearAcc, metric_names, run_replication};
use regiosim::output::tables::RunRows;
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

/// Each replication's rows (seed 5) of shipped scenario `base` with `body`
/// added.
fn rows(base: &str, body: &str, reps: u32) -> Vec<RunRows> {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "extends = {:?}\nname = \"verblijf\"\n{body}",
        crate::scenario(base).display().to_string()
    );
    let f = write_scenario(dir.path(), "verblijf.toml", &text);
    let l = scenario::load(&f).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (0..reps)
        .map(|rep| RunRows::from_result(rep, &run_replication(&l.scenario, 5, rep, &mut |_| {})))
        .collect()
}

/// The region's `metric`, averaged over output years and replications
/// (years where it is undefined left out).
fn region_mean(rows: &[RunRows], metric: &str) -> f64 {
    let m = metric_names().iter().position(|n| n == metric).unwrap();
    let v: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.metrics.iter().map(move |y| y[0][m]))
        .filter(|x| x.is_finite())
        .collect();
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The region's mean verblijf and ambulant treatment waits (days) of
/// Nijmegen with `body`, over four replications.
fn waits(body: &str) -> (f64, f64) {
    let r = rows("nijmegen.toml", body, 4);
    (
        region_mean(&r, "wait_verblijf_days_mean"),
        region_mean(&r, "wait_treatment_days_mean"),
    )
}

/// The verblijf wait grew clearly and the ambulant one stayed within noise.
fn only_verblijf_waits_longer(what: &str, (stay0, amb0): (f64, f64), (stay1, amb1): (f64, f64)) {
    assert!(
        stay1 > 1.5 * stay0 + 7.0,
        "{what}: verblijf wait {stay0:.1} -> {stay1:.1} days did not lengthen"
    );
    assert!(
        (amb1 - amb0).abs() <= 0.15 * amb0 + 2.0,
        "{what}: ambulant treatment wait {amb0:.1} -> {amb1:.1} days moved with the verblijf places"
    );
}

#[test]
fn a_verblijf_capacity_change_lengthens_the_verblijf_wait_and_not_the_ambulant_one() {
    let base = waits("");
    let cut =
        waits("[[simulation.changes]]\nlever = \"verblijf_capacity\"\nyear = 2025\nfactor = 0.6\n");
    only_verblijf_waits_longer("change ×0.6 from 2025", base, cut);
}

#[test]
fn a_budget_cut_of_verblijf_capacity_lengthens_the_verblijf_wait_and_not_the_ambulant_one() {
    let base = waits("");
    let cut = waits("[budget]\ncut_schedule = [0.4]\ncut_levers = [\"verblijf_capacity\"]\n");
    only_verblijf_waits_longer("cut of 40%", base, cut);
}

#[test]
fn verblijf_capacity_scoped_to_a_jeugdregio_changes_that_region_only() {
    let years = "[simulation]\nyears = 3\n";
    let base = rows("test-two-regions.toml", years, 2);
    let scoped = rows(
        "test-two-regions.toml",
        &format!(
            "{years}[[simulation.changes]]\nlever = \"verblijf_capacity\"\nyear = 2025\nfactor = 0.3\n\
             scope = \"jeugdregio:Regio Stad\"\n"
        ),
        2,
    );
    // Areas: 0 the region, 1 Stad (Regio Stad), 2 Dorp (Regio Dorp).
    let area = |r: &[RunRows], a: usize| -> Vec<u64> {
        r.iter()
            .flat_map(|x| {
                x.metrics
                    .iter()
                    .flat_map(move |y| y[a].iter().map(|v| v.to_bits()))
            })
            .collect()
    };
    assert_eq!(area(&base, 2), area(&scoped, 2), "Regio Dorp changed");
    assert_ne!(
        area(&base, 1),
        area(&scoped, 1),
        "Regio Stad did not change"
    );
}

/// `regiosim check` of Nijmegen with `body`: exit 2, and its stderr.
fn refused(body: &str) -> String {
    crate::levers::refused_over("nijmegen.toml", body)
}

#[test]
fn a_misspelt_or_gemeente_scoped_verblijf_capacity_is_refused_with_its_fix() {
    let err = refused(
        "[[simulation.changes]]\nlever = \"verblijf_capacty\"\nyear = 2026\nfactor = 0.8\n",
    );
    assert!(err.contains("did you mean `verblijf_capacity`?"), "{err}");
    let err = refused("[budget]\ncut_schedule = [0.1]\ncut_levers = [\"verblijf_capacty\"]\n");
    assert!(err.contains("did you mean `verblijf_capacity`?"), "{err}");
    let err = refused(
        "[[simulation.changes]]\nlever = \"verblijf_capacity\"\nyear = 2026\nfactor = 0.8\n\
         scope = \"gemeente:Nijmegen\"\n",
    );
    assert!(
        err.contains("simulation.changes[0].scope")
            && err.contains("`verblijf_capacity` is one per jeugdregio")
            && err.contains("scope it to `jeugdregio:`"),
        "{err}"
    );
}

/// The `verblijf_queue` column of `timeseries.csv` for Nijmegen with
/// `set` (`--set` values), one replication.
fn verblijf_queue(set: &[&str]) -> Vec<u32> {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = regiosim();
    cmd.args(["run", "--replications", "1", "--quiet", "-o"])
        .arg(dir.path())
        .arg(crate::scenario("nijmegen.toml"));
    for s in set {
        cmd.args(["--set", s]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_path(dir.path().join("timeseries.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let names: Vec<&str> = headers.iter().collect();
    let at = |n: &str| names.iter().position(|h| *h == n);
    let (treat, stay) = (at("treatment_queue"), at("verblijf_queue"));
    assert_eq!(
        stay,
        treat.map(|t| t + 1),
        "verblijf_queue is not the column after treatment_queue: {names:?}"
    );
    let stay = stay.unwrap();
    r.records()
        .map(|rec| rec.unwrap()[stay].parse().unwrap())
        .collect()
}

#[test]
fn the_timeseries_counts_the_verblijf_list_and_none_without_stays() {
    let with = verblijf_queue(&[]);
    assert_eq!(with.len(), 12 * 6, "six output years of months");
    assert!(
        with.iter().any(|&n| n > 0),
        "nobody ever waited for a place with stay: {with:?}"
    );
    let without = verblijf_queue(&[
        "verblijf.share=[0.0, 0.0, 0.0, 0.0]",
        "verblijf.share_court_order=0.0",
    ]);
    assert_eq!(without.len(), with.len());
    assert!(
        without.iter().all(|&n| n == 0),
        "a list for stays without stays: {without:?}"
    );
}
