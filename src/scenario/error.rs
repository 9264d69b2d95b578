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
    #[error("{}:{line}:{column}: {message}", file.display())]
    Syntax {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}:{line}:{column}: unknown key `{path}`{}\n  fix: correct or remove the key; docs/SCENARIOS.md lists every key", file.display(), suggestion_text(suggestion))]
    UnknownKey {
        file: PathBuf,
        line: usize,
        column: usize,
        path: String,
        suggestion: Option<String>,
    },
    #[error("{}:{line}:{column}: `{path}`: {message}{}", file.display(), suggestion_text(suggestion))]
    Type {
        file: PathBuf,
        line: usize,
        column: usize,
        path: String,
        message: String,
        suggestion: Option<String>,
    },
    #[error("{}: `extends` forms a cycle: {chain}\n  fix: remove one of the `extends` keys in that chain", file.display())]
    Cycle { file: PathBuf, chain: String },
    #[error("{}: {} problem{} in the scenario:\n{}", file.display(), problems.len(), if problems.len() == 1 { "" } else { "s" }, list(problems))]
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },
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
}
