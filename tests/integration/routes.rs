//! The routes to the second line as CBS counts the referrer (issue #12
//! item 1) and the mechanisms that can go either way (item 5): induced
//! demand, DSAV's caseload, the POH-jeugd, lost information.

use regiosim::model::{metric_names, run_replication};
use regiosim::output::stats::{Summary, summarise};
use regiosim::output::tables::RunRows;
use regiosim::scenario;

/// Region values of `metric` per replication, summed over the output
/// years (`years` of them), seed 9, six replications.
fn per_replication(
    file: &str,
    overrides: &[(&str, toml::Value)],
    metric: &str,
    years: i64,
) -> Vec<f64> {
    let mut overrides: Vec<(String, toml::Value)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    overrides.push(("simulation.years".into(), years.into()));
    let l = scenario::load_with(&crate::scenario(file), &overrides).unwrap();
    let m = metric_names().iter().position(|n| n == metric).unwrap();
    (0..6)
        .map(|rep| {
            let rows =
                RunRows::from_result(rep, &run_replication(&l.scenario, 9, rep, &mut |_| {}));
            rows.metrics.iter().map(|areas| areas[0][m]).sum()
        })
        .collect()
}

/// Mean over replications of the region's `metric` (summed over years).
fn mean(file: &str, overrides: &[(&str, toml::Value)], metric: &str, years: i64) -> f64 {
    means(file, overrides, [metric], years)[0]
}

/// `mean` of several metrics from the same runs.
fn means<const N: usize>(
    file: &str,
    overrides: &[(&str, toml::Value)],
    metrics: [&str; N],
    years: i64,
) -> [f64; N] {
    let runs = per_replication_all(file, overrides, years);
    metrics.map(|metric| {
        let m = metric_names().iter().position(|n| n == metric).unwrap();
        runs.iter().map(|r| r[m]).sum::<f64>() / runs.len() as f64
    })
}

/// Every region metric per replication, summed over the output years.
fn per_replication_all(file: &str, overrides: &[(&str, toml::Value)], years: i64) -> Vec<Vec<f64>> {
    let mut overrides: Vec<(String, toml::Value)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    overrides.push(("simulation.years".into(), years.into()));
    let l = scenario::load_with(&crate::scenario(file), &overrides).unwrap();
    (0..6)
        .map(|rep| {
            let rows =
                RunRows::from_result(rep, &run_replication(&l.scenario, 9, rep, &mut |_| {}));
            let mut sum = vec![0.0; metric_names().len()];
            for areas in &rows.metrics {
                for (s, v) in sum.iter_mut().zip(&areas[0]) {
                    *s += v;
                }
            }
            sum
        })
        .collect()
}

/// Paired difference of second-line referrals over four years, Nijmegen
/// with DSAV minus Nijmegen, both with `overrides`.
fn dsav_referral_effect(overrides: &[(&str, toml::Value)]) -> Summary {
    let metric = "second_line_referrals";
    let base = per_replication("nijmegen.toml", overrides, metric, 4);
    let with = per_replication("nijmegen-dsav.toml", overrides, metric, 4);
    let d: Vec<f64> = with.iter().zip(&base).map(|(a, b)| a - b).collect();
    summarise(&d, 0.95)
}

#[test]
fn every_referrer_refers_and_the_route_shares_add_up_to_one() {
    let shares = [
        "share_via_huisarts",
        "share_via_gemeente",
        "share_via_gi",
        "share_via_medisch_specialist",
        "share_via_jeugdarts",
        "share_via_other",
    ];
    let all = means(
        "test-region.toml",
        &[],
        [
            shares[0],
            shares[1],
            shares[2],
            shares[3],
            shares[4],
            shares[5],
            "share_via_school",
            "share_via_wijkteam",
            "share_via_integraal",
        ],
        1,
    );
    let values = &all[..6];
    for (m, v) in shares.iter().zip(values) {
        assert!(*v > 0.0, "{m} is {v}");
    }
    let sum: f64 = values.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9, "route shares sum to {sum}");
    // The gemeente's share is its three routes: school, wijkteam, integraal.
    let parts: f64 = all[6..].iter().sum();
    assert!((parts - values[1]).abs() < 1e-9, "{parts} vs {}", values[1]);
}

/// Court orders (youth protection) are drawn per student and year whatever
/// the scenario does: DSAV and POH-jeugd do not prevent them.
#[test]
fn court_orders_are_not_prevented_by_dsav_or_poh() {
    let none = [("routes.gi_per_1000_per_year", 0.0.into())];
    assert_eq!(mean("test-region.toml", &none, "referrals_via_gi", 2), 0.0);
    let base = mean("test-region.toml", &[], "referrals_via_gi", 2);
    let both = [
        ("dsav.enabled", true.into()),
        ("huisarts.poh_coverage", 1.0.into()),
    ];
    let with = mean("test-region.toml", &both, "referrals_via_gi", 2);
    assert!(base > 5.0, "{base} GI referrals");
    // Only orders for youths already in the second line differ.
    assert!(
        (with - base).abs() <= 0.1 * base,
        "GI referrals {with:.1} with DSAV and POH, {base:.1} without"
    );
}

