//! Left truncation: a youth already in care on the reference date is not a
//! fresh start. Given the law of *completed* trajectory durations `T` (what
//! CBS publishes as the mean or the bands of the duration of ended
//! trajectories), these pure functions draw consistent times.
//!
//! * [`remaining_given_elapsed`]: a youth `a` days into care has remaining
//!   time `R` with `P(R > r) = S(a + r) / S(a)` (the residual life, with
//!   `S` the survival function of `T`). It is drawn by inversion: with `u`
//!   uniform on [0, 1), solve `S(a + r) = (1 - u) S(a)` for `r`.
//! * [`draw_stock`]: for a stock on a date in a steady state, where only
//!   the law of `T` is known, the trajectory a youth in the stock is in is
//!   length-biased (density `t f(t) / E[T]`) and the youth is a uniform
//!   fraction `v` of the way through it: elapsed `A = v T*`, remaining
//!   `R = (1 - v) T*`. Both `A` and `R` then have the equilibrium density
//!   `S(x) / E[T]`; `E[A] = E[T²] / (2 E[T])`.
//!
//! The laws: exponential (memoryless: `R` does not depend on `a`; `T*` is
//! Gamma(2, mean)), lognormal (`T*` is lognormal with `mu + sigma²`), and
//! banded (piecewise uniform over bands of days, as CBS's duration classes;
//! `T*` has density proportional to `t` within each band, weighted by
//! `p_i (lo_i + hi_i) / 2`). The random numbers are the caller's, so a
//! draw is reproducible and the caller chooses the stream.

/// The law of completed trajectory durations, in days.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationLaw {
    Exponential {
        mean_days: f64,
    },
    /// `ln T ~ Normal(mu, sigma²)`, `T` in days.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    /// Bands `[lo, hi)` of days with their shares (summing to 1); uniform
    /// within a band. An open last band needs a finite `hi` (see docs).
    Banded {
        bands: Vec<(f64, f64, f64)>,
    },
}

impl DurationLaw {
    /// A lognormal law with the given mean (days) and sigma of the log.
    pub fn lognormal_with_mean(mean_days: f64, sigma: f64) -> DurationLaw {
        DurationLaw::LogNormal {
            mu: mean_days.ln() - sigma * sigma / 2.0,
            sigma,
        }
    }

    pub fn mean(&self) -> f64 {
        match self {
            DurationLaw::Exponential { mean_days } => *mean_days,
            DurationLaw::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            DurationLaw::Banded { bands } => {
                bands.iter().map(|(lo, hi, p)| p * (lo + hi) / 2.0).sum()
            }
        }
    }

    /// `P(T > t)`.
    pub fn survival(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 1.0;
        }
        match self {
            DurationLaw::Exponential { mean_days } => (-t / mean_days).exp(),
            DurationLaw::LogNormal { mu, sigma } => {
                0.5 * libm::erfc((t.ln() - mu) / (sigma * std::f64::consts::SQRT_2))
            }
            DurationLaw::Banded { bands } => bands
                .iter()
                .map(|&(lo, hi, p)| {
                    if t <= lo {
                        p
                    } else if t >= hi {
                        0.0
                    } else {
                        p * (hi - t) / (hi - lo)
                    }
                })
                .sum(),
        }
    }

    /// The `t` with `P(T > t) = s`, for `s` in (0, 1].
    fn inverse_survival(&self, s: f64) -> f64 {
        match self {
            DurationLaw::Exponential { mean_days } => -mean_days * s.ln(),
            DurationLaw::LogNormal { mu, sigma } => (mu + sigma * normal_quantile(s)).exp(),
            DurationLaw::Banded { bands } => {
                // Walk the bands from the top: the mass above each band's lo.
                let mut above = 0.0;
                for &(lo, hi, p) in bands.iter().rev() {
                    if above + p >= s && p > 0.0 {
                        return hi - (s - above) / p * (hi - lo);
                    }
                    above += p;
                }
                bands.first().map_or(0.0, |b| b.0)
            }
        }
    }
}

/// The remaining days of a trajectory already `elapsed_days` in care, for
/// `u` uniform on [0, 1): the residual life `S(a + r) = (1 - u) S(a)`.
/// Where `S(a)` is 0 (a time in care the law calls impossible, e.g. beyond
/// the last band), the trajectory ends at once (0 days).
pub fn remaining_given_elapsed(law: &DurationLaw, elapsed_days: f64, u: f64) -> f64 {
    let a = elapsed_days.max(0.0);
    if let DurationLaw::Exponential { mean_days } = law {
        return -mean_days * (1.0 - u).ln();
    }
    let target = (1.0 - u) * law.survival(a);
    if target <= 0.0 || !target.is_finite() {
        return 0.0;
    }
    (law.inverse_survival(target) - a).max(0.0)
}

