//! Reading scenario files: TOML syntax, unknown keys and types per file (with
//! file:line:column), then `extends` chains merged parent-first.

use super::error::{ScenarioError, did_you_mean};
use super::raw::RawScenario;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use toml::Table;

/// A file that went into a scenario, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub sha256: String,
    pub text: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `path` and its `extends` chain into one merged table (child keys
/// override parent keys; tables merge, arrays are replaced).
pub fn resolve(path: &Path) -> Result<(Table, Vec<SourceFile>), ScenarioError> {
    let mut sources = Vec::new();
    let table = resolve_inner(path, &mut Vec::new(), &mut sources)?;
    Ok((table, sources))
}

fn resolve_inner(
    path: &Path,
    stack: &mut Vec<PathBuf>,
    sources: &mut Vec<SourceFile>,
) -> Result<Table, ScenarioError> {
    let canonical = path.canonicalize().map_err(|source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if stack.contains(&canonical) {
        let mut chain: Vec<String> = stack.iter().map(|p| p.display().to_string()).collect();
        chain.push(canonical.display().to_string());
        return Err(ScenarioError::Cycle {
            file: path.to_path_buf(),
            chain: chain.join(" -> "),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut table = parse_file(path, &text)?;
    sources.push(SourceFile {
        path: path.to_path_buf(),
        sha256: sha256_hex(text.as_bytes()),
        text,
    });
    let Some(parent) = table.remove("extends") else {
        return Ok(table);
    };
    let parent = parent.as_str().unwrap_or_default();
    let parent_path = path.parent().unwrap_or(Path::new(".")).join(parent);
    stack.push(canonical);
    let mut merged = resolve_inner(&parent_path, stack, sources)?;
    stack.pop();
    // A child's own description is not described by its parent's Dutch
    // one: without a `description_nl` of its own it has none.
    if table.contains_key("description") && !table.contains_key("description_nl") {
        merged.remove("description_nl");
    }
    merge(&mut merged, table);
    Ok(merged)
}

/// Deep merge: `over` wins; nested tables merge key by key.
pub fn merge(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Checks one file's syntax, keys and types against the scenario schema and
/// returns its table.
fn parse_file(path: &Path, text: &str) -> Result<Table, ScenarioError> {
    parse_checked::<RawScenario>(path, text)?;
    text.parse::<Table>()
        .map_err(|e| syntax_error(path, text, e))
}

fn syntax_error(path: &Path, text: &str, e: toml::de::Error) -> ScenarioError {
    let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
    ScenarioError::Syntax {
        file: path.to_path_buf(),
        line,
        column,
        message: e.message().trim().to_string(),
    }
}

/// Parses TOML `text` into `T`, with file:line:column for syntax and type
/// errors and a dotted key path (and suggestion) for unknown keys.
pub fn parse_checked<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, ScenarioError> {
    let de = toml::Deserializer::parse(text).map_err(|e| syntax_error(path, text, e))?;
    serde_path_to_error::deserialize::<_, T>(de).map_err(|err| {
        let key_path = err.path().to_string();
        let inner = err.into_inner();
        let (line, column) = line_col(text, inner.span().map_or(0, |s| s.start));
        schema_error(path, line, column, key_path, inner.message())
    })
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" (and the
/// same for enum variants) into an error with a dotted path and a suggestion.
pub fn schema_error(
    path: &Path,
    line: usize,
    column: usize,
    key_path: String,
    message: &str,
) -> ScenarioError {
    let message = message.trim();
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let key_path = if key_path == "." {
        String::new()
    } else {
        key_path
    };
    if message.starts_with("unknown field ") {
        let key = quoted.first().copied().unwrap_or_default();
        let suggestion = did_you_mean(key, quoted.iter().skip(1).copied());
        let full = if key_path.is_empty() {
            key.to_string()
        } else if key_path.ends_with(key) {
            key_path
        } else {
            format!("{key_path}.{key}")
        };
        return ScenarioError::UnknownKey {
            file: path.to_path_buf(),
            line,
            column,
            path: full,
            suggestion,
        };
    }
    let suggestion = if message.starts_with("unknown variant") {
        quoted
            .first()
            .and_then(|v| did_you_mean(v, quoted.iter().skip(1).copied()))
    } else {
        None
    };
    ScenarioError::Type {
        file: path.to_path_buf(),
        line,
        column,
        path: key_path,
        message: message.to_string(),
        suggestion,
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("a\nbc\nd", 0), (1, 1));
        assert_eq!(line_col("a\nbc\nd", 3), (2, 2));
        assert_eq!(line_col("a\nbc\nd", 5), (3, 1));
    }

    #[test]
    fn merge_overrides_and_recurses() {
        let mut base: Table = "a = 1\n[t]\nx = 1\ny = 2\n".parse().unwrap();
        let over: Table = "b = 2\n[t]\ny = 3\n".parse().unwrap();
        merge(&mut base, over);
        assert_eq!(base.to_string(), "a = 1\nb = 2\n\n[t]\nx = 1\ny = 3\n");
    }
}
