//! `[trends]`: multipliers over calendar years, checked and evaluated.
//! A trend is piecewise linear between its points, constant before the
//! first and after the last; without points it is 1 in every year.

use super::error::Problem;
use super::raw::{TrendPoints, Trends};

/// Calendar years a trend point may name.
pub const TREND_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;
/// A trend's factor lies in (0, `MAX_TREND_FACTOR`].
pub const MAX_TREND_FACTOR: f64 = 5.0;

/// One checked trend: (calendar year, factor), years strictly increasing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trend {
    points: Vec<(i32, f64)>,
}

impl Trend {
    /// The factor in calendar year `year` (1 without points).
    pub fn at(&self, year: i32) -> f64 {
        let Some(&(first_year, first)) = self.points.first() else {
            return 1.0;
        };
        if year <= first_year {
            return first;
        }
        for w in self.points.windows(2) {
            let ((y0, f0), (y1, f1)) = (w[0], w[1]);
            if year <= y1 {
                let t = f64::from(year - y0) / f64::from(y1 - y0);
                return f0 + t * (f1 - f0);
            }
        }
        self.points.last().map_or(1.0, |&(_, f)| f)
    }

    /// The largest factor of the trend (1 without points).
    pub fn max(&self) -> f64 {
        self.points
            .iter()
            .map(|&(_, f)| f)
            .fold(if self.points.is_empty() { 1.0 } else { 0.0 }, f64::max)
    }

    pub fn is_flat_one(&self) -> bool {
        self.points.iter().all(|&(_, f)| f == 1.0)
    }
}

/// The checked `[trends]` table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendSet {
    pub population: Trend,
    pub onset: Trend,
    pub treatment_duration: Trend,
    pub stay_duration: Trend,
}

/// Checks every trend: each key a calendar year in [`TREND_YEARS`], each
/// factor in (0, 5], at least one point.
pub fn check(raw: &Trends, problems: &mut Vec<Problem>) -> TrendSet {
    let mut one = |name: &str, points: Option<&TrendPoints>| -> Trend {
        let Some(points) = points else {
            return Trend::default();
        };
        let path = format!("trends.{name}");
        if points.is_empty() {
            problems.push(Problem {
                path: path.clone(),
                message: format!(
                    "has no points; give at least one, as `{name} = {{ 2015 = 0.8, 2023 = 1.0 }}`, or remove it"
                ),
            });
        }
        let mut out = Vec::new();
        for (key, &f) in points {
            let p = format!("{path}.{key}");
            let year = (key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()))
                .then(|| key.parse::<i32>().ok())
                .flatten()
                .filter(|y| TREND_YEARS.contains(y));
            match year {
                None => problems.push(Problem {
                    path: p.clone(),
                    message: format!(
                        "`{key}` is not a calendar year from {} to {}; a trend's keys are years, as `2015 = 0.8`",
                        TREND_YEARS.start(),
                        TREND_YEARS.end()
                    ),
                }),
                Some(y) => out.push((y, f)),
            }
            if !(f.is_finite() && f > 0.0 && f <= MAX_TREND_FACTOR) {
                problems.push(Problem {
                    path: p,
                    message: format!(
                        "a trend factor must lie in (0, {MAX_TREND_FACTOR}] (a multiplier of the scenario's value), got {f}"
                    ),
                });
            }
        }
        // Keys are sorted as text; four-digit years sort as numbers.
        out.sort_by_key(|&(y, _)| y);
        Trend { points: out }
    };
    TrendSet {
        population: one("population", raw.population.as_ref()),
        onset: one("onset", raw.onset.as_ref()),
        treatment_duration: one("treatment_duration", raw.treatment_duration.as_ref()),
        stay_duration: one("stay_duration", raw.stay_duration.as_ref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend(points: &[(i32, f64)]) -> Trend {
        Trend {
            points: points.to_vec(),
        }
    }

    #[test]
    fn a_trend_is_linear_between_points_and_constant_outside() {
        let t = trend(&[(2015, 0.8), (2023, 1.0)]);
        assert_eq!(t.at(2010), 0.8);
        assert_eq!(t.at(2015), 0.8);
        assert!((t.at(2019) - 0.9).abs() < 1e-12);
        assert_eq!(t.at(2023), 1.0);
        assert_eq!(t.at(2030), 1.0);
        assert_eq!(Trend::default().at(2020), 1.0);
    }

    #[test]
    fn a_trend_key_that_is_no_year_is_named() {
        let mut raw = Trends::default();
        let mut pts = TrendPoints::new();
        pts.insert("20x5".into(), 1.0);
        pts.insert("2015".into(), 9.0);
        raw.onset = Some(pts);
        let mut problems = Vec::new();
        check(&raw, &mut problems);
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["trends.onset.2015", "trends.onset.20x5"]);
    }
}
