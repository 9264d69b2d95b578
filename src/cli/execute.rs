//! Running an experiment into an output folder, shared by `run` and
//! `sweep`: the folder is locked for this process, finished runs are
//! flushed to `DIR/parts/` as they finish, an interrupted run resumes with
//! `--resume`, a finished run is replaced only with `--force`, a shard keeps
//! its parts for `merge`, and a complete run writes its tables and then the
//! manifest.

use super::folder::{self, MANIFEST, SHARD};
use super::{InputError, progress};
use crate::experiment::size::{MAX_SHARDS, MAX_THREADS};
use crate::experiment::{Experiment, Shard, parts};
use crate::output::atomic_write;
use crate::output::manifest::{Manifest, ManifestFile};
use crate::output::tables::ScenarioRuns;
use crate::scenario::sha256_hex;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The command-line options that change how, never what, is computed.
#[derive(Debug, Clone, clap::Args)]
pub struct ExecArgs {
    /// Worker threads (0: one per core; at most 4096). Never changes the results.
    #[arg(long, default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,
    /// Output folder.
    #[arg(short = 'o', long, default_value = "out")]
    pub out: PathBuf,
    /// No progress bar and no summary on stdout.
    #[arg(long)]
    pub quiet: bool,
    /// Finish an interrupted run in the same --out folder.
    #[arg(long)]
    pub resume: bool,
    /// Replace what --out holds: a finished run, or (without --resume) the
    /// saved runs of one that did not complete.
    #[arg(long)]
    pub force: bool,
    /// Run only shard K of N, counted from 1 (for a cluster job array, as
    /// Slurm's --array=1-N); combine the shards with `regiosim merge`.
    #[arg(long, value_parser = parse_shard, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Run even above the run-size limits (students, replications,
    /// student-years, memory; docs/SCENARIOS.md, "Run size").
    #[arg(long)]
    pub allow_large: bool,
    /// Run only shard I of --shard-count N, counted from 0 (Kubernetes
    /// Indexed Jobs' JOB_COMPLETION_INDEX, HTCondor's $(Process), Slurm's
    /// --array=0-N-1): the same shard as --shard I+1/N. `auto` reads
    /// JOB_COMPLETION_INDEX, or SLURM_ARRAY_TASK_ID less
    /// SLURM_ARRAY_TASK_MIN (so --array=1-N works too).
    #[arg(
        long,
        value_name = "I|auto",
        value_parser = parse_shard_index,
        requires = "shard_count",
        conflicts_with = "shard"
    )]
    pub shard_index: Option<ShardIndex>,
    /// The number of shards, with --shard-index.
    #[arg(long, value_name = "N", requires = "shard_index")]
    pub shard_count: Option<usize>,
}

impl ExecArgs {
    /// Turns `--shard-index I --shard-count N` into `--shard I+1/N`; call
    /// before reading `shard`.
    pub fn resolve_shard(&mut self) -> Result<(), InputError> {
        let index = match self.shard_index {
            Some(ShardIndex::Auto) => Some(shard_index_from_env(|k| std::env::var(k).ok())?),
            Some(ShardIndex::Given(i)) => Some(i),
            None => None,
        };
        if let (Some(i), Some(n)) = (index, self.shard_count) {
            if n > crate::experiment::size::MAX_SHARDS {
                return Err(InputError(format!(
                    "--shard-count {n}: at most {} shards",
                    crate::experiment::size::MAX_SHARDS
                )));
            }
            if n == 0 || i >= n {
                return Err(InputError(format!(
                    "--shard-index {i} --shard-count {n}: the index counts from 0 and must be below the count (0 to {})",
                    n.saturating_sub(1)
                )));
            }
            self.shard = Some(Shard {
                index: i + 1,
                count: n,
            });
        }
        Ok(())
    }

    pub fn execution(&self) -> Execution<'_> {
        Execution {
            out: &self.out,
            threads: self.threads,
            quiet: self.quiet,
            resume: self.resume,
            force: self.force,
            shard: self.shard,
            allow_large: self.allow_large,
        }
    }
}

/// `--shard-index`: a number, or `auto` (from the scheduler's environment).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShardIndex {
    Given(usize),
    Auto,
}

