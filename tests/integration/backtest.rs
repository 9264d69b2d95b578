//! `regiosim backtest FILE`: a forecast from an observed state over a
//! posterior, scored against observed figures (MAPE, 90% coverage) beside
//! the naive benchmark; bad input is exit 2 naming the key.

use crate::{regiosim, scenario};
use std::path::Path;

const POSTERIOR: &str = "particle,weight,needs.escalation_per_year[0],distance\n\
0,0.5,0.5,0.1\n\
1,0.5,0.7,0.2\n";

const STATE: &str = "RegioS;Perioden;Vorm jeugdhulp;Lopende trajecten op peildatum\n\
Stad;2025JJ00;Jeugdhulp ambulant bij aanbieder;260\n\
Stad;2025JJ00;Jeugdhulp met verblijf;30\n\
Dorp;2025JJ00;Jeugdhulp ambulant bij aanbieder;90\n\
Dorp;2025JJ00;Jeugdhulp met verblijf;10\n";

/// The fit line and the observed figures of a small backtest of the test
/// region: state at 1 January 2026, forecast 2026-2027.
fn head(fit: &str) -> String {
    format!(
        "name = \"test-backtest\"\n\
scenario = {:?}\n\
fit_until = 2025\n\
{fit}\n\
state = \"state\"\n\
forecast_years = 2\n\
replications = 4\n\
posterior_draws = 2\n\
seed = 7\n",
        scenario("test-region.toml").display().to_string()
    )
}

const OBSERVED: &str = "
[[observed]]
metric = \"youth_care_share\"
year = 2025
value = 0.10
source = \"made up: the naive benchmark's year\"

[[observed]]
metric = \"youth_care_share\"
year = 2027
value = 0.11
source = \"made up\"

[[observed]]
metric = \"stock_1jan\"
area = \"Stad\"
care_form = \"all\"
year = 2027
value = 300
source = \"made up\"

[[observed]]
metric = \"cost_total_eur\"
area = \"Dorp\"
year = 2026
value = 2000000
source = \"made up\"
";

/// A folder with the backtest file (`extra` appended), the posterior and
/// the state; returns the file's path.
fn setup(dir: &Path, fit: &str, extra: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("state")).unwrap();
    std::fs::write(dir.join("state/jeugdhulp-vorm.csv"), STATE).unwrap();
    std::fs::write(dir.join("posterior.csv"), POSTERIOR).unwrap();
    let file = dir.join("bt.toml");
    std::fs::write(&file, format!("{}{OBSERVED}{extra}", head(fit))).unwrap();
    file
}

fn backtest(file: &Path, out: &Path, threads: &str) -> std::process::Output {
    regiosim()
        .arg("backtest")
        .arg(file)
        .args(["--threads", threads, "-o"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_backtest_prints_its_error_and_coverage_and_writes_one_row_per_figure() {
    let dir = tempfile::tempdir().unwrap();
    let file = setup(dir.path(), "posterior = \"posterior.csv\"", "");
    let out = dir.path().join("out");
    let o = backtest(&file, &out, "2");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("MAPE"), "{stdout}");
    assert!(stdout.contains("90% interval coverage"), "{stdout}");
    assert!(
        stdout.contains("naive (2025 figure carried forward)"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("backtest.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    // The header and the three scored figures (the 2025 one is the benchmark).
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("metric,area,care_form,year,horizon_years,observed,model_mean,model_p5,model_p95,ape_pct,covered,naive"));
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0][..5],
        ["youth_care_share", "Testregio", "", "2027", "2"]
    );
    assert_eq!(rows[1][..4], ["stock_1jan", "Stad", "all", "2027"]);
    assert_eq!(rows[2][..4], ["cost_total_eur", "Dorp", "", "2026"]);
    for r in &rows {
        let (mean, low, high): (f64, f64, f64) = (
            r[6].parse().unwrap(),
            r[7].parse().unwrap(),
            r[8].parse().unwrap(),
        );
        assert!(low <= mean && mean <= high, "{r:?}");
        let (obs, ape): (f64, f64) = (r[5].parse().unwrap(), r[9].parse().unwrap());
        assert!(
            (ape - 100.0 * (mean - obs).abs() / obs).abs() < 1e-6,
            "{r:?}"
        );
        assert_eq!(r[10], if low <= obs && obs <= high { "1" } else { "0" });
        assert_eq!(r[13], "4");
    }
    // Only the share has a benchmark figure: 0.10 carried forward.
    assert_eq!(rows[0][11], "0.1");
    assert_eq!(rows[1][11], "");
    let summary = std::fs::read_to_string(out.join("backtest_summary.csv")).unwrap();
    assert!(
        summary.starts_with("forecast,rows,mape_pct,covered,coverage_90\nmodel,3,"),
        "{summary}"
    );
    assert!(summary.contains("\nnaive_last_value,1,"), "{summary}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    for f in ["backtest.csv", "backtest_summary.csv", "forecast.csv"] {
        assert!(manifest.contains(f), "{manifest}");
    }
}

#[test]
fn a_backtest_gives_the_same_bytes_twice_and_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = setup(dir.path(), "posterior = \"posterior.csv\"", "");
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    for (out, threads) in [(&a, "1"), (&b, "2"), (&c, "2")] {
        let o = backtest(&file, out, threads);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    for f in [
        "backtest.csv",
        "backtest_summary.csv",
        "forecast.csv",
        "manifest.json",
    ] {
        let x = std::fs::read(a.join(f)).unwrap();
        assert_eq!(x, std::fs::read(b.join(f)).unwrap(), "{f}: 1 vs 2 threads");
        assert_eq!(x, std::fs::read(c.join(f)).unwrap(), "{f}: run twice");
    }
}

fn assert_exit_2(o: &std::process::Output, needles: &[&str], out: &Path) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "`{n}` not in: {err}");
    }
    assert!(!out.join("backtest.csv").exists(), "nothing may be written");
    assert!(
        !out.join("manifest.json").exists(),
        "nothing may be written"
    );
    err
}

