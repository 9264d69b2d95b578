//! Engine throughput: events per second of the M/M/c queue on the engine,
//! and of the same queue as a bare binary-heap loop (the yardstick).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regiosim::queueing::{MmcParams, simulate_mmc, simulate_mmc_bare};

fn mmc(c: &mut Criterion) {
    let p = MmcParams {
        servers: 5,
        arrival_rate: 4.0,
        service_rate: 1.0,
        customers: 200_000,
        warmup_customers: 0,
    };
    let events = simulate_mmc(p, 1, 0).events;
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(events));
    g.bench_function("mmc_5_servers_utilisation_0.8", |b| {
        b.iter(|| simulate_mmc(p, 1, 0))
    });
    g.bench_function("bare_heap_mmc_5_servers_utilisation_0.8", |b| {
        b.iter(|| simulate_mmc_bare(p, 1, 0))
    });
    g.finish();
}

criterion_group!(benches, mmc);
criterion_main!(benches);
