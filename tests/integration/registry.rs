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

#[test]
fn a_calibration_parameter_without_prior_takes_the_registrys_prior() {
    use regiosim::calibrate::spec::{self, Prior};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cal.toml");
    let text = format!(
        "name = \"reg\"\nscenarios = [{:?}]\n\n[[targets]]\nname = \"share\"\nmetric = \"youth_care_share\"\nobserved = 0.1\nsd = 0.01\nsource = \"a test\"\n\n[[parameters]]\nkey = \"needs.escalation_per_year[0]\"\n\n[[parameters]]\nkey = \"second_line.assessment_days\"\n\n[[parameters]]\nkey = \"signalling.gp_preference_mean\"\nprior = \"uniform\"\nmin = 0.3\nmax = 0.4\n",
        super::scenario("test-region.toml").display().to_string()
    );
    std::fs::write(&file, text).unwrap();
    let s = spec::load(&file).expect("valid calibration file");
    let p = &s.parameters;
    assert_eq!((p[0].min, p[0].max), (0.3, 1.2));
    assert!(matches!(p[0].prior, Prior::Uniform));
    assert_eq!((p[1].min, p[1].max), (14.0, 56.0));
    assert!(matches!(p[1].prior, Prior::LogUniform));
    assert!(p[1].density(15.0) > p[1].density(50.0));
    assert_eq!((p[2].min, p[2].max), (0.3, 0.4));
    // A key the registry gives no prior needs its bounds.
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "second_line.assessment_days",
        "wijkteam.fte_per_1000_students[9]",
    );
    std::fs::write(&file, text).unwrap();
    assert!(spec::load(&file).is_err());
}

#[test]
fn a_sweep_parameter_without_bounds_takes_the_registrys_plausible_range() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sweep.toml");
    let text = format!(
        "name = \"reg\"\nbase = {:?}\nmethod = \"lhs\"\npoints = 8\n\n[[parameters]]\npath = \"second_line.dropout_per_week\"\n",
        super::scenario("test-region.toml").display().to_string()
    );
    std::fs::write(&file, text).unwrap();
    let (sweep, _) = regiosim::experiment::sweep::load(&file, 1, &[]).expect("valid sweep");
    assert_eq!(sweep.points.len(), 8);
    for point in &sweep.points {
        let x = point[0].as_float().unwrap();
        assert!((0.005..=0.05).contains(&x), "{x}");
    }
}

#[test]
fn a_set_key_the_registry_does_not_declare_is_refused_before_loading() {
    let out = regiosim()
        .arg("check")
        .arg(super::scenario("test-region.toml"))
        .args(["--set", "needs.escalation_per_yaer[0]=0.5"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains(
            "unknown key `needs.escalation_per_yaer[0]` (did you mean `escalation_per_year`?)"
        ),
        "{err}"
    );
    regiosim()
        .arg("check")
        .arg(super::scenario("test-region.toml"))
        .args(["--set", "trends.onset={ 2020 = 1.1 }"])
        .assert()
        .success();
}

#[test]
fn every_metric_written_in_summary_csv_has_a_spec() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    regiosim()
        .arg("run")
        .arg(super::scenario("test-region.toml"))
        .args(["--replications", "1", "--years", "1", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let specs = regiosim::model::metric_specs();
    let has_spec = |m: &str| specs.iter().any(|s| s.name == m);
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut seen = 0;
    for line in summary.lines().skip(1) {
        let metric = line.split(',').nth(4).unwrap();
        assert!(
            has_spec(metric),
            "`{metric}` in summary.csv has no MetricSpec"
        );
        seen += 1;
    }
    assert!(seen > 0);
    // runs.csv: every column after the keys, in the registry's order.
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
    assert!(header.ends_with(&names.iter().map(String::as_str).collect::<Vec<_>>()));
    assert_eq!(
        regiosim::model::metric_label("share_via_huisarts", true),
        "huisarts"
    );
}
