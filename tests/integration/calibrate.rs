//! `regiosim calibrate`: a toy calibration whose true parameters are known
//! is recovered inside its 90% posterior interval; bad calibration files
//! exit 2 naming the key; the outputs are the same bytes for any thread
//! count and after a kill and `--resume`.

use super::{contents, regiosim, scenario};
use regiosim::calibrate::{simulate, spec};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The true values of the toy's two parameters, and their prior bounds.
const TRUTH: [(&str, f64, f64, f64); 2] = [
    ("needs.onset_per_year.PO", 0.125, 0.05, 0.25),
    ("signalling.gp_preference_mean", 0.35, 0.05, 0.75),
];

/// A calibration of the test region (2 output years) with the toy's
/// parameters and targets; `observed` per target, `method` the method table.
fn toy_text(observed: &[(f64, f64)], method: &str) -> String {
    let mut t = format!(
        "name = \"toy\"\nscenarios = [{:?}]\n\n[set]\nsimulation.years = 2\n",
        scenario("test-region.toml").display().to_string()
    );
    let targets = [
        (
            "youth care share PO",
            "youth_care_share",
            "school_type = \"PO\"\n",
        ),
        ("share via huisarts", "share_via_huisarts", ""),
        ("youth care share", "youth_care_share", ""),
    ];
    for ((name, metric, extra), (obs, sd)) in targets.iter().zip(observed) {
        t.push_str(&format!(
            "\n[[targets]]\nname = \"{name}\"\nmetric = \"{metric}\"\n{extra}observed = {obs:?}\nsd = {sd:?}\nsource = \"the model at known parameter values\"\n"
        ));
    }
    for (key, _, lo, hi) in TRUTH {
        t.push_str(&format!(
            "\n[[parameters]]\nkey = \"{key}\"\nprior = \"uniform\"\nmin = {lo:?}\nmax = {hi:?}\n"
        ));
    }
    t.push_str("\n[method]\n");
    t.push_str(method);
    t
}

/// Writes the toy calibration with "observed" values that are the model's
/// own outputs at the true parameters: the mean of 16 replications under
/// another seed than the calibration's, with the sd of that mean.
fn toy_file(dir: &Path, method: &str) -> PathBuf {
    let draft = dir.join("draft.toml");
    std::fs::write(&draft, toy_text(&[(0.1, 0.01); 3], method)).unwrap();
    let mut s = spec::load(&draft).expect("the toy file is valid");
    s.method.seed = 20_250_613;
    let u: Vec<f64> = TRUTH
        .iter()
        .map(|(_, x, lo, hi)| (x - lo) / (hi - lo))
        .collect();
    let reps = simulate::run_point(&s, &u, 16).unwrap();
    let n = reps.len() as f64;
    let observed: Vec<(f64, f64)> = (0..3)
        .map(|t| {
            let m = reps.iter().map(|r| r[t]).sum::<f64>() / n;
            let var = reps.iter().map(|r| (r[t] - m).powi(2)).sum::<f64>() / (n - 1.0);
            (m, (var / n).sqrt())
        })
        .collect();
    let file = dir.join("toy.toml");
    std::fs::write(&file, toy_text(&observed, method)).unwrap();
    file
}

fn calibrate(file: &Path, out: &Path, extra: &[&str]) {
    regiosim()
        .arg("calibrate")
        .arg(file)
        .arg("--quiet")
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// identifiability.csv as (parameter, p05, p95, width ratio).
fn intervals(out: &Path) -> Vec<(String, f64, f64, f64)> {
    let text = std::fs::read_to_string(out.join("identifiability.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (lo, hi, ratio) = (
        col("posterior_p05"),
        col("posterior_p95"),
        col("width_ratio"),
    );
    lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let num = |i: usize| c[i].parse::<f64>().unwrap();
            (c[0].to_string(), num(lo), num(hi), num(ratio))
        })
        .collect()
}

#[test]
fn a_toy_calibration_recovers_its_true_parameters_inside_the_90_percent_interval() {
    let dir = tempfile::tempdir().unwrap();
    let file = toy_file(
        dir.path(),
        "waves = 2\npoints_per_wave = 20\nreplications = 6\nparticles = 40\ngenerations = 3\nseed = 7\n",
    );
    let out = dir.path().join("out");
    calibrate(&file, &out, &[]);
    let got = intervals(&out);
    assert_eq!(got.len(), 2);
    for ((key, truth, lo, hi), (name, p05, p95, ratio)) in TRUTH.iter().zip(&got) {
        assert_eq!(key, name);
        assert!(
            p05 <= truth && truth <= p95,
            "{key}: true value {truth} outside the 90% interval {p05} to {p95}"
        );
        // The targets pin both parameters down: the posterior is much
        // narrower than the prior (and inside its bounds).
        assert!(*ratio < 0.6, "{key}: posterior/prior width {ratio}");
        assert!(lo <= p05 && p95 <= hi);
    }
    // History matching ruled space out, and the posterior's predictions
    // cover the observations.
    let waves = std::fs::read_to_string(out.join("waves.csv")).unwrap();
    let last = waves.lines().last().unwrap();
    let ruled_out: f64 = last.split(',').nth(6).unwrap().parse().unwrap();
    assert!(ruled_out > 0.3, "{waves}");
    let targets = std::fs::read_to_string(out.join("targets.csv")).unwrap();
    for line in targets.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let z: f64 = c[15].parse().unwrap();
        assert!(
            z.abs() < 2.0,
            "posterior mean far from the observation: {line}"
        );
    }
    // The targets are the model's own outputs, so each is predicted by the
    // other two (leave-one-target-out), from a region at least as large.
    let holdout = std::fs::read_to_string(out.join("holdout.csv")).unwrap();
    let header: Vec<&str> = holdout.lines().next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    assert_eq!(holdout.lines().count(), 4, "{holdout}");
    for line in holdout.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        assert_eq!(c[col("covered90")], "yes", "{line}");
        let n = |k: &str| c[col(k)].parse::<f64>().unwrap();
        assert!(n("kept_without_target") >= n("kept_all_targets") && n("kept_all_targets") > 0.0);
        assert!(n("predicted_p05") <= n("observed") && n("observed") <= n("predicted_p95"));
    }
    let posterior = std::fs::read_to_string(out.join("posterior.csv")).unwrap();
    assert_eq!(posterior.lines().count(), 41, "40 particles and a header");
    let w: f64 = posterior
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((w - 1.0).abs() < 1e-9, "weights sum to {w}");
}

