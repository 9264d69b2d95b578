//! What analysts drive regiosim with: `--set` on the command line, the JSON
//! summary on stdout, the Excel workbook, and the command-line conventions
//! (version, completions, man page, 0-based shards).

use crate::{regiosim, scenario, write_scenario};
use std::collections::BTreeMap;
use std::path::Path;

/// Every leaf of a TOML table by its dotted key (array entries by index).
fn leaves(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&key, v, out);
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                leaves(&format!("{prefix}[{i}]"), v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// The leaves of the first resolved scenario of the run in `dir`.
fn resolved(dir: &Path) -> BTreeMap<String, String> {
    let m = manifest(dir);
    let t: toml::Table = m["scenarios"][0]["resolved_toml"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut out = BTreeMap::new();
    leaves("", &toml::Value::Table(t), &mut out);
    out
}

fn command_line(dir: &Path) -> Vec<String> {
    manifest(dir)["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// `regiosim run test-region.toml` with 2 replications of 1 year and `extra`.
fn small_run(out: &Path, extra: &[&str]) -> std::process::Output {
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .args(["--replications", "2", "--years", "1", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn set_changes_exactly_the_key_it_names_and_the_manifest_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, set) = (dir.path().join("plain"), dir.path().join("set"));
    assert!(small_run(&plain, &[]).status.success());
    let done = small_run(
        &set,
        &[
            "--set",
            "huisarts.poh_coverage=0.5",
            "--set",
            "collaboration.model=netwerk",
            // An entry of an array the file leaves at its default.
            "--set",
            "huisarts.referral_prob[1]=0.3",
        ],
    );
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let (a, b) = (resolved(&plain), resolved(&set));
    let changed: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        changed,
        [
            "collaboration.model",
            "huisarts.poh_coverage",
            "huisarts.referral_prob[1]"
        ]
    );
    assert_eq!(b["huisarts.referral_prob[1]"], "0.3");
    assert_eq!(b["huisarts.poh_coverage"], "0.5");
    assert_eq!(b["collaboration.model"], "\"netwerk\"");
    let cl = command_line(&set);
    assert!(
        cl.ends_with(&[
            "--set".into(),
            "huisarts.poh_coverage=0.5".into(),
            "--set".into(),
            "collaboration.model=netwerk".into(),
            "--set".into(),
            "huisarts.referral_prob[1]=0.3".into()
        ]),
        "{cl:?}"
    );
    // The results differ from the plain run, and reproduce from the manifest.
    assert_ne!(
        std::fs::read(plain.join("runs.csv")).unwrap(),
        std::fs::read(set.join("runs.csv")).unwrap()
    );
    let again = regiosim().arg("reproduce").arg(&set).output().unwrap();
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.status.success() && !text.contains("DIFFERENT"),
        "{text}"
    );
}

#[test]
fn a_set_key_that_does_not_exist_gets_did_you_mean_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (arg, expect) in [
        (
            "dsav.hours_per_schoolweek=4",
            "unknown key `dsav.hours_per_schoolweek` (did you mean `hours_per_school_week`?)",
        ),
        ("dsav.hours_per_school_week=abc", "expected f64"),
        ("collaboration.model=netwerkk", "did you mean `netwerk`?"),
        ("huisarts.poh_coverage=1.5", "poh_coverage"),
        ("novalue", "expected KEY=VALUE"),
    ] {
        let done = small_run(&out, &["--set", arg]);
        let err = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{arg}: {err}");
        assert!(err.contains(expect), "{arg}: {err}");
        assert!(!out.join("manifest.json").exists());
    }
    // Set twice, or together with --years.
    for args in [
        ["--set", "simulation.years=2"],
        ["--set", "huisarts.poh_coverage=0.1"],
    ] {
        let mut all = vec!["--set", "huisarts.poh_coverage=0.2"];
        all.extend(args);
        let done = small_run(&out, &all);
        assert_eq!(done.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&done.stderr).contains("set twice"));
    }
}

#[test]
fn sweep_set_reaches_the_base_and_every_variant_but_not_a_varied_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name = \"t\"\nbase = {:?}\nreplications = 2\nmethod = \"grid\"\n\n[[parameters]]\npath = \"huisarts.poh_coverage\"\nvalues = [0.1, 0.2]\n",
        scenario("test-region.toml").display().to_string(),
    );
    let file = write_scenario(dir.path(), "sweep.toml", &text);
    let out = dir.path().join("out");
    let sweep = |extra: &[&str]| {
        regiosim()
            .arg("sweep")
            .arg(&file)
            .args(["--years", "1", "--quiet", "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let done = sweep(&["--set", "wijkteam.fte_per_1000_students=1.7"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let m = manifest(&out);
    let scenarios = m["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 3);
    for s in scenarios {
        let t: toml::Table = s["resolved_toml"].as_str().unwrap().parse().unwrap();
        assert_eq!(t["wijkteam"]["fte_per_1000_students"].as_float(), Some(1.7));
    }
    assert!(
        command_line(&out)
            .ends_with(&["--set".into(), "wijkteam.fte_per_1000_students=1.7".into()])
    );
    let refused = sweep(&["--force", "--set", "huisarts.poh_coverage=0.3"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("varies `huisarts.poh_coverage`"));
    // `check --set` validates the same way, running nothing.
    let checked = regiosim()
        .arg("check")
        .arg(scenario("test-region.toml"))
        .args(["--set", "wijkteam.fte_per_1000_students=-1"])
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(2));
    let err = String::from_utf8_lossy(&checked.stderr);
    assert!(
        err.contains("--set wijkteam.fte_per_1000_students=-1"),
        "{err}"
    );
}

#[test]
fn run_json_prints_the_region_rows_of_summary_and_comparison_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let done = regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args([
            "--replications",
            "3",
            "--years",
            "2",
            "--quiet",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    // Stdout is one JSON document and nothing else.
    let doc: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(doc["out"].as_str(), Some(out.to_str().unwrap()));
    assert_eq!(doc["complete"], true);
    assert_eq!(doc["scenarios"][1]["name"], "test-region-poh");
    assert_eq!(doc["scenarios"][0]["region"], "Testregio");
    for (key, file) in [("summary", "summary.csv"), ("comparison", "comparison.csv")] {
        let csv = std::fs::read_to_string(out.join(file)).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let area = header.iter().position(|h| *h == "area").unwrap();
        let region_rows: Vec<Vec<&str>> = lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|r| r[area] == "Testregio")
            .collect();
        let records = doc[key].as_array().unwrap();
        assert!(!records.is_empty());
        assert_eq!(records.len(), region_rows.len(), "{key}");
        for (rec, row) in records.iter().zip(&region_rows) {
            let keys: Vec<&String> = rec.as_object().unwrap().keys().collect();
            assert_eq!(keys, header, "{key}: columns in CSV order");
            for (h, cell) in header.iter().zip(row) {
                let v = &rec[*h];
                match v {
                    serde_json::Value::Null => assert_eq!(*cell, "", "{key} {h}"),
                    serde_json::Value::String(s) => assert_eq!(s, cell, "{key} {h}"),
                    n => assert_eq!(
                        n.as_f64().unwrap(),
                        cell.parse::<f64>().unwrap(),
                        "{key} {h}: the same f64"
                    ),
                }
            }
        }
    }
}

/// The XML of the sheet named `name` in the workbook `bytes`.
fn sheet_xml(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut book = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut book)
        .unwrap();
    // Sheets are numbered in workbook order.
    let n = book
        .split("<sheet ")
        .skip(1)
        .position(|s| s.contains(&format!("name=\"{name}\"")))
        .unwrap()
        + 1;
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn the_workbook_has_number_cells_equal_to_the_csv_and_frozen_filtered_headers() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let done = regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args([
            "--replications",
            "2",
            "--years",
            "2",
            "--quiet",
            "--xlsx",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let bytes = std::fs::read(out.join("results.xlsx")).unwrap();
    // `export` writes the same workbook.
    let copy = dir.path().join("copy.xlsx");
    regiosim()
        .arg("export")
        .arg(&out)
        .arg("--xlsx")
        .arg("-o")
        .arg(&copy)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        bytes,
        "the same folder, the same bytes"
    );
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Lees mij",
            "runs",
            "summary",
            "comparison",
            "horizon",
            "cost_effectiveness",
            "by_school_type",
            "timeseries"
        ]
    );
    let readme = wb.worksheet_range("Lees mij").unwrap();
    let text: Vec<String> = readme.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("regiosim run ") && t.contains("--replications 2")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.starts_with("regiosim 0.")),
        "{text:?}"
    );
    // Every CSV cell of summary.csv is in the sheet, numbers as numbers,
    // with area_kind and unit columns added.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let sheet = wb.worksheet_range("summary").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "scenario",
            "year",
            "area",
            "area_kind",
            "metric",
            "unit",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high",
            "n"
        ]
    );
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len() - 1, lines.len());
    for (line, row) in lines.iter().zip(&rows[1..]) {
        let cells: Vec<&str> = line.split(',').collect();
        let shown: Vec<&Data> = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10]
            .iter()
            .map(|&i| &row[i])
            .collect();
        for (cell, data) in cells.iter().zip(shown) {
            match data {
                Data::Float(x) => assert_eq!(*x, cell.parse::<f64>().unwrap(), "{line}"),
                Data::Int(x) => assert_eq!(*x as f64, cell.parse::<f64>().unwrap(), "{line}"),
                Data::String(s) => {
                    assert!(
                        cell.parse::<f64>().is_err() || cells[0] == *cell,
                        "{line}: {s} is text"
                    );
                    assert_eq!(s, cell, "{line}");
                }
                Data::Empty => assert_eq!(*cell, "", "{line}"),
                other => panic!("{line}: unexpected {other:?}"),
            }
        }
        let kind = if cells[2] == "Testregio" {
            "region"
        } else {
            "gemeente"
        };
        assert_eq!(row[3].to_string(), kind, "{line}");
        assert_eq!(cells[3], kind, "{line}: the CSV's own area_kind");
        assert!(!row[5].to_string().is_empty(), "{line}: a unit");
    }
    // Units in the header of runs, frozen header rows and filters.
    let runs = wb.worksheet_range("runs").unwrap();
    let runs_header: Vec<String> = runs
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        runs_header.contains(&"wait_assessment_days_mean [dagen]".to_string()),
        "{runs_header:?}"
    );
    assert!(runs_header.contains(&"area_kind".to_string()));
    for name in ["runs", "summary", "timeseries"] {
        let xml = sheet_xml(&bytes, name);
        assert!(
            xml.contains("state=\"frozen\"") && xml.contains("ySplit=\"1\""),
            "{name}: {xml:.400}"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:"), "{name}");
    }
    // The CSV files are untouched by the workbook: the run reproduces.
    let again = regiosim().arg("reproduce").arg(&out).output().unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn export_refuses_a_folder_without_a_run_or_a_target_that_is_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let done = regiosim().arg("export").arg(dir.path()).output().unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).contains("manifest.json"));
    let out = dir.path().join("out");
    assert!(small_run(&out, &[]).status.success());
    let done = regiosim()
        .arg("export")
        .arg(&out)
        .arg("--out")
        .arg(out.join("runs.csv"))
        .output()
        .unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).contains("the run's own runs.csv"));
    // A changed CSV is refused rather than exported.
    std::fs::write(out.join("summary.csv"), "scenario\n").unwrap();
    let done = regiosim().arg("export").arg(&out).output().unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).contains("sha256"));
}

