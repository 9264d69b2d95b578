//! Levers introduced at a year (`[[simulation.changes]]`): a change leaves
//! every output before its year exactly as in the scenario without it, and
//! moves the outputs from that year on.

use crate::{regiosim, scenario, write_scenario};
use regiosim::model::{metric_names, run_replication};
use regiosim::output::tables::RunRows;

/// The metrics of each replication of the test region with `body` added
/// (four output years, 2025-2028).
fn runs(body: &str) -> Vec<RunRows> {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "extends = {:?}\nname = \"lever\"\n[simulation]\nyears = 4\n{body}",
        scenario("test-region.toml").display().to_string()
    );
    let f = write_scenario(dir.path(), "lever.toml", &text);
    let l = regiosim::scenario::load(&f).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (0..2)
        .map(|rep| RunRows::from_result(rep, &run_replication(&l.scenario, 3, rep, &mut |_| {})))
        .collect()
}

/// Whether output year `y` has the same bits in every area and metric.
fn same_year(a: &[RunRows], b: &[RunRows], y: usize) -> bool {
    a.iter().zip(b).all(|(ra, rb)| {
        ra.metrics[y]
            .iter()
            .flatten()
            .zip(rb.metrics[y].iter().flatten())
            .all(|(x, z)| x.to_bits() == z.to_bits())
    })
}

fn metric(rows: &[RunRows], name: &str, y: usize) -> f64 {
    let m = metric_names().iter().position(|n| n == name).unwrap();
    rows.iter().map(|r| r.metrics[y][0][m]).sum()
}

#[test]
fn a_lever_changed_from_a_year_leaves_the_years_before_it_identical() {
    // A policy is set in the scenario and off until its change, so its
    // baseline is the scenario without it.
    let base = runs("");
    let cases = [
        ("", "lever = \"wijkteam_fte\"\nfactor = 1.5"),
        ("", "lever = \"smw_hours\"\nfactor = 3.0"),
        ("", "lever = \"second_line_capacity\"\nfactor = 0.6"),
        ("", "lever = \"collaboration\"\nmodel = \"schotten\""),
        ("[dsav]\nenabled = true\n", "lever = \"dsav\""),
        ("[huisarts]\npoh_coverage = 1.0\n", "lever = \"poh\""),
        ("[integraal]\nenabled = true\n", "lever = \"integraal\""),
    ];
    for (policy, change) in cases {
        let changed = runs(&format!(
            "{policy}[[simulation.changes]]\nyear = 2027\n{change}\n"
        ));
        for y in 0..2 {
            assert!(
                same_year(&base, &changed, y),
                "{change}: output year {y} (before 2027) differs"
            );
        }
        assert!(
            !same_year(&base, &changed, 2),
            "{change}: 2027 is the same as without the change"
        );
    }
}

#[test]
fn wijkteam_fte_raised_from_a_year_costs_the_factor_more_from_that_year() {
    let base = runs("");
    let raised =
        runs("[[simulation.changes]]\nlever = \"wijkteam_fte\"\nyear = 2027\nfactor = 1.5\n");
    for y in 0..4 {
        let ratio = metric(&raised, "cost_wijkteam_eur", y) / metric(&base, "cost_wijkteam_eur", y);
        let expected = if y < 2 { 1.0 } else { 1.5 };
        assert!(
            (ratio - expected).abs() < 1e-9,
            "year {y}: wijkteam costs ×{ratio}, expected ×{expected}"
        );
    }
    // More staff, shorter intake waits once the change holds.
    assert!(
        metric(&raised, "wait_intake_days_mean", 3) < metric(&base, "wait_intake_days_mean", 3)
    );
}

#[test]
fn factors_of_changes_to_one_lever_multiply_from_their_years() {
    let base = runs("");
    let twice = runs(
        "[[simulation.changes]]\nlever = \"wijkteam_fte\"\nyear = 2026\nfactor = 1.25\n\
         [[simulation.changes]]\nlever = \"wijkteam_fte\"\nyear = 2028\nfactor = 1.2\n",
    );
    for (y, expected) in [(0, 1.0), (1, 1.25), (2, 1.25), (3, 1.5)] {
        let ratio = metric(&twice, "cost_wijkteam_eur", y) / metric(&base, "cost_wijkteam_eur", y);
        assert!(
            (ratio - expected).abs() < 1e-9,
            "year {y}: ×{ratio}, expected ×{expected}"
        );
    }
}

#[test]
fn a_policy_changed_at_the_first_output_year_is_the_same_as_introduced() {
    let introduced = runs("introduced = [\"dsav\"]\n[dsav]\nenabled = true\n");
    let changed =
        runs("[dsav]\nenabled = true\n[[simulation.changes]]\nlever = \"dsav\"\nyear = 2025\n");
    for y in 0..4 {
        assert!(same_year(&introduced, &changed, y), "output year {y}");
    }
}

fn check_error(body: &str) -> String {
    refused_over("test-region.toml", body)
}

/// `regiosim check` of a scenario that extends the shipped `base` with
/// `body`: exit 2, and its stderr.
pub fn refused_over(base: &str, body: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "extends = {:?}\n{body}",
        scenario(base).display().to_string()
    );
    let f = write_scenario(dir.path(), "bad.toml", &text);
    let out = regiosim().arg("check").arg(&f).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{body}: {err}");
    err
}

