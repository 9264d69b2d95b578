//! The shipped baselines' youth budgets follow the rule of
//! docs/CALIBRATION.md ("Youth budgets"): EUR 1,450 per student living in the
//! gemeente, so that their gemeenten overspend, as most Dutch gemeenten do.

use regiosim::model::{metric_names, run_replication};
use regiosim::output::tables::RunRows;
use regiosim::scenario;

#[test]
fn seed_region_baselines_budget_1450_per_student_and_every_gemeente_overspends() {
    let names = metric_names();
    let at = |m: &str| names.iter().position(|n| n == m).unwrap();
    let (students, budget, balance) = (at("students"), at("budget_eur"), at("budget_balance_eur"));
    for file in [
        "nijmegen.toml",
        "deventer.toml",
        "drechtsteden.toml",
        "oost-achterhoek.toml",
    ] {
        let overrides = [("simulation.years".to_string(), toml::Value::Integer(1))];
        let l = scenario::load_with(&crate::scenario(file), &overrides).unwrap();
        let rows = RunRows::from_result(0, &run_replication(&l.scenario, 1, 0, &mut |_| {}));
        for (g, gemeente) in l.scenario.gemeenten.iter().enumerate() {
            let m = &rows.metrics[0][g + 1];
            // Students by home gemeente vary by year and replication.
            let per_student = m[budget] / m[students];
            assert!(
                (per_student - 1450.0).abs() < 0.1 * 1450.0,
                "{file}, {}: EUR {per_student:.0} of budget per student",
                gemeente.name
            );
            assert!(
                m[balance] < 0.0,
                "{file}, {}: a surplus of EUR {:.0}",
                gemeente.name,
                m[balance]
            );
        }
    }
}
