//! `regiosim check-state DIR --scenario FILE`: loads an observed starting
//! state (CBS StatLine CSVs and regiosim's waiting-list CSV), checks it
//! against the scenario and prints per gemeente the counts with their
//! rounding intervals and which figures are preliminary or suppressed.

use crate::scenario;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CheckStateArgs {
    /// The folder with the state files (docs/STATE.md).
    pub dir: PathBuf,
    /// The scenario the state is for (its gemeenten, students and years).
    #[arg(long, value_name = "SCENARIO.toml")]
    pub scenario: PathBuf,
}

pub fn check_state(a: CheckStateArgs) -> anyhow::Result<()> {
    let sc = scenario::load(&a.scenario)?;
    let state = crate::state::load(&a.dir, &sc)?;
    super::print_stdout(&crate::state::summary_text(&state, &sc.scenario.name));
    Ok(())
}
