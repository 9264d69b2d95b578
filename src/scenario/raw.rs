//! The scenario file as written: serde structs that reject unknown keys and
//! fill every omitted key with its documented default (docs/SCENARIOS.md).
//! Nothing here is checked beyond types; `validate` builds the checked
//! [`Scenario`](super::Scenario) from these.
//!
//! Every field of every struct here is declared once in
//! `registry/decl.rs` (path, unit, meaning, valid range, source, prior),
//! which takes each struct apart with an exhaustive destructuring: a field
//! added here without a declaration there is a compile error. Defaults are
//! read from these `Default` impls, never retyped (docs/SCENARIOS.md's key
//! tables are generated from the registry: `regiosim params --write-docs`).

use serde::{Deserialize, Serialize};

/// Values for severity levels 1 (light) to 4 (complex), in that order.
pub type PerLevel = [f64; 4];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SchoolType {
    PO,
    SBO,
    SO,
    VO,
    VSO,
    MBO,
}

impl SchoolType {
    pub const ALL: [SchoolType; 6] = [
        SchoolType::PO,
        SchoolType::SBO,
        SchoolType::SO,
        SchoolType::VO,
        SchoolType::VSO,
        SchoolType::MBO,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SchoolType::PO => "PO",
            SchoolType::SBO => "SBO",
            SchoolType::SO => "SO",
            SchoolType::VO => "VO",
            SchoolType::VSO => "VSO",
            SchoolType::MBO => "MBO",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One value per school type.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(non_snake_case)]
pub struct PerSchoolType {
    pub PO: f64,
    pub SBO: f64,
    pub SO: f64,
    pub VO: f64,
    pub VSO: f64,
    pub MBO: f64,
}

impl PerSchoolType {
    pub fn get(&self, t: SchoolType) -> f64 {
        match t {
            SchoolType::PO => self.PO,
            SchoolType::SBO => self.SBO,
            SchoolType::SO => self.SO,
            SchoolType::VO => self.VO,
            SchoolType::VSO => self.VSO,
            SchoolType::MBO => self.MBO,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Collaboration {
    Schotten,
    Keten,
    Netwerk,
    Integraal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Catchment {
    /// Students live in the school's own wijk.
    Wijk,
    /// Students live anywhere in the school's gemeente.
    Gemeente,
    /// Students live anywhere in the region.
    Region,
}

/// Policies that can be introduced at the first output year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    Dsav,
    Poh,
    Integraal,
}

/// What a `[[simulation.changes]]` entry changes from its year on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeLever {
    /// Policies, off before the year (as in `introduced`).
    Dsav,
    Poh,
    Integraal,
    /// Numeric levers, multiplied by `factor` from the year.
    WijkteamFte,
    SmwHours,
    SecondLineCapacity,
    /// Places of care with stay only (within `second_line_capacity`).
    VerblijfCapacity,
    DsavHours,
    PohCoverage,
    SwvArrangements,
    /// The hand-off preset of `model` from the year.
    Collaboration,
}

impl ChangeLever {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeLever::Dsav => "dsav",
            ChangeLever::Poh => "poh",
            ChangeLever::Integraal => "integraal",
            ChangeLever::WijkteamFte => "wijkteam_fte",
            ChangeLever::SmwHours => "smw_hours",
            ChangeLever::SecondLineCapacity => "second_line_capacity",
            ChangeLever::VerblijfCapacity => "verblijf_capacity",
            ChangeLever::DsavHours => "dsav_hours",
            ChangeLever::PohCoverage => "poh_coverage",
            ChangeLever::SwvArrangements => "swv_arrangements",
            ChangeLever::Collaboration => "collaboration",
        }
    }

    /// The policy this lever switches on, if it is one.
    pub fn policy(self) -> Option<Policy> {
        match self {
            ChangeLever::Dsav => Some(Policy::Dsav),
            ChangeLever::Poh => Some(Policy::Poh),
            ChangeLever::Integraal => Some(Policy::Integraal),
            _ => None,
        }
    }

