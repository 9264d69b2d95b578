//! The CSV dialect of CBS StatLine downloads (and of regiosim's own state
//! CSVs): `;` or `,` separated (detected from the header line), quoted
//! fields, a UTF-8 BOM, Dutch decimal commas, values padded with spaces,
//! suppressed cells (`.`, `x`, `-`, empty: unknown, not zero), periods as
//! codes (`2024JJ00`, `2024HJ01`) or labels (`2024`, `2024 1e halfjaar`)
//! with `*` for preliminary figures, and a `Status` column
//! (`Definitief`, `Voorlopig`, `Nader voorlopig`).

use super::error::{StateError, StateProblem};
use std::fmt;
use std::path::{Path, PathBuf};

/// Larger state files are refused (a gemeente's tables are kilobytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One field of a line with its 1-based character column.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub text: String,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line number in the file.
    pub line: usize,
    pub fields: Vec<Field>,
}

/// A parsed CSV file: its header and rows, comment (`#`) and blank lines
/// skipped.
#[derive(Debug, Clone)]
pub struct Table {
    pub path: PathBuf,
    pub delimiter: char,
    pub header: Vec<Field>,
    pub header_line: usize,
    pub rows: Vec<Row>,
}

impl Table {
    /// The index of the first column whose header matches one of
    /// `aliases` (compared by [`normalize`]).
    pub fn column(&self, aliases: &[&str]) -> Option<usize> {
        let wanted: Vec<String> = aliases.iter().map(|a| normalize(a)).collect();
        self.header
            .iter()
            .position(|h| wanted.contains(&normalize(&h.text)))
    }

    /// The header text of column `i`.
    pub fn name(&self, i: usize) -> &str {
        self.header.get(i).map_or("", |h| h.text.trim())
    }

    /// Where field `col` of `row` is.
    pub fn place(&self, row: &Row, col: usize) -> super::Place {
        super::Place {
            file: self.path.clone(),
            line: row.line,
            column: row.fields.get(col).map_or(1, |f| f.column),
        }
    }

    /// A problem at field `col` of `row`.
    pub fn at(&self, row: &Row, col: usize, message: String, fix: &str) -> StateProblem {
        let p = self.place(row, col);
        StateProblem {
            file: p.file,
            line: p.line,
            column: p.column,
            message,
            fix: fix.to_string(),
        }
    }

    /// A problem of the header line (a missing column, say).
    pub fn at_header(&self, message: String, fix: &str) -> StateProblem {
        StateProblem {
            file: self.path.clone(),
            line: self.header_line,
            column: 1,
            message,
            fix: fix.to_string(),
        }
    }

    /// The trimmed text of field `col` of `row`.
    pub fn text<'a>(&self, row: &'a Row, col: usize) -> &'a str {
        row.fields.get(col).map_or("", |f| f.text.trim())
    }

    /// True when a `;` file: a `,` in a number is then a decimal comma.
    pub fn decimal_comma(&self) -> bool {
        self.delimiter == ';'
    }
}

/// Reads and parses `path`. A missing file is an `Io` error; the caller
/// decides whether the table is required.
pub fn read(path: &Path) -> Result<Table, StateError> {
    let meta = std::fs::metadata(path).map_err(|source| StateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let whole = |message: String, fix: &str| StateError::Invalid {
        problems: vec![StateProblem {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message,
            fix: fix.to_string(),
        }],
    };
    if !meta.is_file() {
        return Err(whole("is not a regular file".into(), "name a CSV file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(whole(
            format!(
                "is {} bytes, more than the {MAX_FILE_BYTES} a state file may have",
                meta.len()
            ),
            "keep only the rows of the scenario's gemeenten",
        ));
    }
    let bytes = std::fs::read(path).map_err(|source| StateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // CBS's older exports are Windows-1252; say so and where.
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = String::from_utf8_lossy(valid)
                .rsplit('\n')
                .next()
                .map_or(1, |l| l.chars().count() + 1);
            return Err(StateError::Invalid {
                problems: vec![StateProblem {
                    file: path.to_path_buf(),
                    line,
                    column,
                    message: "is not UTF-8 text".into(),
                    fix: "save the file as UTF-8 (CBS StatLine's CSV download is; an export from Excel may be Windows-1252: choose \"CSV UTF-8\")".into(),
                }],
            });
        }
    };
    parse(path, &text).map_err(|problems| StateError::Invalid { problems })
}