fn parse_shard_index(s: &str) -> Result<ShardIndex, String> {
    if s == "auto" {
        return Ok(ShardIndex::Auto);
    }
    s.parse()
        .map(ShardIndex::Given)
        .map_err(|_| format!("`{s}` is not a shard index: give a whole number from 0, or `auto`"))
}

/// The 0-based shard index that a scheduler gives the task: Kubernetes'
/// JOB_COMPLETION_INDEX, or Slurm's SLURM_ARRAY_TASK_ID counted from
/// SLURM_ARRAY_TASK_MIN. Both set and different, or neither, is an error.
fn shard_index_from_env(var: impl Fn(&str) -> Option<String>) -> Result<usize, InputError> {
    let number = |name: &str| -> Result<Option<usize>, InputError> {
        var(name)
            .map(|v| {
                v.trim().parse::<usize>().map_err(|_| {
                    InputError(format!(
                        "--shard-index auto: {name}={v:?} is not a whole number"
                    ))
                })
            })
            .transpose()
    };
    let k8s = number("JOB_COMPLETION_INDEX")?;
    let slurm = match number("SLURM_ARRAY_TASK_ID")? {
        Some(id) => {
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            Some(id.checked_sub(min).ok_or_else(|| {
                InputError(format!(
                    "--shard-index auto: SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"
                ))
            })?)
        }
        None => None,
    };
    match (k8s, slurm) {
        (Some(a), Some(b)) if a != b => Err(InputError(format!(
            "--shard-index auto: JOB_COMPLETION_INDEX ({a}) and SLURM_ARRAY_TASK_ID ({b}, from its minimum) disagree; give the index as a number"
        ))),
        (Some(a), _) => Ok(a),
        (None, Some(b)) => Ok(b),
        (None, None) => Err(InputError(
            "--shard-index auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (Slurm job array) is set; give the index as a number (HTCondor: --shard-index $(Process))".into(),
        )),
    }
}

/// Options that change how, never what, is computed.
pub struct Execution<'a> {
    pub out: &'a Path,
    pub threads: usize,
    pub quiet: bool,
    pub resume: bool,
    pub force: bool,
    pub shard: Option<Shard>,
    pub allow_large: bool,
}

/// What a shard leaves beside its parts, for `merge`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardInfo {
    pub shard: usize,
    pub shards: usize,
    pub fingerprint: String,
    pub plan: Manifest,
}

/// Parses `K/N` for `--shard`.
pub fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, for example 2/8")?;
    let index: usize = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a shard number"))?;
    let count: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a shard count"))?;
    if count == 0 || index == 0 || index > count {
        return Err(format!("shard {index}/{count}: K must be between 1 and N"));
    }
    if count > MAX_SHARDS {
        return Err(format!(
            "shard {index}/{count}: N must be at most {MAX_SHARDS}"
        ));
    }
    Ok(Shard { index, count })
}

/// Parses `--threads`: 0 (one per core) to [`MAX_THREADS`].
pub fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of threads"))?;
    if n > MAX_THREADS {
        return Err(format!(
            "{n} threads: at most {MAX_THREADS} (0 starts one per core)"
        ));
    }
    Ok(n)
}

