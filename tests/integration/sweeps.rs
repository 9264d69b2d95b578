//! Sweeps: errors in sweep files, resuming a killed sweep, shards merged,
//! and reproducing a published run.

use crate::{contents, regiosim, scenario, write_scenario};
use std::path::Path;
use std::time::{Duration, Instant};

pub fn sweep_file(dir: &Path, variants: usize) -> std::path::PathBuf {
    let values: Vec<String> = (0..variants)
        .map(|i| format!("{:.2}", 0.05 * i as f64))
        .collect();
    let text = format!(
        "name = \"t\"\nbase = {:?}\nreplications = 4\nmethod = \"grid\"\n\n[[parameters]]\npath = \"huisarts.poh_coverage\"\nvalues = [{}]\n",
        scenario("test-region.toml").display().to_string(),
        values.join(", ")
    );
    write_scenario(dir, "sweep.toml", &text)
}

pub fn sweep(file: &Path, out: &Path, extra: &[&str]) {
    regiosim()
        .arg("sweep")
        .arg(file)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Runs `regiosim sweep` on `text`; expects exit code 2 and returns stderr.
fn sweep_error(dir: &Path, text: &str) -> String {
    let f = write_scenario(dir, "bad.toml", text);
    let out = regiosim()
        .arg("sweep")
        .arg(&f)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn unknown_dotted_path_in_a_sweep_gets_a_suggestion_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name = \"bad\"\nbase = {:?}\nreplication = 2\n[[parameters]]\npath = \"dsav.hours_per_schol_week\"\nvalues = [1.0]\n",
        scenario("nijmegen.toml").display().to_string()
    );
    let err = sweep_error(dir.path(), &text);
    assert!(
        err.contains("unknown key `replication` (did you mean `replications`?)"),
        "{err}"
    );
    let err = sweep_error(dir.path(), &text.replace("replication = 2\n", ""));
    assert!(
        err.contains("parameters[0].path: unknown scenario key `hours_per_schol_week` in `dsav.hours_per_schol_week` (did you mean `hours_per_school_week`?)"),
        "{err}"
    );
}

#[test]
fn a_sweep_killed_mid_run_resumes_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), 12);
    let (whole, killed) = (dir.path().join("whole"), dir.path().join("killed"));
    sweep(&file, &whole, &["--threads", "2"]);

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_regiosim"))
        .arg("sweep")
        .arg(&file)
        .args(["--quiet", "--threads", "1", "--out"])
        .arg(&killed)
        .spawn()
        .unwrap();
    let parts = killed.join("parts");
    let started = Instant::now();
    let count = || {
        std::fs::read_dir(&parts)
            .map(|d| {
                d.filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "part"))
                })
                .count()
            })
            .unwrap_or(0)
    };
    while count() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no runs finished"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sweep ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !killed.join("manifest.json").exists(),
        "killed before the end"
    );
    let finished_before = count();
    assert!(finished_before < 13 * 4, "killed mid-sweep");

    // Without --resume the leftover parts are refused, not silently reused.
    let out = regiosim()
        .arg("sweep")
        .arg(&file)
        .arg("--quiet")
        .arg("--out")
        .arg(&killed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));

    sweep(&file, &killed, &["--resume", "--threads", "2"]);
    assert_eq!(contents(&whole), contents(&killed));
}

#[test]
fn shards_merge_into_the_bytes_of_a_single_machine_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), 3);
    let single = dir.path().join("single");
    sweep(&file, &single, &[]);
    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let d = dir.path().join(format!("shard{k}"));
        sweep(&file, &d, &["--shard", &format!("{k}/3")]);
        assert!(!d.join("runs.csv").exists(), "a shard writes no tables");
        shard_dirs.push(d);
    }
    let merged = dir.path().join("merged");
    regiosim()
        .arg("merge")
        .arg("--out")
        .arg(&merged)
        .args(&shard_dirs)
        .assert()
        .success();
    assert_eq!(contents(&single), contents(&merged));
    // An incomplete set of shards is refused.
    let out = regiosim()
        .arg("merge")
        .arg("--out")
        .arg(dir.path().join("m2"))
        .args(&shard_dirs[..2])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing shards 3 of 3"));
}

