//! The registry of metrics: every column of `runs.csv` after the keys
//! (name, unit, meaning, Dutch and English label), in column order.
//! [`metric_names`](super::metric_names) and the report's labels derive
//! from it, and docs/SCENARIOS.md's metric table is generated from it.

use super::metrics::{BANDS, LINES, ROUTES};

/// One metric of `runs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSpec {
    pub name: String,
    pub unit: &'static str,
    pub meaning: String,
    /// Labels for tables and charts, in Dutch and in English.
    pub nl: String,
    pub en: String,
}

fn m(name: &str, unit: &'static str, nl: &str, en: &str, meaning: &str) -> MetricSpec {
    MetricSpec {
        name: name.to_string(),
        unit,
        meaning: meaning.to_string(),
        nl: nl.to_string(),
        en: en.to_string(),
    }
}

/// A route's name as a label (`medisch_specialist`: medisch specialist).
fn route_label(route: &str) -> String {
    route.replace('_', " ")
}

/// A cost line's label: (Dutch, English).
fn line_label(line: &str) -> (&'static str, &'static str) {
    match line {
        "wijkteam" => ("wijkteam", "wijkteam"),
        "second_line" => ("tweede lijn", "second line"),
        "dsav" => ("DSAV", "DSAV"),
        "poh" => ("POH-jeugd", "POH-jeugd"),
        "swv" => (
            "SWV-arrangementen (betaalt het SWV)",
            "SWV arrangements (paid by the SWV)",
        ),
        _ => (
            "huisarts (betaalt de zorgverzekeraar)",
            "huisarts (paid by the insurer)",
        ),
    }
}

