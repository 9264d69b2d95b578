//! `regiosim export DIR --xlsx [-o FILE]`: the Excel workbook of a finished
//! run or sweep (`output::xlsx`), read from its folder; by default
//! `DIR/results.xlsx`. The CSV files are not touched.

use super::InputError;
use crate::output::target::write_target;
use crate::output::{typed, xlsx};
use std::path::{Path, PathBuf};

/// The workbook's file name in a run's folder (`run --xlsx`, and `export`
/// without `-o`); a new run in the folder removes an old one.
pub const WORKBOOK: &str = "results.xlsx";

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  regiosim export results/nijmegen-dsav --xlsx
  regiosim export out --xlsx -o nijmegen.xlsx")]
pub struct ExportArgs {
    /// The folder of a finished run or sweep.
    pub dir: PathBuf,
    /// An Excel workbook (the only format so far, and the default): a
    /// "Lees mij" sheet and one sheet per table, with number cells, units
    /// in the header, frozen header rows and filters.
    #[arg(long)]
    pub xlsx: bool,
    /// Where to write the workbook: a file (replaced whole), or `-` for
    /// standard output. Default: DIR/results.xlsx.
    #[arg(
        short = 'o',
        long = "out",
        visible_alias = "output",
        value_name = "FILE"
    )]
    pub out: Option<PathBuf>,
}

pub fn export(a: ExportArgs) -> anyhow::Result<()> {
    let target = a.out.clone().unwrap_or_else(|| a.dir.join(WORKBOOK));
    write_workbook(&a.dir, &target)
}

/// Writes the workbook of the run in `dir` to `target`.
pub fn write_workbook(dir: &Path, target: &Path) -> anyhow::Result<()> {
    let folder = typed::read_folder(dir).map_err(InputError)?;
    if let Some(name) = super::report::run_file_at(target, dir, &folder.manifest) {
        return Err(InputError(format!(
            "{}: is the run's own {name}; writing the workbook there would destroy the run. Give another file name",
            target.display()
        ))
        .into());
    }
    let bytes = xlsx::workbook(&folder)
        .map_err(|e| anyhow::anyhow!("cannot build the workbook of {}: {e}", dir.display()))?;
    write_target(target, &bytes).map_err(|e| {
        if e.is_input() {
            InputError(e.to_string()).into()
        } else {
            anyhow::Error::new(e)
        }
    })
}
