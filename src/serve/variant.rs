//! A variant of a baseline from lever values: the changed keys, the
//! validated scenario (through the same checks as a scenario file), the
//! scenario file that reproduces it, and the `regiosim run` command.

use super::levers::{self, LEVERS, Lever, Target};
use crate::scenario::{self, LoadedScenario, Scenario, sha256_hex};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Value;

/// A scenario given on the command line, resolved once at start.
#[derive(Debug)]
pub struct Baseline {
    /// The path as given on the command line.
    pub path: PathBuf,
    pub loaded: LoadedScenario,
    /// The resolved scenario (with `--years` applied) as a table.
    pub table: toml::Table,
    pub unit: Arc<Unit>,
}

/// A scenario to simulate, with the key its replications are cached by.
#[derive(Debug)]
pub struct Unit {
    pub key: String,
    pub scenario: Scenario,
}

/// The cache key of a resolved scenario: its text without the labels
/// (`name`, `description`, `description_nl`), which change no result.
pub fn cache_key(l: &LoadedScenario) -> String {
    let mut t: toml::Table = l.resolved_toml.parse().unwrap_or_default();
    for k in ["name", "description", "description_nl"] {
        t.remove(k);
    }
    sha256_hex(toml::to_string(&t).unwrap_or_default().as_bytes())
}

impl Baseline {
    pub fn new(path: &Path, years: u32) -> Result<Baseline, scenario::ScenarioError> {
        let overrides = [(
            "simulation.years".to_string(),
            Value::Integer(i64::from(years)),
        )];
        let loaded = scenario::load_with(path, &overrides)?;
        let table: toml::Table = loaded.resolved_toml.parse().unwrap_or_default();
        let unit = Arc::new(Unit {
            key: cache_key(&loaded),
            scenario: loaded.scenario.clone(),
        });
        Ok(Baseline {
            path: path.to_path_buf(),
            loaded,
            table,
            unit,
        })
    }

    pub fn name(&self) -> &str {
        &self.loaded.scenario.name
    }

    pub fn start_year(&self) -> i32 {
        self.loaded.scenario.simulation.start_year
    }

