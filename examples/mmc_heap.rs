//! The M/M/c queue of `examples/mmc.rs` as a bare binary-heap loop, without
//! the engine: the yardstick for the engine's overhead.
//!
//! cargo run --release --example mmc_heap -- --servers 5 --arrival-rate 4 \
//!     --service-rate 1 --customers 1000000 --seed 1

use clap::Parser;
use regiosim::queueing::{MmcArgs, erlang_c_mean_wait, simulate_mmc, simulate_mmc_bare};
use std::time::Instant;

fn main() {
    let a = MmcArgs::parse();
    let p = a.params();
    // Both in the same run, alternating, best of five each.
    let mut best = [f64::INFINITY; 2];
    let mut results = Vec::new();
    for _ in 0..5 {
        for (i, f) in [simulate_mmc_bare, simulate_mmc].iter().enumerate() {
            let t = Instant::now();
            results.push(f(p, a.seed, 0));
            best[i] = best[i].min(t.elapsed().as_secs_f64());
        }
    }
    let exact = erlang_c_mean_wait(a.servers, a.arrival_rate, a.service_rate).unwrap_or(f64::NAN);
    println!(
        "mean_wait={:.5} erlang_c_mean_wait={exact:.5} bare_heap_customers_per_s={:.0} engine_customers_per_s={:.0} engine_vs_bare={:.3}",
        results[0].mean_wait,
        a.customers as f64 / best[0],
        a.customers as f64 / best[1],
        best[0] / best[1]
    );
}
