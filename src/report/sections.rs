//! The content of a report, independent of its format: sections with a
//! title, one plain-language sentence that reads the chart (with its
//! uncertainty), the chart and a table.

use super::data::{CostEffect, Diff, Est, RunData};
use super::kind::{Kind, changed_keys, kind};
use super::text::{Lang, date, fmt, meur, pct, t};
use super::{ranking, svg, uncertainty};

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

pub(super) fn est_text(e: Est, decimals: usize, lang: Lang) -> String {
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

/// The same colour for a scenario in every chart: its place in `shown`.
fn scenario_colours(n: usize) -> Vec<&'static str> {
    (0..n)
        .map(|i| svg::COLOURS[i % svg::COLOURS.len()])
        .collect()
}

/// How a sentence names a scenario: "scenario ‘x’", the baseline as "de
/// basis (‘x’)", never a bare file name that reads like a town.
pub fn who(d: &RunData, s: &str, lang: Lang) -> String {
    let base = d.baseline().is_some_and(|b| b.name == s);
    match (lang, base) {
        (Lang::Nl, true) => format!("de basis (‘{s}’)"),
        (Lang::En, true) => format!("the baseline (‘{s}’)"),
        _ => format!("scenario ‘{s}’"),
    }
}

/// A sentence with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An estimate of a quantity that cannot be negative (a wait, a count):
/// its interval is cut at zero.
fn nonneg(e: Est) -> Est {
    Est {
        low: e.low.max(0.0),
        ..e
    }
}

/// The waits of the Treeknorm (days) with their norms, and the wijkteam's
/// own intake wait, to which no Treeknorm applies.
const TO_PROVIDER: &str = "wait_assessment_days_mean";
const TO_TREATMENT: &str = "wait_treatment_days_mean";
const WIJKTEAM_INTAKE: &str = "wait_intake_days_mean";
const NORM_PROVIDER_DAYS: f64 = 28.0;
const NORM_TREATMENT_DAYS: f64 = 70.0;

/// What a scenario changes against the baseline.
pub fn kind_of(d: &RunData, s: &str) -> Kind {
    match (d.baseline(), d.scenarios.iter().find(|x| x.name == s)) {
        (Some(b), Some(x)) if b.name != s => kind(&changed_keys(&b.table, &x.table)),
        _ => Kind::Same,
    }
}

/// "+12 (8 tot 16)" days or counts, with a sign.
fn signed_text(e: Est, decimals: usize, lang: Lang) -> String {
    let sign = |x: f64| if x > 0.0 { "+" } else { "" };
    format!(
        "{}{} ({}{} {} {}{})",
        sign(e.mean),
        fmt(e.mean, decimals, lang),
        sign(e.low),
        fmt(e.low, decimals, lang),
        t(lang, "tot", "to"),
        sign(e.high),
        fmt(e.high, decimals, lang)
    )
}

/// Whether a difference is clearly (95% CI excludes zero) above zero.
fn clearly_up(e: Est) -> bool {
    e.low > 0.0 && e.high > 0.0
}

/// The output years as "2025–2030".
fn span(d: &RunData) -> String {
    match (d.years.first(), d.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => "–".into(),
    }
}

pub fn build(d: &RunData, lang: Lang) -> Vec<Section> {
    let shown = shown(d);
    let colours = scenario_colours(shown.len());
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
                    .filter_map(|y| d.est(s, *y, DEMAND).map(|e| (*y, nonneg(e))))
                    .collect(),
            )
        })
        .collect();
    let mut sentences: Vec<String> = others
        .iter()
        .filter_map(|s| Some((s, d.diff(s, last, DEMAND)?)))
        .map(|(s, x)| {
            let cut = kind_of(d, s) == Kind::Cut && x.diff.mean < 0.0;
            match lang {
                Lang::Nl => format!(
                    "In {} is de vraag naar tweedelijns jeugdhulp in {last} {} {}{}.",
                    who(d, s, lang),
                    relative_text(x, lang),
                    who(d, &base, lang),
                    if cut {
                        ", doordat jongeren langer wachten (een bezuiniging, geen preventie)"
                    } else {
                        ""
                    }
                ),
                Lang::En => format!(
                    "In {}, second-line demand in {last} is {} {}{}.",
                    who(d, s, lang),
                    relative_text(x, lang),
                    who(d, &base, lang),
                    if cut {
                        ", because young people wait longer (a budget cut, not prevention)"
                    } else {
                        ""
                    }
                ),
            }
        })
        .collect();
    if sentences.is_empty()
        && let Some(e) = d.est(&base, last, DEMAND)
    {
        sentences.push(match lang {
            Lang::Nl => format!(
                "In {} zijn er in {last} {} verwijzingen naar tweedelijns jeugdhulp per 1.000 leerlingen (gemiddelde en 95%-betrouwbaarheidsinterval).",
                who(d, &base, lang),
                est_text(e, 1, lang)
            ),
            Lang::En => format!(
                "In {} there are {} referrals to second-line care per 1,000 students in {last} (mean and 95% confidence interval).",
                who(d, &base, lang),
                est_text(e, 1, lang)
            ),
        });
    }
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
            &colours,
            t(
                lang,
                "verwijzingen per 1.000 leerlingen",
                "referrals per 1,000 students",
            ),
            &[],
            lang,
        )),
        title,
        sentence: sentences.join(" "),
        table: None,
    });

    // What each scenario does, read for what it is (a sweep is ranked
    // instead, below).
    if d.manifest.sweep.is_none() {
        for (i, s) in others.iter().enumerate() {
            out.push(effect_section(d, s, colours[i + 1], lang));
        }
        if !others.is_empty() && !d.horizon.is_empty() {
            out.push(horizon_section(d, &others, lang));
        }
        out.extend(uncertainty::sections(d, lang));
    }

    out.extend(waits_sections(d, &shown, &colours, lang));
    out.push(routes_section(d, &shown, &colours, lang));
    out.push(thuiszitters_section(d, &shown, &colours, lang));
    out.push(costs_section(d, &shown, &colours, lang));
    if let Some(s) = forecast_section(d, &shown, &colours, lang) {
        out.push(s);
    }

    if d.gemeenten.len() >= 2 {
        out.push(per_gemeente(d, &shown, lang));
    }
    if d.manifest.sweep.is_some() && d.scenarios.len() > 1 {
        out.extend(ranking::sections(d, lang));
    }
    if !d.sensitivity.is_empty() {
        out.extend(sensitivity(d, lang));
    }
    out
}

