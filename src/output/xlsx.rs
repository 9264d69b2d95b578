//! The Excel workbook of a finished run (`regiosim export DIR --xlsx`,
//! `run --xlsx`): a "Lees mij" sheet, then one sheet per CSV table the
//! folder keeps. Numbers are number cells (Dutch Excel shows `0,107`, and
//! never reads it as 107,000 as its CSV import does), text is text (never a
//! formula), empty cells stay empty. Each sheet's header row is bold and
//! frozen, with an autofilter over the table and the unit in the header
//! (`wait_assessment_days_mean [dagen]`) or, for tables with a `metric`
//! column, in a `unit` column after it. Tables with an `area` column get an
//! `area_kind` column (region or gemeente); `sensitivity` has its interval
//! bounds as `low` and `high` columns. The CSV files stay as they are: the
//! workbook is a view of them, read back from the folder.

use super::typed::{
    Cell, Folder, Table, column_unit, metric_unit, tidy_sensitivity, with_area_kind,
};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Rows a sheet holds (Excel's limit), the header included; a longer
/// table continues on sheets `name (2)`, `name (3)`, ...
pub const SHEET_ROWS: usize = 1_048_576;

/// The sheets in workbook order, with what each holds (in Dutch).
const SHEETS: [(&str, &str); 13] = [
    (
        "runs.csv",
        "Elke replicatie: per scenario, replicatie, jaar en gebied (regio en elke gemeente) alle uitkomstmaten.",
    ),
    (
        "summary.csv",
        "Gemiddelde, standaardafwijking en 95%-betrouwbaarheidsinterval over de replicaties, per scenario, jaar, gebied en uitkomstmaat.",
    ),
    (
        "comparison.csv",
        "Verschil van elk scenario met het eerste (de basis), gepaard per replicatie, met 95%-interval en relatief verschil.",
    ),
    (
        "horizon.csv",
        "Verschil met de basis opgeteld over de uitvoerjaren (de hele horizon), met 95%-interval.",
    ),
    (
        "cost_effectiveness.csv",
        "Kosten per vermeden uitkomst (bijv. verwijzing naar de tweede lijn) tegenover de basis, per perspectief, met Fieller-interval en lezing.",
    ),
    (
        "by_school_type.csv",
        "Per schooltype: leerlingen en het aandeel met jeugdhulp en met tweedelijnszorg, per replicatie en jaar.",
    ),
    (
        "timeseries.csv",
        "Wachtrijen aan het eind van elke maand (wijkteam-intake, beoordeling, behandeling), per replicatie.",
    ),
    (
        "variants.csv",
        "Sweep: de waarden van de gevarieerde parameters per variant (variant 0 is de basis).",
    ),
    (
        "sensitivity.csv",
        "Sweep (Morris of Sobol'): gevoeligheidsindices per uitkomstmaat en parameter; de intervalgrenzen staan in de kolommen low en high.",
    ),
    (
        "posterior_draws.csv",
        "Run over een posterior (kalibratie): per replicatie de trekking uit de posterior en de waarden van de gekalibreerde parameters.",
    ),
    (
        "probabilities.csv",
        "Run over een posterior: de kans dat een effect een daling is (en dat het scenario de gemeente geld bespaart), per scenario, gebied en periode.",
    ),
    (
        "variance_split.csv",
        "Run over een posterior: de variantie gesplitst in een deel door de parameters en een deel door toeval (Monte Carlo).",
    ),
    (
        "drivers.csv",
        "Run over een posterior: welk deel van de onzekerheid in een effect elke gekalibreerde parameter op zichzelf verklaart, met rangorde.",
    ),
];

/// The workbook of `folder` as `.xlsx` bytes. The same folder gives the
/// same bytes (the workbook's date is the manifest's).
pub fn workbook(folder: &Folder) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created =
        ExcelDateTime::from_timestamp(i64::try_from(folder.manifest.created_unix).unwrap_or(0))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("regiosim results")
            .set_author("regiosim")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let sheets = sheets(folder);
    read_me(wb.add_worksheet(), folder, &sheets, &bold)?;
    for (name, table) in &sheets {
        let data_rows = SHEET_ROWS - 1;
        let chunks = table.rows.len().div_ceil(data_rows).max(1);
        for part in 0..chunks {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(name, part))?;
            let rows = table
                .rows
                .get(part * data_rows..((part + 1) * data_rows).min(table.rows.len()))
                .unwrap_or_default();
            write_table(ws, &table.header, rows, &bold)?;
        }
    }
    wb.save_to_buffer()
}

