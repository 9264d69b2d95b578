//! Nothing is lost: at each year's end every student is in exactly one
//! stage and every referral is waiting, in care, finished or withdrawn.

use regiosim::model::run_replication;
use regiosim::scenario;

#[test]
fn every_student_and_referral_is_accounted_for_each_year() {
    for file in ["test-region.toml", "nijmegen.toml", "test-two-regions.toml"] {
        let l = scenario::load(&crate::scenario(file)).unwrap();
        let r = run_replication(&l.scenario, 3, 0, &mut |_| {});
        let total = l.scenario.simulation.warmup_years + l.scenario.simulation.years;
        assert_eq!(r.ledger.len(), total as usize);
        for ledger in &r.ledger {
            assert_eq!(
                ledger.students,
                l.scenario.students(),
                "{file}: school places stay filled"
            );
            assert_eq!(
                ledger.students, ledger.students_in_stages,
                "{file}: year {}",
                ledger.year
            );
            assert_eq!(
                ledger.referrals_total, ledger.referrals_accounted,
                "{file}: year {}",
                ledger.year
            );
        }
        assert!(
            r.ledger.last().unwrap().referrals_total > 0,
            "{file}: the second line is used"
        );
    }
}

#[test]
fn jeugdregios_run_as_independent_regions_merged_in_gemeente_order() {
    let l = scenario::load(&crate::scenario("test-two-regions.toml")).unwrap();
    assert_eq!(l.scenario.jeugdregios, ["Regio Stad", "Regio Dorp"]);
    let a = run_replication(&l.scenario, 4, 0, &mut |_| {});
    let b = run_replication(&l.scenario, 4, 0, &mut |_| {});
    assert_eq!(
        format!("{:?}", a.years),
        format!("{:?}", b.years),
        "same seed, same result"
    );
    let students: Vec<u64> = a.years[0].iter().map(|g| g.students).collect();
    assert_eq!(students.iter().sum::<u64>(), l.scenario.students());
    assert!(
        students.iter().all(|&n| n > 0),
        "both gemeenten have students: {students:?}"
    );
}
