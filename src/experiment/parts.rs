//! Finished runs on disk: each (scenario, replication) is written to its own
//! file in `DIR/parts/` as soon as it finishes, with every number stored
//! exactly (f64 bits), so a killed sweep resumes and a sharded sweep merges
//! into the same bytes as one uninterrupted run. A part ends with the
//! sha256 of everything before it; a part that fails the check (a machine
//! crash before the data reached the disk) is run again. Every part names
//! the fingerprint of its experiment (in its header, under the checksum,
//! and a prefix in its file name): a part of another experiment is never
//! read as one of this one.

use crate::model::{Month, TypeAcc};
use crate::output::atomic_write_unsynced;
use crate::output::tables::RunRows;
use crate::scenario::sha256_hex;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

const MAGIC: &str = "regiosim-part 5";
const FINGERPRINT: &str = "experiment ";
const CHECKSUM: &str = "sha256 ";
/// Hex digits of the fingerprint in a part's file name.
const NAME_PREFIX: usize = 12;

pub fn parts_dir(out: &Path) -> PathBuf {
    out.join("parts")
}

fn file_name(fingerprint: &str, scenario: usize, replication: u32) -> String {
    let short = fingerprint.get(..NAME_PREFIX).unwrap_or(fingerprint);
    format!("s{scenario:05}-r{replication:05}-{short}.part")
}

/// Writes one finished run of the experiment with this `fingerprint`.
pub fn write_part(
    dir: &Path,
    fingerprint: &str,
    scenario: usize,
    rows: &RunRows,
) -> std::io::Result<()> {
    let mut t = String::new();
    let _ = writeln!(t, "{MAGIC}");
    let _ = writeln!(t, "{FINGERPRINT}{fingerprint}");
    let years = rows.metrics.len();
    let areas = rows.metrics.first().map_or(0, |a| a.len());
    let metrics = rows
        .metrics
        .first()
        .and_then(|a| a.first())
        .map_or(0, |m| m.len());
    let _ = writeln!(
        t,
        "{scenario} {} {years} {areas} {metrics} {}",
        rows.replication,
        rows.monthly.len()
    );
    for areas in &rows.metrics {
        for values in areas {
            let line: Vec<String> = values
                .iter()
                .map(|v| format!("{:x}", v.to_bits()))
                .collect();
            let _ = writeln!(t, "{}", line.join(" "));
        }
    }
    for types in &rows.by_type {
        let line: Vec<String> = types
            .iter()
            .flat_map(|a| [a.students, a.helped, a.second_line])
            .map(|v| v.to_string())
            .collect();
        let _ = writeln!(t, "{}", line.join(" "));
    }
    for m in &rows.monthly {
        let [a, b, c, d] = m.queues;
        let _ = writeln!(t, "{} {} {a} {b} {c} {d}", m.year, m.month);
    }
    let _ = writeln!(t, "forecast {}", rows.forecast.len());
    for areas in &rows.forecast {
        let _ = writeln!(t, "{}", areas.len());
        for values in areas {
            let line: Vec<String> = values
                .iter()
                .map(|v| format!("{:x}", v.to_bits()))
                .collect();
            let _ = writeln!(t, "{}", line.join(" "));
        }
    }
    let sum = sha256_hex(t.as_bytes());
    let _ = writeln!(t, "{CHECKSUM}{sum}");
    atomic_write_unsynced(
        &dir.join(file_name(fingerprint, scenario, rows.replication)),
        t.as_bytes(),
    )
}

/// The text before the checksum line, if the checksum matches it.
fn verified(text: &str) -> Option<&str> {
    let body_end = text.trim_end_matches('\n').rfind('\n')? + 1;
    let (body, last) = text.split_at(body_end);
    let sum = last.strip_prefix(CHECKSUM)?.trim_end();
    (sha256_hex(body.as_bytes()) == sum).then_some(body)
}

/// The space-separated fields of `line`, each read by `read`; `None` if any fails.
fn fields<T>(line: &str, read: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    line.split(' ').map(read).collect()
}

