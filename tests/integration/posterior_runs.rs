//! `regiosim run --posterior`: replications run with posterior draws, the
//! same draw in every scenario; a one-particle posterior runs exactly the
//! scenario with its values; the nested design splits the variance; the
//! manifest reproduces the run; bad posteriors exit 2.

use super::{regiosim, scenario, write_scenario};
use std::path::Path;

/// A posterior.csv of one parameter, `key`, with (weight, value) rows.
fn posterior_of(dir: &Path, key: &str, rows: &[(f64, f64)]) -> std::path::PathBuf {
    let mut t = format!("particle,weight,{key},distance\n");
    for (i, (w, x)) in rows.iter().enumerate() {
        t.push_str(&format!("{i},{w},{x},0.5\n"));
    }
    let p = dir.join("posterior.csv");
    std::fs::write(&p, t).unwrap();
    p
}

fn posterior(dir: &Path, rows: &[(f64, f64)]) -> std::path::PathBuf {
    posterior_of(dir, "needs.onset_per_year.PO", rows)
}

fn run(out: &Path, args: &[&str]) -> String {
    let o = regiosim()
        .arg("run")
        .args(args)
        .args(["--years", "2", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn cells(line: &str) -> Vec<String> {
    line.split(',').map(|s| s.to_string()).collect()
}

#[test]
fn a_one_particle_posterior_runs_exactly_the_scenario_with_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let base = scenario("test-region.toml");
    let set = write_scenario(
        dir.path(),
        "set.toml",
        &format!(
            "extends = {:?}\nname = \"test-region\"\n[signalling]\ngp_preference_mean = 0.6\n",
            base.display().to_string()
        ),
    );
    let p = posterior_of(dir.path(), "signalling.gp_preference_mean", &[(1.0, 0.6)]);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run(
        &a,
        &[set.to_str().unwrap(), "--replications", "2", "--quiet"],
    );
    run(
        &b,
        &[
            base.to_str().unwrap(),
            "--replications",
            "2",
            "--quiet",
            "--posterior",
            p.to_str().unwrap(),
        ],
    );
    for f in ["runs.csv", "by_school_type.csv", "summary.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    assert!(
        !a.join("posterior_draws.csv").exists(),
        "a plain run writes no posterior tables"
    );
}

#[test]
fn posterior_draws_are_shared_by_every_scenario_and_split_the_variance() {
    let dir = tempfile::tempdir().unwrap();
    // Four very different particles: parameter variance dominates.
    let p = posterior(
        dir.path(),
        &[(0.25, 0.06), (0.25, 0.14), (0.25, 0.22), (0.25, 0.3)],
    );
    let out = dir.path().join("out");
    let (base, poh) = (
        scenario("test-region.toml"),
        scenario("test-region-poh.toml"),
    );
    let stdout = run(
        &out,
        &[
            base.to_str().unwrap(),
            poh.to_str().unwrap(),
            "--replications",
            "8",
            "--posterior",
            p.to_str().unwrap(),
            "--posterior-draws",
            "4",
        ],
    );
    assert!(
        stdout.contains("saves the gemeente money over 2025-2026"),
        "{stdout}"
    );
    let draws = std::fs::read_to_string(out.join("posterior_draws.csv")).unwrap();
    let rows: Vec<Vec<String>> = draws.lines().skip(1).map(cells).collect();
    assert_eq!(rows.len(), 8);
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(row[0], r.to_string());
        assert_eq!(row[1], (r / 2).to_string(), "two replications per draw");
    }
    // Both scenarios ran replication r with the same PO onset: their PO
    // youth care shares move together across draws.
    let by_type = std::fs::read_to_string(out.join("by_school_type.csv")).unwrap();
    let share = |sc: &str, r: usize| -> f64 {
        by_type
            .lines()
            .map(cells)
            .find(|c| c[0] == sc && c[1] == r.to_string() && c[2] == "2025" && c[3] == "PO")
            .unwrap()[5]
            .parse()
            .unwrap()
    };
    // (Unless all four draws picked one particle: chance 1 in 64.)
    let value = |r: &Vec<String>| r[3].parse::<f64>().unwrap();
    let lo = (0..8)
        .min_by(|&a, &b| value(&rows[a]).total_cmp(&value(&rows[b])))
        .unwrap();
    let hi = (0..8)
        .max_by(|&a, &b| value(&rows[a]).total_cmp(&value(&rows[b])))
        .unwrap();
    let distinct = value(&rows[hi]) > value(&rows[lo]);
    if distinct {
        for sc in ["test-region", "test-region-poh"] {
            assert!(share(sc, hi) > share(sc, lo) + 0.03, "{sc}");
        }
    }
    let split = std::fs::read_to_string(out.join("variance_split.csv")).unwrap();
    let header = cells(split.lines().next().unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let row = split
        .lines()
        .map(cells)
        .find(|c| {
            c[col("kind")] == "value"
                && c[col("scenario")] == "test-region"
                && c[col("from_year")] == "2025"
                && c[col("metric")] == "youth_care_share"
                && c[col("area")] == "Testregio"
        })
        .unwrap();
    assert_eq!(
        (
            row[col("draws")].as_str(),
            row[col("replications_per_draw")].as_str()
        ),
        ("4", "2")
    );
    if distinct {
        let share_param: f64 = row[col("share_parameter")].parse().unwrap();
        assert!(share_param > 0.8, "{row:?}");
    }
    let probs = std::fs::read_to_string(out.join("probabilities.csv")).unwrap();
    assert!(
        probs
            .lines()
            .any(|l| l.contains(",2025,2026,cost_gemeente_eur,")),
        "{probs}"
    );
    // The report states in how many plausible worlds demand falls and the
    // scenario saves money.
    let md = dir.path().join("report.md");
    regiosim()
        .arg("report")
        .arg(&out)
        .args(["--format", "md", "-o"])
        .arg(&md)
        .assert()
        .success();
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.contains("van de 8 plausibele werelden daalt het aantal verwijzingen")
            && text.contains("bespaart scenario ‘test-region-poh’ de gemeente geld"),
        "{text}"
    );
    // The manifest holds the posterior: the run reproduces without the file.
    std::fs::remove_file(&p).unwrap();
    regiosim().arg("reproduce").arg(&out).assert().success();
}

#[test]
fn a_bad_posterior_exits_2_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let base = scenario("test-region.toml");
    let p = posterior(dir.path(), &[(1.0, 0.2)]);
    let bad_draws = regiosim()
        .arg("run")
        .arg(&base)
        .args([
            "--replications",
            "3",
            "--posterior-draws",
            "2",
            "--quiet",
            "--posterior",
        ])
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(bad_draws.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_draws.stderr)
            .contains("--posterior-draws 2 must divide --replications 3")
    );
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "a,b\n1,2\n").unwrap();
    let out = regiosim()
        .arg("run")
        .arg(&base)
        .args(["--quiet", "--posterior"])
        .arg(&other)
        .arg("--out")
        .arg(dir.path().join("y"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a posterior.csv"));
    // A key the scenario does not have is named.
    std::fs::write(
        &other,
        "particle,weight,needs.onset_per_yaer.PO,distance\n0,1,0.1,0\n",
    )
    .unwrap();
    let out = regiosim()
        .arg("run")
        .arg(&base)
        .args(["--quiet", "--posterior"])
        .arg(&other)
        .arg("--out")
        .arg(dir.path().join("z"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("onset_per_yaer"));
}

/// `drivers.csv` ranks the calibrated parameters by the share of the
/// effect's spread over draws each explains: the POH-jeugd's success with
/// needs of level 2 (which matters only where there is a POH) drives the POH
/// scenario's effect on referrals; the huisarts consult tariff (paid by
/// the insurer, moving no student) explains less. The report shows it.
#[test]
fn drivers_rank_the_parameter_that_sets_the_effect_first_and_the_report_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut t =
        "particle,weight,huisarts.poh_success[1],costs.huisarts_consult_eur,distance\n".to_string();
    for i in 0..10 {
        let tariff = 20.0 + ((i * 7) % 10) as f64 * 3.0;
        t.push_str(&format!("{i},0.1,{},{tariff},0.5\n", 0.1 * i as f64));
    }
    let p = dir.path().join("posterior.csv");
    std::fs::write(&p, t).unwrap();
    let out = dir.path().join("out");
    run(
        &out,
        &[
            scenario("test-region.toml").to_str().unwrap(),
            scenario("test-region-poh.toml").to_str().unwrap(),
            "--replications",
            "40",
            "--posterior",
            p.to_str().unwrap(),
            "--posterior-draws",
            "10",
            "--quiet",
        ],
    );
    let text = std::fs::read_to_string(out.join("drivers.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "scenario,baseline,area,area_kind,from_year,to_year,metric,parameter,share_explained,rank,draws"
        )
    );
    let rows: Vec<Vec<String>> = lines.map(cells).collect();
    let referrals: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[3] == "region" && r[6] == "second_line_referrals")
        .collect();
    assert_eq!(referrals.len(), 2, "{text}");
    assert_eq!(referrals[0][7], "huisarts.poh_success[1]", "{text}");
    assert_eq!(
        (referrals[0][9].as_str(), referrals[1][9].as_str()),
        ("1", "2")
    );
    let share = |r: &Vec<String>| r[8].parse::<f64>().unwrap_or(f64::NAN);
    assert!(share(referrals[0]) > 0.5, "{text}");
    assert!(share(referrals[0]) > share(referrals[1]), "{text}");
    for r in &rows {
        let s = share(r);
        assert!(s.is_nan() || (0.0..=1.0).contains(&s), "{r:?}");
        assert_eq!(r[10], "10");
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
    assert!(report.contains("What drives the uncertainty"), "{report}");
    assert!(
        report.contains("The parameter that explains most on its own is huisarts.poh_success[1]"),
        "{report}"
    );
}

#[test]
fn a_sweep_over_the_posterior_gives_every_variant_the_base_draw_and_refuses_a_shared_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = posterior(dir.path(), &[(0.5, 0.08), (0.5, 0.28)]);
    // Variants differ in POH coverage; the posterior sets PO onset.
    let file = super::sweeps::sweep_file(dir.path(), 3);
    let out = dir.path().join("out");
    regiosim()
        .arg("sweep")
        .arg(&file)
        .args(["--years", "2", "--quiet", "--posterior"])
        .arg(&p)
        .args(["--posterior-draws", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    for f in [
        "posterior_draws.csv",
        "variance_split.csv",
        "probabilities.csv",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    // Replication r of the base and of each variant ran the same PO onset:
    // their PO youth care shares rank the replications alike.
    let draws = std::fs::read_to_string(out.join("posterior_draws.csv")).unwrap();
    let onset: Vec<f64> = draws
        .lines()
        .skip(1)
        .map(|l| cells(l)[3].parse().unwrap())
        .collect();
    assert_eq!(onset.len(), 4);
    let by_type = std::fs::read_to_string(out.join("by_school_type.csv")).unwrap();
    let names: Vec<String> = {
        let mut v: Vec<String> = by_type
            .lines()
            .skip(1)
            .map(|l| cells(l)[0].clone())
            .collect();
        v.dedup();
        v
    };
    assert_eq!(names.len(), 4, "the base and three variants: {names:?}");
    let share = |sc: &str, r: usize| -> f64 {
        by_type
            .lines()
            .map(cells)
            .find(|c| c[0] == sc && c[1] == r.to_string() && c[2] == "2025" && c[3] == "PO")
            .unwrap()[5]
            .parse()
            .unwrap()
    };
    let (lo, hi) = (0..4).fold((0, 0), |(lo, hi), r| {
        (
            if onset[r] < onset[lo] { r } else { lo },
            if onset[r] > onset[hi] { r } else { hi },
        )
    });
    if onset[hi] > onset[lo] {
        for sc in &names {
            assert!(share(sc, hi) > share(sc, lo) + 0.03, "{sc}");
        }
    }
    let probs = std::fs::read_to_string(out.join("probabilities.csv")).unwrap();
    for variant in &names[1..] {
        assert!(
            probs.lines().any(|l| l.starts_with(&format!("{variant},"))),
            "{variant} has no probabilities: {probs}"
        );
    }
    // The manifest holds posterior and sweep: it reproduces without them.
    std::fs::remove_file(&p).unwrap();
    regiosim().arg("reproduce").arg(&out).assert().success();
    // A key both varied and calibrated is refused: the draw would
    // overwrite the sweep's value.
    let p = posterior_of(dir.path(), "huisarts.poh_coverage", &[(1.0, 0.3)]);
    let err = regiosim()
        .arg("sweep")
        .arg(&file)
        .args(["--years", "1", "--quiet", "--posterior"])
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("refused"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    assert!(
        err.contains("varies `huisarts.poh_coverage`, which the posterior also sets"),
        "{err}"
    );
    assert!(!dir.path().join("refused").exists());
}
