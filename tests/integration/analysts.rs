//! What analysts drive regiosim with: `--set` on the command line, the JSON
//! summary on stdout, the Excel workbook, and the command-line conventions
//! (version, completions, man page, 0-based shards).

use crate::{regiosim, scenario, write_scenario};
use std::collections::BTreeMap;
use std::path::Path;

/// Every leaf of a TOML table by its dotted key (array entries by index).
fn leaves(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&key, v, out);
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                leaves(&format!("{prefix}[{i}]"), v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// The leaves of the first resolved scenario of the run in `dir`.
fn resolved(dir: &Path) -> BTreeMap<String, String> {
    let m = manifest(dir);
    let t: toml::Table = m["scenarios"][0]["resolved_toml"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut out = BTreeMap::new();
    leaves("", &toml::Value::Table(t), &mut out);
    out
}

fn command_line(dir: &Path) -> Vec<String> {
    manifest(dir)["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// `regiosim run test-region.toml` with 2 replications of 1 year and `extra`.
fn small_run(out: &Path, extra: &[&str]) -> std::process::Output {
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .args(["--replications", "2", "--years", "1", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn set_changes_exactly_the_key_it_names_and_the_manifest_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, set) = (dir.path().join("plain"), dir.path().join("set"));
    assert!(small_run(&plain, &[]).status.success());
    let done = small_run(
        &set,
        &[
            "--set",
            "huisarts.poh_coverage=0.5",
            "--set",
            "collaboration.model=netwerk",
        ],
    );
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let (a, b) = (resolved(&plain), resolved(&set));
    let changed: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(changed, ["collaboration.model", "huisarts.poh_coverage"]);
    assert_eq!(b["huisarts.poh_coverage"], "0.5");
    assert_eq!(b["collaboration.model"], "\"netwerk\"");
    let cl = command_line(&set);
    assert!(
        cl.ends_with(&[
            "--set".into(),
            "huisarts.poh_coverage=0.5".into(),
            "--set".into(),
            "collaboration.model=netwerk".into()
        ]),
        "{cl:?}"
    );
    // The results differ from the plain run, and reproduce from the manifest.
    assert_ne!(
        std::fs::read(plain.join("runs.csv")).unwrap(),
        std::fs::read(set.join("runs.csv")).unwrap()
    );
    let again = regiosim().arg("reproduce").arg(&set).output().unwrap();
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.status.success() && !text.contains("DIFFERENT"),
        "{text}"
    );
}

#[test]
fn a_set_key_that_does_not_exist_gets_did_you_mean_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (arg, expect) in [
        (
            "dsav.hours_per_schoolweek=4",
            "unknown key `dsav.hours_per_schoolweek` (did you mean `hours_per_school_week`?)",
        ),
        ("dsav.hours_per_school_week=abc", "expected f64"),
        ("collaboration.model=netwerkk", "did you mean `netwerk`?"),
        ("huisarts.poh_coverage=1.5", "poh_coverage"),
        ("novalue", "expected KEY=VALUE"),
    ] {
        let done = small_run(&out, &["--set", arg]);
        let err = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{arg}: {err}");
        assert!(err.contains(expect), "{arg}: {err}");
        assert!(!out.join("manifest.json").exists());
    }
    // Set twice, or together with --years.
    for args in [
        ["--set", "simulation.years=2"],
        ["--set", "huisarts.poh_coverage=0.1"],
    ] {
        let mut all = vec!["--set", "huisarts.poh_coverage=0.2"];
        all.extend(args);
        let done = small_run(&out, &all);
        assert_eq!(done.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&done.stderr).contains("set twice"));
    }
}

#[test]
fn sweep_set_reaches_the_base_and_every_variant_but_not_a_varied_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name = \"t\"\nbase = {:?}\nreplications = 2\nmethod = \"grid\"\n\n[[parameters]]\npath = \"huisarts.poh_coverage\"\nvalues = [0.1, 0.2]\n",
        scenario("test-region.toml").display().to_string(),
    );
    let file = write_scenario(dir.path(), "sweep.toml", &text);
    let out = dir.path().join("out");
    let sweep = |extra: &[&str]| {
        regiosim()
            .arg("sweep")
            .arg(&file)
            .args(["--years", "1", "--quiet", "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let done = sweep(&["--set", "wijkteam.fte_per_1000_students=1.7"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let m = manifest(&out);
    let scenarios = m["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 3);
    for s in scenarios {
        let t: toml::Table = s["resolved_toml"].as_str().unwrap().parse().unwrap();
        assert_eq!(t["wijkteam"]["fte_per_1000_students"].as_float(), Some(1.7));
    }
    assert!(
        command_line(&out)
            .ends_with(&["--set".into(), "wijkteam.fte_per_1000_students=1.7".into()])
    );
    let refused = sweep(&["--force", "--set", "huisarts.poh_coverage=0.3"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("varies `huisarts.poh_coverage`"));
    // `check --set` validates the same way, running nothing.
    let checked = regiosim()
        .arg("check")
        .arg(scenario("test-region.toml"))
        .args(["--set", "wijkteam.fte_per_1000_students=-1"])
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(2));
    let err = String::from_utf8_lossy(&checked.stderr);
    assert!(
        err.contains("--set wijkteam.fte_per_1000_students=-1"),
        "{err}"
    );
}

#[test]
fn run_json_prints_the_region_rows_of_summary_and_comparison_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let done = regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args([
            "--replications",
            "3",
            "--years",
            "2",
            "--quiet",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    // Stdout is one JSON document and nothing else.
    let doc: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(doc["out"].as_str(), Some(out.to_str().unwrap()));
    assert_eq!(doc["complete"], true);
    assert_eq!(doc["scenarios"][1]["name"], "test-region-poh");
    assert_eq!(doc["scenarios"][0]["region"], "Testregio");
    for (key, file) in [("summary", "summary.csv"), ("comparison", "comparison.csv")] {
        let csv = std::fs::read_to_string(out.join(file)).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let area = header.iter().position(|h| *h == "area").unwrap();
        let region_rows: Vec<Vec<&str>> = lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|r| r[area] == "Testregio")
            .collect();
        let records = doc[key].as_array().unwrap();
        assert!(!records.is_empty());
        assert_eq!(records.len(), region_rows.len(), "{key}");
        for (rec, row) in records.iter().zip(&region_rows) {
            let keys: Vec<&String> = rec.as_object().unwrap().keys().collect();
            assert_eq!(keys, header, "{key}: columns in CSV order");
            for (h, cell) in header.iter().zip(row) {
                let v = &rec[*h];
                match v {
                    serde_json::Value::Null => assert_eq!(*cell, "", "{key} {h}"),
                    serde_json::Value::String(s) => assert_eq!(s, cell, "{key} {h}"),
                    n => assert_eq!(
                        n.as_f64().unwrap(),
                        cell.parse::<f64>().unwrap(),
                        "{key} {h}: the same f64"
                    ),
                }
            }
        }
    }
}
