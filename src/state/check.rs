//! Consistency of a state with its scenario: every gemeente known, every
//! scenario gemeente present in the required table, no more youths in
//! care than students, a reference date inside the simulated years, the
//! forms consistent with CBS's total, and no stray files.

use super::{CareForm, Estimate, FILES, ObservedState, StateError, StateProblem};
use crate::scenario::{Catchment, Scenario, did_you_mean, thousands};
use std::path::Path;

/// The scenario gemeente a CBS region cell names: a code `GM0268` (the
/// gemeente's `cbs_code`) or a name, compared without case and accents.
pub(super) fn gemeente_index(sc: &Scenario, text: &str) -> Result<usize, (String, String)> {
    if let Some(code) = super::cbs::gemeente_code(text) {
        if let Some(i) = sc
            .gemeenten
            .iter()
            .position(|g| g.cbs_code.as_deref() == Some(code.as_str()))
        {
            return Ok(i);
        }
        return Err((
            format!("gemeente code `{code}` is not the `cbs_code` of any gemeente of the scenario"),
            format!(
                "add `cbs_code = \"{code}\"` to its [[gemeenten]] entry, or remove the rows of gemeenten the scenario does not simulate ({})",
                names(sc)
            ),
        ));
    }
    let n = super::cbs::normalize(text);
    if let Some(i) = sc
        .gemeenten
        .iter()
        .position(|g| super::cbs::normalize(&g.name) == n)
    {
        return Ok(i);
    }
    let hint = did_you_mean(text, sc.gemeenten.iter().map(|g| g.name.as_str()))
        .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
    Err((
        format!("gemeente `{}` is not in the scenario{hint}", text.trim()),
        format!(
            "remove its rows or correct the name; the scenario's gemeenten: {}",
            names(sc)
        ),
    ))
}

