//! The in-sample calibration targets of DESIGN §3 and DATA.md and their
//! evaluation on the four seed regions' history from 2015 to 2023
//! (docs/CALIBRATION.md): each baseline run from 2015 with the national
//! trends of `scenarios/nijmegen-2015.toml`. Used by `examples/calibrate.rs`
//! (the fit) and the calibration test (the check).

use crate::model::{GEMEENTE_ROUTES, ReplicationResult, Route, YearAcc, run_replication};
use crate::output::stats::{Summary, summarise};
use crate::scenario::{self, LoadedScenario, SchoolType};
use rayon::prelude::*;
use std::path::Path;

/// The seed-region baselines, in `scenarios/`.
pub const REGIONS: [&str; 4] = [
    "oost-achterhoek.toml",
    "deventer.toml",
    "drechtsteden.toml",
    "nijmegen.toml",
];

/// The history the targets are measured on: 2015 to 2023, with the trends
/// of this scenario (its `[trends]` table) set on every region.
pub const HISTORY: &str = "nijmegen-2015.toml";
/// First calendar year of the history.
pub const HISTORY_START: i32 = 2015;
/// Its output years: 2015 to 2023.
pub const HISTORY_YEARS: usize = 9;
/// The years whose figures stand for "now" (CBS 2021 routes, "roughly the
/// same in 2023"): route shares, stay, waits and the huisarts share are
/// pooled over them.
pub const RECENT_YEARS: std::ops::RangeInclusive<i32> = 2021..=2023;

/// Share of students with jeugdhulp in a year (CBS 2016, seed 000 §1.1),
/// measured in 2016.
/// VO: the 15-year-old shares by track (vwo 6%, vmbo-b/k 14%, PrO 27%;
/// vmbo-g/t 10% and havo 8% interpolated) weighted by 2022/23 enrolment.
pub const TARGET_SHARES: [(SchoolType, f64); 5] = [
    (SchoolType::PO, 0.10),
    (SchoolType::SBO, 0.47),
    (SchoolType::SO, 0.58),
    (SchoolType::VO, 0.097),
    (SchoolType::VSO, 0.60),
];
/// All youth with jeugdhulp in 2016 (seed 000 §1.1).
pub const TARGET_ALL: f64 = 0.11;
/// Share of youth with jeugdhulp by calendar year (CBS; DATA.md "Use of
/// jeugdhulp"; 2023: CBS 85098NED), and whether the fit uses it: 2016 (via
/// the shares by school type and [`TARGET_ALL`]) and 2023 are fitted; 2015,
/// 2019 and 2021 are held out (the onset trend is flat up to 2016 and
/// linear from 2016 to 2023).
pub const TARGET_USE: [(i32, f64, bool); 5] = [
    (2015, 0.10, false),
    (2016, 0.11, true),
    (2019, 0.125, false),
    (2021, 0.133, false),
    (2023, 0.135, true),
];
/// Deventer's mean wait from referral to assessment, in days: weeks long,
/// longer than the national mean of about 6 weeks (DATA.md "Waiting") and
/// stationary; 6 to 13 weeks. Seed 000 §4.4 reports four months to three
/// quarters of a year (schools' accounts); a list that long is not
/// stationary in the model (docs/CALIBRATION.md).
pub const TARGET_DEVENTER_WAIT: (f64, f64) = (42.0, 91.0);
/// About half of referrals via the huisarts (Zwijndrecht, seed 000 §5.5).
pub const TARGET_GP_SHARE: f64 = 0.5;
/// Who referred started jeugdhulp trajectories nationally (CBS 85097NED,
/// 2021; DATA.md "Who referred"): the four baselines pooled. The metric
/// `share_via_<name>` of each.
pub const TARGET_ROUTE_SHARES: [(&str, f64); 6] = [
    ("huisarts", 0.385),
    ("gemeente", 0.308),
    ("gi", 0.08),
    ("medisch_specialist", 0.05),
    ("jeugdarts", 0.03),
    ("other", 0.147),
];

/// Share of started trajectories with stay (verblijf), the four baselines
/// pooled: about one in ten (DATA.md "Care with stay").
pub const TARGET_SHARE_VERBLIJF: f64 = 0.10;

/// The referral counts of the routes of [`TARGET_ROUTE_SHARES`], in its order.
fn route_counts(acc: &YearAcc) -> [f64; 6] {
    let r = |route: Route| acc.referrals[route as usize] as f64;
    [
        r(Route::Huisarts),
        GEMEENTE_ROUTES.iter().map(|&g| r(g)).sum(),
        r(Route::Gi),
        r(Route::MedischSpecialist),
        r(Route::Jeugdarts),
        r(Route::Other),
    ]
}

