//! The page's words in Dutch (default) or English: one plain-language
//! sentence per figure, reading the last year's paired difference with
//! its interval, and the labels of the page.

use super::result::{Est, Spec, Triple};
use crate::report::text::{Lang, fmt};

/// Euros: whole thousands below a million, else millions with a decimal.
fn eur(x: f64, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x.abs() < 1e6 {
        let k = (x / 1000.0).round() * 1000.0;
        match lang {
            Lang::Nl => format!("€ {}", fmt(k, 0, lang)),
            Lang::En => format!("€{}", fmt(k, 0, lang)),
        }
    } else {
        crate::report::text::meur(x, lang)
    }
}

/// How a figure's numbers read and which words a difference takes.
struct Words {
    number: fn(f64, Lang) -> String,
    more: (&'static str, &'static str),
    less: (&'static str, &'static str),
}

fn words(id: &str) -> Words {
    fn one(x: f64, l: Lang) -> String {
        fmt(x, 1, l)
    }
    fn whole(x: f64, l: Lang) -> String {
        fmt(x, if x.abs() < 10.0 { 1 } else { 0 }, l)
    }
    fn days(x: f64, l: Lang) -> String {
        let unit = match (l, fmt(x, 1, l).as_str()) {
            (Lang::Nl, "1,0") => "dag",
            (Lang::Nl, _) => "dagen",
            (Lang::En, "1.0") => "day",
            (Lang::En, _) => "days",
        };
        format!("{} {unit}", whole(x, l))
    }
    match id {
        "referrals" => Words {
            number: one,
            more: ("meer", "more"),
            less: ("minder", "fewer"),
        },
        "wait_assessment" | "wait_treatment" => Words {
            number: days,
            more: ("langer", "longer"),
            less: ("korter", "shorter"),
        },
        "thuiszitters" => Words {
            number: whole,
            more: ("meer", "more"),
            less: ("minder", "fewer"),
        },
        "budget_balance" => Words {
            number: eur,
            more: ("hoger", "higher"),
            less: ("lager", "lower"),
        },
        _ => Words {
            number: eur,
            more: ("meer", "more"),
            less: ("minder", "less"),
        },
    }
}

fn pick(lang: Lang, w: (&'static str, &'static str)) -> &'static str {
    match lang {
        Lang::Nl => w.0,
        Lang::En => w.1,
    }
}

/// The paired difference in words: its size and direction with the 95%
/// interval, or that it is not demonstrable (the interval holds zero).
pub fn difference(d: Est, id: &str, lang: Lang) -> String {
    let w = words(id);
    let num = |x: f64| (w.number)(x, lang);
    let nl = lang == Lang::Nl;
    if d.n == 0 || !d.mean.is_finite() {
        return if nl {
            "geen verschil te berekenen".into()
        } else {
            "no difference can be computed".into()
        };
    }
    if d.mean == 0.0 && d.low == 0.0 && d.high == 0.0 {
        return if nl {
            "precies gelijk (dezelfde uitkomst in elke herhaling)".into()
        } else {
            "exactly the same (the same outcome in every replication)".into()
        };
    }
    let (more, less) = (pick(lang, w.more), pick(lang, w.less));
    let dir = |x: f64| if x < 0.0 { less } else { more };
    if !d.low.is_finite() || !d.high.is_finite() {
        return if nl {
            format!(
                "{} {} (één herhaling: geen interval)",
                num(d.mean.abs()),
                dir(d.mean)
            )
        } else {
            format!(
                "{} {} (one replication: no interval)",
                num(d.mean.abs()),
                dir(d.mean)
            )
        };
    }
    if d.low > 0.0 || d.high < 0.0 {
        let (a, b) = if d.low > 0.0 {
            (d.low, d.high)
        } else {
            (-d.high, -d.low)
        };
        let x = dir(d.mean);
        if nl {
            format!(
                "{} {x} (95%-interval {} tot {} {x})",
                num(d.mean.abs()),
                num(a),
                num(b)
            )
        } else {
            format!(
                "{} {x} (95% interval {} to {} {x})",
                num(d.mean.abs()),
                num(a),
                num(b)
            )
        }
    } else if nl {
        format!(
            "geen aantoonbaar verschil (95%-interval van {} {less} tot {} {more})",
            num(-d.low),
            num(d.high)
        )
    } else {
        format!(
            "no demonstrable difference (95% interval from {} {less} to {} {more})",
            num(-d.low),
            num(d.high)
        )
    }
}

