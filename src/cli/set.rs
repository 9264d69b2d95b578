//! `--set KEY=VALUE`: a value at a dotted scenario key, set in every
//! scenario given (for `sweep`: in its base, hence in every variant) before
//! validation, so it is checked like a value in the file and the resolved
//! scenarios in the manifest carry it.

use super::InputError;
use crate::scenario::{self, LoadedScenario, ScenarioError, path_segments};

/// One `--set KEY=VALUE` as given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub key: String,
    pub value: toml::Value,
    /// The argument as written (`KEY=VALUE`), for the manifest's command line.
    pub text: String,
}

/// Parses `KEY=VALUE`. The value is read as a TOML value (`4`, `0.25`,
/// `true`, `"text"`, `[0.1, 0.2]`); a bare word that is no TOML value
/// (`netwerk`) is taken as a string.
pub fn parse_setting(s: &str) -> Result<Setting, String> {
    let (key, raw) = s
        .split_once('=')
        .ok_or("expected KEY=VALUE, for example dsav.hours_per_school_week=4")?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("`{s}` has no key before `=`"));
    }
    path_segments(key)?;
    Ok(Setting {
        key: key.to_string(),
        value: toml_value(raw.trim()),
        text: s.to_string(),
    })
}

/// `raw` as one TOML value, or as a string when it is none.
fn toml_value(raw: &str) -> toml::Value {
    // A value on its own line: a newline in `raw` cannot add other keys
    // (the table then has more than one entry and the text is a string).
    let doc = format!("v = {raw}");
    match doc.parse::<toml::Table>() {
        Ok(t) if t.len() == 1 && !raw.is_empty() => {
            t.get("v").cloned().unwrap_or_else(|| raw.into())
        }
        _ => toml::Value::String(raw.to_string()),
    }
}

/// Refuses a key given twice, and `--set simulation.years` with `--years`.
/// Also refuses a key the scenario registry does not declare.
pub fn check(years: Option<u32>, settings: &[Setting]) -> Result<(), InputError> {
    for (i, s) in settings.iter().enumerate() {
        scenario::registry::check_key(&s.key)
            .map_err(|m| InputError(format!("--set {}: {m}", s.text)))?;
        let other = if s.key == "simulation.years" && years.is_some() {
            "--years sets it too; give one of them"
        } else if settings[..i].iter().any(|o| o.key == s.key) {
            "give it once"
        } else {
            continue;
        };
        return Err(InputError(format!(
            "--set {}: `{}` is set twice; {other}",
            s.text, s.key
        )));
    }
    Ok(())
}

/// The scenario with each setting applied to its resolved form (extends
/// merged, defaults filled, so `huisarts.referral_prob[1]` works where the
/// file leaves the array at its default), validated again. Unchanged
/// without settings.
pub fn apply(l: LoadedScenario, settings: &[Setting]) -> anyhow::Result<LoadedScenario> {
    if settings.is_empty() {
        return Ok(l);
    }
    let path = l
        .sources
        .first()
        .map(|s| s.path.clone())
        .unwrap_or_default();
    let table: toml::Table = l.resolved_toml.parse().map_err(|e| {
        anyhow::anyhow!(
            "the resolved scenario {} does not parse: {e}",
            path.display()
        )
    })?;
    let overrides: Vec<(String, toml::Value)> = settings
        .iter()
        .map(|s| (s.key.clone(), s.value.clone()))
        .collect();
    scenario::with_overrides(&path, table, l.sources, &overrides)
        .map_err(|e| name_setting(e, settings))
}

/// The scenario error, prefixed with the `--set` whose key it is about (a
/// key set from the command line has no place in any file).
pub fn name_setting(e: ScenarioError, settings: &[Setting]) -> anyhow::Error {
    let keys: Vec<&str> = match &e {
        ScenarioError::UnknownKey { path, .. } | ScenarioError::Type { path, .. } => {
            vec![path.as_str()]
        }
        ScenarioError::Invalid { problems, .. } => {
            problems.iter().map(|p| p.path.as_str()).collect()
        }
        _ => Vec::new(),
    };
    let about = |s: &&Setting| {
        keys.iter().any(|k| {
            *k == s.key
                || k.strip_prefix(s.key.as_str())
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    };
    match settings.iter().find(about) {
        Some(s) => anyhow::Error::new(e).context(format!("--set {}", s.text)),
        None => e.into(),
    }
}

/// `--set KEY=VALUE` for each setting, for the manifest's command line.
pub fn command_line(settings: &[Setting]) -> Vec<String> {
    settings
        .iter()
        .flat_map(|s| ["--set".to_string(), s.text.clone()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_values_are_read_as_toml_and_bare_words_as_strings() {
        let v = |s: &str| parse_setting(s).unwrap().value;
        assert_eq!(v("dsav.hours_per_school_week=4"), toml::Value::Integer(4));
        assert_eq!(v("a.b=0.25"), toml::Value::Float(0.25));
        assert_eq!(v("a=true"), toml::Value::Boolean(true));
        assert_eq!(v("collaboration.model=netwerk"), "netwerk".into());
        assert_eq!(v("name=\"x y\""), "x y".into());
        assert_eq!(v("name="), "".into());
        assert_eq!(
            v("a=[0.1, 0.2]"),
            toml::Value::Array(vec![0.1.into(), 0.2.into()])
        );
        // A newline cannot smuggle in another key.
        assert_eq!(v("a=1\nname = 'x'"), "1\nname = 'x'".into());
        let s = parse_setting(" huisarts.referral_prob[1] = 0.3").unwrap();
        assert_eq!(s.key, "huisarts.referral_prob[1]");
        assert!(parse_setting("novalue").is_err());
        assert!(parse_setting("=3").is_err());
        assert!(parse_setting("a..b=3").is_err());
    }

    #[test]
    fn a_key_set_twice_or_with_years_is_refused() {
        let s = |t: &str| parse_setting(t).unwrap();
        assert!(
            check(
                None,
                &[s("needs.family_risk_sd=1"), s("needs.family_risk_sd=2")]
            )
            .is_err()
        );
        assert!(check(Some(2), &[s("simulation.years=3")]).is_err());
        assert!(check(None, &[s("simulation.years=3")]).is_ok());
        assert!(
            check(
                Some(2),
                &[s("needs.family_risk_sd=1"), s("dsav.cases_per_hour=1")]
            )
            .is_ok()
        );
        // A key the registry does not declare.
        assert!(check(None, &[s("needs.no_such_key=1")]).is_err());
    }
}
