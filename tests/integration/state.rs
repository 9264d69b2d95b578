//! `regiosim check-state`: an observed starting state read from CBS
//! StatLine CSVs and regiosim's waiting-list CSV, checked against a
//! scenario; malformed files exit 2 naming file, line and column.

use crate::{regiosim, scenario, write_scenario};
use std::path::{Path, PathBuf};

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/state/nijmegen-2025")
}

/// Runs check-state on `dir` against `sc`; (exit code, stdout, stderr).
fn check_state(dir: &Path, sc: &Path) -> (Option<i32>, String, String) {
    let out = regiosim()
        .arg("check-state")
        .arg(dir)
        .arg("--scenario")
        .arg(sc)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of the shipped example with `name` replaced by `text`.
fn example_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(shipped()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join(name), text).unwrap();
    dir
}

/// Check-state on the example with `name` replaced: must exit 2; stderr.
fn bad(name: &str, text: &str) -> String {
    let dir = example_with(name, text);
    let (code, _, err) = check_state(dir.path(), &scenario("nijmegen.toml"));
    assert_eq!(code, Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

const VORM_HEADER: &str = "RegioS;Perioden;Vorm jeugdhulp;Lopende trajecten op peildatum\n";

#[test]
fn the_shipped_example_loads_and_prints_its_totals_with_intervals() {
    let (code, out, err) = check_state(&shipped(), &scenario("nijmegen.toml"));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("ok (state on 2025-01-01 for scenario `nijmegen`)"),
        "{out}"
    );
    assert!(out.contains("period 2024JJ00 (preliminary)"), "{out}");
    assert!(out.contains("2 rows of earlier periods not used"), "{out}");
    // Rounded cells carry ±2; a sum of four rounded cells carries ±8.
    assert!(
        out.contains("light (wijkteam)  850 [848, 852], preliminary"),
        "{out}"
    );
    assert!(
        out.contains("sum of forms      2,760 [2,752, 2,768]"),
        "{out}"
    );
    // Two suppressed cells, recovered from the CBS total as an interval.
    assert!(out.contains("suppressed cells  140 [130, 150]"), "{out}");
    assert!(
        out.contains("rechter / OvJ              unknown (suppressed)"),
        "{out}"
    );
    assert!(out.contains("assessment        140 in 3 bands"), "{out}");
    assert!(out.contains("budget: EUR 26,100,000"), "{out}");
}

#[test]
fn a_cbs_file_with_suppressed_and_rounded_cells_loads_with_the_rounding_handled() {
    let vorm = "\u{feff}\"RegioS\";\"Perioden\";\"Vorm jeugdhulp\";\"Lopende trajecten op peildatum\"\r\n\
        \"Nijmegen  \";\"2024JJ00*\";\"Jeugdhulp zonder verblijf\";\"1235\"\r\n\
        \"Nijmegen  \";\"2024JJ00*\";\"Jeugdhulp met verblijf\";\".\"\r\n\
        \"Nijmegen  \";\"2024JJ00*\";\"Jeugdhulp in de wijk\";\"0\"\r\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("jeugdhulp-vorm.csv"), vorm).unwrap();
    let (code, out, err) = check_state(dir.path(), &scenario("nijmegen.toml"));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("counts rounded to multiples of 5 (read as ±2)"),
        "{out}"
    );
    assert!(
        out.contains("ambulant          1,235 [1,233, 1,237], preliminary"),
        "{out}"
    );
    assert!(
        out.contains("verblijf          unknown (suppressed), preliminary"),
        "{out}"
    );
    // A rounded 0 is 0 to 2, never negative.
    assert!(out.contains("light (wijkteam)  0 [0, 2]"), "{out}");
}

#[test]
fn exact_counts_are_not_widened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("jeugdhulp-vorm.csv"),
        format!("{VORM_HEADER}Nijmegen;2024;Ambulant;1234\nNijmegen;2024;Verblijf;120\n"),
    )
    .unwrap();
    let (code, out, err) = check_state(dir.path(), &scenario("nijmegen.toml"));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("ambulant          1,234\n"), "{out}");
    assert!(!out.contains("rounded"), "{out}");
}

