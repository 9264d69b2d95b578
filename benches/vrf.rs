//! The variance-reduction factor of common random numbers: a baseline and a
//! scenario run with the same N replications (replication r of both shares
//! the random streams of (seed, r)), and for one output year, per metric of
//! the region, (var(baseline) + var(scenario)) / var(scenario - baseline)
//! over the replications: how many times more replications independent runs
//! would need for the same precision of the paired difference (the
//! `variance_reduction` column of comparison.csv).
//!
//! With `--churn` it also follows the students: per pair of replications,
//! who is referred to the second line in that year in one run and not (or
//! not as often) in the other. Those students carry the paired difference
//! (D = referrals(scenario) − referrals(baseline) is a sum over them), so
//! with independent flips var(D) is about their mean number C, and the
//! factor cannot exceed (var(baseline) + var(scenario)) / C however the
//! random numbers are shared. The churn is split into students whose
//! referrals only moved to another year (same number over the whole run)
//! and students referred more or less often.
//!
//! cargo bench --bench vrf -- --replications 40 --year 2030
//! cargo bench --bench vrf -- --replications 40 --year 2030 --churn
//! cargo bench --bench vrf -- --replications 40 --year 2030 \
//!     --metric second_line_referrals --metric thuiszitters --metric cost_total_eur
//! cargo bench --bench vrf -- --churn --scenario-set dsav.hours_per_school_week=0.25
//! (`--set KEY=VALUE` sets a key in both runs, `--scenario-set` in the scenario's)
//! (from the repository root, or pass --baseline and --scenario)

use clap::Parser;
use rayon::prelude::*;
use regiosim::cli::set;
use regiosim::model::{
    ReplicationResult, metric_names, run_replication, run_replication_with_referrals,
};
use regiosim::output::stats::{summarise, variance_reduction};
use regiosim::output::tables::RunRows;
use std::collections::HashMap;
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
    /// Follow the students: who is referred in --year in one run of a pair
    /// and not in the other (a scenario of one jeugdregio only)
    #[arg(long)]
    churn: bool,
    /// A scenario key set in both runs, KEY=VALUE (as `regiosim run --set`)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = set::parse_setting)]
    set: Vec<set::Setting>,
    /// A scenario key set in the scenario's run only, KEY=VALUE
    #[arg(long = "scenario-set", value_name = "KEY=VALUE", value_parser = set::parse_setting)]
    scenario_set: Vec<set::Setting>,
    /// Passed by `cargo bench`; ignored
    #[arg(long, hide = true)]
    bench: bool,
}

/// Every referral as (person, calendar year), from a run with the log.
type Referrals = Vec<(u64, i32)>;

fn run(sc: &regiosim::scenario::Scenario, a: &Args, r: u32) -> (ReplicationResult, Referrals) {
    if a.churn {
        run_replication_with_referrals(sc, a.seed, r).expect("checked in main: one jeugdregio")
    } else {
        (run_replication(sc, a.seed, r, &mut |_| {}), Vec::new())
    }
}

/// One pair's churn in `year`: (students whose referral count in the year
/// differs, of them those whose count over the whole run is the same, the
/// net difference scenario − baseline).
fn churn(base: &Referrals, sc: &Referrals, year: i32) -> (u64, u64, i64) {
    let count = |log: &Referrals, in_year: bool| {
        let mut m: HashMap<u64, i64> = HashMap::new();
        for &(p, y) in log {
            if !in_year || y == year {
                *m.entry(p).or_default() += 1;
            }
        }
        m
    };
    let (b, s) = (count(base, true), count(sc, true));
    let (tb, ts) = (count(base, false), count(sc, false));
    let (mut differ, mut moved, mut net) = (0, 0, 0);
    for p in b.keys().chain(s.keys().filter(|p| !b.contains_key(p))) {
        let d = s.get(p).copied().unwrap_or(0) - b.get(p).copied().unwrap_or(0);
        if d == 0 {
            continue;
        }
        let n = d.unsigned_abs();
        differ += n;
        net += d;
        if tb.get(p) == ts.get(p) {
            moved += n;
        }
    }
    (differ, moved, net)
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    if a.threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(a.threads)
            .build_global()?;
    }
    let load = |path: &PathBuf, own: &[set::Setting]| -> anyhow::Result<_> {
        let all: Vec<set::Setting> = a.set.iter().chain(own).cloned().collect();
        Ok(set::apply(regiosim::scenario::load(path)?, &all)?.scenario)
    };
    let base = load(&a.baseline, &[])?;
    let sc = load(&a.scenario, &a.scenario_set)?;
    if a.churn && (base.jeugdregios.len() > 1 || sc.jeugdregios.len() > 1) {
        anyhow::bail!("--churn follows the students of one jeugdregio; give scenarios of one");
    }
    let started = Instant::now();
    let pairs: Vec<((RunRows, Referrals), (RunRows, Referrals))> = (0..a.replications)
        .into_par_iter()
        .map(|r| {
            let (b, bl) = run(&base, &a, r);
            let (s, sl) = run(&sc, &a, r);
            (
                (RunRows::from_result(r, &b), bl),
                (RunRows::from_result(r, &s), sl),
            )
        })
        .collect();
    let (runs, logs): (Vec<(RunRows, RunRows)>, Vec<(Referrals, Referrals)>) = pairs
        .into_iter()
        .map(|((b, bl), (s, sl))| ((b, s), (bl, sl)))
        .unzip();
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
    if a.churn {
        print_churn(&logs, year);
    }
    Ok(())
}

/// The students behind the paired difference of `year`'s referrals.
fn print_churn(logs: &[(Referrals, Referrals)], year: i32) {
    let in_year = |log: &Referrals| log.iter().filter(|&&(_, y)| y == year).count() as f64;
    let counts: Vec<(f64, f64)> = logs.iter().map(|(b, s)| (in_year(b), in_year(s))).collect();
    let stats =
        |f: &dyn Fn(&(f64, f64)) -> f64| summarise(&counts.iter().map(f).collect::<Vec<_>>(), 0.95);
    let (b, s) = (stats(&|c| c.0), stats(&|c| c.1));
    let var_d = stats(&|c| c.1 - c.0).sd.powi(2);
    let per_pair: Vec<(u64, u64, i64)> = logs.iter().map(|(b, s)| churn(b, s, year)).collect();
    let mean = |f: &dyn Fn(&(u64, u64, i64)) -> f64| {
        per_pair.iter().map(f).sum::<f64>() / per_pair.len() as f64
    };
    let differ = mean(&|p| p.0 as f64);
    let moved = mean(&|p| p.1 as f64);
    let net = mean(&|p| p.2 as f64);
    let (var_b, var_s) = (b.sd.powi(2), s.sd.powi(2));
    println!("\nreferrals in {year}, students behind the paired difference (mean per pair):");
    println!(
        "  referrals: baseline {:.1}, scenario {:.1}, var {var_b:.1} and {var_s:.1}",
        b.mean, s.mean
    );
    println!("  students referred a different number of times in {year}: C = {differ:.1}");
    println!(
        "    only moved to or from another year: {moved:.1}; referred more or less often: {:.1}",
        differ - moved
    );
    println!(
        "  net difference {net:+.1}; var(difference) {var_d:.1} ({:.2} x C)",
        var_d / differ
    );
    println!(
        "  variance reduction {:.2}; bound with this churn (var(b) + var(s)) / C = {:.2}",
        variance_reduction(&counts),
        (var_b + var_s) / differ
    );
}
