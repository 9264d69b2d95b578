//! `regiosim report DIR -o report.html [--lang nl|en] [--format html|md]`.

use super::InputError;
use crate::output::manifest::Manifest;
use crate::output::target::{Resolved, resolve, write_target};
use crate::report::{self, text::Lang};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Md,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The folder of a finished run or sweep.
    pub dir: PathBuf,
    /// Where to write the report: a file (replaced whole, never half
    /// written; a symbolic link stays a link), `-` for standard output, or
    /// a device or pipe such as /dev/null (written straight through).
    #[arg(
        short = 'o',
        long = "out",
        visible_alias = "output",
        value_name = "FILE"
    )]
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
    if let Some(name) = run_file_at(&a.output, &a.dir, &data.manifest) {
        return Err(InputError(format!(
            "{}: is the run's own {name}; writing the report there would destroy the run. Give another file name",
            a.output.display()
        ))
        .into());
    }
    let text = match a.format {
        Format::Html => report::html(&data, a.lang),
        Format::Md => report::markdown(&data, a.lang),
    };
    write_target(&a.output, text.as_bytes()).map_err(|e| {
        if e.is_input() {
            InputError(e.to_string()).into()
        } else {
            anyhow::Error::new(e)
        }
    })
}

/// The file of the run folder (its manifest or a listed output) that
/// `output` would replace, if any.
pub(super) fn run_file_at(output: &Path, dir: &Path, manifest: &Manifest) -> Option<String> {
    let Ok(Resolved::Path(real)) = resolve(output) else {
        return None;
    };
    let parent = real.parent().filter(|p| !p.as_os_str().is_empty());
    let out = std::fs::canonicalize(parent.unwrap_or(Path::new(".")))
        .ok()?
        .join(real.file_name()?);
    let dir = std::fs::canonicalize(dir).ok()?;
    std::iter::once("manifest.json")
        .chain(manifest.outputs.iter().map(|o| o.path.as_str()))
        .find(|name| dir.join(name) == out)
        .map(String::from)
}
