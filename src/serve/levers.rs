//! The levers of the what-if page, in one place: what each one sets in a
//! scenario, its labels, unit and the range the page offers (within the
//! valid range of docs/SCENARIOS.md; the scenario checks still decide
//! whether a value is valid). There is no parameter registry yet; this
//! list is the page's.

use serde::Serialize;
use serde_json::Value as Json;
use toml::Value;

/// How a lever's value is written into a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The dotted scenario key of the lever's id, from the start of the
    /// simulation (warm-up included).
    Key,
    /// A `[[simulation.changes]]` factor of this change lever from the first
    /// output year on (the baseline's own changes stay).
    Change(&'static str),
}

/// What kind of value a lever takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Switch,
    Number {
        min: f64,
        max: f64,
        step: f64,
    },
    /// One of the values, each with its Dutch and English label.
    Choice(&'static [(&'static str, &'static str, &'static str)]),
    /// A list of fractions (a cut per output year): at most `max_len`
    /// values, each in [0, `max`].
    Fractions {
        max: f64,
        max_len: usize,
    },
    /// Any subset of the values.
    Set(&'static [(&'static str, &'static str, &'static str)]),
}

#[derive(Debug, Clone, Copy)]
pub struct Lever {
    /// The name in requests and errors: the scenario key for `Target::Key`,
    /// the change lever's name for `Target::Change`.
    pub id: &'static str,
    pub target: Target,
    pub label_nl: &'static str,
    pub label_en: &'static str,
    pub unit_nl: &'static str,
    pub unit_en: &'static str,
    pub kind: Kind,
    /// The page shows value × this (1 for most, 100 for a share in %).
    pub scale: f64,
    /// The policy a baseline without it starts in the first output year
    /// when this lever switches it on (`simulation.introduced`).
    pub introduces: Option<&'static str>,
}

const MODELS: &[(&str, &str, &str)] = &[
    ("schotten", "schotten (gescheiden)", "schotten (separated)"),
    ("keten", "keten", "keten (chain)"),
    ("netwerk", "netwerk", "netwerk (network)"),
    ("integraal", "integraal", "integraal (integrated)"),
];

const CUT_LEVERS: &[(&str, &str, &str)] = &[
    ("wijkteam_fte", "wijkteam (fte)", "wijkteam (FTE)"),
    (
        "second_line_capacity",
        "capaciteit tweede lijn",
        "second-line capacity",
    ),
    (
        "verblijf_capacity",
        "plaatsen jeugdhulp met verblijf",
        "places of care with stay",
    ),
    ("dsav_hours", "DSAV-uren", "DSAV hours"),
    ("poh_coverage", "dekking POH-jeugd", "POH-jeugd coverage"),
    ("swv_arrangements", "SWV-arrangementen", "SWV arrangements"),
];