/// `name` for the first sheet of a table, `name (2)` for the next.
fn sheet_name(name: &str, part: usize) -> String {
    if part == 0 {
        name.to_string()
    } else {
        format!("{name} ({})", part + 1)
    }
}

/// (sheet name, table as shown) for each table the folder keeps, in
/// workbook order.
fn sheets(folder: &Folder) -> Vec<(String, Table)> {
    SHEETS
        .iter()
        .filter_map(|(file, _)| {
            let t = folder.table(file)?;
            let shown = if *file == "sensitivity.csv" {
                tidy_sensitivity(t)
            } else {
                with_units(&with_area_kind(t, &folder.regions), *file == "runs.csv")
            };
            Some((file.trim_end_matches(".csv").to_string(), shown))
        })
        .collect()
}

/// Units in the header: after each metric column of runs.csv and each
/// column whose name tells its unit; a `unit` column after `metric`.
fn with_units(t: &Table, metric_columns: bool) -> Table {
    let mut header: Vec<String> = t
        .header
        .iter()
        .map(|h| {
            let unit = if metric_columns {
                metric_unit(h)
            } else {
                column_unit(h)
            };
            match unit {
                Some(u) => format!("{h} [{u}]"),
                None => h.clone(),
            }
        })
        .collect();
    let Some(cm) = t.col("metric") else {
        return Table {
            header,
            rows: t.rows.clone(),
        };
    };
    header.insert(cm + 1, "unit".into());
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let unit = match &r[cm] {
                Cell::Text(m) => metric_unit(m).map_or(Cell::Empty, |u| Cell::Text(u.into())),
                _ => Cell::Empty,
            };
            let mut row = r.clone();
            row.insert(cm + 1, unit);
            row
        })
        .collect();
    Table { header, rows }
}

