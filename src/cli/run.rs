//! `regiosim run SCENARIO...`: replications of each scenario, CSV results,
//! comparisons against the first scenario, and the manifest (written last).

use super::{InputError, progress};
use crate::experiment::{self, Plan};
use crate::model::metric_names;
use crate::output::manifest::{Manifest, ManifestFile, ManifestScenario, git_commit, now_unix};
use crate::output::tables::{self, ScenarioRuns};
use crate::output::{atomic_write, fmt_num, stats::summarise};
use crate::scenario::{self, LoadedScenario, sha256_hex};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario files; the first is the baseline for comparison.csv.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Replications per scenario (replication r shares random streams across scenarios).
    #[arg(long, default_value_t = 8)]
    pub replications: u32,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output years, overriding `simulation.years` of every scenario.
    #[arg(long)]
    pub years: Option<u32>,
    /// Worker threads (0: one per core). Never changes the results.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// No progress bar and no summary on stdout.
    #[arg(long)]
    pub quiet: bool,
}

/// Loads every scenario, with `--years` applied; names must be unique.
pub fn load_scenarios(
    paths: &[PathBuf],
    years: Option<u32>,
) -> anyhow::Result<Vec<LoadedScenario>> {
    let overrides: Vec<(String, toml::Value)> = years
        .map(|y| {
            (
                "simulation.years".to_string(),
                toml::Value::Integer(i64::from(y)),
            )
        })
        .into_iter()
        .collect();
    let mut loaded: Vec<LoadedScenario> = Vec::new();
    for p in paths {
        let l = scenario::load_with(p, &overrides)?;
        if let Some(other) = loaded.iter().find(|o| o.scenario.name == l.scenario.name) {
            return Err(InputError(format!(
                "scenarios {} and {} are both named `{}`; give each a unique `name`",
                other.sources[0].path.display(),
                p.display(),
                l.scenario.name
            ))
            .into());
        }
        loaded.push(l);
    }
    Ok(loaded)
}

pub fn run(a: RunArgs) -> anyhow::Result<()> {
    if a.replications == 0 {
        return Err(InputError("--replications must be at least 1".into()).into());
    }
    if a.years == Some(0) {
        return Err(InputError("--years must be at least 1".into()).into());
    }
    let scenarios = load_scenarios(&a.scenarios, a.years)?;
    prepare_out_dir(&a.out)?;
    let plan = Plan {
        scenarios: &scenarios,
        replications: a.replications,
        seed: a.seed,
        threads: a.threads,
    };
    let started = Instant::now();
    let bar = progress::bar(plan.units() as u64, "runs", a.quiet);
    let results = experiment::run(&plan, &|done| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    let mut command_line = vec!["run".to_string()];
    command_line.extend(a.scenarios.iter().map(|p| p.display().to_string()));
    command_line.extend([
        "--replications".into(),
        a.replications.to_string(),
        "--seed".into(),
        a.seed.to_string(),
    ]);
    if let Some(y) = a.years {
        command_line.extend(["--years".into(), y.to_string()]);
    }
    write_outputs(
        &a.out,
        &scenarios,
        &results,
        a.seed,
        a.replications,
        command_line,
    )?;
    if !a.quiet {
        print_summary(
            &results,
            plan.units(),
            started.elapsed().as_secs_f64(),
            &a.out,
        );
    }
    Ok(())
}

/// Creates the folder and removes an old manifest first, so a run that
/// fails half-way never leaves files that look complete.
pub fn prepare_out_dir(out: &Path) -> anyhow::Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(InputError(format!(
            "--out {} exists and is not a folder; choose another path",
            out.display()
        ))
        .into());
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder {}", out.display()))?;
    for stale in ["manifest.json", "comparison.csv"] {
        let p = out.join(stale);
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    Ok(())
}

/// Writes every table, then the manifest.
pub fn write_outputs(
    out: &Path,
    scenarios: &[LoadedScenario],
    results: &[ScenarioRuns],
    seed: u64,
    replications: u32,
    command_line: Vec<String>,
) -> anyhow::Result<()> {
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("runs.csv", tables::runs_csv(results)),
        ("by_school_type.csv", tables::by_school_type_csv(results)),
        ("timeseries.csv", tables::timeseries_csv(results)),
        ("summary.csv", tables::summary_csv(results)),
    ];
    if results.len() >= 2 {
        files.push(("comparison.csv", tables::comparison_csv(results)));
    }
    let mut outputs = Vec::new();
    for (name, bytes) in &files {
        let path = out.join(name);
        atomic_write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        outputs.push(ManifestFile {
            path: name.to_string(),
            sha256: sha256_hex(bytes),
        });
    }
    let manifest = Manifest {
        regiosim_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: git_commit(),
        command_line,
        seed,
        replications,
        scenarios: scenarios
            .iter()
            .map(|l| ManifestScenario {
                name: l.scenario.name.clone(),
                path: l
                    .sources
                    .first()
                    .map(|s| s.path.display().to_string())
                    .unwrap_or_default(),
                files: l
                    .sources
                    .iter()
                    .map(|s| ManifestFile {
                        path: s.path.display().to_string(),
                        sha256: s.sha256.clone(),
                    })
                    .collect(),
                resolved_sha256: sha256_hex(l.resolved_toml.as_bytes()),
                resolved_toml: l.resolved_toml.clone(),
            })
            .collect(),
        outputs,
        created_unix: now_unix(),
    };
    let path = out.join("manifest.json");
    atomic_write(&path, &manifest.to_json())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn print_summary(results: &[ScenarioRuns], runs: usize, secs: f64, out: &Path) {
    use std::fmt::Write;
    let mut text = format!(
        "regiosim: {runs} runs in {secs:.1} s; results in {}\n",
        out.display()
    );
    let names = metric_names();
    let shown = [
        "second_line_referrals_per_1000",
        "wait_assessment_days_mean",
        "thuiszitters_per_1000",
        "cost_total_eur",
    ];
    for sc in results {
        let Some(last) = sc.reps.first().map(|r| r.metrics.len().saturating_sub(1)) else {
            continue;
        };
        let _ = writeln!(
            text,
            "  {} (region, year {}):",
            sc.name,
            sc.start_year + last as i32
        );
        for m in shown {
            let Some(i) = names.iter().position(|n| n == m) else {
                continue;
            };
            let values: Vec<f64> = sc.reps.iter().map(|r| r.metrics[last][0][i]).collect();
            let s = summarise(&values, 0.95);
            let ci = if s.n >= 2 {
                format!(
                    "95% CI {} to {}",
                    fmt_num(round3(s.low)),
                    fmt_num(round3(s.high))
                )
            } else {
                "one replication: no CI".to_string()
            };
            let _ = writeln!(text, "    {m:<32} {:>14} ({ci})", fmt_num(round3(s.mean)));
        }
    }
    super::print_stdout(&text);
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
