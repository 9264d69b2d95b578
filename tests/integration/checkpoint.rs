//! Checkpoint and fork (`run --until DATE --save-state FILE`, `run
//! --from-state FILE`): a run continued from a saved state gives the bytes
//! of the run straight through; scenarios forked from one state equal the
//! baseline before the fork; every bad state file or date is exit 2.

use crate::{regiosim, scenario, write_scenario};
use std::path::Path;

const YEARS: &str = "3";

fn run(args: &[&str]) -> std::process::Output {
    regiosim()
        .arg("run")
        .args(args)
        .args(["--years", YEARS, "--quiet"])
        .output()
        .unwrap()
}

fn ok(out: std::process::Output) {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every CSV table of an output folder, by name.
fn tables(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    assert!(v.len() >= 4, "tables in {}", dir.display());
    v
}

fn save(scenario: &Path, reps: &str, threads: &str, date: &str, file: &Path) {
    let mut args = vec![s(scenario)];
    args.extend([
        "--replications",
        reps,
        "--threads",
        threads,
        "--until",
        date,
        "--save-state",
        s(file),
    ]);
    ok(run(&args));
}

fn straight_and_resumed(sc: &str, reps: &str) {
    straight_and_resumed_at(&scenario(sc), reps);
}

fn straight_and_resumed_at(sc: &Path, reps: &str) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(run(&[
        s(sc),
        "--replications",
        reps,
        "--threads",
        "1",
        "-o",
        s(&d.join("a")),
    ]));
    // Saved with two threads, continued with one: neither changes a byte.
    let state = d.join("state.bin");
    save(sc, reps, "2", "2026-01-01", &state);
    ok(run(&[
        s(sc),
        "--replications",
        reps,
        "--threads",
        "1",
        "--from-state",
        s(&state),
        "-o",
        s(&d.join("b")),
    ]));
    assert_eq!(tables(&d.join("a")), tables(&d.join("b")));
    // A state in the warm-up years, continued with two threads.
    save(sc, reps, "1", "2024-01-01", &state);
    ok(run(&[
        s(sc),
        "--replications",
        reps,
        "--threads",
        "2",
        "--from-state",
        s(&state),
        "-o",
        s(&d.join("c")),
    ]));
    assert_eq!(tables(&d.join("a")), tables(&d.join("c")));
}

#[test]
fn a_run_continued_from_a_saved_state_equals_the_straight_run() {
    straight_and_resumed("test-region.toml", "1");
    straight_and_resumed("test-region.toml", "3");
}

#[test]
fn a_multi_jeugdregio_run_continued_from_a_saved_state_equals_the_straight_run() {
    straight_and_resumed("test-two-regions.toml", "2");
}

#[test]
fn a_run_from_a_saved_state_reproduces_from_its_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sc = scenario("test-region.toml");
    let state = d.join("state.bin");
    save(&sc, "1", "1", "2026-01-01", &state);
    let out = d.join("r");
    ok(run(&[
        s(&sc),
        "--replications",
        "1",
        "--from-state",
        s(&state),
        "-o",
        s(&out),
    ]));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("--state-sha256"), "{manifest}");
    ok(regiosim().arg("reproduce").arg(&out).output().unwrap());
    // Another file in the state's place: reproduce refuses, exit 2.
    save(&sc, "1", "1", "2027-01-01", &state);
    let o = regiosim().arg("reproduce").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("sha256"));
}

/// The rows of `table` for `scenario` in `year` (scenario and year cut off).
fn rows(table: &[u8], scenario: &str, year: &str) -> Vec<String> {
    String::from_utf8_lossy(table)
        .lines()
        .filter(|l| l.split(',').next() == Some(scenario))
        .filter(|l| l.split(',').any(|c| c == year))
        .map(|l| l.split_once(',').unwrap().1.to_string())
        .collect()
}