#[test]
fn a_bad_lever_change_is_named_with_its_fix_and_exit_2() {
    let err = check_error(
        "[simulation]\nintroduced = [\"poh\"]\n\
         [[simulation.changes]]\nlever = \"wijkteam_fte\"\nyear = 2024\n\
         [[simulation.changes]]\nlever = \"poh\"\nyear = 2026\nfactor = 2.0\n\
         [[simulation.changes]]\nlever = \"collaboration\"\nyear = 2026\n\
         [[simulation.changes]]\nlever = \"smw_hours\"\nyear = 2026\nfactor = -1.0\n",
    );
    for expected in [
        "simulation.changes[0].year: 2024 is before the first output year 2025",
        "simulation.changes[0].factor: `wijkteam_fte` is a numeric lever: give `factor`",
        "simulation.changes[1].factor: `poh` takes no `factor`",
        "simulation.changes[1].lever: `poh` is also in `simulation.introduced`",
        "simulation.changes[2].model: `collaboration` needs `model`",
        "simulation.changes[3].factor: must not be negative",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in\n{err}");
    }
    let err = check_error("[[simulation.changes]]\nlever = \"wijkteam_ftee\"\nyear = 2026\n");
    assert!(err.contains("did you mean `wijkteam_fte`?"), "{err}");
}

/// `body` (without a `[costs]` table) with POH-jeugd costing `eur` a
/// year per practice that has one.
fn poh_runs(body: &str, eur: f64) -> Vec<RunRows> {
    runs(&format!(
        "{body}[costs]\npoh_practice_eur_per_year = {eur:?}\n"
    ))
}

/// Per output year: the POH-jeugd's fixed cost per area (region first),
/// cost_poh_eur with `eur` per practice less that with none (the cost per
/// practice changes no behaviour).
fn poh_fixed_cost(body: &str, eur: f64) -> Vec<Vec<f64>> {
    let (with, without) = (poh_runs(body, eur), poh_runs(body, 0.0));
    let m = metric_names()
        .iter()
        .position(|n| n == "cost_poh_eur")
        .unwrap();
    (0..4)
        .map(|y| {
            (0..3)
                .map(|area| with[0].metrics[y][area][m] - without[0].metrics[y][area][m])
                .collect()
        })
        .collect()
}

#[test]
fn poh_cost_per_practice_adds_practices_times_coverage_times_cost() {
    let body = "[huisarts]\npoh_coverage = 0.6\ninhabitants_per_practice = 4000.0\n";
    let fixed = poh_fixed_cost(body, 12_000.0);
    // Stad: 60,000 inhabitants, 15 practices; Dorp: 20,000, 5 practices.
    for (y, areas) in fixed.iter().enumerate() {
        for (area, practices) in [(1, 15.0), (2, 5.0), (0, 20.0)] {
            let expected = practices * 0.6 * 12_000.0;
            assert!(
                (areas[area] - expected).abs() < 1e-6,
                "year {y}, area {area}: {} instead of {expected}",
                areas[area]
            );
        }
    }
    // The gemeenten pay it: their budget balance falls by as much.
    let (with, without) = (poh_runs(body, 12_000.0), poh_runs(body, 0.0));
    let fall = metric(&without, "budget_balance_eur", 0) - metric(&with, "budget_balance_eur", 0);
    let expected = 2.0 * 20.0 * 0.6 * 12_000.0;
    assert!(
        (fall - expected).abs() < 1e-3,
        "{fall} instead of {expected}"
    );
}

#[test]
fn poh_coverage_ramps_up_over_its_rollout_years_from_its_start() {
    let eur = 10_000.0;
    let full = 20.0 * 0.9 * eur;
    let rollout = "[huisarts]\npoh_coverage = 0.9\npoh_rollout_years = 3\ninhabitants_per_practice = 4000.0\n";
    // Introduced in the first output year: a third, two thirds, all, all.
    let ramp = poh_fixed_cost(&format!("introduced = [\"poh\"]\n{rollout}"), eur);
    // Started in 2026 by a change: nothing in 2025, then the same ramp.
    let later = poh_fixed_cost(
        &format!("[[simulation.changes]]\nlever = \"poh\"\nyear = 2026\n{rollout}"),
        eur,
    );
    // Not introduced: the roll-out ran during the three warm-up years.
    let warm = poh_fixed_cost(rollout, eur);
    let shares = [
        (1.0 / 3.0, 0.0, 1.0),
        (2.0 / 3.0, 1.0 / 3.0, 1.0),
        (1.0, 2.0 / 3.0, 1.0),
        (1.0, 1.0, 1.0),
    ];
    for (y, (a, b, c)) in shares.into_iter().enumerate() {
        for (got, share, what) in [
            (&ramp, a, "introduced"),
            (&later, b, "from 2026"),
            (&warm, c, "from the start"),
        ] {
            assert!(
                (got[y][0] - share * full).abs() < 1e-6,
                "{what}, year {y}: {} instead of {}",
                got[y][0],
                share * full
            );
        }
    }
    // Families reach a POH more often as coverage rises: more trajectories.
    let trajectories = poh_runs(&format!("introduced = [\"poh\"]\n{rollout}"), 0.0);
    let (first, last) = (
        metric(&trajectories, "cost_poh_eur", 0),
        metric(&trajectories, "cost_poh_eur", 3),
    );
    assert!(
        first < 0.7 * last,
        "POH trajectory costs: {first} in 2025, {last} in 2028"
    );
}