/// The section of one scenario, chosen by what it changes: a budget cut
/// reads as a cut (waits, thuiszitters, the budget), never as prevention.
fn effect_section(d: &RunData, s: &str, colour: &'static str, lang: Lang) -> Section {
    let base = d.baseline().map(|b| b.name.clone()).unwrap_or_default();
    let last = d.last_year();
    let first = d.years.first().copied().unwrap_or(last);
    let kind = kind_of(d, s);
    let groups: Vec<(String, Vec<Est>)> = d
        .years
        .iter()
        .map(|y| {
            let metric = if kind == Kind::Cut {
                TO_PROVIDER
            } else {
                DEMAND
            };
            let v = d.diff(s, *y, metric).map_or(Est::NAN, |x| x.diff);
            (y.to_string(), vec![v])
        })
        .collect();
    let wait = d.diff(s, last, TO_PROVIDER);
    let total = d.horizon_total(s, "second_line_referrals");
    let (title, sentence, y_label) = match kind {
        Kind::Cut => {
            let mut parts = Vec::new();
            if let (Some(w), Some(b)) = (wait, d.est(&base, last, TO_PROVIDER)) {
                let now = b.mean + w.diff.mean;
                parts.push(match (lang, clearly_up(w.diff)) {
                    (Lang::Nl, true) => format!(
                        "Met de bezuiniging in {} stijgt de wachttijd van verwijzing tot intake bij de aanbieder in {last} van {} naar {} dagen ({} dagen; Treeknorm 4 weken).",
                        who(d, s, lang), fmt(b.mean, 0, lang), fmt(now, 0, lang), signed_text(w.diff, 0, lang)
                    ),
                    (Lang::Nl, false) => format!(
                        "Met de bezuiniging in {} is de wachttijd van verwijzing tot intake bij de aanbieder in {last} {} dagen, tegen {} in de basis ({} dagen; niet aantoonbaar langer).",
                        who(d, s, lang), fmt(now, 0, lang), fmt(b.mean, 0, lang), signed_text(w.diff, 0, lang)
                    ),
                    (Lang::En, true) => format!(
                        "With the cut in {}, the wait from referral to the provider's intake rises in {last} from {} to {} days ({} days; Treeknorm 4 weeks).",
                        who(d, s, lang), fmt(b.mean, 0, lang), fmt(now, 0, lang), signed_text(w.diff, 0, lang)
                    ),
                    (Lang::En, false) => format!(
                        "With the cut in {}, the wait from referral to the provider's intake in {last} is {} days against {} in the baseline ({} days; not clearly longer).",
                        who(d, s, lang), fmt(now, 0, lang), fmt(b.mean, 0, lang), signed_text(w.diff, 0, lang)
                    ),
                });
            }
            if let Some(x) = d.diff(s, last, "thuiszitters") {
                parts.push(match lang {
                    Lang::Nl => format!(
                        "Thuiszitters in {last}: {} ten opzichte van de basis.",
                        signed_text(x.diff, 1, lang)
                    ),
                    Lang::En => format!(
                        "Thuiszitters in {last}: {} against the baseline.",
                        signed_text(x.diff, 1, lang)
                    ),
                });
            }
            if let Some(b) = d.diff(s, last, "budget_balance_eur") {
                parts.push(match lang {
                    Lang::Nl => format!(
                        "Het saldo van het jeugdbudget in {last} verandert met {} ({} {} {}).",
                        meur(b.diff.mean, lang),
                        meur(b.diff.low, lang),
                        t(lang, "tot", "to"),
                        meur(b.diff.high, lang)
                    ),
                    Lang::En => format!(
                        "The youth budget balance in {last} changes by {} ({} to {}).",
                        meur(b.diff.mean, lang),
                        meur(b.diff.low, lang),
                        meur(b.diff.high, lang)
                    ),
                });
            }
            if let Some(x) = total.filter(|x| x.diff.mean < 0.0) {
                parts.push(match lang {
                    Lang::Nl => format!(
                        "Over {} starten {} verwijzingen minder; dat is geen preventie: jongeren wachten langer, en in de wachtrij lost een hulpvraag vanzelf op of wordt hij zwaarder.",
                        span(d), fmt(-x.diff.mean, 0, lang)
                    ),
                    Lang::En => format!(
                        "Over {}, {} fewer referrals start; this is not prevention: young people wait longer, and in the queue a need resolves by itself or grows worse.",
                        span(d), fmt(-x.diff.mean, 0, lang)
                    ),
                });
            }
            (
                format!("{}: {s}", t(lang, "Bezuiniging", "Budget cut")),
                parts.join(" "),
                t(
                    lang,
                    "extra wachtdagen tot intake aanbieder",
                    "extra days waiting for the provider",
                ),
            )
        }
        Kind::Same => (
            format!("{}: {s}", t(lang, "Scenario", "Scenario")),
            match lang {
                Lang::Nl => format!(
                    "{} verandert niets aan de invoer van de basis; verschillen zijn toeval.",
                    who(d, s, lang)
                ),
                Lang::En => format!(
                    "{} changes nothing in the baseline's inputs; differences are chance.",
                    who(d, s, lang)
                ),
            },
            t(
                lang,
                "verschil per 1.000 leerlingen",
                "difference per 1,000 students",
            ),
        ),
        Kind::Prevention | Kind::Other => {
            let mut parts = Vec::new();
            if let (Some(a), Some(b)) = (d.diff(s, first, DEMAND), d.diff(s, last, DEMAND)) {
                parts.push(match lang {
                    Lang::Nl => format!(
                        "In {} is het verschil met de basis {} verwijzingen per 1.000 leerlingen in {first} en {} in {last}; onder nul betekent minder vraag dan in de basis.",
                        who(d, s, lang), est_text(a.diff, 1, lang), est_text(b.diff, 1, lang)
                    ),
                    Lang::En => format!(
                        "In {} the difference from the baseline is {} referrals per 1,000 students in {first} and {} in {last}; below zero means less demand than in the baseline.",
                        who(d, s, lang), est_text(a.diff, 1, lang), est_text(b.diff, 1, lang)
                    ),
                });
            }
            if let Some(x) = total {
                parts.push(match lang {
                    Lang::Nl => format!(
                        "Over {} samen: {} verwijzingen.",
                        span(d),
                        signed_text(x.diff, 0, lang)
                    ),
                    Lang::En => format!(
                        "Over {} in total: {} referrals.",
                        span(d),
                        signed_text(x.diff, 0, lang)
                    ),
                });
            }
            // Less demand because youths wait longer is not prevention.
            if let Some(w) = wait.filter(|w| clearly_up(w.diff) && w.diff.mean >= 7.0) {
                parts.push(match lang {
                    Lang::Nl => format!(
                        "Let op: de wachttijd tot intake bij de aanbieder is in {last} {} dagen langer; minder vraag komt dan deels doordat jongeren langer wachten.",
                        fmt(w.diff.mean, 0, lang)
                    ),
                    Lang::En => format!(
                        "Note: the wait for the provider's intake is {} days longer in {last}; less demand then comes partly from longer waiting.",
                        fmt(w.diff.mean, 0, lang)
                    ),
                });
            }
            let title = if kind == Kind::Prevention {
                t(lang, "Preventief effect", "Preventive effect")
            } else {
                t(lang, "Effect", "Effect")
            };
            (
                format!("{title}: {s}"),
                parts.join(" "),
                t(
                    lang,
                    "verschil per 1.000 leerlingen",
                    "difference per 1,000 students",
                ),
            )
        }
    };
    Section {
        svg: Some(svg::bars(
            &title,
            &groups,
            &[format!("{s} − {base}")],
            &[colour],
            y_label,
            &[],
            lang,
        )),
        title,
        sentence,
        table: None,
    }
}

