//! The report reads every shipped scenario pair truthfully: each sentence's
//! numbers are checked against the CSVs of the same run, a budget cut reads
//! as a cut (waits up, by how much; never "prevention"), the cost table adds
//! up, and a scenario has one colour in every chart.

use crate::{regiosim, scenario};
use regiosim::report::text::{Lang, fmt, pct};
use std::collections::BTreeMap;
use std::path::Path;

type Rows = Vec<BTreeMap<String, String>>;

fn read(path: &Path) -> Rows {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            h.iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The region row of `file` for (scenario, year, metric): column `col`.
fn value(rows: &Rows, region: &str, s: &str, year: &str, metric: &str, col: &str) -> f64 {
    rows.iter()
        .find(|r| {
            r["scenario"] == s && r["area"] == region && r["year"] == year && r["metric"] == metric
        })
        .unwrap_or_else(|| panic!("no row {s} {year} {metric}"))[col]
        .parse()
        .unwrap()
}

/// Runs the pair and returns (run folder, Dutch Markdown, Dutch HTML).
fn run_pair(dir: &Path, files: &[&str]) -> (std::path::PathBuf, String, String) {
    let out = dir.join("run");
    regiosim()
        .arg("run")
        .args(files.iter().map(|f| scenario(f)))
        .args(["--replications", "3", "--years", "3", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let md = dir.join("r.md");
    let html = dir.join("r.html");
    for (path, format) in [(&md, "md"), (&html, "html")] {
        regiosim()
            .arg("report")
            .arg(&out)
            .arg("-o")
            .arg(path)
            .args(["--format", format])
            .assert()
            .success();
    }
    (
        out,
        std::fs::read_to_string(md).unwrap(),
        std::fs::read_to_string(html).unwrap(),
    )
}

/// The text of section `title` (up to the next `## `).
fn section<'a>(md: &'a str, title: &str) -> &'a str {
    let start = md
        .find(&format!("## {title}"))
        .unwrap_or_else(|| panic!("no section `{title}` in\n{md}"));
    let rest = &md[start + 3..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// "€ 38,6 mln" → 38.6 (million euro).
fn meur(cell: &str) -> f64 {
    cell.trim_start_matches("€ ")
        .trim_end_matches(" mln")
        .replace('.', "")
        .replace(',', ".")
        .replace('−', "-")
        .parse()
        .unwrap_or_else(|_| panic!("not an amount: {cell}"))
}

/// The cost table adds up: saldo = jeugdbudget − kosten gemeente (to the
/// rounding of one decimal of a million).
fn assert_costs_add_up(md: &str) {
    let costs = section(md, "Kosten en budget");
    let rows: Vec<Vec<&str>> = costs
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| scenario"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    assert!(!rows.is_empty(), "no cost table in\n{costs}");
    for r in rows {
        let (cost, budget, balance) = (meur(r[1]), meur(r[2]), meur(r[3]));
        assert!(
            (budget - cost - balance).abs() <= 0.11,
            "the cost table does not add up: {r:?}"
        );
    }
    assert!(costs.contains("saldo = budget − kosten gemeente"));
}

/// Each scenario's legend colour is the same in every chart.
fn assert_one_colour_per_scenario(html: &str, names: &[&str]) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for chunk in html.split("<rect ").skip(1) {
        let Some(fill) = chunk
            .split("fill=\"")
            .nth(1)
            .and_then(|f| f.split('"').next())
        else {
            continue;
        };
        // A legend entry: the rect, then its label.
        let label = chunk
            .split("<tspan")
            .nth(1)
            .and_then(|t| t.split('>').nth(1))
            .and_then(|t| t.split('<').next());
        if let Some(name) = label.and_then(|l| names.iter().find(|n| **n == l)) {
            let before = seen.insert(name, fill.to_string());
            assert!(
                before.is_none_or(|b| b == fill),
                "{name} is drawn in two colours"
            );
        }
    }
    assert_eq!(seen.len(), names.len(), "legends found: {seen:?}");
}

#[test]
fn a_budget_cut_reads_as_a_cut_with_its_waits_and_never_as_prevention() {
    let dir = tempfile::tempdir().unwrap();
    let (out, md, html) = run_pair(dir.path(), &["deventer.toml", "deventer-cut15.toml"]);
    let summary = read(&out.join("summary.csv"));
    let comparison = read(&out.join("comparison.csv"));
    let region = "Deventer (totaal)";
    let last = "2027";
    assert!(
        md.starts_with("# Regionale ondersteuning: doorrekening — Deventer\n"),
        "{md}"
    );
    assert!(
        !md.contains("(totaal)"),
        "a region of one gemeente is named by the gemeente"
    );
    assert!(!md.contains("Preventief effect: deventer-cut15"));
    let cut = section(&md, "Bezuiniging: deventer-cut15");
    let base_wait = value(
        &summary,
        region,
        "deventer",
        last,
        "wait_assessment_days_mean",
        "mean",
    );
    let diff = value(
        &comparison,
        region,
        "deventer-cut15",
        last,
        "wait_assessment_days_mean",
        "difference_mean",
    );
    assert!(diff > 0.0, "the cut should lengthen the wait: {diff}");
    let expected = format!(
        "stijgt de wachttijd van verwijzing tot intake bij de aanbieder in {last} van {} naar {} dagen",
        fmt(base_wait, 0, Lang::Nl),
        fmt(base_wait + diff, 0, Lang::Nl)
    );
    assert!(cut.contains(&expected), "expected `{expected}` in\n{cut}");
    if value(
        &comparison,
        region,
        "deventer-cut15",
        last,
        "second_line_referrals",
        "difference_mean",
    ) < 0.0
    {
        assert!(cut.contains("geen preventie"), "{cut}");
    }
    // A wait sentence for every scenario, with the numbers of summary.csv.
    let waits = section(&md, "Wachttijden en de Treeknorm");
    for s in ["deventer", "deventer-cut15"] {
        let w = value(
            &summary,
            region,
            s,
            last,
            "wait_assessment_days_mean",
            "mean",
        );
        let needle = format!(
            "‘{s}’) wachten jongeren in {last} gemiddeld {} (",
            fmt(w, 0, Lang::Nl)
        );
        let needle_other = format!(
            "‘{s}’ wachten jongeren in {last} gemiddeld {} (",
            fmt(w, 0, Lang::Nl)
        );
        assert!(
            waits.contains(&needle) || waits.contains(&needle_other),
            "no wait sentence for {s}:\n{waits}"
        );
    }
    assert_costs_add_up(&md);
    assert_one_colour_per_scenario(&html, &["deventer", "deventer-cut15"]);
}

#[test]
fn prevention_reads_as_prevention_with_its_horizon_total() {
    let dir = tempfile::tempdir().unwrap();
    let (out, md, html) = run_pair(
        dir.path(),
        &[
            "nijmegen.toml",
            "nijmegen-dsav.toml",
            "nijmegen-netwerk.toml",
        ],
    );
    let horizon = read(&out.join("horizon.csv"));
    let comparison = read(&out.join("comparison.csv"));
    let region = "Nijmegen (totaal)";
    let dsav = section(&md, "Preventief effect: nijmegen-dsav");
    let total: f64 = horizon
        .iter()
        .find(|r| {
            r["scenario"] == "nijmegen-dsav"
                && r["area"] == region
                && r["from_year"] == "2025"
                && r["to_year"] == "2027"
                && r["metric"] == "second_line_referrals"
        })
        .expect("horizon row")["difference_mean"]
        .parse()
        .unwrap();
    let expected = format!(
        "Over 2025–2027 samen: {}{} (",
        if total > 0.0 { "+" } else { "" },
        fmt(total, 0, Lang::Nl)
    );
    assert!(dsav.contains(&expected), "expected `{expected}` in\n{dsav}");
    let last = value(
        &comparison,
        region,
        "nijmegen-dsav",
        "2027",
        "second_line_referrals_per_1000",
        "difference_mean",
    );
    assert!(
        dsav.contains(&format!("{} (", fmt(last, 1, Lang::Nl))),
        "{dsav}"
    );
    // Netwerk changes the collaboration model: prevention, not a cut.
    assert!(md.contains("## Preventief effect: nijmegen-netwerk"));
    assert!(!md.contains("Bezuiniging"));
    let period = section(&md, "Over de hele periode (2025–2027)");
    assert!(period.contains("| nijmegen-dsav |"), "{period}");
    assert_costs_add_up(&md);
    assert_one_colour_per_scenario(&html, &["nijmegen", "nijmegen-dsav", "nijmegen-netwerk"]);
}

#[test]
fn the_poh_pair_of_drechtsteden_names_its_huisarts_share_from_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (out, md, _) = run_pair(dir.path(), &["drechtsteden.toml", "drechtsteden-poh.toml"]);
    let summary = read(&out.join("summary.csv"));
    let region = summary[0]["area"].clone();
    let routes = section(&md, "Routes naar tweedelijns jeugdhulp (2027)");
    for s in ["drechtsteden", "drechtsteden-poh"] {
        let share = value(&summary, &region, s, "2027", "share_via_huisarts", "mean");
        let p = pct(share, Lang::Nl);
        assert!(
            routes.contains(&format!("loopt in 2027 {p} (")),
            "no {p} for {s} in\n{routes}"
        );
    }
    assert!(md.contains("## Preventief effect: drechtsteden-poh"));
    assert_costs_add_up(&md);
}
