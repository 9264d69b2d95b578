//! Bad input gets a clear error naming the problem and the fix, exit code 2,
//! and never a panic.

use crate::{regiosim, scenario, write_scenario};
use std::path::Path;

fn stderr_of_check(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let f = write_scenario(dir.path(), "bad.toml", text);
    let out = regiosim().arg("check").arg(&f).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn extending(body: &str) -> String {
    format!(
        "extends = {:?}\n{body}",
        scenario("test-region.toml").display().to_string()
    )
}

#[test]
fn misspelled_key_names_its_path_position_and_suggestion() {
    let err = stderr_of_check(&extending(
        "[wijkteam]\nmandate = true\nfte_per_1000_student = 1.2\n",
    ));
    assert!(
        err.contains("unknown key `wijkteam.fte_per_1000_student`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `fte_per_1000_students`?"),
        "{err}"
    );
    assert!(err.contains("bad.toml:4:"), "{err}");
}

#[test]
fn misspelled_table_gets_a_suggestion() {
    let err = stderr_of_check(&extending("[wijkteem]\nmandate = true\n"));
    assert!(err.contains("unknown key `wijkteem`"), "{err}");
    assert!(err.contains("did you mean `wijkteam`?"), "{err}");
}

#[test]
fn type_error_gives_line_and_column() {
    let err = stderr_of_check(&extending("[simulation]\nyears = \"ten\"\n"));
    assert!(err.contains("bad.toml:3:9"), "{err}");
    assert!(err.contains("simulation.years"), "{err}");
}

#[test]
fn unknown_school_type_gets_a_suggestion() {
    let err = stderr_of_check(&extending("[[schools]]\ntype = \"VSOO\"\n"));
    assert!(err.contains("did you mean `VSO`?"), "{err}");
}

#[test]
fn syntax_error_gives_line_and_column() {
    let err = stderr_of_check("name = \"x\"\n[region\nname = \"y\"\n");
    assert!(err.contains("bad.toml:2:"), "{err}");
}

#[test]
fn every_semantic_problem_is_listed_at_once() {
    let err = stderr_of_check(&extending(
        "[huisarts]\npoh_coverage = 1.5\n[wijkteam]\nfte_per_1000_students = -1\n\
         [needs]\nonset_level_shares = [0.5, 0.2, 0.1, 0.1]\n\
         [[schools]]\ntype = \"PO\"\nwijken = [\"Centrumm\"]\ngemeente = \"Stadd\"\n",
    ));
    for needle in [
        "huisarts.poh_coverage: is a probability and must lie in [0, 1], got 1.5",
        "wijkteam.fte_per_1000_students: must not be negative, got -1",
        "needs.onset_level_shares: shares must sum to 1",
        "schools[0].wijken[0]: unknown wijk `Centrumm` (did you mean `Centrum`?)",
        "schools[0].gemeente: unknown gemeente `Stadd` (did you mean `Stad`?)",
        "5 problems",
    ] {
        assert!(err.contains(needle), "missing `{needle}` in:\n{err}");
    }
}

#[test]
fn extends_cycle_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    write_scenario(dir.path(), "a.toml", "extends = \"b.toml\"\nname = \"a\"\n");
    let b = write_scenario(dir.path(), "b.toml", "extends = \"a.toml\"\nname = \"b\"\n");
    let out = regiosim().arg("check").arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`extends` forms a cycle"));
}

