//! Text cells of the CSV tables, safe to open in a spreadsheet.
//!
//! Spreadsheets (Excel, LibreOffice) evaluate a cell that starts with `=`,
//! `+`, `-` or `@` as a formula, and TAB or CR can hide one (CSV injection,
//! OWASP). A scenario, gemeente or variant name comes from a user's file, so
//! every text cell goes through [`text_cell`]: a text that starts with one of
//! those characters, or with `'`, gets a leading `'` (OWASP's advice), which
//! spreadsheets show as text. Numbers are never changed. [`read_text_cell`]
//! undoes it exactly, so the report shows the name as it was written.

use std::borrow::Cow;

fn needs_quote(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
    ) && s.parse::<f64>().is_err()
}

/// A user's text as written in a CSV cell.
pub fn text_cell(s: &str) -> Cow<'_, str> {
    if needs_quote(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The text a CSV cell written by [`text_cell`] came from.
pub fn read_text_cell(s: &str) -> &str {
    s.strip_prefix('\'').unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_read_back_exactly() {
        for s in [
            "=HYPERLINK(\"http://x\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'quoted",
            "''",
            "Nijmegen",
            "-5",
            "1e3",
            "",
        ] {
            let w = text_cell(s);
            let first = w.as_bytes().first().copied();
            let dangerous = matches!(first, Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
            assert!(!dangerous || w.parse::<f64>().is_ok(), "{s:?} -> {w:?}");
            assert_eq!(read_text_cell(&w), s);
        }
        assert_eq!(text_cell("-5"), "-5");
        assert_eq!(text_cell("=1"), "'=1");
    }
}
