//! The three CBS tables of a state folder: youths in care by care form
//! (required), started and ended trajectories by referrer, and youths with
//! jeugdhulp. Each keeps the rows of its latest period.

use super::cbs::{self, Period, Row, Table};
use super::check::gemeente_index;
use super::{CareForm, Estimate, Figure, FileInfo, GemeenteState, Route, StateProblem};
use crate::scenario::Scenario;
use std::collections::HashMap;

const REGION: [&str; 6] = [
    "RegioS",
    "Regio's",
    "Regio",
    "Gemeente",
    "Gemeentenaam",
    "Wijken en buurten",
];
const PERIOD: [&str; 3] = ["Perioden", "Periode", "Period"];
const STATUS: [&str; 2] = ["Status", "Status van de cijfers"];
const VORM: [&str; 5] = [
    "Vorm jeugdhulp",
    "Vorm",
    "Jeugdhulpvorm",
    "Hulpvorm",
    "Type jeugdhulp",
];
const VERWIJZER: [&str; 2] = ["Verwijzer", "Verwijzers"];
const IN_CARE: [&str; 5] = [
    "Lopende trajecten op peildatum",
    "Trajecten op peildatum",
    "Lopende trajecten",
    "Jeugdhulptrajecten op peildatum",
    "Lopende jeugdhulptrajecten",
];
const STARTED: [&str; 3] = [
    "Begonnen trajecten",
    "Begonnen jeugdhulptrajecten",
    "Gestarte trajecten",
];
const ENDED: [&str; 2] = ["Beëindigde trajecten", "Beëindigde jeugdhulptrajecten"];
const MEAN_DAYS: [&str; 3] = [
    "Gemiddelde duur beëindigde trajecten (dagen)",
    "Gemiddelde duur (dagen)",
    "Gemiddelde duur beëindigde trajecten",
];
const YOUTHS: [&str; 2] = ["Jongeren met jeugdhulp", "Jongeren met jeugdhulp (aantal)"];
const SHARE: [&str; 4] = [
    "Jongeren met jeugdhulp (%)",
    "Jongeren met jeugdhulp, relatief",
    "Jongeren met jeugdhulp relatief",
    "Aandeel jongeren met jeugdhulp (%)",
];

/// A row of a vorm table: one form (its total or a part of it), or the
/// table's total.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Vorm {
    Form(CareForm, bool),
    Total,
}

const VORM_LABELS: [(&str, Vorm); 19] = [
    ("Totaal", Vorm::Total),
    ("Totaal jeugdhulp", Vorm::Total),
    ("Jeugdhulp totaal", Vorm::Total),
    (
        "Jeugdhulp zonder verblijf",
        Vorm::Form(CareForm::Ambulant, true),
    ),
    ("Ambulant", Vorm::Form(CareForm::Ambulant, true)),
    ("Jeugdhulp ambulant", Vorm::Form(CareForm::Ambulant, true)),
    (
        "Jeugdhulp ambulant bij aanbieder",
        Vorm::Form(CareForm::Ambulant, false),
    ),
    (
        "Ambulant bij aanbieder",
        Vorm::Form(CareForm::Ambulant, false),
    ),
    ("Daghulp", Vorm::Form(CareForm::Ambulant, false)),
    (
        "Jeugdhulp met verblijf",
        Vorm::Form(CareForm::Verblijf, true),
    ),
    ("Verblijf", Vorm::Form(CareForm::Verblijf, true)),
    ("Pleegzorg", Vorm::Form(CareForm::Verblijf, false)),
    ("Gezinshuis", Vorm::Form(CareForm::Verblijf, false)),
    ("Gezinsgericht", Vorm::Form(CareForm::Verblijf, false)),
    ("Overig verblijf", Vorm::Form(CareForm::Verblijf, false)),
    ("Jeugdhulp in de wijk", Vorm::Form(CareForm::Light, true)),
    ("Lokaal team", Vorm::Form(CareForm::Light, true)),
    ("Wijkteam", Vorm::Form(CareForm::Light, true)),
    ("Ambulant lokaal team", Vorm::Form(CareForm::Light, true)),
];

