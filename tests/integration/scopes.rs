//! Levers scoped where policy is made: a DSAV pilot at one school group,
//! `[[policies]]` per gemeente or jeugdregio, `scope` on changes. A scope
//! over every gemeente is the region-wide lever to the bit; a jeugdregio's
//! policy leaves the other jeugdregio alone; unknown names are refused
//! with a suggestion.

use crate::{regiosim, scenario, write_scenario};
use regiosim::model::{metric_names, run_replication};
use regiosim::output::tables::RunRows;

/// The runs of `base` (a shipped scenario) with `body` added.
fn runs(base: &str, body: &str, years: u32, reps: u32) -> Vec<RunRows> {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "extends = {:?}\nname = \"scope\"\n{body}",
        scenario(base).display().to_string()
    );
    let f = write_scenario(dir.path(), "scope.toml", &text);
    let years = toml::Value::Integer(years.into());
    let l = regiosim::scenario::load_with(&f, &[("simulation.years".into(), years)])
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    (0..reps)
        .map(|rep| RunRows::from_result(rep, &run_replication(&l.scenario, 5, rep, &mut |_| {})))
        .collect()
}

/// `metric` of `area` (0: the region) summed over years and replications.
fn total(rows: &[RunRows], area: usize, metric: &str) -> f64 {
    let m = metric_names().iter().position(|n| n == metric).unwrap();
    rows.iter()
        .flat_map(|r| r.metrics.iter().map(move |y| y[area][m]))
        .sum()
}

/// Whether `area` has the same bits in every year and metric.
fn same_area(a: &[RunRows], b: &[RunRows], area: Option<usize>) -> bool {
    a.iter().zip(b).all(|(ra, rb)| {
        ra.metrics.iter().zip(&rb.metrics).all(|(ya, yb)| {
            let areas: Vec<usize> = area.map_or((0..ya.len()).collect(), |x| vec![x]);
            areas.iter().all(|&x| {
                ya[x]
                    .iter()
                    .zip(&yb[x])
                    .all(|(p, q)| p.to_bits() == q.to_bits())
            })
        })
    })
}

#[test]
fn a_dsav_pilot_at_one_school_group_moves_referrals_less_than_dsav_everywhere_and_more_than_none() {
    let (years, reps) = (4, 3);
    let none = runs("nijmegen.toml", "", years, reps);
    let pilot = runs("nijmegen-dsav-pilot.toml", "", years, reps);
    let everywhere = runs("nijmegen-dsav.toml", "", years, reps);
    let referrals = |r: &[RunRows]| total(r, 0, "second_line_referrals");
    let dsav_cost = |r: &[RunRows]| total(r, 0, "cost_dsav_eur");
    let (n, p, e) = (referrals(&none), referrals(&pilot), referrals(&everywhere));
    assert!(
        n > p && p > e,
        "referrals: none {n}, pilot {p}, everywhere {e}"
    );
    // Six of 70 DSAV schools: far less than half the effect, and of the cost.
    assert!(n - p < 0.5 * (n - e), "none {n}, pilot {p}, everywhere {e}");
    let (pc, ec) = (dsav_cost(&pilot), dsav_cost(&everywhere));
    assert!(
        dsav_cost(&none) == 0.0 && pc > 0.0 && pc < 0.2 * ec,
        "{pc} vs {ec}"
    );
}

#[test]
fn a_dsav_pilot_switched_off_is_the_baseline_to_the_bit() {
    let baseline = runs("nijmegen.toml", "", 2, 1);
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenario("nijmegen-dsav-pilot.toml"))
        .unwrap()
        .replace(
            "extends = \"nijmegen.toml\"",
            &format!(
                "extends = {:?}",
                scenario("nijmegen.toml").display().to_string()
            ),
        )
        .replace("dsav = true", "dsav = false");
    let f = write_scenario(dir.path(), "off.toml", &text);
    let years = toml::Value::Integer(2);
    let l = regiosim::scenario::load_with(&f, &[("simulation.years".into(), years)]).unwrap();
    let off = vec![RunRows::from_result(
        0,
        &run_replication(&l.scenario, 5, 0, &mut |_| {}),
    )];
    assert!(same_area(&baseline, &off, None));
}

#[test]
fn a_region_wide_lever_written_as_a_scope_over_every_gemeente_gives_the_same_bytes() {
    let region = runs(
        "test-region.toml",
        "[huisarts]\npoh_coverage = 0.6\n[wijkteam]\nmandate = false\n\
         [collaboration]\nmodel = \"netwerk\"\n[integraal]\nenabled = true\n\
         [[simulation.changes]]\nlever = \"wijkteam_fte\"\nyear = 2026\nfactor = 1.4\n",
        3,
        2,
    );
    let mut scoped = String::new();
    for g in ["Stad", "Dorp"] {
        scoped += &format!(
            "[[policies]]\nscope = \"gemeente:{g}\"\npoh_coverage = 0.6\nmandate = false\n\
             collaboration = \"netwerk\"\nintegraal = true\n\
             [[simulation.changes]]\nlever = \"wijkteam_fte\"\nyear = 2026\nfactor = 1.4\n\
             scope = \"gemeente:{g}\"\n"
        );
    }
    let per_gemeente = runs("test-region.toml", &scoped, 3, 2);
    assert!(same_area(&region, &per_gemeente, None));
    // And the scoped levers do something: without them the runs differ.
    assert!(!same_area(
        &region,
        &runs("test-region.toml", "", 3, 2),
        None
    ));
}

