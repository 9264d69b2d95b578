//! The leave-one-target-out check: does the rest of the data predict each
//! target? For target k, the history-matching region is rebuilt from
//! every target but k (the same waves and emulators, k's implausibility
//! ignored), and k's last emulator predicts the observation over that
//! region: at each point u a normal with the emulator's mean and the
//! variance of the implausibility's denominator (emulator, observation and
//! one run's Monte Carlo variance), mixed over uniform points of the box
//! that the other targets leave in. A target whose observation lies
//! outside the mixture's 90% interval is one the other targets and the
//! model do not reproduce: a tension between the data, or a structural
//! gap. No simulator runs are spent. Without waves there are no emulators
//! and the check is left empty.

use super::design::{self, Purpose};
use super::history::Region;
use rayon::prelude::*;

/// Uniform points per batch, and how many batches at most: batches are
/// drawn until every target has `ENOUGH` points left in its region.
const BATCH: usize = 4000;
const MAX_BATCHES: usize = 10;
const ENOUGH: usize = 400;

/// One target's check.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldOut {
    /// Points tried, kept by all targets, kept by all but this one.
    pub tried: usize,
    pub kept_all: usize,
    pub kept_without: usize,
    /// The predictive mixture's mean, sd, 5% and 95% quantiles (NaN when
    /// no point is kept or the target has no emulator).
    pub mean: f64,
    pub sd: f64,
    pub p05: f64,
    pub p95: f64,
    /// The observation's place in the predictive distribution (0..1).
    pub percentile: f64,
}

impl HoldOut {
    fn empty(tried: usize, kept_all: usize, kept_without: usize) -> HoldOut {
        HoldOut {
            tried,
            kept_all,
            kept_without,
            mean: f64::NAN,
            sd: f64::NAN,
            p05: f64::NAN,
            p95: f64::NAN,
            percentile: f64::NAN,
        }
    }

    /// Whether the observation lies inside the 90% predictive interval.
    pub fn covered(&self) -> Option<bool> {
        self.percentile
            .is_finite()
            .then(|| (0.05..=0.95).contains(&self.percentile))
    }
}

/// The standard normal distribution function.
fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The distribution function at `x` of an equal-weight mixture of normals
/// (mean, sd); a component with sd 0 is a point mass.
fn mixture_cdf(components: &[(f64, f64)], x: f64) -> f64 {
    components
        .iter()
        .map(|&(m, s)| {
            if s > 0.0 {
                phi((x - m) / s)
            } else {
                f64::from(u8::from(x >= m))
            }
        })
        .sum::<f64>()
        / components.len() as f64
}