    /// Whether the lever takes a `factor`.
    pub fn is_numeric(self) -> bool {
        self.policy().is_none() && self != ChangeLever::Collaboration
    }
}

/// A lever that changes from a calendar year on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub lever: ChangeLever,
    /// Calendar year (as `start_year`) from which the change holds.
    pub year: i32,
    /// For numeric levers: the multiplier from `year` on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// For `collaboration`: the model whose hand-off preset holds from `year` on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Collaboration>,
    /// Where the change holds: `gemeente:NAME`, `jeugdregio:NAME` or
    /// `school:NAME` (a `[[schools]]` group); none: the whole region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// `[[policies]]`: levers set for one gemeente or jeugdregio, replacing
/// the region's value there (docs/SCENARIOS.md, "Scoped levers").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScopedPolicy {
    /// `gemeente:NAME` or `jeugdregio:NAME`.
    pub scope: String,
    /// DSAV at the schools there (of `dsav.school_types`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dsav: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poh_coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integraal: Option<bool>,
    /// The wijkteam's mandate to refer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandate: Option<bool>,
    /// The collaboration model (its preset hand-off delay and loss).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collaboration: Option<Collaboration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lever {
    WijkteamFte,
    SecondLineCapacity,
    /// Places of care with stay only (within `second_line_capacity`).
    VerblijfCapacity,
    DsavHours,
    PohCoverage,
    SwvArrangements,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawScenario {
    pub name: String,
    pub description: String,
    /// The description in Dutch, for the report (`--lang nl`); the
    /// English one is used when it is empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description_nl: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    pub simulation: Simulation,
    pub region: Region,
    pub gemeenten: Vec<RawGemeente>,
    pub schools: Vec<RawSchoolGroup>,
    pub needs: Needs,
    pub signalling: Signalling,
    pub school_route: SchoolRoute,
    pub collaboration: CollaborationParams,
    pub wijkteam: Wijkteam,
    pub huisarts: Huisarts,
    pub dsav: Dsav,
    pub integraal: Integraal,
    pub second_line: SecondLine,
    pub thuiszitters: Thuiszitters,
    pub cohorts: Cohorts,
    pub costs: Costs,
    pub budget: Budget,
    pub routes: Routes,
    pub lost_information: LostInformation,
    pub verblijf: Verblijf,
    /// Multipliers that change over calendar years (docs/SCENARIOS.md,
    /// "Trends"); left out of the resolved text when none is given.
    #[serde(skip_serializing_if = "Trends::is_empty")]
    pub trends: Trends,
    /// Levers set per gemeente or jeugdregio.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<ScopedPolicy>,
}

/// One trend as written: calendar year (a TOML key, `"2015"`) to factor.
pub type TrendPoints = std::collections::BTreeMap<String, f64>;

/// `[trends]`: piecewise-linear multipliers over calendar years, each
/// given as points (`onset = { 2015 = 0.8, 2023 = 1.0 }`); constant
/// before the first point and after the last, 1 when absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Trends {
    /// Students per school (the yearly intake fills schools to their
    /// size times this factor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<TrendPoints>,
    /// Every onset hazard of needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onset: Option<TrendPoints>,
    /// The medians of ambulant second-line treatment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treatment_duration: Option<TrendPoints>,
    /// The median of care with stay (verblijf).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stay_duration: Option<TrendPoints>,
}

impl Trends {
    pub fn is_empty(&self) -> bool {
        self.population.is_none()
            && self.onset.is_none()
            && self.treatment_duration.is_none()
            && self.stay_duration.is_none()
    }

