//! An observed starting state a gemeente can load: youths in care by care
//! form with their time in care, waiting lists with time waited, this
//! year's inflow by route, budget and wijkteam caseload, read from CBS
//! StatLine CSV downloads and two small regiosim CSVs in one folder, and
//! checked against a scenario. docs/STATE.md describes every file and
//! column. `initial` turns a checked state into what a run starts from
//! (`regiosim run --state DIR`; the model injects it).

pub mod cbs;
mod check;
pub mod duration;
mod error;
pub mod initial;
mod summary;
mod tables;
mod waiting;

pub use cbs::{Date, Period};
pub use duration::{DurationLaw, draw_stock, remaining_given_elapsed};
pub use error::{StateError, StateProblem};
pub use initial::{InitialGemeente, InitialList, InitialState};
pub use summary::summary_text;

use crate::scenario::LoadedScenario;
use std::path::{Path, PathBuf};

/// The files of a state folder.
pub const VORM_FILE: &str = "jeugdhulp-vorm.csv";
pub const VERWIJZER_FILE: &str = "jeugdhulp-verwijzer.csv";
pub const JONGEREN_FILE: &str = "jongeren-jeugdhulp.csv";
pub const WAITING_FILE: &str = "wachtlijst.csv";
pub const GEMEENTE_FILE: &str = "gemeente.csv";
/// Every file a state folder may hold (the first is required).
pub const FILES: [&str; 5] = [
    VORM_FILE,
    VERWIJZER_FILE,
    JONGEREN_FILE,
    WAITING_FILE,
    GEMEENTE_FILE,
];

/// A count with the interval it is known to lie in: CBS rounds counts to
/// multiples of 5, so a published 1235 is a true count in [1233, 1237];
/// a sum of rounded cells carries the sum of their intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub value: u64,
    pub low: u64,
    pub high: u64,
}

impl Estimate {
    pub fn exact(value: u64) -> Estimate {
        Estimate {
            value,
            low: value,
            high: value,
        }
    }

    /// A count rounded to a multiple of 5: ±2 (never below 0).
    pub fn rounded(value: u64) -> Estimate {
        Estimate {
            value,
            low: value.saturating_sub(2),
            high: value + 2,
        }
    }

    pub fn is_exact(&self) -> bool {
        self.low == self.high
    }
}

impl std::ops::Add for Estimate {
    type Output = Estimate;

    fn add(self, o: Estimate) -> Estimate {
        Estimate {
            value: self.value + o.value,
            low: self.low + o.low,
            high: self.high + o.high,
        }
    }
}

/// Where a figure was read: file, line and column of its cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// One published figure (or a sum of cells) of one gemeente.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The known part; `None` when every cell of it is suppressed.
    pub estimate: Option<Estimate>,
    /// Cells of it that were suppressed (`.`): the true figure is then at
    /// least the estimate.
    pub suppressed_cells: usize,
    /// A cell of it is a preliminary figure (a `*` period or `Voorlopig`).
    pub preliminary: bool,
    /// The first cell it was read from.
    pub place: Place,
}

impl Figure {
    fn merge(&mut self, o: Figure) {
        self.estimate = match (self.estimate, o.estimate) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.suppressed_cells += o.suppressed_cells;
        self.preliminary |= o.preliminary;
    }

    /// True when the whole figure is known (no suppressed cell in it).
    pub fn is_complete(&self) -> bool {
        self.suppressed_cells == 0 && self.estimate.is_some()
    }
}

/// The care forms of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CareForm {
    /// Jeugdhulp without stay at a provider (ambulant, daghulp).
    Ambulant,
    /// Jeugdhulp with stay (verblijf: pleegzorg, gezinshuis, residential).
    Verblijf,
    /// Light help by the wijkteam or lokaal team.
    Light,
}

impl CareForm {
    pub const ALL: [CareForm; 3] = [CareForm::Ambulant, CareForm::Verblijf, CareForm::Light];

    pub fn as_str(self) -> &'static str {
        match self {
            CareForm::Ambulant => "ambulant",
            CareForm::Verblijf => "verblijf",
            CareForm::Light => "light (wijkteam)",
        }
    }
}

/// Who referred a started trajectory (CBS 85097NED's `Verwijzer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Route {
    /// Gemeentelijke toegang: wijkteam, jeugdteam, the gemeente.
    Gemeente,
    Huisarts,
    Jeugdarts,
    /// Gecertificeerde instelling (youth protection).
    Gi,
    MedischSpecialist,
    /// Rechter, Officier van Justitie.
    Court,
    /// No referrer, self-referral, other.
    Other,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Gemeente => "gemeente (wijkteam)",
            Route::Huisarts => "huisarts",
            Route::Jeugdarts => "jeugdarts",
            Route::Gi => "gecertificeerde instelling",
            Route::MedischSpecialist => "medisch specialist",
            Route::Court => "rechter / OvJ",
            Route::Other => "none / other",
        }
    }
}

/// The model's waiting lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Queue {
    WijkteamIntake,
    /// Intake and assessment at a provider.
    Assessment,
    /// From assessment to the start of ambulant treatment.
    Treatment,
    /// For a place with stay.
    Verblijf,
}

