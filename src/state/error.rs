//! State-file errors: each names the file, line and column, the problem
//! and the fix. They are the user's input, so the CLI exits with code 2.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in a state file. `line` and `column` are 1-based; `line`
/// 0 is a problem of the whole file or folder (no place printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateProblem {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for StateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            at(&self.file, self.line, self.column),
            self.message
        )?;
        if !self.fix.is_empty() {
            write!(f, "\n    fix: {}", self.fix)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    #[error("cannot read state file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", invalid_text(problems))]
    Invalid { problems: Vec<StateProblem> },
}

impl StateError {
    pub fn problems(&self) -> &[StateProblem] {
        match self {
            StateError::Invalid { problems } => problems,
            StateError::Io { .. } => &[],
        }
    }
}

/// `file:line:column`, or only `file` where the place is unknown (line 0).
fn at(file: &Path, line: usize, column: usize) -> String {
    if line == 0 {
        file.display().to_string()
    } else {
        format!("{}:{line}:{column}", file.display())
    }
}

fn invalid_text(problems: &[StateProblem]) -> String {
    match problems {
        [] => "the observed state is not valid".to_string(),
        [one] => one.to_string(),
        many => format!(
            "{} problems in the observed state:\n{}",
            many.len(),
            many.iter()
                .map(|p| format!("  - {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_problem_names_file_line_column_and_fix() {
        let p = StateProblem {
            file: "s/jeugdhulp-vorm.csv".into(),
            line: 4,
            column: 17,
            message: "`Lopende trajecten` is `-12`: a count cannot be negative".into(),
            fix: "write the count, or `.` where it is unknown".into(),
        };
        let e = StateError::Invalid { problems: vec![p] };
        assert_eq!(
            e.to_string(),
            "s/jeugdhulp-vorm.csv:4:17: `Lopende trajecten` is `-12`: a count cannot be negative\n    fix: write the count, or `.` where it is unknown"
        );
    }
}
