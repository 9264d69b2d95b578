//! Levers move the outputs the way the seeds describe (issue #3's mechanism
//! tests, on the small test region with paired replications).

use regiosim::model::{metric_names, run_replication};
use regiosim::output::tables::RunRows;
use regiosim::scenario;

/// Mean of a region metric over replications and output years.
fn region_mean(overrides: &[(&str, toml::Value)], metric: &str) -> f64 {
    let overrides: Vec<(String, toml::Value)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let l = scenario::load_with(&crate::scenario("test-region.toml"), &overrides).unwrap();
    let m = metric_names().iter().position(|n| n == metric).unwrap();
    let mut values = Vec::new();
    for rep in 0..6 {
        let rows = RunRows::from_result(rep, &run_replication(&l.scenario, 5, rep, &mut |_| {}));
        values.extend(
            rows.metrics
                .iter()
                .map(|areas| areas[0][m])
                .filter(|v| v.is_finite()),
        );
    }
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn poh_jeugd_lowers_the_share_of_referrals_via_the_huisarts() {
    let without = region_mean(&[], "share_via_huisarts");
    let with = region_mean(
        &[("huisarts.poh_coverage", 1.0.into())],
        "share_via_huisarts",
    );
    assert!(
        with < 0.8 * without,
        "with POH {with:.3}, without {without:.3}"
    );
}

#[test]
fn integraal_arrangeren_lowers_handoffs_and_stories_retold() {
    let on = [("integraal.enabled", true.into())];
    for metric in ["handoffs_per_case_mean", "stories_told_per_case_mean"] {
        let (off, with) = (region_mean(&[], metric), region_mean(&on, metric));
        assert!(
            with < off,
            "{metric}: integraal {with:.3}, sequential {off:.3}"
        );
    }
    assert!(region_mean(&on, "share_via_integraal") > 0.2);
}

#[test]
fn cutting_second_line_capacity_raises_waits() {
    let cut = [
        ("budget.cut_schedule", toml::Value::Array(vec![0.4.into()])),
        (
            "budget.cut_levers",
            toml::Value::Array(vec!["second_line_capacity".into()]),
        ),
    ];
    for metric in ["wait_assessment_days_mean", "wait_treatment_days_mean"] {
        let (base, with) = (region_mean(&[], metric), region_mean(&cut, metric));
        assert!(
            with > base + 1.0,
            "{metric}: cut {with:.2} days, base {base:.2} days"
        );
    }
}