/// Every metric, in the column order of `runs.csv`.
pub fn metric_specs() -> Vec<MetricSpec> {
    let mut out = vec![
        m(
            "students",
            "students",
            "leerlingen",
            "students",
            "students enrolled at the start of the year (by home gemeente)",
        ),
        m(
            "youth_care_share",
            "share",
            "aandeel met jeugdhulp",
            "share with youth care",
            "share of students who received jeugdhulp during the year (wijkteam light help, DSAV intervention, second-line assessment or treatment)",
        ),
        m(
            "light_help_starts",
            "episodes",
            "starts lichte hulp",
            "light help starts",
            "wijkteam light-help episodes started",
        ),
        m(
            "second_line_referrals",
            "referrals",
            "verwijzingen",
            "referrals",
            "referrals to the second line",
        ),
        m(
            "second_line_referrals_per_1000",
            "per 1,000 students",
            "verwijzingen per 1.000",
            "referrals per 1,000",
            "referrals to the second line per 1,000 students",
        ),
        m(
            "share_via_huisarts",
            "share",
            "huisarts",
            "huisarts",
            "share of the year's referrals made by the huisarts (parents → huisarts, or the OT's advice → huisarts)",
        ),
        m(
            "share_via_wijkteam",
            "share",
            "wijkteam",
            "wijkteam",
            "share of the year's referrals from parents, jeugdarts or leerplicht through the wijkteam",
        ),
        m(
            "share_via_school",
            "share",
            "school",
            "school",
            "share of the year's referrals signalled by the school (and referred through the wijkteam)",
        ),
        m(
            "share_via_integraal",
            "share",
            "integraal",
            "integraal",
            "share of the year's referrals decided at an integraal meeting",
        ),
        m(
            "share_via_gemeente",
            "share",
            "gemeente",
            "gemeente",
            "share of the year's referrals by the gemeentelijke toegang (`school` + `wijkteam` + `integraal`), as CBS counts the referrer",
        ),
        m(
            "share_via_gi",
            "share",
            "GI",
            "GI",
            "share of the year's referrals by a court order (youth protection)",
        ),
        m(
            "share_via_medisch_specialist",
            "share",
            "medisch specialist",
            "medical specialist",
            "share of the year's referrals by a medisch specialist",
        ),
        m(
            "share_via_jeugdarts",
            "share",
            "jeugdarts",
            "jeugdarts",
            "share of the year's referrals by the jeugdarts directly",
        ),
        m(
            "share_via_other",
            "share",
            "geen verwijzer",
            "no referrer",
            "share of the year's referrals without a referrer (free access, self-referral); with the five above it sums to 1",
        ),
        m(
            "second_line_starts",
            "treatments",
            "starts tweede lijn",
            "second-line starts",
            "second-line treatments started",
        ),
        m(
            "wait_intake_days_mean",
            "days",
            "wachttijd intake wijkteam",
            "wijkteam intake wait",
            "mean days from arrival at the wijkteam to its intake (no Treeknorm applies: the Treeknorm's 4 weeks run from the referral to the care provider's intake, `wait_assessment_days_*`)",
        ),
        m(
            "wait_intake_days_p90",
            "days",
            "wachttijd intake wijkteam (p90)",
            "wijkteam intake wait (p90)",
            "90th percentile of the days from arrival at the wijkteam to its intake",
        ),
        m(
            "wait_light_help_days_mean",
            "days",
            "wachttijd lichte hulp",
            "light help wait",
            "mean days from intake to light help (caseload full)",
        ),
        m(
            "wait_assessment_days_mean",
            "days",
            "wachttijd tot aanbieder",
            "wait to the provider",
            "mean days from referral to the second line's intake and assessment start (Treeknorm: at most 4 weeks)",
        ),
        m(
            "wait_assessment_days_p90",
            "days",
            "wachttijd tot aanbieder (p90)",
            "wait to the provider (p90)",
            "90th percentile of the days from referral to assessment start",
        ),
        m(
            "wait_treatment_days_mean",
            "days",
            "wachttijd tot behandeling",
            "wait to treatment",
            "mean days from assessment end to the start of ambulant treatment (Treeknorm: 10 weeks from intake to treatment); care with stay has its own list, `wait_verblijf_days_mean`",
        ),
        m(
            "wait_treatment_days_p90",
            "days",
            "wachttijd tot behandeling (p90)",
            "wait to treatment (p90)",
            "90th percentile of the days from assessment end to ambulant treatment",
        ),
        m(
            "severity_at_first_help_mean",
            "level",
            "ernst bij eerste hulp",
            "severity at first help",
            "mean level at the first help of a case",
        ),
        m(
            "handoffs_per_case_mean",
            "per case",
            "overdrachten per casus",
            "hand-offs per case",
            "hand-offs per case closed in the year",
        ),
        m(
            "stories_told_per_case_mean",
            "per case",
            "keren verhaal verteld",
            "stories told per case",
            "times the family told its story, per case closed in the year",
        ),
        m(
            "thuiszitters",
            "students",
            "thuiszitters",
            "thuiszitters",
            "students out of school 3+ months in the year",
        ),
        m(
            "thuiszitters_per_1000",
            "per 1,000 students",
            "thuiszitters per 1.000",
            "thuiszitters per 1,000",
            "students out of school 3+ months in the year, per 1,000 students",
        ),
        m(
            "clientenstop_bounces",
            "referrals",
            "cliëntenstops",
            "cliëntenstop bounces",
            "referrals bounced by a cliëntenstop",
        ),
        m(
            "cost_total_eur",
            "EUR",
            "kosten totaal",
            "total cost",
            "costs of every budget line, all payers",
        ),
    ];
    for (line, _) in LINES {
        let (nl, en) = line_label(line);
        out.push(m(
            &format!("cost_{line}_eur"),
            "EUR",
            nl,
            en,
            &format!(
                "costs of the `{line}` budget line ({})",
                match line {
                    "swv" => "paid by the SWV",
                    "huisarts" => "paid by health insurance",
                    _ => "paid by the gemeente",
                }
            ),
        ));
    }
    out.extend([
        m("budget_eur", "EUR", "jeugdbudget", "youth budget", "youth budget after cuts"),
        m("budget_balance_eur", "EUR", "saldo jeugdbudget", "youth budget balance", "budget − gemeente-paid costs (negative: overspend)"),
        m("swv_budget_eur", "EUR", "SWV-budget", "SWV budget", "the SWV budget (shared over areas by students)"),
        m("swv_balance_eur", "EUR", "saldo SWV", "SWV balance", "SWV budget − SWV arrangement costs"),
        m("treatment_starts_deferred", "treatments", "uitgestelde starts", "deferred starts", "treatment starts the hard cap deferred to the next year"),
        m("waiting_list_dropouts", "families", "uitval wachtlijst", "waiting-list dropouts", "families who left the assessment or treatment list before being seen (`second_line.dropout_per_week`)"),
    ]);
    for (_, band) in BANDS {
        out.push(m(
            &format!("trajectory_share_{band}"),
            "share",
            &format!("trajecten {}", band.replace('_', "-")),
            &format!("trajectories {}", band.replace('_', "-")),
            &format!(
                "share of the second-line treatments started in the year lasting `{band}`, in CBS's bands (DATA.md \"How long trajectories last\"); the length is the one drawn at the start, so in a stationary baseline it stands for the length of ended trajectories"
            ),
        ));
    }
    for (what, nl, en, meaning) in [
        (
            "cases",
            "casussen via",
            "cases via",
            "cases closed on the route",
        ),
        (
            "referrals",
            "verwijzingen via",
            "referrals via",
            "referrals the route made",
        ),
        (
            "resolved_before_referral",
            "opgelost zonder verwijzing via",
            "resolved before referral via",
            "needs resolved on the route before any referral",
        ),
    ] {
        for (route, _) in ROUTES {
            let r = route_label(route);
            out.push(m(
                &format!("{what}_via_{route}"),
                "count",
                &format!("{nl} {r}"),
                &format!("{en} {r}"),
                &format!("{meaning} (`{route}`)"),
            ));
        }
    }
    out.extend([
        m("time_to_first_help_days_mean", "days", "tijd tot eerste hulp", "time to first help", "days from the signal that opened a case to its first help, over cases first helped in the year"),
        m("poh_trajectories", "youths", "POH-trajecten", "POH trajectories", "youths who began a POH-jeugd trajectory"),
        m("poh_not_referred_share", "share", "POH: niet doorverwezen", "POH: not referred on", "share of the POH's youths the huisarts did not refer after it (AEF 2020: 40–50%)"),
        m("dsav_refusals", "signals", "DSAV vol", "DSAV refusals", "level 1–2 school signals DSAV turned away because its caseload was full"),
        m("starts_ambulant", "treatments", "starts ambulant", "ambulant starts", "second-line treatments started without stay"),
        m("starts_verblijf", "treatments", "starts verblijf", "starts with stay", "second-line treatments started with stay (`[verblijf]`)"),
        m("caseload_ambulant", "treatments", "in zorg ambulant (31 dec)", "in ambulant care (31 Dec)", "ambulant treatments under way on 31 December of the year"),
        m("caseload_verblijf", "treatments", "in zorg verblijf (31 dec)", "in care with stay (31 Dec)", "treatments with stay under way on 31 December of the year"),
        m("cost_ambulant_eur", "EUR", "kosten ambulant", "ambulant cost", "assessments and ambulant treatment days (part of `cost_second_line_eur`)"),
        m("cost_verblijf_eur", "EUR", "kosten verblijf", "cost of stay", "days of stay (`costs.verblijf_eur_per_day`; part of `cost_second_line_eur`)"),
        m("wait_verblijf_days_mean", "days", "wachttijd verblijf", "wait for stay", "days from assessment end to the start of the stay (the verblijf list)"),
        m("share_verblijf", "share", "aandeel verblijf", "share with stay", "share of the year's second-line starts with stay"),
    ]);
    out
}

/// The label of metric `name` in Dutch (`nl`) or English; the name itself
/// for a metric without a spec.
pub fn metric_label(name: &str, nl: bool) -> String {
    metric_specs()
        .into_iter()
        .find(|s| s.name == name)
        .map_or_else(|| name.to_string(), |s| if nl { s.nl } else { s.en })
}

/// The metrics as a markdown table (name, unit, meaning, labels).
pub fn metrics_markdown() -> String {
    let mut out = String::from(
        "| metric | unit | meaning | label (nl) | label (en) |\n|---|---|---|---|---|\n",
    );
    for s in metric_specs() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            s.name, s.unit, s.meaning, s.nl, s.en
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names_are_unique_and_each_has_labels() {
        let specs = metric_specs();
        for (i, s) in specs.iter().enumerate() {
            assert!(specs[..i].iter().all(|o| o.name != s.name), "{}", s.name);
            assert!(!s.nl.is_empty() && !s.en.is_empty() && !s.meaning.is_empty());
        }
    }
}
