//! `regiosim report DIR -o report.html [--lang nl|en] [--format html|md]`.

use super::InputError;
use crate::output::atomic_write;
use crate::report::{self, text::Lang};
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Md,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The folder of a finished run or sweep.
    pub dir: PathBuf,
    /// Where to write the report.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: Lang,
    /// A self-contained HTML page, or a Markdown summary.
    #[arg(long, value_enum, default_value = "html")]
    pub format: Format,
}

pub fn report(a: ReportArgs) -> anyhow::Result<()> {
    let data = report::load(&a.dir).map_err(|e| InputError(e.to_string()))?;
    let text = match a.format {
        Format::Html => report::html(&data, a.lang),
        Format::Md => report::markdown(&data, a.lang),
    };
    atomic_write(&a.output, text.as_bytes())
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    Ok(())
}
