//! `regiosim check FILE...`: validates scenario files and prints each fully
//! resolved scenario (extends merged, defaults filled) as TOML.

use super::InputError;
use crate::scenario;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn check(a: CheckArgs) -> anyhow::Result<()> {
    let mut failed = 0;
    for file in &a.files {
        match scenario::load(file) {
            Ok(l) => {
                super::print_stdout(&format!(
                    "# {}: ok ({} students)\n{}\n",
                    file.display(),
                    l.scenario.students(),
                    l.resolved_toml
                ));
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(InputError(format!(
            "{failed} of {} scenario files have errors",
            a.files.len()
        ))
        .into());
    }
    Ok(())
}
