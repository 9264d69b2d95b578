//! Reading scenario files: TOML syntax, unknown keys and types per file (with
//! file:line:column), then `extends` chains merged parent-first.

use super::error::{ScenarioError, did_you_mean};
use super::raw::RawScenario;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use toml::Table;

/// The most bytes a scenario or sweep file may have (16 MiB; the largest
/// shipped scenario, all of the Netherlands, is well under 1 MiB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

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

/// Why a file could not be read, in words that follow its name.
fn file_problem(path: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })?;
    if meta.is_dir() {
        return Err("is a folder, not a file".into());
    }
    if !meta.is_file() {
        return Err(format!("is {}, not a regular file", special_kind(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    Ok(())
}

fn too_large(bytes: u64) -> String {
    format!(
        "is {bytes} bytes, more than the {} MiB a scenario or sweep file may have",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &std::fs::Metadata) -> &'static str {
    "a special file"
}

/// Reads a regular file (symlinks followed) of at most [`MAX_FILE_BYTES`]
/// as UTF-8. The file type is checked before it is opened, so a FIFO or a
/// device is refused instead of blocking or reading without end.
fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    file_problem(path)?;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Bytes as UTF-8, or an error at the line and column of the first bad byte.
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ScenarioError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        // The prefix is valid UTF-8 by definition of `valid_up_to`.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, column) = line_col(before, at);
        ScenarioError::Syntax {
            file: path.to_path_buf(),
            line,
            column,
            message: format!(
                "not valid UTF-8 (byte 0x{:02x})\n  fix: save the file as UTF-8",
                bytes[at]
            ),
        }
    })
}

/// Reads a scenario or sweep file named on the command line (`what` says
/// which, for the message).
pub fn read_source(path: &Path, what: &'static str) -> Result<String, ScenarioError> {
    let bytes = read_bytes(path).map_err(|reason| ScenarioError::Unreadable {
        what,
        path: path.to_path_buf(),
        reason,
    })?;
    utf8(path, bytes)
}

/// Reads the file that top-level `key` of `file` (whose text is `text`)
/// names; an error names `file` and the line and column of the value.
pub fn read_referenced(
    file: &Path,
    text: &str,
    key: &'static str,
    target: &Path,
) -> Result<String, ScenarioError> {
    let bytes =
        read_bytes(target).map_err(|reason| reference_error(file, text, key, target, reason))?;
    utf8(target, bytes)
}

/// An error about the file that top-level `key` of `file` names.
fn reference_error(
    file: &Path,
    text: &str,
    key: &'static str,
    target: &Path,
    reason: String,
) -> ScenarioError {
    let (line, column) = locate_in(text, &[(key, None)], true).unwrap_or((0, 0));
    ScenarioError::Reference {
        file: file.to_path_buf(),
        line,
        column,
        setting: format!("{key} = {:?}", top_level_str(text, key).unwrap_or_default()),
        looked_for: std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf()),
        reason,
    }
}