fn write_table(
    ws: &mut Worksheet,
    header: &[String],
    rows: &[Vec<Cell>],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (c, h) in header.iter().enumerate() {
        let c = col(c)?;
        ws.write_string_with_format(0, c, h, bold)?;
        ws.set_column_width(c, (h.chars().count() as f64 + 2.0).clamp(10.0, 45.0))?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Empty => {}
                Cell::Number(x) => {
                    ws.write_number(r, col(c)?, *x)?;
                }
                Cell::Text(s) => {
                    ws.write_string(r, col(c)?, s)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = col(header.len().saturating_sub(1))?;
    let last_row = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A command line as one text a shell reads back (arguments with spaces
/// or quotes single-quoted).
pub fn shell_line(args: &[String]) -> String {
    std::iter::once("regiosim".to_string())
        .chain(args.iter().map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%[]".contains(c));
            if plain {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The "Lees mij" sheet: what the workbook is, how it was made, and what
/// each sheet holds.
fn read_me(
    ws: &mut Worksheet,
    folder: &Folder,
    sheets: &[(String, Table)],
    bold: &Format,
) -> Result<(), XlsxError> {
    let m = &folder.manifest;
    ws.set_name("Lees mij")?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 110)?;
    let commit = if m.git_commit.is_empty() {
        "onbekend".to_string()
    } else {
        m.git_commit.clone()
    };
    let mut lines: Vec<(String, String)> = vec![
        (
            "regiosim".into(),
            "Resultaten van een simulatie van de jeugdhulp in een regio. Dit werkboek is een weergave van de CSV-bestanden in de map van de run; die blijven de bron (manifest.json geeft hun sha256).".into(),
        ),
        ("Versie".into(), format!("regiosim {} (commit {commit})", m.regiosim_version)),
        ("Opdracht".into(), shell_line(&m.command_line)),
        ("Seed".into(), m.seed.to_string()),
        ("Replicaties".into(), m.replications.to_string()),
        ("Gemaakt (UTC)".into(), crate::report::text::date(m.created_unix)),
        (String::new(), String::new()),
    ];
    for s in &m.scenarios {
        let region = folder.regions.get(&s.name).cloned().unwrap_or_default();
        lines.push((
            "Scenario".into(),
            format!("{} ({}; regio: {region})", s.name, s.path),
        ));
    }
    lines.push((String::new(), String::new()));
    lines.push(("Blad".into(), "Inhoud".into()));
    for (name, _) in sheets {
        let file = format!("{name}.csv");
        let what = SHEETS
            .iter()
            .find(|(f, _)| *f == file)
            .map_or("", |(_, w)| w);
        lines.push((name.clone(), format!("{what} (uit {file})")));
    }
    lines.push((String::new(), String::new()));
    for (k, v) in [
        (
            "Getallen",
            "Alle getallen zijn getalcellen: Excel toont ze met de decimale komma van uw instellingen (0,107). Een lege cel is niet gedefinieerd, bijvoorbeeld een interval bij één replicatie.",
        ),
        (
            "Eenheden",
            "Tussen vierkante haken in de kop ([dagen]), of in de kolom unit naast metric. aandeel (0-1): 0,107 is 10,7%.",
        ),
        (
            "Regio of gemeente",
            "De kolom area_kind zegt of een rij de hele regio is (region) of één gemeente (gemeente). In de CSV-bestanden is de regiorij de rij waarvan area gelijk is aan de regionaam (region.name van het scenario in manifest.json).",
        ),
        (
            "Filteren",
            "Elke tabel heeft een filter op de kopregel, die bij scrollen blijft staan.",
        ),
        (
            "Meer",
            "docs/SCENARIOS.md (Outputs) beschrijft elke uitkomstmaat.",
        ),
    ] {
        lines.push((k.into(), v.into()));
    }
    let wrap = Format::new().set_text_wrap();
    for (r, (k, v)) in lines.iter().enumerate() {
        let r = u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError)?;
        if !k.is_empty() {
            ws.write_string_with_format(r, 0, k, bold)?;
        }
        if !v.is_empty() {
            ws.write_string_with_format(r, 1, v, &wrap)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_reads_back_in_a_shell() {
        let args: Vec<String> = ["run", "a b.toml", "--set", "name='x'", "--seed", "1"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            shell_line(&args),
            r"regiosim run 'a b.toml' --set 'name='\''x'\''' --seed 1"
        );
    }

    #[test]
    fn the_region_row_and_units_are_columns_of_a_long_table() {
        let t = super::super::typed::parse_csv(
            b"scenario,year,area,metric,mean\ns,2025,R,students,10\ns,2025,G,wait_intake_days_mean,3.5\n",
        )
        .unwrap();
        let regions = [("s".to_string(), "R".to_string())].into_iter().collect();
        let shown = with_units(&with_area_kind(&t, &regions), false);
        assert_eq!(
            shown.header,
            [
                "scenario",
                "year",
                "area",
                "area_kind",
                "metric",
                "unit",
                "mean"
            ]
        );
        assert_eq!(shown.rows[0][3], Cell::Text("region".into()));
        assert_eq!(shown.rows[1][3], Cell::Text("gemeente".into()));
        assert_eq!(shown.rows[1][5], Cell::Text("dagen".into()));
    }
}
