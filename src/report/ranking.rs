//! The ranking of a sweep's variants: referrals avoided over the whole
//! horizon against the gemeente's extra cost, each with its 95% interval,
//! dominance read from both, and the cost-effectiveness plane.

use super::data::{CostEffect, Est, RunData};
use super::kind::Kind;
use super::sections::{
    Section, effect_columns, est_text, kind_of, meur_text, ratio_text, reading_nl,
};
use super::svg;
use super::text::{Lang, t};

/// Most variants in the table (the sentence says how many there are).
const LISTED: usize = 40;

/// One variant's figures over the horizon (gemeente perspective).
struct Row {
    name: String,
    label: String,
    same_as_base: bool,
    ce: CostEffect,
}

impl Row {
    fn avoided(&self) -> f64 {
        self.ce.avoided.mean
    }
    fn cost(&self) -> f64 {
        self.ce.cost.mean
    }
    /// 0: cheaper and better, 1: better at a cost, 2: no fewer referrals,
    /// 3: the same inputs as the base.
    fn class(&self) -> u8 {
        match (self.same_as_base, self.avoided() > 0.0, self.cost() <= 0.0) {
            (true, _, _) => 3,
            (false, true, true) => 0,
            (false, true, false) => 1,
            _ => 2,
        }
    }
}

/// The Pareto front number of each row among `rows` (1: no other row
/// avoids at least as many referrals at no more cost and is better in one).
fn fronts(rows: &[&Row]) -> Vec<usize> {
    let dominates = |a: &Row, b: &Row| {
        a.avoided() >= b.avoided()
            && a.cost() <= b.cost()
            && (a.avoided() > b.avoided() || a.cost() < b.cost())
    };
    let mut front = vec![0; rows.len()];
    let mut left: Vec<usize> = (0..rows.len()).collect();
    let mut k = 1;
    while !left.is_empty() {
        let this: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&i| !left.iter().any(|&j| dominates(rows[j], rows[i])))
            .collect();
        for &i in &this {
            front[i] = k;
        }
        left.retain(|i| !this.contains(i));
        k += 1;
    }
    front
}

/// Ranks the rows: cheaper-and-better variants by Pareto front (more
/// avoided first within a front), then those better at a cost by cost per
/// referral avoided, then those with no fewer referrals, then duplicates of
/// the base.
fn rank(rows: &mut [Row]) {
    let dominant: Vec<&Row> = rows.iter().filter(|r| r.class() == 0).collect();
    let f = fronts(&dominant);
    let front_of: std::collections::BTreeMap<String, usize> = dominant
        .iter()
        .zip(f)
        .map(|(r, k)| (r.name.clone(), k))
        .collect();
    rows.sort_by(|a, b| {
        a.class().cmp(&b.class()).then_with(|| match a.class() {
            0 => front_of[&a.name]
                .cmp(&front_of[&b.name])
                .then(b.avoided().total_cmp(&a.avoided())),
            1 => (a.cost() / a.avoided()).total_cmp(&(b.cost() / b.avoided())),
            _ => b.avoided().total_cmp(&a.avoided()),
        })
    });
}

/// A variant with its full parameter paths and values.
fn label(d: &RunData, name: &str) -> String {
    match d.variants.get(name) {
        Some(values) if !values.is_empty() => {
            let kv: Vec<String> = d
                .variant_params
                .iter()
                .zip(values)
                .map(|(p, v)| format!("{p} = {}", short_value(v)))
                .collect();
            format!("{name} ({})", kv.join(", "))
        }
        _ => name.to_string(),
    }
}

