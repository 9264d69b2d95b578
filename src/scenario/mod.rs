//! Scenario files: TOML with `extends`, checked in two stages — raw serde
//! structs that reject unknown keys, then a validated [`Scenario`].

mod error;
mod load;
pub mod raw;
pub mod registry;
mod scope;
mod trend;
mod validate;

pub use error::{Problem, ScenarioError, did_you_mean};
pub use load::{
    MAX_FILE_BYTES, SourceFile, locate, locate_key, merge, parse_checked, read_referenced,
    read_source, sha256_hex,
};
pub use raw::{
    Catchment, Change, ChangeLever, Collaboration, CollaborationParams, Lever, PerLevel, Policy,
    RawScenario, SchoolType, ScopedPolicy,
};
pub use scope::{LocalPolicy, ScopeRef, rank_of};
pub use trend::{MAX_TREND_FACTOR, TREND_YEARS, Trend, TrendSet};
pub(crate) use validate::thousands;
pub use validate::{Gemeente, MAX_YEARS, Params, Scenario, SchoolGroup, Wijk};

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
        // The key's place in the file that set it; none for a value set
        // from outside the files (the error then names only `path`).
        let (file, line, column) =
            load::locate(&sources, &key_path).unwrap_or((path.to_path_buf(), 0, 0));
        load::schema_error(&file, line, column, key_path, e.inner().message())
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
    let (table, sources) = load::resolve(path)?;
    with_overrides(path, table, sources, overrides)
}

/// Validates `table` with values set at dotted key paths.
pub fn with_overrides(
    path: &Path,
    mut table: toml::Table,
    sources: Vec<SourceFile>,
    overrides: &[(String, toml::Value)],
) -> Result<LoadedScenario, ScenarioError> {
    let mut problems = Vec::new();
    for (key, value) in overrides {
        if let Err(message) = set_path(&mut table, key, value.clone()) {
            problems.push(Problem {
                path: key.clone(),
                message,
            });
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: path.to_path_buf(),
            problems,
        });
    }
    from_table(path, table, sources).map_err(|e| unplace_overridden(e, path, overrides))
}

/// A schema error at a key that an override set is not at that key's
/// place in the files (the value there was replaced): it names `path` only,
/// for the caller (a sweep) to place.
fn unplace_overridden(
    e: ScenarioError,
    path: &Path,
    overrides: &[(String, toml::Value)],
) -> ScenarioError {
    let overridden = |p: &str| {
        overrides.iter().any(|(k, _)| {
            p == k
                || p.strip_prefix(k.as_str())
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    };
    match e {
        ScenarioError::Type {
            path: key,
            message,
            suggestion,
            ..
        } if overridden(&key) => ScenarioError::Type {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            path: key,
            message,
            suggestion,
        },
        other => other,
    }
}

/// Parses a resolved scenario text (as stored in a manifest).
pub fn from_resolved_text(name: &Path, text: &str) -> Result<LoadedScenario, ScenarioError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| ScenarioError::Syntax {
            file: name.to_path_buf(),
            line: 0,
            column: 0,
            message: e.message().trim().to_string(),
        })?;
    from_table(name, table, Vec::new())
}

/// One segment of a dotted key path: a key, optionally with an array index
/// (`referral_prob[1]`, `gemeenten[0]`).
pub fn path_segments(path: &str) -> Result<Vec<(&str, Option<usize>)>, String> {
    path.split('.')
        .map(|seg| match seg.find('[') {
            Some(open) if seg.ends_with(']') => seg[open + 1..seg.len() - 1]
                .parse()
                .map(|i| (&seg[..open], Some(i)))
                .map_err(|_| format!("`{seg}` has no valid index; write key[0]")),
            Some(_) => Err(format!("`{seg}` has an unclosed `[`")),
            None if seg.is_empty() => Err(format!("`{path}` has an empty key")),
            None => Ok((seg, None)),
        })
        .collect()
}

/// Sets `value` at a dotted path such as `wijkteam.fte_per_1000_students`
/// or `huisarts.referral_prob[1]`, creating tables on the way; an index
/// must point into an existing array.
pub fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let segs = path_segments(path)?;
    let mut cur = table;
    for (i, (name, index)) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        match index {
            None if last => {
                cur.insert(name.to_string(), value);
                return Ok(());
            }
            None => {
                let entry = cur
                    .entry(name.to_string())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if !entry.is_table() {
                    *entry = toml::Value::Table(toml::Table::new());
                }
                let toml::Value::Table(next) = entry else {
                    unreachable!("made a table above")
                };
                cur = next;
            }
            Some(k) => {
                let array = cur
                    .get_mut(*name)
                    .and_then(|v| v.as_array_mut())
                    .ok_or_else(|| format!("`{name}` is not an array in this scenario"))?;
                let len = array.len();
                let el = array.get_mut(*k).ok_or_else(|| {
                    format!("index {k} is out of range: `{name}` has {len} entries")
                })?;
                if last {
                    *el = value;
                    return Ok(());
                }
                cur = el
                    .as_table_mut()
                    .ok_or_else(|| format!("`{name}[{k}]` is not a table"))?;
            }
        }
    }
    Ok(())
}