#[test]
fn the_published_run_reproduces_and_a_changed_file_is_reported() {
    let published = Path::new(env!("CARGO_MANIFEST_DIR")).join("results/nijmegen-dsav");
    let out = regiosim()
        .arg("reproduce")
        .arg(&published)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("summary.csv") && text.contains("identical") && !text.contains("DIFFERENT"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    for f in ["manifest.json", "summary.csv", "comparison.csv"] {
        std::fs::copy(published.join(f), dir.path().join(f)).unwrap();
    }
    let mut summary = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    summary.push_str("tampered\n");
    std::fs::write(dir.path().join("summary.csv"), summary).unwrap();
    let out = regiosim()
        .arg("reproduce")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("summary.csv          DIFFERENT"));
}

#[test]
fn sobol_indices_come_with_bootstrap_intervals_in_the_csv_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name = \"s\"\nbase = {:?}\nreplications = 1\nmethod = \"sobol\"\npoints = 8\n\n[[parameters]]\npath = \"school_route.smw_hours_per_week\"\nmin = 0.0\nmax = 4.0\n\n[[parameters]]\npath = \"huisarts.poh_coverage\"\nmin = 0.0\nmax = 1.0\n",
        scenario("test-region.toml").display().to_string()
    );
    let file = write_scenario(dir.path(), "sobol.toml", &text);
    let out = dir.path().join("out");
    sweep(&file, &out, &[]);
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert!(
        csv.starts_with("method,metric,parameter,index,value,low,high\n"),
        "{csv}"
    );
    // The interval is in the index's own row, in columns `low` and `high`.
    let bounds = |param: &str, index: &str| -> (f64, f64) {
        let row = csv
            .lines()
            .find(|l| l.contains(&format!(",{param},{index},")))
            .unwrap_or_else(|| panic!("no {index} row for {param} in\n{csv}"));
        let f: Vec<&str> = row.split(',').collect();
        (f[5].parse().unwrap(), f[6].parse().unwrap())
    };
    for param in ["school_route.smw_hours_per_week", "huisarts.poh_coverage"] {
        for index in ["first_order", "total"] {
            let (lo, hi) = bounds(param, index);
            assert!(
                lo.is_finite() && hi.is_finite() && lo <= hi,
                "{param} {index}: [{lo}, {hi}]"
            );
        }
        assert!(!csv.contains("_low,") && !csv.contains("_high,"), "{csv}");
    }
    let html = dir.path().join("r.html");
    regiosim()
        .arg("report")
        .arg(&out)
        .args(["--lang", "en", "-o"])
        .arg(&html)
        .assert()
        .success();
    let report = std::fs::read_to_string(&html).unwrap();
    assert!(report.contains("95% confidence interval"), "{report}");
}

#[test]
fn sweep_years_override_reaches_every_variant_and_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), 3);
    let out = dir.path().join("out");
    sweep(&file, &out, &["--years", "2", "--seed", "7"]);
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let mut years: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for line in runs.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        years
            .entry(cols[0].to_string())
            .or_default()
            .insert(cols[2].to_string());
    }
    // The base and three variants, each with the two output years only.
    assert_eq!(years.len(), 4, "{years:?}");
    for (scenario, ys) in &years {
        assert_eq!(
            ys.iter().map(String::as_str).collect::<Vec<_>>(),
            ["2025", "2026"],
            "{scenario}"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let command: Vec<&str> = manifest["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(command.ends_with(&["--years", "2"]), "{command:?}");
    for s in manifest["scenarios"].as_array().unwrap() {
        let resolved: toml::Table = s["resolved_toml"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            resolved["simulation"]["years"].as_integer(),
            Some(2),
            "{}",
            s["name"]
        );
    }
    let done = regiosim().arg("reproduce").arg(&out).output().unwrap();
    let text = String::from_utf8_lossy(&done.stdout);
    assert!(done.status.success(), "{text}");
    assert!(
        text.contains("runs.csv") && !text.contains("DIFFERENT"),
        "{text}"
    );
}

#[test]
fn sweep_years_with_a_swept_years_parameter_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name = \"y\"\nbase = {:?}\n[[parameters]]\npath = \"simulation.years\"\nvalues = [1, 2]\n",
        scenario("test-region.toml").display().to_string()
    );
    let f = write_scenario(dir.path(), "y.toml", &text);
    let out = regiosim()
        .arg("sweep")
        .arg(&f)
        .args(["--quiet", "--years", "2", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("varies `simulation.years`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