/// Runs `regiosim calibrate` on `text`; expects exit code 2 and returns stderr.
fn calibrate_error(dir: &Path, text: &str) -> String {
    let f = dir.join("bad.toml");
    std::fs::write(&f, text).unwrap();
    let out = regiosim()
        .arg("calibrate")
        .arg(&f)
        .arg("--quiet")
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!dir.join("out").join("manifest.json").exists());
    err
}

#[test]
fn a_bad_calibration_file_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let good = toy_text(&[(0.1, 0.01); 3], "waves = 1\n");
    let cases: [(&str, &str, &str); 9] = [
        (
            "simulation.years = 2",
            "simulation.yeers = 2",
            "with the keys of `[set]` (simulation.yeers)",
        ),
        (
            "metric = \"share_via_huisarts\"",
            "metric = \"share_via_huisart\"",
            "`targets[1].metric` (line 17, column 1): unknown metric `share_via_huisart` (did you mean `share_via_huisarts`?)",
        ),
        (
            "key = \"signalling.gp_preference_mean\"",
            "key = \"signalling.gp_preferense_mean\"",
            "`parameters[1].key`",
        ),
        ("max = 0.75", "max = 1.5", "`parameters[1].max`"),
        ("sd = 0.01\nsource", "sd = -1.0\nsource", "`targets[0].sd`"),
        (
            "prior = \"uniform\"",
            "prior = \"unifrom\"",
            "(did you mean `uniform`?)",
        ),
        (
            "waves = 1",
            "waves = 1\nreplications = 1",
            "`method.replications`",
        ),
        ("waves = 1", "wave = 1", "unknown key `method.wave`"),
        (
            "school_type = \"PO\"",
            "school_type = \"PO\"\nyears = [2031]",
            "`targets[0].years`",
        ),
    ];
    for (from, to, want) in cases {
        assert!(good.contains(from), "{from}");
        let err = calibrate_error(dir.path(), &good.replacen(from, to, 1));
        assert!(err.contains(want), "want {want:?} in:\n{err}");
        assert!(err.contains("bad.toml"), "{err}");
    }
    // A value out of a key's valid range names the parameter bound and the rule.
    let err = calibrate_error(dir.path(), &good.replacen("max = 0.75", "max = 1.5", 1));
    assert!(err.contains("must lie in [0, 1]"), "{err}");
}

const SMALL: &str = "waves = 1\npoints_per_wave = 10\nreplications = 2\nparticles = 10\ngenerations = 2\nseed = 3\n";

#[test]
fn a_calibration_gives_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("small.toml");
    std::fs::write(
        &file,
        toy_text(&[(0.1, 0.01), (0.25, 0.02), (0.12, 0.01)], SMALL),
    )
    .unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    calibrate(&file, &one, &["--threads", "1"]);
    calibrate(&file, &two, &["--threads", "2"]);
    let a = contents(&one);
    assert_eq!(a.len(), 7, "six tables and the manifest");
    assert_eq!(a, contents(&two));
    assert!(!one.join("runs").exists(), "stored runs removed at the end");
}

#[test]
fn a_calibration_killed_mid_run_resumes_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("small.toml");
    std::fs::write(
        &file,
        toy_text(&[(0.1, 0.01), (0.25, 0.02), (0.12, 0.01)], SMALL),
    )
    .unwrap();
    let (whole, killed) = (dir.path().join("whole"), dir.path().join("killed"));
    calibrate(&file, &whole, &["--threads", "2"]);

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_regiosim"))
        .arg("calibrate")
        .arg(&file)
        .args(["--quiet", "--threads", "1", "--out"])
        .arg(&killed)
        .spawn()
        .unwrap();
    let runs = killed.join("runs");
    let count = || {
        std::fs::read_dir(&runs)
            .map(|d| {
                d.filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "run"))
                })
                .count()
            })
            .unwrap_or(0)
    };
    let started = Instant::now();
    // Past the wave's 10 points: killed inside ABC-SMC.
    while count() < 14 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no runs finished"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the calibration ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !killed.join("manifest.json").exists(),
        "killed before the end"
    );

    // Without --resume the stored runs are refused, not silently reused.
    let out = regiosim()
        .arg("calibrate")
        .arg(&file)
        .arg("--quiet")
        .arg("--out")
        .arg(&killed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));

    calibrate(&file, &killed, &["--resume", "--threads", "2"]);
    assert_eq!(contents(&whole), contents(&killed));
}
