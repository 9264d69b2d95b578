//! Levers scoped where policy is made: `[[policies]]` per gemeente or
//! jeugdregio, `scope` on `[[simulation.changes]]`, `dsav` on
//! `[[schools]]`. Names are checked here; a scope stays a name (not an
//! index), so it survives the split of a scenario into jeugdregio's.

use super::error::{Problem, did_you_mean};
use super::raw::{ChangeLever, Collaboration, RawScenario};
use super::validate::{Gemeente, SchoolGroup};

/// Where a scoped lever holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRef<'a> {
    Jeugdregio(&'a str),
    Gemeente(&'a str),
    School(&'a str),
}

impl<'a> ScopeRef<'a> {
    /// `kind:NAME`; none for any other text.
    pub fn parse(text: &'a str) -> Option<Self> {
        let (kind, name) = text.split_once(':')?;
        match kind {
            "jeugdregio" => Some(ScopeRef::Jeugdregio(name)),
            "gemeente" => Some(ScopeRef::Gemeente(name)),
            "school" => Some(ScopeRef::School(name)),
            _ => None,
        }
    }

    /// How specific the scope is: the most specific that covers a place
    /// wins (region 0, jeugdregio 1, gemeente 2, school group 3).
    pub fn rank(self) -> u8 {
        match self {
            ScopeRef::Jeugdregio(_) => 1,
            ScopeRef::Gemeente(_) => 2,
            ScopeRef::School(_) => 3,
        }
    }
}

/// The rank of an optional scope text (0: the whole region).
pub fn rank_of(scope: Option<&str>) -> u8 {
    scope.and_then(ScopeRef::parse).map_or(0, ScopeRef::rank)
}

/// Levers of one gemeente that replace the region's (none: the region's).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocalPolicy {
    pub dsav: Option<bool>,
    pub poh_coverage: Option<f64>,
    pub integraal: Option<bool>,
    pub mandate: Option<bool>,
    pub collaboration: Option<Collaboration>,
}

fn unknown(kind: &str, name: &str, known: &[&str]) -> String {
    let hint = did_you_mean(name, known.iter().copied())
        .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
    format!("unknown {kind} `{name}`{hint}")
}

/// Checks `scope` (`kind:NAME`, the name defined in the scenario);
/// returns it parsed when it is good.
fn check_scope<'a>(
    problems: &mut Vec<Problem>,
    path: &str,
    text: &'a str,
    gemeenten: &[Gemeente],
    jeugdregios: &[String],
    groups: &[SchoolGroup],
) -> Option<ScopeRef<'a>> {
    let mut add = |message: String| {
        problems.push(Problem {
            path: path.to_string(),
            message,
        })
    };
    let Some(scope) = ScopeRef::parse(text) else {
        add(format!(
            "`{text}` is not a scope; write `gemeente:NAME`, `jeugdregio:NAME` or `school:NAME`"
        ));
        return None;
    };
    let (kind, name, known): (&str, &str, Vec<&str>) = match scope {
        ScopeRef::Gemeente(n) => (
            "gemeente",
            n,
            gemeenten.iter().map(|g| g.name.as_str()).collect(),
        ),
        ScopeRef::Jeugdregio(n) => (
            "jeugdregio",
            n,
            jeugdregios
                .iter()
                .map(String::as_str)
                .filter(|j| !j.is_empty())
                .collect(),
        ),
        ScopeRef::School(n) => (
            "school group",
            n,
            groups.iter().map(|g| g.name.as_str()).collect(),
        ),
    };
    if known.contains(&name) {
        Some(scope)
    } else {
        let defined = match scope {
            ScopeRef::Gemeente(_) => "define it under [[gemeenten]]",
            ScopeRef::Jeugdregio(_) => "name it as a gemeente's `jeugdregio`",
            ScopeRef::School(_) => "name a [[schools]] group",
        };
        add(format!("{}; {defined}", unknown(kind, name, &known)));
        None
    }
}

