//! `regiosim sweep SWEEP.toml`: every variant of a sweep × its
//! replications, with the outputs of `run` plus `variants.csv` and, for
//! Morris and Sobol' designs, `sensitivity.csv`.

use super::InputError;
use super::execute::{ExecArgs, execute};
use crate::experiment::{Experiment, sweep};
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
    #[command(flatten)]
    pub exec: ExecArgs,
}

pub fn sweep(a: SweepArgs) -> anyhow::Result<()> {
    if a.years == Some(0) {
        return Err(InputError("--years must be at least 1".into()).into());
    }
    let (sw, base) = sweep::load(&a.sweep, a.seed, &super::run::years_override(a.years))?;
    if a.years.is_some() && sw.params.iter().any(|p| p.path == "simulation.years") {
        return Err(InputError(format!(
            "{} varies `simulation.years`; leave out --years, or that parameter",
            a.sweep.display()
        ))
        .into());
    }
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
    let exp = Experiment {
        scenarios,
        replications: sw.replications,
        seed: a.seed,
        command_line,
        sweep: Some((sw, manifest_sweep)),
        posterior: None,
    };
    let x = a.exec.execution();
    let done = execute(&exp, &x)?;
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