#[test]
fn a_fit_target_after_fit_until_is_exit_2_naming_it_as_leakage() {
    let dir = tempfile::tempdir().unwrap();
    let cal = format!(
        "name = \"leaky\"\n\
scenarios = [{:?}]\n\
[[targets]]\n\
name = \"share in the forecast years\"\n\
metric = \"youth_care_share\"\n\
years = [2026]\n\
observed = 0.11\n\
sd = 0.01\n\
source = \"made up\"\n\
[[parameters]]\n\
key = \"needs.escalation_per_year[0]\"\n\
prior = \"uniform\"\n\
min = 0.3\n\
max = 0.9\n",
        scenario("test-region.toml").display().to_string()
    );
    std::fs::write(dir.path().join("cal.toml"), cal).unwrap();
    let file = setup(dir.path(), "calibration = \"cal.toml\"", "");
    let out = dir.path().join("out");
    let o = backtest(&file, &out, "2");
    assert_exit_2(
        &o,
        &[
            "targets[0]",
            "share in the forecast years",
            "fit_until",
            "leakage",
        ],
        &out,
    );
    assert!(!out.join("fit").exists(), "no fit may run");
}

#[test]
fn an_observed_figure_of_an_unknown_metric_or_gemeente_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let extra = "
[[observed]]
metric = \"youth_care_shares\"
year = 2026
value = 0.1
source = \"made up\"

[[observed]]
metric = \"youth_care_share\"
area = \"Stadd\"
year = 2026
value = 0.1
source = \"made up\"
";
    let file = setup(dir.path(), "posterior = \"posterior.csv\"", extra);
    let out = dir.path().join("out");
    let o = backtest(&file, &out, "2");
    assert_exit_2(
        &o,
        &[
            "observed[4].metric",
            "youth_care_shares",
            "did you mean `youth_care_share`",
            "observed[5].area",
            "Stadd",
            "did you mean `Stad`",
        ],
        &out,
    );
}

#[test]
fn a_state_on_another_date_than_the_forecast_start_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = setup(dir.path(), "posterior = \"posterior.csv\"", "");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("fit_until = 2025", "fit_until = 2026")
            .replace("year = 2025", "year = 2026"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = backtest(&file, &out, "2");
    // The state counts 1 January 2026, the forecast starts in 2027.
    assert_exit_2(&o, &["`state`", "2026-01-01", "2027-01-01"], &out);
}

/// A tiny calibration of the test region on 2025 alone.
fn tiny_fit(dir: &Path, years: &str) {
    let cal = format!(
        "name = \"tiny\"\n\
scenarios = [{:?}]\n\
[set]\n\
simulation.start_year = 2025\n\
simulation.years = 2\n\
[[targets]]\n\
name = \"share\"\n\
metric = \"youth_care_share\"\n\
years = {years}\n\
observed = 0.10\n\
sd = 0.01\n\
source = \"made up\"\n\
[[parameters]]\n\
key = \"needs.escalation_per_year[0]\"\n\
prior = \"uniform\"\n\
min = 0.3\n\
max = 0.9\n\
[method]\n\
waves = 1\n\
points_per_wave = 6\n\
replications = 2\n\
mc_replications = 3\n\
particles = 10\n\
generations = 1\n\
seed = 3\n",
        scenario("test-region.toml").display().to_string()
    );
    std::fs::write(dir.join("cal.toml"), cal).unwrap();
}

#[test]
fn a_backtest_with_a_calibration_fits_first_and_forecasts_over_that_fit() {
    let dir = tempfile::tempdir().unwrap();
    tiny_fit(dir.path(), "[2025]");
    let file = setup(dir.path(), "calibration = \"cal.toml\"", "");
    let out = dir.path().join("out");
    let o = regiosim()
        .arg("backtest")
        .arg(&file)
        .args(["--threads", "2", "--quiet", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let posterior = std::fs::read(out.join("fit/posterior.csv")).unwrap();
    assert!(out.join("fit/manifest.json").exists());
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"fit/posterior.csv\""), "{manifest}");
    let sha = regiosim::scenario::sha256_hex(&posterior);
    assert!(
        manifest.contains(&sha),
        "the manifest names the fit's posterior: {manifest}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("backtest.csv"))
            .unwrap()
            .lines()
            .count(),
        4
    );
}

#[test]
fn a_fit_target_whose_years_run_past_fit_until_is_leakage_too() {
    let dir = tempfile::tempdir().unwrap();
    tiny_fit(dir.path(), "\"2025-2026\"");
    let file = setup(dir.path(), "calibration = \"cal.toml\"", "");
    let out = dir.path().join("out");
    let o = backtest(&file, &out, "2");
    assert_exit_2(&o, &["targets[0]", "2025-2026", "leakage"], &out);
}