    /// Each trend with its key name.
    pub fn named(&self) -> [(&'static str, Option<&TrendPoints>); 4] {
        [
            ("population", self.population.as_ref()),
            ("onset", self.onset.as_ref()),
            ("treatment_duration", self.treatment_duration.as_ref()),
            ("stay_duration", self.stay_duration.as_ref()),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    pub years: u32,
    pub warmup_years: u32,
    pub start_year: i32,
    /// Policies that are off during the warm-up and start in the first
    /// output year (a policy being introduced, not one already in place).
    pub introduced: Vec<Policy>,
    /// Levers that change from a later year on (policies switched on,
    /// numeric levers multiplied, another collaboration model).
    pub changes: Vec<Change>,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            years: 10,
            warmup_years: 3,
            start_year: 2025,
            introduced: Vec::new(),
            changes: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Region {
    pub name: String,
    /// One pot for all gemeenten (Drechtsteden) instead of one per gemeente.
    pub pooled_budget: bool,
    /// The SWV budget for arrangements per year; 0: not limited.
    pub swv_budget_eur: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawGemeente {
    pub name: String,
    /// The jeugdregio this gemeente belongs to. Jeugdregio's are simulated
    /// as independent regions (own second line), in parallel.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jeugdregio: String,
    /// CBS gemeente code (`GM0268`), to match StatLine tables by code.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cbs_code: String,
    pub inhabitants: f64,
    pub youth_budget_eur: f64,
    pub wijken: Vec<RawWijk>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawWijk {
    pub name: String,
    /// Multiplier on the onset hazard of needs for students living here.
    pub risk: f64,
    /// Relative weight of this wijk when students of a gemeente- or
    /// region-wide school are given a home wijk.
    pub weight: f64,
    /// Wijkteam staff; when omitted, from `wijkteam.fte_per_1000_students`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wijkteam_fte: Option<f64>,
}

impl Default for RawWijk {
    fn default() -> Self {
        RawWijk {
            name: String::new(),
            risk: 1.0,
            weight: 1.0,
            wijkteam_fte: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawSchoolGroup {
    /// Name prefix; schools are numbered within the group.
    pub name: String,
    #[serde(rename = "type")]
    pub school_type: SchoolType,
    pub count: u32,
    /// Students per school.
    pub students: u32,
    /// Wijken the schools stand in (spread round-robin); empty: every wijk
    /// of `gemeente`, or of the region when `gemeente` is empty too.
    pub wijken: Vec<String>,
    pub gemeente: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catchment: Option<Catchment>,
    /// DSAV at this group's schools, whatever the region's `dsav.enabled`
    /// (a pilot); none: as the gemeente's policy or the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dsav: Option<bool>,
}

impl Default for RawSchoolGroup {
    fn default() -> Self {
        RawSchoolGroup {
            name: String::new(),
            school_type: SchoolType::PO,
            count: 1,
            students: 200,
            wijken: Vec::new(),
            gemeente: String::new(),
            catchment: None,
            dsav: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Needs {
    pub onset_per_year: PerSchoolType,
    pub onset_level_shares: PerLevel,
    pub escalation_per_year: [f64; 3],
    pub resolution_per_year: PerLevel,
    pub family_risk_sd: f64,
}

impl Default for Needs {
    fn default() -> Self {
        Needs {
            // Fitted to the CBS shares by school type (docs/CALIBRATION.md).
            onset_per_year: PerSchoolType {
                PO: 0.139,
                SBO: 1.55,
                SO: 2.76,
                VO: 0.109,
                VSO: 1.69,
                MBO: 0.108,
            },
            onset_level_shares: [0.65, 0.25, 0.08, 0.02],
            escalation_per_year: [0.6, 0.45, 0.25],
            resolution_per_year: [0.8, 0.25, 0.05, 0.0],
            family_risk_sd: 0.6,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Signalling {
    pub school_per_school_year: PerLevel,
    pub parents_per_year: PerLevel,
    pub gp_preference_mean: f64,
    pub jeugdarts_per_year: PerLevel,
    pub leerplicht_per_year: f64,
}

impl Default for Signalling {
    fn default() -> Self {
        Signalling {
            school_per_school_year: [0.8, 2.0, 4.0, 6.0],
            parents_per_year: [0.3, 0.9, 2.0, 3.0],
            gp_preference_mean: 0.35,
            // Raised in 0.5.0 with the jeugdarts route (DATA.md "Who
            // referred": the jeugdarts refers about 3%).
            jeugdarts_per_year: [0.05, 0.2, 0.4, 0.4],
            leerplicht_per_year: 6.0,
        }
    }
}

/// Routes to the second line besides the school, the wijkteam and the
/// huisarts, as CBS counts the referrer ("verwijzer", DATA.md "Who
/// referred"): youth protection (GI), the medisch specialist, the
/// jeugdarts, and care without a referrer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Routes {
    /// Court-ordered youth protection measures begun per 1,000 students a
    /// year (times the family risk): a separate inflow, whatever the
    /// student's need and care; it bypasses school and wijkteam.
    pub gi_per_1000_per_year: f64,
    /// The severity of the need at a court order (shares of levels 1-4);
    /// a need already more severe stays so.
    pub gi_level_shares: PerLevel,
    /// Hazard per year that an unmet need brings the youth to a medisch
    /// specialist (paediatrics, psychiatry), per level.
    pub specialist_per_year: PerLevel,
    /// Probability that the specialist refers to the second line, per level
    /// (else the need stays unmet).
    pub specialist_referral_prob: PerLevel,
    /// Probability that a jeugdarts who signals a need refers it directly,
    /// per level (else the case goes to the wijkteam, as before 0.5.0).
    pub jeugdarts_referral_prob: PerLevel,
    /// Hazard per year that parents go straight to free-access care or
    /// refer themselves, per level of an unmet need.
    pub self_referral_per_year: PerLevel,
}

impl Default for Routes {
    fn default() -> Self {
        Routes {
            // Fitted to the national shares of DATA.md "Who referred"
            // (docs/CALIBRATION.md).
            gi_per_1000_per_year: 5.2,
            gi_level_shares: [0.0, 0.0, 0.6, 0.4],
            specialist_per_year: [0.0, 0.35, 0.85, 1.2],
            specialist_referral_prob: [0.0, 0.3, 0.7, 0.8],
            jeugdarts_referral_prob: [0.0, 0.4, 0.8, 0.9],
            self_referral_per_year: [0.0, 0.42, 1.4, 2.1],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SchoolRoute {
    pub basisondersteuning_success: f64,
    pub ot_cadence_weeks: u32,
    pub smw_hours_per_week: f64,
    pub smw_success_per_hour: f64,
    pub swv_arrangement_prob: PerLevel,
    pub swv_arrangement_success: PerLevel,
    pub swv_arrangement_weeks: f64,
    /// Probability that the ondersteuningsteam, granting no arrangement,
    /// sends the parents to the huisarts instead of handing the case to
    /// the wijkteam.
    pub huisarts_share: f64,
}

impl Default for SchoolRoute {
    fn default() -> Self {
        SchoolRoute {
            basisondersteuning_success: 0.35,
            ot_cadence_weeks: 6,
            smw_hours_per_week: 1.5,
            smw_success_per_hour: 0.1,
            swv_arrangement_prob: [0.3, 0.35, 0.2, 0.1],
            swv_arrangement_success: [0.55, 0.4, 0.15, 0.05],
            swv_arrangement_weeks: 20.0,
            // Fitted with the routes to the huisarts's national 38.5%
            // (DATA.md "Who referred"; docs/CALIBRATION.md).
            huisarts_share: 0.6,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollaborationParams {
    pub model: Collaboration,
    /// Overrides the model's preset hand-off delay (days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handoff_delay_days: Option<f64>,
    /// Overrides the model's preset probability that a hand-off loses information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub information_loss: Option<f64>,
}

/// What information lost in a hand-off costs (its probability is the
/// collaboration model's `information_loss`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LostInformation {
    /// Days the hand-off takes longer (the story told again, the file
    /// rebuilt).
    pub delay_days: f64,
    /// How much the success of the first-line help that follows is lower
    /// (absolute, on a probability).
    pub success_penalty: f64,
}

impl Default for LostInformation {
    fn default() -> Self {
        LostInformation {
            delay_days: 14.0,
            success_penalty: 0.1,
        }
    }
}

impl Default for CollaborationParams {
    fn default() -> Self {
        CollaborationParams {
            model: Collaboration::Keten,
            handoff_delay_days: None,
            information_loss: None,
        }
    }
}

impl CollaborationParams {
    /// (hand-off delay in days, probability of information loss).
    pub fn effective(&self) -> (f64, f64) {
        let (d, l) = match self.model {
            Collaboration::Schotten => (35.0, 0.5),
            Collaboration::Keten => (21.0, 0.3),
            Collaboration::Netwerk => (10.0, 0.15),
            Collaboration::Integraal => (3.0, 0.05),
        };
        (
            self.handoff_delay_days.unwrap_or(d),
            self.information_loss.unwrap_or(l),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Wijkteam {
    pub fte_per_1000_students: f64,
    pub intakes_per_fte_per_week: f64,
    pub caseload_per_fte: f64,
    pub mandate: bool,
    pub mandate_handoff_days: f64,
    pub light_help_weeks: f64,
    pub light_help_success: PerLevel,
    pub max_light_level: u8,
    pub generalist_sessions: u32,
}

impl Default for Wijkteam {
    fn default() -> Self {
        Wijkteam {
            fte_per_1000_students: 1.2,
            intakes_per_fte_per_week: 2.0,
            caseload_per_fte: 16.0,
            mandate: true,
            mandate_handoff_days: 21.0,
            light_help_weeks: 12.0,
            light_help_success: [0.75, 0.55, 0.2, 0.05],
            max_light_level: 2,
            generalist_sessions: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Huisarts {
    pub consult_delay_days: f64,
    pub referral_prob: PerLevel,
    pub poh_coverage: f64,
    pub poh_weeks: f64,
    pub poh_success: PerLevel,
    /// Years over which POH coverage rises linearly to `poh_coverage` from
    /// its start; 0: full coverage at once.
    pub poh_rollout_years: u32,
    /// Inhabitants per huisarts practice, to count practices per gemeente.
    pub inhabitants_per_practice: f64,
    /// The huisarts tells the school about a referral (not the case in the seeds).
    pub informs_school: bool,
}

impl Default for Huisarts {
    fn default() -> Self {
        Huisarts {
            consult_delay_days: 7.0,
            referral_prob: [0.15, 0.65, 0.9, 0.95],
            poh_coverage: 0.0,
            poh_weeks: 6.0,
            // Fitted to AEF 2020's 40-50% not referred on, with the POH
            // seeing every severity (DATA.md "POH-jeugd"; Nijmegen with a
            // POH at every practice gives 0.47).
            poh_success: [0.3, 0.2, 0.05, 0.0],
            poh_rollout_years: 0,
            inhabitants_per_practice: 3_500.0,
            informs_school: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dsav {
    pub enabled: bool,
    pub hours_per_school_week: f64,
    /// Schools one specialist covers; specialists are employed whole.
    pub schools_per_specialist: f64,
    pub school_types: Vec<SchoolType>,
    pub detection_boost_per_hour: f64,
    pub intervention_success: PerLevel,
    pub intervention_weeks: f64,
    /// Probability that a need a DSAV intervention resolved is labelled
    /// and referred to the second line all the same (detection-induced
    /// demand).
    pub induced_referral_prob: f64,
    /// DSAV interventions one weekly specialist hour carries at once (the
    /// region's caseload limit; a full caseload sends the signal the usual
    /// school way).
    pub cases_per_hour: f64,
}

impl Default for Dsav {
    fn default() -> Self {
        Dsav {
            enabled: false,
            hours_per_school_week: 6.0,
            schools_per_specialist: 4.0,
            school_types: vec![SchoolType::PO, SchoolType::SBO, SchoolType::SO],
            detection_boost_per_hour: 0.25,
            intervention_success: [0.6, 0.45, 0.0, 0.0],
            intervention_weeks: 6.0,
            induced_referral_prob: 0.1,
            cases_per_hour: 0.5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Integraal {
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecondLine {
    pub assessments_per_week_per_1000: f64,
    pub treatment_slots_per_1000: f64,
    pub assessment_days: f64,
    pub treatment_median_days: PerLevel,
    pub treatment_sigma: f64,
    pub treatment_success: PerLevel,
    /// Added to the success chance when the school knows of the treatment.
    pub success_bonus_school_involved: f64,
    /// Assessment queue length (per 1,000 students) above which providers
    /// stop taking referrals; 0 disables the cliëntenstop.
    pub clientenstop_queue_per_1000: f64,
    pub bounce_back_days: f64,
    /// Planned load of the assessment list: capacity each year is last
    /// year's demand (arrivals x assessment days) / this; above 1 the list
    /// is held steady by the families who leave it. 0: fixed capacity
    /// from `assessments_per_week_per_1000` (docs/ODD.md, "Second line").
    pub target_utilisation: f64,
    /// The same for treatment places (arrivals x mean treatment days).
    pub treatment_target_utilisation: f64,
    /// Months of past demand (a trailing window, 1-12) that capacity
    /// follows, updated at each month's end: the delay of the rule.
    pub capacity_window_months: u32,
    /// Hazard per week of waiting that a family leaves a second-line list
    /// (goes elsewhere, gives up); the need stays unmet.
    pub dropout_per_week: f64,
    /// Level-4 (most severe) referrals go before the others on both lists.
    pub triage_urgent_first: bool,
    /// Escalation while on a second-line list, relative to an unmet need
    /// elsewhere: 1 (the model's default: a wait is unmet need), 0 (waits
    /// do not drive escalation: a structural alternative), above 1
    /// (waiting itself worsens the need).
    pub escalation_while_waiting: f64,
}

impl Default for SecondLine {
    fn default() -> Self {
        SecondLine {
            assessments_per_week_per_1000: 0.9,
            treatment_slots_per_1000: 34.0,
            assessment_days: 28.0,
            // Fitted to CBS's ended trajectories by length (DATA.md "How
            // long trajectories last"; docs/CALIBRATION.md).
            treatment_median_days: [60.0, 170.0, 280.0, 400.0],
            treatment_sigma: 0.95,
            treatment_success: [0.9, 0.8, 0.65, 0.45],
            success_bonus_school_involved: 0.05,
            clientenstop_queue_per_1000: 0.0,
            bounce_back_days: 56.0,
            target_utilisation: 1.12,
            treatment_target_utilisation: 1.05,
            capacity_window_months: 3,
            dropout_per_week: 0.02,
            triage_urgent_first: true,
            escalation_while_waiting: 1.0,
        }
    }
}

/// Care with stay (verblijf: residential care, foster care, gezinshuis):
/// a share of the treatments decided at assessment, with its own list,
/// places, duration and cost (docs/ODD.md, "Care with stay").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Verblijf {
    /// Chance, by need level at assessment, that the treatment needs stay.
    pub share: PerLevel,
    /// The same for a case referred by a GI (a court order), any level.
    pub share_court_order: f64,
    /// Median length of a stay (days) and the sd of its logarithm.
    pub median_days: f64,
    pub sigma: f64,
    /// Places per 1,000 students in the first model year (and with
    /// `target_utilisation` 0, always).
    pub places_per_1000: f64,
    /// Planned load of the places (arrivals x mean stay days over places).
    pub target_utilisation: f64,
    /// Hazard per week of waiting that a family leaves the verblijf list.
    pub dropout_per_week: f64,
    /// Level-4 needs go first on the verblijf list.
    pub triage_urgent_first: bool,
}

impl Default for Verblijf {
    fn default() -> Self {
        Verblijf {
            // Fitted: the four baselines pooled give DATA.md's one in ten
            // trajectories with stay (docs/CALIBRATION.md).
            share: [0.006, 0.0245, 0.073, 0.183],
            share_court_order: 0.38,
            median_days: 270.0,
            sigma: 0.8,
            places_per_1000: 4.0,
            target_utilisation: 1.05,
            dropout_per_week: 0.01,
            triage_urgent_first: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thuiszitters {
    pub leave_school_per_year: PerLevel,
}

impl Default for Thuiszitters {
    fn default() -> Self {
        Thuiszitters {
            leave_school_per_year: [0.0, 0.0, 0.12, 0.6],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Costs {
    pub wijkteam_fte_eur_per_year: f64,
    pub huisarts_consult_eur: f64,
    pub poh_trajectory_eur: f64,
    /// The POH-jeugd's yearly cost per practice that has one.
    pub poh_practice_eur_per_year: f64,
    pub swv_arrangement_eur_per_week: f64,
    pub dsav_eur_per_hour: f64,
    pub assessment_eur: f64,
    pub treatment_eur_per_day: PerLevel,
    /// Cost of a day of care with stay (any level).
    pub verblijf_eur_per_day: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            wijkteam_fte_eur_per_year: 75_000.0,
            huisarts_consult_eur: 35.0,
            poh_trajectory_eur: 450.0,
            poh_practice_eur_per_year: 15_000.0,
            swv_arrangement_eur_per_week: 120.0,
            dsav_eur_per_hour: 95.0,
            assessment_eur: 1_500.0,
            treatment_eur_per_day: [25.0, 45.0, 80.0, 150.0],
            verblijf_eur_per_day: 250.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Budget {
    /// Cumulative cut per output year (0.05 = 5% below the uncut level).
    pub cut_schedule: Vec<f64>,
    /// The levers the cut is applied to.
    pub cut_levers: Vec<Lever>,
    /// Defer second-line treatment starts while the paying pot is spent.
    pub hard_cap: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cohorts {
    /// Share of PO leavers with a severe or complex need (level >= 3) who go to VSO instead of VO.
    pub po_to_vso_if_severe: f64,
    /// Share of SBO leavers who go to VSO (the rest go to VO).
    pub sbo_to_vso: f64,
    /// Share of VO leavers who continue in MBO in the region.
    pub vo_to_mbo: f64,
    /// Share of VSO leavers who continue in MBO in the region.
    pub vso_to_mbo: f64,
}

impl Default for Cohorts {
    fn default() -> Self {
        Cohorts {
            po_to_vso_if_severe: 0.3,
            sbo_to_vso: 0.4,
            vo_to_mbo: 0.5,
            vso_to_mbo: 0.3,
        }
    }
}