/// Elapsed and remaining days of a youth in a steady-state stock on the
/// reference date, for `u1`, `u2` uniform on [0, 1): the length-biased
/// trajectory `T*` (drawn with `u1`) split at the uniform fraction `u2`.
pub fn draw_stock(law: &DurationLaw, u1: f64, u2: f64) -> (f64, f64) {
    let total = match law {
        // Gamma(2, mean) by inversion: Newton on 1 - (1 + x) e^-x = u1.
        DurationLaw::Exponential { mean_days } => mean_days * gamma2_quantile(u1),
        DurationLaw::LogNormal { mu, sigma } => {
            (mu + sigma * sigma + sigma * normal_quantile(1.0 - u1)).exp()
        }
        DurationLaw::Banded { bands } => {
            let weights: Vec<f64> = bands
                .iter()
                .map(|(lo, hi, p)| p * (lo + hi) / 2.0)
                .collect();
            let sum: f64 = weights.iter().sum();
            let mut x = u1 * sum;
            let mut out = bands.last().map_or(0.0, |b| b.1);
            for (&(lo, hi, _), w) in bands.iter().zip(&weights) {
                if x < *w {
                    // Density ∝ t on [lo, hi): t = sqrt(lo² + v (hi² - lo²)).
                    let v = x / w;
                    out = (lo * lo + v * (hi * hi - lo * lo)).sqrt();
                    break;
                }
                x -= w;
            }
            out
        }
    };
    (u2 * total, (1.0 - u2) * total)
}

