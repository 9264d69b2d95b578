//! The content of a report, independent of its format: sections with a
//! title, one plain-language sentence that reads the chart (with its
//! uncertainty), the chart and a table.

use super::data::{Diff, Est, RunData};
use super::svg;
use super::text::{Lang, date, fmt, meur, pct, t};

pub struct Section {
    pub title: String,
    pub sentence: String,
    pub svg: Option<String>,
    pub table: Option<(Vec<String>, Vec<Vec<String>>)>,
}

const DEMAND: &str = "second_line_referrals_per_1000";
const COST: &str = "cost_total_eur";
/// Most scenarios shown in one chart (a sweep shows its best variants).
const SHOWN: usize = 6;

fn est_text(e: Est, decimals: usize, lang: Lang) -> String {
    format!(
        "{} ({} {} {})",
        fmt(e.mean, decimals, lang),
        fmt(e.low, decimals, lang),
        t(lang, "tot", "to"),
        fmt(e.high, decimals, lang)
    )
}

/// "11% (9–13%) lager dan in" / "11% (9–13%) lower than", or "not
/// clearly different" when the 95% CI of the difference includes zero.
fn relative_text(d: Diff, lang: Lang) -> String {
    let Some(r) = d.relative() else {
        return t(lang, "niet te vergelijken met", "not comparable with").into();
    };
    let (lo, hi) = (r.low.min(r.high), r.low.max(r.high));
    if lo <= 0.0 && hi >= 0.0 {
        return match lang {
            Lang::Nl => format!(
                "niet aantoonbaar anders (verschil {} tot {}) dan in",
                pct(lo, lang),
                pct(hi, lang)
            ),
            Lang::En => format!(
                "not clearly different (difference {} to {}) from",
                pct(lo, lang),
                pct(hi, lang)
            ),
        };
    }
    let lower = r.mean < 0.0;
    let (a, b) = if lower { (-hi, -lo) } else { (lo, hi) };
    let word = match (lang, lower) {
        (Lang::Nl, true) => "lager dan in",
        (Lang::Nl, false) => "hoger dan in",
        (Lang::En, true) => "lower than",
        (Lang::En, false) => "higher than",
    };
    format!(
        "{} ({} {} {}) {word}",
        pct(r.mean.abs(), lang),
        pct(a, lang),
        t(lang, "tot", "to"),
        pct(b, lang)
    )
}

/// The scenarios to show: all, or for a sweep the baseline and the
/// variants with the largest reduction of second-line demand.
pub fn shown(d: &RunData) -> Vec<String> {
    let names: Vec<String> = d.scenarios.iter().map(|s| s.name.clone()).collect();
    if names.len() <= SHOWN {
        return names;
    }
    let mut ranked: Vec<(f64, String)> = names[1..]
        .iter()
        .map(|n| {
            (
                mean_effect(d, n, DEMAND).unwrap_or(f64::INFINITY),
                n.clone(),
            )
        })
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    std::iter::once(names[0].clone())
        .chain(ranked.into_iter().take(SHOWN - 1).map(|(_, n)| n))
        .collect()
}

