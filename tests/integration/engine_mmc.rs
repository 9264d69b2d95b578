//! The engine against queueing theory: the simulated M/M/c mean wait agrees
//! with Erlang C within its 99% confidence interval over replications.

use regiosim::output::stats::summarise;
use regiosim::queueing::{MmcParams, erlang_c_mean_wait, simulate_mmc};

fn check(servers: u32, utilisation: f64) {
    let service_rate = 1.0;
    let arrival_rate = utilisation * f64::from(servers) * service_rate;
    let p = MmcParams {
        servers,
        arrival_rate,
        service_rate,
        customers: 200_000,
        warmup_customers: 20_000,
    };
    let waits: Vec<f64> = (0..20)
        .map(|r| simulate_mmc(p, 2024, r).mean_wait)
        .collect();
    let s = summarise(&waits, 0.99);
    let exact = erlang_c_mean_wait(servers, arrival_rate, service_rate).unwrap();
    assert!(
        s.low <= exact && exact <= s.high,
        "utilisation {utilisation}: Erlang C {exact:.5} outside the 99% CI [{:.5}, {:.5}] (mean {:.5})",
        s.low,
        s.high,
        s.mean
    );
}

#[test]
fn mmc_mean_wait_matches_erlang_c_at_utilisation_0_5() {
    check(5, 0.5);
}

#[test]
fn mmc_mean_wait_matches_erlang_c_at_utilisation_0_85() {
    check(5, 0.85);
}

#[test]
fn mmc_example_prints_the_promised_fields() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--example",
            "mmc",
            "--",
            "--customers",
            "20000",
            "--seed",
            "1",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8_lossy(&out.stdout);
    for field in ["mean_wait=", "erlang_c=", "customers_per_s="] {
        assert!(line.contains(field), "missing {field} in: {line}");
    }
}
