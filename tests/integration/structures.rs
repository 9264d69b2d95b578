//! `run --structures`: structural alternatives side by side. Each structure
//! is an ordinary run folder (the one without keys is byte-equal to a
//! plain run; the others reproduce from their manifest), structures.csv
//! stacks their whole-horizon effects, and a bad structures file is exit 2
//! with nothing run.

use super::{regiosim, scenario, write_scenario};

fn structures(dir: &std::path::Path) -> std::path::PathBuf {
    write_scenario(
        dir,
        "structures.toml",
        "name = \"t\"\n\n[[structure]]\nname = \"as-shipped\"\n\n[[structure]]\nname = \"waits-escalate-3x\"\ndescription = \"waiting itself worsens the need\"\nset = { \"second_line.escalation_while_waiting\" = 3.0 }\n\n[[structure]]\nname = \"waits-do-not-escalate\"\nset = { \"second_line.escalation_while_waiting\" = 0.0 }\n",
    )
}

#[test]
fn structures_run_side_by_side_and_the_one_without_keys_equals_a_plain_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = structures(dir.path());
    let (base, poh) = (
        scenario("test-region.toml"),
        scenario("test-region-poh.toml"),
    );
    let args = |out: &std::path::Path| {
        let mut c = regiosim();
        c.arg("run")
            .arg(&base)
            .arg(&poh)
            .args(["--replications", "4", "--years", "3", "--quiet", "--out"])
            .arg(out);
        c
    };
    let (plain, out) = (dir.path().join("plain"), dir.path().join("out"));
    args(&plain).assert().success();
    args(&out).arg("--structures").arg(&file).assert().success();
    for f in ["runs.csv", "summary.csv", "comparison.csv", "horizon.csv"] {
        assert_eq!(
            std::fs::read(plain.join(f)).unwrap(),
            std::fs::read(out.join("as-shipped").join(f)).unwrap(),
            "{f}"
        );
    }
    // Escalation while waiting: more of it, more severe needs and more
    // youths out of school.
    let thuiszitters = |s: &str| -> f64 {
        let t = std::fs::read_to_string(out.join(s).join("summary.csv")).unwrap();
        let h: Vec<&str> = t.lines().next().unwrap().split(',').collect();
        let col = |n: &str| h.iter().position(|x| *x == n).unwrap();
        t.lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|c| {
                c[col("scenario")] == "test-region"
                    && c[col("area_kind")] == "region"
                    && c[col("metric")] == "thuiszitters"
            })
            .map(|c| c[col("mean")].parse::<f64>().unwrap())
            .sum()
    };
    let (none, triple) = (
        thuiszitters("waits-do-not-escalate"),
        thuiszitters("waits-escalate-3x"),
    );
    assert!(triple > none, "thuiszitters {triple} (3x) vs {none} (0x)");
    // structures.csv: the whole-horizon rows of every structure.
    let t = std::fs::read_to_string(out.join("structures.csv")).unwrap();
    let h: Vec<&str> = t.lines().next().unwrap().split(',').collect();
    assert_eq!(h[0], "structure");
    assert_eq!(h[h.len() - 2..], ["prob_reduction", "prob_increase"]);
    for s in ["as-shipped", "waits-escalate-3x", "waits-do-not-escalate"] {
        assert!(
            t.lines().any(|l| l.starts_with(&format!(
                "{s},test-region-poh,test-region,Testregio,region,2025,2027,second_line_referrals,"
            ))),
            "{s}: {t}"
        );
    }
    // A structure's folder reproduces from its manifest (the keys as --set).
    let m = std::fs::read_to_string(out.join("waits-escalate-3x").join("manifest.json")).unwrap();
    assert!(
        m.contains("second_line.escalation_while_waiting=3.0"),
        "{m}"
    );
    regiosim()
        .arg("reproduce")
        .arg(out.join("waits-escalate-3x"))
        .assert()
        .success();
}

#[test]
fn a_bad_structures_file_exits_2_naming_the_problem_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (base, poh) = (
        scenario("test-region.toml"),
        scenario("test-region-poh.toml"),
    );
    let cases = [
        ("name = \"t\"\n", "names no structure"),
        (
            "[[structure]]\nname = \"Bad Name\"\n",
            "is not a folder name",
        ),
        (
            "[[structure]]\nname = \"a\"\n[[structure]]\nname = \"a\"\n",
            "used twice",
        ),
        (
            "[[structure]]\nname = \"a\"\nsets = {}\n",
            "unknown key `sets`",
        ),
        (
            "[[structure]]\nname = \"a\"\nset = { \"second_line.escalation_while_waiting\" = -1.0 }\n",
            "escalation_while_waiting",
        ),
        (
            "[[structure]]\nname = \"a\"\nset = { \"dsav.no_such_key\" = 1 }\n",
            "no_such_key",
        ),
    ];
    for (i, (text, expect)) in cases.iter().enumerate() {
        let f = write_scenario(dir.path(), &format!("s{i}.toml"), text);
        let out = dir.path().join(format!("out{i}"));
        let o = regiosim()
            .arg("run")
            .arg(&base)
            .arg(&poh)
            .args([
                "--years",
                "1",
                "--replications",
                "1",
                "--quiet",
                "--structures",
            ])
            .arg(&f)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(expect), "{text}: {err}");
        assert!(!out.join("a").exists(), "nothing ran: {text}");
    }
    // One scenario: nothing to put side by side.
    let f = structures(dir.path());
    regiosim()
        .arg("run")
        .arg(&base)
        .args(["--years", "1", "--quiet", "--structures"])
        .arg(&f)
        .arg("--out")
        .arg(dir.path().join("one"))
        .assert()
        .code(2);
}

#[test]
fn structures_over_a_posterior_carry_the_probability_of_a_reduction() {
    let dir = tempfile::tempdir().unwrap();
    let file = structures(dir.path());
    let posterior = dir.path().join("posterior.csv");
    std::fs::write(
        &posterior,
        "particle,weight,needs.onset_per_year.PO,distance\n0,0.5,0.1,0.4\n1,0.5,0.2,0.6\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    regiosim()
        .arg("run")
        .arg(scenario("test-region.toml"))
        .arg(scenario("test-region-poh.toml"))
        .args([
            "--replications",
            "4",
            "--years",
            "2",
            "--quiet",
            "--posterior",
        ])
        .arg(&posterior)
        .arg("--structures")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let t = std::fs::read_to_string(out.join("structures.csv")).unwrap();
    let rows: Vec<Vec<&str>> = t.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert!(!rows.is_empty());
    for s in ["as-shipped", "waits-escalate-3x", "waits-do-not-escalate"] {
        let row = rows
            .iter()
            .find(|c| c[0] == s && c[7] == "second_line_referrals" && c[4] == "region")
            .unwrap_or_else(|| panic!("{s}: {t}"));
        let p: f64 = row[row.len() - 2].parse().unwrap();
        assert!((0.0..=1.0).contains(&p), "{s}: {row:?}");
    }
    assert!(out.join("as-shipped").join("probabilities.csv").exists());
}