#[test]
fn zero_based_shard_flags_merge_to_the_same_bytes_as_one_based() {
    let dir = tempfile::tempdir().unwrap();
    let shard_run_env = |name: &str, flags: &[String], env: &[(&str, &str)]| {
        let d = dir.path().join(name);
        let done = regiosim()
            .envs(env.iter().copied())
            .arg("run")
            .arg(scenario("test-region.toml"))
            .arg(scenario("test-region-poh.toml"))
            .args(["--replications", "2", "--years", "1", "--quiet", "-o"])
            .arg(&d)
            .args(flags)
            .output()
            .unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        d
    };
    let shard_run = |name: &str, flags: &[String]| shard_run_env(name, flags, &[]);
    let merged = |name: &str, shards: &[std::path::PathBuf]| {
        let out = dir.path().join(name);
        regiosim()
            .arg("merge")
            .arg("-o")
            .arg(&out)
            .args(shards)
            .assert()
            .success();
        crate::contents(&out)
    };
    let one: Vec<_> = (1..=3)
        .map(|k| shard_run(&format!("one{k}"), &["--shard".into(), format!("{k}/3")]))
        .collect();
    // Index 0 given, 1 from Slurm's 1-based array (`auto`: task 2 of
    // --array=1-3), 2 from a Kubernetes Indexed Job (`auto`).
    let auto = |i: usize| -> Vec<(&'static str, String)> {
        match i {
            1 => vec![
                ("SLURM_ARRAY_TASK_ID", "2".into()),
                ("SLURM_ARRAY_TASK_MIN", "1".into()),
            ],
            2 => vec![("JOB_COMPLETION_INDEX", "2".into())],
            _ => vec![],
        }
    };
    let zero: Vec<_> = (0..3)
        .map(|i| {
            let env = auto(i);
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let index = if i == 0 {
                "0".to_string()
            } else {
                "auto".into()
            };
            shard_run_env(
                &format!("zero{i}"),
                &[
                    "--shard-index".into(),
                    index,
                    "--shard-count".into(),
                    "3".into(),
                ],
                &env,
            )
        })
        .collect();
    // Shard I counted from 0 is shard I+1 counted from 1.
    for (a, b) in one.iter().zip(&zero) {
        let info = |d: &std::path::PathBuf| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(d.join("shard.json")).unwrap())
                    .unwrap();
            (
                v["shard"].clone(),
                v["shards"].clone(),
                v["fingerprint"].clone(),
            )
        };
        assert_eq!(info(a), info(b));
    }
    let whole = shard_run("whole", &[]);
    let whole = crate::contents(&whole);
    assert_eq!(merged("m-one", &one), whole);
    assert_eq!(merged("m-zero", &zero), whole);
    // An index at or past the count is refused.
    let d = dir.path().join("bad");
    let done = regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .args(["--shard-index", "3", "--shard-count", "3", "-o"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).contains("counts from 0"));
}

