//! Model throughput: student-years per second for a region of about
//! 100,000 students (benches/region-100k.toml), one replication.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regiosim::model::run_replication;
use std::path::Path;

fn region_100k(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/region-100k.toml");
    let l = regiosim::scenario::load(&path).expect("benchmark scenario loads");
    let sc = l.scenario;
    let years = u64::from(sc.simulation.warmup_years + sc.simulation.years);
    let mut g = c.benchmark_group("model");
    g.sample_size(10);
    g.throughput(Throughput::Elements(sc.students() * years));
    g.bench_function("region_100k_student_years", |b| {
        b.iter(|| run_replication(&sc, 1, 0, &mut |_| {}))
    });
    g.finish();
}

criterion_group!(benches, region_100k);
criterion_main!(benches);
