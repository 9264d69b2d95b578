//! Regenerates the tables in the docs from the published runs in
//! `results/`, so a figure in the docs is always the published one.
//!
//! ```sh
//! cargo run --example docs_tables            # rewrite the tables in place
//! cargo run --example docs_tables -- --check # exit 1 if a table is stale (CI)
//! ```
//!
//! A generated table sits between `<!-- BEGIN name -->` and
//! `<!-- END name -->` in its document; everything else is left alone.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

type Rows = Vec<BTreeMap<String, String>>;

fn read(path: &Path) -> Result<Rows, String> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let h: Vec<String> = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        rows.push(
            h.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect(),
        );
    }
    Ok(rows)
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row.get(col)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// `1234.5` → `1,235`; `-12.34` → `−12.3` (at most three significant
/// figures after the thousands, a real minus sign).
fn fmt(x: f64, signed: bool) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    let body = if a >= 100.0 {
        let s = format!("{:.0}", a);
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else if a >= 10.0 {
        format!("{a:.1}")
    } else {
        format!("{a:.2}")
    };
    let sign = if x < 0.0 {
        "−"
    } else if signed && x > 0.0 {
        "+"
    } else {
        ""
    };
    format!("{sign}{body}")
}

fn eur_m(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}€{:.2} M", x.abs() / 1e6)
}

/// The DSAV effect table of docs/CALIBRATION.md from results/nijmegen-dsav.
fn dsav_table(root: &Path) -> Result<String, String> {
    let dir = root.join("results/nijmegen-dsav");
    let comparison = read(&dir.join("comparison.csv"))?;
    let region = comparison
        .first()
        .and_then(|r| r.get("area"))
        .cloned()
        .ok_or("results/nijmegen-dsav/comparison.csv is empty")?;
    let cell = |year: &str, metric: &str| {
        comparison
            .iter()
            .find(|r| r["area"] == region && r["year"] == year && r["metric"] == metric)
    };
    let years: Vec<String> = comparison
        .iter()
        .filter(|r| r["area"] == region && r["metric"] == "second_line_referrals")
        .map(|r| r["year"].clone())
        .collect();
    let mut t = String::from(
        "| year | second-line referrals, baseline | difference (95% CI) | relative | thuiszitters difference (95% CI) | total cost difference (95% CI) |\n|---|---|---|---|---|---|\n",
    );
    for y in &years {
        let (Some(r), Some(th), Some(c)) = (
            cell(y, "second_line_referrals"),
            cell(y, "thuiszitters"),
            cell(y, "cost_total_eur"),
        ) else {
            continue;
        };
        t += &format!(
            "| {y} | {} | {} ({} to {}) | {}% | {} ({} to {}) | {} ({} to {}) |\n",
            fmt(num(r, "baseline_mean"), false),
            fmt(num(r, "difference_mean"), true),
            fmt(num(r, "ci95_low"), true),
            fmt(num(r, "ci95_high"), true),
            fmt(100.0 * num(r, "relative_difference"), true),
            fmt(num(th, "difference_mean"), true),
            fmt(num(th, "ci95_low"), true),
            fmt(num(th, "ci95_high"), true),
            eur_m(num(c, "difference_mean")),
            eur_m(num(c, "ci95_low")),
            eur_m(num(c, "ci95_high")),
        );
    }
    let horizon = dir.join("horizon.csv");
    if horizon.exists() {
        let h = read(&horizon)?;
        let (first, last) = (years.first().cloned(), years.last().cloned());
        let total = |metric: &str| {
            h.iter().find(|r| {
                r["area"] == region
                    && r["metric"] == metric
                    && Some(&r["from_year"]) == first.as_ref()
                    && Some(&r["to_year"]) == last.as_ref()
            })
        };
        if let (Some(r), Some(th), Some(c)) = (
            total("second_line_referrals"),
            total("thuiszitters"),
            total("cost_total_eur"),
        ) {
            t += &format!(
                "| **{}–{}** | {} | {} ({} to {}) | {}% | {} ({} to {}) thuiszitter-years | {} ({} to {}) |\n",
                first.unwrap_or_default(),
                last.unwrap_or_default(),
                fmt(num(r, "baseline_total"), false),
                fmt(num(r, "difference_mean"), true),
                fmt(num(r, "ci95_low"), true),
                fmt(num(r, "ci95_high"), true),
                fmt(100.0 * num(r, "relative_difference"), true),
                fmt(num(th, "difference_mean"), true),
                fmt(num(th, "ci95_low"), true),
                fmt(num(th, "ci95_high"), true),
                eur_m(num(c, "difference_mean")),
                eur_m(num(c, "ci95_low")),
                eur_m(num(c, "ci95_high")),
            );
        }
    }
    Ok(t)
}

/// Replaces the block `name` in `text`; `None` if its markers are missing.
fn replace_block(text: &str, name: &str, body: &str) -> Option<String> {
    let begin = format!("<!-- BEGIN {name} -->\n");
    let end = format!("<!-- END {name} -->");
    let a = text.find(&begin)? + begin.len();
    let b = a + text[a..].find(&end)?;
    Some(format!("{}{body}{}", &text[..a], &text[b..]))
}

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let jobs: [(&str, &str, fn(&Path) -> Result<String, String>); 1] =
        [("docs/CALIBRATION.md", "dsav-table", dsav_table)];
    let mut stale = false;
    for (doc, name, make) in jobs {
        let path = root.join(doc);
        let result = std::fs::read_to_string(&path)
            .map_err(|e| format!("{doc}: {e}"))
            .and_then(|text| {
                let body = make(root)?;
                let new = replace_block(&text, name, &body)
                    .ok_or(format!("{doc} has no <!-- BEGIN {name} --> block"))?;
                Ok((text, new))
            });
        let (old, new) = match result {
            Ok(x) => x,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        if old == new {
            println!("{doc} ({name}): up to date");
        } else if check {
            eprintln!(
                "{doc} ({name}): stale; run `cargo run --example docs_tables` and commit the result"
            );
            stale = true;
        } else if let Err(e) = std::fs::write(&path, new) {
            eprintln!("error: {doc}: {e}");
            return ExitCode::from(2);
        } else {
            println!("{doc} ({name}): rewritten");
        }
    }
    if stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