/// Every lever, in page order.
pub const LEVERS: &[Lever] = &[
    Lever {
        id: "dsav.enabled",
        target: Target::Key,
        label_nl: "DSAV: jeugdprofessional op school",
        label_en: "DSAV: youth specialist in schools",
        unit_nl: "",
        unit_en: "",
        kind: Kind::Switch,
        scale: 1.0,
        introduces: Some("dsav"),
    },
    Lever {
        id: "dsav.hours_per_school_week",
        target: Target::Key,
        label_nl: "DSAV-uren per school",
        label_en: "DSAV hours per school",
        unit_nl: "uur per schoolweek",
        unit_en: "hours per school week",
        kind: Kind::Number {
            min: 0.0,
            max: 10.0,
            step: 0.5,
        },
        scale: 1.0,
        introduces: None,
    },
    Lever {
        id: "huisarts.poh_coverage",
        target: Target::Key,
        label_nl: "Gezinnen met een POH-jeugd bij de huisarts",
        label_en: "Families whose huisarts has a POH-jeugd",
        unit_nl: "%",
        unit_en: "%",
        kind: Kind::Number {
            min: 0.0,
            max: 1.0,
            step: 0.05,
        },
        scale: 100.0,
        introduces: Some("poh"),
    },
    Lever {
        id: "wijkteam_fte",
        target: Target::Change("wijkteam_fte"),
        label_nl: "Formatie wijkteams",
        label_en: "Wijkteam staff",
        unit_nl: "% van de basis",
        unit_en: "% of the baseline",
        kind: Kind::Number {
            min: 0.5,
            max: 1.5,
            step: 0.05,
        },
        scale: 100.0,
        introduces: None,
    },
    Lever {
        id: "wijkteam.mandate",
        target: Target::Key,
        label_nl: "Wijkteam mag zelf verwijzen (mandaat)",
        label_en: "Wijkteam may refer itself (mandate)",
        unit_nl: "",
        unit_en: "",
        kind: Kind::Switch,
        scale: 1.0,
        introduces: None,
    },
    Lever {
        id: "collaboration.model",
        target: Target::Key,
        label_nl: "Samenwerking school en wijkteam",
        label_en: "Collaboration of school and wijkteam",
        unit_nl: "",
        unit_en: "",
        kind: Kind::Choice(MODELS),
        scale: 1.0,
        introduces: None,
    },
    Lever {
        id: "integraal.enabled",
        target: Target::Key,
        label_nl: "Integraal arrangeren (OT met wijkteam en gemeente)",
        label_en: "Integraal arrangeren (OT with wijkteam and gemeente)",
        unit_nl: "",
        unit_en: "",
        kind: Kind::Switch,
        scale: 1.0,
        introduces: Some("integraal"),
    },
    Lever {
        id: "second_line_capacity",
        target: Target::Change("second_line_capacity"),
        label_nl: "Capaciteit tweede lijn (onderzoek en behandeling)",
        label_en: "Second-line capacity (assessment and treatment)",
        unit_nl: "% van de basis",
        unit_en: "% of the baseline",
        kind: Kind::Number {
            min: 0.5,
            max: 1.5,
            step: 0.05,
        },
        scale: 100.0,
        introduces: None,
    },
    Lever {
        id: "verblijf_capacity",
        target: Target::Change("verblijf_capacity"),
        label_nl: "Plaatsen jeugdhulp met verblijf (bovenop de tweede lijn)",
        label_en: "Places of care with stay (on top of the second line)",
        unit_nl: "% van de basis",
        unit_en: "% of the baseline",
        kind: Kind::Number {
            min: 0.5,
            max: 1.5,
            step: 0.05,
        },
        scale: 100.0,
        introduces: None,
    },
    Lever {
        id: "budget.cut_schedule",
        target: Target::Key,
        label_nl: "Bezuiniging (oplopend per jaar)",
        label_en: "Budget cut (rising per year)",
        unit_nl: "%",
        unit_en: "%",
        kind: Kind::Fractions {
            max: 0.5,
            max_len: 10,
        },
        scale: 100.0,
        introduces: None,
    },
    Lever {
        id: "budget.cut_levers",
        target: Target::Key,
        label_nl: "De bezuiniging treft",
        label_en: "The cut reduces",
        unit_nl: "",
        unit_en: "",
        kind: Kind::Set(CUT_LEVERS),
        scale: 1.0,
        introduces: None,
    },
    Lever {
        id: "budget.hard_cap",
        target: Target::Key,
        label_nl: "Harde budgetgrens (behandelingen uitstellen)",
        label_en: "Hard budget cap (defer treatments)",
        unit_nl: "",
        unit_en: "",
        kind: Kind::Switch,
        scale: 1.0,
        introduces: None,
    },
];

/// The lever named `id`.
pub fn find(id: &str) -> Option<&'static Lever> {
    LEVERS.iter().find(|l| l.id == id)
}

/// The value at a dotted key path of a resolved scenario table.
pub fn get<'a>(table: &'a toml::Table, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = table.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_table()?.get(p)?;
    }
    Some(cur)
}

impl Lever {
    /// The lever's value in the resolved baseline (a change factor is 1:
    /// the baseline as it is).
    pub fn default_value(&self, base: &toml::Table) -> Option<Value> {
        match self.target {
            Target::Change(_) => Some(Value::Float(1.0)),
            Target::Key => get(base, self.id).cloned(),
        }
    }

