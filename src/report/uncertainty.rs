//! The report's section for a run over a calibration's posterior: which
//! calibrated parameters drive the uncertainty of the effect on referrals
//! and on the gemeente's cost (`drivers.csv`), and how much of that
//! uncertainty is the parameters' rather than chance (`variance_split.csv`).

use super::data::RunData;
use super::sections::{Section, kind_of, who};
use super::svg;
use super::text::{Lang, pct, t};
use crate::report::kind::Kind;

/// Parameters shown per chart.
const SHOWN: usize = 8;

/// One section per effect of the first scenario that is not a cut, when
/// the folder has `drivers.csv`; none otherwise.
pub fn sections(d: &RunData, lang: Lang) -> Vec<Section> {
    let Some(s) = d.scenarios[1..]
        .iter()
        .map(|s| &s.name)
        .find(|s| kind_of(d, s) != Kind::Cut)
    else {
        return Vec::new();
    };
    let (Some(first), last) = (d.years.first().copied(), d.last_year()) else {
        return Vec::new();
    };
    [
        (
            "second_line_referrals",
            t(lang, "verwijzingen", "referrals"),
        ),
        (
            "cost_gemeente_eur",
            t(lang, "kosten voor de gemeente", "cost to the gemeente"),
        ),
    ]
    .into_iter()
    .filter_map(|(metric, what)| {
        let drivers = d.drivers.get(&(s.clone(), metric.to_string()))?;
        let items: Vec<(String, f64)> = drivers
            .iter()
            .filter(|(_, v)| v.is_finite())
            .take(SHOWN)
            .cloned()
            .collect();
        let share = d
            .parameter_share
            .get(&(s.clone(), metric.to_string()))
            .copied()
            .filter(|v| v.is_finite());
        Some(section(d, s, what, &items, share, (first, last), lang))
    })
    .collect()
}

fn section(
    d: &RunData,
    s: &str,
    what: &str,
    items: &[(String, f64)],
    share: Option<f64>,
    (first, last): (i32, i32),
    lang: Lang,
) -> Section {
    let title = match lang {
        Lang::Nl => format!("Wat de onzekerheid bepaalt: effect op {what} ({first}–{last})"),
        Lang::En => format!("What drives the uncertainty: effect on {what} ({first}–{last})"),
    };
    let split = share.map(|p| match lang {
        Lang::Nl => format!(
            "Van de onzekerheid in het effect van {} op {what} komt {} door de parameters (wat we niet precies weten) en {} door toeval in de simulatie.",
            who(d, s, lang),
            pct(p, lang),
            pct(1.0 - p, lang)
        ),
        Lang::En => format!(
            "Of the uncertainty in the effect of {} on {what}, {} comes from the parameters (what we do not know exactly) and {} from chance in the simulation.",
            who(d, s, lang),
            pct(p, lang),
            pct(1.0 - p, lang)
        ),
    });
    let top = items.first().filter(|(_, v)| *v > 0.0).map(|(p, v)| match lang {
        Lang::Nl => format!(
            "De parameter die op zichzelf het meest verklaart is {p} ({} van de spreiding tussen de plausibele werelden); meer gegevens over die parameter verkleinen de onzekerheid het meest. Parameters hangen in de posterior samen, dus de delen tellen niet op tot 100%.",
            pct(*v, lang)
        ),
        Lang::En => format!(
            "The parameter that explains most on its own is {p} ({} of the spread between plausible worlds); data on it would narrow the uncertainty most. Parameters are correlated in the posterior, so the shares need not add up to 100%.",
            pct(*v, lang)
        ),
    });
    let sentence = [split, top]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let sentence = if sentence.is_empty() {
        t(
            lang,
            "Geen parameter verklaart op zichzelf een deel van de spreiding: die komt door toeval of door samenspel van parameters.",
            "No parameter explains part of the spread on its own: it comes from chance or from parameters acting together.",
        )
        .to_string()
    } else {
        sentence
    };
    Section {
        svg: Some(svg::hbars(
            &title,
            items,
            None,
            t(lang, "verklaard deel", "share explained"),
            lang,
        )),
        title,
        sentence,
        table: None,
    }
}