#[test]
fn forked_scenarios_equal_the_baseline_before_the_fork_and_differ_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (base, poh) = (
        scenario("test-region.toml"),
        scenario("test-region-poh.toml"),
    );
    let state = d.join("base.bin");
    save(&base, "2", "2", "2026-01-01", &state);
    let out = d.join("fork");
    ok(run(&[
        s(&base),
        s(&poh),
        "--replications",
        "2",
        "--from-state",
        s(&state),
        "-o",
        s(&out),
    ]));
    for table in ["timeseries.csv", "summary.csv"] {
        let bytes = std::fs::read(out.join(table)).unwrap();
        let (a, b) = (
            rows(&bytes, "test-region", "2025"),
            rows(&bytes, "test-region-poh", "2025"),
        );
        assert!(!a.is_empty());
        assert_eq!(a, b, "{table}: the year before the fork");
        for year in ["2026", "2027"] {
            let (a, b) = (
                rows(&bytes, "test-region", year),
                rows(&bytes, "test-region-poh", year),
            );
            assert_ne!(a, b, "{table}: POH from the fork on changes {year}");
        }
    }
    // The baseline of the fork is the baseline run straight through.
    let straight = d.join("straight");
    ok(run(&[s(&base), "--replications", "2", "-o", s(&straight)]));
    let runs = |dir: &Path| std::fs::read(dir.join("runs.csv")).unwrap();
    assert_eq!(
        rows(&runs(&out), "test-region", "2027"),
        rows(&runs(&straight), "test-region", "2027")
    );
}

