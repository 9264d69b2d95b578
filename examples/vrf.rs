//! The variance-reduction factor of common random numbers: a baseline and a
//! scenario run with the same N replications (replication r of both shares
//! the random streams of (seed, r)), and for one output year, per metric of
//! the region, (var(baseline) + var(scenario)) / var(scenario - baseline)
//! over the replications: how many times more replications independent runs
//! would need for the same precision of the paired difference (the
//! `variance_reduction` column of comparison.csv).
//!
//! cargo run --release --example vrf -- --replications 40 --year 2030
//! cargo run --release --example vrf -- --replications 40 --year 2030 \
//!     --metric second_line_referrals --metric thuiszitters --metric cost_total_eur
//! (from the repository root, or pass --baseline and --scenario)

use clap::Parser;
use rayon::prelude::*;
use regiosim::model::{metric_names, run_replication};
use regiosim::output::stats::{summarise, variance_reduction};
use regiosim::output::tables::RunRows;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "scenarios/nijmegen.toml")]
    baseline: PathBuf,
    #[arg(long, default_value = "scenarios/nijmegen-dsav.toml")]
    scenario: PathBuf,
    #[arg(long, default_value_t = 40)]
    replications: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Calendar year of the output (default: the last output year)
    #[arg(long)]
    year: Option<i32>,
    /// Metrics to print (default: all that are defined)
    #[arg(long)]
    metric: Vec<String>,
    /// Sum each metric over the output years up to --year (as horizon.csv
    /// does for counts and euros) instead of taking that year alone
    #[arg(long)]
    cumulative: bool,
    /// Worker threads (0: all cores)
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    if a.threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(a.threads)
            .build_global()?;
    }
    let base = regiosim::scenario::load(&a.baseline)?.scenario;
    let sc = regiosim::scenario::load(&a.scenario)?.scenario;
    let started = Instant::now();
    let runs: Vec<(RunRows, RunRows)> = (0..a.replications)
        .into_par_iter()
        .map(|r| {
            let b = run_replication(&base, a.seed, r, &mut |_| {});
            let s = run_replication(&sc, a.seed, r, &mut |_| {});
            (RunRows::from_result(r, &b), RunRows::from_result(r, &s))
        })
        .collect();
    let secs = started.elapsed().as_secs_f64();
    let years = runs.first().map_or(0, |(b, _)| b.metrics.len());
    let first = base.simulation.start_year;
    let year = a.year.unwrap_or(first + years as i32 - 1);
    let y = usize::try_from(year - first)
        .ok()
        .filter(|&y| y < years)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "year {year} is not an output year ({first} to {})",
                first + years as i32 - 1
            )
        })?;
    let names = metric_names();
    let wanted: Vec<usize> = if a.metric.is_empty() {
        (0..names.len()).collect()
    } else {
        a.metric
            .iter()
            .map(|m| {
                names
                    .iter()
                    .position(|n| n == m)
                    .ok_or_else(|| anyhow::anyhow!("no metric named {m}"))
            })
            .collect::<anyhow::Result<_>>()?
    };
    println!(
        "{} vs {}, {} replications, seed {}, {} {year} (region), {secs:.1} s",
        base.name,
        sc.name,
        a.replications,
        a.seed,
        if a.cumulative {
            format!("sum {first} to")
        } else {
            "year".to_string()
        }
    );
    println!(
        "{:<40} {:>14} {:>14} {:>14} {:>12} {:>10}",
        "metric", "baseline_mean", "scenario_mean", "difference", "difference_sd", "vrf"
    );
    for m in wanted {
        let pairs: Vec<(f64, f64)> = runs
            .iter()
            .map(|(b, s)| {
                let from = if a.cumulative { 0 } else { y };
                let sum = |r: &RunRows| (from..=y).map(|i| r.metrics[i][0][m]).sum::<f64>();
                (sum(b), sum(s))
            })
            .collect();
        let vrf = variance_reduction(&pairs);
        if vrf.is_nan() && !a.metric.contains(&names[m]) {
            continue;
        }
        let mean = |f: &dyn Fn(&(f64, f64)) -> f64| {
            summarise(&pairs.iter().map(f).collect::<Vec<_>>(), 0.95)
        };
        let d = mean(&|p| p.1 - p.0);
        println!(
            "{:<40} {:>14.4} {:>14.4} {:>14.4} {:>12.4} {:>10.2}",
            names[m],
            mean(&|p| p.0).mean,
            mean(&|p| p.1).mean,
            d.mean,
            d.sd,
            vrf
        );
    }
    Ok(())
}
