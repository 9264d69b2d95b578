//! The CSV tables of a finished run read back as typed cells (text, number,
//! empty), for the outputs that other programs read without parsing CSV:
//! the JSON summary (`json.rs`) and the Excel workbook (`xlsx.rs`). Both are
//! views of the CSV files, which stay the one source of the numbers: every
//! number is the f64 the CSV's shortest text reads back to.
//!
//! Also here: which rows are the region's (`area_kind`), the tidy form of
//! `sensitivity.csv` (interval bounds as columns), and each metric's unit.

use super::manifest::Manifest;
use super::read_text_cell;
use crate::scenario::sha256_hex;
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// An empty CSV cell: undefined (NaN) or not applicable.
    Empty,
    Number(f64),
    Text(String),
}

/// A table with its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Columns that hold text even where the text reads as a number (a
/// scenario named `2025`).
const TEXT_COLUMNS: [&str; 14] = [
    "scenario",
    "baseline",
    "area",
    "area_kind",
    "metric",
    "school_type",
    "perspective",
    "outcome",
    "interval_method",
    "reading",
    "method",
    "parameter",
    "index",
    "unit",
];

/// Parses CSV bytes written by regiosim: text columns as text (the
/// spreadsheet guard of `text_cell` undone), other cells as numbers where
/// they read as one, empty cells as [`Cell::Empty`].
pub fn parse_csv(bytes: &[u8]) -> Result<Table, String> {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| read_text_cell(h).to_string())
        .collect();
    let text: Vec<bool> = header
        .iter()
        .map(|h| TEXT_COLUMNS.contains(&h.as_str()))
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        rows.push(
            rec.iter()
                .enumerate()
                .map(|(i, s)| {
                    if s.is_empty() {
                        Cell::Empty
                    } else if text.get(i).copied().unwrap_or(false) {
                        Cell::Text(read_text_cell(s).to_string())
                    } else {
                        match s.parse::<f64>() {
                            Ok(x) if x.is_finite() => Cell::Number(x),
                            _ => Cell::Text(read_text_cell(s).to_string()),
                        }
                    }
                })
                .collect(),
        );
    }
    Ok(Table { header, rows })
}

/// A finished run's folder: its manifest and the CSV tables it keeps, each
/// checked against its sha256 in the manifest.
#[derive(Debug, Clone)]
pub struct Folder {
    pub manifest: Manifest,
    /// (file name, table), in the manifest's writing order; a listed file
    /// the folder does not keep (a published run may keep only some) is
    /// left out.
    pub tables: Vec<(String, Table)>,
    /// Per scenario name: the area name of its region rows.
    pub regions: BTreeMap<String, String>,
}

impl Folder {
    pub fn table(&self, file: &str) -> Option<&Table> {
        self.tables.iter().find(|(n, _)| n == file).map(|(_, t)| t)
    }
}

