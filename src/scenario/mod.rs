//! Scenario files: TOML with `extends`, checked in two stages — raw serde
//! structs that reject unknown keys, then a validated [`Scenario`].

mod error;
mod load;
pub mod raw;
mod validate;

pub use error::{Problem, ScenarioError, did_you_mean};
pub use load::{SourceFile, merge, sha256_hex};
pub use raw::{Catchment, Collaboration, Lever, PerLevel, Policy, RawScenario, SchoolType};
pub use validate::{Gemeente, Params, Scenario, SchoolGroup, Wijk};

use std::path::Path;

/// A scenario loaded from disk with everything needed to reproduce it.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    /// The fully resolved scenario (extends merged, defaults filled) as TOML.
    pub resolved_toml: String,
    /// The files read, the requested one first.
    pub sources: Vec<SourceFile>,
}

/// Loads, merges and validates the scenario at `path`.
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    let (table, sources) = load::resolve(path)?;
    from_table(path, table, sources)
}

/// Validates a merged table (e.g. a base scenario with sweep values set).
pub fn from_table(
    path: &Path,
    table: toml::Table,
    sources: Vec<SourceFile>,
) -> Result<LoadedScenario, ScenarioError> {
    let raw = serde_path_to_error::deserialize::<_, RawScenario>(table).map_err(|e| {
        let key_path = e.path().to_string();
        load::schema_error(path, 0, 0, key_path, e.inner().message())
    })?;
    let resolved_toml = toml::to_string(&raw).unwrap_or_default();
    let scenario = Scenario::from_raw(raw).map_err(|problems| ScenarioError::Invalid {
        file: path.to_path_buf(),
        problems,
    })?;
    Ok(LoadedScenario {
        scenario,
        resolved_toml,
        sources,
    })
}

/// Loads the scenario at `path` with values set at dotted key paths (for
/// `--years` and sweeps) before validation, so the resolved text and every
/// check see them.
pub fn load_with(
    path: &Path,
    overrides: &[(String, toml::Value)],
) -> Result<LoadedScenario, ScenarioError> {
    let (mut table, sources) = load::resolve(path)?;
    for (key, value) in overrides {
        set_path(&mut table, key, value.clone());
    }
    from_table(path, table, sources)
}

/// Sets `value` at a dotted path such as `wijkteam.fte_per_1000_students`,
/// creating tables on the way.
pub fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts = path.split('.').peekable();
    let mut t = table;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            t.insert(part.to_string(), value);
            return;
        }
        let entry = t
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        let toml::Value::Table(next) = entry else {
            return;
        };
        t = next;
    }
}