/// Mean difference from the baseline over the output years.
fn mean_effect(d: &RunData, scenario: &str, metric: &str) -> Option<f64> {
    let v: Vec<f64> = d
        .years
        .iter()
        .filter_map(|y| d.diff(scenario, *y, metric))
        .map(|x| x.diff.mean)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

pub fn build(d: &RunData, lang: Lang) -> Vec<Section> {
    let shown = shown(d);
    let base = d.baseline().map(|b| b.name.clone()).unwrap_or_default();
    let last = d.last_year();
    let others: Vec<&String> = shown.iter().skip(1).collect();
    let mut out = vec![what_was_run(d, lang)];

    // Second-line demand with 95% bands.
    let series: Vec<(String, Vec<(i32, Est)>)> = shown
        .iter()
        .map(|s| {
            (
                s.clone(),
                d.years
                    .iter()
                    .filter_map(|y| d.est(s, *y, DEMAND).map(|e| (*y, e)))
                    .collect(),
            )
        })
        .collect();
    let sentence = match others
        .first()
        .and_then(|s| d.diff(s, last, DEMAND).map(|x| (s, x)))
    {
        Some((s, x)) => match lang {
            Lang::Nl => format!(
                "In scenario {s} is de vraag naar tweedelijns jeugdhulp in {last} {} de basis ({base}).",
                relative_text(x, lang)
            ),
            Lang::En => format!(
                "In scenario {s}, second-line demand in {last} is {} the baseline ({base}).",
                relative_text(x, lang)
            ),
        },
        None => match d.est(&base, last, DEMAND) {
            Some(e) => match lang {
                Lang::Nl => format!(
                    "In scenario {base} zijn er in {last} {} verwijzingen naar tweedelijns jeugdhulp per 1.000 leerlingen (gemiddelde en 95%-betrouwbaarheidsinterval).",
                    est_text(e, 1, lang)
                ),
                Lang::En => format!(
                    "In scenario {base} there are {} referrals to second-line care per 1,000 students in {last} (mean and 95% confidence interval).",
                    est_text(e, 1, lang)
                ),
            },
            None => String::new(),
        },
    };
    let title = t(
        lang,
        "Vraag naar tweedelijns jeugdhulp",
        "Second-line demand",
    )
    .to_string();
    out.push(Section {
        svg: Some(svg::lines(
            &title,
            &series,
            t(
                lang,
                "verwijzingen per 1.000 leerlingen",
                "referrals per 1,000 students",
            ),
            lang,
        )),
        title,
        sentence,
        table: None,
    });

    // The preventive effect per year.
    if !others.is_empty() {
        let groups: Vec<(String, Vec<Est>)> = d
            .years
            .iter()
            .map(|y| {
                (
                    y.to_string(),
                    others
                        .iter()
                        .map(|s| {
                            d.diff(s, *y, DEMAND).map(|x| x.diff).unwrap_or(Est {
                                mean: f64::NAN,
                                low: f64::NAN,
                                high: f64::NAN,
                            })
                        })
                        .collect(),
                )
            })
            .collect();
        let first_year = d.years.first().copied().unwrap_or(last);
        let s = others[0];
        let sentence = match (d.diff(s, first_year, DEMAND), d.diff(s, last, DEMAND)) {
            (Some(a), Some(b)) => match lang {
                Lang::Nl => format!(
                    "In scenario {s} is het verschil met de basis {} verwijzingen per 1.000 leerlingen in {first_year} en {} in {last}; onder nul betekent minder vraag dan in de basis.",
                    est_text(a.diff, 1, lang),
                    est_text(b.diff, 1, lang)
                ),
                Lang::En => format!(
                    "In scenario {s} the difference from the baseline is {} referrals per 1,000 students in {first_year} and {} in {last}; below zero means less demand than in the baseline.",
                    est_text(a.diff, 1, lang),
                    est_text(b.diff, 1, lang)
                ),
            },
            _ => String::new(),
        };
        let title = t(
            lang,
            "Preventief effect: verschil met de basis",
            "Preventive effect: difference from the baseline",
        )
        .to_string();
        let series: Vec<String> = others.iter().map(|s| s.to_string()).collect();
        out.push(Section {
            svg: Some(svg::bars(
                &title,
                &groups,
                &series,
                t(
                    lang,
                    "verschil per 1.000 leerlingen",
                    "difference per 1,000 students",
                ),
                &[],
                lang,
            )),
            title,
            sentence,
            table: None,
        });
    }

    // Waits against the Treeknorm.
    let waits = [
        "wait_intake_days_mean",
        "wait_assessment_days_mean",
        "wait_treatment_days_mean",
    ];
    let groups: Vec<(String, Vec<Est>)> = shown
        .iter()
        .map(|s| {
            (
                s.clone(),
                waits
                    .iter()
                    .map(|w| d.est(s, last, w).unwrap_or(Est::NAN))
                    .collect(),
            )
        })
        .collect();
    let sentence = match (
        d.est(&base, last, waits[0]),
        d.est(&base, last, waits[1]),
        d.est(&base, last, waits[2]),
    ) {
        (Some(i), Some(a), Some(b)) => {
            let to_treat = a.mean + b.mean;
            let intake_ok = i.mean <= 28.0;
            let treat_ok = to_treat <= 70.0;
            match lang {
                Lang::Nl => format!(
                    "In {base} wachten jongeren in {last} gemiddeld {} dagen op een intake ({} de Treeknorm van 4 weken) en {} dagen van verwijzing tot behandeling ({} de norm van 10 weken).",
                    est_text(i, 0, lang),
                    if intake_ok { "binnen" } else { "boven" },
                    fmt(to_treat, 0, lang),
                    if treat_ok { "binnen" } else { "boven" }
                ),
                Lang::En => format!(
                    "In {base}, young people wait on average {} days for an intake in {last} ({} the Treeknorm of 4 weeks) and {} days from referral to treatment ({} the norm of 10 weeks).",
                    est_text(i, 0, lang),
                    if intake_ok { "within" } else { "above" },
                    fmt(to_treat, 0, lang),
                    if treat_ok { "within" } else { "above" }
                ),
            }
        }
        _ => String::new(),
    };
    let title = format!(
        "{} ({last})",
        t(
            lang,
            "Wachttijden en de Treeknorm",
            "Waits and the Treeknorm"
        )
    );
    let series = vec![
        t(lang, "intake", "intake").to_string(),
        t(lang, "onderzoek", "assessment").to_string(),
        t(lang, "behandeling", "treatment").to_string(),
    ];
    let refs = vec![
        (28.0, t(lang, "4 weken", "4 weeks").to_string()),
        (70.0, t(lang, "10 weken", "10 weeks").to_string()),
    ];
    out.push(Section {
        svg: Some(svg::bars(
            &title,
            &groups,
            &series,
            t(lang, "dagen", "days"),
            &refs,
            lang,
        )),
        title,
        sentence,
        table: None,
    });

    // Routes.
    let routes = [
        "share_via_school",
        "share_via_wijkteam",
        "share_via_huisarts",
        "share_via_integraal",
    ];
    let bars: Vec<(String, Vec<f64>)> = shown
        .iter()
        .map(|s| {
            (
                s.clone(),
                routes
                    .iter()
                    .map(|r| d.est(s, last, r).map_or(0.0, |e| e.mean))
                    .collect(),
            )
        })
        .collect();
    let pick = others
        .first()
        .map(|s| s.to_string())
        .unwrap_or(base.clone());
    let sentence = d
        .est(&pick, last, "share_via_huisarts")
        .map(|e| {
            let ci = format!("{} {} {}", pct(e.low, lang), t(lang, "tot", "to"), pct(e.high, lang));
            match lang {
                Lang::Nl => format!(
                    "In scenario {pick} loopt in {last} {} ({ci}) van de verwijzingen via de huisarts; de school weet daar dan niet van.",
                    pct(e.mean, lang)
                ),
                Lang::En => format!(
                    "In scenario {pick}, {} ({ci}) of referrals in {last} go via the huisarts, and the school is not informed of them.",
                    pct(e.mean, lang)
                ),
            }
        })
        .unwrap_or_default();
    let title = format!(
        "{} ({last})",
        t(
            lang,
            "Routes naar tweedelijns jeugdhulp",
            "Routes to second-line care"
        )
    );
    let parts = vec![
        t(lang, "school", "school").to_string(),
        t(lang, "wijkteam", "wijkteam").to_string(),
        t(lang, "huisarts", "huisarts").to_string(),
        t(lang, "integraal", "integraal").to_string(),
    ];
    out.push(Section {
        svg: Some(svg::stacked(
            &title,
            &bars,
            &parts,
            t(lang, "aandeel van de verwijzingen", "share of referrals"),
            lang,
        )),
        title,
        sentence,
        table: None,
    });

    // Thuiszitters.
    let groups: Vec<(String, Vec<Est>)> = shown
        .iter()
        .map(|s| {
            (
                s.clone(),
                vec![d.est(s, last, "thuiszitters_per_1000").unwrap_or(Est::NAN)],
            )
        })
        .collect();
    let sentence = d
        .est(&pick, last, "thuiszitters_per_1000")
        .map(|e| match lang {
            Lang::Nl => format!(
                "In scenario {pick} zijn er in {last} {} thuiszitters per 1.000 leerlingen (drie maanden of langer niet op school).",
                est_text(e, 2, lang)
            ),
            Lang::En => format!(
                "In scenario {pick} there are {} thuiszitters per 1,000 students in {last} (out of school three months or more).",
                est_text(e, 2, lang)
            ),
        })
        .unwrap_or_default();
    let title = format!("{} ({last})", t(lang, "Thuiszitters", "Thuiszitters"));
    out.push(Section {
        svg: Some(svg::bars(
            &title,
            &groups,
            &[t(lang, "per 1.000 leerlingen", "per 1,000 students").to_string()],
            t(lang, "thuiszitters per 1.000", "thuiszitters per 1,000"),
            &[],
            lang,
        )),
        title,
        sentence,
        table: None,
    });

    // Costs and budget.
    let lines = ["wijkteam", "second_line", "dsav", "poh", "swv", "huisarts"];
    let bars: Vec<(String, Vec<f64>)> = shown
        .iter()
        .map(|s| {
            (
                s.clone(),
                lines
                    .iter()
                    .map(|l| {
                        d.est(s, last, &format!("cost_{l}_eur"))
                            .map_or(0.0, |e| e.mean / 1e6)
                    })
                    .collect(),
            )
        })
        .collect();
    let sentence = match (
        d.est(&pick, last, COST),
        d.est(&pick, last, "budget_balance_eur"),
    ) {
        (Some(c), Some(b)) => {
            let ci = format!(
                "{} {} {}",
                meur(c.low, lang),
                t(lang, "tot", "to"),
                meur(c.high, lang)
            );
            match (lang, b.mean < 0.0) {
                (Lang::Nl, true) => format!(
                    "In scenario {pick} kost de ondersteuning in {last} {} ({ci}); het jeugdbudget heeft een tekort van {}.",
                    meur(c.mean, lang),
                    meur(-b.mean, lang)
                ),
                (Lang::Nl, false) => format!(
                    "In scenario {pick} kost de ondersteuning in {last} {} ({ci}); van het jeugdbudget blijft {} over.",
                    meur(c.mean, lang),
                    meur(b.mean, lang)
                ),
                (Lang::En, true) => format!(
                    "In scenario {pick} support costs {} in {last} ({ci}); the youth budget is overspent by {}.",
                    meur(c.mean, lang),
                    meur(-b.mean, lang)
                ),
                (Lang::En, false) => format!(
                    "In scenario {pick} support costs {} in {last} ({ci}); {} of the youth budget is left.",
                    meur(c.mean, lang),
                    meur(b.mean, lang)
                ),
            }
        }
        _ => String::new(),
    };
    let title = format!(
        "{} ({last})",
        t(lang, "Kosten per budgetlijn", "Costs per budget line")
    );
    let parts: Vec<String> = [
        t(lang, "wijkteam", "wijkteam"),
        t(lang, "tweede lijn", "second line"),
        "DSAV",
        "POH-jeugd",
        t(lang, "SWV-arrangementen", "SWV arrangements"),
        t(lang, "huisarts", "huisarts"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let table_rows: Vec<Vec<String>> = shown
        .iter()
        .map(|s| {
            let v = |m: &str| d.est(s, last, m).map_or("–".into(), |e| meur(e.mean, lang));
            vec![s.clone(), v(COST), v("budget_eur"), v("budget_balance_eur")]
        })
        .collect();
    out.push(Section {
        svg: Some(svg::stacked(
            &title,
            &bars,
            &parts,
            t(lang, "miljoen euro", "million euro"),
            lang,
        )),
        title,
        sentence,
        table: Some((
            vec![
                t(lang, "scenario", "scenario").into(),
                t(lang, "kosten", "costs").into(),
                t(lang, "budget", "budget").into(),
                t(lang, "saldo", "balance").into(),
            ],
            table_rows,
        )),
    });

    if d.gemeenten.len() >= 2 {
        out.push(per_gemeente(d, &shown, lang));
    }
    if d.manifest.sweep.is_some() && d.scenarios.len() > 1 {
        out.push(ranking(d, lang));
    }
    if !d.sensitivity.is_empty() {
        out.extend(sensitivity(d, lang));
    }
    out
}

/// Up to this many gemeenten, the chart groups every shown scenario per
/// gemeente; with more, it shows the baseline only, one bar per gemeente.
const GEMEENTEN_GROUPED: usize = 8;
/// Most gemeenten in the per-gemeente chart (the table lists them all).
const GEMEENTEN_SHOWN: usize = 30;

/// Second-line demand and the budget balance per gemeente in the last year.
fn per_gemeente(d: &RunData, shown: &[String], lang: Lang) -> Section {
    let last = d.last_year();
    let base = shown.first().cloned().unwrap_or_default();
    let demand = |s: &str, g: &str| d.est_in(s, last, g, DEMAND);
    // The chart shows the gemeenten with the most students.
    let mut charted: Vec<&String> = d.gemeenten.iter().collect();
    let students = |g: &str| d.est_in(&base, last, g, "students").map_or(0.0, |e| e.mean);
    charted.sort_by(|a, b| students(b).total_cmp(&students(a)));
    charted.truncate(GEMEENTEN_SHOWN);
    charted.sort_by_key(|g| d.gemeenten.iter().position(|x| x == *g));
    let y_label = t(
        lang,
        "verwijzingen per 1.000 leerlingen",
        "referrals per 1,000 students",
    );
    let title = format!("{} ({last})", t(lang, "Per gemeente", "Per gemeente"));
    let chart = if charted.len() <= GEMEENTEN_GROUPED {
        let groups: Vec<(String, Vec<Est>)> = charted
            .iter()
            .map(|g| {
                let v = shown
                    .iter()
                    .map(|s| demand(s, g).unwrap_or(Est::NAN))
                    .collect();
                ((*g).clone(), v)
            })
            .collect();
        svg::bars(&title, &groups, shown, y_label, &[], lang)
    } else {
        let mut bars: Vec<(String, Est)> = charted
            .iter()
            .filter_map(|g| Some(((*g).clone(), demand(&base, g)?)))
            .collect();
        bars.sort_by(|a, b| b.1.mean.total_cmp(&a.1.mean));
        let items: Vec<(String, f64)> = bars.iter().map(|(g, e)| (g.clone(), e.mean)).collect();
        let intervals: Vec<(f64, f64)> = bars.iter().map(|(_, e)| (e.low, e.high)).collect();
        let label = format!("{y_label} ({base})");
        svg::hbars(&title, &items, Some(&intervals), &label, lang)
    };
    let ranked: Vec<(&String, Est)> = {
        let mut v: Vec<(&String, Est)> = d
            .gemeenten
            .iter()
            .filter_map(|g| Some((g, demand(&base, g)?)))
            .collect();
        v.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
        v
    };
    let sentence = match (ranked.first(), ranked.last()) {
        (Some((lo_g, lo)), Some((hi_g, hi))) => match lang {
            Lang::Nl => format!(
                "In scenario {base} loopt de vraag naar tweedelijns jeugdhulp in {last} uiteen van {} verwijzingen per 1.000 leerlingen in {lo_g} tot {} in {hi_g} (gemiddelde en 95%-betrouwbaarheidsinterval).",
                est_text(*lo, 1, lang),
                est_text(*hi, 1, lang)
            ),
            Lang::En => format!(
                "In scenario {base} second-line demand in {last} ranges from {} referrals per 1,000 students in {lo_g} to {} in {hi_g} (mean and 95% confidence interval).",
                est_text(*lo, 1, lang),
                est_text(*hi, 1, lang)
            ),
        },
        _ => String::new(),
    };
    let mut header = vec![t(lang, "gemeente", "gemeente").to_string()];
    for s in shown {
        header.push(format!(
            "{s}: {}",
            t(lang, "verwijzingen per 1.000", "referrals per 1,000")
        ));
        header.push(format!(
            "{s}: {}",
            t(lang, "saldo jeugdbudget", "youth budget balance")
        ));
    }
    let rows: Vec<Vec<String>> = d
        .gemeenten
        .iter()
        .map(|g| {
            let mut row = vec![g.clone()];
            for s in shown {
                row.push(demand(s, g).map_or("–".into(), |e| est_text(e, 1, lang)));
                row.push(
                    d.est_in(s, last, g, "budget_balance_eur")
                        .map_or("–".into(), |e| meur(e.mean, lang)),
                );
            }
            row
        })
        .collect();
    Section {
        svg: Some(chart),
        title,
        sentence,
        table: Some((header, rows)),
    }
}

fn what_was_run(d: &RunData, lang: Lang) -> Section {
    let m = &d.manifest;
    let years = match (d.years.first(), d.years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "–".into(),
    };
    let commit = if m.git_commit.is_empty() {
        "–".to_string()
    } else {
        // Characters, not bytes: a manifest may hold any text here.
        m.git_commit.chars().take(12).collect()
    };
    let sentence = match lang {
        Lang::Nl => format!(
            "{} scenario's × {} herhalingen, seed {}, jaren {years}; regiosim {} ({commit}), gemaakt op {}.",
            d.scenarios.len(),
            m.replications,
            m.seed,
            m.regiosim_version,
            date(m.created_unix)
        ),
        Lang::En => format!(
            "{} scenarios × {} replications, seed {}, years {years}; regiosim {} ({commit}), made on {}.",
            d.scenarios.len(),
            m.replications,
            m.seed,
            m.regiosim_version,
            date(m.created_unix)
        ),
    };
    let rows = d
        .scenarios
        .iter()
        .take(40)
        .map(|s| vec![s.name.clone(), s.description.clone()])
        .collect();
    Section {
        title: t(lang, "Wat is doorgerekend", "What was run").into(),
        sentence: sentence
            + if d.scenarios.len() > 40 {
                t(lang, " (eerste 40 getoond)", " (first 40 shown)")
            } else {
                ""
            },
        svg: None,
        table: Some((
            vec![
                t(lang, "scenario", "scenario").into(),
                t(lang, "beschrijving", "description").into(),
            ],
            rows,
        )),
    }
}

/// Sweep variants ranked by the reduction of second-line demand per
/// million euro of extra cost (or per million saved, when cheaper).
fn ranking(d: &RunData, lang: Lang) -> Section {
    let mut rows: Vec<(String, f64, f64, f64)> = d.scenarios[1..]
        .iter()
        .filter_map(|s| {
            let effect = mean_effect(d, &s.name, DEMAND)?;
            let cost = mean_effect(d, &s.name, COST)?;
            let per_meur = if cost.abs() > 1.0 {
                -effect / (cost / 1e6)
            } else {
                f64::NAN
            };
            Some((s.name.clone(), effect, cost, per_meur))
        })
        .collect();
    // Ranked by effect per euro: variants that lower demand and cost
    // first (by effect), then those that lower demand at a cost (most
    // reduction per extra million first), then the rest.
    let class = |r: &(String, f64, f64, f64)| match (r.1 < 0.0, r.2 <= 0.0) {
        (true, true) => 0,
        (true, false) => 1,
        _ => 2,
    };
    rows.sort_by(|a, b| {
        class(a).cmp(&class(b)).then_with(|| match class(a) {
            1 => b.3.total_cmp(&a.3),
            _ => a.1.total_cmp(&b.1),
        })
    });
    let items: Vec<(String, f64)> = rows
        .iter()
        .take(15)
        .map(|(n, e, _, _)| (n.clone(), -*e))
        .collect();
    let sentence = rows
        .first()
        .map(|(n, e, c, _)| match lang {
            Lang::Nl => format!(
                "Gerangschikt naar effect per euro staat {} bovenaan: gemiddeld {} verwijzingen per 1.000 leerlingen per jaar minder dan de basis, bij een kostenverschil van {} per jaar.",
                label(d, n),
                fmt(-e, 1, lang),
                meur(*c, lang)
            ),
            Lang::En => format!(
                "Ranked by effect per euro, {} comes first: on average {} fewer referrals per 1,000 students a year than the baseline, at a cost difference of {} a year.",
                label(d, n),
                fmt(-e, 1, lang),
                meur(*c, lang)
            ),
        })
        .unwrap_or_default();
    let title = t(
        lang,
        "Varianten gerangschikt naar effect per euro",
        "Variants ranked by effect per euro",
    )
    .to_string();
    Section {
        svg: Some(svg::hbars(
            &title,
            &items,
            None,
            t(
                lang,
                "minder verwijzingen per 1.000 leerlingen (gemiddeld over de jaren)",
                "fewer referrals per 1,000 students (mean over years)",
            ),
            lang,
        )),
        title,
        sentence,
        table: Some((
            vec![
                t(lang, "variant", "variant").into(),
                t(
                    lang,
                    "effect per 1.000 leerlingen",
                    "effect per 1,000 students",
                )
                .into(),
                t(lang, "kostenverschil", "cost difference").into(),
                t(
                    lang,
                    "minder verwijzingen per € 1 mln extra",
                    "fewer referrals per €1 m extra",
                )
                .into(),
            ],
            rows.iter()
                .take(15)
                .map(|(n, e, c, p)| {
                    let per = if *c <= 0.0 {
                        t(lang, "bespaart geld", "saves money").to_string()
                    } else {
                        fmt(*p, 2, lang)
                    };
                    vec![label(d, n), fmt(*e, 2, lang), meur(*c, lang), per]
                })
                .collect(),
        )),
    }
}

/// A swept value as a label: numbers with at most three decimals.
fn short_value(v: &str) -> String {
    match v.parse::<f64>() {
        Ok(x) if x.fract() != 0.0 => {
            let s = format!("{x:.3}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        _ => v.to_string(),
    }
}

/// A variant with its parameter values.
fn label(d: &RunData, name: &str) -> String {
    match d.variants.get(name) {
        Some(values) if !values.is_empty() => {
            let kv: Vec<String> = d
                .variant_params
                .iter()
                .zip(values)
                .map(|(p, v)| format!("{}={}", p.rsplit('.').next().unwrap_or(p), short_value(v)))
                .collect();
            format!("{name} ({})", kv.join(", "))
        }
        _ => name.to_string(),
    }
}

fn sensitivity(d: &RunData, lang: Lang) -> Vec<Section> {
    let mut metrics: Vec<String> = d.sensitivity.iter().map(|r| r.1.clone()).collect();
    metrics.dedup();
    let value = |metric: &str, param: &str, index: &str| {
        d.sensitivity
            .iter()
            .find(|r| r.1 == metric && r.2 == param && r.3 == index)
            .map(|r| r.4)
    };
    metrics
        .iter()
        .map(|metric| {
            let (index, name) = if d.sensitivity.iter().any(|r| r.0 == "morris") {
                ("mu_star", "μ*")
            } else {
                ("total", t(lang, "totale index", "total index"))
            };
            let mut items: Vec<(String, f64)> = d
                .sensitivity
                .iter()
                .filter(|r| &r.1 == metric && r.3 == index)
                .map(|r| (r.2.clone(), r.4))
                .collect();
            items.sort_by(|a, b| b.1.total_cmp(&a.1));
            // Sobol' indices come with bootstrap intervals (not in files
            // written before regiosim had them).
            let intervals: Option<Vec<(f64, f64)>> = items
                .iter()
                .map(|(p, _)| {
                    Some((
                        value(metric, p, &format!("{index}_low"))?,
                        value(metric, p, &format!("{index}_high"))?,
                    ))
                })
                .collect();
            let sentence = items
                .first()
                .map(|(p, v)| {
                    let ci = intervals
                        .as_ref()
                        .and_then(|iv| iv.first())
                        .map(|(lo, hi)| {
                            format!(
                                "; {} {} {} {}",
                                t(
                                    lang,
                                    "95%-betrouwbaarheidsinterval",
                                    "95% confidence interval"
                                ),
                                fmt(*lo, 3, lang),
                                t(lang, "tot", "to"),
                                fmt(*hi, 3, lang)
                            )
                        })
                        .unwrap_or_default();
                    format!(
                        "{} {metric} {} {p} ({name} = {}{ci}).",
                        t(lang, "Voor", "For"),
                        t(
                            lang,
                            "is de invloedrijkste parameter",
                            "the most influential parameter is"
                        ),
                        fmt(*v, 3, lang)
                    )
                })
                .unwrap_or_default();
            let title = format!("{}: {metric}", t(lang, "Gevoeligheid", "Sensitivity"));
            Section {
                svg: Some(svg::hbars(&title, &items, intervals.as_deref(), name, lang)),
                title,
                sentence,
                table: None,
            }
        })
        .collect()
}