/// Detection-induced demand (seed 000 §1.1, seed 004; DATA.md "What early
/// detection can do"): at the top of its documented range DSAV raises
/// second-line referrals in Nijmegen on net; at the bottom it lowers them.
#[test]
fn induced_demand_decides_whether_dsav_raises_or_lowers_referrals() {
    let top = dsav_referral_effect(&[("dsav.induced_referral_prob", 0.6.into())]);
    assert!(
        top.low > 0.0,
        "induced 0.6: referrals change by {:.1} ({:.1} to {:.1})",
        top.mean,
        top.low,
        top.high
    );
    let bottom = dsav_referral_effect(&[("dsav.induced_referral_prob", 0.0.into())]);
    assert!(
        bottom.high < 0.0,
        "induced 0: referrals change by {:.1} ({:.1} to {:.1})",
        bottom.mean,
        bottom.low,
        bottom.high
    );
}

/// DSAV's caseload is finite: with few cases per specialist hour it turns
/// signals away (they take the usual school route); with many it never does.
#[test]
fn a_full_dsav_caseload_turns_signals_away() {
    let dsav = |cases: f64| {
        [
            ("dsav.enabled", true.into()),
            ("dsav.cases_per_hour", cases.into()),
        ]
    };
    let tight = mean("test-region.toml", &dsav(0.1), "dsav_refusals", 2);
    let ample = mean("test-region.toml", &dsav(100.0), "dsav_refusals", 2);
    assert!(tight > 10.0, "{tight} refusals at 0.1 cases per hour");
    assert_eq!(ample, 0.0);
}

/// The POH-jeugd sees every severity that reaches the huisarts, and about
/// 40-50% of the youths it sees are not referred on (AEF 2020, DATA.md
/// "POH-jeugd"), a POH at every practice.
#[test]
fn the_poh_jeugd_leaves_40_to_50_percent_of_its_youths_unreferred() {
    let poh = [("huisarts.poh_coverage", 1.0.into())];
    let [seen, share] = means(
        "nijmegen.toml",
        &poh,
        ["poh_trajectories", "poh_not_referred_share"],
        2,
    );
    let share = share / 2.0;
    assert!(seen > 100.0, "{seen} POH trajectories");
    assert!(
        (0.40..=0.50).contains(&share),
        "POH-jeugd: {share:.3} of its youths not referred"
    );
}

/// Lost information costs something real: with more of it, cases wait
/// longer for their first help, and stories are told more often.
#[test]
fn more_information_loss_means_a_longer_time_to_first_help() {
    let loss = |l: f64| [("collaboration.information_loss", l.into())];
    let metrics = ["time_to_first_help_days_mean", "stories_told_per_case_mean"];
    let [little, little_stories] = means("test-region.toml", &loss(0.0), metrics, 4);
    let [much, much_stories] = means("test-region.toml", &loss(1.0), metrics, 4);
    // Summed over four years: 5 days is 1.25 days a year on a mean of about
    // 50 (most first help follows no lost hand-off, and the second line's
    // weeks of waiting dominate; measured about +1.5 days a year at full
    // loss).
    assert!(
        much > little + 5.0,
        "time to first help (4 years summed): {much:.1} days with loss 1, {little:.1} with 0"
    );
    assert!(
        much_stories > little_stories,
        "{much_stories} vs {little_stories}"
    );
}

/// Every new key is checked with a lower and an upper bound, and the
/// problem names the key.
#[test]
fn out_of_range_route_and_mechanism_keys_are_rejected_by_name() {
    let bad: [(&str, toml::Value); 9] = [
        ("routes.gi_per_1000_per_year", (-1.0).into()),
        ("routes.gi_per_1000_per_year", 101.0.into()),
        (
            "routes.specialist_referral_prob",
            toml::Value::Array(vec![1.5.into(); 4]),
        ),
        (
            "routes.gi_level_shares",
            toml::Value::Array(vec![0.5.into(); 4]),
        ),
        ("school_route.huisarts_share", 1.1.into()),
        ("dsav.induced_referral_prob", (-0.1).into()),
        ("dsav.cases_per_hour", 0.0.into()),
        ("lost_information.delay_days", 400.0.into()),
        ("lost_information.success_penalty", 2.0.into()),
    ];
    for (key, value) in bad {
        let overrides = vec![(key.to_string(), value)];
        let err = scenario::load_with(&crate::scenario("test-region.toml"), &overrides)
            .err()
            .unwrap_or_else(|| panic!("{key} accepted"));
        assert!(err.to_string().contains(key), "{key}: {err}");
    }
}
