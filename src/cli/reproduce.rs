//! `regiosim reproduce DIR`: re-runs a finished run or sweep from its
//! manifest (which holds every resolved scenario) and reports, per output
//! file, whether the bytes are identical. Exit 0 only if all are.

use super::InputError;
use crate::experiment::Experiment;
use crate::output::manifest::{Manifest, git_commit};
use crate::scenario::sha256_hex;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ReproduceArgs {
    /// The folder of a finished run or sweep (with manifest.json).
    pub dir: PathBuf,
    /// Worker threads (0: one per core; at most 4096). Never changes the results.
    #[arg(long, default_value_t = 0, value_parser = super::execute::parse_threads)]
    pub threads: usize,
    /// Run even above the run-size limits (docs/SCENARIOS.md, "Run size").
    #[arg(long)]
    pub allow_large: bool,
}

/// Some output differs from the published one (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0} of {1} output files differ from the published run")]
pub struct NotReproduced(usize, usize);

pub fn reproduce(a: ReproduceArgs) -> anyhow::Result<()> {
    let path = a.dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        InputError(format!(
            "{}: {e}; is {} a finished run?",
            path.display(),
            a.dir.display()
        ))
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| InputError(format!("{}: not a regiosim manifest: {e}", path.display())))?;
    let exp = Experiment::from_manifest(&manifest)?;
    exp.size(None, a.threads).check(a.allow_large)?;
    let rows = exp.execute(&exp.units(), a.threads, None, &|_| {})?;
    let results = exp
        .assemble(rows)
        .ok_or_else(|| anyhow::anyhow!("a run went missing"))?;
    let fresh = exp.tables(&results);
    let mut report = String::new();
    let _ = writeln!(
        report,
        "reproducing {} ({} scenarios × {} replications, seed {})",
        a.dir.display(),
        manifest.scenarios.len(),
        manifest.replications,
        manifest.seed
    );
    if manifest.regiosim_version != env!("CARGO_PKG_VERSION") || manifest.git_commit != git_commit()
    {
        let _ = writeln!(
            report,
            "note: published with regiosim {} ({}), reproducing with {} ({})",
            manifest.regiosim_version,
            short(&manifest.git_commit),
            env!("CARGO_PKG_VERSION"),
            short(&git_commit())
        );
    }
    let mut differ = 0;
    for out in &manifest.outputs {
        let now = fresh.iter().find(|(n, _)| *n == out.path).map(|(_, b)| b);
        let same_as_manifest = now.is_some_and(|b| sha256_hex(b) == out.sha256);
        // A published folder may keep only some files; those it keeps must match too.
        let on_disk = std::fs::read(a.dir.join(&out.path)).ok();
        let same_as_disk = match (&on_disk, now) {
            (Some(d), Some(b)) => d == b,
            _ => true,
        };
        let ok = same_as_manifest && same_as_disk;
        differ += usize::from(!ok);
        let kept = if on_disk.is_some() {
            ""
        } else {
            " (not kept in the folder; sha256 compared)"
        };
        let _ = writeln!(
            report,
            "  {:<20} {}{kept}",
            out.path,
            if ok { "identical" } else { "DIFFERENT" }
        );
    }
    super::print_stdout(&report);
    if differ > 0 {
        return Err(NotReproduced(differ, manifest.outputs.len()).into());
    }
    Ok(())
}

/// The first 12 characters of a commit (characters, not bytes: a
/// manifest may hold any text there).
fn short(commit: &str) -> &str {
    if commit.is_empty() {
        "unknown commit"
    } else {
        let end = commit
            .char_indices()
            .nth(12)
            .map_or(commit.len(), |(i, _)| i);
        &commit[..end]
    }
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn a_commit_of_multibyte_characters_is_shortened_without_panicking() {
        assert_eq!(short("0c71f06e92e9fc78b38f"), "0c71f06e92e9");
        assert_eq!(short("aéééééééééééé"), "aééééééééééé");
        assert_eq!(short("€"), "€");
        assert_eq!(short(""), "unknown commit");
    }
}