#[test]
fn a_gemeente_is_matched_by_its_cbs_code() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write_scenario(
        dir.path(),
        "s.toml",
        &format!(
            "extends = {:?}\n[[gemeenten]]\nname = \"Nijmegen\"\ncbs_code = \"GM0268\"\ninhabitants = 182500\nyouth_budget_eur = 1\n[[gemeenten.wijken]]\nname = \"Midden\"\nrisk = 1.0\nweight = 1.0\n",
            scenario("nijmegen.toml").display().to_string()
        ),
    );
    let (code, _, err) = regiosim_check(&sc);
    assert_eq!(code, Some(0), "{err}");
    let state = dir.path().join("state");
    std::fs::create_dir(&state).unwrap();
    std::fs::write(
        state.join("jeugdhulp-vorm.csv"),
        format!("{VORM_HEADER}GM0268    ;2024JJ00;Ambulant;100\n"),
    )
    .unwrap();
    let (code, out, err) = check_state(&state, &sc);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("[Nijmegen]"), "{out}");
    std::fs::write(
        state.join("jeugdhulp-vorm.csv"),
        format!("{VORM_HEADER}GM0363;2024JJ00;Ambulant;100\n"),
    )
    .unwrap();
    let (code, _, err) = check_state(&state, &sc);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("jeugdhulp-vorm.csv:2:1: gemeente code `GM0363`"),
        "{err}"
    );
}

fn regiosim_check(sc: &Path) -> (Option<i32>, String, String) {
    let out = regiosim().arg("check").arg(sc).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_negative_count_names_file_line_and_column() {
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegen;2024JJ00;Ambulant;-12\n"),
    );
    assert!(err.contains("jeugdhulp-vorm.csv:2:28: `Lopende trajecten op peildatum` is `-12`: a count cannot be negative"), "{err}");
    assert!(err.contains("fix:"), "{err}");
}

#[test]
fn a_gemeente_not_in_the_scenario_gets_a_suggestion() {
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegn;2024JJ00;Ambulant;10\n"),
    );
    assert!(err.contains("jeugdhulp-vorm.csv:2:1: gemeente `Nijmegn` is not in the scenario (did you mean `Nijmegen`?)"), "{err}");
}

#[test]
fn more_youths_in_care_than_students_is_an_error() {
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegen;2024JJ00;Ambulant;900000\n"),
    );
    assert!(
        err.contains("jeugdhulp-vorm.csv:2:28: 901,200 youths are in care in Nijmegen (at least 901,198, with the wijkteams' caseload of 1,200 in gemeente.csv), more than the 31,816 students"),
        "{err}"
    );
    assert!(err.contains("more than the"), "{err}");
}

#[test]
fn a_reference_date_outside_the_scenario_years_is_an_error() {
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegen;2015JJ00;Ambulant;10\n"),
    );
    assert!(
        err.contains(
            "counts the stock on 2016-01-01, outside the scenario's simulated years 2017-2030"
        ),
        "{err}"
    );
}

#[test]
fn a_duplicate_row_names_both_lines() {
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegen;2024JJ00;Pleegzorg;10\nNijmegen;2024JJ00;Pleegzorg;15\n"),
    );
    assert!(
        err.contains(
            "jeugdhulp-vorm.csv:3:19: repeats the row of `Pleegzorg` for Nijmegen at line 2"
        ),
        "{err}"
    );
}

#[test]
fn a_missing_required_table_names_it_and_where_to_get_it() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = check_state(dir.path(), &scenario("nijmegen.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("has no jeugdhulp-vorm.csv"), "{err}");
    assert!(err.contains("84134NED"), "{err}");
}

#[test]
fn a_misnamed_file_gets_a_suggestion() {
    let dir = example_with("wachtlijsten.csv", "gemeente,queue,waiting\n");
    let (code, _, err) = check_state(dir.path(), &scenario("nijmegen.toml"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "wachtlijsten.csv: is not a state file regiosim reads (did you mean `wachtlijst.csv`?)"
        ),
        "{err}"
    );
}

#[test]
fn malformed_cells_each_name_their_place() {
    // A row short of a field, an unknown care form, a bad period.
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegen;2024JJ00;Ambulant\n"),
    );
    assert!(
        err.contains("jeugdhulp-vorm.csv:2:19: has 3 fields, the header has 4"),
        "{err}"
    );
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegen;2024JJ00;Pleegzorgg;10\n"),
    );
    assert!(err.contains("jeugdhulp-vorm.csv:2:19: `Vorm jeugdhulp` is `Pleegzorgg`, not a category regiosim knows (did you mean `Pleegzorg`?)"), "{err}");
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!("{VORM_HEADER}Nijmegen;2024KW01;Ambulant;10\n"),
    );
    assert!(
        err.contains("jeugdhulp-vorm.csv:2:10: `Perioden` is `2024KW01`, not a CBS period"),
        "{err}"
    );
    let err = bad(
        "jeugdhulp-verwijzer.csv",
        "RegioS;Perioden;Verwijzer;Begonnen trajecten;Gemiddelde duur (dagen)\nNijmegen;2024JJ00;Huisarts;100;-3\n",
    );
    assert!(err.contains("jeugdhulp-verwijzer.csv:2:32: `Gemiddelde duur (dagen)` is `-3`: a duration cannot be negative"), "{err}");
    let err = bad(
        "jongeren-jeugdhulp.csv",
        "RegioS;Perioden;Jongeren met jeugdhulp (%)\nNijmegen;2024;135\n",
    );
    assert!(err.contains("jongeren-jeugdhulp.csv:2:15: `Jongeren met jeugdhulp (%)` is `135`: a share in percent lies between 0 and 100"), "{err}");
}