#[test]
fn version_names_the_commit_that_the_manifest_records() {
    let done = regiosim().arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&done.stdout).trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    assert!(small_run(&dir.path().join("out"), &[]).status.success());
    let commit = manifest(&dir.path().join("out"))["git_commit"]
        .as_str()
        .unwrap()
        .to_string();
    let expect = if commit.is_empty() {
        "(commit unknown)".to_string()
    } else {
        format!("(commit {})", &commit[..12])
    };
    assert_eq!(
        text,
        format!("regiosim {} {expect}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn every_subcommand_help_shows_examples_and_out_is_spelled_one_way() {
    for sub in [
        "run",
        "check",
        "sweep",
        "merge",
        "reproduce",
        "report",
        "export",
        "completions",
        "man",
    ] {
        let done = regiosim().args([sub, "--help"]).output().unwrap();
        assert!(done.status.success(), "{sub}");
        let help = String::from_utf8_lossy(&done.stdout);
        assert!(
            help.contains("Examples:\n  regiosim ") && help.contains(&format!("regiosim {sub}")),
            "{sub}: {help}"
        );
        // Every output flag is `-o, --out`.
        if ["run", "sweep", "merge", "report", "export", "man"].contains(&sub) {
            assert!(help.contains("-o, --out <"), "{sub}: {help}");
        }
    }
    // report keeps --output as an alias.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert!(small_run(&out, &[]).status.success());
    for flag in ["-o", "--out", "--output"] {
        let page = dir.path().join(format!("r{flag}.md"));
        regiosim()
            .arg("report")
            .arg(&out)
            .args(["--format", "md", flag])
            .arg(&page)
            .assert()
            .success();
        assert!(std::fs::metadata(&page).unwrap().len() > 0, "{flag}");
    }
}

#[test]
fn completions_and_man_pages_generate_for_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let done = regiosim().args(["completions", shell]).output().unwrap();
        assert!(done.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&done.stdout);
        assert!(
            text.contains("regiosim") && text.contains("shard-index"),
            "{shell}"
        );
    }
    let done = regiosim().arg("completions").arg("tcsh").output().unwrap();
    assert_eq!(done.status.code(), Some(2));
    let page = regiosim().arg("man").output().unwrap();
    let text = String::from_utf8_lossy(&page.stdout);
    assert!(
        text.starts_with(".ie") && text.contains(".TH regiosim 1"),
        "{text:.300}"
    );
    assert!(text.contains("export"));
    let run = regiosim().args(["man", "run"]).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stdout).contains("\\-\\-set"));
    let dir = tempfile::tempdir().unwrap();
    regiosim()
        .arg("man")
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    for name in [
        "regiosim.1",
        "regiosim-run.1",
        "regiosim-export.1",
        "regiosim-man.1",
    ] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
    let done = regiosim().args(["man", "nope"]).output().unwrap();
    assert_eq!(done.status.code(), Some(2));
}