fn decimal<T: std::str::FromStr>(x: &str) -> Option<T> {
    x.parse().ok()
}

/// What a part file holds.
enum Part {
    /// A run of the experiment asked for.
    Run(usize, RunRows),
    /// A complete part of another experiment or another part format.
    Foreign,
    /// Damaged or cut short: run again.
    Damaged,
}

fn classify(text: &str, fingerprint: &str) -> Part {
    let Some(body) = verified(text) else {
        return Part::Damaged;
    };
    let mut lines = body.lines();
    if lines.next() != Some(MAGIC)
        || lines.next().and_then(|l| l.strip_prefix(FINGERPRINT)) != Some(fingerprint)
    {
        return Part::Foreign;
    }
    match parse(lines) {
        Some((s, rows)) => Part::Run(s, rows),
        None => Part::Damaged,
    }
}

fn parse<'a>(mut lines: impl Iterator<Item = &'a str>) -> Option<(usize, RunRows)> {
    let head: Vec<u64> = fields(lines.next()?, decimal)?;
    let [scenario, replication, years, areas, metrics, months] = head[..] else {
        return None;
    };
    let mut m = Vec::new();
    for _ in 0..years {
        let mut a = Vec::new();
        for _ in 0..areas {
            let v = fields(lines.next()?, |x| {
                u64::from_str_radix(x, 16).ok().map(f64::from_bits)
            })?;
            if v.len() as u64 != metrics {
                return None;
            }
            a.push(v);
        }
        m.push(a);
    }
    let mut by_type = Vec::new();
    for _ in 0..years {
        let v: Vec<u64> = fields(lines.next()?, decimal)?;
        if v.len() != 18 {
            return None;
        }
        by_type.push(std::array::from_fn(|t| TypeAcc {
            students: v[3 * t],
            helped: v[3 * t + 1],
            second_line: v[3 * t + 2],
        }));
    }
    let mut monthly = Vec::new();
    for _ in 0..months {
        let v: Vec<u32> = fields(lines.next()?, decimal)?;
        let [a, b, c, d, e, f] = v[..] else {
            return None;
        };
        monthly.push(Month {
            year: a,
            month: b,
            queues: [c, d, e, f],
        });
    }
    let years: usize = lines.next()?.strip_prefix("forecast ")?.parse().ok()?;
    let mut forecast = Vec::new();
    for _ in 0..years {
        let areas: usize = lines.next()?.parse().ok()?;
        let mut a = Vec::new();
        for _ in 0..areas {
            let line = lines.next()?;
            let v = if line.is_empty() {
                Vec::new()
            } else {
                fields(line, |x| {
                    u64::from_str_radix(x, 16).ok().map(f64::from_bits)
                })?
            };
            a.push(v);
        }
        forecast.push(a);
    }
    Some((
        scenario as usize,
        RunRows {
            replication: replication as u32,
            metrics: m,
            by_type,
            monthly,
            forecast,
        },
    ))
}

/// The parts found in a folder.
#[derive(Default)]
pub struct Found {
    /// The runs of the experiment asked for, by (scenario, replication).
    pub runs: BTreeMap<(usize, u32), RunRows>,
    /// Complete parts of another experiment (or an older part format):
    /// never merged.
    pub foreign: usize,
    /// Unreadable or partial parts (a write cut short): run again.
    pub damaged: usize,
}

impl Found {
    /// Every part file, whatever it holds.
    pub fn files(&self) -> usize {
        self.runs.len() + self.foreign + self.damaged
    }
}

