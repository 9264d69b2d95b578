//! Scenario errors: each names the file, the place and the fix. Every one of
//! them is the user's input, never a bug, so the CLI exits with code 2.

use std::fmt;
use std::path::PathBuf;

/// One semantic problem in a scenario, with the dotted path of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    #[error("cannot read scenario file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file named on the command line that is missing, not a regular
    /// file, too large or unreadable (`what`: "scenario file", "sweep file").
    #[error("cannot read {what} {}: {reason}", path.display())]
    Unreadable {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    /// The file a key (`extends`, a sweep's `base`) names cannot be read;
    /// the place is that of the value in `file`.
    #[error("{}: {setting}: {reason} (looked for {})\n  fix: correct the path; it is relative to the folder of {}", at(file, *line, *column), looked_for.display(), file.display())]
    Reference {
        file: PathBuf,
        line: usize,
        column: usize,
        /// The key and value as written: `extends = "b.toml"`.
        setting: String,
        looked_for: PathBuf,
        reason: String,
    },
    #[error("{}: {message}", at(file, *line, *column))]
    Syntax {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: unknown key `{path}`{}\n  fix: correct or remove the key; docs/SCENARIOS.md lists every key", at(file, *line, *column), suggestion_text(suggestion))]
    UnknownKey {
        file: PathBuf,
        line: usize,
        column: usize,
        path: String,
        suggestion: Option<String>,
    },
    #[error("{}: {}{message}{}", at(file, *line, *column), key_text(path), suggestion_text(suggestion))]
    Type {
        file: PathBuf,
        line: usize,
        column: usize,
        path: String,
        message: String,
        suggestion: Option<String>,
    },
    #[error("{}: `extends` forms a cycle: {chain}\n  fix: remove one of the `extends` keys in that chain", at(file, *line, *column))]
    Cycle {
        file: PathBuf,
        line: usize,
        column: usize,
        chain: String,
    },
    #[error("{}", invalid_text(file, problems))]
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },
}

/// `file:line:column`, or only `file` where the place is unknown (line 0).
fn at(file: &std::path::Path, line: usize, column: usize) -> String {
    if line == 0 {
        file.display().to_string()
    } else {
        format!("{}:{line}:{column}", file.display())
    }
}

/// The problems with their count; never "0 problems".
fn invalid_text(file: &std::path::Path, problems: &[Problem]) -> String {
    match problems.len() {
        0 => format!("{}: the scenario is not valid", file.display()),
        1 => format!(
            "{}: 1 problem in the scenario:\n{}",
            file.display(),
            list(problems)
        ),
        n => format!(
            "{}: {n} problems in the scenario:\n{}",
            file.display(),
            list(problems)
        ),
    }
}

/// "`key`: " before a message, or nothing for an error of the whole file.
fn key_text(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("`{path}`: ")
    }
}

fn suggestion_text(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The closest candidate to `word` by edit distance, if it is close enough
/// to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["wijkteam", "huisarts", "second_line"];
        assert_eq!(did_you_mean("wijkteem", keys), Some("wijkteam".into()));
        assert_eq!(
            did_you_mean("second-line", keys),
            Some("second_line".into())
        );
        assert_eq!(did_you_mean("budget", keys), None);
    }

    #[test]
    fn an_empty_problem_list_never_prints_a_zero_count() {
        let e = ScenarioError::Invalid {
            file: "s.toml".into(),
            problems: Vec::new(),
        };
        let text = e.to_string();
        assert!(!text.contains('0'), "{text}");
        assert_eq!(text, "s.toml: the scenario is not valid");
    }

    #[test]
    fn an_unknown_place_prints_no_zero_line_or_column() {
        let e = ScenarioError::Type {
            file: "s.toml".into(),
            line: 0,
            column: 0,
            path: "needs.onset_level_shares".into(),
            message: "has 5 entries, expected 4".into(),
            suggestion: None,
        };
        assert_eq!(
            e.to_string(),
            "s.toml: `needs.onset_level_shares`: has 5 entries, expected 4"
        );
    }
}
