//! A Gaussian-process emulator of one target over the unit cube:
//! a linear mean (universal kriging: its coefficients by generalised least
//! squares, their uncertainty in the predictive variance), a squared-
//! exponential kernel with one length per parameter, and a nugget for the
//! Monte Carlo noise of the design outputs. The hyperparameters maximise
//! the restricted marginal likelihood (best start of a small grid, then
//! Nelder–Mead in log space, within bounds). Written by hand rather than
//! with a GP crate: a few hundred lines, no linear-algebra dependency,
//! every operation sequential and with `libm` transcendentals, so the same
//! inputs give the same bits on every thread count and platform.

/// Bounds of the log hyperparameters on standardised outputs: lengths
/// (unit cube), signal variance, nugget variance.
const LOG_LEN: (f64, f64) = (-3.0, 1.6); // 0.05 .. 5
const LOG_SF2: (f64, f64) = (-9.2, 2.3); // 1e-4 .. 10
const LOG_SN2: (f64, f64) = (-13.8, 0.0); // 1e-6 .. 1

/// A fitted emulator.
#[derive(Debug, Clone)]
pub struct Gp {
    x: Vec<Vec<f64>>,
    /// Lengths, signal and nugget variance (standardised outputs).
    pub lengths: Vec<f64>,
    pub signal_var: f64,
    pub nugget_var: f64,
    y_mean: f64,
    y_scale: f64,
    /// Mean basis size: 1 (constant) or k + 1 (linear).
    q: usize,
    /// Cholesky factor of K (n x n, row-major lower).
    l: Vec<f64>,
    /// L⁻¹H (n x q, row-major).
    w: Vec<f64>,
    /// Cholesky factor of HᵀK⁻¹H (q x q).
    m: Vec<f64>,
    beta: Vec<f64>,
    /// K⁻¹ (y − Hβ).
    alpha: Vec<f64>,
}

/// Leave-one-out check of an emulator on its own design.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loo {
    /// Root mean square of the standardised LOO errors (about 1 when the
    /// emulator's variance is honest).
    pub rms_z: f64,
    /// Share of design points with |standardised error| > 3.
    pub share_over_3: f64,
    /// Root mean square LOO error in the target's units.
    pub rmse: f64,
}

/// In-place Cholesky factorisation of the n x n row-major `a` (lower
/// triangle); false if `a` is not positive definite.
fn cholesky(a: &mut [f64], n: usize) -> bool {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d.is_nan() || d <= 0.0 {
            return false;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
        for k in j + 1..n {
            a[j * n + k] = 0.0;
        }
    }
    true
}

/// Solves L x = b (L lower, n x n).
fn forward(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut x = b.to_vec();
    for i in 0..n {
        let mut s = x[i];
        for k in 0..i {
            s -= l[i * n + k] * x[k];
        }
        x[i] = s / l[i * n + i];
    }
    x
}

/// Solves Lᵀ x = b.
fn backward(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut x = b.to_vec();
    for i in (0..n).rev() {
        let mut s = x[i];
        for k in i + 1..n {
            s -= l[k * n + i] * x[k];
        }
        x[i] = s / l[i * n + i];
    }
    x
}

fn kernel(a: &[f64], b: &[f64], lengths: &[f64], sf2: f64) -> f64 {
    let mut s = 0.0;
    for ((x, y), l) in a.iter().zip(b).zip(lengths) {
        let d = (x - y) / l;
        s += d * d;
    }
    sf2 * libm::exp(-0.5 * s)
}

fn basis(u: &[f64], q: usize) -> Vec<f64> {
    let mut h = vec![1.0];
    if q > 1 {
        h.extend_from_slice(u);
    }
    h
}

