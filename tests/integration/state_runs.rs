//! `regiosim run --state DIR`: every run starts from the observed state
//! on its reference date (caseloads by care form, waiting lists, budget).

use crate::{regiosim, scenario};
use std::path::{Path, PathBuf};

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/state/nijmegen-2025")
}

fn run_with_state(out: &Path, threads: &str) {
    regiosim()
        .arg("run")
        .arg(scenario("nijmegen.toml"))
        .arg("--state")
        .arg(shipped())
        .args(["--replications", "2", "--years", "2", "--quiet"])
        .args(["--threads", threads, "--out"])
        .arg(out)
        .assert()
        .success();
}

/// The mean of a `forecast.csv` row (every replication has the same value
/// on the reference date, so the mean is the value).
fn forecast(dir: &Path, year: &str, form: &str, measure: &str) -> String {
    let text = std::fs::read_to_string(dir.join("forecast.csv")).unwrap();
    text.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[1] == year && r[3] == "gemeente" && r[4] == form && r[5] == measure)
        .map(|r| format!("{} {} {}", r[6], r[9], r[10]))
        .unwrap_or_default()
}

#[test]
fn a_run_from_the_shipped_state_starts_with_its_caseloads_and_waiting_lists() {
    let dir = tempfile::tempdir().unwrap();
    run_with_state(dir.path(), "2");
    // jeugdhulp-vorm.csv: ambulant 1650 (bij aanbieder; daghulp
    // suppressed), verblijf 165 + 95 (gezinshuis suppressed);
    // wachtlijst.csv: treatment 80, verblijf 15. Mean, p2.5 and p97.5.
    let d = dir.path();
    assert_eq!(
        forecast(d, "2025", "ambulant", "stock_1jan"),
        "1650 1650 1650"
    );
    assert_eq!(forecast(d, "2025", "verblijf", "stock_1jan"), "260 260 260");
    assert_eq!(forecast(d, "2025", "ambulant", "waiting_1jan"), "80 80 80");
    assert_eq!(forecast(d, "2025", "verblijf", "waiting_1jan"), "15 15 15");
    // gemeente.csv's budget and wijkteam caseload (1200: it includes the
    // 850 youths of the light form).
    assert_eq!(
        forecast(d, "2025", "total", "budget_eur"),
        "26100000 26100000 26100000"
    );
    assert_eq!(
        forecast(d, "2025", "total", "light_help_1jan"),
        "1200 1200 1200"
    );
    let manifest = std::fs::read_to_string(d.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"--state\""), "{manifest}");
}

#[test]
fn every_list_of_the_state_is_set_on_its_reference_date() {
    // Through the library: the intake and assessment lists are not in
    // forecast.csv.
    use regiosim::model::run_replication_from;
    let loaded = regiosim::scenario::load(&scenario("nijmegen.toml")).unwrap();
    let mut sc = loaded.scenario.clone();
    sc.simulation.years = 1;
    let observed = regiosim::state::load(&shipped(), &loaded).unwrap();
    let init = regiosim::state::InitialState::from_observed(&observed, &sc).unwrap();
    let r = run_replication_from(&sc, Some(&init), 4, 0, &mut |_| {});
    let f = &r.years[0][0].flows;
    // wijkteam intake 60, assessment 45 + 70 + 25, treatment 80, verblijf 15.
    assert_eq!(f.waiting_start, [60, 140, 80, 15]);
    assert_eq!(f.stock_start, [1650, 260]);
    assert_eq!(f.light_start, 1200);
    assert_eq!(f.stock_end[0], f.stock_start[0] + f.starts[0] - f.ends[0]);
    // The wijkteams' caseload is over their places: fewer youths start
    // light help in the first year than without the state.
    let plain = regiosim::model::run_replication(&sc, 4, 0, &mut |_| {});
    let starts = |r: &regiosim::model::ReplicationResult| r.years[0][0].light_help_starts;
    assert!(
        starts(&r) < starts(&plain),
        "{} vs {}",
        starts(&r),
        starts(&plain)
    );
    // The youths put in care were in it before: their ended trajectories
    // are longer than the time since the reference date alone.
    assert!(f.ended_days[1] / f.ends[1] as f64 > 100.0, "{f:?}");
}

#[test]
fn a_run_from_a_state_gives_the_same_bytes_with_one_or_two_threads() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_with_state(a.path(), "1");
    run_with_state(b.path(), "2");
    assert_eq!(crate::contents(a.path()), crate::contents(b.path()));
}

#[test]
fn a_state_for_a_gemeente_not_in_the_scenario_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg("--state")
        .arg(shipped())
        .args(["--replications", "1", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("Nijmegen"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_half_year_state_is_refused_for_a_run_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(shipped()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.path().join("jeugdhulp-vorm.csv"),
        "RegioS;Perioden;Vorm jeugdhulp;Lopende trajecten op peildatum\n\
         Nijmegen;2025HJ01;Jeugdhulp ambulant bij aanbieder;1650\n",
    )
    .unwrap();
    let out = regiosim()
        .arg("run")
        .arg(scenario("nijmegen.toml"))
        .arg("--state")
        .arg(dir.path())
        .args(["--replications", "1", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("1 January"), "{err}");
}

/// A copy of the shipped state with `gemeente.csv` replaced.
fn state_with_gemeente_csv(dir: &Path, text: &str) {
    for e in std::fs::read_dir(shipped()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.join("gemeente.csv"), text).unwrap();
}

#[test]
fn a_wijkteam_caseload_below_the_light_form_exits_2_naming_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    state_with_gemeente_csv(
        dir.path(),
        "gemeente;budget_eur;wijkteam_caseload\nNijmegen;26100000;700\n",
    );
    let out = regiosim()
        .arg("check-state")
        .arg(dir.path())
        .arg("--scenario")
        .arg(scenario("nijmegen.toml"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("gemeente.csv:2:"), "{err}");
    assert!(err.contains("700") && err.contains("850"), "{err}");
}
