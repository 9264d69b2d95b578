//! `--json` of `run` and `sweep`: the run's JSON summary on stdout
//! (`output::json`), read back from the folder just written.

use super::InputError;
use crate::experiment::Shard;
use crate::output::{json, typed};
use std::path::Path;

/// Prints the JSON summary of the finished run in `out`; for a shard, which
/// has no tables, the folder and the shard.
pub fn print(out: &Path, shard: Option<Shard>) -> anyhow::Result<()> {
    let doc = match shard {
        Some(s) => serde_json::json!({
            "out": out.display().to_string(),
            "complete": false,
            "shard": {"index": s.index, "count": s.count},
        }),
        None => {
            let folder = typed::read_folder(out).map_err(InputError)?;
            let mut doc = json::summary(&folder, out);
            doc["complete"] = true.into();
            doc
        }
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    super::print_stdout(&text);
    Ok(())
}