/// A cumulative figure over the horizon, and the gemeente's cost per
/// referral avoided, per scenario.
fn horizon_section(d: &RunData, others: &[&String], lang: Lang) -> Section {
    let na = || "–".to_string();
    let rows: Vec<Vec<String>> = others
        .iter()
        .map(|s| {
            let refs = d.horizon_total(s, "second_line_referrals");
            let ce = d.cost_effect_total(s, "gemeente", "second_line_referrals");
            let avoided = refs.map_or_else(na, |x| {
                est_text(
                    Est {
                        mean: -x.diff.mean,
                        low: -x.diff.high,
                        high: -x.diff.low,
                    },
                    0,
                    lang,
                )
            });
            let cost = ce.map_or_else(na, |c| meur_text(c.cost, lang));
            let per = if kind_of(d, s) == Kind::Cut {
                t(
                    lang,
                    "bezuiniging: minder verwijzingen door langer wachten, geen preventie",
                    "budget cut: fewer referrals from longer waits, not prevention",
                )
                .to_string()
            } else {
                ce.map_or_else(na, |c| ratio_text(c, lang))
            };
            vec![(*s).clone(), avoided, cost, per]
        })
        .collect();
    let sentence = others
        .iter()
        .find(|s| kind_of(d, s) != Kind::Cut)
        .and_then(|s| Some((s, d.cost_effect_total(s, "gemeente", "second_line_referrals")?)))
        .map(|(s, c)| match lang {
            Lang::Nl => format!(
                "Over {} vermijdt {} {} verwijzingen naar tweedelijns jeugdhulp; voor de gemeente (het Jeugdwet-budget: wijkteam, tweede lijn, DSAV, POH-jeugd) kost een vermeden verwijzing {}.",
                span(d), who(d, s, lang), est_text(c.avoided, 0, lang), ratio_text(c, lang)
            ),
            Lang::En => format!(
                "Over {}, {} avoids {} referrals to second-line care; for the gemeente (the Jeugdwet budget: wijkteam, second line, DSAV, POH-jeugd) a referral avoided costs {}.",
                span(d), who(d, s, lang), est_text(c.avoided, 0, lang), ratio_text(c, lang)
            ),
        })
        .unwrap_or_default();
    let sentence = format!("{sentence}{}", worlds_text(d, others, lang));
    Section {
        title: format!(
            "{} ({})",
            t(lang, "Over de hele periode", "Over the whole horizon"),
            span(d)
        ),
        sentence,
        svg: None,
        table: Some((
            std::iter::once(t(lang, "scenario", "scenario").to_string())
                .chain(effect_columns(lang))
                .collect(),
            rows,
        )),
    }
}