/// Reads `path` and its `extends` chain into one merged table (child keys
/// override parent keys; tables merge, arrays are replaced).
pub fn resolve(path: &Path) -> Result<(Table, Vec<SourceFile>), ScenarioError> {
    let text = read_source(path, "scenario file")?;
    let canonical = path.canonicalize().map_err(|e| ScenarioError::Unreadable {
        what: "scenario file",
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut sources = Vec::new();
    let table = resolve_inner(path, canonical, text, &mut Vec::new(), &mut sources)?;
    Ok((table, sources))
}

fn resolve_inner(
    path: &Path,
    canonical: PathBuf,
    text: String,
    stack: &mut Vec<PathBuf>,
    sources: &mut Vec<SourceFile>,
) -> Result<Table, ScenarioError> {
    let mut table = parse_file(path, &text)?;
    let Some(parent) = table.remove("extends") else {
        sources.push(source_file(path, text));
        return Ok(table);
    };
    // A string: `parse_file` checked the type.
    let parent = parent.as_str().unwrap_or_default();
    let parent_path = path.parent().unwrap_or(Path::new(".")).join(parent);
    let parent_text = read_referenced(path, &text, "extends", &parent_path)?;
    let parent_canonical = parent_path
        .canonicalize()
        .map_err(|e| reference_error(path, &text, "extends", &parent_path, e.to_string()))?;
    stack.push(canonical);
    if stack.contains(&parent_canonical) {
        let mut chain: Vec<String> = stack.iter().map(|p| p.display().to_string()).collect();
        chain.push(parent_canonical.display().to_string());
        let (line, column) = locate_in(&text, &[("extends", None)], true).unwrap_or((0, 0));
        return Err(ScenarioError::Cycle {
            file: path.to_path_buf(),
            line,
            column,
            chain: chain.join(" -> "),
        });
    }
    sources.push(source_file(path, text));
    let mut merged = resolve_inner(&parent_path, parent_canonical, parent_text, stack, sources)?;
    stack.pop();
    // A child's own description is not described by its parent's Dutch
    // one: without a `description_nl` of its own it has none.
    if table.contains_key("description") && !table.contains_key("description_nl") {
        merged.remove("description_nl");
    }
    merge(&mut merged, table);
    Ok(merged)
}

fn source_file(path: &Path, text: String) -> SourceFile {
    SourceFile {
        path: path.to_path_buf(),
        sha256: sha256_hex(text.as_bytes()),
        text,
    }
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
    let table = text
        .parse::<Table>()
        .map_err(|e| syntax_error(path, text, e))?;
    // The document deserializer above does not count array entries; the
    // table's does (a per-level array of five values), so check again and
    // place any error at its key in this file.
    if let Err(e) = serde_path_to_error::deserialize::<_, RawScenario>(table.clone()) {
        let key_path = e.path().to_string();
        let (line, column) = locate_key(text, &key_path).unwrap_or((0, 0));
        return Err(schema_error(
            path,
            line,
            column,
            key_path,
            e.inner().message(),
        ));
    }
    Ok(table)
}

/// Where `key_path` (dotted, as serde_path_to_error writes it) is set in the
/// first of `sources` that sets it: the child of an `extends` chain comes
/// first, so this is the file whose value the merged scenario holds.
pub fn locate(sources: &[SourceFile], key_path: &str) -> Option<(PathBuf, usize, usize)> {
    sources.iter().find_map(|s| {
        locate_key(&s.text, key_path).map(|(line, column)| (s.path.clone(), line, column))
    })
}

/// 1-based line and column of the key at dotted `key_path` in `text`.
pub fn locate_key(text: &str, key_path: &str) -> Option<(usize, usize)> {
    let segs = super::path_segments(key_path).ok()?;
    locate_in(text, &segs, false)
}

/// 1-based line and column of the key (or, with `value`, of the value) at
/// the path `segs` in `text`; an index selects an array entry (its value).
fn locate_in(text: &str, segs: &[(&str, Option<usize>)], value: bool) -> Option<(usize, usize)> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    for (i, (name, index)) in segs.iter().enumerate() {
        let (k, mut v) = table.get_key_value(*name)?;
        let mut span = if value { v.span() } else { k.span() };
        if let Some(index) = index {
            v = v.get_ref().as_array()?.get(*index)?;
            span = v.span();
        }
        if i + 1 == segs.len() {
            return Some(line_col(text, span.start));
        }
        table = v.get_ref().as_table()?;
    }
    None
}

/// The string value of top-level `key` in `text`, if it is one.
fn top_level_str(text: &str, key: &str) -> Option<String> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    doc.get_ref()
        .get(key)
        .and_then(|v| v.get_ref().as_str().map(str::to_string))
}

/// How many entries the array at `key_path` holds in the default scenario:
/// the length of a fixed-size (per-level) array.
fn default_len(key_path: &str) -> Option<usize> {
    let table = toml::Table::try_from(RawScenario::default()).ok()?;
    let segs = super::path_segments(key_path).ok()?;
    let mut cur = &table;
    for (i, (name, index)) in segs.iter().enumerate() {
        let v = cur.get(*name)?;
        if index.is_some() {
            return None;
        }
        if i + 1 == segs.len() {
            return v.as_array().map(Vec::len);
        }
        cur = v.as_table()?;
    }
    None
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
    // serde's words for an array with too many entries name no number.
    if let Some(n) = message
        .strip_prefix("invalid length ")
        .and_then(|m| m.strip_suffix(", expected fewer elements in array"))
    {
        let expected = default_len(&key_path).map_or("fewer".to_string(), |m| format!("{m}"));
        return ScenarioError::Type {
            file: path.to_path_buf(),
            line,
            column,
            path: key_path,
            message: format!("has {n} entries, expected {expected}"),
            suggestion: None,
        };
    }
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
    fn keys_are_located_in_tables_arrays_and_dotted_keys() {
        let text = "name = \"x\"\n[needs]\nonset_level_shares = [1, 2]\n\n[[schools]]\ntype = \"PO\"\n\n[[schools]]\ncount = 3\nwijk.risk = 2\n";
        assert_eq!(locate_key(text, "name"), Some((1, 1)));
        assert_eq!(locate_key(text, "needs.onset_level_shares"), Some((3, 1)));
        assert_eq!(
            locate_key(text, "needs.onset_level_shares[1]"),
            Some((3, 26))
        );
        assert_eq!(locate_key(text, "schools[1].count"), Some((9, 1)));
        assert_eq!(locate_key(text, "schools[1].wijk.risk"), Some((10, 6)));
        assert_eq!(locate_key(text, "schools[2].count"), None);
        assert_eq!(locate_key(text, "needs.missing"), None);
    }

    #[test]
    fn invalid_utf8_is_placed_at_its_first_bad_byte() {
        let err = utf8(Path::new("f.toml"), b"a = 1\nb = \"\xc3\x28\"\n".to_vec()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("f.toml:2:6: not valid UTF-8 (byte 0xc3)"),
            "{err}"
        );
    }

    #[test]
    fn merge_overrides_and_recurses() {
        let mut base: Table = "a = 1\n[t]\nx = 1\ny = 2\n".parse().unwrap();
        let over: Table = "b = 2\n[t]\ny = 3\n".parse().unwrap();
        merge(&mut base, over);
        assert_eq!(base.to_string(), "a = 1\nb = 2\n\n[t]\nx = 1\ny = 3\n");
    }
}
