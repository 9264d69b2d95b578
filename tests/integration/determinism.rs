//! Same inputs and seed give the same bytes, whatever --threads; another
//! seed gives other numbers.

use crate::{contents, regiosim, scenario};
use std::path::Path;

fn run(out: &Path, seed: &str, threads: &str) {
    regiosim()
        .args(["run"])
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        // Several jeugdregio's run in parallel inside one replication.
        .arg(scenario("test-two-regions.toml"))
        .args([
            "--replications",
            "8",
            "--years",
            "3",
            "--seed",
            seed,
            "--threads",
            threads,
            "--quiet",
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

#[test]
fn one_and_two_threads_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("t1"), dir.path().join("t2"));
    run(&a, "7", "1");
    run(&b, "7", "2");
    let (ca, cb) = (contents(&a), contents(&b));
    let names: Vec<&str> = ca.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "by_school_type.csv",
            "comparison.csv",
            "cost_effectiveness.csv",
            "forecast.csv",
            "horizon.csv",
            "manifest.json",
            "runs.csv",
            "summary.csv",
            "timeseries.csv"
        ]
    );
    for ((na, ba), (nb, bb)) in ca.iter().zip(cb.iter()) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between --threads 1 and --threads 2");
    }
}

#[test]
fn same_seed_twice_is_identical_and_another_seed_differs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    run(&a, "11", "2");
    run(&b, "11", "2");
    run(&c, "12", "2");
    assert_eq!(contents(&a), contents(&b));
    let runs = |d: &Path| std::fs::read(d.join("runs.csv")).unwrap();
    assert_ne!(
        runs(&a),
        runs(&c),
        "a different seed must change the numbers"
    );
}