/// Referrer labels; `None` is the table's total.
const ROUTE_LABELS: [(&str, Option<Route>); 15] = [
    ("Totaal", None),
    ("Totaal verwijzers", None),
    ("Gemeentelijke toegang", Some(Route::Gemeente)),
    ("Gemeente", Some(Route::Gemeente)),
    ("Wijkteam", Some(Route::Gemeente)),
    ("Huisarts", Some(Route::Huisarts)),
    ("Jeugdarts", Some(Route::Jeugdarts)),
    ("Gecertificeerde instelling", Some(Route::Gi)),
    ("Medisch specialist", Some(Route::MedischSpecialist)),
    ("Rechter, Officier van Justitie", Some(Route::Court)),
    ("Rechter", Some(Route::Court)),
    ("Geen verwijzer", Some(Route::Other)),
    ("Geen verwijzer of overig", Some(Route::Other)),
    ("Overig", Some(Route::Other)),
    ("Onbekend", Some(Route::Other)),
];

/// The gemeente, period and status columns, and the rows of the latest
/// period with their gemeente and preliminary flag.
struct Rows<'t> {
    rows: Vec<(&'t Row, usize, bool)>,
    period: Period,
    other: usize,
}

fn latest_rows<'t>(t: &'t Table, sc: &Scenario) -> Result<Rows<'t>, Vec<StateProblem>> {
    let mut problems = Vec::new();
    let need = |aliases: &[&str], what: &str, problems: &mut Vec<StateProblem>| {
        let c = t.column(aliases);
        if c.is_none() {
            problems.push(t.at_header(
                format!(
                    "has no {what} column (looked for `{}`)",
                    aliases.join("`, `")
                ),
                "download the table with this dimension, or rename its header (docs/STATE.md)",
            ));
        }
        c
    };
    let region = need(&REGION, "gemeente", &mut problems);
    let period = need(&PERIOD, "period", &mut problems);
    let (Some(region), Some(period)) = (region, period) else {
        return Err(problems);
    };
    let status = t.column(&STATUS);
    let mut parsed = Vec::new();
    for row in &t.rows {
        let g = match gemeente_index(sc, t.text(row, region)) {
            Ok(g) => g,
            Err((message, fix)) => {
                problems.push(t.at(row, region, message, &fix));
                continue;
            }
        };
        let p = match cbs::parse_period(t.text(row, period)) {
            Ok(p) => p,
            Err(m) => {
                problems.push(t.at(
                    row,
                    period,
                    format!("`{}` {m}", t.name(period)),
                    "correct the period",
                ));
                continue;
            }
        };
        let prelim = match status.map(|s| cbs::parse_status(t.text(row, s))) {
            Some(Ok(s)) => s.unwrap_or(p.preliminary) || p.preliminary,
            Some(Err(m)) => {
                let s = status.unwrap_or(0);
                problems.push(t.at(
                    row,
                    s,
                    format!("`{}` {m}", t.name(s)),
                    "write Definitief or Voorlopig, or leave it empty",
                ));
                continue;
            }
            None => p.preliminary,
        };
        parsed.push((row, g, prelim, p));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(latest) = parsed.iter().map(|r| r.3).max_by_key(|p| p.key()) else {
        return Err(vec![t.at_header(
            "has no rows".into(),
            "add one row per gemeente (docs/STATE.md)",
        )]);
    };
    let total = parsed.len();
    let rows: Vec<_> = parsed
        .into_iter()
        .filter(|r| r.3.key() == latest.key())
        .map(|(row, g, prelim, _)| (row, g, prelim))
        .collect();
    let period = Period {
        preliminary: rows.iter().any(|r| r.2),
        ..latest
    };
    Ok(Rows {
        other: total - rows.len(),
        rows,
        period,
    })
}

/// Reads the counts of column `col` in `rows`; `rounded` is true when
/// every count of the file is a multiple of 5.
fn counts(
    t: &Table,
    rows: &Rows,
    cols: &[usize],
    problems: &mut Vec<StateProblem>,
) -> (HashMap<(usize, usize), Option<u64>>, bool) {
    let mut out = HashMap::new();
    let mut rounded = true;
    let mut any = false;
    for (i, (row, _, _)) in rows.rows.iter().enumerate() {
        for &c in cols {
            match cbs::parse_count(t.text(row, c), t.decimal_comma()) {
                Ok(v) => {
                    if let Some(v) = v {
                        any = true;
                        rounded &= v % 5 == 0;
                    }
                    out.insert((i, c), v);
                }
                Err(m) => problems.push(t.at(
                    row,
                    c,
                    format!("`{}` {m}", t.name(c)),
                    "write a whole number of at least 0, or `.` where it is unknown",
                )),
            }
        }
    }
    (out, rounded && any)
}