/// The p-quantile of an equal-weight mixture of normals, by bisection.
fn mixture_quantile(components: &[(f64, f64)], p: f64) -> f64 {
    let mut lo = components
        .iter()
        .map(|&(m, s)| m - 10.0 * s)
        .fold(f64::INFINITY, f64::min);
    let mut hi = components
        .iter()
        .map(|&(m, s)| m + 10.0 * s)
        .fold(f64::NEG_INFINITY, f64::max);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mixture_cdf(components, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The check for every target of `region`, whose parameter box has `k`
/// dimensions; points from the calibration's `seed`, work on `pool`.
pub fn check(region: &Region, k: usize, seed: u64, pool: &rayon::ThreadPool) -> Vec<HoldOut> {
    let n_targets = region.targets();
    if region.waves.iter().all(|w| w.emulators.is_empty()) {
        return vec![HoldOut::empty(0, 0, 0); n_targets];
    }
    // Per point: the targets that rule it out.
    let mut points: Vec<(Vec<f64>, Vec<usize>)> = Vec::new();
    for batch in 0..MAX_BATCHES {
        let mut rng = design::stream(seed, Purpose::HoldOut, batch as u64);
        let us: Vec<Vec<f64>> = (0..BATCH)
            .map(|_| (0..k).map(|_| rng.uniform()).collect())
            .collect();
        let ruling: Vec<Vec<usize>> =
            pool.install(|| us.par_iter().map(|u| region.ruling_targets(u)).collect());
        points.extend(us.into_iter().zip(ruling));
        let fewest = (0..n_targets)
            .map(|t| kept_without(&points, t).count())
            .min()
            .unwrap_or(0);
        if fewest >= ENOUGH {
            break;
        }
    }
    let tried = points.len();
    let kept_all = points.iter().filter(|(_, r)| r.is_empty()).count();
    let targets: Vec<usize> = (0..n_targets).collect();
    pool.install(|| {
        targets
            .par_iter()
            .map(|&t| predict(region, t, &points, tried, kept_all))
            .collect()
    })
}

/// The points no target but `t` rules out.
fn kept_without(points: &[(Vec<f64>, Vec<usize>)], t: usize) -> impl Iterator<Item = &Vec<f64>> {
    points
        .iter()
        .filter(move |(_, r)| r.iter().all(|&x| x == t))
        .map(|(u, _)| u)
}

/// What the other targets predict for target `t`.
fn predict(
    region: &Region,
    t: usize,
    points: &[(Vec<f64>, Vec<usize>)],
    tried: usize,
    kept_all: usize,
) -> HoldOut {
    let kept: Vec<&Vec<f64>> = kept_without(points, t).collect();
    let emulator = region
        .waves
        .iter()
        .rev()
        .filter_map(|w| w.emulators.get(t))
        .find_map(|e| e.gp.as_ref().map(|gp| (gp, e.var_mc)));
    let Some((gp, var_mc)) = emulator.filter(|_| !kept.is_empty()) else {
        return HoldOut::empty(tried, kept_all, kept.len());
    };
    let (observed, var_obs, mc_factor) = region.observation(t);
    let components: Vec<(f64, f64)> = kept
        .iter()
        .map(|u| {
            let (m, v) = gp.predict(u);
            (m, (v + var_obs + mc_factor * var_mc).max(0.0).sqrt())
        })
        .collect();
    let n = components.len() as f64;
    let mean = components.iter().map(|c| c.0).sum::<f64>() / n;
    let var = components
        .iter()
        .map(|&(m, s)| s * s + (m - mean) * (m - mean))
        .sum::<f64>()
        / n;
    HoldOut {
        tried,
        kept_all,
        kept_without: kept.len(),
        mean,
        sd: var.sqrt(),
        p05: mixture_quantile(&components, 0.05),
        p95: mixture_quantile(&components, 0.95),
        percentile: mixture_cdf(&components, observed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quantiles_of_one_normal_are_its_own() {
        let q = mixture_quantile(&[(2.0, 0.5)], 0.95);
        assert!((q - (2.0 + 1.644_853_6 * 0.5)).abs() < 1e-6, "{q}");
        let q = mixture_quantile(&[(2.0, 0.5)], 0.05);
        assert!((q - (2.0 - 1.644_853_6 * 0.5)).abs() < 1e-6, "{q}");
    }

    #[test]
    fn an_equal_mixture_of_two_far_normals_has_its_quartiles_at_their_means() {
        let m = mixture_quantile(&[(-10.0, 1.0), (10.0, 1.0)], 0.25);
        assert!((m + 10.0).abs() < 1e-6, "{m}");
        let m = mixture_quantile(&[(-10.0, 1.0), (10.0, 1.0)], 0.75);
        assert!((m - 10.0).abs() < 1e-6, "{m}");
        assert!((phi(0.0) - 0.5).abs() < 1e-15);
        assert!((phi(1.959_963_985) - 0.975).abs() < 1e-9);
    }

    /// One parameter u, two targets that both measure u itself, emulated
    /// from 12 exact runs.
    fn region_of(observed: [f64; 2]) -> Region {
        use super::super::emulator::Gp;
        use super::super::history::{Emulator, Wave};
        let x: Vec<Vec<f64>> = (0..12).map(|i| vec![i as f64 / 11.0]).collect();
        let y: Vec<f64> = x.iter().map(|u| u[0]).collect();
        let emulator = || Emulator {
            gp: Gp::fit(&x, &y),
            var_mc: 0.0,
            loo: None,
        };
        let wave = Wave {
            index: 1,
            points_run: 12,
            points_fitted: 12,
            candidates_kept: 12,
            candidates_tried: 12,
            emulators: vec![emulator(), emulator()],
            ruled_out: 0.0,
        };
        Region::of(vec![wave], 3.0, observed.to_vec(), vec![0.02f64.powi(2); 2])
    }

    #[test]
    fn two_targets_that_agree_predict_each_other_and_two_that_disagree_do_not() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let agree = check(&region_of([0.40, 0.42]), 1, 3, &pool);
        for h in &agree {
            assert_eq!(h.covered(), Some(true), "{h:?}");
            assert!(h.kept_without > 0 && h.kept_all <= h.kept_without);
        }
        // Each alone allows u near its own value (±3 sd): the other's
        // observation, 0.3 away, lies far outside what it predicts.
        let clash = check(&region_of([0.30, 0.62]), 1, 3, &pool);
        assert_eq!(clash[0].kept_all, 0, "no u meets both");
        assert!(clash[0].percentile < 0.01, "{:?}", clash[0]);
        assert!(clash[1].percentile > 0.99, "{:?}", clash[1]);
        assert_eq!(clash[0].covered(), Some(false));
        assert!((clash[0].mean - 0.62).abs() < 0.05, "{:?}", clash[0]);
    }

    #[test]
    fn coverage_is_undefined_without_a_prediction() {
        assert_eq!(HoldOut::empty(10, 0, 0).covered(), None);
        let mut h = HoldOut::empty(10, 5, 6);
        h.percentile = 0.97;
        assert_eq!(h.covered(), Some(false));
        h.percentile = 0.5;
        assert_eq!(h.covered(), Some(true));
    }
}
