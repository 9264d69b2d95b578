//! The commands as a user runs them.

use crate::{regiosim, scenario};

#[test]
fn check_prints_the_resolved_scenario_with_extends_merged() {
    let out = regiosim()
        .arg("check")
        .arg(scenario("nijmegen-dsav.toml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let resolved: String = text.lines().skip(1).collect::<Vec<_>>().join("\n");
    let table: toml::Table = resolved.parse().expect("check prints valid TOML");
    assert_eq!(table["name"].as_str(), Some("nijmegen-dsav"));
    assert_eq!(table["dsav"]["enabled"].as_bool(), Some(true));
    assert_eq!(table["region"]["name"].as_str(), Some("Nijmegen (totaal)"));
    assert!(table.get("extends").is_none());
}

#[test]
fn run_writes_every_table_and_the_manifest_last() {
    let dir = tempfile::tempdir().unwrap();
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args(["--replications", "3", "--years", "2", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    let runs = read("runs.csv");
    let header = runs.lines().next().unwrap();
    for col in [
        "scenario,replication,year,area,area_kind,students,youth_care_share",
        "second_line_referrals_per_1000",
        "share_via_huisarts",
        "wait_assessment_days_p90",
        "thuiszitters_per_1000",
        "budget_balance_eur",
    ] {
        assert!(header.contains(col), "runs.csv lacks {col}");
    }
    // 2 scenarios x 3 replications x 2 years x 3 areas, plus the header.
    assert_eq!(runs.lines().count(), 1 + 2 * 3 * 2 * 3);
    assert!(runs.contains(",Testregio,") && runs.contains(",Stad,") && runs.contains(",Dorp,"));
    assert!(
        read("summary.csv")
            .starts_with("scenario,year,area,area_kind,metric,mean,sd,ci95_low,ci95_high,n\n")
    );
    assert!(
        read("comparison.csv")
            .contains("test-region-poh,test-region,2025,Testregio,region,share_via_huisarts,")
    );
    assert!(read("by_school_type.csv").contains(",SBO,"));
    assert!(
        read("timeseries.csv").starts_with("scenario,replication,year,month,wijkteam_intake_queue")
    );
    let manifest: serde_json::Value = serde_json::from_str(&read("manifest.json")).unwrap();
    assert_eq!(manifest["replications"], 3);
    assert_eq!(
        manifest["scenarios"][1]["files"].as_array().unwrap().len(),
        2,
        "extends chain recorded"
    );
    assert!(
        manifest["scenarios"][0]["resolved_toml"]
            .as_str()
            .unwrap()
            .contains("[wijkteam]")
    );
    let outputs = manifest["outputs"].as_array().unwrap();
    // Runs, by school type, timeseries, summary, comparison, horizon,
    // cost-effectiveness, forecast.
    assert_eq!(outputs.len(), 8);
}

#[test]
fn every_shipped_scenario_and_sweep_file_passes_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("sweeps")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 20, "found only {} files", files.len());
    let out = regiosim().arg("check").args(&files).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