/// Parses CSV text (see the module docs for the dialect).
pub fn parse(path: &Path, text: &str) -> Result<Table, Vec<StateProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let problem = |line: usize, column: usize, message: String, fix: &str| StateProblem {
        file: path.to_path_buf(),
        line,
        column,
        message,
        fix: fix.to_string(),
    };
    let Some((header_line, header_text)) = lines.next() else {
        return Err(vec![problem(
            0,
            0,
            "is empty: it has no header line".into(),
            "write the header line and one row per gemeente (docs/STATE.md lists the columns)",
        )]);
    };
    let delimiter = detect_delimiter(header_text);
    let mut problems = Vec::new();
    let header = split(header_text, delimiter).map_err(|c| {
        vec![problem(
            header_line,
            c,
            "has an unclosed quote".into(),
            "close the quoted field with `\"`",
        )]
    })?;
    let mut rows = Vec::new();
    for (line, l) in lines {
        match split(l, delimiter) {
            Ok(fields) if fields.len() == header.len() => rows.push(Row { line, fields }),
            Ok(fields) => {
                let column = fields
                    .get(header.len())
                    .or(fields.last())
                    .map_or(1, |f| f.column);
                problems.push(problem(
                    line,
                    column,
                    format!(
                        "has {} fields, the header has {} (separator `{delimiter}`)",
                        fields.len(),
                        header.len()
                    ),
                    "give every row one value per header column; quote a value that holds the separator",
                ));
            }
            Err(c) => problems.push(problem(
                line,
                c,
                "has an unclosed quote".into(),
                "close the quoted field with `\"`",
            )),
        }
        if problems.len() >= 20 {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Table {
        path: path.to_path_buf(),
        delimiter,
        header,
        header_line,
        rows,
    })
}

/// `;` when the header line has one outside quotes (CBS's default), else
/// `,` when it has one, else a tab.
fn detect_delimiter(header: &str) -> char {
    let (mut semi, mut comma, mut tab, mut quoted) = (0, 0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semi += 1,
            ',' if !quoted => comma += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > 0 {
        ';'
    } else if comma > 0 || tab == 0 {
        ','
    } else {
        '\t'
    }
}

/// Splits one line into fields; `Err(column)` of an unclosed quote.
fn split(line: &str, delimiter: char) -> Result<Vec<Field>, usize> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut start = 1;
    let mut chars = line.chars().enumerate().peekable();
    let mut quoted = false;
    let mut quote_at = 0;
    while let Some((i, c)) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek().is_some_and(|(_, n)| *n == '"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.trim().is_empty() {
            cur.clear();
            quoted = true;
            quote_at = i + 1;
        } else if c == delimiter {
            fields.push(Field {
                text: std::mem::take(&mut cur),
                column: start,
            });
            start = i + 2;
        } else {
            cur.push(c);
        }
    }
    if quoted {
        return Err(quote_at);
    }
    fields.push(Field {
        text: cur,
        column: start,
    });
    Ok(fields)
}

/// A header or label for comparison: lower case, accents dropped, an
/// OData key's `_12` suffix dropped, only letters, digits and `%` kept.
pub fn normalize(s: &str) -> String {
    let s = s.trim();
    let s = match s.rfind('_') {
        Some(i) if i + 1 < s.len() && s[i + 1..].chars().all(|c| c.is_ascii_digit()) => &s[..i],
        _ => s,
    };
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'ä' | 'â' => 'a',
            'è' | 'é' | 'ë' | 'ê' => 'e',
            'ì' | 'í' | 'ï' | 'î' => 'i',
            'ò' | 'ó' | 'ö' | 'ô' => 'o',
            'ù' | 'ú' | 'ü' | 'û' => 'u',
            c => c,
        })
        .filter(|c| c.is_alphanumeric() || *c == '%')
        .collect()
}

/// True for a cell CBS leaves without a figure: `.` (unknown or
/// suppressed), `x` (secret), `-`/`–` and an empty cell.
pub fn is_suppressed(text: &str) -> bool {
    matches!(text.trim(), "" | "." | "x" | "X" | "-" | "–" | "—")
}

/// A count: a whole number of at least 0, or `None` for a suppressed cell.
pub fn parse_count(text: &str, decimal_comma: bool) -> Result<Option<u64>, String> {
    let t = text.trim();
    if is_suppressed(t) {
        return Ok(None);
    }
    let x = parse_number(t, decimal_comma)?;
    if x < 0.0 {
        return Err(format!("is `{t}`: a count cannot be negative"));
    }
    if x.fract() != 0.0 {
        return Err(format!("is `{t}`: a count is a whole number"));
    }
    if x > 1e12 {
        return Err(format!("is `{t}`: more than any gemeente can count"));
    }
    Ok(Some(x as u64))
}

/// A number (a share, a mean duration), or `None` for a suppressed cell.
pub fn parse_decimal(text: &str, decimal_comma: bool) -> Result<Option<f64>, String> {
    let t = text.trim();
    if is_suppressed(t) {
        return Ok(None);
    }
    parse_number(t, decimal_comma).map(Some)
}

