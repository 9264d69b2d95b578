//! Designs and draws on the unit cube of the calibrated parameters: Latin
//! hypercubes, digitally shifted Sobol' sequences (Joe & Kuo 2008 direction
//! numbers), a space-filling (greedy maximin) choice among candidates,
//! prior draws by rejection, and (weighted) quantiles. Pure functions of
//! their random streams.

use super::spec::{Design, Parameter, Prior};
use crate::engine::{Stream, StreamKey};
use crate::experiment::sensitivity::latin_hypercube;

/// What a random stream of the calibration is for (the stream's process).
#[derive(Debug, Clone, Copy)]
#[repr(u32)]
pub enum Purpose {
    /// The design of a wave (entity: the wave).
    Design = 400,
    /// The test points that measure the space ruled out.
    TestPoints = 401,
    /// An ABC proposal (entity: generation << 32 | proposal).
    Proposal = 402,
    /// The posterior draws of `run --posterior`.
    PosteriorDraws = 403,
    /// The points of the leave-one-target-out check (entity: the batch).
    HoldOut = 404,
}

/// The stream for `purpose` and `entity` under the calibration seed; the
/// replication key `u32::MAX - 1` keeps them apart from every simulation
/// stream and from sweep designs (`u32::MAX`).
pub fn stream(seed: u64, purpose: Purpose, entity: u64) -> Stream {
    StreamKey::new(seed, u32::MAX - 1).stream(entity, purpose as u32)
}

/// Joe & Kuo (2008) `new-joe-kuo-6.21201`, dimensions 2 to 32: `s a m_1 .. m_s`.
const JOE_KUO: [&str; 31] = [
    "1 0 1",
    "2 1 1 3",
    "3 1 1 3 1",
    "3 2 1 1 1",
    "4 1 1 1 3 3",
    "4 4 1 3 5 13",
    "5 2 1 1 5 5 17",
    "5 4 1 1 5 5 5",
    "5 7 1 1 7 11 19",
    "5 11 1 1 5 1 1",
    "5 13 1 1 1 3 11",
    "5 14 1 3 5 5 31",
    "6 1 1 3 3 9 7 49",
    "6 13 1 1 1 15 21 21",
    "6 16 1 3 1 13 27 49",
    "6 19 1 1 1 15 7 5",
    "6 22 1 3 1 15 13 25",
    "6 25 1 1 5 5 19 61",
    "7 1 1 3 7 11 23 15 103",
    "7 4 1 3 7 13 13 15 69",
    "7 7 1 1 3 13 7 35 63",
    "7 8 1 3 5 9 1 25 53",
    "7 14 1 3 1 13 9 35 107",
    "7 19 1 3 1 5 27 61 31",
    "7 21 1 1 5 11 19 41 61",
    "7 28 1 3 5 3 3 13 69",
    "7 31 1 1 7 13 1 19 1",
    "7 32 1 3 7 5 13 19 59",
    "7 37 1 1 3 9 25 29 41",
    "7 41 1 3 5 13 23 1 55",
    "7 42 1 3 7 3 13 59 17",
];

const BITS: usize = 32;

/// Direction numbers V[1..=32] of dimension `d` (0-based), as 32-bit fractions.
fn directions(d: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if d == 0 {
        for (i, x) in v.iter_mut().enumerate() {
            *x = 1 << (BITS - 1 - i);
        }
        return v;
    }
    let nums: Vec<u32> = JOE_KUO[d - 1]
        .split(' ')
        .map(|x| x.parse().unwrap_or(1))
        .collect();
    let (s, a) = (nums[0] as usize, nums[1]);
    let m = &nums[2..];
    for i in 0..BITS {
        if i < s {
            v[i] = m[i] << (BITS - 1 - i);
        } else {
            let mut x = v[i - s] ^ (v[i - s] >> s);
            for k in 1..s {
                if (a >> (s - 1 - k)) & 1 == 1 {
                    x ^= v[i - k];
                }
            }
            v[i] = x;
        }
    }
    v
}

/// The points 1..=n of the Sobol' sequence in `k` dimensions (Gray-code
/// order; the all-zero point 0 left out), each dimension XORed with a
/// random 32-bit shift (a digital shift keeps the net's stratification).
pub fn sobol(k: usize, n: usize, rng: &mut Stream) -> Vec<Vec<f64>> {
    let dirs: Vec<[u32; BITS]> = (0..k).map(directions).collect();
    let shift: Vec<u32> = (0..k)
        .map(|_| (rng.uniform() * 4_294_967_296.0) as u32)
        .collect();
    let mut x = vec![0u32; k];
    let mut out = Vec::with_capacity(n);
    for i in 0..n as u64 {
        // The rightmost zero bit of i.
        let c = (!i).trailing_zeros() as usize;
        for d in 0..k {
            x[d] ^= dirs[d][c.min(BITS - 1)];
        }
        out.push(
            (0..k)
                .map(|d| f64::from(x[d] ^ shift[d]) / 4_294_967_296.0)
                .collect(),
        );
    }
    out
}

/// `n` points of the chosen design on the unit cube.
pub fn unit_design(design: Design, k: usize, n: usize, rng: &mut Stream) -> Vec<Vec<f64>> {
    match design {
        Design::Lhs => latin_hypercube(k, n, rng),
        Design::Sobol => sobol(k, n, rng),
    }
}

fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Chooses `n` of `candidates` greedily, each the farthest from those
/// chosen (maximin), starting with the first; all of them if there are
/// no more than `n`.
pub fn maximin(candidates: &[Vec<f64>], n: usize) -> Vec<Vec<f64>> {
    if candidates.len() <= n {
        return candidates.to_vec();
    }
    let mut chosen = vec![0usize];
    let mut near: Vec<f64> = candidates
        .iter()
        .map(|c| dist2(c, &candidates[0]))
        .collect();
    while chosen.len() < n {
        let (best, _) =
            near.iter().enumerate().fold(
                (0, -1.0),
                |acc, (i, &d)| if d > acc.1 { (i, d) } else { acc },
            );
        chosen.push(best);
        for (i, c) in candidates.iter().enumerate() {
            near[i] = near[i].min(dist2(c, &candidates[best]));
        }
    }
    chosen.into_iter().map(|i| candidates[i].clone()).collect()
}

/// A draw from the prior on the unit cube by rejection (uniform proposal,
/// accepted with density / peak), or `None` after `tries` proposals.
pub fn prior_draw(
    params: &[Parameter],
    peaks: &[f64],
    rng: &mut Stream,
    tries: usize,
) -> Option<Vec<f64>> {
    for _ in 0..tries {
        let u: Vec<f64> = params.iter().map(|_| rng.uniform()).collect();
        let ok = params.iter().zip(&u).zip(peaks).all(|((p, &x), &peak)| {
            let accept = match p.prior {
                Prior::Uniform => 1.0,
                _ => p.density(p.value(x)) / peak,
            };
            rng.uniform() < accept
        });
        if ok {
            return Some(u);
        }
    }
    None
}

/// The `q` quantile of values with weights (the inverse of the weighted
/// empirical distribution function); NaN when nothing is finite.
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut v: Vec<(f64, f64)> = values
        .iter()
        .zip(weights)
        .filter(|(x, w)| x.is_finite() && **w > 0.0)
        .map(|(&x, &w)| (x, w))
        .collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|x| x.1).sum();
    let mut cum = 0.0;
    for &(x, w) in &v {
        cum += w;
        if cum >= q * total {
            return x;
        }
    }
    v[v.len() - 1].0
}

/// The `q` quantile of a parameter's prior, from its density integrated on
/// a fine grid between its bounds (midpoint rule, linear within a cell).
pub fn prior_quantile(p: &Parameter, q: f64) -> f64 {
    const CELLS: usize = 4096;
    let mass: Vec<f64> = (0..CELLS)
        .map(|i| p.density(p.value((i as f64 + 0.5) / CELLS as f64)))
        .collect();
    let total: f64 = mass.iter().sum();
    let mut cum = 0.0;
    for (i, m) in mass.iter().enumerate() {
        if cum + m >= q * total && *m > 0.0 {
            let frac = (q * total - cum) / m;
            return p.value((i as f64 + frac.clamp(0.0, 1.0)) / CELLS as f64);
        }
        cum += m;
    }
    p.max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sobol_points_stratify_every_dimension_and_pair() {
        let mut rng = stream(7, Purpose::Design, 0);
        let n = 64;
        let pts = sobol(6, n, &mut rng);
        // Shifted points 1..=64 with point 0 left out: each dimension has
        // one point in each of 64 cells except one cell with two (the
        // 65th point falls where point 0 was) — at most 2 per cell.
        for d in 0..6 {
            let mut cells = vec![0; n];
            for p in &pts {
                cells[(p[d] * n as f64) as usize] += 1;
            }
            assert!(cells.iter().all(|&c| c <= 2), "dimension {d}: {cells:?}");
            assert!(cells.iter().filter(|&&c| c == 0).count() <= 1);
        }
        // Dimensions 1 and 2 together form a (0, 6, 2)-net: 8 x 8 cells
        // hold one point each (two in the cell of the left-out point 0).
        let mut cells = [0; 64];
        for p in &pts {
            cells[(p[0] * 8.0) as usize * 8 + (p[1] * 8.0) as usize] += 1;
        }
        assert!(cells.iter().all(|&c| c <= 2), "{cells:?}");
    }

    #[test]
    fn maximin_spreads_the_chosen_points() {
        let cands: Vec<Vec<f64>> = (0..=10).map(|i| vec![i as f64 / 10.0]).collect();
        let got = maximin(&cands, 3);
        assert_eq!(got, vec![vec![0.0], vec![1.0], vec![0.5]]);
    }

    #[test]
    fn weighted_quantiles_follow_the_weights() {
        let v = [1.0, 2.0, 3.0, f64::NAN];
        let w = [0.1, 0.1, 0.8, 1.0];
        assert_eq!(weighted_quantile(&v, &w, 0.05), 1.0);
        assert_eq!(weighted_quantile(&v, &w, 0.5), 3.0);
        assert_eq!(weighted_quantile(&v, &[1.0; 4], 0.5), 2.0);
    }

    #[test]
    fn prior_quantiles_of_uniform_and_normal_priors() {
        let uni = Parameter {
            key: "x".into(),
            prior: Prior::Uniform,
            min: 2.0,
            max: 4.0,
            scenarios: vec![0],
            source: String::new(),
        };
        assert!((prior_quantile(&uni, 0.05) - 2.1).abs() < 1e-9);
        assert!((prior_quantile(&uni, 0.95) - 3.9).abs() < 1e-9);
        let normal = Parameter {
            prior: Prior::Normal { mean: 0.0, sd: 1.0 },
            min: -10.0,
            max: 10.0,
            ..uni
        };
        assert!((prior_quantile(&normal, 0.95) - 1.6449).abs() < 2e-3);
        assert!((prior_quantile(&normal, 0.5)).abs() < 2e-3);
    }
}