/// Whether `lever` can be set for a `scope`: school groups carry their
/// DSAV and school social work; the second line (its places with stay
/// too) is one per jeugdregio.
fn fits(lever: ChangeLever, scope: ScopeRef) -> Result<(), &'static str> {
    use ChangeLever::*;
    match (scope, lever) {
        (ScopeRef::School(_), Dsav | DsavHours | SmwHours) => Ok(()),
        (ScopeRef::School(_), _) => Err(
            "acts on a gemeente, not a school group: scope it to `gemeente:` or `jeugdregio:` (a school group takes `dsav`, `dsav_hours` and `smw_hours`)",
        ),
        (ScopeRef::Gemeente(_), SecondLineCapacity | VerblijfCapacity) => Err(
            "is one per jeugdregio (the second line is shared by its gemeenten): scope it to `jeugdregio:`",
        ),
        _ => Ok(()),
    }
}

/// Checks the scoped levers and writes each gemeente's `policy`.
pub fn check(
    problems: &mut Vec<Problem>,
    raw: &RawScenario,
    gemeenten: &mut [Gemeente],
    jeugdregios: &[String],
    groups: &[SchoolGroup],
) {
    for (i, ch) in raw.simulation.changes.iter().enumerate() {
        let Some(text) = &ch.scope else { continue };
        let path = format!("simulation.changes[{i}].scope");
        if let Some(scope) = check_scope(problems, &path, text, gemeenten, jeugdregios, groups)
            && let Err(why) = fits(ch.lever, scope)
        {
            problems.push(Problem {
                path,
                message: format!("`{}` {why}", ch.lever.as_str()),
            });
        }
    }
    for (i, g) in raw.schools.iter().enumerate() {
        if g.dsav == Some(true) && !raw.dsav.school_types.contains(&g.school_type) {
            problems.push(Problem {
                path: format!("schools[{i}].dsav"),
                message: format!(
                    "DSAV works at the types in `dsav.school_types`, not at {}; add \"{}\" there",
                    g.school_type.as_str(),
                    g.school_type.as_str()
                ),
            });
        }
    }
    // Jeugdregio entries first, then gemeente entries over them.
    let mut resolved: Vec<(LocalPolicy, LocalPolicy)> = vec![Default::default(); gemeenten.len()];
    for (i, p) in raw.policies.iter().enumerate() {
        let path = format!("policies[{i}]");
        if let Some(v) = p.poh_coverage
            && !(v.is_finite() && (0.0..=1.0).contains(&v))
        {
            problems.push(Problem {
                path: format!("{path}.poh_coverage"),
                message: format!("is a share of practices and must lie in [0, 1], got {v}"),
            });
        }
        if raw.policies[..i].iter().any(|o| o.scope == p.scope) {
            problems.push(Problem {
                path: format!("{path}.scope"),
                message: format!("`{}` has two [[policies]] entries; merge them", p.scope),
            });
        }
        let scope_path = format!("{path}.scope");
        let Some(scope) = check_scope(
            problems,
            &scope_path,
            &p.scope,
            gemeenten,
            jeugdregios,
            groups,
        ) else {
            continue;
        };
        for (g, gem) in gemeenten.iter().enumerate() {
            let target = match scope {
                ScopeRef::Gemeente(n) if gem.name == n => &mut resolved[g].1,
                ScopeRef::Jeugdregio(n) if jeugdregios[gem.jeugdregio] == n => &mut resolved[g].0,
                ScopeRef::School(_) => {
                    problems.push(Problem {
                        path: scope_path.clone(),
                        message: "[[policies]] are per gemeente or jeugdregio; a school group's DSAV is `dsav` in its [[schools]] entry".into(),
                    });
                    break;
                }
                _ => continue,
            };
            *target = LocalPolicy {
                dsav: p.dsav,
                poh_coverage: p.poh_coverage,
                integraal: p.integraal,
                mandate: p.mandate,
                collaboration: p.collaboration,
            };
        }
    }
    for (gem, (jr, own)) in gemeenten.iter_mut().zip(resolved) {
        gem.policy = LocalPolicy {
            dsav: own.dsav.or(jr.dsav),
            poh_coverage: own.poh_coverage.or(jr.poh_coverage),
            integraal: own.integraal.or(jr.integraal),
            mandate: own.mandate.or(jr.mandate),
            collaboration: own.collaboration.or(jr.collaboration),
        };
    }
}