fn parse_number(t: &str, decimal_comma: bool) -> Result<f64, String> {
    let bad = || {
        if decimal_comma {
            format!("is `{t}`, not a number (write 1234 or 12,5; no thousands separators)")
        } else {
            format!("is `{t}`, not a number (write 1234 or 12.5; no thousands separators)")
        }
    };
    let s = if decimal_comma {
        t.replacen(',', ".", 1)
    } else {
        t.to_string()
    };
    if s.contains(',') || s.matches('.').count() > 1 || s.contains(['e', 'E', ' ']) {
        return Err(bad());
    }
    // A `.` in a count of a `;` file would be a Dutch thousands separator.
    if decimal_comma
        && t.contains('.')
        && !t.contains(',')
        && t.split('.').nth(1).is_some_and(|d| d.len() == 3)
    {
        return Err(bad());
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(bad()),
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The part of a year a CBS period covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// First (1) or second (2) half year.
    Half(u8),
    Year,
}

/// A CBS reporting period and whether its figures are preliminary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub part: Part,
    pub preliminary: bool,
}

impl Period {
    /// The CBS code, `2024JJ00` or `2024HJ01`.
    pub fn code(&self) -> String {
        match self.part {
            Part::Year => format!("{}JJ00", self.year),
            Part::Half(h) => format!("{}HJ{h:02}", self.year),
        }
    }

    /// The day after the period: the reference date of a stock counted
    /// at its end (2024JJ00 → 2025-01-01, 2024HJ01 → 2024-07-01).
    pub fn day_after(&self) -> Date {
        match self.part {
            Part::Half(1) => Date {
                year: self.year,
                month: 7,
                day: 1,
            },
            _ => Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            },
        }
    }

    /// Months covered (12 or 6).
    pub fn months(&self) -> u32 {
        match self.part {
            Part::Year => 12,
            Part::Half(_) => 6,
        }
    }

    /// Ordering key: later periods sort higher (a year after its halves).
    pub fn key(&self) -> (i32, u8) {
        match self.part {
            Part::Half(h) => (self.year, h),
            Part::Year => (self.year, 3),
        }
    }
}

