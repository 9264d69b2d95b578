//! The text `regiosim check-state` prints: per gemeente the counts with
//! their rounding intervals, and which figures are preliminary or
//! suppressed.

use super::{CareForm, Estimate, Figure, ObservedState};
use std::fmt::Write;

fn est(e: Estimate) -> String {
    if e.is_exact() {
        crate::scenario::thousands(e.value)
    } else {
        format!(
            "{} [{}, {}]",
            crate::scenario::thousands(e.value),
            crate::scenario::thousands(e.low),
            crate::scenario::thousands(e.high)
        )
    }
}

fn fig(f: &Figure) -> String {
    let mut s = match f.estimate {
        Some(e) if f.suppressed_cells > 0 => format!(
            "at least {} ({} suppressed)",
            est(e),
            cells(f.suppressed_cells)
        ),
        Some(e) => est(e),
        None => "unknown (suppressed)".to_string(),
    };
    if f.preliminary {
        s.push_str(", preliminary");
    }
    s
}

fn cells(n: usize) -> String {
    if n == 1 {
        "1 cell".into()
    } else {
        format!("{n} cells")
    }
}

pub fn summary_text(s: &ObservedState, scenario: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {}: ok (state on {} for scenario `{scenario}`)",
        s.dir.display(),
        s.reference_date
    );
    for f in &s.files {
        let period = f.period.map_or(String::new(), |p| {
            format!(
                ", period {}{}",
                p.code(),
                if p.preliminary { " (preliminary)" } else { "" }
            )
        });
        let rounded = if f.rounded {
            ", counts rounded to multiples of 5 (read as ±2)"
        } else {
            ""
        };
        let other = if f.rows_of_other_periods > 0 {
            format!(
                ", {} rows of earlier periods not used",
                f.rows_of_other_periods
            )
        } else {
            String::new()
        };
        let rows = if f.rows == 1 {
            "1 row".to_string()
        } else {
            format!("{} rows", f.rows)
        };
        let _ = writeln!(o, "# {}: {rows}{period}{rounded}{other}", f.name);
    }
    for g in &s.gemeenten {
        let _ = writeln!(o, "\n[{}]", g.name);
        let _ = writeln!(o, "in care on {}:", s.reference_date);
        for form in CareForm::ALL {
            if let Some(x) = g.in_care(form) {
                let mean = g.completed_mean(form).map_or(String::new(), |d| {
                    format!("; ended trajectories last {d:.0} days on average")
                });
                let _ = writeln!(o, "  {:<17} {}{mean}", form.as_str(), fig(x));
            }
        }
        let sum = g
            .in_care
            .iter()
            .filter_map(|(_, x)| x.estimate)
            .fold(Estimate::exact(0), |a, b| a + b);
        let _ = writeln!(o, "  {:<17} {}", "sum of forms", est(sum));
        if let Some(t) = &g.in_care_total {
            let _ = writeln!(o, "  {:<17} {}", "CBS total", fig(t));
        }
        if let Some(e) = g.suppressed_from_total() {
            let _ = writeln!(
                o,
                "  {:<17} {} (the CBS total less the known cells)",
                "suppressed cells",
                est(e)
            );
        }
        if !g.inflow.is_empty() {
            let p = g
                .inflow_period
                .map_or(String::new(), |p| format!(" in {}", p.code()));
            let _ = writeln!(o, "started trajectories{p} by referrer:");
            for (r, x) in &g.inflow {
                let _ = writeln!(o, "  {:<26} {}", r.as_str(), fig(x));
            }
            if let Some(t) = &g.inflow_total {
                let _ = writeln!(o, "  {:<26} {}", "CBS total", fig(t));
            }
        }
        if let Some(y) = &g.youths_with_jeugdhulp {
            let _ = writeln!(o, "youths with jeugdhulp: {}", fig(y));
        }
        if let Some(p) = g.share_with_jeugdhulp_pct {
            let _ = writeln!(o, "share of youth with jeugdhulp: {p:.1}%");
        }
        if !g.waiting.is_empty() {
            let _ = writeln!(o, "waiting:");
            for w in &g.waiting {
                let mean = w.waited_days_mean.map_or(String::new(), |d| {
                    format!(", waited {d:.0} days on average")
                });
                let bands = if w.bands.is_empty() {
                    String::new()
                } else {
                    format!(" in {} bands", w.bands.len())
                };
                let _ = writeln!(o, "  {:<17} {}{bands}{mean}", w.queue.as_str(), w.waiting);
            }
        }
        if let Some(b) = g.budget_eur {
            let _ = writeln!(
                o,
                "budget: EUR {}",
                crate::scenario::thousands(b.round() as u64)
            );
        }
        if let Some((c, _)) = &g.wijkteam_caseload {
            let _ = writeln!(o, "wijkteam caseload: {c}");
        }
    }
    o
}