/// What LibreOffice reads from the workbook, sheet by sheet, against the
/// CSV files: the same columns (the workbook's extra `unit` column and the
/// `[unit]` in a header aside), the same text, and the same numbers to the
/// 15 significant digits that LibreOffice's CSV export writes.
#[test]
#[ignore = "needs LibreOffice (scripts/ci/soffice-up.sh); run with --ignored"]
fn the_workbook_opens_in_libreoffice_and_reads_back_the_csv_numbers() {
    crate::require_program("soffice", "apt-get install libreoffice-calc-nogui");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args([
            "--replications",
            "2",
            "--years",
            "2",
            "--quiet",
            "--xlsx",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let conv = dir.path().join("conv");
    // Field separator `,`, text delimiter `"`, UTF-8, from line 1, en-US
    // numbers, full precision (not "as shown"), every sheet (-1) to a file.
    let done = std::process::Command::new("soffice")
        .env("HOME", dir.path())
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(&conv)
        .arg(out.join("results.xlsx"))
        .output()
        .unwrap();
    assert!(done.status.success(), "{done:?}");
    let read = |p: &Path| {
        let mut r = csv::Reader::from_path(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    };
    let mut sheets = 0;
    for table in [
        "runs",
        "summary",
        "comparison",
        "horizon",
        "cost_effectiveness",
        "by_school_type",
        "timeseries",
    ] {
        let (h, rows) = read(&out.join(format!("{table}.csv")));
        let (lh, lrows) = read(&conv.join(format!("results-{table}.csv")));
        assert_eq!(rows.len(), lrows.len(), "{table}: rows");
        let unit_free = |c: &str| c.split(" [").next().unwrap_or(c).to_string();
        for (ci, col) in h.iter().enumerate() {
            let li = lh
                .iter()
                .position(|c| unit_free(c) == *col)
                .unwrap_or_else(|| panic!("{table}: no column {col} in {lh:?}"));
            for (r, lr) in rows.iter().zip(&lrows) {
                let (a, b) = (&r[ci], &lr[li]);
                match (a.parse::<f64>(), b.parse::<f64>()) {
                    (Ok(x), Ok(y)) if !["scenario", "baseline", "area"].contains(&col.as_str()) => {
                        let tol = 1e-14 * x.abs().max(y.abs());
                        assert!((x - y).abs() <= tol, "{table}.{col}: {a} read back as {b}");
                    }
                    _ => assert_eq!(a, b, "{table}.{col}"),
                }
            }
        }
        sheets += 1;
    }
    assert_eq!(sheets, 7);
}