/// Parses a period code or label; a trailing `*` or `voorlopig` marks it
/// preliminary.
pub fn parse_period(text: &str) -> Result<Period, String> {
    let t = text.trim();
    let mut s = t.to_lowercase();
    let mut preliminary = false;
    for mark in [
        "*",
        "(nader voorlopig)",
        "nader voorlopig",
        "(voorlopig)",
        "voorlopig",
    ] {
        if let Some(rest) = s.trim_end().strip_suffix(mark) {
            s = rest.trim_end().to_string();
            preliminary = true;
        }
    }
    let s = s.trim();
    let bad = || {
        format!(
            "is `{t}`, not a CBS period (write 2024JJ00 or 2024 for a year, 2024HJ01 or `2024 1e halfjaar` for a half year; `*` after it for a preliminary figure)"
        )
    };
    let year_of = |y: &str| -> Result<i32, String> {
        if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) {
            y.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    if s.len() == 8 && s.is_char_boundary(4) {
        let (y, rest) = s.split_at(4);
        let part = match rest {
            "jj00" => Part::Year,
            "hj01" => Part::Half(1),
            "hj02" => Part::Half(2),
            _ => return Err(bad()),
        };
        return Ok(Period {
            year: year_of(y)?,
            part,
            preliminary,
        });
    }
    let mut words = s.split_whitespace();
    let year = year_of(words.next().unwrap_or(""))?;
    let rest: Vec<&str> = words.collect();
    let part = match rest.as_slice() {
        [] => Part::Year,
        ["1e" | "eerste", "halfjaar"] => Part::Half(1),
        ["2e" | "tweede", "halfjaar"] => Part::Half(2),
        _ => return Err(bad()),
    };
    Ok(Period {
        year,
        part,
        preliminary,
    })
}

/// Reads a `Status` cell: `Some(true)` preliminary, `Some(false)` final,
/// `None` empty (the period says).
pub fn parse_status(text: &str) -> Result<Option<bool>, String> {
    match normalize(text).as_str() {
        "" => Ok(None),
        "definitief" | "final" => Ok(Some(false)),
        "voorlopig" | "nadervoorlopig" | "preliminary" => Ok(Some(true)),
        _ => Err(format!(
            "is `{}`, not a CBS status (Definitief, Voorlopig or Nader voorlopig)",
            text.trim()
        )),
    }
}

/// A CBS gemeente code `GM0268` (4 digits), upper case, or `None`.
pub fn gemeente_code(text: &str) -> Option<String> {
    let t = text.trim().to_uppercase();
    (t.len() == 6 && t.starts_with("GM") && t[2..].chars().all(|c| c.is_ascii_digit())).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        parse(Path::new("t.csv"), text).unwrap()
    }

    #[test]
    fn a_cbs_download_with_bom_semicolons_and_quotes_is_read() {
        let t = table(
            "\u{feff}\"RegioS\";\"Perioden\";\"Lopende trajecten\"\r\n\"GM0268  \";\"2024JJ00*\";\"2245\"\r\n",
        );
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.name(0), "RegioS");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.text(&t.rows[0], 0), "GM0268");
        assert_eq!(
            gemeente_code(t.text(&t.rows[0], 0)).as_deref(),
            Some("GM0268")
        );
        assert_eq!(t.rows[0].fields[2].column, 24);
    }

    #[test]
    fn the_separator_is_detected_from_the_header() {
        let t = table("gemeente,queue,waiting\n\"Nijmegen\",\"a;b\",3\n");
        assert_eq!(t.delimiter, ',');
        assert_eq!(t.text(&t.rows[0], 1), "a;b");
        let t = table("# comment\nA;B,C\n1;2,5\n");
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.header_line, 2);
        assert_eq!(
            parse_decimal(t.text(&t.rows[0], 1), t.decimal_comma()).unwrap(),
            Some(2.5)
        );
    }

    #[test]
    fn a_row_with_a_missing_field_names_its_line_and_column() {
        let e = parse(Path::new("t.csv"), "A;B;C\n1;2;3\n4;5\n").unwrap_err();
        assert_eq!((e[0].line, e[0].column), (3, 3));
        let e = parse(Path::new("t.csv"), "A;B\n1;\"2\n").unwrap_err();
        assert_eq!((e[0].line, e[0].column), (2, 3));
        assert!(e[0].message.contains("unclosed quote"));
    }

    #[test]
    fn suppressed_cells_are_unknown_not_zero() {
        for t in [".", " . ", "", "x", "-"] {
            assert_eq!(parse_count(t, true).unwrap(), None, "{t:?}");
        }
        assert_eq!(parse_count("0", true).unwrap(), Some(0));
        assert_eq!(parse_count(" 1235 ", true).unwrap(), Some(1235));
        assert!(parse_count("-5", true).unwrap_err().contains("negative"));
        assert!(
            parse_count("12,5", true)
                .unwrap_err()
                .contains("whole number")
        );
        assert!(
            parse_count("1.234", true).is_err(),
            "a Dutch thousands separator"
        );
        assert!(parse_count("veel", true).is_err());
    }

    #[test]
    fn a_decimal_comma_is_read_in_semicolon_files_only() {
        assert_eq!(parse_decimal("13,5", true).unwrap(), Some(13.5));
        assert_eq!(parse_decimal("13.5", true).unwrap(), Some(13.5));
        assert_eq!(parse_decimal("13.5", false).unwrap(), Some(13.5));
        assert!(parse_decimal("13,5", false).is_err());
        assert!(parse_decimal("1,2,3", true).is_err());
    }

    #[test]
    fn preliminary_periods_are_recognised_in_codes_labels_and_status() {
        let p = parse_period("2024JJ00*").unwrap();
        assert_eq!((p.year, p.part, p.preliminary), (2024, Part::Year, true));
        assert_eq!(p.day_after().to_string(), "2025-01-01");
        let p = parse_period("2024HJ01").unwrap();
        assert_eq!((p.part, p.preliminary), (Part::Half(1), false));
        assert_eq!(p.day_after().to_string(), "2024-07-01");
        assert_eq!(p.code(), "2024HJ01");
        let p = parse_period("2023 2e halfjaar*").unwrap();
        assert_eq!((p.year, p.part, p.preliminary), (2023, Part::Half(2), true));
        assert!(parse_period("2024 (voorlopig)").unwrap().preliminary);
        assert!(!parse_period(" 2022 ").unwrap().preliminary);
        assert!(parse_period("2024KW01").is_err());
        assert!(parse_period("24JJ00").is_err());
        assert_eq!(parse_status("Voorlopig").unwrap(), Some(true));
        assert_eq!(parse_status("Nader voorlopig").unwrap(), Some(true));
        assert_eq!(parse_status("Definitief").unwrap(), Some(false));
        assert_eq!(parse_status("").unwrap(), None);
        assert!(parse_status("Geschat").is_err());
    }

    #[test]
    fn headers_match_cbs_labels_and_odata_keys() {
        assert_eq!(
            normalize("Beëindigde trajecten"),
            normalize("BeeindigdeTrajecten_3")
        );
        assert_eq!(normalize("Regio's"), "regios");
        assert_eq!(normalize("RegioS"), "regios");
    }
}