fn names(sc: &Scenario) -> String {
    sc.gemeenten
        .iter()
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `.csv` file in the folder that is none of the state files (a typo
/// would otherwise be silently ignored).
pub(super) fn unknown_files(dir: &Path) -> Result<(), StateError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut problems = Vec::new();
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.to_lowercase().ends_with(".csv") && !FILES.contains(&n.as_str()))
        .collect();
    names.sort();
    for name in names {
        let hint =
            did_you_mean(&name, FILES).map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
        problems.push(StateProblem {
            file: dir.join(&name),
            line: 0,
            column: 0,
            message: format!("is not a state file regiosim reads{hint}"),
            fix: format!(
                "rename it to one of {} or move it out of the folder",
                FILES.join(", ")
            ),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StateError::Invalid { problems })
    }
}

/// The expected number of students living in each gemeente: schools with
/// a wijk or gemeente catchment count where they stand; region-wide
/// schools are shared by inhabitants (as the model gives home wijken).
pub fn students_per_gemeente(sc: &Scenario) -> Vec<f64> {
    let n = sc.gemeenten.len();
    let mut out = vec![0.0; n];
    let inhabitants: f64 = sc.gemeenten.iter().map(|g| g.inhabitants).sum();
    for group in &sc.school_groups {
        for i in 0..group.count as usize {
            let Some(&wijk) = group.wijken.get(i % group.wijken.len().max(1)) else {
                continue;
            };
            let size = f64::from(group.students);
            match group.catchment {
                Catchment::Wijk | Catchment::Gemeente => out[sc.wijken[wijk].gemeente] += size,
                Catchment::Region => {
                    for (g, x) in out.iter_mut().enumerate() {
                        *x += if inhabitants > 0.0 {
                            size * sc.gemeenten[g].inhabitants / inhabitants
                        } else {
                            size / n as f64
                        };
                    }
                }
            }
        }
    }
    out
}

pub(super) fn consistency(state: &ObservedState, sc: &Scenario) -> Result<(), StateError> {
    let mut problems = Vec::new();
    let vorm = state.dir.join(super::VORM_FILE);
    let first = sc.simulation.start_year - sc.simulation.warmup_years as i32;
    let last = sc.simulation.start_year + sc.simulation.years as i32;
    let r = state.reference_date;
    // A stock counted on 1 January of `last` starts no simulated year.
    if r.year < first || r.year >= last {
        problems.push(StateProblem {
            file: vorm.clone(),
            line: 0,
            column: 0,
            message: format!(
                "counts the stock on {r}, outside the scenario's simulated years {first}-{} (warm-up from {first}, output from {})",
                last - 1,
                sc.simulation.start_year
            ),
            fix: "use the table of the period before the year the state should start, or change `simulation.start_year`".into(),
        });
    }
    // Flows and shares describe the time up to the reference date, not after.
    for f in &state.files {
        if let Some(p) = f.period
            && p.day_after() > r
        {
            problems.push(StateProblem {
                file: state.dir.join(f.name),
                line: 0,
                column: 0,
                message: format!(
                    "its latest period {} ends after the reference date {r} of {}",
                    p.code(),
                    super::VORM_FILE
                ),
                fix: format!(
                    "use the same period as {} or an earlier one",
                    super::VORM_FILE
                ),
            });
        }
    }
    let students = students_per_gemeente(sc);
    for g in &state.gemeenten {
        if g.in_care.is_empty() && g.in_care_total.is_none() {
            problems.push(StateProblem {
                file: vorm.clone(),
                line: 0,
                column: 0,
                message: format!("has no rows for gemeente `{}` in its latest period, and every gemeente of the scenario needs them", g.name),
                fix: "add its rows (download the table for every gemeente of the scenario)".into(),
            });
            continue;
        }
        let known = |f: CareForm| g.in_care(f).and_then(|x| x.estimate);
        let second_line = [CareForm::Ambulant, CareForm::Verblijf]
            .into_iter()
            .filter_map(known)
            .fold(Estimate::exact(0), |a, b| a + b);
        let light = known(CareForm::Light);
        let sum = light.map_or(second_line, |l| second_line + l);
        // The wijkteams' caseload includes their registered light help.
        if let Some((c, at)) = &g.wijkteam_caseload
            && let Some(l) = light
            && *c < l.low
        {
            problems.push(StateProblem {
                file: at.file.clone(),
                line: at.line,
                column: at.column,
                message: format!(
                    "`wijkteam_caseload` of {} is {c}, fewer than the {} youths of {}'s light form (`Jeugdhulp in de wijk`) on the same date",
                    g.name,
                    l.value,
                    super::VORM_FILE
                ),
                fix: "count every youth the wijkteams help, registered as jeugdhulp or not, or leave the cell empty to use the light form".into(),
            });
        }
        // What the model sets: the caseload in place of the light form.
        let in_model = match &g.wijkteam_caseload {
            Some((c, _)) => second_line + Estimate::exact(*c),
            None => sum,
        };
        let place = g
            .in_care
            .first()
            .map(|(_, x)| &x.place)
            .or(g.in_care_total.as_ref().map(|x| &x.place));
        let (line, column) = place.map_or((0, 0), |p| (p.line, p.column));
        let limit = students[g.gemeente];
        if in_model.low as f64 > limit {
            problems.push(StateProblem {
                file: vorm.clone(),
                line,
                column,
                message: format!(
                    "{} youths are in care in {} (at least {}{}), more than the {} students the scenario has living there",
                    thousands(in_model.value),
                    g.name,
                    thousands(in_model.low),
                    g.wijkteam_caseload.as_ref().map_or(String::new(), |(c, _)| format!(
                        ", with the wijkteams' caseload of {} in {}",
                        thousands(*c),
                        super::GEMEENTE_FILE
                    )),
                    thousands(limit.round() as u64)
                ),
                fix: "check the gemeente of these rows, or give the scenario the gemeente's real student numbers ([[schools]])".into(),
            });
        }
        // The forms must fit CBS's own total (all cells known: equal within
        // the rounding; some suppressed: at most the total).
        if let Some(total) = &g.in_care_total
            && let Some(t) = total.estimate
            && !g.in_care.is_empty()
        {
            let complete = g.in_care.iter().all(|(_, x)| x.is_complete());
            let fits = if complete {
                sum.low <= t.high && t.low <= sum.high
            } else {
                sum.low <= t.high
            };
            if !fits {
                problems.push(StateProblem {
                    file: vorm.clone(),
                    line: total.place.line,
                    column: total.place.column,
                    message: format!(
                        "the `Totaal` of {} is {} [{}, {}], but its care forms add up to {} [{}, {}]",
                        g.name, t.value, t.low, t.high, sum.value, sum.low, sum.high
                    ),
                    fix: "download the table again (one period, one gemeente per row set) or correct the forms; a form the model has no place for belongs in `Overig verblijf` or `Daghulp`".into(),
                });
            }
        }
        // The referrers must fit CBS's total of started trajectories.
        if let Some(total) = &g.inflow_total
            && let Some(t) = total.estimate
            && !g.inflow.is_empty()
        {
            let sum = g
                .inflow
                .iter()
                .filter_map(|(_, x)| x.estimate)
                .fold(Estimate::exact(0), |a, b| a + b);
            let complete = g.inflow.iter().all(|(_, x)| x.is_complete());
            let fits = if complete {
                sum.low <= t.high && t.low <= sum.high
            } else {
                sum.low <= t.high
            };
            if !fits {
                problems.push(StateProblem {
                    file: total.place.file.clone(),
                    line: total.place.line,
                    column: total.place.column,
                    message: format!(
                        "the `Totaal` of started trajectories of {} is {} [{}, {}], but its referrers add up to {} [{}, {}]",
                        g.name, t.value, t.low, t.high, sum.value, sum.low, sum.high
                    ),
                    fix: "download the table again, or correct the referrers' rows".into(),
                });
            }
        }
        if let Some(y) = g
            .youths_with_jeugdhulp
            .as_ref()
            .and_then(|x| x.estimate.map(|e| (e, &x.place)))
            && y.0.low as f64 > limit
        {
            problems.push(StateProblem {
                file: y.1.file.clone(),
                line: y.1.line,
                column: y.1.column,
                message: format!(
                    "{} youths with jeugdhulp in {}, more than the {} students the scenario has living there",
                    thousands(y.0.value),
                    g.name,
                    thousands(limit.round() as u64)
                ),
                fix: "check the gemeente of this row, or give the scenario the gemeente's real student numbers".into(),
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StateError::Invalid { problems })
    }
}
