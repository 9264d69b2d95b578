//! regiosim's own state CSVs, for what CBS does not publish:
//! `wachtlijst.csv` (youths waiting per queue, by band of days waited or
//! with a mean) and `gemeente.csv` (budget, wijkteam caseload).

use super::cbs::{self, Table};
use super::check::gemeente_index;
use super::{FileInfo, GemeenteState, Queue, StateProblem, Waiting};
use crate::scenario::Scenario;
use std::collections::HashMap;

const QUEUE_NAMES: [(&str, Queue); 8] = [
    ("wijkteam_intake", Queue::WijkteamIntake),
    ("wijkteam", Queue::WijkteamIntake),
    ("assessment", Queue::Assessment),
    ("intake", Queue::Assessment),
    ("treatment", Queue::Treatment),
    ("ambulant", Queue::Treatment),
    ("verblijf", Queue::Verblijf),
    ("stay", Queue::Verblijf),
];

fn required(t: &Table, name: &str, problems: &mut Vec<StateProblem>) -> Option<usize> {
    let c = t.column(&[name]);
    if c.is_none() {
        problems.push(t.at_header(
            format!("has no `{name}` column"),
            "the header is listed in docs/STATE.md",
        ));
    }
    c
}

/// `gemeente,queue,waiting[,waited_days_mean][,waited_from_days,waited_to_days]`.
pub(super) fn read_waiting(
    t: &Table,
    sc: &Scenario,
    out: &mut [GemeenteState],
) -> Result<FileInfo, Vec<StateProblem>> {
    let mut problems = Vec::new();
    let (g_col, q_col, w_col) = (
        required(t, "gemeente", &mut problems),
        required(t, "queue", &mut problems),
        required(t, "waiting", &mut problems),
    );
    let (Some(g_col), Some(q_col), Some(w_col)) = (g_col, q_col, w_col) else {
        return Err(problems);
    };
    let mean_col = t.column(&["waited_days_mean"]);
    let from_col = t.column(&["waited_from_days"]);
    let to_col = t.column(&["waited_to_days"]);
    if from_col.is_some() != to_col.is_some() {
        return Err(vec![t.at_header(
            "has only one of `waited_from_days` and `waited_to_days`".into(),
            "give both (a band of days waited) or neither",
        )]);
    }
    let dc = t.decimal_comma();
    // (gemeente, queue) -> (line of a whole-queue row, band rows seen)
    let mut seen: HashMap<(usize, Queue), (Option<usize>, Vec<(f64, f64, usize)>)> = HashMap::new();
    for row in &t.rows {
        let g = match gemeente_index(sc, t.text(row, g_col)) {
            Ok(g) => g,
            Err((m, fix)) => {
                problems.push(t.at(row, g_col, m, &fix));
                continue;
            }
        };
        let qtext = t.text(row, q_col);
        let Some(queue) = QUEUE_NAMES
            .iter()
            .find(|(n, _)| cbs::normalize(n) == cbs::normalize(qtext))
            .map(|x| x.1)
        else {
            let hint = crate::scenario::did_you_mean(qtext, QUEUE_NAMES.iter().map(|x| x.0))
                .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
            problems.push(t.at(
                row,
                q_col,
                format!("`queue` is `{qtext}`, not a queue of the model{hint}"),
                "write wijkteam_intake, assessment, treatment or verblijf",
            ));
            continue;
        };
        let waiting = match cbs::parse_count(t.text(row, w_col), dc) {
            Ok(Some(w)) => w,
            Ok(None) => {
                problems.push(t.at(row, w_col, "`waiting` is empty: the number waiting is required in this file".into(), "write the number of youths waiting (0 for an empty list), or leave the row out"));
                continue;
            }
            Err(m) => {
                problems.push(t.at(
                    row,
                    w_col,
                    format!("`waiting` {m}"),
                    "write a whole number of at least 0",
                ));
                continue;
            }
        };
        let num = |col: Option<usize>, problems: &mut Vec<StateProblem>| -> Option<f64> {
            let c = col?;
            match cbs::parse_decimal(t.text(row, c), dc) {
                Ok(Some(x)) if x < 0.0 => {
                    problems.push(t.at(
                        row,
                        c,
                        format!(
                            "`{}` is `{}`: days waited cannot be negative",
                            t.name(c),
                            t.text(row, c)
                        ),
                        "write days of at least 0",
                    ));
                    None
                }
                Ok(x) => x,
                Err(m) => {
                    problems.push(t.at(
                        row,
                        c,
                        format!("`{}` {m}", t.name(c)),
                        "write a number of days",
                    ));
                    None
                }
            }
        };
        let before = problems.len();
        let mean = num(mean_col, &mut problems);
        let band = match (num(from_col, &mut problems), num(to_col, &mut problems)) {
            (Some(a), Some(b)) if b <= a => {
                problems.push(t.at(
                    row,
                    to_col.unwrap_or(0),
                    format!("`waited_to_days` {b} is not above `waited_from_days` {a}"),
                    "give a band [from, to) with to > from",
                ));
                None
            }
            (Some(a), Some(b)) => Some((a, b)),
            (None, None) => None,
            _ => {
                problems.push(t.at(
                    row,
                    from_col.unwrap_or(0),
                    "gives only one end of the band of days waited".into(),
                    "give both ends, or neither for the whole queue",
                ));
                None
            }
        };
        if problems.len() > before {
            continue;
        }
        let entry = seen.entry((g, queue)).or_default();
        let clash = match band {
            None => entry.0.or(entry.1.first().map(|b| b.2)),
            Some((a, b)) => entry
                .0
                .or(entry.1.iter().find(|x| a < x.1 && x.0 < b).map(|x| x.2)),
        };
        if let Some(first) = clash {
            problems.push(t.at(
                row,
                q_col,
                format!(
                    "repeats or overlaps the row of queue `{}` for {} at line {first}",
                    queue.as_str(),
                    out[g].name
                ),
                "give a queue once, or as bands of days waited that do not overlap",
            ));
            continue;
        }
        match band {
            None => entry.0 = Some(row.line),
            Some((a, b)) => entry.1.push((a, b, row.line)),
        }
        let place = t.place(row, w_col);
        let list = match out[g].waiting.iter_mut().find(|w| w.queue == queue) {
            Some(w) => w,
            None => {
                out[g].waiting.push(Waiting {
                    queue,
                    waiting: 0,
                    waited_days_mean: None,
                    bands: Vec::new(),
                    place,
                });
                out[g].waiting.last_mut().expect("just pushed")
            }
        };
        list.waiting += waiting;
        match band {
            Some((a, b)) => list.bands.push((a, b, waiting)),
            None => list.waited_days_mean = mean,
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for g in out.iter_mut() {
        for w in &mut g.waiting {
            w.bands.sort_by(|a, b| a.0.total_cmp(&b.0));
            if !w.bands.is_empty() && w.waiting > 0 {
                // Mid-band mean of the bands.
                let s: f64 = w
                    .bands
                    .iter()
                    .map(|(a, b, n)| (a + b) / 2.0 * *n as f64)
                    .sum();
                w.waited_days_mean = Some(s / w.waiting as f64);
            }
        }
        g.waiting.sort_by_key(|w| w.queue);
    }
    Ok(FileInfo {
        name: super::WAITING_FILE,
        rounded: false,
        period: None,
        rows: t.rows.len(),
        rows_of_other_periods: 0,
    })
}

/// `gemeente,budget_eur,wijkteam_caseload` (both optional cells).
pub(super) fn read_gemeente(
    t: &Table,
    sc: &Scenario,
    out: &mut [GemeenteState],
) -> Result<FileInfo, Vec<StateProblem>> {
    let mut problems = Vec::new();
    let Some(g_col) = required(t, "gemeente", &mut problems) else {
        return Err(problems);
    };
    let budget = t.column(&["budget_eur"]);
    let caseload = t.column(&["wijkteam_caseload"]);
    let dc = t.decimal_comma();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let g = match gemeente_index(sc, t.text(row, g_col)) {
            Ok(g) => g,
            Err((m, fix)) => {
                problems.push(t.at(row, g_col, m, &fix));
                continue;
            }
        };
        if let Some(first) = seen.insert(g, row.line) {
            problems.push(t.at(
                row,
                g_col,
                format!("repeats the row of {} at line {first}", out[g].name),
                "keep one row per gemeente",
            ));
            continue;
        }
        if let Some(c) = budget {
            match cbs::parse_decimal(t.text(row, c), dc) {
                Ok(Some(x)) if !(0.0..=1e11).contains(&x) => problems.push(t.at(
                    row,
                    c,
                    format!(
                        "`budget_eur` is `{}`: a budget lies between 0 and 1e11 EUR",
                        t.text(row, c)
                    ),
                    "write the year's youth budget in EUR",
                )),
                Ok(x) => out[g].budget_eur = x,
                Err(m) => problems.push(t.at(
                    row,
                    c,
                    format!("`budget_eur` {m}"),
                    "write the year's youth budget in EUR",
                )),
            }
        }
        if let Some(c) = caseload {
            match cbs::parse_count(t.text(row, c), dc) {
                Ok(x) => out[g].wijkteam_caseload = x.map(|n| (n, t.place(row, c))),
                Err(m) => problems.push(t.at(
                    row,
                    c,
                    format!("`wijkteam_caseload` {m}"),
                    "write the number of youths the wijkteams help on the reference date (registered as jeugdhulp or not)",
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(FileInfo {
        name: super::GEMEENTE_FILE,
        rounded: false,
        period: None,
        rows: t.rows.len(),
        rows_of_other_periods: 0,
    })
}
