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
        err.contains("the manifest holds a sweep but no scenarios"),
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