    /// Converts a value from a request, checking its type and the page's
    /// range; the error names the lever and what it takes.
    pub fn parse(&self, v: &Json) -> Result<Value, String> {
        let id = self.id;
        match self.kind {
            Kind::Switch => v
                .as_bool()
                .map(Value::Boolean)
                .ok_or_else(|| format!("`{id}`: expected true or false, got {v}")),
            Kind::Number { min, max, .. } => {
                let x = v
                    .as_f64()
                    .ok_or_else(|| format!("`{id}`: expected a number, got {v}"))?;
                if !(min..=max).contains(&x) {
                    return Err(format!(
                        "`{id}`: {x} is outside the range this page offers, {min} to {max}; \
                         set it in a scenario file to go further (docs/SCENARIOS.md)"
                    ));
                }
                Ok(Value::Float(x))
            }
            Kind::Choice(options) => {
                let s = v.as_str().unwrap_or_default();
                if options.iter().any(|o| o.0 == s) {
                    Ok(Value::String(s.to_string()))
                } else {
                    Err(format!(
                        "`{id}`: expected one of {}, got {v}",
                        names(options)
                    ))
                }
            }
            Kind::Fractions { max, max_len } => {
                let items = v
                    .as_array()
                    .ok_or_else(|| format!("`{id}`: expected a list of fractions, got {v}"))?;
                if items.len() > max_len {
                    return Err(format!(
                        "`{id}`: {} values; this page takes at most {max_len}",
                        items.len()
                    ));
                }
                items
                    .iter()
                    .map(|x| match x.as_f64() {
                        Some(f) if (0.0..=max).contains(&f) => Ok(Value::Float(f)),
                        _ => Err(format!(
                            "`{id}`: every value must be a fraction from 0 to {max}, got {x}"
                        )),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            Kind::Set(options) => {
                let items = v
                    .as_array()
                    .ok_or_else(|| format!("`{id}`: expected a list, got {v}"))?;
                let mut out: Vec<Value> = Vec::new();
                for x in items {
                    match x.as_str() {
                        Some(s) if options.iter().any(|o| o.0 == s) => {
                            if !out.iter().any(|o| o.as_str() == Some(s)) {
                                out.push(Value::String(s.to_string()));
                            }
                        }
                        _ => {
                            return Err(format!(
                                "`{id}`: expected values from {}, got {x}",
                                names(options)
                            ));
                        }
                    }
                }
                Ok(Value::Array(out))
            }
        }
    }

    /// Whether `v` switches the lever's policy on.
    pub fn is_on(&self, v: &Value) -> bool {
        match v {
            Value::Boolean(b) => *b,
            Value::Float(x) => *x > 0.0,
            Value::Integer(i) => *i > 0,
            _ => false,
        }
    }
}

fn names(options: &[(&str, &str, &str)]) -> String {
    options
        .iter()
        .map(|o| format!("`{}`", o.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Two values are the same setting (numbers within rounding of a slider).
pub fn same(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Float(x) => Some(*x),
        Value::Integer(i) => Some(*i as f64),
        _ => None,
    };
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-9,
            _ => a == b,
        },
    }
}

/// A lever as the page shows it.
#[derive(Debug, Serialize)]
pub struct LeverView {
    pub id: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub kind: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: Option<f64>,
    pub scale: f64,
    pub max_len: Option<usize>,
    /// (value, label) of a choice or set.
    pub options: Vec<(&'static str, &'static str)>,
    pub default: Json,
}

/// The levers with labels in `nl` (or English) and the baseline's values.
pub fn views(base: &toml::Table, nl: bool) -> Vec<LeverView> {
    LEVERS
        .iter()
        .filter_map(|l| {
            let default = to_json(&l.default_value(base)?);
            let (kind, min, max, step, max_len, options) = match l.kind {
                Kind::Switch => ("switch", None, None, None, None, &[][..]),
                Kind::Number { min, max, step } => {
                    ("number", Some(min), Some(max), Some(step), None, &[][..])
                }
                Kind::Choice(o) => ("choice", None, None, None, None, o),
                Kind::Fractions { max, max_len } => (
                    "fractions",
                    Some(0.0),
                    Some(max),
                    None,
                    Some(max_len),
                    &[][..],
                ),
                Kind::Set(o) => ("set", None, None, None, None, o),
            };
            Some(LeverView {
                id: l.id,
                label: if nl { l.label_nl } else { l.label_en },
                unit: if nl { l.unit_nl } else { l.unit_en },
                kind,
                min,
                max,
                step,
                scale: l.scale,
                max_len,
                options: options
                    .iter()
                    .map(|o| (o.0, if nl { o.1 } else { o.2 }))
                    .collect(),
                default,
            })
        })
        .collect()
}

/// A TOML value as JSON (the values levers take).
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Boolean(b) => Json::Bool(*b),
        Value::Integer(i) => Json::from(*i),
        Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.clone()),
        Value::Array(a) => Json::Array(a.iter().map(to_json).collect()),
        _ => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lever_reads_its_default_from_a_resolved_scenario() {
        let l = crate::scenario::load(std::path::Path::new("scenarios/test-region.toml")).unwrap();
        let base: toml::Table = l.resolved_toml.parse().unwrap();
        for lever in LEVERS {
            let v = lever
                .default_value(&base)
                .unwrap_or_else(|| panic!("{} has no value in the baseline", lever.id));
            lever
                .parse(&to_json(&v))
                .unwrap_or_else(|e| panic!("baseline value of {} is refused: {e}", lever.id));
        }
        assert_eq!(views(&base, true).len(), LEVERS.len());
    }

    #[test]
    fn a_value_outside_the_page_range_names_the_lever() {
        let e = find("wijkteam_fte")
            .unwrap()
            .parse(&serde_json::json!(7.0))
            .unwrap_err();
        assert!(
            e.contains("`wijkteam_fte`") && e.contains("0.5 to 1.5"),
            "{e}"
        );
        let e = find("dsav.enabled")
            .unwrap()
            .parse(&serde_json::json!("yes"))
            .unwrap_err();
        assert!(e.contains("`dsav.enabled`"), "{e}");
        let e = find("budget.cut_levers")
            .unwrap()
            .parse(&serde_json::json!(["rm -rf"]))
            .unwrap_err();
        assert!(e.contains("`budget.cut_levers`"), "{e}");
    }
}