impl Queue {
    pub const ALL: [Queue; 4] = [
        Queue::WijkteamIntake,
        Queue::Assessment,
        Queue::Treatment,
        Queue::Verblijf,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Queue::WijkteamIntake => "wijkteam_intake",
            Queue::Assessment => "assessment",
            Queue::Treatment => "treatment",
            Queue::Verblijf => "verblijf",
        }
    }
}

/// Youths on one waiting list: by band of days waited, or with a mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub queue: Queue,
    pub waiting: u64,
    /// The mean days waited, where the file gives it (or bands imply it).
    pub waited_days_mean: Option<f64>,
    /// `(from_days, to_days, waiting)`: youths who have waited at least
    /// `from` and less than `to` days.
    pub bands: Vec<(f64, f64, u64)>,
    pub place: Place,
}

/// The observed state of one gemeente of the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct GemeenteState {
    /// Index into the scenario's `gemeenten`.
    pub gemeente: usize,
    pub name: String,
    /// Youths (trajectories) in care on the reference date, by form.
    pub in_care: Vec<(CareForm, Figure)>,
    /// CBS's `Totaal` row, where given (checked against the forms).
    pub in_care_total: Option<Figure>,
    /// Mean duration of ended trajectories (days) by form: the law of
    /// completed durations that left truncation needs.
    pub completed_mean_days: Vec<(CareForm, f64)>,
    /// Started trajectories by referrer in `inflow_period`.
    pub inflow: Vec<(Route, Figure)>,
    pub inflow_period: Option<Period>,
    /// CBS's `Totaal` of started trajectories, where given (checked
    /// against the referrers).
    pub inflow_total: Option<Figure>,
    pub youths_with_jeugdhulp: Option<Figure>,
    /// Share of youth with jeugdhulp, in percent.
    pub share_with_jeugdhulp_pct: Option<f64>,
    pub waiting: Vec<Waiting>,
    pub budget_eur: Option<f64>,
    /// Youths the wijkteams help on the reference date (registered as
    /// jeugdhulp or not), with the cell it was read from.
    pub wijkteam_caseload: Option<(u64, Place)>,
}

impl GemeenteState {
    pub fn in_care(&self, form: CareForm) -> Option<&Figure> {
        self.in_care
            .iter()
            .find(|(f, _)| *f == form)
            .map(|(_, x)| x)
    }

    /// The mean completed duration for a form: its own, else the mean
    /// over every form CBS gave one for.
    pub fn completed_mean(&self, form: CareForm) -> Option<f64> {
        self.completed_mean_days
            .iter()
            .find(|(f, _)| *f == form)
            .map(|(_, d)| *d)
    }

    /// What the suppressed cells of the forms hold together, from CBS's
    /// total: `[total.low - known.high, total.high - known.low]` (the
    /// rounding of every cell kept). `None` unless the total is known and
    /// some form cell is suppressed.
    pub fn suppressed_from_total(&self) -> Option<Estimate> {
        let t = self.in_care_total.as_ref()?.estimate?;
        if self.in_care.iter().all(|(_, x)| x.suppressed_cells == 0) {
            return None;
        }
        let known = self
            .in_care
            .iter()
            .filter_map(|(_, x)| x.estimate)
            .fold(Estimate::exact(0), |a, b| a + b);
        Some(Estimate {
            value: t.value.saturating_sub(known.value),
            low: t.low.saturating_sub(known.high),
            high: t.high.saturating_sub(known.low),
        })
    }

    /// A law of completed durations for `form`, lognormal with the
    /// published mean and the given sigma of the log; for
    /// [`draw_stock`] / [`remaining_given_elapsed`].
    pub fn duration_law(&self, form: CareForm, sigma: f64) -> Option<DurationLaw> {
        self.completed_mean(form)
            .map(|m| DurationLaw::lognormal_with_mean(m, sigma))
    }
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileInfo {
    pub name: &'static str,
    /// Every count in it is a multiple of 5: read as rounded (±2).
    pub rounded: bool,
    pub period: Option<Period>,
    pub rows: usize,
    /// Rows of earlier periods than the one used.
    pub rows_of_other_periods: usize,
}

/// The observed starting state of every gemeente of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedState {
    pub dir: PathBuf,
    /// The day the stock is counted on (the day after the vorm table's
    /// period: 2024JJ00 gives 2025-01-01).
    pub reference_date: Date,
    pub files: Vec<FileInfo>,
    /// In the scenario's gemeente order.
    pub gemeenten: Vec<GemeenteState>,
}