/// The fit at hyperparameters `theta` (log lengths, log sf2, log sn2) and
/// its negative log restricted likelihood; `None` if a matrix is singular.
fn build(x: &[Vec<f64>], y: &[f64], q: usize, theta: &[f64]) -> Option<(Gp, f64)> {
    let n = x.len();
    let k = theta.len() - 2;
    let lengths: Vec<f64> = theta[..k].iter().map(|&t| libm::exp(t)).collect();
    let sf2 = libm::exp(theta[k]);
    let sn2 = libm::exp(theta[k + 1]);
    let mut kk = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let v = kernel(&x[i], &x[j], &lengths, sf2);
            kk[i * n + j] = v;
            kk[j * n + i] = v;
        }
        kk[i * n + i] += sn2 + 1e-10 * sf2;
    }
    if !cholesky(&mut kk, n) {
        return None;
    }
    let l = kk;
    let ly = forward(&l, n, y);
    // W = L⁻¹H, column by column.
    let mut w = vec![0.0; n * q];
    for c in 0..q {
        let col: Vec<f64> = x.iter().map(|u| basis(u, q)[c]).collect();
        for (i, v) in forward(&l, n, &col).into_iter().enumerate() {
            w[i * q + c] = v;
        }
    }
    let mut a = vec![0.0; q * q];
    let mut wy = vec![0.0; q];
    for r in 0..q {
        for c in 0..q {
            a[r * q + c] = (0..n).map(|i| w[i * q + r] * w[i * q + c]).sum();
        }
        wy[r] = (0..n).map(|i| w[i * q + r] * ly[i]).sum();
    }
    let mut m = a;
    if !cholesky(&mut m, q) {
        return None;
    }
    let beta = backward(&m, q, &forward(&m, q, &wy));
    let e: Vec<f64> = (0..n)
        .map(|i| ly[i] - (0..q).map(|c| w[i * q + c] * beta[c]).sum::<f64>())
        .collect();
    let alpha = backward(&l, n, &e);
    let logdet_k: f64 = (0..n).map(|i| 2.0 * libm::log(l[i * n + i])).sum();
    let logdet_a: f64 = (0..q).map(|i| 2.0 * libm::log(m[i * q + i])).sum();
    let nll = 0.5 * (e.iter().map(|v| v * v).sum::<f64>() + logdet_k + logdet_a);
    let gp = Gp {
        x: x.to_vec(),
        lengths,
        signal_var: sf2,
        nugget_var: sn2,
        y_mean: 0.0,
        y_scale: 1.0,
        q,
        l,
        w,
        m,
        beta,
        alpha,
    };
    Some((gp, nll))
}

/// The objective with the bounds enforced: a point outside them is
/// evaluated at the nearest point inside, plus a quadratic penalty.
fn objective(x: &[Vec<f64>], y: &[f64], q: usize, theta: &[f64]) -> f64 {
    let k = theta.len() - 2;
    let mut penalty = 0.0;
    let clamped: Vec<f64> = theta
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let (lo, hi) = if i < k {
                LOG_LEN
            } else if i == k {
                LOG_SF2
            } else {
                LOG_SN2
            };
            let c = t.clamp(lo, hi);
            penalty += (t - c) * (t - c);
            c
        })
        .collect();
    match build(x, y, q, &clamped) {
        Some((_, nll)) if nll.is_finite() => nll + 100.0 * penalty,
        _ => f64::INFINITY,
    }
}

/// Minimises `f` from `start` by Nelder–Mead (standard coefficients) with
/// initial steps `step`, at most `max_evals` evaluations.
pub fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    max_evals: usize,
) -> (Vec<f64>, f64) {
    let d = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(d + 1);
    simplex.push((start.to_vec(), f(start)));
    for i in 0..d {
        let mut p = start.to_vec();
        p[i] += step;
        let v = f(&p);
        simplex.push((p, v));
    }
    let mut evals = d + 1;
    let sort = |s: &mut Vec<(Vec<f64>, f64)>| s.sort_by(|a, b| a.1.total_cmp(&b.1));
    while evals < max_evals {
        sort(&mut simplex);
        let (best, worst) = (simplex[0].1, simplex[d].1);
        if (worst - best).abs() <= 1e-8 * (1.0 + best.abs()) {
            break;
        }
        let centroid: Vec<f64> = (0..d)
            .map(|j| simplex[..d].iter().map(|p| p.0[j]).sum::<f64>() / d as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[d].0)
                .map(|(c, w)| c + t * (w - c))
                .collect()
        };
        let r = along(-1.0);
        let fr = f(&r);
        evals += 1;
        if fr < simplex[0].1 {
            let e = along(-2.0);
            let fe = f(&e);
            evals += 1;
            simplex[d] = if fe < fr { (e, fe) } else { (r, fr) };
        } else if fr < simplex[d - 1].1 {
            simplex[d] = (r, fr);
        } else {
            let c = if fr < simplex[d].1 {
                along(-0.5)
            } else {
                along(0.5)
            };
            let fc = f(&c);
            evals += 1;
            if fc < fr.min(simplex[d].1) {
                simplex[d] = (c, fc);
            } else {
                let b = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 = b.iter().zip(&p.0).map(|(x, y)| x + 0.5 * (y - x)).collect();
                    p.1 = f(&p.0);
                    evals += 1;
                }
            }
        }
    }
    sort(&mut simplex);
    simplex.swap_remove(0)
}

