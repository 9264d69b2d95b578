//! The machine-readable summary of a finished run that `run --json` and
//! `sweep --json` print on stdout: one JSON document with the run's folder,
//! its command line, the scenarios and, for the region rows, `summary.csv`
//! and `comparison.csv` as lists of records (one object per row, keyed by
//! the CSV's column names), so that `pandas.DataFrame(doc["summary"])` is
//! the region part of summary.csv. For Morris and Sobol' sweeps also the
//! sensitivity indices in tidy form (`low`, `high` columns). An undefined
//! number (an empty CSV cell) is `null`.

use super::typed::{Cell, Folder, Table, tidy_sensitivity};
use serde_json::{Map, Value, json};
use std::path::Path;

/// The JSON summary of the run in `folder`, whose outputs are in `out`.
pub fn summary(folder: &Folder, out: &Path) -> Value {
    let m = &folder.manifest;
    let scenarios: Vec<Value> = m
        .scenarios
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "path": s.path,
                "region": folder.regions.get(&s.name).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let mut doc = Map::new();
    doc.insert("out".into(), out.display().to_string().into());
    doc.insert("regiosim_version".into(), m.regiosim_version.clone().into());
    doc.insert("git_commit".into(), m.git_commit.clone().into());
    doc.insert("command_line".into(), json!(m.command_line));
    doc.insert("seed".into(), m.seed.into());
    doc.insert("replications".into(), m.replications.into());
    doc.insert("scenarios".into(), scenarios.into());
    doc.insert(
        "outputs".into(),
        m.outputs.iter().map(|o| o.path.clone()).collect(),
    );
    for (key, file) in [("summary", "summary.csv"), ("comparison", "comparison.csv")] {
        let rows = folder
            .table(file)
            .map(|t| region_records(folder, t))
            .unwrap_or_default();
        doc.insert(key.into(), rows.into());
    }
    if let Some(t) = folder.table("sensitivity.csv") {
        doc.insert(
            "sensitivity".into(),
            records(&tidy_sensitivity(t), |_| true).into(),
        );
    }
    Value::Object(doc)
}

/// The rows of `t` whose area is their scenario's region, as records.
fn region_records(folder: &Folder, t: &Table) -> Vec<Value> {
    let (Some(cs), Some(ca)) = (t.col("scenario"), t.col("area")) else {
        return Vec::new();
    };
    records(t, |row| match (&row[cs], &row[ca]) {
        (Cell::Text(s), Cell::Text(a)) => folder.regions.get(s).is_some_and(|r| r == a),
        _ => false,
    })
}

/// One JSON object per row that `keep` accepts.
pub fn records(t: &Table, keep: impl Fn(&[Cell]) -> bool) -> Vec<Value> {
    t.rows
        .iter()
        .filter(|r| keep(r))
        .map(|r| {
            let obj: Map<String, Value> = t
                .header
                .iter()
                .zip(r)
                .map(|(h, c)| (h.clone(), cell_value(c)))
                .collect();
            Value::Object(obj)
        })
        .collect()
}

/// A cell as JSON: whole numbers as integers (years, counts), others as
/// the same f64, empty as `null`.
pub fn cell_value(c: &Cell) -> Value {
    match c {
        Cell::Empty => Value::Null,
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Number(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Value::from(*x as i64),
        Cell::Number(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_exact_value_and_empty_is_null() {
        assert_eq!(cell_value(&Cell::Number(2025.0)), json!(2025));
        let x = 0.1095046517475484;
        assert_eq!(cell_value(&Cell::Number(x)).as_f64(), Some(x));
        assert_eq!(cell_value(&Cell::Empty), Value::Null);
        assert_eq!(cell_value(&Cell::Number(-0.0)), json!(0));
    }
}