#[test]
fn a_jeugdregio_policy_in_a_two_region_scenario_applies_to_that_region_only() {
    let base = runs("test-two-regions.toml", "", 3, 2);
    let scoped = runs(
        "test-two-regions.toml",
        "[[policies]]\nscope = \"jeugdregio:Regio Stad\"\npoh_coverage = 1.0\n\
         [[simulation.changes]]\nlever = \"second_line_capacity\"\nyear = 2026\nfactor = 0.5\n\
         scope = \"jeugdregio:Regio Stad\"\n",
        3,
        2,
    );
    // Areas: 0 the region, 1 Stad (Regio Stad), 2 Dorp (Regio Dorp).
    assert!(same_area(&base, &scoped, Some(2)), "Regio Dorp changed");
    assert!(
        !same_area(&base, &scoped, Some(1)),
        "Regio Stad did not change"
    );
    assert_eq!(total(&base, 1, "poh_trajectories"), 0.0);
    assert!(total(&scoped, 1, "poh_trajectories") > 0.0);
    assert_eq!(total(&scoped, 2, "poh_trajectories"), 0.0);
}

#[test]
fn a_dsav_change_scoped_to_a_school_group_starts_dsav_there_only() {
    let base = runs("test-region.toml", "", 3, 1);
    let pilot = runs(
        "test-region.toml",
        "[dsav]\nenabled = true\n[[simulation.changes]]\nlever = \"dsav\"\nyear = 2026\n\
         scope = \"school:SBO De Brug\"\n[[simulation.changes]]\nlever = \"dsav\"\nyear = 2040\n",
        3,
        1,
    );
    let m = metric_names()
        .iter()
        .position(|n| n == "cost_dsav_eur")
        .unwrap();
    let cost = |r: &[RunRows], y: usize| r[0].metrics[y][0][m];
    assert_eq!(cost(&pilot, 0), 0.0, "DSAV before its scoped start");
    assert!(cost(&pilot, 1) > 0.0, "no DSAV at the group from 2026");
    // Before 2026 the region is as without DSAV (it starts in 2040 elsewhere).
    let first = |r: &[RunRows]| -> Vec<u64> {
        r[0].metrics[0]
            .iter()
            .flatten()
            .map(|x| x.to_bits())
            .collect()
    };
    assert!(
        first(&base) == first(&pilot),
        "2025 differs before the pilot starts"
    );
}

#[test]
fn a_scope_naming_an_unknown_place_exits_2_with_the_name_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    for (base, body, path, hint) in [
        (
            "test-region.toml",
            "[[simulation.changes]]\nlever = \"wijkteam_fte\"\nyear = 2026\nfactor = 2.0\nscope = \"gemeente:Stadd\"\n",
            "simulation.changes[0].scope",
            "did you mean `Stad`?",
        ),
        (
            "test-two-regions.toml",
            "[[policies]]\nscope = \"jeugdregio:Regio Stat\"\nmandate = false\n",
            "policies[0].scope",
            "did you mean `Regio Stad`?",
        ),
        (
            "test-region.toml",
            "[[simulation.changes]]\nlever = \"smw_hours\"\nyear = 2026\nfactor = 2.0\nscope = \"school:Basisschol\"\n",
            "simulation.changes[0].scope",
            "did you mean `Basisschool`?",
        ),
        (
            "test-region.toml",
            "[[policies]]\nscope = \"wijk:Noord\"\nmandate = false\n",
            "policies[0].scope",
            "`gemeente:NAME`",
        ),
        (
            "test-region.toml",
            "[[simulation.changes]]\nlever = \"second_line_capacity\"\nyear = 2026\nfactor = 2.0\nscope = \"gemeente:Stad\"\n",
            "simulation.changes[0].scope",
            "jeugdregio:",
        ),
    ] {
        let text = format!(
            "extends = {:?}\nname = \"bad\"\n{body}",
            scenario(base).display().to_string()
        );
        let f = write_scenario(dir.path(), "bad.toml", &text);
        let done = regiosim().arg("check").arg(&f).output().unwrap();
        assert_eq!(done.status.code(), Some(2), "{body}");
        let err = String::from_utf8_lossy(&done.stderr);
        assert!(err.contains(path) && err.contains(hint), "{body}: {err}");
    }
}
