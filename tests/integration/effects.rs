//! Horizon totals and cost per result: the figures agree with the per-year
//! tables they summarise, and the ratio's interval is Fieller's.

use crate::{regiosim, scenario};
use std::collections::BTreeMap;

fn read(dir: &std::path::Path, f: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(dir.join(f)).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            h.iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

#[test]
fn horizon_totals_add_up_the_yearly_paired_differences_and_cost_per_result_is_their_ratio() {
    let dir = tempfile::tempdir().unwrap();
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args(["--replications", "4", "--years", "3", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let comparison = read(dir.path(), "comparison.csv");
    let horizon = read(dir.path(), "horizon.csv");
    let ce = read(dir.path(), "cost_effectiveness.csv");
    let region = &horizon[0]["area"];
    let years: Vec<String> = comparison
        .iter()
        .filter(|r| &r["area"] == region && r["metric"] == "second_line_referrals")
        .map(|r| r["year"].clone())
        .collect();
    assert_eq!(years.len(), 3);
    let (first, last) = (&years[0], &years[2]);
    // The whole-horizon difference is the sum of the yearly differences.
    let yearly: f64 = comparison
        .iter()
        .filter(|r| &r["area"] == region && r["metric"] == "second_line_referrals")
        .map(|r| num(&r["difference_mean"]))
        .sum();
    let total = horizon
        .iter()
        .find(|r| {
            &r["area"] == region
                && r["metric"] == "second_line_referrals"
                && &r["from_year"] == first
                && &r["to_year"] == last
        })
        .expect("a whole-horizon row");
    assert!((num(&total["difference_mean"]) - yearly).abs() < 1e-6 * yearly.abs().max(1.0));
    assert!(num(&total["ci95_low"]) <= num(&total["difference_mean"]));
    assert!(num(&total["difference_mean"]) <= num(&total["ci95_high"]));
    // The gemeente's cost adds its four budget lines, not SWV or huisarts.
    let cost = |m: &str| {
        horizon
            .iter()
            .find(|r| &r["area"] == region && r["metric"] == m && &r["to_year"] == last)
            .map(|r| num(&r["difference_mean"]))
            .unwrap()
    };
    let society = cost("cost_society_eur");
    assert!((society - cost("cost_total_eur")).abs() < 1e-6 * society.abs().max(1.0));
    // Cost per referral avoided = cost difference / referrals avoided, inside its interval.
    let row = ce
        .iter()
        .find(|r| {
            &r["area"] == region
                && r["perspective"] == "gemeente"
                && r["outcome"] == "second_line_referrals"
                && &r["to_year"] == last
        })
        .expect("a cost-effectiveness row");
    assert!(
        (num(&row["cost_difference_eur"]) - cost("cost_gemeente_eur")).abs()
            < 1e-6 * society.abs().max(1.0)
    );
    assert!((num(&row["outcome_avoided"]) + yearly).abs() < 1e-9 * yearly.abs().max(1.0));
    let ratio = num(&row["cost_per_outcome_avoided_eur"]);
    assert!(
        (ratio - num(&row["cost_difference_eur"]) / num(&row["outcome_avoided"])).abs()
            < 1e-9 * ratio.abs().max(1.0)
    );
    if !row["ratio_ci95_low"].is_empty() {
        assert!(num(&row["ratio_ci95_low"]) <= ratio && ratio <= num(&row["ratio_ci95_high"]));
    }
    assert_eq!(row["interval_method"], "fieller");
    assert!(!row["reading"].is_empty());
    for p in ["gemeente", "gemeente_swv", "society"] {
        assert!(ce.iter().any(|r| r["perspective"] == p));
    }
}

#[test]
fn a_window_of_years_is_summed_in_both_tables_and_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    regiosim()
        .arg("run")
        .args([
            scenario("test-region.toml"),
            scenario("test-region-poh.toml"),
        ])
        .args([
            "--replications",
            "3",
            "--years",
            "4",
            "--window",
            "2026-2027",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let horizon = read(&out, "horizon.csv");
    let window: Vec<_> = horizon
        .iter()
        .filter(|r| r["from_year"] == "2026" && r["to_year"] == "2027")
        .collect();
    assert!(!window.is_empty(), "no 2026-2027 rows in horizon.csv");
    // The window's sum is the sum of its two years' paired differences.
    let comparison = read(&out, "comparison.csv");
    let r = window
        .iter()
        .find(|r| r["metric"] == "second_line_referrals")
        .unwrap();
    let yearly: f64 = comparison
        .iter()
        .filter(|c| {
            c["metric"] == "second_line_referrals"
                && c["area"] == r["area"]
                && (c["year"] == "2026" || c["year"] == "2027")
        })
        .map(|c| num(&c["difference_mean"]))
        .sum();
    assert!((num(&r["difference_mean"]) - yearly).abs() < 1e-6);
    let ce = read(&out, "cost_effectiveness.csv");
    assert!(
        ce.iter()
            .any(|r| r["from_year"] == "2026" && r["to_year"] == "2027")
    );
    regiosim().arg("reproduce").arg(&out).assert().success();
    // A window outside the output years is refused, naming them.
    let bad = regiosim()
        .arg("run")
        .args([
            scenario("test-region.toml"),
            scenario("test-region-poh.toml"),
        ])
        .args(["--years", "2", "--window", "2030-2031", "--quiet", "--out"])
        .arg(dir.path().join("bad"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("outside the output years 2025-2026"));
}

/// Common random numbers that survive divergence: replication r of a
/// scenario and of its baseline give the same students the same draws
/// even where their paths differ, so the paired difference is far less
/// noisy than independent runs would make it. `variance_reduction` says by
/// how much, and is empty where it is undefined (a metric that no
/// scenario changes has no spread in its differences).
#[test]
fn paired_differences_report_their_variance_reduction_over_independent_runs() {
    let dir = tempfile::tempdir().unwrap();
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args(["--replications", "10", "--years", "3", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let comparison = read(dir.path(), "comparison.csv");
    let horizon = read(dir.path(), "horizon.csv");
    let region = &horizon[0]["area"];
    let rows =
        |table: &[BTreeMap<String, String>], metric: &str| -> Vec<BTreeMap<String, String>> {
            table
                .iter()
                .filter(|r| &r["area"] == region && r["metric"] == metric)
                .cloned()
                .collect()
        };
    let referrals = rows(&comparison, "second_line_referrals");
    assert_eq!(referrals.len(), 3);
    for r in &referrals {
        let vrf = num(&r["variance_reduction"]);
        // (var(baseline) + var(scenario)) / var(difference), from the
        // per-replication values behind the row's own means.
        // One year's factor from 10 replications is itself noisy (0.5.0
        // with the routes and a POH seeing every severity: 18, 40 and 4.7
        // for 2025-2027; the horizon's total 19): at least 4 each year.
        assert!(vrf >= 4.0, "year {}: variance reduction {vrf}", r["year"]);
    }
    // The whole horizon's total too.
    let total = rows(&horizon, "second_line_referrals");
    let last = total.last().expect("a horizon row");
    assert!(num(&last["variance_reduction"]) >= 5.0, "{last:?}");
    // Enrolment is the same in both: no spread, so no factor.
    for r in rows(&comparison, "students") {
        assert_eq!(num(&r["difference_sd"]), 0.0);
        assert_eq!(r["variance_reduction"], "", "{r:?}");
    }
}

/// The referral log behind `cargo bench --bench vrf -- --churn`: one entry
/// per referral, so its count per output year is the year's
/// `second_line_referrals`; the same scenario twice refers the same
/// students at the same times, and a scenario that changes something
/// refers some students a different number of times; a scenario of
/// several jeugdregio's has no log.
#[test]
fn the_referral_log_counts_each_years_referrals_and_shows_which_students_differ() {
    use regiosim::model::{YearAcc, metric_names, run_replication_with_referrals};
    let load = |f: &str| regiosim::scenario::load(&scenario(f)).unwrap().scenario;
    let mut base = load("test-region.toml");
    let mut poh = load("test-region-poh.toml");
    base.simulation.years = 3;
    poh.simulation.years = 3;
    let (r, log) = run_replication_with_referrals(&base, 7, 0).expect("one jeugdregio");
    let col = metric_names()
        .iter()
        .position(|m| m == "second_line_referrals")
        .unwrap();
    for (y, gemeenten) in r.years.iter().enumerate() {
        let mut acc = YearAcc::default();
        for g in gemeenten {
            acc.add(g);
        }
        let year = base.simulation.start_year + y as i32;
        let logged = log.iter().filter(|&&(_, at)| at == year).count();
        assert_eq!(logged as f64, acc.metrics()[col], "year {year}");
    }
    // The warm-up's referrals are in the log too, with their own years.
    let first = base.simulation.start_year - base.simulation.warmup_years as i32;
    assert!(log.iter().any(|&(_, y)| y == first));
    assert!(log.iter().all(|&(_, y)| y >= first));
    let (_, again) = run_replication_with_referrals(&base, 7, 0).unwrap();
    assert_eq!(log, again);
    let (_, other) = run_replication_with_referrals(&poh, 7, 0).unwrap();
    let in_year = |l: &[(u64, i32)]| {
        let mut v: Vec<u64> = l
            .iter()
            .filter(|&&(_, y)| y == base.simulation.start_year + 2)
            .map(|&(p, _)| p)
            .collect();
        v.sort_unstable();
        v
    };
    assert_ne!(
        in_year(&log),
        in_year(&other),
        "POH changed no student's referral"
    );
    let two = load("test-two-regions.toml");
    assert!(run_replication_with_referrals(&two, 7, 0).is_none());
}
