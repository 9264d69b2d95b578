//! `regiosim params`: the registry of scenario keys (path, shape, unit,
//! default, valid range, prior, meaning, source) as CSV or markdown, and
//! `--write-docs` to regenerate docs/SCENARIOS.md's key tables from it.

use super::InputError;
use crate::scenario::registry::docs;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  regiosim params > params.csv
  regiosim params --markdown
  regiosim params --write-docs docs/SCENARIOS.md")]
pub struct ParamsArgs {
    /// Print one markdown table instead of CSV.
    #[arg(long)]
    pub markdown: bool,
    /// Fill the generated tables (`<!-- generated: TABLE -->` …
    /// `<!-- end generated -->`) of this file from the registry, in place.
    #[arg(long, value_name = "FILE", conflicts_with = "markdown")]
    pub write_docs: Option<PathBuf>,
}

pub fn params(a: ParamsArgs) -> anyhow::Result<()> {
    if let Some(path) = a.write_docs {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| InputError(format!("--write-docs {}: {e}", path.display())))?;
        let filled = docs::fill(&text)
            .map_err(|e| InputError(format!("--write-docs {}: {e}", path.display())))?;
        if filled != text {
            std::fs::write(&path, filled)?;
            eprintln!("updated {}", path.display());
        }
        return Ok(());
    }
    let out = if a.markdown {
        docs::markdown()
    } else {
        docs::csv()
    };
    print!("{out}");
    Ok(())
}
