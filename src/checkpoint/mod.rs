//! Checkpoint and fork: the whole simulated state of every (scenario,
//! replication) world at the start of a model year, saved in a versioned,
//! checksummed binary file (`run --until DATE --save-state FILE`), and runs
//! that continue from it (`run --from-state FILE`), also with other
//! scenarios that share the saved population (a fork).
//!
//! Invariant: a run continued from a state saved at DATE gives the same
//! bytes in every table as the run straight through.
//!
//! The file: magic bytes, format version, regiosim version, seed,
//! replications, the model year and date saved at, each saved scenario's
//! name and population fingerprint, the payload's length, then a sha256 of
//! all that and the payload; the payload holds each scenario's population
//! keys and each world's state (`model::snapshot`).

pub mod codec;
mod file;

pub use file::{
    FORMAT_VERSION, MAGIC, SavedScenario, SavedState, StateError, model_year_of, parse_date,
    population_keys,
};

/// Where the runs of an experiment start: the worlds of a saved state, and
/// which saved scenario each scenario of the run continues from.
#[derive(Debug, Clone)]
pub struct Start {
    pub state: SavedState,
    /// Saved scenario of each scenario of the run.
    pub map: Vec<usize>,
    /// The state file as given, and the sha256 of its bytes.
    pub path: String,
    pub sha256: String,
}

impl Start {
    /// The saved region states that run (scenario `s`, replication `r`)
    /// continues from.
    pub fn worlds(&self, s: usize, r: u32) -> &[Vec<u8>] {
        self.map
            .get(s)
            .and_then(|&i| self.state.scenarios.get(i))
            .and_then(|sc| sc.worlds.get(r as usize))
            .map_or(&[], |w| w.as_slice())
    }
}

/// Reads the state file `path` for a run of `scenarios` with `seed` and
/// `replications`; with `pinned`, its sha256 must be that.
pub fn load(
    path: &std::path::Path,
    pinned: Option<&str>,
    scenarios: &[crate::scenario::LoadedScenario],
    seed: u64,
    replications: u32,
) -> Result<Start, StateError> {
    let what = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        StateError(format!(
            "cannot read the state file {what}: {e}; give a file written by --save-state"
        ))
    })?;
    let sha256 = crate::scenario::sha256_hex(&bytes);
    if let Some(pin) = pinned
        && !pin.eq_ignore_ascii_case(&sha256)
    {
        return Err(StateError(format!(
            "{what} has sha256 {sha256}, not the {pin} this run was made with: the state file was replaced; give the original file"
        )));
    }
    let state = SavedState::from_bytes(&bytes, &what)?;
    let named: Vec<(&crate::scenario::Scenario, String)> = scenarios
        .iter()
        .map(|l| {
            let file = l
                .sources
                .first()
                .map(|s| s.path.display().to_string())
                .unwrap_or_default();
            (&l.scenario, file)
        })
        .collect();
    let map = state.assign(&named, seed, replications, &what)?;
    Ok(Start {
        state,
        map,
        path: what,
        sha256,
    })
}

/// The start a manifest's command line records (`--from-state FILE
/// --state-sha256 HEX`), for `reproduce` and `merge`; `None` without one.
pub fn start_from_command_line(
    command_line: &[String],
    scenarios: &[crate::scenario::LoadedScenario],
    seed: u64,
    replications: u32,
) -> Result<Option<std::sync::Arc<Start>>, crate::experiment::ExperimentError> {
    let value = |flag: &str| {
        command_line
            .windows(2)
            .find(|w| w[0] == flag)
            .map(|w| w[1].clone())
    };
    let Some(path) = value("--from-state") else {
        return Ok(None);
    };
    let pin = value("--state-sha256");
    load(
        std::path::Path::new(&path),
        pin.as_deref(),
        scenarios,
        seed,
        replications,
    )
    .map(|s| Some(std::sync::Arc::new(s)))
    .map_err(|e| crate::experiment::ExperimentError::State(e.0))
}
