//! The registry of scenario keys: docs/SCENARIOS.md's key tables are what
//! the registry generates (so a changed default, range or source shows up
//! in the docs, checked in CI), and `regiosim params` lists every key.

use super::regiosim;
use regiosim::scenario::registry::{self, docs};
use std::path::Path;

fn scenarios_md() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SCENARIOS.md");
    std::fs::read_to_string(p).expect("read docs/SCENARIOS.md")
}

#[test]
fn scenarios_md_key_tables_match_the_registry() {
    let text = scenarios_md();
    let filled = docs::fill(&text).expect("markers well formed");
    if filled != text {
        let first = text
            .lines()
            .zip(filled.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        panic!(
            "docs/SCENARIOS.md differs from the registry (first at {first:?}); run `regiosim params --write-docs docs/SCENARIOS.md`"
        );
    }
}

#[test]
fn every_registry_table_has_its_generated_block_in_scenarios_md() {
    let text = scenarios_md();
    for e in registry::entries() {
        if e.spec.table.is_empty() {
            continue;
        }
        let marker = format!("<!-- generated: {} -->", e.spec.table);
        assert!(text.contains(&marker), "{} has no `{marker}`", e.spec.path);
    }
}

#[test]
fn params_lists_every_key_with_default_range_and_prior() {
    let out = regiosim().arg("params").assert().success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("path,kind,shape,unit,default,range,min,max,prior"));
    assert_eq!(csv.lines().count(), registry::entries().len() + 1);
    let row = csv
        .lines()
        .find(|l| l.starts_with("needs.escalation_per_year,"))
        .expect("escalation listed");
    assert!(row.contains("\"[0.6, 0.45, 0.25]\""), "{row}");
    assert!(row.contains("uniform [0.3, 1.2] [0.2, 0.9]"), "{row}");
    let md = regiosim().args(["params", "--markdown"]).assert().success();
    let md = String::from_utf8(md.get_output().stdout.clone()).unwrap();
    assert!(md.contains("| `dsav.induced_referral_prob` |"));
}

#[test]
fn write_docs_restores_a_hand_edited_table() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("SCENARIOS.md");
    let text = scenarios_md().replace("| `family_risk_sd` |", "| `family_risk_sd_edited` |");
    std::fs::write(&p, &text).unwrap();
    regiosim()
        .args(["params", "--write-docs"])
        .arg(&p)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), scenarios_md());
    std::fs::write(
        &p,
        "<!-- generated: no_such_table -->\n<!-- end generated -->\n",
    )
    .unwrap();
    regiosim()
        .args(["params", "--write-docs"])
        .arg(&p)
        .assert()
        .code(2);
}

#[test]
fn every_ranged_key_above_its_registry_bound_is_refused_with_exit_2() {
    use registry::{Kind, Range};
    let scenario = super::scenario("test-region.toml");
    let mut checked = 0;
    for e in registry::entries() {
        let s = &e.spec;
        if s.kind != Kind::Number || !s.path.contains('.') {
            continue;
        }
        if ["gemeenten", "schools", "policies", "changes", "simulation"].contains(&s.table) {
            continue;
        }
        let value = match s.range {
            Range::Count { max, .. } => (max + 1).to_string(),
            Range::Level => "5".into(),
            Range::Prob | Range::Shares => "1.5".into(),
            Range::NonNegative { max, .. } | Range::Positive { max, .. } => {
                format!("{:?}", max * 10.0)
            }
            Range::Utilisation { .. } => "5.0".into(),
            Range::Custom { max, .. } => format!("{:?}", max * 10.0),
            Range::Span { .. } | Range::None => continue,
        };
        let key = match e.shape {
            "per school type" => format!("{}.VO", s.path),
            "per level" | "per step (1→2, 2→3, 3→4)" | "list of numbers" => {
                format!("{}[0]", s.path)
            }
            _ => s.path.to_string(),
        };
        if e.shape == "list of numbers" && e.defaults.is_empty() {
            continue;
        }
        let out = regiosim()
            .arg("check")
            .arg(&scenario)
            .args(["--set", &format!("{key}={value}")])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains(&key), "{key}={value}: {err}");
        checked += 1;
    }
    assert!(checked > 80, "only {checked} keys checked");
}