/// Loads the state folder `dir` and checks it against `sc`.
pub fn load(dir: &Path, sc: &LoadedScenario) -> Result<ObservedState, StateError> {
    let sc = &sc.scenario;
    let whole = |message: String, fix: String| StateError::Invalid {
        problems: vec![StateProblem {
            file: dir.to_path_buf(),
            line: 0,
            column: 0,
            message,
            fix,
        }],
    };
    if !dir.is_dir() {
        return Err(whole(
            "is not a folder".into(),
            format!(
                "name the folder that holds {VORM_FILE} and the other state files (docs/STATE.md)"
            ),
        ));
    }
    check::unknown_files(dir)?;
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let mut gemeenten: Vec<GemeenteState> = sc
        .gemeenten
        .iter()
        .enumerate()
        .map(|(i, g)| GemeenteState {
            gemeente: i,
            name: g.name.clone(),
            in_care: Vec::new(),
            in_care_total: None,
            completed_mean_days: Vec::new(),
            inflow: Vec::new(),
            inflow_period: None,
            inflow_total: None,
            youths_with_jeugdhulp: None,
            share_with_jeugdhulp_pct: None,
            waiting: Vec::new(),
            budget_eur: None,
            wijkteam_caseload: None,
        })
        .collect();
    let vorm_path = dir.join(VORM_FILE);
    if !vorm_path.exists() {
        return Err(whole(
            format!("has no {VORM_FILE}, the required table of youths in care by care form"),
            format!(
                "download CBS table 84134NED (jeugdhulptrajecten by vorm, per gemeente) as CSV and save it as {VORM_FILE}; docs/STATE.md shows how"
            ),
        ));
    }
    let mut reference = None;
    let mut run =
        |name: &'static str,
         f: &mut dyn FnMut(&cbs::Table) -> Result<FileInfo, Vec<StateProblem>>| {
            let path = dir.join(name);
            if !path.exists() {
                return;
            }
            match cbs::read(&path) {
                Ok(t) => match f(&t) {
                    Ok(info) => files.push(info),
                    Err(p) => problems.extend(p),
                },
                Err(StateError::Invalid { problems: p }) => problems.extend(p),
                Err(e) => problems.push(StateProblem {
                    file: path,
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                    fix: "make the file readable".into(),
                }),
            }
        };
    run(VORM_FILE, &mut |t| {
        let info = tables::read_vorm(t, sc, &mut gemeenten)?;
        reference = info.period.map(|p| p.day_after());
        Ok(info)
    });
    run(VERWIJZER_FILE, &mut |t| {
        tables::read_verwijzer(t, sc, &mut gemeenten)
    });
    run(JONGEREN_FILE, &mut |t| {
        tables::read_jongeren(t, sc, &mut gemeenten)
    });
    run(WAITING_FILE, &mut |t| {
        waiting::read_waiting(t, sc, &mut gemeenten)
    });
    run(GEMEENTE_FILE, &mut |t| {
        waiting::read_gemeente(t, sc, &mut gemeenten)
    });
    if !problems.is_empty() {
        return Err(StateError::Invalid { problems });
    }
    let Some(reference_date) = reference else {
        return Err(whole(
            format!("{VORM_FILE} has no rows"),
            "add one row per gemeente and care form".into(),
        ));
    };
    let state = ObservedState {
        dir: dir.to_path_buf(),
        reference_date,
        files,
        gemeenten,
    };
    check::consistency(&state, sc)?;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_counts_carry_two_either_side_and_sums_widen() {
        let a = Estimate::rounded(1235);
        assert_eq!((a.low, a.high), (1233, 1237));
        assert_eq!(Estimate::rounded(0).low, 0, "never below zero");
        let sum = [1235, 165, 95, 850]
            .into_iter()
            .map(Estimate::rounded)
            .fold(Estimate::exact(0), |a, b| a + b);
        assert_eq!((sum.value, sum.low, sum.high), (2345, 2337, 2353));
        assert!(Estimate::exact(7).is_exact() && !a.is_exact());
    }

    #[test]
    fn suppressed_cells_are_recovered_from_the_total_as_an_interval() {
        let place = Place {
            file: "v.csv".into(),
            line: 2,
            column: 1,
        };
        let fig = |v: Option<u64>| Figure {
            estimate: v.map(Estimate::rounded),
            suppressed_cells: usize::from(v.is_none()),
            preliminary: false,
            place: place.clone(),
        };
        let mut known = fig(Some(1650));
        known.merge(fig(None));
        let g = GemeenteState {
            gemeente: 0,
            name: "Nijmegen".into(),
            in_care: vec![
                (CareForm::Ambulant, known),
                (CareForm::Light, fig(Some(850))),
            ],
            in_care_total: Some(fig(Some(2600))),
            completed_mean_days: vec![(CareForm::Ambulant, 300.0)],
            inflow: Vec::new(),
            inflow_period: None,
            inflow_total: None,
            youths_with_jeugdhulp: None,
            share_with_jeugdhulp_pct: None,
            waiting: Vec::new(),
            budget_eur: None,
            wijkteam_caseload: None,
        };
        let s = g.suppressed_from_total().unwrap();
        assert_eq!((s.value, s.low, s.high), (100, 94, 106));
        assert!(!g.in_care(CareForm::Ambulant).unwrap().is_complete());
        // The law for left truncation has the published mean.
        let law = g.duration_law(CareForm::Ambulant, 0.9).unwrap();
        assert!((law.mean() - 300.0).abs() < 1e-9);
        assert!(g.duration_law(CareForm::Verblijf, 0.9).is_none());
    }
}