fn refused(args: &[&str], needle: &str) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{needle}: {err}");
    assert!(err.contains(needle), "expected `{needle}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_state_files_and_dates_exit_2_naming_the_problem_and_the_fix() {
    use regiosim::checkpoint::SavedState;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sc = scenario("test-region.toml");
    let state = d.join("state.bin");
    save(&sc, "2", "2", "2026-01-01", &state);
    let good = std::fs::read(&state).unwrap();
    let from = |file: &Path, extra: &[&str]| {
        let mut v = vec![
            s(&sc).to_string(),
            "--replications".into(),
            "2".into(),
            "--from-state".into(),
            s(file).to_string(),
            "-o".into(),
            s(&d.join("out")).to_string(),
        ];
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let refused_from = |bytes: &[u8], extra: &[&str], needle: &str| {
        let f = d.join("bad.bin");
        std::fs::write(&f, bytes).unwrap();
        let args = from(&f, extra);
        refused(&args.iter().map(String::as_str).collect::<Vec<_>>(), needle);
    };
    refused_from(&good[..good.len() / 2], &[], "truncated");
    let mut flipped = good.clone();
    let at = flipped.len() - 100;
    flipped[at] ^= 0x40;
    refused_from(&flipped, &[], "checksum");
    let mut version = good.clone();
    version[8] = 99;
    refused_from(&version, &[], "format version 99");
    refused_from(b"seed,replication\n1,2\n", &[], "not a regiosim state file");
    let mut parsed = SavedState::from_bytes(&good, "x").unwrap();
    parsed.regiosim_version = "0.0.1".into();
    refused_from(&parsed.to_bytes(), &[], "saved by regiosim 0.0.1");
    refused_from(&good, &["--seed", "7"], "add --seed 1");
    let args = [s(&sc), "--replications", "3", "--from-state", s(&state)];
    refused(&args, "add --replications 2");
    // Another population: a school group of another size, and more years.
    let text = std::fs::read_to_string(&sc)
        .unwrap()
        .replacen("students = 220", "students = 200", 1)
        .replacen("name = \"test-region\"", "name = \"smaller\"", 1);
    let smaller = write_scenario(d, "smaller.toml", &text);
    let args = [
        s(&smaller),
        "--replications",
        "2",
        "--from-state",
        s(&state),
    ];
    refused(
        &args,
        "`schools[0].students` is 200, the saved population's is 220",
    );
    let out = regiosim()
        .args([
            "run",
            s(&sc),
            "--replications",
            "2",
            "--years",
            "4",
            "--from-state",
            s(&state),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`simulation.years` is 4"));
    refused(
        &[s(&sc), "--from-state", s(&d.join("missing.bin"))],
        "cannot read the state file",
    );
    // Dates: not 1 January, before the run, after it, not a date.
    let save_at = |date: &str| {
        vec![
            s(&sc).to_string(),
            "--until".into(),
            date.to_string(),
            "--save-state".into(),
            s(&d.join("x.bin")).to_string(),
        ]
    };
    for (date, needle) in [
        ("2026-03-31", "only on the first day of a simulated year"),
        ("2022-01-01", "outside the run"),
        ("2028-01-01", "outside the run"),
        ("2026-02-30", "not a date YYYY-MM-DD"),
    ] {
        let args = save_at(date);
        refused(&args.iter().map(String::as_str).collect::<Vec<_>>(), needle);
    }
    assert!(!d.join("x.bin").exists());
}

#[test]
fn a_truncated_world_state_is_an_error_never_a_panic() {
    use regiosim::model::{resume_replication, save_replication};
    let loaded = regiosim::scenario::load(&scenario("test-two-regions.toml")).unwrap();
    let sc = &loaded.scenario;
    let worlds = save_replication(sc, 1, 0, 4);
    assert_eq!(worlds.len(), 2, "one state per jeugdregio");
    assert!(resume_replication(sc, 1, 0, &worlds).is_ok());
    let n = worlds[1].len();
    for cut in [0, 1, 4, 12, n / 3, n / 2, n - 200, n - 1] {
        let mut w = worlds.clone();
        w[1].truncate(cut);
        assert!(
            resume_replication(sc, 1, 0, &w).is_err(),
            "cut at {cut} of {n}"
        );
    }
    // A byte too many, and one region's state missing.
    let mut longer = worlds.clone();
    longer[0].push(0);
    assert!(resume_replication(sc, 1, 0, &longer).is_err());
    assert!(resume_replication(sc, 1, 0, &worlds[..1]).is_err());
}

#[test]
fn a_run_with_trends_and_scoped_levers_continued_from_a_saved_state_equals_the_straight_run() {
    let dir = tempfile::tempdir().unwrap();
    // Onset and population change from year to year across both saved
    // dates; one gemeente has its own POH coverage and collaboration.
    let text = format!(
        "extends = {:?}\nname = \"trended\"\n\n[trends]\nonset = {{ 2023 = 0.8, 2027 = 1.3 }}\npopulation = {{ 2023 = 1.0, 2027 = 1.1 }}\ntreatment_duration = {{ 2024 = 0.9, 2026 = 1.1 }}\n\n[[policies]]\nscope = \"gemeente:Dorp\"\npoh_coverage = 0.9\ncollaboration = \"netwerk\"\n",
        scenario("test-region.toml").display().to_string()
    );
    let sc = write_scenario(dir.path(), "trended.toml", &text);
    straight_and_resumed_at(&sc, "2");
}

#[test]
fn a_sweep_forked_from_a_saved_state_starts_every_variant_there_and_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = scenario("test-region.toml");
    let state = d.join("base.bin");
    save(&base, "2", "2", "2026-01-01", &state);
    // A one-point grid over `key` on the base, forked from `state`.
    let sweep_from = |key: &str, value: &str, out: &Path| {
        let file = d.join("sweep.toml");
        std::fs::write(
            &file,
            format!(
                "name = \"one\"\nbase = \"{}\"\nreplications = 2\nmethod = \"grid\"\n\n\
                 [[parameters]]\npath = \"{key}\"\nvalues = [{value}]\n",
                s(&base).replace('\\', "/")
            ),
        )
        .unwrap();
        regiosim()
            .arg("sweep")
            .arg(&file)
            .args(["--years", YEARS, "--quiet", "--from-state", s(&state), "-o"])
            .arg(out)
            .output()
            .unwrap()
    };
    let out = d.join("sweep");
    ok(sweep_from("huisarts.poh_coverage", "1.0", &out));
    let bytes = std::fs::read(out.join("summary.csv")).unwrap();
    let names: Vec<String> = String::from_utf8_lossy(&bytes)
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let variant = names.iter().find(|n| n.as_str() != "test-region").unwrap();
    assert_eq!(
        rows(&bytes, "test-region", "2025"),
        rows(&bytes, variant, "2025"),
        "the year before the fork"
    );
    assert_ne!(
        rows(&bytes, "test-region", "2026"),
        rows(&bytes, variant, "2026")
    );
    // The sweep's base is the plain run continued from the same state.
    let plain = d.join("plain");
    ok(run(&[
        s(&base),
        "--replications",
        "2",
        "--from-state",
        s(&state),
        "-o",
        s(&plain),
    ]));
    let runs = |dir: &Path| std::fs::read(dir.join("runs.csv")).unwrap();
    assert_eq!(
        rows(&runs(&out), "test-region", "2027"),
        rows(&runs(&plain), "test-region", "2027")
    );
    ok(regiosim().arg("reproduce").arg(&out).output().unwrap());
    // A variant that changes the population cannot fork: exit 2.
    let o = sweep_from("simulation.warmup_years", "4", &d.join("pop"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("warmup_years"), "{err}");
}
