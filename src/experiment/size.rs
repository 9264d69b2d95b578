//! How large a run is, estimated before anything is allocated: students,
//! student-years and memory. A run above the limits below is refused with a
//! message saying what is too large, unless it is asked for explicitly
//! (`--allow-large`); docs/SCENARIOS.md ("Run size") documents them. The
//! limits lie far above every shipped run (the Netherlands, 2.6 million
//! students for 13 years, × 8 replications is 270 million student-years);
//! they catch a typo of a few zeros before it aborts for lack of memory or
//! runs for days.

use super::{Experiment, ExperimentError, Shard};
use crate::model::metric_names;
use crate::scenario::{LoadedScenario, thousands};

/// Students in one scenario.
pub const MAX_STUDENTS_PER_SCENARIO: u64 = 50_000_000;
/// Replications per scenario.
pub const MAX_REPLICATIONS: u64 = 10_000;
/// Student-years simulated by one command (warm-up included): about an hour
/// on 2 cores at the measured 3 to 5 million student-years per second per
/// core (docs/PERFORMANCE.md).
pub const MAX_STUDENT_YEARS: u64 = 10_000_000_000;
/// Estimated peak memory of one command.
pub const MAX_MEMORY_BYTES: u64 = 16 << 30;
/// Worker threads (`--threads`); a hard limit, not lifted by `--allow-large`.
pub const MAX_THREADS: usize = 4096;
/// Shards of one run (`--shard K/N`, `shard.json`); a hard limit.
pub const MAX_SHARDS: usize = 100_000;

/// Live memory of a simulated student (records, events, allocator slack;
/// about 200-270 bytes measured, docs/PERFORMANCE.md).
const LIVE_BYTES_PER_STUDENT: u128 = 300;
/// One metric value of one run: the f64, and its text in `runs.csv`.
const BYTES_PER_VALUE: u128 = 8 + 24;
/// One metric value of one scenario in the summary tables (mean, sd,
/// interval in `summary.csv`, `comparison.csv`, `horizon.csv`).
const SUMMARY_BYTES_PER_VALUE: u128 = 256;

/// What the estimate needs of one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub students: u64,
    /// Students of its largest jeugdregio (regions run one per thread).
    pub region_students: u64,
    /// Output years, and years simulated (warm-up included).
    pub years: u64,
    pub simulated_years: u64,
    /// Output areas: the region and each gemeente.
    pub areas: u64,
    /// Length of the resolved scenario text (held in the manifest).
    pub text_bytes: u64,
}

impl Shape {
    pub fn of(l: &LoadedScenario) -> Shape {
        let sc = &l.scenario;
        let years = u64::from(sc.simulation.years);
        let mut regions = vec![0u64; sc.jeugdregios.len().max(1)];
        for g in &sc.school_groups {
            if let Some(&w) = g.wijken.first() {
                let r = sc.gemeenten[sc.wijken[w].gemeente].jeugdregio;
                regions[r] += u64::from(g.count) * u64::from(g.students);
            }
        }
        Shape {
            students: sc.students(),
            region_students: regions.into_iter().max().unwrap_or(0),
            years,
            simulated_years: years + u64::from(sc.simulation.warmup_years),
            areas: 1 + sc.gemeenten.len() as u64,
            text_bytes: l.resolved_toml.len() as u64,
        }
    }
}

/// The size of one command's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub replications: u64,
    /// Runs (scenario × replication) this command does.
    pub runs: u64,
    /// Students of the largest scenario.
    pub students: u64,
    pub student_years: u64,
    pub memory_bytes: u64,
}

/// Runs `0..total` of shard `shard` in `lo..hi` (unit numbers).
fn shard_count(lo: u128, hi: u128, shard: Option<Shard>) -> u128 {
    let Some(s) = shard else {
        return hi - lo;
    };
    let (n, k) = (s.count as u128, s.index as u128 - 1);
    let below = |x: u128| x / n + u128::from(x % n > k);
    below(hi) - below(lo)
}

/// Estimates the work of `replications` runs of each scenario in `shapes`
/// (of shard `shard`, on `threads` workers; 0: one per core).
pub fn estimate(
    shapes: impl IntoIterator<Item = Shape>,
    replications: u32,
    shard: Option<Shard>,
    threads: usize,
) -> Estimate {
    let reps = u128::from(replications);
    let metrics = metric_names().len() as u128;
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        t => t,
    } as u128;
    // Saturating: absurd inputs give an absurd (refused) estimate, never
    // an overflow.
    let mul = |xs: &[u128]| xs.iter().fold(1u128, |a, &b| a.saturating_mul(b));
    let (mut runs, mut student_years, mut students) = (0u128, 0u128, 0u128);
    let mut region_students = 0u128;
    let mut memory = 0u128;
    let mut scenarios = 0u128;
    for sh in shapes {
        let first = scenarios.saturating_mul(reps);
        let mine = shard_count(first, first.saturating_add(reps), shard);
        scenarios += 1;
        let (years, areas) = (u128::from(sh.years), u128::from(sh.areas));
        runs = runs.saturating_add(mine);
        students = students.max(sh.students.into());
        region_students = region_students.max(sh.region_students.into());
        student_years = student_years.saturating_add(mul(&[
            mine,
            sh.students.into(),
            sh.simulated_years.into(),
        ]));
        // The scenario itself, in memory and twice in manifests (one for
        // the fingerprint), and its summary tables.
        let per_scenario = mul(&[4, sh.text_bytes.into()])
            .saturating_add(4096)
            .saturating_add(mul(&[years, areas, metrics, SUMMARY_BYTES_PER_VALUE]));
        // Every run's numbers, kept until the tables are written.
        let per_run = mul(&[years, areas, metrics, BYTES_PER_VALUE])
            .saturating_add(mul(&[years, 600]))
            .saturating_add(256);
        memory = memory
            .saturating_add(per_scenario)
            .saturating_add(mul(&[mine, per_run]));
    }
    // The list of all runs (and the list of those left to do), and the
    // runs in progress: each thread simulates one jeugdregio at a time, and
    // no more runs are live than threads.
    let live = mul(&[threads, region_students]).min(mul(&[threads.min(runs), students]));
    memory = memory
        .saturating_add(mul(&[2 * 16, scenarios, reps]))
        .saturating_add(mul(&[live, LIVE_BYTES_PER_STUDENT]));
    let cap = |x: u128| u64::try_from(x).unwrap_or(u64::MAX);
    Estimate {
        replications: replications.into(),
        runs: cap(runs),
        students: cap(students),
        student_years: cap(student_years),
        memory_bytes: cap(memory),
    }
}