#[test]
fn malformed_waiting_lists_name_their_place() {
    let err = bad(
        "wachtlijst.csv",
        "gemeente,queue,waiting\nNijmegen,treatmnt,10\n",
    );
    assert!(err.contains("wachtlijst.csv:2:10: `queue` is `treatmnt`, not a queue of the model (did you mean `treatment`?)"), "{err}");
    let err = bad(
        "wachtlijst.csv",
        "gemeente,queue,waiting,waited_from_days,waited_to_days\nNijmegen,assessment,10,0,30\nNijmegen,assessment,5,20,60\n",
    );
    assert!(err.contains("wachtlijst.csv:3:10: repeats or overlaps the row of queue `assessment` for Nijmegen at line 2"), "{err}");
    let err = bad(
        "wachtlijst.csv",
        "gemeente,queue,waiting\nNijmegen,verblijf,-1\n",
    );
    assert!(
        err.contains("wachtlijst.csv:2:19: `waiting` is `-1`: a count cannot be negative"),
        "{err}"
    );
}

#[test]
fn forms_that_contradict_the_cbs_total_are_an_error() {
    let err = bad(
        "jeugdhulp-vorm.csv",
        &format!(
            "{VORM_HEADER}Nijmegen;2024JJ00;Totaal;100\nNijmegen;2024JJ00;Ambulant;200\nNijmegen;2024JJ00;Verblijf;15\n"
        ),
    );
    assert!(err.contains("jeugdhulp-vorm.csv:2:26: the `Totaal` of Nijmegen is 100 [98, 102], but its care forms add up to 215 [211, 219]"), "{err}");
}

#[test]
fn a_bad_cbs_code_in_a_scenario_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write_scenario(
        dir.path(),
        "s.toml",
        &format!(
            "extends = {:?}\n[[gemeenten]]\nname = \"Nijmegen\"\ncbs_code = \"0268\"\ninhabitants = 1\nyouth_budget_eur = 1\n[[gemeenten.wijken]]\nname = \"Midden\"\nrisk = 1.0\nweight = 1.0\n",
            scenario("nijmegen.toml").display().to_string()
        ),
    );
    let (code, _, err) = regiosim_check(&sc);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("gemeenten[0].cbs_code: `0268` is not a CBS gemeente code"),
        "{err}"
    );
}

#[test]
fn a_state_path_that_is_not_a_folder_exits_2() {
    let (code, _, err) = check_state(
        &shipped().join("wachtlijst.csv"),
        &scenario("nijmegen.toml"),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("wachtlijst.csv: is not a folder"), "{err}");
}

#[test]
fn an_inflow_table_of_a_later_period_than_the_stock_is_an_error() {
    let err = bad(
        "jeugdhulp-verwijzer.csv",
        "RegioS;Perioden;Verwijzer;Begonnen trajecten\nNijmegen;2025HJ01;Huisarts;500\n",
    );
    assert!(err.contains("jeugdhulp-verwijzer.csv: its latest period 2025HJ01 ends after the reference date 2025-01-01"), "{err}");
}

#[test]
fn referrers_that_contradict_the_cbs_total_are_an_error() {
    let err = bad(
        "jeugdhulp-verwijzer.csv",
        "RegioS;Perioden;Verwijzer;Begonnen trajecten\nNijmegen;2024JJ00;Totaal;500\nNijmegen;2024JJ00;Huisarts;400\nNijmegen;2024JJ00;Jeugdarts;300\n",
    );
    assert!(err.contains("jeugdhulp-verwijzer.csv:2:26: the `Totaal` of started trajectories of Nijmegen is 500 [498, 502], but its referrers add up to 700 [696, 704]"), "{err}");
}