/// Runs what is left of `exp` and writes its outputs. Returns the results
/// when the run is complete (not for a shard).
pub fn execute(exp: &Experiment, x: &Execution) -> anyhow::Result<Option<Vec<ScenarioRuns>>> {
    let out = x.out;
    if out.exists() && !out.is_dir() {
        return Err(InputError(format!(
            "--out {} exists and is not a folder; choose another path",
            out.display()
        ))
        .into());
    }
    exp.size(x.shard, x.threads).check(x.allow_large)?;
    // Held until the end: released (and its file removed) on return.
    let _lock = folder::lock(out)?;
    if !x.force
        && let Some(what) = folder::finished_run(out)
    {
        let next = if x.resume {
            "there is nothing to resume; add --force (without --resume) to run it again"
        } else {
            "add --force to replace it"
        };
        return Err(InputError(format!(
            "{} holds a finished run ({what}); {next}, or choose another --out",
            out.display()
        ))
        .into());
    }
    let parts_dir = parts::parts_dir(out);
    let fingerprint = exp.fingerprint();
    let mut found = parts::read_parts(&parts_dir, &fingerprint);
    if found.files() > 0 && !x.resume {
        if !x.force {
            return Err(InputError(format!(
                "{} holds {} saved runs of an earlier run that did not complete; add --resume to finish it, --force to discard them, or choose another --out",
                parts_dir.display(),
                found.files()
            ))
            .into());
        }
        std::fs::remove_dir_all(&parts_dir)
            .with_context(|| format!("cannot remove {}", parts_dir.display()))?;
        found = parts::Found::default();
    }
    if x.resume && found.foreign > 0 {
        if found.runs.is_empty() && !x.force {
            return Err(InputError(format!(
                "{} holds {} saved runs of another run (other scenarios, seed or replications, or another regiosim version); --resume needs the same command: add --force to run this one anyway, or choose another --out",
                parts_dir.display(),
                found.foreign
            ))
            .into());
        }
        eprintln!(
            "note: {} holds {} saved runs of another run; they are ignored",
            parts_dir.display(),
            found.foreign
        );
    }
    let keep = if x.shard.is_some() {
        Vec::new()
    } else {
        exp.table_names()
    };
    folder::clear_outputs(out, &keep)?;
    std::fs::create_dir_all(&parts_dir)
        .with_context(|| format!("cannot create {}", parts_dir.display()))?;
    folder::remove_temporaries(&parts_dir)?;
    // A part of another shape (its checksum is fine, its numbers are not
    // this experiment's) is run again, and its file overwritten.
    let existing = exp.own_parts(found.runs);
    let todo: Vec<(usize, u32)> = exp
        .shard_units(x.shard)
        .into_iter()
        .filter(|u| !existing.contains_key(u))
        .collect();
    let total = exp.shard_units(x.shard).len();
    let bar = progress::bar(total as u64, "runs", x.quiet);
    let already = total - todo.len();
    bar.set_position(already as u64);
    let mut rows = exp.execute(&todo, x.threads, Some(&parts_dir), &|done| {
        bar.set_position((already + done) as u64)
    })?;
    bar.finish_and_clear();
    if let Some(shard) = x.shard {
        let info = ShardInfo {
            shard: shard.index,
            shards: shard.count,
            fingerprint,
            plan: exp.manifest(Vec::new()),
        };
        let json = serde_json::to_string_pretty(&info).unwrap_or_default();
        let path = out.join(SHARD);
        atomic_write(&path, json.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(None);
    }
    rows.extend(existing);
    let results = exp.assemble(rows).ok_or_else(|| {
        anyhow::anyhow!("some runs are missing after the run; run again with --resume")
    })?;
    write_outputs(exp, &results, out)?;
    std::fs::remove_dir_all(&parts_dir)
        .with_context(|| format!("cannot remove {}", parts_dir.display()))?;
    Ok(Some(results))
}

/// Writes every table, then the manifest.
pub fn write_outputs(exp: &Experiment, results: &[ScenarioRuns], out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder {}", out.display()))?;
    let mut outputs = Vec::new();
    for (name, bytes) in exp.tables(results) {
        let path = out.join(name);
        atomic_write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
        outputs.push(ManifestFile {
            path: name.to_string(),
            sha256: sha256_hex(&bytes),
        });
    }
    let path = out.join(MANIFEST);
    atomic_write(&path, &exp.manifest(outputs).to_json())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod shard_env_tests {
    use super::shard_index_from_env;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn auto_shard_index_counts_from_zero_whatever_the_scheduler() {
        assert_eq!(
            shard_index_from_env(env(&[("JOB_COMPLETION_INDEX", "3")])).unwrap(),
            3
        );
        assert_eq!(
            shard_index_from_env(env(&[("SLURM_ARRAY_TASK_ID", "0")])).unwrap(),
            0
        );
        // Slurm's --array=1-16: task 1 is shard index 0.
        let one_based = [("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1")];
        assert_eq!(shard_index_from_env(env(&one_based)).unwrap(), 4);
        assert!(shard_index_from_env(env(&[])).is_err());
        assert!(shard_index_from_env(env(&[("JOB_COMPLETION_INDEX", "x")])).is_err());
        let disagree = [("JOB_COMPLETION_INDEX", "1"), ("SLURM_ARRAY_TASK_ID", "2")];
        assert!(shard_index_from_env(env(&disagree)).is_err());
    }
}