/// Whether the variant and the baseline stay within a Treeknorm.
fn norm_text(t: &Triple, norm: f64, lang: Lang) -> String {
    let within = |e: Est| e.mean.is_finite() && e.mean <= norm;
    let nl = lang == Lang::Nl;
    match (within(t.variant), within(t.baseline)) {
        (true, true) => {
            if nl {
                "beide blijven binnen de norm"
            } else {
                "both stay within it"
            }
        }
        (true, false) => {
            if nl {
                "de variant blijft binnen de norm, de basis niet"
            } else {
                "the variant stays within it, the baseline does not"
            }
        }
        (false, true) => {
            if nl {
                "de variant gaat over de norm, de basis niet"
            } else {
                "the variant exceeds it, the baseline does not"
            }
        }
        (false, false) => {
            if nl {
                "beide gaan over de norm"
            } else {
                "both exceed it"
            }
        }
    }
    .into()
}

/// The figure's sentence for the last output year (costs also over the
/// whole horizon).
pub fn sentence(
    spec: &Spec,
    last: &Triple,
    horizon: &Triple,
    first: i32,
    year: i32,
    lang: Lang,
) -> String {
    let w = words(spec.id);
    let (v, b) = (
        (w.number)(last.variant.mean, lang),
        (w.number)(last.baseline.mean, lang),
    );
    let d = difference(last.difference, spec.id, lang);
    let nl = lang == Lang::Nl;
    match spec.id {
        "referrals" if nl => format!(
            "In {year} worden in de variant {v} op de 1.000 leerlingen naar de tweede lijn verwezen, tegen {b} in de basis: {d}."
        ),
        "referrals" => format!(
            "In {year} the variant refers {v} per 1,000 students to the second line, against {b} in the baseline: {d}."
        ),
        "wait_assessment" | "wait_treatment" => {
            let norm = spec.norm.unwrap_or(f64::NAN);
            let n = norm_text(last, norm, lang);
            let what = match (spec.id, nl) {
                ("wait_assessment", true) => {
                    "van verwijzing tot de intake bij de jeugdhulpaanbieder"
                }
                ("wait_assessment", false) => "from referral to the care provider's intake",
                (_, true) => "van het einde van het onderzoek tot de start van de behandeling",
                (_, false) => "from the end of the assessment to the start of treatment",
            };
            if nl {
                format!(
                    "In {year} wachten kinderen in de variant gemiddeld {v} {what}, tegen {b} in de basis: {d}; de Treeknorm is {} dagen en {n}.",
                    fmt(norm, 0, lang)
                )
            } else {
                format!(
                    "In {year} children in the variant wait {v} on average {what}, against {b} in the baseline: {d}; the Treeknorm is {} days and {n}.",
                    fmt(norm, 0, lang)
                )
            }
        }
        "thuiszitters" if nl => format!(
            "In {year} zitten in de variant {v} leerlingen drie maanden of langer thuis zonder school, tegen {b} in de basis: {d}."
        ),
        "thuiszitters" => format!(
            "In {year} {v} students in the variant are out of school for three months or more, against {b} in the baseline: {d}."
        ),
        "cost_gemeente" => {
            let h = difference(horizon.difference, spec.id, lang);
            if nl {
                format!(
                    "De gemeente betaalt in {year} in de variant {v} voor wijkteams, tweede lijn, DSAV en POH-jeugd, tegen {b} in de basis: {d}; over {first}–{year} samen {h}."
                )
            } else {
                format!(
                    "In {year} the gemeente pays {v} in the variant for wijkteams, second line, DSAV and POH-jeugd, against {b} in the baseline: {d}; over {first}–{year} together {h}."
                )
            }
        }
        _ if nl => format!(
            "Het jeugdbudget min de kosten van de gemeente is in {year} in de variant {v}, tegen {b} in de basis (negatief is een tekort): {d}."
        ),
        _ => format!(
            "In {year} the youth budget minus the gemeente's costs is {v} in the variant, against {b} in the baseline (negative is an overspend): {d}."
        ),
    }
}

