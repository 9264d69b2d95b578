//! `regiosim sweep SWEEP.toml`: every variant of a sweep × its
//! replications, with the outputs of `run` plus `variants.csv` and, for
//! Morris and Sobol' designs, `sensitivity.csv`.

use super::InputError;
use super::execute::{ExecArgs, execute};
use super::set::{self, Setting, parse_setting};
use crate::experiment::{Experiment, size, sweep};
use crate::output::manifest::ManifestSweep;
use crate::scenario::sha256_hex;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The sweep file (see scenarios/sweeps/).
    pub sweep: PathBuf,
    /// Master seed (also seeds the design of Latin hypercube, Morris and Sobol' sweeps).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output years, overriding `simulation.years` of the base and every variant.
    #[arg(long)]
    pub years: Option<u32>,
    /// Set a key of the base scenario (hence of every variant), checked like
    /// a value in the file: `--set wijkteam.fte_per_1000_students=1.2`.
    /// Repeat for more keys; a key the sweep varies cannot be set.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_setting)]
    pub set: Vec<Setting>,
    /// Print one JSON document on stdout instead of the text line: as
    /// `run --json`, the base and every variant.
    #[arg(long)]
    pub json: bool,
    /// Also write the tables as one Excel workbook, DIR/results.xlsx (as
    /// `regiosim export DIR --xlsx`); the CSV files stay as they are.
    #[arg(long, conflicts_with_all = ["shard", "shard_index"])]
    pub xlsx: bool,
    #[command(flatten)]
    pub windows: super::run::WindowArgs,
    /// Every variant runs over the posterior: replication r of the base and
    /// of every variant has the same draw, so each variant's comparison
    /// with the base covers parameter and Monte Carlo uncertainty.
    #[command(flatten)]
    pub posterior: super::run::PosteriorArgs,
    /// Every variant starts from a saved state (a fork: variants may
    /// change policies, capacities and costs, not the population) or from
    /// an observed state folder.
    #[command(flatten)]
    pub start: super::run::StartArgs,
    #[command(flatten)]
    pub exec: ExecArgs,
}

pub fn sweep(mut a: SweepArgs) -> anyhow::Result<()> {
    a.exec.resolve_shard()?;
    if a.years == Some(0) {
        return Err(InputError("--years must be at least 1".into()).into());
    }
    set::check(a.years, &a.set)?;
    let (sw, base) = sweep::load(&a.sweep, a.seed, &super::run::years_override(a.years))?;
    if a.years.is_some() && sw.params.iter().any(|p| p.path == "simulation.years") {
        return Err(InputError(format!(
            "{} varies `simulation.years`; leave out --years, or that parameter",
            a.sweep.display()
        ))
        .into());
    }
    // Before the variants exist, a first estimate with each like the base
    // (`execute` checks again with the variants themselves).
    let like_base = std::iter::repeat_n(size::Shape::of(&base), sw.points.len() + 1);
    size::estimate(like_base, sw.replications, a.exec.shard, a.exec.threads)
        .check(a.exec.allow_large)?;
    if let Some(s) = a
        .set
        .iter()
        .find(|s| sw.params.iter().any(|p| p.path == s.key))
    {
        return Err(InputError(format!(
            "--set {}: {} varies `{}`; leave out that --set, or that parameter",
            s.text,
            a.sweep.display(),
            s.key
        ))
        .into());
    }
    let base = set::apply(base, &a.set)?;
    let scenarios = sw.variants(&base, &a.sweep)?;
    let manifest_sweep = ManifestSweep {
        path: a.sweep.display().to_string(),
        sha256: sha256_hex(sw.text.as_bytes()),
        text: sw.text.clone(),
    };
    let n = scenarios.len();
    let mut command_line = vec![
        "sweep".into(),
        a.sweep.display().to_string(),
        "--seed".into(),
        a.seed.to_string(),
    ];
    if let Some(y) = a.years {
        command_line.extend(["--years".into(), y.to_string()]);
    }
    a.windows.record(&base, &mut command_line)?;
    command_line.extend(set::command_line(&a.set));
    let posterior = a
        .posterior
        .load(sw.replications, a.seed, &scenarios, &mut command_line)?;
    if let Some(p) = &posterior
        && let Some(k) = p
            .keys
            .iter()
            .find(|k| sw.params.iter().any(|q| &q.path == *k))
    {
        return Err(InputError(format!(
            "{} varies `{k}`, which the posterior also sets (each draw would overwrite the sweep's value); leave that parameter out of the sweep, or run without --posterior",
            a.sweep.display()
        ))
        .into());
    }
    let (start, states) = a.start.load(
        &scenarios,
        a.seed,
        sw.replications,
        a.exec.quiet || a.json,
        &mut command_line,
    )?;
    let exp = Experiment {
        scenarios,
        replications: sw.replications,
        seed: a.seed,
        command_line,
        sweep: Some((sw, manifest_sweep)),
        posterior,
        start,
        states,
    };
    let x = a.exec.execution();
    let done = execute(&exp, &x)?;
    if a.xlsx && done.is_some() {
        super::export::write_workbook(&a.exec.out, &a.exec.out.join(super::export::WORKBOOK))?;
    }
    if a.json {
        return super::json::print(&a.exec.out, a.exec.shard);
    }
    if !a.exec.quiet {
        let text = match (done, a.exec.shard) {
            (Some(_), _) => format!(
                "regiosim: sweep of {} variants (base included) × {} replications; results in {}\n",
                n,
                exp.replications,
                a.exec.out.display()
            ),
            (None, Some(s)) => format!(
                "regiosim: shard {}/{} done ({} runs) in {}; combine the shards with `regiosim merge`\n",
                s.index,
                s.count,
                exp.shard_units(Some(s)).len(),
                a.exec.out.display()
            ),
            (None, None) => String::new(),
        };
        super::print_stdout(&text);
    }
    Ok(())
}
