//! Snapshot tests (insta) of what scripts and people read: the header of
//! every output table, every subcommand's `--help`, and the error messages
//! of common mistakes. A change to any of them shows as a diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` and read the
//! diff of `tests/integration/snapshots/`); a column renamed by accident
//! fails here before it breaks someone's script.

use super::{regiosim, scenario, write_scenario};
use std::path::Path;

/// The first line of `file`.
fn header(dir: &Path, file: &str) -> String {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines().next().unwrap_or_default().replace(',', "\n")
}

#[test]
fn the_headers_of_the_run_tables_are_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    regiosim()
        .arg("run")
        .args([
            scenario("test-region.toml"),
            scenario("test-region-poh.toml"),
        ])
        .args(["--replications", "2", "--years", "2", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for file in [
        "runs.csv",
        "summary.csv",
        "comparison.csv",
        "horizon.csv",
        "cost_effectiveness.csv",
        "by_school_type.csv",
        "timeseries.csv",
        "forecast.csv",
    ] {
        insta::assert_snapshot!(format!("header_{file}"), header(dir.path(), file));
    }
}

#[test]
fn the_headers_of_the_sweep_tables_are_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name = \"s\"\nbase = {:?}\nreplications = 1\nmethod = \"morris\"\npoints = 2\nlevels = 4\n\n\
         [[parameters]]\npath = \"school_route.smw_hours_per_week\"\nmin = 0.0\nmax = 4.0\n",
        scenario("test-region.toml").display().to_string()
    );
    let file = write_scenario(dir.path(), "morris.toml", &text);
    let out = dir.path().join("out");
    regiosim()
        .arg("sweep")
        .arg(&file)
        .args(["--years", "1", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    for file in ["variants.csv", "sensitivity.csv"] {
        insta::assert_snapshot!(format!("header_{file}"), header(&out, file));
    }
}

#[test]
fn every_subcommand_has_help_with_examples() {
    let subcommands = [
        "run",
        "check",
        "sweep",
        "merge",
        "reproduce",
        "report",
        "serve",
        "export",
        "completions",
        "man",
        "calibrate",
        "check-state",
        "backtest",
    ];
    for sub in subcommands {
        let out = regiosim().args([sub, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{sub} --help");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Examples:"), "{sub} --help has no examples");
        insta::assert_snapshot!(format!("help_{sub}"), text);
    }
    let out = regiosim().arg("--help").output().unwrap();
    insta::assert_snapshot!("help", String::from_utf8(out.stdout).unwrap());
}

/// Runs `regiosim ARGS` in `dir` and returns the exit code and stderr.
fn fails_in(dir: &Path, args: &[&str]) -> String {
    let out = regiosim().current_dir(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_error_messages_of_common_mistakes_name_the_problem_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(scenario("test-region.toml"), d.join("base.toml")).unwrap();
    write_scenario(
        d,
        "typo.toml",
        "extends = \"base.toml\"\nname = \"typo\"\n\n[huisarts]\npoh_coverrage = 0.5\n",
    );
    write_scenario(
        d,
        "range.toml",
        "extends = \"base.toml\"\nname = \"range\"\n\n[huisarts]\npoh_coverage = 1.5\n",
    );
    write_scenario(
        d,
        "syntax.toml",
        "extends = \"base.toml\"\nname = \"syntax\"\n\n[huisarts\n",
    );
    let cases: [(&str, Vec<&str>); 6] = [
        ("unknown_key", vec!["check", "typo.toml"]),
        ("out_of_range", vec!["check", "range.toml"]),
        ("toml_syntax", vec!["check", "syntax.toml"]),
        ("missing_file", vec!["check", "nowhere.toml"]),
        (
            "set_twice",
            vec![
                "run",
                "base.toml",
                "--set",
                "huisarts.poh_coverage=0.2",
                "--set",
                "huisarts.poh_coverage=0.3",
            ],
        ),
        (
            "zero_replications",
            vec!["run", "base.toml", "--replications", "0"],
        ),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(format!("error_{name}"), fails_in(d, &args));
    }
}