/// Reads the folder of a finished run or sweep. The error says what is
/// wrong with the folder (the caller's input).
pub fn read_folder(dir: &Path) -> Result<Folder, String> {
    let mpath = dir.join("manifest.json");
    let text = std::fs::read_to_string(&mpath).map_err(|e| {
        format!(
            "{}: {e}; is {} the folder of a finished run?",
            mpath.display(),
            dir.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a regiosim manifest: {e}", mpath.display()))?;
    let mut tables = Vec::new();
    for out in &manifest.outputs {
        let name = Path::new(&out.path);
        if !matches!(
            name.components().collect::<Vec<_>>()[..],
            [Component::Normal(_)]
        ) || !out.path.ends_with(".csv")
        {
            continue;
        }
        let path = dir.join(name);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        if !sha256_hex(&bytes).eq_ignore_ascii_case(&out.sha256) {
            return Err(format!(
                "{}: does not match its sha256 in manifest.json: the file was changed or cut short after the run; restore it, or check the folder with `regiosim reproduce {}`",
                path.display(),
                dir.display()
            ));
        }
        let table = parse_csv(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        tables.push((out.path.clone(), table));
    }
    let regions = manifest
        .scenarios
        .iter()
        .map(|s| {
            let t: toml::Table = s.resolved_toml.parse().unwrap_or_default();
            let region = t
                .get("region")
                .and_then(|r| r.get("name"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            (s.name.clone(), region)
        })
        .collect();
    Ok(Folder {
        manifest,
        tables,
        regions,
    })
}

/// `region` for a row whose area is its scenario's region, else
/// `gemeente` (area names are unique within a scenario, the region's
/// included, so the name tells them apart).
pub fn area_kind(regions: &BTreeMap<String, String>, scenario: &str, area: &str) -> &'static str {
    if regions.get(scenario).is_some_and(|r| r == area) {
        "region"
    } else {
        "gemeente"
    }
}

/// The table with an `area_kind` column after `area` (unchanged if it has
/// no `scenario` and `area` columns).
pub fn with_area_kind(t: &Table, regions: &BTreeMap<String, String>) -> Table {
    let (Some(cs), Some(ca)) = (t.col("scenario"), t.col("area")) else {
        return t.clone();
    };
    if t.col("area_kind").is_some() {
        // Written by 0.5.0 and later.
        return t.clone();
    }
    let mut header = t.header.clone();
    header.insert(ca + 1, "area_kind".into());
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let text = |c: &Cell| match c {
                Cell::Text(s) => s.clone(),
                Cell::Number(x) => super::fmt_num(*x),
                Cell::Empty => String::new(),
            };
            let kind = area_kind(regions, &text(&r[cs]), &text(&r[ca]));
            let mut row = r.clone();
            row.insert(ca + 1, Cell::Text(kind.into()));
            row
        })
        .collect();
    Table { header, rows }
}

/// `sensitivity.csv` in tidy form: one row per (method, metric, parameter,
/// index) with the interval bounds as `low` and `high` columns instead of
/// separate `*_low`/`*_high` index rows (empty where the index has none,
/// as Morris's).
pub fn tidy_sensitivity(t: &Table) -> Table {
    if t.col("low").is_some() {
        // Written tidy by 0.5.0 and later.
        return t.clone();
    }
    let header: Vec<String> = [
        "method",
        "metric",
        "parameter",
        "index",
        "value",
        "low",
        "high",
    ]
    .map(String::from)
    .to_vec();
    let cols = ["method", "metric", "parameter", "index", "value"].map(|c| t.col(c));
    let [Some(cm), Some(cme), Some(cp), Some(ci), Some(cv)] = cols else {
        return Table {
            header,
            rows: Vec::new(),
        };
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut at: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    let text = |c: &Cell| match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(x) => super::fmt_num(*x),
        Cell::Empty => String::new(),
    };
    for r in &t.rows {
        let index = text(&r[ci]);
        let (base, slot) = if let Some(b) = index.strip_suffix("_low") {
            (b.to_string(), 5)
        } else if let Some(b) = index.strip_suffix("_high") {
            (b.to_string(), 6)
        } else {
            (index.clone(), 4)
        };
        let key = (text(&r[cm]), text(&r[cme]), text(&r[cp]), base.clone());
        let i = *at.entry(key).or_insert_with(|| {
            rows.push(vec![
                r[cm].clone(),
                r[cme].clone(),
                r[cp].clone(),
                Cell::Text(base),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
            rows.len() - 1
        });
        rows[i][slot] = r[cv].clone();
    }
    Table { header, rows }
}

/// The unit of a metric of `runs.csv` (docs/SCENARIOS.md, Outputs), in
/// Dutch for the workbook; `None` for a name that is no metric.
pub fn metric_unit(metric: &str) -> Option<&'static str> {
    let counts = [
        "light_help_starts",
        "second_line_referrals",
        "second_line_starts",
        "thuiszitters",
        "clientenstop_bounces",
        "treatment_starts_deferred",
        "waiting_list_dropouts",
        "poh_trajectories",
        "dsav_refusals",
        "starts_ambulant",
        "starts_verblijf",
        "caseload_ambulant",
        "caseload_verblijf",
    ];
    Some(match metric {
        "students" => "leerlingen",
        "youth_care_share" | "poh_not_referred_share" | "share_verblijf" => "aandeel (0-1)",
        "time_to_first_help_days_mean" => "dagen",
        "severity_at_first_help_mean" => "niveau",
        "handoffs_per_case_mean" | "stories_told_per_case_mean" => "per casus",
        m if m.starts_with("share_via_") || m.starts_with("trajectory_share_") => "aandeel (0-1)",
        m if m.ends_with("_per_1000") => "per 1.000 leerlingen",
        m if m.starts_with("wait_") && (m.ends_with("_mean") || m.ends_with("_p90")) => "dagen",
        m if m.ends_with("_eur") => "EUR",
        m if counts.contains(&m) => "aantal",
        m if [
            "cases_via_",
            "referrals_via_",
            "resolved_before_referral_via_",
        ]
        .iter()
        .any(|p| m.starts_with(p)) =>
        {
            "aantal"
        }
        _ => return None,
    })
}

/// The unit of a column of another table, where its name tells one.
pub fn column_unit(column: &str) -> Option<&'static str> {
    Some(match column {
        "students" => "leerlingen",
        c if c.ends_with("_share") => "aandeel (0-1)",
        c if c.ends_with("_queue") => "wachtenden",
        c if c.ends_with("_eur") => "EUR",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_has_a_unit() {
        for m in crate::model::metric_names() {
            assert!(metric_unit(&m).is_some(), "{m} has no unit");
        }
        assert_eq!(metric_unit("wait_assessment_days_p90"), Some("dagen"));
        assert_eq!(
            metric_unit("second_line_referrals_per_1000"),
            Some("per 1.000 leerlingen")
        );
        assert_eq!(metric_unit("scenario"), None);
    }

    #[test]
    fn csv_cells_read_back_typed_with_text_columns_kept_text() {
        let t =
            parse_csv(b"scenario,year,area,metric,mean,ci95_low\n2025,2025,'=x,students,0.107,\n")
                .unwrap();
        assert_eq!(
            t.rows[0],
            [
                Cell::Text("2025".into()),
                Cell::Number(2025.0),
                Cell::Text("=x".into()),
                Cell::Text("students".into()),
                Cell::Number(0.107),
                Cell::Empty,
            ]
        );
    }

    #[test]
    fn sobol_bounds_become_low_and_high_columns() {
        let t = parse_csv(
            b"method,metric,parameter,index,value\n\
              sobol,m,p,first_order,0.5\nsobol,m,p,first_order_low,0.4\nsobol,m,p,first_order_high,0.6\n\
              sobol,m,p,total,0.7\nsobol,m,p,total_low,0.65\nsobol,m,p,total_high,0.75\n",
        )
        .unwrap();
        let tidy = tidy_sensitivity(&t);
        assert_eq!(tidy.rows.len(), 2);
        assert_eq!(tidy.rows[0][3], Cell::Text("first_order".into()));
        assert_eq!(
            tidy.rows[0][4..],
            [Cell::Number(0.5), Cell::Number(0.4), Cell::Number(0.6)]
        );
        assert_eq!(tidy.rows[1][3], Cell::Text("total".into()));
        assert_eq!(tidy.rows[1][6], Cell::Number(0.75));
    }
}