/// Euros in millions with the interval: "€ 1,2 mln (€ 0,4 mln tot € 2,0 mln)".
pub(super) fn meur_text(e: Est, lang: Lang) -> String {
    format!(
        "{} ({} {} {})",
        meur(e.mean, lang),
        meur(e.low, lang),
        t(lang, "tot", "to"),
        meur(e.high, lang)
    )
}

/// The columns of a table of effects over the horizon: referrals avoided,
/// the gemeente's extra cost and the cost per referral avoided.
pub(super) fn effect_columns(lang: Lang) -> [String; 3] {
    [
        t(
            lang,
            "vermeden verwijzingen (95%-BI)",
            "referrals avoided (95% CI)",
        )
        .into(),
        t(
            lang,
            "extra kosten gemeente (95%-BI)",
            "extra cost to the gemeente (95% CI)",
        )
        .into(),
        t(
            lang,
            "kosten per vermeden verwijzing (95%-BI, Fieller)",
            "cost per referral avoided (95% CI, Fieller)",
        )
        .into(),
    ]
}

/// For a run over a calibration's posterior: in how many of its plausible
/// worlds (replications, each with a posterior draw) referrals fall and the
/// scenario saves the gemeente money over the whole horizon; empty otherwise.
fn worlds_text(d: &RunData, others: &[&String], lang: Lang) -> String {
    let Some(s) = others.iter().find(|s| kind_of(d, s) != Kind::Cut) else {
        return String::new();
    };
    let (Some((refs, n)), Some((saves, m))) = (
        d.probability_total(s, "second_line_referrals"),
        d.probability_total(s, "cost_gemeente_eur"),
    ) else {
        return String::new();
    };
    let count = |p: f64, n: usize| (p * n as f64).round() as usize;
    match lang {
        Lang::Nl => format!(
            " Met de onzekerheid in de parameters meegenomen (een run over de posterior van een kalibratie): in {} van de {n} plausibele werelden daalt het aantal verwijzingen, en in {} van de {m} bespaart {} de gemeente geld.",
            count(refs, n),
            count(saves, m),
            who(d, s, lang)
        ),
        Lang::En => format!(
            " With the parameters' uncertainty included (a run over a calibration's posterior): in {} of {n} plausible worlds referrals fall, and in {} of {m} {} saves the gemeente money.",
            count(refs, n),
            count(saves, m),
            who(d, s, lang)
        ),
    }
}

/// A cost per outcome avoided with its interval, or what it means when
/// the ratio has no meaning (saves money and avoids outcomes, …).
pub fn ratio_text(c: &CostEffect, lang: Lang) -> String {
    if c.avoided.low <= 0.0 && c.avoided.high >= 0.0 {
        return t(lang, "geen aantoonbaar effect", "no demonstrable effect").into();
    }
    if c.avoided.high < 0.0 {
        return t(lang, "meer verwijzingen", "more referrals").into();
    }
    if c.cost.high < 0.0 {
        return t(
            lang,
            "bespaart geld én vermijdt verwijzingen",
            "saves money and avoids referrals",
        )
        .into();
    }
    let bounds = if c.ratio.low.is_finite() && c.ratio.high.is_finite() {
        format!(
            "{} {} {}",
            eur(c.ratio.low, lang),
            t(lang, "tot", "to"),
            eur(c.ratio.high, lang)
        )
    } else {
        t(lang, "interval onbegrensd", "interval unbounded").to_string()
    };
    let ratio = format!("{} ({bounds})", eur(c.ratio.mean, lang));
    if c.cost.low <= 0.0 {
        format!(
            "{ratio}; {}",
            t(
                lang,
                "kostenverschil niet aantoonbaar",
                "cost difference not demonstrable"
            )
        )
    } else {
        ratio
    }
}

/// Euros without decimals: "€ 12.300".
fn eur(x: f64, lang: Lang) -> String {
    if x < 0.0 {
        format!("−€ {}", fmt(-x, 0, lang))
    } else {
        format!("€ {}", fmt(x, 0, lang))
    }
}

