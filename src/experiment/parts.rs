//! Finished runs on disk: each (scenario, replication) is written to its own
//! file in `DIR/parts/` as soon as it finishes, with every number stored
//! exactly (f64 bits), so a killed sweep resumes and a sharded sweep merges
//! into the same bytes as one uninterrupted run. A part ends with the
//! sha256 of everything before it; a part that fails the check (a machine
//! crash before the data reached the disk) is run again.

use crate::model::TypeAcc;
use crate::output::atomic_write_unsynced;
use crate::output::tables::RunRows;
use crate::scenario::sha256_hex;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

const MAGIC: &str = "regiosim-part 2";
const CHECKSUM: &str = "sha256 ";

pub fn parts_dir(out: &Path) -> PathBuf {
    out.join("parts")
}

fn file_name(scenario: usize, replication: u32) -> String {
    format!("s{scenario:05}-r{replication:05}.part")
}

/// Writes one finished run.
pub fn write_part(dir: &Path, scenario: usize, rows: &RunRows) -> std::io::Result<()> {
    let mut t = String::new();
    let _ = writeln!(t, "{MAGIC}");
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
        let _ = writeln!(t, "{} {} {} {} {}", m.0, m.1, m.2, m.3, m.4);
    }
    let sum = sha256_hex(t.as_bytes());
    let _ = writeln!(t, "{CHECKSUM}{sum}");
    atomic_write_unsynced(
        &dir.join(file_name(scenario, rows.replication)),
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

fn parse(text: &str) -> Option<(usize, RunRows)> {
    let mut lines = verified(text)?.lines();
    if lines.next()? != MAGIC {
        return None;
    }
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
        let [a, b, c, d, e] = v[..] else { return None };
        monthly.push((a, b, c, d, e));
    }
    Some((
        scenario as usize,
        RunRows {
            replication: replication as u32,
            metrics: m,
            by_type,
            monthly,
        },
    ))
}

/// Every readable part in `dir`, by (scenario, replication). Unreadable or
/// partial files (a write cut short) are ignored and will be run again.
pub fn read_parts(dir: &Path) -> BTreeMap<(usize, u32), RunRows> {
    let mut found = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "part")
            && let Ok(text) = std::fs::read_to_string(&p)
            && let Some((s, rows)) = parse(&text)
        {
            found.insert((s, rows.replication), rows);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

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
            monthly: vec![(2025, 1, 4, 5, 6)],
        };
        write_part(dir.path(), 7, &rows).unwrap();
        let back = read_parts(dir.path());
        let got = &back[&(7, 3)];
        assert_eq!(got.metrics[0][0][0].to_bits(), 0.1f64.to_bits());
        assert!(got.metrics[0][0][1].is_nan());
        assert_eq!(got.by_type, rows.by_type);
        assert_eq!(got.monthly, rows.monthly);
    }

    #[test]
    fn a_damaged_part_is_ignored_and_run_again() {
        let dir = tempfile::tempdir().unwrap();
        let rows = RunRows {
            replication: 0,
            metrics: vec![vec![vec![1.0, 2.0]]],
            by_type: vec![[TypeAcc::default(); 6]],
            monthly: vec![],
        };
        write_part(dir.path(), 0, &rows).unwrap();
        let path = dir.path().join(file_name(0, 0));
        let good = std::fs::read_to_string(&path).unwrap();
        assert_eq!(read_parts(dir.path()).len(), 1);
        // One number changed (as stale disk blocks might), cut short, empty.
        let flipped = good.replacen("3ff0000000000000", "3ff0000000000001", 1);
        assert_ne!(flipped, good);
        for bad in [flipped.as_str(), &good[..good.len() / 2], ""] {
            std::fs::write(&path, bad).unwrap();
            assert!(read_parts(dir.path()).is_empty(), "accepted: {bad:?}");
        }
    }
}