impl Gp {
    /// Fits an emulator to outputs `y` at points `x` (unit cube); `None`
    /// with fewer than 3 points or when no hyperparameters give a
    /// positive-definite covariance.
    pub fn fit(x: &[Vec<f64>], y: &[f64]) -> Option<Gp> {
        let n = x.len();
        if n < 3 || y.len() != n {
            return None;
        }
        let k = x[0].len();
        // A linear mean needs more points than coefficients.
        let q = if n >= k + 4 { k + 1 } else { 1 };
        let y_mean = y.iter().sum::<f64>() / n as f64;
        let var = y.iter().map(|v| (v - y_mean) * (v - y_mean)).sum::<f64>() / n as f64;
        let y_scale = if var > 0.0 { var.sqrt() } else { 1.0 };
        let ys: Vec<f64> = y.iter().map(|v| (v - y_mean) / y_scale).collect();
        let f = |t: &[f64]| objective(x, &ys, q, t);
        let mut best: Option<(Vec<f64>, f64)> = None;
        for len in [0.25f64, 0.6, 1.5] {
            for noise in [0.01f64, 0.2] {
                let mut t = vec![libm::log(len); k];
                t.push(0.0);
                t.push(libm::log(noise));
                let v = f(&t);
                if best.as_ref().is_none_or(|b| v < b.1) {
                    best = Some((t, v));
                }
            }
        }
        let (start, v) = best?;
        if !v.is_finite() {
            return None;
        }
        let max_evals = (60 * (k + 2)).min(600);
        let (theta, _) = nelder_mead(&f, &start, 0.5, max_evals);
        let theta: Vec<f64> = theta
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                let (lo, hi) = if i < k {
                    LOG_LEN
                } else if i == k {
                    LOG_SF2
                } else {
                    LOG_SN2
                };
                t.clamp(lo, hi)
            })
            .collect();
        let (mut gp, _) = build(x, &ys, q, &theta)?;
        gp.y_mean = y_mean;
        gp.y_scale = y_scale;
        Some(gp)
    }

    /// The predictive mean and the variance of the emulated function (the
    /// nugget left out) at `u`, in the target's units.
    pub fn predict(&self, u: &[f64]) -> (f64, f64) {
        let n = self.x.len();
        let q = self.q;
        let ks: Vec<f64> = self
            .x
            .iter()
            .map(|xi| kernel(xi, u, &self.lengths, self.signal_var))
            .collect();
        let h = basis(u, q);
        let mean = h.iter().zip(&self.beta).map(|(a, b)| a * b).sum::<f64>()
            + ks.iter().zip(&self.alpha).map(|(a, b)| a * b).sum::<f64>();
        let v = forward(&self.l, n, &ks);
        let mut r = h;
        for (c, rc) in r.iter_mut().enumerate() {
            *rc -= (0..n).map(|i| self.w[i * q + c] * v[i]).sum::<f64>();
        }
        let z = forward(&self.m, q, &r);
        let var = self.signal_var - v.iter().map(|x| x * x).sum::<f64>()
            + z.iter().map(|x| x * x).sum::<f64>();
        (
            self.y_mean + self.y_scale * mean,
            self.y_scale * self.y_scale * var.max(0.0),
        )
    }

    /// Leave-one-out errors in closed form (Rasmussen & Williams 2006,
    /// eq. 5.12), with the hyperparameters and the mean's coefficients at
    /// their full-data values.
    pub fn loo(&self) -> Loo {
        let n = self.x.len();
        // diag(K⁻¹) from L⁻¹, one unit vector at a time.
        let diag: Vec<f64> = (0..n)
            .map(|j| {
                let mut e = vec![0.0; n];
                e[j] = 1.0;
                forward(&self.l, n, &e).iter().map(|v| v * v).sum()
            })
            .collect();
        let (mut z2, mut over, mut e2) = (0.0, 0usize, 0.0);
        for (a, d) in self.alpha.iter().zip(&diag) {
            let err = a / d;
            let sd = (1.0 / d).sqrt();
            let z = err / sd;
            z2 += z * z;
            over += usize::from(z.abs() > 3.0);
            e2 += (err * self.y_scale) * (err * self.y_scale);
        }
        let nf = n as f64;
        Loo {
            rms_z: (z2 / nf).sqrt(),
            share_over_3: over as f64 / nf,
            rmse: (e2 / nf).sqrt(),
        }
    }

    pub fn points(&self) -> usize {
        self.x.len()
    }

    /// The output's standard deviation over the design (the hyperparameters
    /// are for outputs divided by it).
    pub fn output_scale(&self) -> f64 {
        self.y_scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_quadratic() {
        let f = |x: &[f64]| (x[0] - 1.0).powi(2) + 3.0 * (x[1] + 2.0).powi(2);
        let (x, v) = nelder_mead(&f, &[0.0, 0.0], 0.5, 500);
        assert!(v < 1e-6 && (x[0] - 1.0).abs() < 1e-3 && (x[1] + 2.0).abs() < 1e-3);
    }

    #[test]
    fn an_emulator_interpolates_a_smooth_function_with_honest_variance() {
        let f = |u: &[f64]| libm::sin(3.0 * u[0]) + 0.5 * u[1];
        let x: Vec<Vec<f64>> = (0..30)
            .map(|i| {
                let a = (i as f64 + 0.5) / 30.0;
                vec![a, ((i * 7) % 30) as f64 / 30.0 + 0.01]
            })
            .collect();
        let y: Vec<f64> = x.iter().map(|u| f(u)).collect();
        let gp = Gp::fit(&x, &y).expect("fits");
        for u in [[0.31, 0.52], [0.77, 0.1], [0.05, 0.9]] {
            let (m, v) = gp.predict(&u);
            assert!((m - f(&u)).abs() < 0.02, "at {u:?}: {m} vs {}", f(&u));
            assert!(v >= 0.0 && v.sqrt() < 0.05, "variance {v}");
        }
        // Far from the data the variance grows.
        let (_, near) = gp.predict(&[0.31, 0.52]);
        let (_, far) = gp.predict(&[3.0, 3.0]);
        assert!(far > 10.0 * near.max(1e-12), "{far} vs {near}");
        let loo = gp.loo();
        assert!(loo.rmse < 0.05 && loo.share_over_3 <= 0.1, "{loo:?}");
    }

    #[test]
    fn a_noisy_output_gets_a_nugget_and_a_smooth_fit() {
        // y = 2u + noise with sd 0.1 (a fixed pseudo-random sequence).
        let x: Vec<Vec<f64>> = (0..40).map(|i| vec![i as f64 / 39.0]).collect();
        let noise = |i: usize| ((i * 37 % 41) as f64 / 41.0 - 0.5) * 0.35;
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, u)| 2.0 * u[0] + noise(i))
            .collect();
        let gp = Gp::fit(&x, &y).expect("fits");
        let (m, _) = gp.predict(&[0.5]);
        assert!((m - 1.0).abs() < 0.1, "{m}");
        let loo = gp.loo();
        assert!(loo.rms_z > 0.5 && loo.rms_z < 1.6, "{loo:?}");
    }
}