/// The reading of `cost_effectiveness.csv` in Dutch.
pub fn reading_nl(r: &str) -> String {
    let words = [
        ("dominant", "dominant"),
        ("dominated", "gedomineerd"),
        ("saves money", "bespaart geld"),
        ("costs more", "kost meer"),
        (
            "no demonstrable effect on the outcome",
            "geen aantoonbaar effect op de uitkomst",
        ),
        ("avoids outcomes", "vermijdt uitkomsten"),
        ("adds outcomes", "voegt uitkomsten toe"),
        ("cheaper and better", "goedkoper en beter"),
        ("and", "en"),
        (
            "no demonstrable cost difference",
            "geen aantoonbaar kostenverschil",
        ),
    ];
    let mut out = r.to_string();
    for (en, nl) in words {
        out = out.replace(en, nl);
    }
    out
}

/// Waits against the Treeknorm in the last year, and the provider wait
/// over the years, with a sentence for every scenario.
fn waits_sections(
    d: &RunData,
    shown: &[String],
    colours: &[&'static str],
    lang: Lang,
) -> Vec<Section> {
    let last = d.last_year();
    let stages = [
        (
            TO_PROVIDER,
            t(
                lang,
                "verwijzing → intake aanbieder (Treeknorm 4 weken)",
                "referral → provider intake (Treeknorm 4 weeks)",
            ),
        ),
        (
            TO_TREATMENT,
            t(
                lang,
                "onderzoek → behandeling (Treeknorm 10 weken)",
                "assessment → treatment (Treeknorm 10 weeks)",
            ),
        ),
        (
            WIJKTEAM_INTAKE,
            t(
                lang,
                "aanmelding → intake wijkteam (geen Treeknorm)",
                "arrival → wijkteam intake (no Treeknorm)",
            ),
        ),
    ];
    let groups: Vec<(String, Vec<Est>)> = stages
        .iter()
        .map(|(m, label)| {
            let v = shown
                .iter()
                .map(|s| d.est(s, last, m).map_or(Est::NAN, nonneg))
                .collect();
            (label.to_string(), v)
        })
        .collect();
    let sentences: Vec<String> = shown
        .iter()
        .filter_map(|s| {
            let p = d.est(s, last, TO_PROVIDER)?;
            let q = d.est(s, last, TO_TREATMENT)?;
            let within = |x: f64, norm: f64| match (lang, x <= norm) {
                (Lang::Nl, true) => "binnen",
                (Lang::Nl, false) => "boven",
                (Lang::En, true) => "within",
                (Lang::En, false) => "above",
            };
            Some(match lang {
                Lang::Nl => format!(
                    "In {} wachten jongeren in {last} gemiddeld {} dagen van verwijzing tot intake bij de aanbieder ({} de Treeknorm van 4 weken) en {} dagen van onderzoek tot behandeling ({} de norm van 10 weken).",
                    who(d, s, lang), est_text(nonneg(p), 0, lang), within(p.mean, NORM_PROVIDER_DAYS), est_text(nonneg(q), 0, lang), within(q.mean, NORM_TREATMENT_DAYS)
                ),
                Lang::En => format!(
                    "In {}, young people wait on average {} days in {last} from referral to the provider's intake ({} the Treeknorm of 4 weeks) and {} days from assessment to treatment ({} the norm of 10 weeks).",
                    who(d, s, lang), est_text(nonneg(p), 0, lang), within(p.mean, NORM_PROVIDER_DAYS), est_text(nonneg(q), 0, lang), within(q.mean, NORM_TREATMENT_DAYS)
                ),
            })
        })
        .collect();
    let title = format!(
        "{} ({last})",
        t(
            lang,
            "Wachttijden en de Treeknorm",
            "Waits and the Treeknorm"
        )
    );
    let refs = [
        svg::Ref {
            value: NORM_PROVIDER_DAYS,
            label: t(lang, "4 weken", "4 weeks").into(),
            group: Some(0),
        },
        svg::Ref {
            value: NORM_TREATMENT_DAYS,
            label: t(lang, "10 weken", "10 weeks").into(),
            group: Some(1),
        },
    ];
    let bars = Section {
        svg: Some(svg::bars(
            &title,
            &groups,
            shown,
            colours,
            t(lang, "dagen", "days"),
            &refs,
            lang,
        )),
        title,
        sentence: sentences.join(" "),
        table: None,
    };
    let series: Vec<(String, Vec<(i32, Est)>)> = shown
        .iter()
        .map(|s| {
            let pts = d
                .years
                .iter()
                .filter_map(|y| d.est(s, *y, TO_PROVIDER).map(|e| (*y, nonneg(e))))
                .collect();
            (s.clone(), pts)
        })
        .collect();
    let trend: Vec<String> = shown
        .iter()
        .filter_map(|s| {
            let a = d.est(s, *d.years.first()?, TO_PROVIDER)?;
            let b = d.est(s, last, TO_PROVIDER)?;
            Some(match lang {
                Lang::Nl => format!(
                    "{}: van {} dagen in {} naar {} in {last}",
                    who(d, s, lang),
                    fmt(a.mean, 0, lang),
                    d.years[0],
                    fmt(b.mean, 0, lang)
                ),
                Lang::En => format!(
                    "{}: from {} days in {} to {} in {last}",
                    who(d, s, lang),
                    fmt(a.mean, 0, lang),
                    d.years[0],
                    fmt(b.mean, 0, lang)
                ),
            })
        })
        .collect();
    let title = t(
        lang,
        "Wachttijd tot intake bij de aanbieder, per jaar",
        "Wait for the provider's intake, per year",
    )
    .to_string();
    let line = Section {
        svg: Some(svg::lines(
            &title,
            &series,
            colours,
            t(
                lang,
                "dagen van verwijzing tot intake",
                "days from referral to intake",
            ),
            &[svg::Ref {
                value: NORM_PROVIDER_DAYS,
                label: t(lang, "Treeknorm 4 weken", "Treeknorm 4 weeks").into(),
                group: None,
            }],
            lang,
        )),
        title,
        sentence: if trend.is_empty() {
            String::new()
        } else {
            capitalised(&format!("{}.", trend.join("; ")))
        },
        table: None,
    };
    vec![bars, line]
}

fn routes_section(d: &RunData, shown: &[String], colours: &[&'static str], lang: Lang) -> Section {
    let last = d.last_year();
    // Labels from the metric registry (model::metric_spec).
    let routes = [
        "share_via_school",
        "share_via_wijkteam",
        "share_via_huisarts",
        "share_via_integraal",
    ];
    let groups: Vec<(String, Vec<Est>)> = routes
        .iter()
        .map(|m| {
            let v = shown
                .iter()
                .map(|s| d.est(s, last, m).map_or(Est::NAN, nonneg))
                .collect();
            (crate::model::metric_label(m, lang == Lang::Nl), v)
        })
        .collect();
    let sentence: Vec<String> = shown
        .iter()
        .filter_map(|s| {
            let e = d.est(s, last, "share_via_huisarts")?;
            let ci = format!("{} {} {}", pct(e.low.max(0.0), lang), t(lang, "tot", "to"), pct(e.high, lang));
            Some(match lang {
                Lang::Nl => format!("In {} loopt in {last} {} ({ci}) van de verwijzingen via de huisarts; de school weet daar dan niet van.", who(d, s, lang), pct(e.mean, lang)),
                Lang::En => format!("In {}, {} ({ci}) of referrals in {last} go via the huisarts, and the school is not informed of them.", who(d, s, lang), pct(e.mean, lang)),
            })
        })
        .collect();
    let title = format!(
        "{} ({last})",
        t(
            lang,
            "Routes naar tweedelijns jeugdhulp",
            "Routes to second-line care"
        )
    );
    Section {
        svg: Some(svg::bars(
            &title,
            &groups,
            shown,
            colours,
            t(lang, "aandeel van de verwijzingen", "share of referrals"),
            &[],
            lang,
        )),
        title,
        sentence: sentence.join(" "),
        table: None,
    }
}

fn thuiszitters_section(
    d: &RunData,
    shown: &[String],
    colours: &[&'static str],
    lang: Lang,
) -> Section {
    let last = d.last_year();
    let groups: Vec<(String, Vec<Est>)> = d
        .years
        .iter()
        .map(|y| {
            let v = shown
                .iter()
                .map(|s| {
                    d.est(s, *y, "thuiszitters_per_1000")
                        .map_or(Est::NAN, nonneg)
                })
                .collect();
            (y.to_string(), v)
        })
        .collect();
    let sentence: Vec<String> = shown
        .iter()
        .filter_map(|s| {
            let e = nonneg(d.est(s, last, "thuiszitters_per_1000")?);
            Some(match lang {
                Lang::Nl => format!("In {} zijn er in {last} {} thuiszitters per 1.000 leerlingen (drie maanden of langer niet op school).", who(d, s, lang), est_text(e, 2, lang)),
                Lang::En => format!("In {} there are {} thuiszitters per 1,000 students in {last} (out of school three months or more).", who(d, s, lang), est_text(e, 2, lang)),
            })
        })
        .collect();
    let title = t(lang, "Thuiszitters", "Thuiszitters").to_string();
    Section {
        svg: Some(svg::bars(
            &title,
            &groups,
            shown,
            colours,
            t(
                lang,
                "thuiszitters per 1.000 leerlingen",
                "thuiszitters per 1,000 students",
            ),
            &[],
            lang,
        )),
        title,
        sentence: sentence.join(" "),
        table: None,
    }
}

/// The budget lines a gemeente pays from its youth budget (Jeugdwet),
/// the lines others pay, and how the balance is formed.
const GEMEENTE_LINES: [&str; 4] = ["wijkteam", "second_line", "dsav", "poh"];

fn costs_section(d: &RunData, shown: &[String], colours: &[&'static str], lang: Lang) -> Section {
    let last = d.last_year();
    // Labels from the metric registry (model::metric_spec).
    let lines = ["wijkteam", "second_line", "dsav", "poh", "swv", "huisarts"];
    let groups: Vec<(String, Vec<Est>)> = lines
        .iter()
        .map(|l| {
            let v = shown
                .iter()
                .map(|s| {
                    d.est(s, last, &format!("cost_{l}_eur"))
                        .map_or(Est::NAN, |e| Est {
                            mean: e.mean / 1e6,
                            low: (e.low / 1e6).max(0.0),
                            high: e.high / 1e6,
                        })
                })
                .collect();
            (
                crate::model::metric_label(&format!("cost_{l}_eur"), lang == Lang::Nl),
                v,
            )
        })
        .collect();
    let mean = |s: &str, m: &str| d.est(s, last, m).map(|e| e.mean);
    let gemeente_cost = |s: &str| -> Option<f64> {
        GEMEENTE_LINES
            .iter()
            .map(|l| mean(s, &format!("cost_{l}_eur")))
            .sum()
    };
    let sentence: Vec<String> = shown
        .iter()
        .filter_map(|s| {
            let c = gemeente_cost(s)?;
            let budget = mean(s, "budget_eur")?;
            let balance = budget - c;
            Some(match lang {
                Lang::Nl => format!(
                    "In {} betaalt de gemeente in {last} {} uit het jeugdbudget van {}: {}.",
                    who(d, s, lang),
                    meur(c, lang),
                    meur(budget, lang),
                    balance_text(balance, lang)
                ),
                Lang::En => format!(
                    "In {} the gemeente pays {} in {last} from a youth budget of {}: {}.",
                    who(d, s, lang),
                    meur(c, lang),
                    meur(budget, lang),
                    balance_text(balance, lang)
                ),
            })
        })
        .collect();
    let note = t(
        lang,
        "Kosten gemeente = wijkteam + tweede lijn + DSAV + POH-jeugd; saldo = budget − kosten gemeente. SWV-arrangementen (samenwerkingsverband) en huisartsconsulten (zorgverzekeraar) staan apart en tellen niet mee in het saldo.",
        "Gemeente costs = wijkteam + second line + DSAV + POH-jeugd; balance = budget − gemeente costs. SWV arrangements (samenwerkingsverband) and huisarts consults (insurer) are shown apart and do not count in the balance.",
    );
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|s| {
            let v = |x: Option<f64>| x.map_or("–".into(), |x| meur(x, lang));
            let c = gemeente_cost(s);
            let b = mean(s, "budget_eur");
            vec![
                s.clone(),
                v(c),
                v(b),
                v(b.zip(c).map(|(b, c)| b - c)),
                v(mean(s, "cost_swv_eur")),
                v(mean(s, "cost_huisarts_eur")),
                v(mean(s, COST)),
            ]
        })
        .collect();
    let title = format!(
        "{} ({last})",
        t(lang, "Kosten en budget", "Costs and budget")
    );
    Section {
        svg: Some(svg::bars(
            &title,
            &groups,
            shown,
            colours,
            t(lang, "miljoen euro", "million euro"),
            &[],
            lang,
        )),
        title,
        sentence: format!("{} {note}", sentence.join(" ")),
        table: Some((
            vec![
                t(lang, "scenario", "scenario").into(),
                t(lang, "kosten gemeente", "gemeente costs").into(),
                t(lang, "jeugdbudget", "youth budget").into(),
                t(lang, "saldo", "balance").into(),
                t(lang, "SWV", "SWV").into(),
                t(lang, "huisarts (zorgverzekeraar)", "huisarts (insurer)").into(),
                t(lang, "totaal alle betalers", "total, all payers").into(),
            ],
            rows,
        )),
    }
}

/// Years of the forecast section.
const FORECAST_YEARS: usize = 5;

/// The next five years' cost from the youth budget (`forecast.csv`), with
/// the range over replications (and posterior draws), the budget line and
/// the chance of overspending per year. `None` for a run without
/// `forecast.csv` (before 0.5.0).
fn forecast_section(
    d: &RunData,
    shown: &[String],
    colours: &[&'static str],
    lang: Lang,
) -> Option<Section> {
    let get = |s: &str, y: i32, m: &str| {
        d.forecast
            .get(&(s.to_string(), y, "total".into(), m.into()))
    };
    let years: Vec<i32> = d.years.iter().copied().take(FORECAST_YEARS).collect();
    let base = shown.first()?;
    get(base, *years.first()?, "cost_eur")?;
    let series: Vec<(String, Vec<(i32, Est)>)> = shown
        .iter()
        .map(|s| {
            let points = years
                .iter()
                .filter_map(|&y| {
                    let (e, (lo, hi)) = get(s, y, "cost_eur")?;
                    Some((
                        y,
                        Est {
                            mean: e.mean / 1e6,
                            low: lo / 1e6,
                            high: hi / 1e6,
                        },
                    ))
                })
                .collect();
            (s.clone(), points)
        })
        .collect();
    let budget = |s: &str, y: i32| get(s, y, "budget_eur").map(|b| b.0.mean);
    let chance = |s: &str, y: i32| get(s, y, "over_budget").map(|p| p.0.mean);
    let refs: Vec<svg::Ref> = budget(base, years[0])
        .filter(|b| *b > 0.0)
        .map(|b| svg::Ref {
            value: b / 1e6,
            label: format!(
                "{} {}",
                t(lang, "jeugdbudget", "youth budget"),
                meur(b, lang)
            ),
            group: None,
        })
        .into_iter()
        .collect();
    let (first, last) = (years[0], *years.last()?);
    let chances: Vec<String> = years
        .iter()
        .filter_map(|&y| Some(format!("{y}: {}", pct(chance(base, y)?, lang))))
        .collect();
    let range = |s: &str, y: i32| -> Option<String> {
        let (e, (lo, hi)) = get(s, y, "cost_eur")?;
        Some(format!(
            "{} ({} {} {})",
            meur(e.mean, lang),
            meur(*lo, lang),
            t(lang, "tot", "to"),
            meur(*hi, lang)
        ))
    };
    let mut sentence = match lang {
        Lang::Nl => format!(
            "In {} kost de jeugdhulp de gemeente in {first} {} en in {last} {} (gemiddelde en het bereik van 95% van de gesimuleerde jaren).",
            who(d, base, lang),
            range(base, first)?,
            range(base, last)?,
        ),
        Lang::En => format!(
            "In {} youth care costs the gemeente {} in {first} and {} in {last} (mean and the range of 95% of the simulated years).",
            who(d, base, lang),
            range(base, first)?,
            range(base, last)?,
        ),
    };
    if !chances.is_empty() {
        sentence.push(' ');
        sentence.push_str(&match lang {
            Lang::Nl => format!(
                "De kans dat de kosten het jeugdbudget overschrijden: {}.",
                chances.join(", ")
            ),
            Lang::En => format!(
                "The chance that the cost exceeds the youth budget: {}.",
                chances.join(", ")
            ),
        });
    }
    sentence.push(' ');
    sentence.push_str(t(
        lang,
        "Kosten gemeente = wijkteam + tweede lijn + DSAV + POH-jeugd; de band is het bereik over de replicaties (bij een posterior ook over de plausibele werelden). forecast.csv geeft per zorgvorm bezetting, instroom, uitstroom en verblijfsduur.",
        "Gemeente costs = wijkteam + second line + DSAV + POH-jeugd; the band is the range over replications (with a posterior also over the plausible worlds). forecast.csv gives occupancy, inflow, outflow and length of stay per care form.",
    ));
    let rows: Vec<Vec<String>> = shown
        .iter()
        .flat_map(|s| {
            years.iter().map(move |&y| {
                vec![
                    s.clone(),
                    y.to_string(),
                    range(s, y).unwrap_or_else(|| "–".into()),
                    budget(s, y).map_or("–".into(), |b| meur(b, lang)),
                    chance(s, y).map_or("–".into(), |p| pct(p, lang)),
                ]
            })
        })
        .collect();
    let title = t(
        lang,
        "Zo ontwikkelen de kosten zich de komende vijf jaar",
        "How costs develop over the next five years",
    )
    .to_string();
    Some(Section {
        svg: Some(svg::lines(
            &title,
            &series,
            colours,
            t(lang, "miljoen euro", "million euro"),
            &refs,
            lang,
        )),
        title,
        sentence,
        table: Some((
            vec![
                t(lang, "scenario", "scenario").into(),
                t(lang, "jaar", "year").into(),
                t(
                    lang,
                    "kosten gemeente (95%-bereik)",
                    "gemeente costs (95% range)",
                )
                .into(),
                t(lang, "jeugdbudget", "youth budget").into(),
                t(lang, "kans op overschrijding", "chance of overspending").into(),
            ],
            rows,
        )),
    })
}

/// "€ 1,2 mln over" / "een tekort van € 3,4 mln" / "precies op" (within
/// € 50,000, which rounds to € 0,0 mln).
fn balance_text(b: f64, lang: Lang) -> String {
    if b.abs() < 0.05e6 {
        return t(lang, "het budget is precies op", "the budget is just spent").into();
    }
    match (lang, b < 0.0) {
        (Lang::Nl, true) => format!("een tekort van {}", meur(-b, lang)),
        (Lang::Nl, false) => format!("er blijft {} over", meur(b, lang)),
        (Lang::En, true) => format!("overspent by {}", meur(-b, lang)),
        (Lang::En, false) => format!("{} is left", meur(b, lang)),
    }
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
        svg::bars(
            &title,
            &groups,
            shown,
            &scenario_colours(shown.len()),
            y_label,
            &[],
            lang,
        )
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
            "{} scenario's, elk {} keer doorgerekend met ander toeval (startgetal {}), jaren {years}; regiosim {} ({commit}), gemaakt op {}. Elke doorrekening van een scenario gebruikt hetzelfde toeval als die van de basis, zodat verschillen door het beleid komen en niet door toeval.",
            d.scenarios.len(),
            m.replications,
            m.seed,
            m.regiosim_version,
            date(m.created_unix)
        ),
        Lang::En => format!(
            "{} scenarios, each simulated {} times with different chance (random seed {}), years {years}; regiosim {} ({commit}), made on {}. Each simulation of a scenario uses the same chance as the baseline's, so differences come from the policy, not from chance.",
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
        .map(|s| {
            let text = match lang {
                Lang::Nl if !s.description_nl.is_empty() => s.description_nl.clone(),
                _ => s.description.clone(),
            };
            vec![s.name.clone(), text]
        })
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

fn sensitivity(d: &RunData, lang: Lang) -> Vec<Section> {
    let mut metrics: Vec<String> = d.sensitivity.iter().map(|r| r.1.clone()).collect();
    metrics.dedup();
    let bounds = |metric: &str, param: &str, index: &str| {
        d.sensitivity
            .iter()
            .find(|r| r.1 == metric && r.2 == param && r.3 == index)
            .and_then(|r| r.5)
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
                .map(|(p, _)| bounds(metric, p, index))
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