/// The `z` with `P(X > z) = s` for a standard normal `X` (so `Phi(z) = 1 - s`). Acklam's rational approximation with
/// one Halley step on `erfc` (relative error below 1e-12).
fn normal_quantile(s: f64) -> f64 {
    let p = 1.0 - s;
    if p <= 0.0 {
        return -40.0;
    }
    if p >= 1.0 {
        return 40.0;
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let mut z = if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * s.ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // Halley refinement against the upper tail, accurate for small s.
    let e = 0.5 * libm::erfc(z / std::f64::consts::SQRT_2) - s;
    let u = -e * (2.0 * std::f64::consts::PI).sqrt() * (z * z / 2.0).exp();
    z -= u / (1.0 + z * u / 2.0);
    z
}

/// `x` with `1 - (1 + x) e^-x = u` (the Gamma(2, 1) quantile).
fn gamma2_quantile(u: f64) -> f64 {
    if u <= 0.0 {
        return 0.0;
    }
    let mut x = 1.678 + 2.0 * u; // near the median for a start
    for _ in 0..60 {
        let f = 1.0 - (1.0 + x) * (-x).exp() - u;
        let d = x * (-x).exp();
        if d <= 0.0 {
            break;
        }
        let step = f / d;
        x = (x - step).max(x / 10.0);
        if step.abs() < 1e-12 * x.max(1.0) {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Midpoints of n strata of [0, 1): a deterministic "sample" of u.
    fn grid(n: usize) -> impl Iterator<Item = f64> {
        (0..n).map(move |i| (i as f64 + 0.5) / n as f64)
    }

    #[test]
    fn the_normal_quantile_inverts_erfc_in_both_tails() {
        for z in [-6.0, -2.5, -1.0, 0.0, 0.3, 1.96, 4.0, 8.0] {
            let s = 0.5 * libm::erfc(z / std::f64::consts::SQRT_2);
            assert!((normal_quantile(s) - z).abs() < 1e-8, "z {z}");
        }
    }

    #[test]
    fn exponential_remaining_time_does_not_depend_on_time_in_care() {
        let law = DurationLaw::Exponential { mean_days: 200.0 };
        for u in [0.1, 0.5, 0.9] {
            let fresh = remaining_given_elapsed(&law, 0.0, u);
            let late = remaining_given_elapsed(&law, 500.0, u);
            assert!((fresh - late).abs() < 1e-9);
        }
        let mean: f64 = grid(20_000)
            .map(|u| remaining_given_elapsed(&law, 90.0, u))
            .sum::<f64>()
            / 20_000.0;
        assert!((mean - 200.0).abs() < 1.0, "{mean}");
    }

    #[test]
    fn a_lognormal_youth_18_months_into_care_is_not_a_fresh_start() {
        let law = DurationLaw::lognormal_with_mean(300.0, 1.0);
        let n = 20_000;
        let mean_at = |a: f64| {
            grid(n)
                .map(|u| remaining_given_elapsed(&law, a, u))
                .sum::<f64>()
                / n as f64
        };
        let fresh = mean_at(0.0);
        assert!((fresh - 300.0).abs() / 300.0 < 0.02, "fresh {fresh}");
        // Numerical residual mean: integral of S(a + r) dr / S(a).
        let a = 548.0;
        let (mut integral, dr) = (0.0, 0.5);
        let mut r = dr / 2.0;
        while r < 200_000.0 {
            integral += law.survival(a + r) * dr;
            r += dr;
        }
        let expected = integral / law.survival(a);
        let got = mean_at(a);
        assert!(
            (got - expected).abs() / expected < 0.03,
            "{got} vs {expected}"
        );
        // A lognormal has a decreasing hazard here: the long-stayers stay longer.
        assert!(got > fresh);
        // Every draw is consistent: never negative, and (1 - u) ordered.
        assert!(remaining_given_elapsed(&law, a, 0.9) > remaining_given_elapsed(&law, a, 0.1));
        assert!(grid(100).all(|u| remaining_given_elapsed(&law, a, u) >= 0.0));
    }

    #[test]
    fn banded_remaining_time_stays_inside_the_bands() {
        // DATA.md's national bands of ended trajectories (2021), in days;
        // the open band "4 years or more" closed at 6 years.
        let y = 365.25;
        let bands = vec![
            (0.0, y / 4.0, 0.16),
            (y / 4.0, y / 2.0, 0.17),
            (y / 2.0, y, 0.30),
            (y, 2.0 * y, 0.23),
            (2.0 * y, 3.0 * y, 0.07),
            (3.0 * y, 4.0 * y, 0.03),
            (4.0 * y, 6.0 * y, 0.04),
        ];
        let law = DurationLaw::Banded { bands };
        assert!((law.survival(0.0) - 1.0).abs() < 1e-12);
        assert!((law.survival(y) - 0.37).abs() < 1e-9);
        for u in grid(50) {
            let r = remaining_given_elapsed(&law, 2.5 * y, u);
            assert!(r >= 0.0 && 2.5 * y + r <= 6.0 * y + 1e-6, "{r}");
        }
        // Beyond the last band the trajectory ends at once.
        assert_eq!(remaining_given_elapsed(&law, 7.0 * y, 0.5), 0.0);
    }

    #[test]
    fn a_stock_is_length_biased_with_the_equilibrium_mean_elapsed_time() {
        let n = 40_000;
        let side = 200;
        let draws = |law: &DurationLaw| {
            let mut sum = (0.0, 0.0);
            for i in 0..n {
                let (u1, u2) = (
                    ((i / side) as f64 + 0.5) / (n / side) as f64,
                    ((i % side) as f64 + 0.5) / side as f64,
                );
                let (a, r) = draw_stock(law, u1, u2);
                assert!(a >= 0.0 && r >= 0.0);
                sum.0 += a;
                sum.1 += r;
            }
            (sum.0 / n as f64, sum.1 / n as f64)
        };
        // Exponential: elapsed and remaining both have the mean.
        let (a, r) = draws(&DurationLaw::Exponential { mean_days: 100.0 });
        assert!(
            (a - 100.0).abs() < 1.5 && (r - 100.0).abs() < 1.5,
            "{a} {r}"
        );
        // Lognormal: E[A] = E[T²] / (2 E[T]) = mean e^{sigma²} / 2.
        let sigma: f64 = 0.8;
        let (a, _) = draws(&DurationLaw::lognormal_with_mean(300.0, sigma));
        let expected = 300.0 * (sigma * sigma).exp() / 2.0;
        assert!((a - expected).abs() / expected < 0.03, "{a} vs {expected}");
        // Uniform on [0, 100): E[T²]/(2E[T]) = (10000/3)/100 = 33.3.
        let (a, _) = draws(&DurationLaw::Banded {
            bands: vec![(0.0, 100.0, 1.0)],
        });
        assert!((a - 100.0 / 3.0).abs() < 0.5, "{a}");
    }
}
