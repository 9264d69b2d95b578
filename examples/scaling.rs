//! Cost per student-year at growing sizes, grown in one of two ways:
//!
//! - one region: the Nijmegen structure with every school group's count
//!   multiplied by --factor (a stress test: no Dutch jeugdregio is larger
//!   than about 150,000 students);
//! - more regions: --copies K independent copies of that region, each its
//!   own jeugdregio, as the country is built (scenarios/nl/nederland.toml).
//!
//! One replication of 10 years without warm-up, on --threads threads (1:
//! the cost per core), repeated for at least --min-seconds. Prints students,
//! the fastest run's wall time and student-years per second, the size of
//! the per-student records and the process's peak memory (Linux VmHWM).
//!
//! for f in 0.75 3 12 48; do cargo run --release --example scaling -- --factor $f; done
//! for k in 1 4 16 64; do cargo run --release --example scaling -- --factor 0.75 --copies $k; done
//! (from the repository root, or pass --scenario)

use clap::Parser;
use regiosim::model::run_replication;
use regiosim::scenario::{self, Gemeente, Scenario, SchoolGroup, Wijk};
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 1.0)]
    factor: f64,
    #[arg(long, default_value_t = 10)]
    years: u32,
    /// Repeat the replication until this much time has passed (at least
    /// once) and report the fastest run: small sizes run in well under a
    /// second, where one run is at the mercy of a noisy machine
    #[arg(long, default_value_t = 2.0)]
    min_seconds: f64,
    /// The scenario whose school groups are scaled
    #[arg(long, default_value = "scenarios/nijmegen.toml")]
    scenario: std::path::PathBuf,
    /// Independent copies of the (scaled) region, one jeugdregio each
    #[arg(long, default_value_t = 1)]
    copies: usize,
    /// Worker threads for the regions of one replication
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

/// `k` copies of the gemeenten, wijken and schools of `sc`, copy `c` being
/// jeugdregio `c`.
fn copies(sc: &Scenario, k: usize) -> Scenario {
    let mut out = sc.clone();
    out.jeugdregios = (1..=k).map(|c| format!("copy {c}")).collect();
    out.gemeenten.clear();
    out.wijken.clear();
    out.school_groups.clear();
    for c in 0..k {
        let (g0, w0) = (out.gemeenten.len(), out.wijken.len());
        out.gemeenten.extend(sc.gemeenten.iter().map(|g| Gemeente {
            name: format!("{} {}", g.name, c + 1),
            jeugdregio: c,
            ..g.clone()
        }));
        out.wijken.extend(sc.wijken.iter().map(|w| Wijk {
            name: format!("{} {}", w.name, c + 1),
            gemeente: w.gemeente + g0,
            ..w.clone()
        }));
        out.school_groups
            .extend(sc.school_groups.iter().map(|grp| SchoolGroup {
                wijken: grp.wijken.iter().map(|w| w + w0).collect(),
                ..grp.clone()
            }));
    }
    out
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
    let path = a.scenario.as_path();
    let base = scenario::load(path)?;
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
    let l = scenario::with_overrides(path, table, Vec::new(), &overrides)?;
    let sc = copies(&l.scenario, a.copies.max(1));
    rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.max(1))
        .build_global()?;
    let before = peak_rss_mib();
    let started = Instant::now();
    let mut secs = f64::INFINITY;
    let mut runs = 0;
    let r = loop {
        let t = Instant::now();
        let r = run_replication(&sc, 1, 0, &mut |_| {});
        secs = secs.min(t.elapsed().as_secs_f64());
        runs += 1;
        if started.elapsed().as_secs_f64() >= a.min_seconds || runs == 50 {
            break r;
        }
    };
    let students = sc.students();
    let student_years = students as f64 * f64::from(a.years);
    let peak = peak_rss_mib();
    println!(
        "factor={} copies={} students={students} years={} best_of={runs} wall_s={secs:.3} student_years_per_s={:.0} events={} record_bytes_per_student={} peak_rss_mib={peak:.1} bytes_per_student={:.0}",
        a.factor,
        a.copies,
        a.years,
        student_years / secs,
        r.events,
        regiosim::model::STUDENT_BYTES,
        (peak - before) * 1024.0 * 1024.0 / students as f64
    );
    Ok(())
}