fn figure(
    t: &Table,
    row: &Row,
    col: usize,
    v: Option<u64>,
    rounded: bool,
    preliminary: bool,
) -> Figure {
    Figure {
        estimate: v.map(|v| {
            if rounded {
                Estimate::rounded(v)
            } else {
                Estimate::exact(v)
            }
        }),
        suppressed_cells: usize::from(v.is_none()),
        preliminary,
        place: t.place(row, col),
    }
}

fn label<T: Copy>(
    t: &Table,
    row: &Row,
    col: usize,
    labels: &[(&str, T)],
) -> Result<T, StateProblem> {
    let text = t.text(row, col);
    let n = cbs::normalize(text);
    labels
        .iter()
        .find(|(l, _)| cbs::normalize(l) == n)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let hint = crate::scenario::did_you_mean(text, labels.iter().map(|(l, _)| *l))
                .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
            t.at(
                row,
                col,
                format!(
                    "`{}` is `{text}`, not a category regiosim knows{hint}",
                    t.name(col)
                ),
                &format!(
                    "write one of: {} (docs/STATE.md)",
                    labels
                        .iter()
                        .map(|(l, _)| *l)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// A mean duration in days (a header with `maanden` is in months).
fn mean_days(t: &Table, row: &Row, col: usize) -> Result<Option<f64>, StateProblem> {
    let months = cbs::normalize(t.name(col)).contains("maand");
    match cbs::parse_decimal(t.text(row, col), t.decimal_comma()) {
        Ok(Some(x)) if x < 0.0 => Err(t.at(
            row,
            col,
            format!(
                "`{}` is `{}`: a duration cannot be negative",
                t.name(col),
                t.text(row, col)
            ),
            "write the mean duration in days",
        )),
        Ok(v) => Ok(v.map(|x| if months { x * 30.4375 } else { x })),
        Err(m) => Err(t.at(
            row,
            col,
            format!("`{}` {m}", t.name(col)),
            "write the mean duration in days",
        )),
    }
}

/// A duplicate (gemeente, category) row is an error naming both lines.
fn duplicate(
    seen: &mut HashMap<(usize, String), usize>,
    t: &Table,
    row: &Row,
    col: usize,
    g: usize,
    key: String,
    what: &str,
) -> Option<StateProblem> {
    seen.insert((g, key), row.line).map(|first| {
        t.at(
            row,
            col,
            format!("repeats the row of {what} at line {first}"),
            "keep one row per gemeente, period and category",
        )
    })
}

/// `jeugdhulp-vorm.csv`: in care on the reference date by care form.
pub(super) fn read_vorm(
    t: &Table,
    sc: &Scenario,
    out: &mut [GemeenteState],
) -> Result<FileInfo, Vec<StateProblem>> {
    let rows = latest_rows(t, sc)?;
    let mut problems = Vec::new();
    let Some(vorm) = t.column(&VORM) else {
        return Err(vec![t.at_header(
            format!(
                "has no care form column (looked for `{}`)",
                VORM.join("`, `")
            ),
            "download the table by `Vorm jeugdhulp` (docs/STATE.md)",
        )]);
    };
    let Some(in_care) = t.column(&IN_CARE) else {
        return Err(vec![t.at_header(
            format!(
                "has no count of trajectories on the reference date (looked for `{}`)",
                IN_CARE.join("`, `")
            ),
            "select the topic `Lopende trajecten op peildatum` in StatLine (docs/STATE.md)",
        )]);
    };
    let ended = t.column(&ENDED);
    let mean = t.column(&MEAN_DAYS);
    let cols: Vec<usize> = [Some(in_care), ended].into_iter().flatten().collect();
    let (values, rounded) = counts(t, &rows, &cols, &mut problems);
    let mut seen = HashMap::new();
    // (gemeente, form) -> (has a form total row, has a part row, line)
    let mut kinds: HashMap<(usize, CareForm), (bool, bool)> = HashMap::new();
    let mut means: HashMap<(usize, CareForm), (f64, f64, usize)> = HashMap::new();
    for (i, &(row, g, prelim)) in rows.rows.iter().enumerate() {
        let cat = match label(t, row, vorm, &VORM_LABELS) {
            Ok(c) => c,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        if let Some(p) = duplicate(
            &mut seen,
            t,
            row,
            vorm,
            g,
            cbs::normalize(t.text(row, vorm)),
            &format!("`{}` for {}", t.text(row, vorm), out[g].name),
        ) {
            problems.push(p);
            continue;
        }
        let Some(&v) = values.get(&(i, in_care)) else {
            continue;
        };
        let fig = figure(t, row, in_care, v, rounded, prelim);
        let form = match cat {
            Vorm::Total => {
                out[g].in_care_total = Some(fig);
                continue;
            }
            Vorm::Form(form, is_total) => {
                let k = kinds.entry((g, form)).or_default();
                if (is_total && k.1) || (!is_total && k.0) {
                    problems.push(t.at(row, vorm, format!("gives both the total of {} and a part of it for {}: they would be counted twice", form.as_str(), out[g].name), "keep either the total row or its parts"));
                    continue;
                }
                if is_total {
                    k.0 = true
                } else {
                    k.1 = true
                }
                form
            }
        };
        match out[g].in_care.iter_mut().find(|(f, _)| *f == form) {
            Some((_, x)) => x.merge(fig),
            None => out[g].in_care.push((form, fig)),
        }
        if let Some(mc) = mean {
            match mean_days(t, row, mc) {
                Ok(Some(d)) => {
                    let w = ended
                        .and_then(|e| values.get(&(i, e)).copied().flatten())
                        .map_or(1.0, |e| e as f64);
                    let m = means.entry((g, form)).or_insert((0.0, 0.0, 0));
                    m.0 += d * w;
                    m.1 += w;
                    m.2 += 1;
                }
                Ok(None) => {}
                Err(p) => problems.push(p),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for ((g, form), (sum, w, _)) in means {
        if w > 0.0 {
            out[g].completed_mean_days.push((form, sum / w));
        }
    }
    for g in out.iter_mut() {
        g.in_care.sort_by_key(|(f, _)| *f);
        g.completed_mean_days.sort_by_key(|(f, _)| *f);
    }
    Ok(FileInfo {
        name: super::VORM_FILE,
        rounded,
        period: Some(rows.period),
        rows: rows.rows.len(),
        rows_of_other_periods: rows.other,
    })
}

/// `jeugdhulp-verwijzer.csv` (CBS 85097NED): started trajectories by
/// referrer; the mean duration of ended ones fills forms without their own.
pub(super) fn read_verwijzer(
    t: &Table,
    sc: &Scenario,
    out: &mut [GemeenteState],
) -> Result<FileInfo, Vec<StateProblem>> {
    let rows = latest_rows(t, sc)?;
    let mut problems = Vec::new();
    let Some(verwijzer) = t.column(&VERWIJZER) else {
        return Err(vec![t.at_header(
            "has no `Verwijzer` column".into(),
            "download CBS 85097NED by `Verwijzer` (docs/STATE.md)",
        )]);
    };
    let Some(started) = t.column(&STARTED) else {
        return Err(vec![t.at_header(
            format!(
                "has no count of started trajectories (looked for `{}`)",
                STARTED.join("`, `")
            ),
            "select the topic `Begonnen trajecten` in StatLine",
        )]);
    };
    let ended = t.column(&ENDED);
    let mean = t.column(&MEAN_DAYS);
    let cols: Vec<usize> = [Some(started), ended].into_iter().flatten().collect();
    let (values, rounded) = counts(t, &rows, &cols, &mut problems);
    let mut seen = HashMap::new();
    let mut means: HashMap<usize, (f64, f64, Option<f64>)> = HashMap::new();
    for (i, &(row, g, prelim)) in rows.rows.iter().enumerate() {
        let route = match label(t, row, verwijzer, &ROUTE_LABELS) {
            Ok(r) => r,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        if let Some(p) = duplicate(
            &mut seen,
            t,
            row,
            verwijzer,
            g,
            cbs::normalize(t.text(row, verwijzer)),
            &format!("`{}` for {}", t.text(row, verwijzer), out[g].name),
        ) {
            problems.push(p);
            continue;
        }
        let Some(&v) = values.get(&(i, started)) else {
            continue;
        };
        let d = match mean.map(|mc| mean_days(t, row, mc)) {
            Some(Ok(d)) => d,
            Some(Err(p)) => {
                problems.push(p);
                None
            }
            None => None,
        };
        let m = means.entry(g).or_insert((0.0, 0.0, None));
        match route {
            None => {
                m.2 = d.or(m.2);
                out[g].inflow_total = Some(figure(t, row, started, v, rounded, prelim));
            }
            Some(r) => {
                if let Some(d) = d {
                    let w = ended
                        .and_then(|e| values.get(&(i, e)).copied().flatten())
                        .map_or(1.0, |e| e as f64);
                    m.0 += d * w;
                    m.1 += w;
                }
                let fig = figure(t, row, started, v, rounded, prelim);
                match out[g].inflow.iter_mut().find(|(x, _)| *x == r) {
                    Some((_, x)) => x.merge(fig),
                    None => out[g].inflow.push((r, fig)),
                }
            }
        }
        out[g].inflow_period = Some(rows.period);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (g, (sum, w, total)) in means {
        // The table's own total mean, else the ended-weighted mean.
        let Some(d) = total.or((w > 0.0).then(|| sum / w)) else {
            continue;
        };
        for form in CareForm::ALL {
            if out[g].completed_mean(form).is_none() && out[g].in_care(form).is_some() {
                out[g].completed_mean_days.push((form, d));
            }
        }
        out[g].completed_mean_days.sort_by_key(|(f, _)| *f);
    }
    for g in out.iter_mut() {
        g.inflow.sort_by_key(|(r, _)| *r);
    }
    Ok(FileInfo {
        name: super::VERWIJZER_FILE,
        rounded,
        period: Some(rows.period),
        rows: rows.rows.len(),
        rows_of_other_periods: rows.other,
    })
}

/// `jongeren-jeugdhulp.csv`: youths with jeugdhulp, a count and a share.
pub(super) fn read_jongeren(
    t: &Table,
    sc: &Scenario,
    out: &mut [GemeenteState],
) -> Result<FileInfo, Vec<StateProblem>> {
    let rows = latest_rows(t, sc)?;
    let mut problems = Vec::new();
    let youths = t.column(&YOUTHS);
    let share = t.column(&SHARE);
    if youths.is_none() && share.is_none() {
        return Err(vec![t.at_header(
            format!("has neither `{}` nor `{}`", YOUTHS[0], SHARE[0]),
            "select the topics `Jongeren met jeugdhulp` (count and %) in StatLine",
        )]);
    }
    let cols: Vec<usize> = youths.into_iter().collect();
    let (values, rounded) = counts(t, &rows, &cols, &mut problems);
    let mut seen = HashMap::new();
    for (i, &(row, g, prelim)) in rows.rows.iter().enumerate() {
        if let Some(p) = duplicate(&mut seen, t, row, 0, g, String::new(), &out[g].name.clone()) {
            problems.push(p);
            continue;
        }
        if let Some(c) = youths
            && let Some(&v) = values.get(&(i, c))
        {
            out[g].youths_with_jeugdhulp = Some(figure(t, row, c, v, rounded, prelim));
        }
        if let Some(c) = share {
            match cbs::parse_decimal(t.text(row, c), t.decimal_comma()) {
                Ok(Some(x)) if !(0.0..=100.0).contains(&x) => problems.push(t.at(
                    row,
                    c,
                    format!(
                        "`{}` is `{}`: a share in percent lies between 0 and 100",
                        t.name(c),
                        t.text(row, c)
                    ),
                    "write the percentage, e.g. 13,5",
                )),
                Ok(x) => out[g].share_with_jeugdhulp_pct = x,
                Err(m) => problems.push(t.at(
                    row,
                    c,
                    format!("`{}` {m}", t.name(c)),
                    "write the percentage, e.g. 13,5",
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(FileInfo {
        name: super::JONGEREN_FILE,
        rounded,
        period: Some(rows.period),
        rows: rows.rows.len(),
        rows_of_other_periods: rows.other,
    })
}
