//! Statistics over replications: mean, standard deviation and Student-t
//! confidence intervals (the t quantile by bisection on the exact CDF).

/// Mean, sd and a two-sided confidence interval of the finite values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    pub sd: f64,
    pub low: f64,
    pub high: f64,
    pub n: usize,
}

/// Summarises the finite values of `xs` with a `level` (e.g. 0.95) CI.
/// With fewer than two values the sd and CI are NaN.
pub fn summarise(xs: &[f64], level: f64) -> Summary {
    let v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let n = v.len();
    if n == 0 {
        return Summary {
            mean: f64::NAN,
            sd: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            n,
        };
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Summary {
            mean,
            sd: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            n,
        };
    }
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t_quantile(0.5 + level / 2.0, (n - 1) as f64) * sd / (n as f64).sqrt();
    Summary {
        mean,
        sd,
        low: mean - half,
        high: mean + half,
        n,
    }
}

/// The variance-reduction factor of paired runs: (var(baseline) +
/// var(scenario)) / var(scenario - baseline) over the pairs where both
/// values are finite, i.e. how many times more replications independent
/// runs would need for the same precision of the difference. NaN when it
/// is undefined: fewer than two pairs, or no spread in the differences.
pub fn variance_reduction(pairs: &[(f64, f64)]) -> f64 {
    let v: Vec<(f64, f64)> = pairs
        .iter()
        .copied()
        .filter(|(b, s)| b.is_finite() && s.is_finite())
        .collect();
    if v.len() < 2 {
        return f64::NAN;
    }
    let var = |x: &dyn Fn(&(f64, f64)) -> f64| {
        let n = v.len() as f64;
        let mean = v.iter().map(x).sum::<f64>() / n;
        v.iter().map(|p| (x(p) - mean) * (x(p) - mean)).sum::<f64>() / (n - 1.0)
    };
    let vd = var(&|p| p.1 - p.0);
    let independent = var(&|p| p.0) + var(&|p| p.1);
    if vd > 0.0 && vd.is_finite() {
        independent / vd
    } else {
        f64::NAN
    }
}

/// The `p` quantile of Student's t with `df` degrees of freedom (p > 0.5).
/// Remembered per thread: an output table asks for the same few quantiles
/// for every cell, and each costs 200 evaluations of the t CDF.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    use std::cell::RefCell;
    thread_local! {
        static KNOWN: RefCell<Vec<((u64, u64), f64)>> = const { RefCell::new(Vec::new()) };
    }
    let key = (p.to_bits(), df.to_bits());
    if let Some(q) = KNOWN.with_borrow(|k| k.iter().find(|e| e.0 == key).map(|e| e.1)) {
        return q;
    }
    let q = t_quantile_by_bisection(p, df);
    KNOWN.with_borrow_mut(|k| k.push((key, q)));
    q
}

fn t_quantile_by_bisection(p: f64, df: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0e4);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// P(T <= t) for Student's t with `df` degrees of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    let tail = 0.5 * incomplete_beta(0.5 * df, 0.5, x);
    if t >= 0.0 { 1.0 - tail } else { tail }
}

fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9).
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return libm::log(pi / libm::sin(pi * x)) - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * libm::log(2.0 * std::f64::consts::PI) + (x + 0.5) * libm::log(t) - t + libm::log(a)
}

/// The regularised incomplete beta function I_x(a, b).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = libm::exp(
        ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * libm::log(x) + b * libm::log(1.0 - x),
    );
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// Continued fraction for the incomplete beta (modified Lentz).
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = m as f64;
        let aa = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The `q` quantile of the sorted `v`, interpolating linearly between
/// order statistics; NaN for an empty `v`.
pub fn percentile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let x = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (x - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        for (p, df, want) in [
            (0.975, 1.0, 12.7062),
            (0.975, 5.0, 2.5706),
            (0.975, 7.0, 2.3646),
            (0.975, 30.0, 2.0423),
            (0.995, 10.0, 3.1693),
            (0.975, 1.0e6, 1.9600),
        ] {
            let got = t_quantile(p, df);
            assert!(
                (got - want).abs() < 1e-3,
                "t({p}, {df}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn summary_of_known_sample() {
        let s = summarise(&[1.0, 2.0, 3.0, 4.0, f64::NAN], 0.95);
        assert_eq!(s.n, 4);
        assert!((s.mean - 2.5).abs() < 1e-12);
        assert!((s.sd - 1.290_994_448_735_805_6).abs() < 1e-12);
        let half = 3.182_446_305 * s.sd / 2.0;
        assert!((s.high - (2.5 + half)).abs() < 1e-6);
        assert!(summarise(&[1.0], 0.95).sd.is_nan());
    }

    #[test]
    fn variance_reduction_of_known_pairs_and_undefined_cases() {
        // var(b) = 2.5, var(s) = 2.25; differences 0.5, -0.5, 0.5, -0.5,
        // 0: var(d) = 0.25, so the factor is 4.75 / 0.25 = 19.
        let pairs = [(1.0, 1.5), (2.0, 1.5), (3.0, 3.5), (4.0, 3.5), (5.0, 5.0)];
        let vrf = variance_reduction(&pairs);
        assert!((vrf - 19.0).abs() < 1e-12, "{vrf}");
        // A non-finite value drops its pair, not the whole column.
        let mut with_nan = pairs.to_vec();
        with_nan.push((f64::NAN, 1.0));
        assert_eq!(variance_reduction(&with_nan), vrf);
        // Undefined: one pair, or differences without spread.
        assert!(variance_reduction(&[(1.0, 2.0)]).is_nan());
        assert!(variance_reduction(&[(1.0, 2.0), (3.0, 4.0)]).is_nan());
    }
}
