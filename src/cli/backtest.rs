//! `regiosim backtest BACKTEST.toml`: the fit (a calibration into
//! `DIR/fit/`, unless the file gives a finished posterior), the forecast
//! from the observed state over the posterior, and its scores
//! (src/backtest/). The folder is locked; the tables are written
//! atomically, then the manifest, so a folder with a manifest is complete.

use super::calibrate::{CalibrateArgs, calibrate};
use super::folder::{self, MANIFEST};
use super::{InputError, progress};
use crate::backtest::output::{self, BACKTEST_CSV, FIT_DIR, FORECAST_CSV, SUMMARY_CSV};
use crate::backtest::spec::{self, Fit};
use crate::backtest::{self as bt, score};
use crate::output::atomic_write;
use crate::output::manifest::ManifestFile;
use crate::scenario::sha256_hex;
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// The backtest file (docs/BACKTEST.md).
    pub file: PathBuf,
    /// Output folder (default: the file's path without `.toml`).
    #[arg(short = 'o', long)]
    pub out: Option<PathBuf>,
    /// Worker threads (0: one per core). Never changes the results.
    #[arg(long, default_value_t = 0, value_parser = super::execute::parse_threads)]
    pub threads: usize,
    /// Replace a finished backtest in --out.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary on stdout.
    #[arg(long)]
    pub quiet: bool,
}

/// The files a backtest writes, the manifest last.
const FILES: [&str; 4] = [BACKTEST_CSV, SUMMARY_CSV, FORECAST_CSV, MANIFEST];

pub fn backtest(a: BacktestArgs) -> anyhow::Result<()> {
    // Every check before anything is written or run.
    let b = spec::load(&a.file)?;
    if let Fit::Calibration(path) = &b.fit {
        let cal = crate::calibrate::spec::load(path)?;
        bt::check_fit(&b, &cal)?;
    }
    let state = bt::load_state(&b)?;
    let state_digest = state.digest();
    // A finished posterior is read and set in the scenario now.
    let early = match &b.fit {
        Fit::Posterior(p) => Some(bt::forecast_experiment(&b, p, state.clone())?),
        Fit::Calibration(_) => None,
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| super::calibrate::default_out(&a.file));
    if out.exists() && !out.is_dir() {
        return Err(InputError(format!(
            "--out {} exists and is not a folder; choose another path",
            out.display()
        ))
        .into());
    }
    let _lock = folder::lock(&out)?;
    if !a.force && out.join(MANIFEST).exists() {
        return Err(InputError(format!(
            "{} holds a finished backtest ({MANIFEST}); add --force to replace it, or choose another --out",
            out.display()
        ))
        .into());
    }
    // The manifest first, so the folder never looks finished while it is not.
    for name in FILES.iter().rev() {
        let p = out.join(name);
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    folder::remove_temporaries(&out)?;
    let posterior = match &b.fit {
        Fit::Posterior(p) => p.clone(),
        Fit::Calibration(path) => {
            let fit = out.join(FIT_DIR);
            // Stored runs of an interrupted fit of the same file are reused.
            calibrate(CalibrateArgs {
                file: path.clone(),
                out: Some(fit.clone()),
                threads: a.threads,
                resume: true,
                force: true,
                quiet: a.quiet,
            })?;
            fit.join("posterior.csv")
        }
    };
    let exp = match early {
        Some(e) => e,
        None => bt::forecast_experiment(&b, &posterior, state)?,
    };
    let bar = progress::bar(exp.units().len() as u64, "forecast runs", a.quiet);
    let results = bt::run_forecast(&exp, a.threads, &|n| bar.set_position(n as u64));
    bar.finish_and_clear();
    let results = results?;
    let rows = score::score_all(&results, &b.scored, &b.origins);
    let summary = score::summarise(&rows);
    let tables = [
        (BACKTEST_CSV, output::backtest_csv(&b, &rows)),
        (SUMMARY_CSV, output::summary_csv(&summary)),
        (
            FORECAST_CSV,
            crate::output::forecast::forecast_csv(std::slice::from_ref(&results)),
        ),
    ];
    let mut outputs = Vec::new();
    for (name, bytes) in &tables {
        let path = out.join(name);
        atomic_write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        outputs.push(ManifestFile {
            path: name.to_string(),
            sha256: sha256_hex(bytes),
        });
    }
    let posterior_text = std::fs::read(&posterior)
        .with_context(|| format!("cannot read {}", posterior.display()))?;
    let posterior_file = ManifestFile {
        // Inside --out when the backtest ran the fit: recorded relative to it.
        path: match &b.fit {
            Fit::Posterior(p) => p.display().to_string(),
            Fit::Calibration(_) => format!("{FIT_DIR}/posterior.csv"),
        },
        sha256: sha256_hex(&posterior_text),
    };
    let manifest = output::manifest(&b, posterior_file, state_digest, outputs);
    let path = out.join(MANIFEST);
    atomic_write(&path, &manifest.to_json())
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !a.quiet {
        let mut text = output::summary_text(&b, &summary, &rows);
        text.push_str(&format!("  results in {}\n", out.display()));
        super::print_stdout(&text);
    }
    Ok(())
}
