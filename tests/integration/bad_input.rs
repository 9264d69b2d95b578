//! Bad input gets a clear error naming the problem and the fix, exit code 2,
//! and never a panic.

use crate::{regiosim, scenario, write_scenario};

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
