//! An M/M/c queue on the regiosim engine, compared with Erlang C.
//!
//! cargo run --release --example mmc -- --servers 5 --arrival-rate 4 \
//!     --service-rate 1 --customers 1000000 --seed 1

use clap::Parser;
use regiosim::queueing::{MmcArgs, erlang_c, erlang_c_mean_wait, simulate_mmc};
use std::time::Instant;

fn main() {
    let a = MmcArgs::parse();
    let p = a.params();
    let start = Instant::now();
    let r = simulate_mmc(p, a.seed, 0);
    let secs = start.elapsed().as_secs_f64();
    let fmt = |x: Option<f64>| x.map_or("unstable".to_string(), |v| format!("{v:.5}"));
    println!(
        "servers={} utilisation={:.3} mean_wait={:.5} erlang_c_mean_wait={} erlang_c={} events={} customers_per_s={:.0} events_per_s={:.0}",
        a.servers,
        a.arrival_rate / (a.service_rate * f64::from(a.servers)),
        r.mean_wait,
        fmt(erlang_c_mean_wait(
            a.servers,
            a.arrival_rate,
            a.service_rate
        )),
        fmt(erlang_c(a.servers, a.arrival_rate, a.service_rate)),
        r.events,
        a.customers as f64 / secs,
        r.events as f64 / secs,
    );
}
