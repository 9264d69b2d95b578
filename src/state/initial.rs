//! What a run takes from an observed state (`regiosim run --state DIR`):
//! per gemeente the youths to put in ambulant care, in care with stay and
//! in the wijkteams' light help, the youths on each waiting list with
//! their days waited, the budget, and the model year of the reference
//! date. The model
//! (`model::initial`) injects it at the start of that year.
//!
//! Rounded counts: the published value is used (a CBS count rounded to a
//! multiple of 5 is within ±2 of it: below 1% of any stock of 200 or more,
//! far inside the spread between replications), so the first output rows
//! show the figures the gemeente published. Suppressed cells: the known
//! part is used (a lower bound), and the summary of `check-state` says so.

use super::{CareForm, Date, ObservedState, Queue, StateError, StateProblem};
use crate::scenario::Scenario;

/// Youths waiting on one list of one gemeente.
#[derive(Debug, Clone, PartialEq)]
pub struct InitialList {
    pub queue: Queue,
    pub waiting: u64,
    /// `(from_days, to_days, youths)` bands of days already waited; empty
    /// when the file gives a whole-queue row.
    pub bands: Vec<(f64, f64, u64)>,
    /// The mean days waited of a whole-queue row (exponential around it);
    /// `None`: unknown, the youths join the list on the reference date.
    pub waited_days_mean: Option<f64>,
}

/// The starting figures of one gemeente (index into the scenario's
/// gemeenten).
#[derive(Debug, Clone, PartialEq)]
pub struct InitialGemeente {
    pub gemeente: usize,
    /// Youths in ambulant care (at a provider) on the reference date.
    pub ambulant: Option<u64>,
    /// Youths in care with stay.
    pub verblijf: Option<u64>,
    /// Mean duration (days) of completed trajectories, per form, where the
    /// state gives it: the law for the time already in care.
    pub ambulant_mean_days: Option<f64>,
    pub verblijf_mean_days: Option<f64>,
    pub lists: Vec<InitialList>,
    /// Youths in the wijkteams' light help: `gemeente.csv`'s
    /// `wijkteam_caseload`, else the light form of `jeugdhulp-vorm.csv`.
    pub light: Option<u64>,
    pub budget_eur: Option<f64>,
}

/// The state a run starts from.
#[derive(Debug, Clone, PartialEq)]
pub struct InitialState {
    pub reference_date: Date,
    /// Model year (0-based, warm-up included) whose start is the
    /// reference date.
    pub model_year: u32,
    pub gemeenten: Vec<InitialGemeente>,
}

impl InitialState {
    /// The figures a run injects, from a state loaded (and checked) for
    /// `sc`. A reference date other than 1 January is refused: the model
    /// sets a state at the start of a model year.
    pub fn from_observed(state: &ObservedState, sc: &Scenario) -> Result<InitialState, StateError> {
        let d = state.reference_date;
        if (d.month, d.day) != (1, 1) {
            return Err(StateError::Invalid {
                problems: vec![StateProblem {
                    file: state.dir.join(super::VORM_FILE),
                    line: 0,
                    column: 0,
                    message: format!(
                        "gives a reference date of {d} (a half year): a run starts from a state on 1 January only"
                    ),
                    fix: "download the year figures (period 2024JJ00 or 2024HJ02) for `--state`; `check-state` reads half years too".into(),
                }],
            });
        }
        let sim = &sc.simulation;
        let first = i64::from(sim.start_year) - i64::from(sim.warmup_years);
        // check-state has kept the date inside the simulated years.
        let model_year = (i64::from(d.year) - first).max(0) as u32;
        let known = |f: Option<&super::Figure>| f.and_then(|x| x.estimate).map(|e| e.value);
        let gemeenten = state
            .gemeenten
            .iter()
            .map(|g| InitialGemeente {
                gemeente: g.gemeente,
                ambulant: known(g.in_care(CareForm::Ambulant)),
                verblijf: known(g.in_care(CareForm::Verblijf)),
                ambulant_mean_days: g.completed_mean(CareForm::Ambulant),
                verblijf_mean_days: g.completed_mean(CareForm::Verblijf),
                lists: g
                    .waiting
                    .iter()
                    .map(|w| InitialList {
                        queue: w.queue,
                        waiting: w.waiting,
                        bands: w.bands.clone(),
                        waited_days_mean: if w.bands.is_empty() {
                            w.waited_days_mean
                        } else {
                            None
                        },
                    })
                    .collect(),
                light: g
                    .wijkteam_caseload
                    .as_ref()
                    .map(|(n, _)| *n)
                    .or(known(g.in_care(CareForm::Light))),
                budget_eur: g.budget_eur,
            })
            .collect();
        Ok(InitialState {
            reference_date: d,
            model_year,
            gemeenten,
        })
    }

    /// The figures of the gemeenten `global` (a jeugdregio's part of a
    /// scenario, see `model::partition`), renumbered 0, 1, ...
    pub fn subset(&self, global: &[usize]) -> InitialState {
        InitialState {
            reference_date: self.reference_date,
            model_year: self.model_year,
            gemeenten: global
                .iter()
                .enumerate()
                .filter_map(|(local, &g)| {
                    let mut x = self.gemeenten.iter().find(|x| x.gemeente == g)?.clone();
                    x.gemeente = local;
                    Some(x)
                })
                .collect(),
        }
    }

    /// A digest of every figure, for the experiment's fingerprint.
    pub fn digest(&self) -> String {
        crate::scenario::sha256_hex(format!("{self:?}").as_bytes())
    }
}
