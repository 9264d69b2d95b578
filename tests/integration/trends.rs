//! `[trends]`: multipliers over calendar years. A trend of 1 everywhere is
//! no trend at all (same bytes); a rising onset trend raises the share of
//! youth with jeugdhulp year on year where the baseline stays flat; keys
//! that are no years are refused naming them.

use crate::{contents, regiosim, scenario, write_scenario};
use regiosim::model::{metric_names, run_replication};
use regiosim::output::tables::RunRows;

fn test_region(body: &str) -> String {
    format!(
        "extends = {:?}\nname = \"trend\"\n{body}",
        scenario("test-region.toml").display().to_string()
    )
}

/// The region's `metric` per output year, summed over `reps` replications.
fn per_year(body: &str, metric: &str, reps: u32) -> Vec<f64> {
    let dir = tempfile::tempdir().unwrap();
    let text = test_region(body);
    let f = write_scenario(dir.path(), "trend.toml", &text);
    let l = regiosim::scenario::load(&f).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let m = metric_names().iter().position(|n| n == metric).unwrap();
    let rows: Vec<RunRows> = (0..reps)
        .map(|rep| RunRows::from_result(rep, &run_replication(&l.scenario, 11, rep, &mut |_| {})))
        .collect();
    (0..rows[0].metrics.len())
        .map(|y| rows.iter().map(|r| r.metrics[y][0][m]).sum())
        .collect()
}

#[test]
fn a_trend_of_one_everywhere_gives_the_same_bytes_as_no_trends() {
    let dir = tempfile::tempdir().unwrap();
    let sim = "[simulation]\nyears = 3\nstart_year = 2015\n";
    let plain = write_scenario(dir.path(), "plain.toml", &test_region(sim));
    let ones = write_scenario(
        dir.path(),
        "ones.toml",
        &test_region(&format!(
            "{sim}[trends]\npopulation = {{ 2010 = 1.0, 2020 = 1.0 }}\nonset = {{ 2015 = 1.0 }}\n\
             treatment_duration = {{ 2012 = 1.0, 2016 = 1.0 }}\nstay_duration = {{ 2030 = 1.0 }}\n"
        )),
    );
    let mut outputs = Vec::new();
    for (f, out) in [(&plain, "a"), (&ones, "b")] {
        let out = dir.path().join(out);
        regiosim()
            .arg("run")
            .arg(f)
            .args(["--replications", "2", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        // The manifest holds the scenario text, which differs by the table.
        let files: Vec<_> = contents(&out)
            .into_iter()
            .filter(|(name, _)| name != "manifest.json")
            .collect();
        outputs.push(files);
    }
    assert!(outputs[0].len() >= 4, "{:?}", outputs[0].len());
    for (a, b) in outputs[0].iter().zip(&outputs[1]) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs with a trend of 1 everywhere", a.0);
    }
}

#[test]
fn an_onset_trend_rising_over_the_years_raises_the_share_with_jeugdhulp_year_on_year() {
    // Eight warm-up years, as the baselines: three leave the slow stocks
    // drifting.
    let sim = "[simulation]\nyears = 5\nwarmup_years = 8\nstart_year = 2025\n";
    let base = per_year(sim, "youth_care_share", 3);
    let rising = per_year(
        &format!("{sim}[trends]\nonset = {{ 2025 = 1.0, 2029 = 2.0 }}\n"),
        "youth_care_share",
        3,
    );
    // The warm-up runs at the first point's level: the first year is the
    // baseline's, give or take noise.
    assert!(
        (rising[0] / base[0] - 1.0).abs() < 0.08,
        "{rising:?} vs {base:?}"
    );
    for y in 1..rising.len() {
        assert!(
            rising[y] > rising[y - 1],
            "the share did not rise in output year {y}: {rising:?}"
        );
    }
    assert!(rising[4] > 1.3 * rising[0], "{rising:?}");
    let (lo, hi) = base
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
    assert!(hi / lo < 1.08, "the baseline is not flat: {base:?}");
}

#[test]
fn a_population_trend_scales_the_students_from_its_year() {
    let sim = "[simulation]\nyears = 4\nstart_year = 2025\n";
    let base = per_year(sim, "students", 1);
    let falling = per_year(
        &format!("{sim}[trends]\npopulation = {{ 2025 = 1.0, 2028 = 0.7 }}\n"),
        "students",
        1,
    );
    assert_eq!(base[0], falling[0]);
    for y in 1..4 {
        assert!(falling[y] < falling[y - 1], "{falling:?}");
    }
    assert!(falling[3] < 0.9 * base[3], "{falling:?} vs {base:?}");
}

#[test]
fn longer_treatment_durations_by_trend_lengthen_trajectories() {
    let sim = "[simulation]\nyears = 3\nstart_year = 2025\n";
    // Twice the median: far fewer treatments shorter than three months.
    let metric = "trajectory_share_lt_3m";
    let base: f64 = per_year(sim, metric, 2).iter().sum();
    let longer: f64 = per_year(
        &format!("{sim}[trends]\ntreatment_duration = {{ 2020 = 2.0 }}\n"),
        metric,
        2,
    )
    .iter()
    .sum();
    assert!(longer < 0.75 * base, "{longer} vs {base}");
}

#[test]
fn a_trend_key_that_is_no_year_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (trend, key) in [
        (
            "onset = { 2015 = 0.8, \"20x5\" = 1.0 }",
            "trends.onset.20x5",
        ),
        ("population = { 1890 = 1.0 }", "trends.population.1890"),
        (
            "stay_duration = { 2020 = 0.0 }",
            "trends.stay_duration.2020",
        ),
        ("treatment_duration = {}", "trends.treatment_duration"),
        ("waiting = { 2020 = 1.0 }", "waiting"),
    ] {
        let f = write_scenario(
            dir.path(),
            "bad.toml",
            &test_region(&format!("[trends]\n{trend}\n")),
        );
        let done = regiosim().arg("check").arg(&f).output().unwrap();
        assert_eq!(done.status.code(), Some(2), "{trend}");
        let err = String::from_utf8_lossy(&done.stderr);
        assert!(err.contains(key), "{trend}: {err}");
    }
}
