//! `regiosim merge --out DIR SHARD_DIR...`: combines the shards of a run
//! or sweep (each made with --shard K/N) into the same files a single
//! machine writes. The --out folder is locked for the merge, like the
//! folder of a run.

use super::InputError;
use super::execute::{ShardInfo, write_outputs};
use super::folder::{self, SHARD};
use crate::experiment::size::MAX_SHARDS;
use crate::experiment::{Experiment, parts};
use anyhow::Context;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Output folder for the combined results.
    #[arg(short = 'o', long)]
    pub out: PathBuf,
    /// The shards' output folders.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
}

pub fn merge(a: MergeArgs) -> anyhow::Result<()> {
    let mut infos = Vec::new();
    for dir in &a.shards {
        let path = dir.join(SHARD);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            InputError(format!(
                "{}: {e}; is {} the --out folder of a finished shard?",
                path.display(),
                dir.display()
            ))
        })?;
        let info: ShardInfo = serde_json::from_str(&text)
            .map_err(|e| InputError(format!("{}: not a shard description: {e}", path.display())))?;
        infos.push(info);
    }
    check_shard_numbers(&infos, &a.shards)?;
    let first = &infos[0];
    if let Some(other) = infos
        .iter()
        .find(|i| i.fingerprint != first.fingerprint || i.shards != first.shards)
    {
        return Err(InputError(format!(
            "shard {}/{} belongs to another run than shard {}/{}; merge only shards of one command",
            other.shard, other.shards, first.shard, first.shards
        ))
        .into());
    }
    let have: BTreeSet<usize> = infos.iter().map(|i| i.shard).collect();
    let missing: Vec<String> = (1..=first.shards)
        .filter(|k| !have.contains(k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(InputError(format!(
            "missing shards {} of {}",
            missing.join(", "),
            first.shards
        ))
        .into());
    }
    let exp = Experiment::from_manifest(&first.plan)?;
    if exp.fingerprint() != first.fingerprint {
        return Err(InputError(
            "the shards were made by another regiosim version; re-run them with this one".into(),
        )
        .into());
    }
    let fingerprint = exp.fingerprint();
    let mut rows = std::collections::BTreeMap::new();
    for dir in &a.shards {
        rows.extend(parts::read_parts(&parts::parts_dir(dir), &fingerprint).runs);
    }
    let found = rows.len();
    let results = exp.assemble(rows).ok_or_else(|| {
        InputError(format!(
            "the shards hold {found} of {} runs; finish the incomplete shards with --resume",
            exp.unit_count()
        ))
    })?;
    if a.out.exists() && !a.out.is_dir() {
        return Err(InputError(format!(
            "--out {} exists and is not a folder; choose another path",
            a.out.display()
        ))
        .into());
    }
    // Held until the end: released (and its file removed) on return.
    let _lock = folder::lock(&a.out)?;
    folder::clear_outputs(&a.out, &exp.table_names())?;
    write_outputs(&exp, &results, &a.out)
        .with_context(|| format!("cannot write the merged results to {}", a.out.display()))?;
    super::print_stdout(&format!(
        "regiosim: merged {} shards ({} runs) into {}\n",
        infos.len(),
        exp.unit_count(),
        a.out.display()
    ));
    Ok(())
}

/// Every `shard.json` names shard K of N with 1 ≤ K ≤ N ≤ [`MAX_SHARDS`],
/// checked before N is used to list the shards.
fn check_shard_numbers(infos: &[ShardInfo], dirs: &[PathBuf]) -> Result<(), InputError> {
    for (info, dir) in infos.iter().zip(dirs) {
        if info.shards == 0
            || info.shard == 0
            || info.shard > info.shards
            || info.shards > MAX_SHARDS
        {
            return Err(InputError(format!(
                "{}: shard {}/{} is not a shard K/N with 1 ≤ K ≤ N ≤ {MAX_SHARDS}; the file was edited or damaged",
                dir.join("shard.json").display(),
                info.shard,
                info.shards
            )));
        }
    }
    Ok(())
}
