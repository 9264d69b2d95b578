//! Cost per student-year at growing region sizes: the Nijmegen structure
//! with every school group's count multiplied by --factor, one replication
//! of 10 years without warm-up. Prints students, wall time, student-years
//! per second and the process's peak memory (Linux VmHWM).
//!
//! for f in 0.75 3 12 48; do cargo run --release --example scaling -- --factor $f; done

use clap::Parser;
use regiosim::model::run_replication;
use regiosim::scenario;
use std::path::Path;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 1.0)]
    factor: f64,
    #[arg(long, default_value_t = 10)]
    years: u32,
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/nijmegen.toml");
    let base = scenario::load(&path)?;
    let table: toml::Table = base.resolved_toml.parse()?;
    let groups = table
        .get("schools")
        .and_then(|s| s.as_array())
        .map_or(0, |a| a.len());
    let mut overrides: Vec<(String, toml::Value)> = vec![
        ("simulation.years".into(), i64::from(a.years).into()),
        ("simulation.warmup_years".into(), 0.into()),
    ];
    for i in 0..groups {
        let count = table["schools"][i]["count"].as_integer().unwrap_or(1) as f64;
        overrides.push((
            format!("schools[{i}].count"),
            ((count * a.factor).round().max(1.0) as i64).into(),
        ));
    }
    let l = scenario::with_overrides(&path, table, Vec::new(), &overrides)?;
    let before = peak_rss_mib();
    let started = Instant::now();
    let r = run_replication(&l.scenario, 1, 0, &mut |_| {});
    let secs = started.elapsed().as_secs_f64();
    let students = l.scenario.students();
    let student_years = students as f64 * f64::from(a.years);
    let peak = peak_rss_mib();
    println!(
        "factor={} students={students} years={} wall_s={secs:.3} student_years_per_s={:.0} events={} peak_rss_mib={peak:.1} bytes_per_student={:.0}",
        a.factor,
        a.years,
        student_years / secs,
        r.events,
        (peak - before) * 1024.0 * 1024.0 / students as f64
    );
    Ok(())
}