fn gib(bytes: u64) -> String {
    let g = bytes as f64 / f64::from(1u32 << 30);
    if g < 100.0 {
        format!("{g:.1} GiB")
    } else {
        format!("{} GiB", thousands(g.round() as u64))
    }
}

impl Estimate {
    /// The limits this estimate passes, as an error naming each it does not
    /// (none apply when `allow_large`).
    pub fn check(&self, allow_large: bool) -> Result<(), ExperimentError> {
        if allow_large {
            return Ok(());
        }
        let mut over = Vec::new();
        if self.students > MAX_STUDENTS_PER_SCENARIO {
            over.push(format!(
                "{} students in one scenario (limit {})",
                thousands(self.students),
                thousands(MAX_STUDENTS_PER_SCENARIO)
            ));
        }
        if self.replications > MAX_REPLICATIONS {
            over.push(format!(
                "{} replications (limit {})",
                thousands(self.replications),
                thousands(MAX_REPLICATIONS)
            ));
        }
        if self.student_years > MAX_STUDENT_YEARS {
            over.push(format!(
                "{:.2e} student-years in {} runs (limit {:.0e}, about an hour on 2 cores)",
                self.student_years as f64,
                thousands(self.runs),
                MAX_STUDENT_YEARS as f64
            ));
        }
        if self.memory_bytes > MAX_MEMORY_BYTES {
            over.push(format!(
                "about {} of memory (limit {})",
                gib(self.memory_bytes),
                gib(MAX_MEMORY_BYTES)
            ));
        }
        if over.is_empty() {
            return Ok(());
        }
        Err(ExperimentError::TooLarge(format!(
            "this run is larger than regiosim starts unasked: {}; make it smaller (fewer replications, years, students or variants; --shard K/N splits it over machines), or add --allow-large to run it anyway (docs/SCENARIOS.md, \"Run size\")",
            over.join("; ")
        )))
    }
}

impl Experiment {
    /// Runs (scenario × replication) of the whole experiment, counted
    /// without listing them.
    pub fn unit_count(&self) -> u64 {
        self.scenarios.len() as u64 * u64::from(self.replications)
    }

    /// The size of running shard `shard` (all when `None`) on `threads`.
    pub fn size(&self, shard: Option<Shard>, threads: usize) -> Estimate {
        estimate(
            self.scenarios.iter().map(Shape::of),
            self.replications,
            shard,
            threads,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(students: u64) -> Shape {
        Shape {
            students,
            region_students: students / 42,
            years: 10,
            simulated_years: 13,
            areas: 3,
            text_bytes: 5000,
        }
    }

    #[test]
    fn shards_of_a_run_count_every_run_once() {
        let all = estimate([shape(100); 3], 7, None, 1);
        assert_eq!(all.runs, 21);
        let mut sum = 0;
        for index in 1..=4 {
            let s = estimate([shape(100); 3], 7, Some(Shard { index, count: 4 }), 1);
            sum += s.runs;
            assert_eq!(s.student_years, s.runs * 100 * 13);
        }
        assert_eq!(sum, 21);
    }

    #[test]
    fn the_national_run_passes_and_a_typo_of_zeros_does_not() {
        let nl = estimate([shape(2_600_000); 2], 8, None, 2);
        assert!(nl.check(false).is_ok(), "{nl:?}");
        // On many cores too: a thread holds one jeugdregio at a time.
        assert!(
            estimate([shape(2_600_000); 2], 8, None, 256)
                .check(false)
                .is_ok()
        );
        let typo = estimate([shape(2_600_000); 2], 80_000, None, 2);
        let err = typo.check(false).unwrap_err().to_string();
        assert!(err.contains("80,000 replications (limit 10,000)"), "{err}");
        assert!(err.contains("student-years"), "{err}");
        assert!(err.contains("--allow-large"), "{err}");
        assert!(typo.check(true).is_ok());
    }

    #[test]
    fn huge_counts_saturate_instead_of_overflowing() {
        let e = estimate([shape(u64::MAX); 2], u32::MAX, None, MAX_THREADS);
        assert_eq!(e.student_years, u64::MAX);
        assert_eq!(e.memory_bytes, u64::MAX);
        assert!(e.check(false).is_err());
    }
}