/// The calibrated parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// `needs.onset_per_year` for PO, SBO, SO, VO, VSO, MBO: the 2023 level
    /// (the baselines run at it).
    pub onset: [f64; 6],
    /// The onset trend's factor up to 2016 (`trends.onset` of [`HISTORY`];
    /// 1 from 2023 on, linear between).
    pub onset_2016: f64,
    /// The rest of [`HISTORY`]'s `[trends]` (durations, population: from
    /// DATA.md, not fitted).
    pub trends: toml::Table,
    /// Deventer's `second_line.target_utilisation`.
    pub deventer_utilisation: f64,
    /// Drechtsteden's `signalling.parents_per_year` (parents who seek help
    /// sooner, most of them at the huisarts).
    pub drechtsteden_parents: [f64; 4],
}

/// Model values of the targets: mean and 95% CI over replications.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub share_by_type: [Summary; 6],
    pub share_all: Summary,
    pub deventer_wait: Summary,
    pub drechtsteden_gp_share: Summary,
    /// Share of all students with jeugdhulp in each year of [`TARGET_USE`].
    pub use_by_year: [Summary; 5],
    /// Users in 2021 over users in 2015 (DATA.md: about +21%).
    pub users_2021_over_2015: Summary,
    /// Shares of referrals by referrer, the four baselines pooled, in the
    /// order of [`TARGET_ROUTE_SHARES`].
    pub route_shares: [Summary; 6],
    /// Share of second-line starts with stay, the four baselines pooled.
    pub share_verblijf: Summary,
}

impl Fit {
    /// The values the shipped scenarios use now.
    pub fn current(dir: &Path) -> Result<Fit, scenario::ScenarioError> {
        let nijmegen = scenario::load(&dir.join("nijmegen.toml"))?.scenario;
        let deventer = scenario::load(&dir.join("deventer.toml"))?.scenario;
        let drecht = scenario::load(&dir.join("drechtsteden.toml"))?.scenario;
        let o = &nijmegen.params.needs.onset_per_year;
        let history = dir.join(HISTORY);
        let text =
            std::fs::read_to_string(&history).map_err(|source| scenario::ScenarioError::Io {
                path: history.clone(),
                source,
            })?;
        let mut trends = toml::from_str::<toml::Table>(&text)
            .ok()
            .and_then(|t| t.get("trends").and_then(|v| v.as_table()).cloned())
            .unwrap_or_default();
        let onset = trends.remove("onset");
        let factor = |year: &str| {
            onset
                .as_ref()
                .and_then(|t| t.get(year))
                .and_then(|v| v.as_float())
                .unwrap_or(1.0)
        };
        Ok(Fit {
            onset: SchoolType::ALL.map(|t| o.get(t)),
            onset_2016: factor("2016"),
            trends,
            deventer_utilisation: deventer.params.second_line.target_utilisation,
            drechtsteden_parents: drecht.params.signalling.parents_per_year,
        })
    }

    fn overrides(&self, region: &str) -> Vec<(String, toml::Value)> {
        let mut onset = toml::Table::new();
        for t in SchoolType::ALL {
            onset.insert(t.as_str().into(), self.onset[t.index()].into());
        }
        let mut trends = self.trends.clone();
        let mut points = toml::Table::new();
        points.insert("2016".into(), self.onset_2016.into());
        points.insert("2023".into(), 1.0.into());
        trends.insert("onset".into(), toml::Value::Table(points));
        let mut v = vec![
            (
                "needs.onset_per_year".to_string(),
                toml::Value::Table(onset),
            ),
            (
                "simulation.start_year".to_string(),
                i64::from(HISTORY_START).into(),
            ),
            (
                "simulation.years".to_string(),
                (HISTORY_YEARS as i64).into(),
            ),
            ("trends".to_string(), toml::Value::Table(trends)),
        ];
        if region == "deventer.toml" {
            v.push((
                "second_line.target_utilisation".into(),
                self.deventer_utilisation.into(),
            ));
        }
        if region == "drechtsteden.toml" {
            let rates = self
                .drechtsteden_parents
                .iter()
                .map(|&x| toml::Value::from(x))
                .collect();
            v.push((
                "signalling.parents_per_year".into(),
                toml::Value::Array(rates),
            ));
        }
        v
    }
}

/// The accounts of the calendar years `years` of a history run, pooled over
/// gemeenten.
fn pooled(r: &ReplicationResult, years: &std::ops::RangeInclusive<i32>) -> YearAcc {
    let mut acc = YearAcc::default();
    for (i, year) in r.years.iter().enumerate() {
        if years.contains(&(HISTORY_START + i as i32)) {
            for g in year {
                acc.add(g);
            }
        }
    }
    acc
}