#[test]
fn missing_file_and_bad_arguments_exit_2() {
    let out = regiosim()
        .args(["run", "no/such/file.toml", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("cannot read scenario file no/such/file.toml")
    );
    let out = regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .args(["--replications", "0", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = regiosim()
        .args(["run", "--replications", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_school_group_across_jeugdregios_is_rejected() {
    let err = stderr_of_check(&format!(
        "extends = {:?}\n[[schools]]\ntype = \"PO\"\nwijken = [\"Centrum\", \"Kern\"]\n",
        scenario("test-two-regions.toml").display().to_string()
    ));
    assert!(
        err.contains("schools[0].wijken: the schools stand in more than one jeugdregio"),
        "{err}"
    );
}

// Panics, endless runs and unbounded sizes found by a fuzz review (#11):
// each input is refused with exit 2 and a message naming the key or the
// limit, or (where valid) runs, and every one of them ends within seconds.

/// The most any of these commands may take; before the fixes they ran for
/// hours, aborted or panicked.
const SECONDS: u64 = 60;

/// Runs `regiosim ARGS` (stdout discarded), killed after [`SECONDS`]:
/// the exit code (None when killed) and stderr.
fn run_within(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let started = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_regiosim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > std::time::Duration::from_secs(SECONDS) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("regiosim {args:?} still ran after {SECONDS} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (code, reader.join().unwrap())
}

fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
    args.iter().map(Into::into).collect()
}

/// `regiosim ARGS` exits 2 within seconds and says each of `needles`.
fn refused(args: &[std::ffi::OsString], needles: &[&str]) {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let (code, err) = run_within(&args);
    assert_eq!(code, Some(2), "regiosim {args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(
            err.contains(n),
            "regiosim {args:?}: missing `{n}` in:\n{err}"
        );
    }
}

/// `check` of `body` (appended to the test region) is refused naming `needles`.
fn check_refuses(body: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let f = write_scenario(dir.path(), "bad.toml", &extending(body));
    for cmd in ["check", "run"] {
        let mut args = os(&[cmd]);
        args.push(f.clone().into());
        if cmd == "run" {
            args.extend(os(&["--quiet", "--replications", "1", "--out"]));
            args.push(dir.path().join("out").into());
        }
        refused(&args, needles);
    }
}

/// A cliëntenstop that bounces nearly every referral.
const CLIENTENSTOP: &str = "[simulation]\nyears = 2\nwarmup_years = 1\n[second_line]\nclientenstop_queue_per_1000 = 0.01\nassessments_per_week_per_1000 = 0.05\n";

#[test]
fn a_bounce_back_under_a_day_is_refused_instead_of_livelocking() {
    for v in ["0", "1e-9", "0.000694444"] {
        check_refuses(
            &format!("{CLIENTENSTOP}bounce_back_days = {v}\n"),
            &["second_line.bounce_back_days: must be at least 1 day"],
        );
    }
}

#[test]
fn a_clientenstop_with_a_one_day_bounce_back_finishes_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let f = write_scenario(
        dir.path(),
        "stop.toml",
        &extending(&format!("{CLIENTENSTOP}bounce_back_days = 1\n")),
    );
    let out = dir.path().join("out");
    let (code, err) = run_within(&[
        "run".as_ref(),
        f.as_os_str(),
        "--quiet".as_ref(),
        "--replications".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "clientenstop_bounces")
        .unwrap();
    let bounces: f64 = runs
        .lines()
        .skip(1)
        .filter(|l| l.contains("Testregio"))
        .map(|l| l.split(',').nth(col).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(bounces > 0.0, "the cliëntenstop never bounced");
}

#[test]
fn years_beyond_the_limit_are_refused_not_overflowed() {
    let t = scenario("test-region.toml");
    let mut args = os(&["run"]);
    args.push(t.clone().into());
    args.extend(os(&["--years", "4294967295", "--quiet"]));
    refused(&args, &["--years 4294967295: at most 100"]);
    check_refuses(
        "[simulation]\nyears = 4294967295\nwarmup_years = 4294967295\n",
        &[
            "simulation.years: must lie between 1 and 100 years",
            "simulation.warmup_years: must lie between 0 and 100 years",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let sweep = write_scenario(
        dir.path(),
        "sweep.toml",
        &format!(
            "name = \"y\"\nbase = {:?}\n[[parameters]]\npath = \"simulation.years\"\nvalues = [4294967295]\n",
            t.display().to_string()
        ),
    );
    let mut args = os(&["sweep"]);
    args.push(sweep.into());
    args.push("--quiet".into());
    refused(
        &args,
        &["(y-v0001: simulation.years = 4294967295): simulation.years: must lie between 1 and 100"],
    );
}

#[test]
fn a_start_year_that_would_wrap_the_year_column_is_refused() {
    check_refuses(
        "[simulation]\nstart_year = 2147483647\n",
        &["simulation.start_year: must lie between 1900 and 2200, got 2147483647"],
    );
}

#[test]
fn school_counts_and_sizes_beyond_the_limits_are_refused_before_allocation() {
    check_refuses(
        "[[schools]]\ntype = \"PO\"\ncount = 1000000000\n",
        &[
            "schools[0].count: must lie between 1 and 100,000 schools, got 1000000000",
            "schools: the groups hold 200,000,000,000 students",
        ],
    );
    check_refuses(
        "[[schools]]\ntype = \"PO\"\nstudents = 2000000000\n",
        &["schools[0].students: must lie between 1 and 100,000 students per school"],
    );
}

#[test]
fn money_rates_and_durations_near_f64_max_are_refused_so_no_total_is_inf() {
    check_refuses(
        "[[gemeenten]]\nname = \"A\"\nyouth_budget_eur = 1e308\n[[gemeenten.wijken]]\nname = \"a\"\n\
         [[gemeenten]]\nname = \"B\"\nyouth_budget_eur = 1e308\n[[gemeenten.wijken]]\nname = \"b\"\n\
         [costs]\nassessment_eur = 1e308\ntreatment_eur_per_day = [1e308, 0, 0, 0]\n\
         [needs]\nresolution_per_year = [1e308, 0, 0, 0]\n\
         [school_route]\nswv_arrangement_weeks = 1e308\n",
        &[
            "gemeenten[0].youth_budget_eur: must be at most 100,000,000,000 EUR per year",
            "gemeenten[1].youth_budget_eur",
            "got 1e308",
            "costs.assessment_eur: must be at most 10,000,000 EUR",
            "costs.treatment_eur_per_day[0]: must be at most 10,000,000 EUR",
            "needs.resolution_per_year[0]: must be at most 1,000 per year",
            "school_route.swv_arrangement_weeks: must be at most 520 weeks",
        ],
    );
}

/// A sweep of the test region with `body` (method, design, parameters).
fn sweep_refuses(body: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let f = write_scenario(
        dir.path(),
        "sweep.toml",
        &format!(
            "name = \"big\"\nbase = {:?}\n{body}",
            scenario("test-region.toml").display().to_string()
        ),
    );
    let mut args = os(&["sweep"]);
    args.push(f.into());
    args.extend(os(&["--quiet", "--out"]));
    args.push(dir.path().join("out").into());
    refused(&args, needles);
}

#[test]
fn a_sweep_design_too_large_is_refused_before_it_is_allocated() {
    let fte = "[[parameters]]\npath = \"wijkteam.fte_per_1000_students\"\nmin = 0.8\nmax = 1.6\n";
    sweep_refuses(
        &format!("method = \"lhs\"\npoints = 18446744073709551615\n{fte}"),
        &[
            "points: the design has more than 10^19 variants",
            "at most 1,000,000 variants",
        ],
    );
    sweep_refuses(
        &format!("method = \"morris\"\npoints = 2\nlevels = 9223372036854775807\n{fte}"),
        &["levels: must be at most 1,000,000"],
    );
    sweep_refuses(
        &format!("method = \"grid\"\nlevels = 1000000000\n{fte}"),
        &["levels: the design has 1,000,000,000 variants"],
    );
    let many: String = (0..22)
        .map(|i| {
            format!(
                "[[parameters]]\npath = \"wijkteam.light_help_success[{}]\"\nvalues = [0.1, 0.2, 0.3]\n",
                i % 4
            )
        })
        .collect();
    sweep_refuses(
        &format!("method = \"grid\"\n{many}"),
        &["parameters: the design has 31,381,059,609 variants"],
    );
}

#[test]
fn a_run_above_the_size_limits_is_refused_and_says_how_to_override() {
    let t = scenario("test-region.toml");
    let mut args = os(&["run"]);
    args.push(t.clone().into());
    args.extend(os(&["--replications", "4294967295", "--quiet"]));
    refused(
        &args,
        &[
            "4,294,967,295 replications (limit 10,000)",
            "student-years",
            "GiB of memory",
            "--allow-large",
        ],
    );
    // --allow-large lifts the limit: shard 1 of 10,000 runs 2 of the 10,001.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut args = os(&["run"]);
    args.push(t.into());
    args.extend(os(&[
        "--replications",
        "10001",
        "--years",
        "1",
        "--shard",
        "1/10000",
        "--quiet",
        "--out",
    ]));
    args.push(out.clone().into());
    refused(&args, &["10,001 replications (limit 10,000)"]);
    args.push("--allow-large".into());
    let argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let (code, err) = run_within(&argv);
    assert_eq!(code, Some(0), "{err}");
    let parts = std::fs::read_dir(out.join("parts"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "part")
        })
        .count();
    assert_eq!(parts, 2);
}

#[test]
fn threads_and_shard_counts_beyond_the_limits_are_refused() {
    let t = scenario("test-region.toml");
    let mut args = os(&["run"]);
    args.push(t.clone().into());
    args.extend(os(&["--threads", "100000", "--quiet"]));
    refused(&args, &["100000 threads: at most 4096"]);
    let mut args = os(&["run"]);
    args.push(t.clone().into());
    args.extend(os(&["--shard", "1/18446744073709551615", "--quiet"]));
    refused(&args, &["N must be at most 100000"]);
    // A shard.json claiming 2^64 - 1 shards.
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard");
    regiosim()
        .arg("run")
        .arg(&t)
        .args([
            "--replications",
            "2",
            "--years",
            "1",
            "--shard",
            "1/2",
            "--quiet",
            "--out",
        ])
        .arg(&shard)
        .assert()
        .success();
    let info = shard.join("shard.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&info).unwrap()).unwrap();
    json["shards"] = u64::MAX.into();
    std::fs::write(&info, json.to_string()).unwrap();
    let mut args = os(&["merge", "--out"]);
    args.push(dir.path().join("merged").into());
    args.push(shard.into());
    refused(
        &args,
        &["shard.json: shard 1/18446744073709551615 is not a shard K/N"],
    );
}

/// A finished run of the test region (1 year, 2 replications) in `dir/name`.
fn small_run(dir: &std::path::Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .args(["--replications", "2", "--years", "1", "--quiet", "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    out
}

fn edit_manifest(dir: &std::path::Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut m);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

#[test]
fn a_multibyte_git_commit_in_a_manifest_is_shortened_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let run = small_run(dir.path(), "run", &[]);
    edit_manifest(&run, |m| m["git_commit"] = "aéééééééééééééé".into());
    let (code, err) = run_within(&["reproduce".as_ref(), run.as_os_str()]);
    assert_eq!(code, Some(0), "{err}");
    let html = dir.path().join("report.html");
    let (code, err) = run_within(&[
        "report".as_ref(),
        run.as_os_str(),
        "--output".as_ref(),
        html.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("aééééééééééé")
    );
}

#[test]
fn a_manifest_whose_sweep_and_scenarios_disagree_is_inconsistent() {
    let dir = tempfile::tempdir().unwrap();
    let f = write_scenario(
        dir.path(),
        "sweep.toml",
        &format!(
            "name = \"m\"\nbase = {:?}\nreplications = 1\nmethod = \"morris\"\npoints = 2\n\
             [[parameters]]\npath = \"wijkteam.fte_per_1000_students\"\nmin = 0.8\nmax = 1.6\n\
             [[parameters]]\npath = \"simulation.years\"\nvalues = [1]\n",
            scenario("test-region.toml").display().to_string()
        ),
    );
    let published = dir.path().join("published");
    crate::sweeps::sweep(&f, &published, &[]);
    let copy = |name: &str| {
        let to = dir.path().join(name);
        std::fs::create_dir(&to).unwrap();
        for e in std::fs::read_dir(&published).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
        to
    };
    let more_points = copy("more-points");
    edit_manifest(&more_points, |m| {
        let text = m["sweep"]["text"]
            .as_str()
            .unwrap()
            .replace("points = 2", "points = 3");
        m["sweep"]["text"] = text.into();
    });
    let fewer = copy("fewer-scenarios");
    edit_manifest(&fewer, |m| {
        m["scenarios"].as_array_mut().unwrap().truncate(3);
    });
    let none = copy("no-scenarios");
    edit_manifest(&none, |m| m["scenarios"] = serde_json::json!([]));
    for (folder, says) in [
        (
            &more_points,
            "describes 10 scenarios (the base and 9 variants) but it lists 7",
        ),
        (
            &fewer,
            "describes 7 scenarios (the base and 6 variants) but it lists 3",
        ),
        (&none, "it lists no scenarios"),
    ] {
        let mut args = os(&["reproduce"]);
        args.push(folder.into());
        refused(&args, &["the manifest is inconsistent", says]);
    }
}

/// Rewrites each part in `parts` with `reshape` applied to its lines
/// (metrics, school types, months) and a valid checksum.
fn reshape_parts(parts: &std::path::Path, reshape: &dyn Fn(&mut Vec<u64>, &mut Vec<String>)) {
    for e in std::fs::read_dir(parts).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "part") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        lines.pop(); // the checksum
        // Line 0 is the format, line 1 the experiment's fingerprint, line 2
        // the shape.
        let mut head: Vec<u64> = lines[2].split(' ').map(|x| x.parse().unwrap()).collect();
        let mut body = lines.split_off(3);
        reshape(&mut head, &mut body);
        lines[2] = head
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        lines.extend(body);
        let mut out = lines.join("\n");
        out.push('\n');
        let sum = regiosim::scenario::sha256_hex(out.as_bytes());
        std::fs::write(&p, format!("{out}sha256 {sum}\n")).unwrap();
    }
}

#[test]
fn a_resumed_part_of_the_wrong_shape_is_run_again_not_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = small_run(dir.path(), "fresh", &[]);
    // head: scenario replication years areas metrics months.
    let drop_area = |head: &mut Vec<u64>, body: &mut Vec<String>| {
        let (years, areas) = (head[2] as usize, head[3] as usize);
        let mut kept = Vec::new();
        for (i, line) in body.iter().enumerate() {
            if i >= years * areas || i % areas != areas - 1 {
                kept.push(line.clone());
            }
        }
        *body = kept;
        head[3] -= 1;
    };
    let drop_metric = |head: &mut Vec<u64>, body: &mut Vec<String>| {
        let rows = (head[2] * head[3]) as usize;
        for line in &mut body[..rows] {
            let cut = line.rfind(' ').unwrap();
            line.truncate(cut);
        }
        head[4] -= 1;
    };
    let add_year = |head: &mut Vec<u64>, body: &mut Vec<String>| {
        let (years, areas) = (head[2] as usize, head[3] as usize);
        let mut b = body[..years * areas].to_vec();
        b.extend_from_slice(&body[..areas]);
        b.extend_from_slice(&body[years * areas..years * areas + years]);
        b.push(body[years * areas].clone());
        b.extend_from_slice(&body[years * areas + years..]);
        *body = b;
        head[2] += 1;
    };
    let shapes: [(&str, &dyn Fn(&mut Vec<u64>, &mut Vec<String>)); 3] = [
        ("area", &drop_area),
        ("metric", &drop_metric),
        ("year", &add_year),
    ];
    for (name, reshape) in shapes {
        let out = small_run(dir.path(), name, &["--shard", "1/2"]);
        std::fs::remove_file(out.join("shard.json")).unwrap();
        reshape_parts(&out.join("parts"), reshape);
        let mut args = os(&["run"]);
        args.push(scenario("test-region.toml").into());
        args.extend(os(&[
            "--replications",
            "2",
            "--years",
            "1",
            "--quiet",
            "--resume",
            "--out",
        ]));
        args.push(out.clone().into());
        let argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let (code, err) = run_within(&argv);
        assert_eq!(code, Some(0), "part with one {name} too many or few: {err}");
        for file in [
            "runs.csv",
            "summary.csv",
            "timeseries.csv",
            "by_school_type.csv",
        ] {
            assert_eq!(
                std::fs::read(out.join(file)).unwrap(),
                std::fs::read(fresh.join(file)).unwrap(),
                "{file} after resuming past a part with one {name} too many or few"
            );
        }
    }
}

#[test]
fn check_is_linear_in_school_groups_times_wijken() {
    // 20,000 wijken and 20,000 groups standing in all of them: checking
    // once listed every wijk for every group (400 million entries).
    let n = 20_000;
    let mut text = String::from(
        "name = \"wide\"\n[region]\nname = \"R\"\n[[gemeenten]]\nname = \"G\"\ninhabitants = 1000\n",
    );
    for w in 0..n {
        text.push_str(&format!("[[gemeenten.wijken]]\nname = \"w{w}\"\n"));
    }
    for _ in 0..n {
        text.push_str("[[schools]]\ntype = \"VO\"\nstudents = 1\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write_scenario(dir.path(), "wide.toml", &text);
    let started = std::time::Instant::now();
    let (code, err) = run_within(&["check".as_ref(), f.as_os_str()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "check took {:?}",
        started.elapsed()
    );
}

fn check_in(dir: &std::path::Path, file: &std::path::Path) -> (Option<i32>, String, String) {
    let out = regiosim()
        .current_dir(dir)
        .arg("check")
        .arg(file)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn invalid_utf8_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.toml");
    std::fs::write(&f, b"name = \"x\"\ndescription = \"caf\xe9\"\n").unwrap();
    let (code, _, err) = check_in(dir.path(), Path::new("bad.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("bad.toml:2:19: not valid UTF-8 (byte 0xe9)"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_in_a_sweep_file_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sw.toml");
    std::fs::write(&f, b"name = \"s\"\nbase = \"x.toml\"\n# \xff\n").unwrap();
    let out = regiosim()
        .current_dir(dir.path())
        .args(["sweep", "sw.toml", "--quiet"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("sw.toml:3:3: not valid UTF-8 (byte 0xff)"),
        "{err}"
    );
    assert!(
        !dir.path().join("out").exists(),
        "a bad sweep must not start"
    );
}

#[test]
fn missing_extends_target_names_the_referring_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write_scenario(
        dir.path(),
        "a.toml",
        "# child\nname = \"a\"\nextends = \"b.toml\"\n",
    );
    let (code, _, err) = check_in(dir.path(), Path::new("a.toml"));
    assert_eq!(code, Some(2), "{err}");
    let abs = std::path::absolute(dir.path().join("b.toml")).unwrap();
    let want = format!(
        "a.toml:3:11: extends = \"b.toml\": no such file (looked for {})",
        abs.display()
    );
    assert!(err.contains(&want), "want `{want}` in:\n{err}");
}

#[test]
fn missing_sweep_base_names_the_sweep_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write_scenario(
        dir.path(),
        "sw.toml",
        "name = \"s\"\nbase = \"nope.toml\"\n[[parameters]]\npath = \"dsav.hours_per_school_week\"\nvalues = [3.0]\n",
    );
    let out = regiosim()
        .current_dir(dir.path())
        .args(["sweep", "sw.toml", "--quiet"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("sw.toml:2:8: base = \"nope.toml\": no such file (looked for "),
        "{err}"
    );
}

#[test]
fn too_long_per_level_array_is_placed_at_its_key() {
    let err = stderr_of_check(&extending(
        "[needs]\nonset_level_shares = [0.5, 0.2, 0.1, 0.1, 0.1]\n",
    ));
    assert!(
        err.contains("bad.toml:3:1: `needs.onset_level_shares`: has 5 entries, expected 4"),
        "{err}"
    );
    assert!(!err.contains(":0:0"), "{err}");
}

#[test]
fn too_long_array_in_a_parent_is_placed_in_the_parent() {
    let dir = tempfile::tempdir().unwrap();
    write_scenario(
        dir.path(),
        "parent.toml",
        &extending("[signalling]\nparents_per_year = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]\n"),
    );
    write_scenario(
        dir.path(),
        "child.toml",
        "extends = \"parent.toml\"\nname = \"c\"\n",
    );
    let (code, _, err) = check_in(dir.path(), Path::new("child.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("parent.toml:3:1: `signalling.parents_per_year`: has 6 entries, expected 4"),
        "{err}"
    );
}

fn sweep_in(dir: &std::path::Path, values: &str) -> String {
    write_scenario(
        dir,
        "sw.toml",
        &format!(
            "name = \"s\"\nbase = {:?}\nmethod = \"grid\"\n\n[[parameters]]\npath = \"dsav.hours_per_school_week\"\n{values}\n",
            scenario("nijmegen-dsav.toml").display().to_string()
        ),
    );
    let (code, _, err) = check_in(dir, Path::new("sw.toml"));
    assert_eq!(code, Some(2), "{err}");
    err
}

#[test]
fn sweep_type_error_names_the_variant_its_values_and_the_key_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let err = sweep_in(dir.path(), "values = [3.0, \"lots\"]");
    assert!(
        err.contains(
            "sw.toml:7:1: `dsav.hours_per_school_week`: in variant 2 \
             (s-v0002: dsav.hours_per_school_week = \"lots\"): invalid type: string \"lots\""
        ),
        "{err}"
    );
}

#[test]
fn sweep_range_error_names_the_variant_and_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let err = sweep_in(dir.path(), "values = [3.0, -2.0]");
    assert!(
        err.contains(
            "variant 2 (s-v0002: dsav.hours_per_school_week = -2.0): \
             dsav.hours_per_school_week: must not be negative, got -2"
        ),
        "{err}"
    );
}

#[test]
fn check_accepts_a_sweep_file_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = check_in(dir.path(), &scenario("sweeps/dsav-grid.toml"));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(
            "ok (sweep `dsav-grid`, method grid: 10 variants, base included, × 4 replications"
        ),
        "{out}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn an_os_error_is_printed_once() {
    let out = regiosim()
        .args(["run", "no/such/file.toml", "--quiet"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("no such file").count(), 1, "{err}");
}

#[test]
fn extends_cycle_names_the_extends_line() {
    let dir = tempfile::tempdir().unwrap();
    write_scenario(
        dir.path(),
        "self.toml",
        "name = \"a\"\nextends = \"self.toml\"\n",
    );
    let (code, _, err) = check_in(dir.path(), Path::new("self.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("self.toml:2:11: `extends` forms a cycle"),
        "{err}"
    );
}

#[test]
fn extends_of_a_device_or_folder_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    for (target, why) in [
        ("/dev/zero", "is a device, not a regular file"),
        (".", "is a folder, not a file"),
    ] {
        write_scenario(
            dir.path(),
            "a.toml",
            &format!("name = \"a\"\nextends = {target:?}\n"),
        );
        let (code, _, err) = check_in(dir.path(), Path::new("a.toml"));
        assert_eq!(code, Some(2), "{err}");
        assert!(
            err.contains(&format!("a.toml:2:11: extends = {target:?}: {why}")),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn extends_of_a_fifo_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    write_scenario(dir.path(), "a.toml", "name = \"a\"\nextends = \"pipe\"\n");
    // check_in waits at most 20 s: a blocking read fails the test.
    let (code, _, err) = check_in(dir.path(), Path::new("a.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("extends = \"pipe\": is a FIFO"), "{err}");
    let (code, _, err) = check_in(dir.path(), Path::new("pipe"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("cannot read scenario file pipe: is a FIFO"),
        "{err}"
    );
}

#[test]
fn a_scenario_file_over_the_size_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = std::fs::File::create(dir.path().join("big.toml")).unwrap();
    // Sparse: no 16 MiB written, the length alone is over the limit.
    big.set_len(regiosim::scenario::MAX_FILE_BYTES + 1).unwrap();
    write_scenario(
        dir.path(),
        "a.toml",
        "name = \"a\"\nextends = \"big.toml\"\n",
    );
    let (code, _, err) = check_in(dir.path(), Path::new("a.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "a.toml:2:11: extends = \"big.toml\": is 16777217 bytes, more than the 16 MiB"
        ),
        "{err}"
    );
    let (code, _, err) = check_in(dir.path(), Path::new("big.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("cannot read scenario file big.toml: is 16777217 bytes"),
        "{err}"
    );
}

#[test]
fn reproduce_never_reports_zero_problems() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("results/nijmegen-dsav/manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    m["scenarios"] = serde_json::json!([]);
    m["sweep"] = serde_json::json!({"path": "s.toml", "sha256": "", "text": ""});
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifest.json"), m.to_string()).unwrap();
    let out = regiosim()
        .arg("reproduce")
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains(" 0 problems"), "{err}");
    assert!(
        err.contains("the manifest is inconsistent: it lists no scenarios"),
        "{err}"
    );
}

#[test]
fn a_sweep_file_with_a_syntax_error_is_reported_as_a_sweep() {
    let dir = tempfile::tempdir().unwrap();
    write_scenario(
        dir.path(),
        "sw.toml",
        "name = \"s\"\nbase = \"x.toml\"\nmethod = \"grid\"\n[[parameters]\n",
    );
    let (code, _, err) = check_in(dir.path(), Path::new("sw.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("sw.toml:4:14: unclosed array table"), "{err}");
    assert!(!err.contains("unknown key"), "{err}");
}

#[test]
fn second_line_queue_keys_out_of_range_are_refused_naming_the_key() {
    for (body, needle) in [
        (
            "target_utilisation = 5",
            "second_line.target_utilisation: must be 0",
        ),
        (
            "target_utilisation = 0.2",
            "second_line.target_utilisation: must be 0",
        ),
        (
            "treatment_target_utilisation = -1",
            "second_line.treatment_target_utilisation: must be 0",
        ),
        (
            "dropout_per_week = 2",
            "second_line.dropout_per_week: must be at most 1",
        ),
        (
            "capacity_window_months = 0",
            "second_line.capacity_window_months: must lie between 1 and 12",
        ),
        (
            "capacity_window_months = 13",
            "second_line.capacity_window_months: must lie between 1 and 12",
        ),
    ] {
        check_refuses(&format!("[second_line]\n{body}\n"), &[needle]);
    }
}

#[test]
fn verblijf_keys_out_of_range_are_refused_naming_the_key() {
    for (body, needle) in [
        ("[verblijf]\nshare = [0.1, 0.2, 1.5, 0.3]", "verblijf.share"),
        (
            "[verblijf]\nshare_court_order = -0.1",
            "verblijf.share_court_order",
        ),
        ("[verblijf]\nmedian_days = 0", "verblijf.median_days"),
        ("[verblijf]\nsigma = 4", "verblijf.sigma"),
        (
            "[verblijf]\ntarget_utilisation = 9",
            "verblijf.target_utilisation: must be 0",
        ),
        (
            "[verblijf]\ndropout_per_week = 2",
            "verblijf.dropout_per_week: must be at most 1",
        ),
        (
            "[costs]\nverblijf_eur_per_day = -5",
            "costs.verblijf_eur_per_day",
        ),
    ] {
        check_refuses(&format!("{body}\n"), &[needle]);
    }
}
