//! What a scenario changes against the baseline, read from the resolved
//! scenario texts in the manifest, so the report can read each scenario for
//! what it is: a budget cut reads as a cut (waits, thuiszitters, budget),
//! a prevention lever as prevention.

use std::collections::BTreeSet;

/// What a scenario is, by the keys it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The baseline itself, or a scenario that changes nothing that matters.
    Same,
    /// A budget cut (`budget.cut_schedule` or the levers it cuts).
    Cut,
    /// Early help or detection: DSAV, POH-jeugd, integraal, wijkteam,
    /// school route, collaboration, signalling.
    Prevention,
    /// Second-line capacity, durations or other settings.
    Other,
}

/// Keys that describe a scenario and change nothing in the model.
const LABELS: [&str; 3] = ["name", "description", "description_nl"];

/// Tables (or keys) whose change makes a scenario a prevention scenario.
const PREVENTION: [&str; 9] = [
    "dsav",
    "integraal",
    "huisarts.poh_coverage",
    "huisarts.poh_success",
    "poh",
    "wijkteam",
    "school_route",
    "collaboration",
    "signalling",
];

/// The dotted keys whose values differ between two resolved scenarios
/// (arrays of tables compared as a whole, under their key).
pub fn changed_keys(base: &toml::Table, other: &toml::Table) -> Vec<String> {
    let mut out = BTreeSet::new();
    diff(base, other, "", &mut out);
    out.into_iter().collect()
}

fn diff(a: &toml::Table, b: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if prefix.is_empty() && LABELS.contains(&k.as_str()) {
            continue;
        }
        match (a.get(k), b.get(k)) {
            (Some(toml::Value::Table(x)), Some(toml::Value::Table(y))) => diff(x, y, &path, out),
            (x, y) if x != y => {
                out.insert(path);
            }
            _ => {}
        }
    }
}

/// The kind of a scenario from the keys it changes. A cut wins over
/// everything else: its effect on demand is never prevention.
pub fn kind(changed: &[String]) -> Kind {
    let under = |k: &str, p: &str| k == p || k.starts_with(&format!("{p}."));
    if changed.iter().any(|k| under(k, "budget")) {
        return Kind::Cut;
    }
    // Introducing a policy at a year changes nothing unless the policy is on.
    let rest: Vec<&String> = changed
        .iter()
        .filter(|k| !under(k, "simulation.introduced"))
        .collect();
    if rest.is_empty() {
        Kind::Same
    } else if rest.iter().any(|k| PREVENTION.iter().any(|p| under(k, p))) {
        Kind::Prevention
    } else {
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(s: &str) -> toml::Table {
        s.parse().unwrap()
    }

    #[test]
    fn a_cut_reads_as_a_cut_even_with_other_changes() {
        let base = table("name='a'\n[budget]\ncut_schedule=[]\n[dsav]\nenabled=false");
        let cut = table("name='b'\n[budget]\ncut_schedule=[0.05]\n[dsav]\nenabled=true");
        let keys = changed_keys(&base, &cut);
        assert_eq!(keys, ["budget.cut_schedule", "dsav.enabled"]);
        assert_eq!(kind(&keys), Kind::Cut);
    }

    #[test]
    fn levers_of_early_help_read_as_prevention_and_labels_do_not_count() {
        let base = table("name='a'\ndescription='x'\n[huisarts]\npoh_coverage=0.0");
        let poh = table("name='b'\ndescription='y'\n[huisarts]\npoh_coverage=1.0");
        assert_eq!(kind(&changed_keys(&base, &poh)), Kind::Prevention);
        let same = table("name='c'\ndescription_nl='z'\n[huisarts]\npoh_coverage=0.0");
        assert_eq!(kind(&changed_keys(&base, &same)), Kind::Same);
        let cap = table("name='d'\n[huisarts]\npoh_coverage=0.0\n[second_line]\nx=1");
        assert_eq!(kind(&changed_keys(&base, &cap)), Kind::Other);
    }
}