/// The labels of the page, by key.
pub fn ui(lang: Lang) -> serde_json::Value {
    let nl = lang == Lang::Nl;
    let pairs: &[(&str, &str, &str)] = &[
        (
            "title",
            "Wat als? Beleid doorrekenen",
            "What if? Trying out policy",
        ),
        (
            "intro",
            "Verschuif een knop: regiosim rekent de variant door tegen de basis, met hetzelfde toeval in elke herhaling, zodat het verschil door het beleid komt. Elk getal is een gemiddelde met een 95%-interval (de marge door toeval).",
            "Move a lever: regiosim simulates the variant against the baseline, with the same chance in every replication, so the difference comes from the policy. Every number is a mean with a 95% interval (the margin due to chance).",
        ),
        (
            "timing",
            "Een beleid dat de basis niet heeft (DSAV, POH-jeugd, integraal) begint in het eerste jaar; de formatie van de wijkteams en de capaciteit van de tweede lijn veranderen vanaf het eerste jaar; de andere knoppen gelden vanaf het begin van de simulatie.",
            "A policy the baseline lacks (DSAV, POH-jeugd, integraal) starts in the first year; wijkteam staff and second-line capacity change from the first year; the other levers hold from the start of the simulation.",
        ),
        ("baseline", "Basis", "Baseline"),
        ("levers", "Knoppen", "Levers"),
        ("reset", "Terug naar de basis", "Back to the baseline"),
        ("on", "aan", "on"),
        ("off", "uit", "off"),
        (
            "cut_final",
            "Bezuiniging in het laatste jaar",
            "Cut in the final year",
        ),
        ("cut_years", "Bereikt na", "Reached after"),
        ("years_word", "jaar", "years"),
        ("computing", "Rekent…", "Computing…"),
        ("done", "Klaar", "Done"),
        ("of", "van", "of"),
        ("replications", "herhalingen", "replications"),
        ("seconds", "s", "s"),
        ("error", "Fout", "Error"),
        (
            "superseded",
            "Vervangen door een nieuwere keuze",
            "Replaced by a newer choice",
        ),
        ("variant", "variant", "variant"),
        ("baseline_word", "basis", "baseline"),
        (
            "difference",
            "verschil (variant − basis)",
            "difference (variant − baseline)",
        ),
        ("norm", "Treeknorm", "Treeknorm"),
        ("last_year", "Laatste jaar", "Last year"),
        ("horizon_mean", "Gemiddeld per jaar", "Mean per year"),
        (
            "horizon_total",
            "Totaal over de jaren",
            "Total over the years",
        ),
        ("interval", "95%-interval", "95% interval"),
        ("save", "Bewaar als scenario", "Save as scenario"),
        ("report", "Maak rapport", "Make report"),
        (
            "command",
            "Herhaal deze doorrekening met",
            "Repeat this run with",
        ),
        (
            "save_hint",
            "Bewaar het bestand naast",
            "Save the file next to",
        ),
        (
            "referrals",
            "Verwijzingen naar de tweede lijn",
            "Referrals to the second line",
        ),
        (
            "referrals_unit",
            "per 1.000 leerlingen per jaar",
            "per 1,000 students per year",
        ),
        (
            "wait_assessment",
            "Wachttijd tot de intake (Treeknorm 4 weken)",
            "Wait for the intake (Treeknorm 4 weeks)",
        ),
        ("wait_assessment_unit", "dagen, gemiddeld", "days, mean"),
        (
            "wait_treatment",
            "Wachttijd tot de behandeling (Treeknorm 10 weken)",
            "Wait for treatment (Treeknorm 10 weeks)",
        ),
        ("wait_treatment_unit", "dagen, gemiddeld", "days, mean"),
        (
            "thuiszitters",
            "Thuiszitters",
            "Thuiszitters (out of school)",
        ),
        (
            "thuiszitters_unit",
            "leerlingen, 3 maanden of langer thuis",
            "students out of school 3 months or more",
        ),
        (
            "cost_gemeente",
            "Kosten van de gemeente",
            "Costs to the gemeente",
        ),
        (
            "cost_gemeente_unit",
            "euro per jaar: wijkteam, tweede lijn, DSAV, POH-jeugd",
            "euros per year: wijkteam, second line, DSAV, POH-jeugd",
        ),
        ("budget_balance", "Budgetsaldo", "Budget balance"),
        (
            "budget_balance_unit",
            "euro per jaar: budget min kosten (negatief: tekort)",
            "euros per year: budget minus costs (negative: overspend)",
        ),
        ("lang_switch", "English", "Nederlands"),
    ];
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(k, n, e)| {
            (
                (*k).to_string(),
                serde_json::Value::from(if nl { *n } else { *e }),
            )
        })
        .collect();
    serde_json::Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(mean: f64, low: f64, high: f64) -> Est {
        Est {
            mean,
            low,
            high,
            n: 10,
        }
    }

    #[test]
    fn a_difference_reads_its_interval_or_says_it_is_not_demonstrable() {
        assert_eq!(
            difference(est(-1.26, -1.76, -0.76), "referrals", Lang::Nl),
            "1,3 minder (95%-interval 0,8 tot 1,8 minder)"
        );
        assert_eq!(
            difference(est(-0.25, -1.0, 0.5), "referrals", Lang::En),
            "no demonstrable difference (95% interval from 1.0 fewer to 0.5 more)"
        );
        assert_eq!(
            difference(
                est(2_500_000.0, 1_200_000.0, 3_800_000.0),
                "cost_gemeente",
                Lang::Nl
            ),
            "€ 2,5 mln meer (95%-interval € 1,2 mln tot € 3,8 mln meer)"
        );
        assert!(
            difference(est(0.0, 0.0, 0.0), "thuiszitters", Lang::Nl).starts_with("precies gelijk")
        );
    }
}
