//! `regiosim calibrate CALIBRATION.toml`: history matching and ABC-SMC
//! (src/calibrate/) into an output folder: the folder is locked, finished
//! simulator runs are stored in `DIR/runs/` as they finish, `--resume`
//! finishes an interrupted calibration with identical bytes, and the
//! tables are written before the manifest.

use super::folder::{self, MANIFEST};
use super::{InputError, progress};
use crate::calibrate::output::{self, FILES};
use crate::calibrate::simulate::Runner;
use crate::calibrate::store::{Store, runs_dir};
use crate::calibrate::{self, spec};
use crate::output::atomic_write;
use crate::output::manifest::ManifestFile;
use crate::scenario::sha256_hex;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// The calibration file (docs/CALIBRATION.md, "Calibration with uncertainty").
    pub file: PathBuf,
    /// Output folder (default: the file's path without `.toml`).
    #[arg(short = 'o', long)]
    pub out: Option<PathBuf>,
    /// Worker threads (0: one per core). Never changes the results.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Finish an interrupted calibration in the same --out folder.
    #[arg(long)]
    pub resume: bool,
    /// Replace what --out holds: a finished calibration, or (without
    /// --resume) the stored runs of one that did not complete.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary on stdout.
    #[arg(long)]
    pub quiet: bool,
}

/// The output folder of a file-driven command: the file without its
/// extension (or with `-out` appended where it has none).
pub(super) fn default_out(file: &Path) -> PathBuf {
    let stem = file.with_extension("");
    if stem == file {
        PathBuf::from(format!("{}-out", file.display()))
    } else {
        stem
    }
}

pub fn calibrate(a: CalibrateArgs) -> anyhow::Result<()> {
    let spec = spec::load(&a.file)?;
    let out = a.out.clone().unwrap_or_else(|| default_out(&a.file));
    if out.exists() && !out.is_dir() {
        return Err(InputError(format!(
            "--out {} exists and is not a folder; choose another path",
            out.display()
        ))
        .into());
    }
    let _lock = folder::lock(&out)?;
    if !a.force && out.join(MANIFEST).exists() {
        let next = if a.resume {
            "there is nothing to resume; add --force (without --resume) to run it again"
        } else {
            "add --force to replace it"
        };
        return Err(InputError(format!(
            "{} holds a finished run or calibration ({MANIFEST}); {next}, or choose another --out",
            out.display()
        ))
        .into());
    }
    let dir = runs_dir(&out);
    let fingerprint = calibrate::fingerprint(&spec);
    let mut store = Store::open(&dir, &fingerprint);
    if store.files() > 0 && !a.resume {
        if !a.force {
            return Err(InputError(format!(
                "{} holds {} stored runs of a calibration that did not complete; add --resume to finish it, --force to discard them, or choose another --out",
                dir.display(),
                store.files()
            ))
            .into());
        }
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("cannot remove {}", dir.display()))?;
        store = Store::open(&dir, &fingerprint);
    }
    if a.resume && store.foreign > 0 {
        if store.is_empty() && !a.force {
            return Err(InputError(format!(
                "{} holds {} stored runs of another calibration (another file, seed or regiosim version); --resume needs the same file: add --force to run this one anyway, or choose another --out",
                dir.display(),
                store.foreign
            ))
            .into());
        }
        eprintln!(
            "note: {} holds {} stored runs of another calibration; they are ignored",
            dir.display(),
            store.foreign
        );
    }
    // The manifest first, so the folder never looks finished while it is not.
    for name in FILES.iter().rev() {
        let p = out.join(name);
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    folder::remove_temporaries(&out)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    folder::remove_temporaries(&dir)?;

    let m = &spec.method;
    let started = Instant::now();
    let per_point = {
        let with_targets = (0..spec.bases.len())
            .filter(|&s| spec.targets.iter().any(|t| t.scenario == s))
            .count() as u64;
        with_targets * u64::from(m.replications)
    };
    // An estimate: ABC's proposals are not known in advance.
    let planned =
        per_point * (m.waves * m.points_per_wave + 2 * (m.generations + 1) * m.particles) as u64;
    let bar = progress::bar(planned, "simulator runs", a.quiet);
    let done = AtomicU64::new(0);
    let on_runs = |n: u64| {
        let now = done.fetch_add(n, Ordering::Relaxed) + n;
        if now > bar.length().unwrap_or(0) {
            bar.set_length(now + now / 4);
        }
        bar.set_position(now);
    };
    let mut runner = Runner::new(&spec, store, a.threads, &on_runs)?;
    let outcome = calibrate::calibrate(&spec, &mut runner);
    bar.finish_and_clear();
    let outcome = outcome?;
    let mut outputs = Vec::new();
    for (name, bytes) in output::tables(&spec, &outcome) {
        let path = out.join(name);
        atomic_write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
        outputs.push(ManifestFile {
            path: name.to_string(),
            sha256: sha256_hex(&bytes),
        });
    }
    let path = out.join(MANIFEST);
    atomic_write(&path, &output::manifest(&spec, &outcome, outputs).to_json())
        .with_context(|| format!("cannot write {}", path.display()))?;
    std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    if !a.quiet {
        print_summary(&spec, &outcome, runner.restored, started, &out);
    }
    Ok(())
}

fn print_summary(
    spec: &spec::Spec,
    o: &calibrate::Outcome,
    restored: u64,
    started: Instant,
    out: &Path,
) {
    use std::fmt::Write;
    let mut t = format!(
        "regiosim: calibration `{}` in {:.1} s: {} simulator runs ({} read back from an earlier start); results in {}\n",
        spec.name,
        started.elapsed().as_secs_f64(),
        o.simulator_runs,
        restored,
        out.display()
    );
    if let Some(w) = o.matched.region.waves.last() {
        let _ = writeln!(
            t,
            "  history matching: {} waves, {:.1}% of the parameter box ruled out",
            o.matched.region.waves.len(),
            100.0 * w.ruled_out
        );
    }
    if let Some(g) = o.posterior.generations.iter().rev().find(|g| g.complete) {
        let _ = writeln!(
            t,
            "  ABC-SMC: {} particles, final tolerance {:.3}, effective sample size {:.1}",
            o.posterior.particles.len(),
            g.tolerance,
            g.ess
        );
    }
    let judged: Vec<(&str, bool)> = spec
        .targets
        .iter()
        .zip(&o.holdout)
        .filter_map(|(t, h)| h.covered().map(|c| (t.name.as_str(), c)))
        .collect();
    if !judged.is_empty() {
        let missed: Vec<&str> = judged.iter().filter(|j| !j.1).map(|j| j.0).collect();
        let _ = writeln!(
            t,
            "  leave-one-target-out: {} of {} targets inside the 90% interval the other targets predict{}",
            judged.len() - missed.len(),
            judged.len(),
            if missed.is_empty() {
                String::new()
            } else {
                format!(" (outside: {})", missed.join(", "))
            }
        );
    }
    let _ = writeln!(t, "  identifiability (posterior / prior 90% width):");
    let text = String::from_utf8(output::identifiability_csv(spec, o)).unwrap_or_default();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if let (Some(name), Some(ratio), Some(lo), Some(hi)) =
            (cells.first(), cells.last(), cells.get(8), cells.get(9))
        {
            let r: f64 = ratio.parse().unwrap_or(f64::NAN);
            let _ = writeln!(t, "    {name:<44} {r:>6.2}  (90%: {lo} to {hi})");
        }
    }
    super::print_stdout(&t);
}
