//! ABC-SMC inside the non-implausible region: population Monte Carlo
//! (Beaumont et al. 2009; Toni et al. 2009) with the simulator itself, not
//! the emulators, deciding acceptance.
//!
//! - Generation 0: particles from the prior restricted to the region, all
//!   accepted (tolerance ∞), equal weights.
//! - Generation t: tolerance ε_t = the `quantile` of the previous
//!   population's distances, never below `min_tolerance`; a proposal picks
//!   a particle by weight and moves it by a Gaussian kernel with twice the
//!   population's weighted covariance; one outside the box or the region is
//!   drawn again (that keeps the proposal density a constant multiple of
//!   the kernel mixture); it is accepted when its distance is at most ε_t;
//!   weights π(θ) / Σ_j w_j K(θ | θ_j).
//! - Distance: the largest standardised difference over the targets,
//!   |simulated mean − observed| / sqrt(Var_obs + Var_MC), Var_MC as in
//!   history matching, from replications at the most plausible point.
//!
//! Every proposal has its own random stream (generation, index), and
//! proposals are simulated in fixed batches and accepted in index order,
//! so neither the thread count nor a resume changes which are accepted.
//! A generation that reaches the tolerance floor is the last; one that
//! cannot fill its population within `max_proposals` is dropped and the
//! previous population is the posterior.

use super::design::{self, Purpose, prior_draw};
use super::history::Region;
use super::simulate::{PointResult, Runner};
use super::spec::Spec;
use crate::engine::Stream;

/// Draws tried per proposal before giving it up.
const TRIES: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Particle {
    pub u: Vec<f64>,
    pub weight: f64,
    pub distance: f64,
    /// Simulated target means.
    pub values: Vec<f64>,
}

/// One generation's record.
#[derive(Debug, Clone)]
pub struct Generation {
    pub index: usize,
    pub tolerance: f64,
    /// Proposals simulated (those accepted included).
    pub simulated: usize,
    pub accepted: usize,
    pub ess: f64,
    /// False when it could not fill its population (dropped).
    pub complete: bool,
}

pub struct Posterior {
    pub particles: Vec<Particle>,
    pub generations: Vec<Generation>,
    /// Per target, the Monte Carlo variance the distance uses.
    pub var_mc: Vec<f64>,
    /// Target means of generation 0 (drawn from the restricted prior).
    pub generation0: Vec<Vec<f64>>,
}

fn distance(spec: &Spec, scale: &[f64], p: &PointResult) -> f64 {
    let mut d: f64 = 0.0;
    for (t, target) in spec.targets.iter().enumerate() {
        let x = (p.mean[t] - target.observed).abs() / scale[t];
        if x.is_nan() {
            return f64::INFINITY;
        }
        d = d.max(x);
    }
    d
}

fn ess(w: &[f64]) -> f64 {
    1.0 / w.iter().map(|x| x * x).sum::<f64>()
}

/// Weighted covariance of the particles' coordinates, times 2, as its
/// Cholesky factor (with a small ridge so it always exists).
fn kernel_factor(ps: &[Particle]) -> Vec<f64> {
    let k = ps[0].u.len();
    let mean: Vec<f64> = (0..k)
        .map(|d| ps.iter().map(|p| p.weight * p.u[d]).sum::<f64>())
        .collect();
    let mut c = vec![0.0; k * k];
    for a in 0..k {
        for b in 0..k {
            c[a * k + b] = 2.0
                * ps.iter()
                    .map(|p| p.weight * (p.u[a] - mean[a]) * (p.u[b] - mean[b]))
                    .sum::<f64>();
        }
        c[a * k + a] += 1e-10;
    }
    // Cholesky, lower.
    let mut l = vec![0.0; k * k];
    for j in 0..k {
        let mut d = c[j * k + j];
        for m in 0..j {
            d -= l[j * k + m] * l[j * k + m];
        }
        let d = d.max(1e-12).sqrt();
        l[j * k + j] = d;
        for i in j + 1..k {
            let mut s = c[i * k + j];
            for m in 0..j {
                s -= l[i * k + m] * l[j * k + m];
            }
            l[i * k + j] = s / d;
        }
    }
    l
}

/// exp(−½ |L⁻¹(a − b)|²): the kernel density up to its constant.
fn kernel_density(l: &[f64], a: &[f64], b: &[f64]) -> f64 {
    let k = a.len();
    let mut z = vec![0.0; k];
    let mut s2 = 0.0;
    for i in 0..k {
        let mut s = a[i] - b[i];
        for m in 0..i {
            s -= l[i * k + m] * z[m];
        }
        z[i] = s / l[i * k + i];
        s2 += z[i] * z[i];
    }
    libm::exp(-0.5 * s2)
}

fn pick(ps: &[Particle], rng: &mut Stream) -> usize {
    let u = rng.uniform();
    let mut cum = 0.0;
    for (i, p) in ps.iter().enumerate() {
        cum += p.weight;
        if u < cum {
            return i;
        }
    }
    ps.len() - 1
}