/// Every part in `dir`, sorted by what it holds: the runs of the experiment
/// with this `fingerprint`, and counts of the foreign and damaged parts,
/// which are ignored.
pub fn read_parts(dir: &Path, fingerprint: &str) -> Found {
    let mut found = Found::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "part") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        match classify(&text, fingerprint) {
            Part::Run(s, rows) => {
                found.runs.insert((s, rows.replication), rows);
            }
            Part::Foreign => found.foreign += 1,
            Part::Damaged => found.damaged += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn parts_round_trip_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let rows = RunRows {
            replication: 3,
            metrics: vec![vec![vec![0.1, f64::NAN, -2.5e-300], vec![1.0, 2.0, 3.0]]],
            by_type: vec![
                [TypeAcc {
                    students: 5,
                    helped: 2,
                    second_line: 1,
                }; 6],
            ],
            monthly: vec![Month {
                year: 2025,
                month: 1,
                queues: [4, 5, 6, 7],
            }],
            forecast: vec![vec![vec![12.0, f64::NAN], vec![]]],
        };
        write_part(dir.path(), FP, 7, &rows).unwrap();
        let back = read_parts(dir.path(), FP);
        let got = &back.runs[&(7, 3)];
        assert_eq!(got.metrics[0][0][0].to_bits(), 0.1f64.to_bits());
        assert!(got.metrics[0][0][1].is_nan());
        assert_eq!(got.by_type, rows.by_type);
        assert_eq!(got.monthly, rows.monthly);
        assert_eq!(got.forecast[0][0][0], 12.0);
        assert!(got.forecast[0][0][1].is_nan());
        assert!(got.forecast[0][1].is_empty());
    }

    #[test]
    fn a_damaged_part_is_ignored_and_run_again() {
        let dir = tempfile::tempdir().unwrap();
        let rows = RunRows {
            replication: 0,
            metrics: vec![vec![vec![1.0, 2.0]]],
            by_type: vec![[TypeAcc::default(); 6]],
            monthly: vec![],
            forecast: vec![],
        };
        write_part(dir.path(), FP, 0, &rows).unwrap();
        let path = dir.path().join(file_name(FP, 0, 0));
        let good = std::fs::read_to_string(&path).unwrap();
        assert_eq!(read_parts(dir.path(), FP).runs.len(), 1);
        // One number changed (as stale disk blocks might), cut short, empty.
        let flipped = good.replacen("3ff0000000000000", "3ff0000000000001", 1);
        assert_ne!(flipped, good);
        for bad in [flipped.as_str(), &good[..good.len() / 2], ""] {
            std::fs::write(&path, bad).unwrap();
            let found = read_parts(dir.path(), FP);
            assert!(found.runs.is_empty(), "accepted: {bad:?}");
            assert_eq!((found.damaged, found.foreign), (1, 0));
        }
    }

    #[test]
    fn a_part_of_another_experiment_is_never_read_as_one_of_this() {
        let dir = tempfile::tempdir().unwrap();
        let rows = RunRows {
            replication: 1,
            metrics: vec![vec![vec![1.0]]],
            by_type: vec![[TypeAcc::default(); 6]],
            monthly: vec![],
            forecast: vec![],
        };
        let other = "f".repeat(64);
        write_part(dir.path(), &other, 0, &rows).unwrap();
        // The same (scenario, replication) of both experiments side by side.
        write_part(dir.path(), FP, 0, &rows).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        let found = read_parts(dir.path(), FP);
        assert_eq!((found.runs.len(), found.foreign, found.damaged), (1, 1, 0));
        // Renamed to this experiment's file name, its header still tells.
        let theirs = dir.path().join(file_name(&other, 0, 1));
        std::fs::remove_file(dir.path().join(file_name(FP, 0, 1))).unwrap();
        std::fs::rename(&theirs, dir.path().join(file_name(FP, 0, 1))).unwrap();
        let found = read_parts(dir.path(), FP);
        assert_eq!((found.runs.len(), found.foreign), (0, 1));
        // A part of the previous format (no fingerprint) is foreign too.
        let old =
            "regiosim-part 2\n0 1 1 1 1 0\n3ff0000000000000\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        let old = format!("{old}{CHECKSUM}{}\n", sha256_hex(old.as_bytes()));
        std::fs::write(dir.path().join("s00000-r00002.part"), old).unwrap();
        assert_eq!(read_parts(dir.path(), FP).foreign, 2);
    }
}