/// (helped, students) by school type in calendar year `year` of a history run.
fn by_type(r: &ReplicationResult, year: i32) -> ([u64; 6], [u64; 6]) {
    let (mut helped, mut students) = ([0u64; 6], [0u64; 6]);
    if let Some(y) = r.by_type.get((year - HISTORY_START) as usize) {
        for t in 0..6 {
            helped[t] += y[t].helped;
            students[t] += y[t].students;
        }
    }
    (helped, students)
}

fn ratio(a: u64, b: u64) -> f64 {
    a as f64 / b.max(1) as f64
}

/// Runs every region's history (2015-2023) `replications` times with the
/// fitted values and computes the targets per replication, pooled over
/// regions: the shares by school type in 2016, the use in each year of
/// [`TARGET_USE`], the rest over [`RECENT_YEARS`].
pub fn evaluate(
    dir: &Path,
    fit: &Fit,
    replications: u32,
    seed: u64,
) -> Result<Evaluation, scenario::ScenarioError> {
    let scenarios: Vec<LoadedScenario> = REGIONS
        .iter()
        .map(|r| scenario::load_with(&dir.join(r), &fit.overrides(r)))
        .collect::<Result<_, _>>()?;
    let units: Vec<(usize, u32)> = (0..REGIONS.len())
        .flat_map(|s| (0..replications).map(move |r| (s, r)))
        .collect();
    let results: Vec<ReplicationResult> = units
        .par_iter()
        .map(|&(s, r)| run_replication(&scenarios[s].scenario, seed, r, &mut |_| {}))
        .collect();
    let mut shares = vec![[0.0; 6]; replications as usize];
    let mut all = Vec::new();
    let mut use_by_year = vec![Vec::new(); TARGET_USE.len()];
    let mut growth = Vec::new();
    let mut wait = Vec::new();
    let mut gp = Vec::new();
    let mut routes = Vec::new();
    let mut stay = Vec::new();
    for r in 0..replications as usize {
        let runs: Vec<&ReplicationResult> = (0..REGIONS.len())
            .map(|s| &results[s * replications as usize + r])
            .collect();
        let year_totals = |year: i32| {
            let (mut h, mut n) = ([0u64; 6], [0u64; 6]);
            for res in &runs {
                let (a, b) = by_type(res, year);
                for t in 0..6 {
                    h[t] += a[t];
                    n[t] += b[t];
                }
            }
            (h, n)
        };
        let (helped, students) = year_totals(2016);
        for t in 0..6 {
            shares[r][t] = ratio(helped[t], students[t]);
        }
        all.push(ratio(helped.iter().sum(), students.iter().sum()));
        for (i, &(year, _, _)) in TARGET_USE.iter().enumerate() {
            let (h, n) = year_totals(year);
            use_by_year[i].push(ratio(h.iter().sum(), n.iter().sum()));
        }
        let (u15, u21) = (year_totals(2015).0, year_totals(2021).0);
        growth.push(ratio(u21.iter().sum(), u15.iter().sum()));
        let mut counts = [0.0; 6];
        let (mut starts, mut stays) = (0u64, 0u64);
        for (s, res) in runs.iter().enumerate() {
            let acc = pooled(res, &RECENT_YEARS);
            starts += acc.second_line_starts;
            stays += acc.starts_verblijf;
            for (c, x) in counts.iter_mut().zip(route_counts(&acc)) {
                *c += x;
            }
            if REGIONS[s] == "deventer.toml" {
                let w = &acc.wait_assessment;
                wait.push(w.iter().map(|&x| f64::from(x)).sum::<f64>() / w.len().max(1) as f64);
            }
            if REGIONS[s] == "drechtsteden.toml" {
                let total: u64 = acc.referrals.iter().sum();
                gp.push(ratio(acc.referrals[Route::Huisarts as usize], total));
            }
        }
        // The six referrers cover every route.
        let total: f64 = counts.iter().sum();
        routes.push(counts.map(|c| c / total.max(1.0)));
        stay.push(ratio(stays, starts));
    }
    let column = |rows: &[[f64; 6]], i: usize| rows.iter().map(|x| x[i]).collect::<Vec<_>>();
    Ok(Evaluation {
        share_by_type: std::array::from_fn(|t| summarise(&column(&shares, t), 0.95)),
        share_all: summarise(&all, 0.95),
        use_by_year: std::array::from_fn(|i| summarise(&use_by_year[i], 0.95)),
        users_2021_over_2015: summarise(&growth, 0.95),
        deventer_wait: summarise(&wait, 0.95),
        drechtsteden_gp_share: summarise(&gp, 0.95),
        route_shares: std::array::from_fn(|i| summarise(&column(&routes, i), 0.95)),
        share_verblijf: summarise(&stay, 0.95),
    })
}