/// A swept value: numbers with at most three decimals.
fn short_value(v: &str) -> String {
    match v.parse::<f64>() {
        Ok(x) if x.fract() != 0.0 => {
            let s = format!("{x:.3}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        _ => v.to_string(),
    }
}

/// The ranking table and the cost-effectiveness plane of a sweep.
pub fn sections(d: &RunData, lang: Lang) -> Vec<Section> {
    let (Some(first), last) = (d.years.first().copied(), d.last_year()) else {
        return Vec::new();
    };
    let mut rows: Vec<Row> = d.scenarios[1..]
        .iter()
        .filter_map(|s| {
            let ce = d.cost_effect_total(&s.name, "gemeente", "second_line_referrals")?;
            Some(Row {
                name: s.name.clone(),
                label: label(d, &s.name),
                same_as_base: kind_of(d, &s.name) == Kind::Same,
                ce: ce.clone(),
            })
        })
        .collect();
    let title = format!(
        "{} ({first}–{last})",
        t(
            lang,
            "Varianten: vermeden verwijzingen en extra kosten voor de gemeente",
            "Variants: referrals avoided and extra cost to the gemeente"
        )
    );
    if rows.is_empty() {
        return vec![Section {
            title,
            sentence: t(
                lang,
                "Deze map heeft geen cost_effectiveness.csv (gemaakt met regiosim vóór 0.4); draai de sweep opnieuw voor de rangschikking met intervallen.",
                "This folder has no cost_effectiveness.csv (written by regiosim before 0.4); run the sweep again for the ranking with intervals.",
            )
            .into(),
            svg: None,
            table: None,
        }];
    }
    rank(&mut rows);
    let total = rows.len();
    let duplicates = rows.iter().filter(|r| r.same_as_base).count();
    let shown = total.min(LISTED);
    let mut sentence = match lang {
        Lang::Nl => format!(
            "{} varianten, gerangschikt over {first}–{last} vanuit de gemeente (Jeugdwet-budget): eerst wie goedkoper én beter is (op beide tegelijk: geen andere variant is op beide minstens zo goed), dan wie verwijzingen vermijdt tegen extra kosten (laagste kosten per vermeden verwijzing eerst), dan de rest.",
            total
        ),
        Lang::En => format!(
            "{} variants, ranked over {first}–{last} from the gemeente's view (Jeugdwet budget): first those cheaper and better (on both at once: no other variant is at least as good on both), then those avoiding referrals at extra cost (lowest cost per referral avoided first), then the rest.",
            total
        ),
    };
    if shown < total {
        sentence += &match lang {
            Lang::Nl => format!(" De tabel toont de eerste {shown} van {total}."),
            Lang::En => format!(" The table shows the first {shown} of {total}."),
        };
    }
    if duplicates > 0 {
        sentence += &match lang {
            Lang::Nl => format!(
                " {duplicates} variant(en) hebben dezelfde invoer als de basis; hun verschil is toeval en ze staan onderaan."
            ),
            Lang::En => format!(
                " {duplicates} variant(s) have the same inputs as the base; their difference is chance and they come last."
            ),
        };
    }
    if let Some(top) = rows.first() {
        sentence += &match lang {
            Lang::Nl => format!(
                " Bovenaan: {}, met {} vermeden verwijzingen en {} extra kosten.",
                top.label,
                est_text(top.ce.avoided, 0, lang),
                meur_text(top.ce.cost, lang)
            ),
            Lang::En => format!(
                " First: {}, with {} referrals avoided and {} extra cost.",
                top.label,
                est_text(top.ce.avoided, 0, lang),
                meur_text(top.ce.cost, lang)
            ),
        };
    }
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .take(LISTED)
        .enumerate()
        .map(|(i, r)| {
            let reading = if r.same_as_base {
                t(lang, "gelijk aan de basis", "same as the base").to_string()
            } else {
                match lang {
                    Lang::Nl => reading_nl(&r.ce.reading),
                    Lang::En => r.ce.reading.clone(),
                }
            };
            vec![
                (i + 1).to_string(),
                r.label.clone(),
                est_text(r.ce.avoided, 0, lang),
                meur_text(r.ce.cost, lang),
                ratio_text(&r.ce, lang),
                reading,
            ]
        })
        .collect();
    let header: Vec<String> = ["#".to_string(), t(lang, "variant", "variant").into()]
        .into_iter()
        .chain(effect_columns(lang))
        .chain([t(lang, "lezing", "reading").into()])
        .collect();
    let points: Vec<svg::PlanePoint> = rows
        .iter()
        .take(LISTED)
        .enumerate()
        .map(|(i, r)| svg::PlanePoint {
            label: (i + 1).to_string(),
            effect: r.ce.avoided,
            cost: Est {
                mean: r.ce.cost.mean / 1e6,
                low: r.ce.cost.low / 1e6,
                high: r.ce.cost.high / 1e6,
            },
        })
        .collect();
    let plane_title = t(lang, "Kosteneffectiviteitsvlak", "Cost-effectiveness plane").to_string();
    let plane = svg::plane(
        &plane_title,
        &points,
        &format!(
            "{} ({first}–{last})",
            t(lang, "vermeden verwijzingen", "referrals avoided")
        ),
        t(
            lang,
            "extra kosten gemeente (mln euro)",
            "extra cost to the gemeente (million euro)",
        ),
        match lang {
            Lang::Nl => [
                "goedkoper en beter",
                "duurder en beter",
                "duurder en slechter",
                "goedkoper en slechter",
            ],
            Lang::En => [
                "cheaper and better",
                "costlier and better",
                "costlier and worse",
                "cheaper and worse",
            ],
        },
        lang,
    );
    vec![
        Section {
            title,
            sentence,
            svg: None,
            table: Some((header, table_rows)),
        },
        Section {
            title: plane_title,
            sentence: t(
                lang,
                "Elke stip is een variant (het nummer uit de tabel) met de 95%-intervallen van effect en kosten; rechtsonder is goedkoper en beter dan de basis.",
                "Each dot is a variant (its number in the table) with the 95% intervals of effect and cost; bottom right is cheaper and better than the base.",
            )
            .into(),
            svg: Some(plane),
            table: None,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, avoided: f64, cost: f64, same: bool) -> Row {
        let e = |m: f64| Est {
            mean: m,
            low: m - 1.0,
            high: m + 1.0,
        };
        Row {
            name: name.into(),
            label: name.into(),
            same_as_base: same,
            ce: CostEffect {
                cost: e(cost),
                avoided: e(avoided),
                ratio: e(cost / avoided),
                reading: String::new(),
            },
        }
    }

    #[test]
    fn cheaper_and_better_variants_are_ranked_on_both_and_duplicates_come_last() {
        let mut rows = vec![
            row("dup", 50.0, -9e6, true),
            row("small_saving", 20.0, -1.8e6, false),
            row("big_saving", 20.0, -3.6e6, false),
            row("at_a_cost_cheap", 30.0, 1e6, false),
            row("at_a_cost_dear", 30.0, 3e6, false),
            row("worse", -5.0, 1e6, false),
        ];
        rank(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            order,
            [
                "big_saving",
                "small_saving",
                "at_a_cost_cheap",
                "at_a_cost_dear",
                "worse",
                "dup"
            ]
        );
    }
}