    /// The file name of the baseline (for `extends`).
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// One changed lever: the lever and its new value.
#[derive(Debug, Clone)]
pub struct Changed {
    pub lever: &'static Lever,
    pub value: Value,
}

#[derive(Debug)]
pub struct Variant {
    pub changed: Vec<Changed>,
    /// The scenario keys the variant sets on top of the baseline (the
    /// changed keys; labels not included).
    pub overrides: Vec<(String, Value)>,
    pub loaded: LoadedScenario,
    pub unit: Arc<Unit>,
}

/// Builds the variant of `base` that `values` (lever id → JSON value)
/// describe. Levers not named keep the baseline's value. Errors name the
/// lever or key and the problem (the scenario checks' own messages).
pub fn build(
    base: &Baseline,
    values: &serde_json::Map<String, serde_json::Value>,
) -> Result<Variant, String> {
    let mut given: Vec<(&'static Lever, Value)> = Vec::new();
    for (id, v) in values {
        let lever = levers::find(id).ok_or_else(|| {
            let ids: Vec<&str> = LEVERS.iter().map(|l| l.id).collect();
            format!(
                "unknown lever `{id}`{}; the levers are {}",
                scenario::did_you_mean(id, ids.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default(),
                ids.join(", ")
            )
        })?;
        given.push((lever, lever.parse(v)?));
    }
    given.sort_by_key(|(l, _)| LEVERS.iter().position(|m| m.id == l.id));

    let start_year = base.start_year();
    let sim = |k: &str| {
        levers::get(&base.table, &format!("simulation.{k}"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (base_introduced, base_changes) = (sim("introduced"), sim("changes"));
    let timed = |policy: &str| {
        base_introduced.iter().any(|p| p.as_str() == Some(policy))
            || base_changes
                .iter()
                .any(|c| c.get("lever").and_then(Value::as_str) == Some(policy))
    };

    let mut changed = Vec::new();
    let mut overrides = Vec::new();
    let (mut changes, mut introduced) = (Vec::new(), Vec::new());
    for (lever, value) in given {
        let Some(default) = lever.default_value(&base.table) else {
            continue;
        };
        if levers::same(&value, &default) {
            continue;
        }
        match lever.target {
            Target::Key => overrides.push((lever.id.to_string(), value.clone())),
            Target::Change(name) => {
                let mut c = toml::Table::new();
                c.insert("lever".into(), Value::String(name.into()));
                c.insert("year".into(), Value::Integer(i64::from(start_year)));
                c.insert("factor".into(), value.clone());
                changes.push(Value::Table(c));
            }
        }
        if let Some(policy) = lever.introduces
            && lever.is_on(&value)
            && !lever.is_on(&default)
            && !timed(policy)
            && !introduced
                .iter()
                .any(|p: &Value| p.as_str() == Some(policy))
        {
            introduced.push(Value::String(policy.into()));
        }
        changed.push(Changed { lever, value });
    }
    if !introduced.is_empty() {
        let mut all = base_introduced.clone();
        all.extend(introduced);
        overrides.push(("simulation.introduced".into(), Value::Array(all)));
    }
    if !changes.is_empty() {
        let mut all = base_changes.clone();
        all.extend(changes);
        overrides.push(("simulation.changes".into(), Value::Array(all)));
    }

    let mut all = overrides.clone();
    all.extend(labels(base, &changed));
    let loaded = scenario::with_overrides(&base.path, base.table.clone(), Vec::new(), &all)
        .map_err(|e| e.to_string())?;
    let unit = if overrides.is_empty() {
        base.unit.clone()
    } else {
        Arc::new(Unit {
            key: cache_key(&loaded),
            scenario: loaded.scenario.clone(),
        })
    };
    Ok(Variant {
        changed,
        overrides,
        loaded,
        unit,
    })
}

/// The variant's name: the baseline's with `-whatif`.
pub fn variant_name(base: &Baseline) -> String {
    format!("{}-whatif", base.name())
}

/// `name`, `description` and `description_nl` of the variant.
fn labels(base: &Baseline, changed: &[Changed]) -> Vec<(String, Value)> {
    let list = |nl: bool| -> String {
        if changed.is_empty() {
            return if nl { "geen wijziging" } else { "no change" }.into();
        }
        changed
            .iter()
            .map(|c| format!("{} {}", c.lever.id, shown(&c.value)))
            .collect::<Vec<_>>()
            .join(", ")
            .replace(" true", if nl { " aan" } else { " on" })
            .replace(" false", if nl { " uit" } else { " off" })
    };
    vec![
        ("name".into(), Value::String(variant_name(base))),
        (
            "description".into(),
            Value::String(format!("What-if of {}: {}", base.name(), list(false))),
        ),
        (
            "description_nl".into(),
            Value::String(format!("Wat-als van {}: {}", base.name(), list(true))),
        ),
    ]
}

/// Text for a comment line: control characters become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The file name the variant is saved as: the baseline's stem with
/// `-whatif.toml`, made of safe characters only.
pub fn file_name(base: &Baseline) -> String {
    let stem = base
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "{}-whatif.toml",
        if safe.is_empty() { "scenario" } else { &safe }
    )
}

/// The scenario file of the variant: `extends` the baseline (saved next
/// to it), its name and descriptions, and only the changed keys.
pub fn scenario_file(base: &Baseline, v: &Variant, replications: u32, seed: u64) -> String {
    let q = |s: &str| Value::String(s.to_string()).to_string();
    let mut text = format!(
        "# Saved from the regiosim what-if page: {} with the levers below changed.\n\
         # Save it next to {}; reproduce the page with:\n#   {}\n",
        one_line(base.name()),
        one_line(&base.file_name()),
        command(base, v.loaded.scenario.simulation.years, replications, seed)
    );
    text.push_str(&format!("extends = {}\n", q(&base.file_name())));
    for (k, val) in labels(base, &v.changed) {
        text.push_str(&format!("{k} = {val}\n"));
    }
    let mut table = toml::Table::new();
    for (k, val) in &v.overrides {
        let _ = scenario::set_path(&mut table, k, val.clone());
    }
    if !table.is_empty() {
        text.push('\n');
        text.push_str(&toml::to_string(&table).unwrap_or_default());
    }
    text
}

/// The `regiosim run` command that reproduces the page: the baseline, the
/// saved variant next to it, replications, years and seed.
pub fn command(base: &Baseline, years: u32, replications: u32, seed: u64) -> String {
    let variant = base
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.join(file_name(base)))
        .unwrap_or_else(|| PathBuf::from(file_name(base)));
    format!(
        "regiosim run {} {} --replications {replications} --years {years} --seed {seed}",
        shell_quote(&base.path.to_string_lossy()),
        shell_quote(&variant.to_string_lossy())
    )
}

/// A word for a POSIX shell: as it is when it holds only safe characters,
/// else in single quotes.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+,:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_in_the_shown_command_is_one_shell_word() {
        assert_eq!(
            shell_quote("scenarios/nijmegen.toml"),
            "scenarios/nijmegen.toml"
        );
        assert_eq!(
            shell_quote("my files/it's.toml"),
            r"'my files/it'\''s.toml'"
        );
        assert_eq!(shell_quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn the_saved_file_sets_only_the_changed_keys_and_extends_the_baseline() {
        let base = Baseline::new(Path::new("scenarios/test-region.toml"), 2).unwrap();
        let values = serde_json::json!({
            "dsav.enabled": true,
            "wijkteam.mandate": true,
            "second_line_capacity": 1.2,
        });
        let v = build(&base, values.as_object().unwrap()).unwrap();
        // The mandate is the baseline's already: not a change.
        let keys: Vec<&str> = v.overrides.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "dsav.enabled",
                "simulation.introduced",
                "simulation.changes"
            ]
        );
        let text = scenario_file(&base, &v, 10, 1);
        let t: toml::Table = text.parse().unwrap();
        assert_eq!(t["extends"].as_str(), Some("test-region.toml"));
        assert_eq!(t["name"].as_str(), Some("test-region-whatif"));
        assert_eq!(t["dsav"]["enabled"].as_bool(), Some(true));
        assert!(t.get("wijkteam").is_none() && t.get("needs").is_none());
        assert!(text.contains("--replications 10 --years 2 --seed 1"));
    }
}
