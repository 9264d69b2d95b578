//! Finished simulator runs of a calibration on disk (`DIR/runs/`), one
//! file per design point or ABC proposal, written as soon as the point's
//! replications finish: its label (`w01-0007`, `g02-000123`), its unit
//! coordinates and every replication's target values, all as f64 bits,
//! then a sha256 line (as `experiment::parts`). `--resume` reuses a stored
//! point only when the label, the coordinates and the calibration's
//! fingerprint all match, so a resumed calibration recomputes exactly what
//! the uninterrupted one would have: the points are chosen in design
//! order from results that are the same bits.

use crate::output::atomic_write_unsynced;
use crate::scenario::sha256_hex;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

const MAGIC: &str = "regiosim-calibration-run 1";
const FINGERPRINT: &str = "calibration ";
const CHECKSUM: &str = "sha256 ";

pub fn runs_dir(out: &Path) -> PathBuf {
    out.join("runs")
}

/// The stored runs of one calibration.
pub struct Store {
    dir: PathBuf,
    fingerprint: String,
    found: BTreeMap<String, (Vec<u64>, Vec<Vec<f64>>)>,
    /// Run files of another calibration (ignored).
    pub foreign: usize,
    /// Damaged or cut-short files (run again).
    pub damaged: usize,
}

fn hex(v: &[f64]) -> String {
    v.iter()
        .map(|x| format!("{:x}", x.to_bits()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn unhex(line: &str) -> Option<Vec<f64>> {
    if line.is_empty() {
        return Some(Vec::new());
    }
    line.split(' ')
        .map(|x| u64::from_str_radix(x, 16).ok().map(f64::from_bits))
        .collect()
}

enum Parsed {
    Ours(String, Vec<u64>, Vec<Vec<f64>>),
    Foreign,
    Damaged,
}

fn parse(text: &str, fingerprint: &str) -> Parsed {
    let Some(body_end) = text.trim_end_matches('\n').rfind('\n').map(|i| i + 1) else {
        return Parsed::Damaged;
    };
    let (body, last) = text.split_at(body_end);
    let ok = last
        .strip_prefix(CHECKSUM)
        .is_some_and(|s| s.trim_end() == sha256_hex(body.as_bytes()));
    if !ok {
        return Parsed::Damaged;
    }
    let mut lines = body.lines();
    if lines.next() != Some(MAGIC)
        || lines.next().and_then(|l| l.strip_prefix(FINGERPRINT)) != Some(fingerprint)
    {
        return Parsed::Foreign;
    }
    let (Some(label), Some(u)) = (
        lines.next().and_then(|l| l.strip_prefix("point ")),
        lines
            .next()
            .and_then(|l| l.strip_prefix("u "))
            .and_then(unhex),
    ) else {
        return Parsed::Damaged;
    };
    let reps: Option<Vec<Vec<f64>>> = lines.map(unhex).collect();
    match reps {
        Some(reps) => Parsed::Ours(
            label.to_string(),
            u.iter().map(|x| x.to_bits()).collect(),
            reps,
        ),
        None => Parsed::Damaged,
    }
}

impl Store {
    /// Reads every run file in `dir` (none if it does not exist).
    pub fn open(dir: &Path, fingerprint: &str) -> Store {
        let mut s = Store {
            dir: dir.to_path_buf(),
            fingerprint: fingerprint.to_string(),
            found: BTreeMap::new(),
            foreign: 0,
            damaged: 0,
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return s;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "run"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            match parse(&text, fingerprint) {
                Parsed::Ours(label, u, reps) => {
                    s.found.insert(label, (u, reps));
                }
                Parsed::Foreign => s.foreign += 1,
                Parsed::Damaged => s.damaged += 1,
            }
        }
        s
    }

    /// Points of this calibration on disk.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Every run file found, whatever it holds.
    pub fn files(&self) -> usize {
        self.found.len() + self.foreign + self.damaged
    }

    /// The stored replications of point `label` at `u`, if any.
    pub fn get(&self, label: &str, u: &[f64]) -> Option<Vec<Vec<f64>>> {
        let (bits, reps) = self.found.get(label)?;
        let same = bits.len() == u.len() && bits.iter().zip(u).all(|(b, x)| *b == x.to_bits());
        same.then(|| reps.clone())
    }

    /// Saves point `label` at `u` with its replications' target values.
    pub fn put(&self, label: &str, u: &[f64], reps: &[Vec<f64>]) -> std::io::Result<()> {
        let mut t = String::new();
        let _ = writeln!(t, "{MAGIC}");
        let _ = writeln!(t, "{FINGERPRINT}{}", self.fingerprint);
        let _ = writeln!(t, "point {label}");
        let _ = writeln!(t, "u {}", hex(u));
        for r in reps {
            let _ = writeln!(t, "{}", hex(r));
        }
        let sum = sha256_hex(t.as_bytes());
        let _ = writeln!(t, "{CHECKSUM}{sum}");
        atomic_write_unsynced(&self.dir.join(format!("{label}.run")), t.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_points_round_trip_exactly_and_only_for_their_coordinates() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path(), "abc");
        let u = [0.1, 0.7];
        let reps = vec![vec![0.25, f64::NAN], vec![1e-300, -3.0]];
        s.put("w01-0000", &u, &reps).unwrap();
        let back = Store::open(dir.path(), "abc");
        let got = back.get("w01-0000", &u).expect("stored");
        assert_eq!(got[1][0].to_bits(), 1e-300f64.to_bits());
        assert!(got[0][1].is_nan());
        assert!(back.get("w01-0000", &[0.1, 0.70000001]).is_none());
        assert!(back.get("w01-0001", &u).is_none());
        // Another calibration's file is foreign; a cut-short one damaged.
        assert_eq!(Store::open(dir.path(), "xyz").foreign, 1);
        let path = dir.path().join("w01-0000.run");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() - 5]).unwrap();
        let back = Store::open(dir.path(), "abc");
        assert_eq!((back.len(), back.damaged), (0, 1));
    }
}