/// Proposal `i` of generation `g`: a point in the region, or `None`.
fn propose(
    spec: &Spec,
    region: &Region,
    peaks: &[f64],
    prev: Option<(&[Particle], &[f64])>,
    g: usize,
    i: usize,
) -> Option<Vec<f64>> {
    let mut rng = design::stream(
        spec.method.seed,
        Purpose::Proposal,
        ((g as u64) << 32) | i as u64,
    );
    let k = spec.parameters.len();
    for _ in 0..TRIES {
        let u = match prev {
            None => prior_draw(&spec.parameters, peaks, &mut rng, 1)?,
            Some((ps, l)) => {
                let base = &ps[pick(ps, &mut rng)].u;
                let z: Vec<f64> = (0..k).map(|_| rng.standard_normal()).collect();
                (0..k)
                    .map(|a| base[a] + (0..=a).map(|b| l[a * k + b] * z[b]).sum::<f64>())
                    .collect()
            }
        };
        if spec.prior_density(&u) > 0.0 && region.contains(&u) {
            return Some(u);
        }
    }
    None
}

/// Runs ABC-SMC; `var_mc`: one run's Monte Carlo variance per target.
pub fn run(
    runner: &mut Runner,
    spec: &Spec,
    region: &Region,
    var_mc: Vec<f64>,
) -> anyhow::Result<Posterior> {
    let m = &spec.method;
    let n = m.particles;
    let peaks = spec.density_peaks();
    let scale: Vec<f64> = spec
        .targets
        .iter()
        .zip(&var_mc)
        .map(|(t, v)| (t.var_obs + spec.mc_factor() * v).sqrt())
        .collect();
    let mut prev: Vec<Particle> = Vec::new();
    let mut generations = Vec::new();
    let mut tolerance = f64::INFINITY;
    let mut generation0 = Vec::new();
    for g in 0..=m.generations {
        if g > 0 {
            let mut d: Vec<f64> = prev.iter().map(|p| p.distance).collect();
            d.sort_by(f64::total_cmp);
            let q = design::weighted_quantile(&d, &vec![1.0; d.len()], m.quantile);
            let next = q.max(m.min_tolerance);
            if tolerance <= m.min_tolerance {
                break;
            }
            tolerance = next.min(tolerance);
        }
        let kernel = (g > 0).then(|| kernel_factor(&prev));
        let mut accepted: Vec<(Vec<f64>, PointResult)> = Vec::new();
        let mut simulated = 0;
        let mut next_index = 0;
        while accepted.len() < n && next_index < m.max_proposals {
            let batch: Vec<usize> = (next_index..(next_index + n).min(m.max_proposals)).collect();
            next_index += batch.len();
            let proposals = runner.par_map(&batch, |&i| {
                propose(
                    spec,
                    region,
                    &peaks,
                    kernel.as_deref().map(|l| (prev.as_slice(), l)),
                    g,
                    i,
                )
            });
            if g == 0 && proposals.iter().all(Option::is_none) {
                anyhow::bail!(
                    "no point of the prior passes the history matching: the targets cannot be met inside these priors (see waves.csv); widen the priors, loosen the targets' sd or raise method.cutoff"
                );
            }
            let (labels, points): (Vec<String>, Vec<Vec<f64>>) = batch
                .iter()
                .zip(proposals)
                .filter_map(|(&i, u)| Some((format!("g{g:02}-{i:06}"), u?)))
                .unzip();
            let results = runner.evaluate(&labels, &points)?;
            simulated += results.len();
            for (u, p) in points.into_iter().zip(results) {
                if accepted.len() >= n {
                    break;
                }
                let d = distance(spec, &scale, &p);
                if d.is_finite() && d <= tolerance {
                    accepted.push((u, p));
                }
            }
        }
        if accepted.len() < n {
            generations.push(Generation {
                index: g,
                tolerance,
                simulated,
                accepted: accepted.len(),
                ess: f64::NAN,
                complete: false,
            });
            if g == 0 {
                anyhow::bail!(
                    "generation 0 found {} of {n} particles with defined targets within {} proposals; raise method.max_proposals",
                    accepted.len(),
                    m.max_proposals
                );
            }
            break;
        }
        let mut ps: Vec<Particle> = accepted
            .into_iter()
            .map(|(u, p)| Particle {
                weight: 1.0,
                distance: distance(spec, &scale, &p),
                values: p.mean.clone(),
                u,
            })
            .collect();
        if let Some(l) = &kernel {
            for p in ps.iter_mut() {
                let mix: f64 = prev
                    .iter()
                    .map(|q| q.weight * kernel_density(l, &p.u, &q.u))
                    .sum();
                // A particle no kernel reaches (underflow) gets no weight.
                p.weight = if mix > 0.0 {
                    spec.prior_density(&p.u) / mix
                } else {
                    0.0
                };
            }
        }
        let total: f64 = ps.iter().map(|p| p.weight).sum();
        if !(total.is_finite() && total > 0.0) {
            anyhow::bail!("generation {g}: the particle weights do not sum to a positive number");
        }
        for p in ps.iter_mut() {
            p.weight /= total;
        }
        if g == 0 {
            generation0 = ps.iter().map(|p| p.values.clone()).collect();
        }
        let w: Vec<f64> = ps.iter().map(|p| p.weight).collect();
        generations.push(Generation {
            index: g,
            tolerance,
            simulated,
            accepted: n,
            ess: ess(&w),
            complete: true,
        });
        prev = ps;
    }
    Ok(Posterior {
        particles: prev,
        generations,
        var_mc,
        generation0,
    })
}
